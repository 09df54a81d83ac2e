import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.core import clock
from sinergi.core.errors import Conflict, NotAllowed, NotFound, SinergiError
from sinergi.eorder import rotation, selectors, services
from sinergi.eorder.models import Offer, Order, Vendor
from tests.eorder.factories import approved_vendor, at, graduate, register
from tests.factories import UnionBodyFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _vendor(world, **kw):
    return approved_vendor(
        union=world.union, checker=world.officer, approver=world.second, body=world.body, **kw
    )


def _order(world, lunch=40, snack=0, when=None):
    return services.order_create(
        actor=world.officer,
        unit="Bidang Hubungan Industrial",
        activity="Sosialisasi UMP",
        region_id="3172",
        deliver_at=when or at(2021, 1, 20),
        place="Aula Disnakertrans",
        budget_line="5.2.2.11.01 Belanja makanan dan minuman rapat",
        lines={"lunch": lunch, "snack": snack},
    )


def test_only_an_e_order_graduate_who_is_a_member_can_register(world):
    not_yet = graduate(world.body, completed=False)
    with pytest.raises(Conflict) as err:
        register(world.union, not_yet, agency=world.agency)
    assert err.value.code == "not_graduated"
    v = register(world.union, graduate(world.body), agency=world.agency)
    assert v.status == Vendor.Status.REGISTERED and v.certificate_number.startswith("JP-2-")
    assert v.masked_account == "******7890"


def test_approval_needs_the_union_then_two_different_agency_officers(world):
    v = register(world.union, graduate(world.body), agency=world.agency)
    with pytest.raises(Conflict):
        services.vendor_check(actor=world.officer, vendor=v)
    other_union = UnionBodyFactory(region_id="31")
    services.vendor_confirm_member(actor=world.union, vendor=v)
    services.vendor_check(actor=world.officer, vendor=v)
    with pytest.raises(NotAllowed):
        services.vendor_approve(actor=world.officer, vendor=v)
    services.vendor_approve(actor=world.second, vendor=v)
    assert Vendor.objects.get(pk=v.pk).status == Vendor.Status.APPROVED
    assert other_union.pk != world.body.pk


def test_an_expired_permit_suspends_the_vendor_until_renewed(world):
    v = _vendor(world, halal_expires=dt.date(2021, 1, 31))
    o = _order(world, when=at(2021, 2, 2))
    assert not o.offers.exists()  # suspended on the delivery day: not proposed
    with clock.travel("2021-02-01"):
        assert "halal" in selectors.vendor_today_state(v, clock.today())
        services.vendor_permits_renew(
            actor=world.union,
            vendor=v,
            pirt_number=v.pirt_number,
            pirt_expires=v.pirt_expires,
            halal_number="ID-NEW",
            halal_expires=dt.date(2025, 1, 31),
        )
    o2 = _order(world, when=at(2021, 2, 3))
    assert list(o2.offers.values_list("vendor_id", flat=True)) == [v.pk]


def test_items_above_the_ceiling_cannot_be_ordered(world):
    cheap = _vendor(world, lunch=Decimal(45000))
    _vendor(world, lunch=Decimal(60000))  # above the 50,000 ceiling
    o = _order(world)
    assert [x.vendor_id for x in o.offers.all()] == [cheap.pk]


def test_no_ceiling_for_the_year_is_a_clear_error(world):
    _vendor(world)
    with pytest.raises(SinergiError) as err:
        _order(world, when=at(2022, 1, 10))
    assert err.value.code == "no_ceiling" and "2022" in str(err.value.message)


def test_full_cycle_offer_decline_accept_deliver_invoice_pay(world):
    a, b = _vendor(world), _vendor(world)
    o = _order(world, lunch=40, snack=40)
    first = services.order_confirm(actor=world.officer, order=o)
    assert first.status == Offer.Status.OFFERED
    token = services.offer_token(first)
    services.offer_respond(offer=services.offer_from_token(token), accept=False, reason="Penuh")
    nxt = Offer.objects.get(order=o, status=Offer.Status.OFFERED)
    assert nxt.vendor_id != first.vendor_id and {first.vendor_id, nxt.vendor_id} == {a.pk, b.pk}
    with pytest.raises(Conflict):
        services.offer_respond(offer=first, accept=True)
    services.offer_respond(offer=nxt, accept=True)
    o.refresh_from_db()
    assert o.status == Order.Status.ACCEPTED and o.total == Decimal(40 * 40000 + 40 * 15000)
    photo = SimpleUploadedFile("antar.png", PNG, content_type="image/png")
    services.delivery_confirm(
        actor=world.officer,
        order=o,
        received={"lunch": 38, "snack": 40},
        complaint="2 kotak kurang",
        photo=photo,
    )
    o.refresh_from_db()
    assert o.status == Order.Status.INVOICED
    assert o.invoice.amount == Decimal(38 * 40000 + 40 * 15000)  # shortfall not paid
    assert o.delivery.shortfall == 2
    services.delivery_rate(actor=world.officer, order=o, rating=4)
    with clock.travel("2021-01-25"):
        services.invoice_pay(actor=world.officer, invoice=o.invoice, reference="SP2D-1")
        with pytest.raises(Conflict):
            services.invoice_pay(actor=world.second, invoice=o.invoice)
    rows = selectors.income_by_union_body(user=world.union, year=2021)
    assert rows[0]["total"] == o.invoice.amount and rows[0]["quarters"][0] == o.invoice.amount
    assert selectors.union_income(union_body_ids=[world.body.pk], year=2021, quarter=1) == o.invoice.amount


