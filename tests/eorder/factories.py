"""Factories for e-order: graduates of the e-order level, approved vendors with items, ceilings, orders."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from sinergi.eorder import services
from sinergi.eorder.models import CatalogueItem, PriceCeiling, Vendor
from sinergi.programs.models import Cohort, Course, Enrolment, Program
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

_serial = itertools.count(1)


def eorder_course():
    program = Program.objects.filter(code="JPTEST").first()
    if program is None:
        program = Program.objects.create(
            code="JPTEST",
            name="Jakpreneur uji",
            kind=Program.Kind.TRAINING,
            owner=OrganisationFactory(region_id="31"),
            region_id="31",
            legal_basis="uji",
            year=2020,
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2020, 12, 31),
        )
    course, _ = Course.objects.get_or_create(
        program=program, track="jakpreneur", level=2, defaults={"name": "E-order"}
    )
    cohort = Cohort.objects.filter(course=course).first() or Cohort.objects.create(
        course=course,
        name="E-order uji",
        region_id="3172",
        start_date=dt.date(2020, 9, 7),
        end_date=dt.date(2020, 9, 9),
    )
    return cohort


def graduate(body, *, completed=True, district="317205"):
    person = PersonFactory(district=district, phone="081234567890")
    MembershipFactory(person=person, body=body)
    Enrolment.objects.create(
        cohort=eorder_course(),
        person=person,
        status="completed" if completed else "enrolled",
        completed_on=dt.date(2020, 9, 9) if completed else None,
        certificate_number=f"JP-2-T-{next(_serial):05d}" if completed else "",
    )
    return person


def register(actor, person, **kw):
    fields = dict(
        business_name=f"Dapur {person.name}",
        kind="catering",
        address="Jl. Uji 1",
        delivery_area="Jakarta Utara",
        capacity_per_day=200,
        bank_name="Bank DKI",
        bank_account="1234567890",
        account_holder=person.name,
        nib="1234567890123",
        pirt_number="P-IRT 2063172010001-25",
        pirt_expires=dt.date(2030, 12, 31),
        halal_number="ID31110000123",
        halal_expires=dt.date(2030, 12, 31),
    )
    fields.update(kw)
    return services.vendor_register(actor=actor, person=person, **fields)


def approved_vendor(*, union, checker, approver, body, lunch=Decimal(40000), snack=Decimal(15000), **kw):
    v = register(union, graduate(body), **kw)
    services.vendor_confirm_member(actor=union, vendor=v)
    services.vendor_check(actor=checker, vendor=v)
    services.vendor_approve(actor=approver, vendor=v)
    CatalogueItem.objects.create(vendor=v, kind="lunch", name="Nasi kotak", portion="1 kotak", price=lunch)
    CatalogueItem.objects.create(vendor=v, kind="snack", name="Kue kotak", portion="3 kue", price=snack)
    return Vendor.objects.get(pk=v.pk)


def ceilings(agency, year, setter, lunch=50000, snack=20000):
    for kind, price in (("lunch", lunch), ("snack", snack)):
        PriceCeiling.objects.update_or_create(
            agency=agency, kind=kind, year=year,
            defaults={"max_price": Decimal(price), "decree": f"Kepgub SSH {year} (uji)", "set_by": setter},
        )  # fmt: skip


def at(y, m, d, h=12):
    return timezone.make_aware(dt.datetime(y, m, d, h, 0))
