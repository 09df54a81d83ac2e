"""The e-order rotation proposal (`eorder.rotation.propose`) with `size` approved vendors and a quarter
of accepted orders behind them, against a plain count of the same vendors.

The proposal is set-based: a fixed number of queries (vendors, items, capacity that day, quarter income,
last orders, agency total) whatever the number of vendors, then a sort in Python.
"""

import datetime as dt
from decimal import Decimal

DEFAULT_SIZE = 1000


def _world(size):
    from django.utils import timezone

    from sinergi.accounts.models import Organisation, User
    from sinergi.eorder.models import CatalogueItem, Offer, Order, OrderLine, PriceCeiling, Vendor
    from sinergi.registry.models import Person
    from sinergi.unions.services import union_body_create

    agency = Organisation.objects.create(name="Bench Dinas", kind="agency", region_id="31")
    user = User.objects.create(username="bench.eorder", organisation=agency, role="agency_officer")
    body = union_body_create(actor=None, name="Bench Serikat", kind="union", region_id="31")
    people = Person.objects.bulk_create(
        [
            Person(
                nik=f"3172054{i:09d}",
                name=f"Bench {i}",
                name_key=f"bench {i}",
                birth_date=dt.date(1990, 1, 1),
                sex="M",
                domicile_region_id="317205",
            )
            for i in range(size)
        ]
    )
    common = dict(
        union_body=body, agency=agency, region_id="31", certificate_number="JP-2", kind="catering", address="-",
        delivery_area="-", bank_name="Bank", bank_account="1234567890", account_holder="-", nib="1234567890123",
        pirt_number="P", pirt_expires=dt.date(2035, 1, 1), halal_number="H", halal_expires=dt.date(2035, 1, 1),
        status="approved", registered_by=user,
    )  # fmt: skip
    vendors = Vendor.objects.bulk_create(
        [
            Vendor(person=p, business_name=f"Dapur {i}", capacity_per_day=200, **common)
            for i, p in enumerate(people)
        ]
    )
    CatalogueItem.objects.bulk_create(
        [
            CatalogueItem(vendor=v, kind="lunch", name="Nasi", portion="1", price=Decimal(40000 + i % 9))
            for i, v in enumerate(vendors)
        ]
    )
    PriceCeiling.objects.create(
        agency=agency, kind="lunch", year=2025, max_price=Decimal(50000), decree="-", set_by=user
    )
    base = timezone.make_aware(dt.datetime(2025, 1, 6, 12))
    orders = Order.objects.bulk_create(
        [
            Order(
                agency=agency, unit="U", activity=f"A{i}", region_id="31", deliver_at=base + dt.timedelta(days=i % 60),
                place="-", budget_line="-", status="accepted", vendor=vendors[(i * 7) % size], total=Decimal(2000000),
                ordered_by=user,
            )
            for i in range(size * 2)
        ]
    )  # fmt: skip
    OrderLine.objects.bulk_create([OrderLine(order=o, kind="lunch", portions=50) for o in orders])
    Offer.objects.bulk_create(
        [
            Offer(order=o, vendor=o.vendor, rank=1, reason="-", amount=o.total, status="accepted")
            for o in orders
        ]
    )
    target = Order.objects.create(
        agency=agency, unit="U", activity="target", region_id="31", deliver_at=base + dt.timedelta(days=30),
        place="-", budget_line="-", ordered_by=user,
    )  # fmt: skip
    OrderLine.objects.create(order=target, kind="lunch", portions=80)
    return target


def run(bench, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.eorder import rotation
    from sinergi.eorder.models import Vendor

    target = _world(size)
    bench.time("count vendors", lambda: Vendor.objects.filter(status="approved").count(), rows=size)
    result = {}

    def propose():
        result["p"] = rotation.propose(target)

    bench.time("propose", propose, rows=size, baseline="count vendors")
    with CaptureQueriesContext(connection) as ctx:
        rotation.propose(target)
    bench.note("queries per proposal", len(ctx.captured_queries))
    bench.note("vendors proposed", len(result["p"]))