def test_the_last_decline_leaves_the_order_unfilled(world):
    _vendor(world)
    o = _order(world)
    off = services.order_confirm(actor=world.officer, order=o)
    services.offer_respond(offer=off, accept=False)
    assert Order.objects.get(pk=o.pk).status == Order.Status.UNFILLED
    assert services.order_repropose(actor=world.officer, order=o) is None  # the decliner is not asked again


def test_capacity_is_counted_per_day(world):
    small = _vendor(world)
    Vendor.objects.filter(pk=small.pk).update(capacity_per_day=50)
    o1 = _order(world, lunch=40)
    off = services.order_confirm(actor=world.officer, order=o1)
    services.offer_respond(offer=off, accept=True)
    o2 = _order(world, lunch=20)
    assert not o2.offers.exists()
    o3 = _order(world, lunch=20, when=at(2021, 1, 21))
    assert o3.offers.count() == 1


def test_a_bad_photo_is_refused(world):
    v = _vendor(world)
    fake = SimpleUploadedFile("menu.png", b"not an image", content_type="image/png")
    with pytest.raises(SinergiError) as err:
        services.item_add(
            actor=world.union, vendor=v, kind="lunch", name="x", portion="1", price=Decimal(1), photo=fake
        )
    assert err.value.code == "photo_type"


def test_scoping_union_sees_its_members_vendors_agency_its_region(world, make_user):
    v = _vendor(world)
    other_union = make_user("union_official", region="31")
    jember = make_user("agency_officer", region="3509")
    assert selectors.vendor_list(user=other_union).count() == 0
    assert selectors.vendor_list(user=jember).count() == 0
    assert selectors.vendor_list(user=world.union).get() == v
    o = _order(world)
    assert selectors.order_list(user=jember).count() == 0
    with pytest.raises(NotFound):
        services.order_confirm(actor=jember, order=o)


def test_vendor_link_shows_only_its_own_orders(world):
    a, b = _vendor(world), _vendor(world)
    o = _order(world)
    off = services.order_confirm(actor=world.officer, order=o)
    mine = services.vendor_from_token(services.vendor_token(off.vendor))
    other = b if off.vendor_id == a.pk else a
    assert list(selectors.orders_of_vendor(mine)) == [o]
    assert list(selectors.orders_of_vendor(other)) == []  # merely proposed, never offered
    with pytest.raises(NotFound):
        services.offer_from_token(services.offer_token(off)[:-2] + "xx")


def test_whatsapp_number_and_quarters():
    assert services.whatsapp_number("0812-3456-7890") == "6281234567890"
    assert services.whatsapp_number("+62 812 345") == "62812345"
    assert rotation.quarter_bounds(dt.date(2021, 11, 5)) == (dt.date(2021, 10, 1), dt.date(2022, 1, 1))
    assert rotation.quarter_bounds(dt.date(2021, 2, 5)) == (dt.date(2021, 1, 1), dt.date(2021, 4, 1))


def test_planning_can_link_a_budget_line_and_read_the_realisation(world):
    _vendor(world)
    o = _order(world)
    services.order_budget_ref_set(actor=world.officer, order=o, budget_ref="PLAN-42")
    services.offer_respond(offer=services.order_confirm(actor=world.officer, order=o), accept=True)
    services.delivery_confirm(actor=world.officer, order=o, received={"lunch": 40})
    with clock.travel("2021-01-22"):
        services.invoice_pay(actor=world.officer, invoice=Order.objects.get(pk=o.pk).invoice)
    rows = selectors.budget_realisation(year=2021, agency_id=world.agency.pk)
    assert rows == [
        {
            "budget_line": "5.2.2.11.01 Belanja makanan dan minuman rapat",
            "budget_ref": "PLAN-42",
            "paid": Decimal(1600000),
            "orders": 1,
        }
    ]


def test_income_is_a_planning_indicator_by_region_and_union_body(world):
    from sinergi.planning.indicators import get as indicator_get

    _vendor(world)
    o = _order(world)
    services.offer_respond(offer=services.order_confirm(actor=world.officer, order=o), accept=True)
    services.delivery_confirm(actor=world.officer, order=o, received={"lunch": 40})
    with clock.travel("2021-03-22"):
        services.invoice_pay(actor=world.officer, invoice=Order.objects.get(pk=o.pk).invoice)
    income = indicator_get("eorder.income")
    (cell,) = income.cells(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert cell["value"] == Decimal(1600000) and cell["people"] == 1
    assert cell["union_body_id"] == world.body.pk
    assert cell["region_code"] == Order.objects.get(pk=o.pk).region_id[:6]
    assert income.cells(dt.date(2021, 1, 1), dt.date(2021, 3, 21)) == []  # paid after the window
