"""The e-order demo: the e-order cohort graduates and becomes vendors; a year of orders with one decline,
one shortfall and one expired permit; every vendor served; loading twice changes nothing."""

import datetime as dt

import pytest
from django.db.models import Count

from sinergi.core.demo import DemoContext
from sinergi.eorder import demo
from sinergi.eorder.models import Delivery, Offer, Order, Payment, Vendor
from sinergi.programs.models import Cohort, Course, Enrolment, Program
from tests.factories import MembershipFactory, PersonFactory, UnionBodyFactory

pytestmark = pytest.mark.django_db


def test_graduates_become_vendors_and_a_year_of_orders_reaches_every_vendor(make_user):
    officer = make_user("agency_officer", region="31")
    agency = officer.organisation
    body = UnionBodyFactory(region_id="31")
    ctx = DemoContext(
        orgs={"disnakertrans_dki": agency},
        users={
            "admin": make_user("admin", region="31"),
            "petugas.dki": officer,
            "petugas2.dki": make_user("agency_officer", org=agency),
            "kadis.dki": make_user("agency_head", org=agency),
            "serikat.fspmi": make_user("union_official", region="31", union_body=body),
        },
        say=lambda *a: None,
    )
    program = Program.objects.create(
        code="JP", name="Jakpreneur", kind=Program.Kind.TRAINING, owner=agency, region_id="31", legal_basis="-",
        year=2020, start_date=dt.date(2019, 10, 1), end_date=dt.date(2020, 12, 31),
    )  # fmt: skip
    course = Course.objects.create(program=program, level=2, name="E-order")
    cohort = Cohort.objects.create(
        course=course, name="E-order I", region_id="3172", start_date=dt.date(2020, 9, 7),
        end_date=dt.date(2020, 9, 9), sessions=3, min_attendance=3,
    )  # fmt: skip
    for _ in range(30):
        person = PersonFactory()
        MembershipFactory(person=person, body=body)
        Enrolment.objects.create(cohort=cohort, person=person)

    demo.load(ctx)
    assert Enrolment.objects.filter(cohort=cohort, status="completed").count() == 30
    assert Vendor.objects.filter(status="approved").count() == 30
    assert Offer.objects.filter(status="declined").count() == 1
    short = Delivery.objects.exclude(complaint="")
    assert short.count() == 1 and short.get().shortfall == 5
    suspended = Vendor.objects.filter(halal_expires=dt.date(2021, 6, 30)).get()
    assert not Order.objects.filter(vendor=suspended, deliver_at__date__gt=dt.date(2021, 6, 30)).exists()
    served = Vendor.objects.annotate(n=Count("orders")).filter(n=0)
    assert not served.exists(), list(served)
    counts = (Order.objects.count(), Payment.objects.count(), Vendor.objects.count())
    demo.load(ctx)
    assert (Order.objects.count(), Payment.objects.count(), Vendor.objects.count()) == counts
