"""The rotation is fair over a simulated year: every eligible vendor gets orders and no vendor's share
of a quarter rises above the cap, with uneven capacities, one vendor's permit expiring mid-year and some
declines along the way."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import override_settings

from sinergi.core import clock
from sinergi.eorder import rotation, services
from sinergi.eorder.models import Offer, Order, Vendor
from tests.eorder.factories import approved_vendor, at, ceilings

pytestmark = pytest.mark.django_db

VENDORS = 12
CAP = Decimal("0.20")


@override_settings(SINERGI_EORDER_MAX_SHARE="20")
def test_a_year_of_orders_reaches_every_eligible_vendor_and_none_passes_the_share(world):
    ceilings(world.agency, 2021, world.officer)
    vendors = [
        approved_vendor(
            union=world.union,
            checker=world.officer,
            approver=world.second,
            body=world.body,
            lunch=Decimal(30000 + 1000 * i),
            capacity_per_day=150 if i % 4 == 0 else 600,  # some small kitchens
            halal_expires=dt.date(2021, 6, 30) if i == 5 else dt.date(2030, 1, 1),
        )
        for i in range(VENDORS)
    ]
    expired = vendors[5]
    day = dt.date(2021, 1, 4)
    n = 0
    while day.year == 2021:
        if day.weekday() < 5 and day.day % 2 == 0:  # an activity every other working day
            n += 1
            portions = 40 + (n * 37) % 120  # 40..159 portions
            with clock.travel(dt.datetime(day.year, day.month, day.day, 7, 0)):
                order = services.order_create(
                    actor=world.officer,
                    unit=f"Bidang {n % 4}",
                    activity=f"Kegiatan {n}",
                    region_id="3172",
                    deliver_at=at(day.year, day.month, day.day, 12),
                    place="Aula",
                    budget_line="5.2.2.11.01",
                    lines={"lunch": portions, "snack": portions},
                )
                offer = services.order_confirm(actor=world.officer, order=order)
                if n % 11 == 0 and offer is not None:  # now and then a vendor declines
                    offer = services.offer_respond(offer=offer, accept=False, reason="Libur")
                    offer = Offer.objects.filter(order=order, status=Offer.Status.OFFERED).first()
                if offer is not None:
                    services.offer_respond(offer=offer, accept=True)
        day += dt.timedelta(days=1)

    accepted = Order.objects.filter(status=Order.Status.ACCEPTED)
    assert accepted.count() >= n - 2  # almost every order found a vendor
    per_quarter = defaultdict(lambda: defaultdict(Decimal))
    for o in accepted.select_related("vendor"):
        q = rotation.quarter_of(rotation.delivery_day(o))
        per_quarter[q][o.vendor_id] += o.total
    for q, by_vendor in per_quarter.items():
        total = sum(by_vendor.values())
        for vid, amount in by_vendor.items():
            assert amount / total <= CAP, (q, vid, amount / total)
        eligible = {v.pk for v in vendors if not (v.pk == expired.pk and q >= 3)}
        assert eligible <= set(by_vendor), f"quarter {q}: vendors without orders {eligible - set(by_vendor)}"
    # the suspended vendor got nothing after its permit expired
    late = Order.objects.filter(vendor=expired, deliver_at__gte=at(2021, 7, 1, 0)).aggregate(t=Sum("total"))[
        "t"
    ]
    assert late is None
    assert Vendor.objects.count() == VENDORS
