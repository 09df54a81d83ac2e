"""E-order: an agency officer orders lunch, the vendor accepts on a phone, the delivery is counted, the
invoice is paid, and the income shows in the union's report."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _approved_vendor(world):
    from sinergi.core import clock
    from sinergi.eorder import services
    from sinergi.eorder.models import CatalogueItem, PriceCeiling
    from sinergi.programs.models import Cohort, Course, Enrolment, Program
    from tests.factories import MembershipFactory, PersonFactory

    union, officer, second = (world.users[u] for u in ("serikat.fspmi", "petugas.dki", "petugas2.dki"))
    agency = world.orgs["disnakertrans_dki"]
    program = Program.objects.create(
        code="JPE2E", name="Jakpreneur", kind=Program.Kind.TRAINING, owner=agency, region_id="31",
        legal_basis="Jakpreneur", year=2020, start_date=dt.date(2020, 1, 1), end_date=dt.date(2020, 12, 31),
    )  # fmt: skip
    course = Course.objects.create(program=program, track="jakpreneur", level=2, name="E-order")
    cohort = Cohort.objects.create(
        course=course,
        name="E-order I",
        region_id="3172",
        start_date=dt.date(2020, 9, 7),
        end_date=dt.date(2020, 9, 9),
    )
    person = PersonFactory(name="Siti Aminah", district="317205", phone="081298765432")
    MembershipFactory(person=person, body=world.union_bodies["dpw_fspmi_dki"])
    Enrolment.objects.create(
        cohort=cohort,
        person=person,
        status="completed",
        completed_on=dt.date(2020, 9, 9),
        certificate_number="JP-2-E2E",
    )
    vendor = services.vendor_register(
        actor=union, person=person, agency=agency, business_name="Dapur Bu Siti", kind="catering",
        address="Jl. Metal 1", delivery_area="Jakarta Utara", capacity_per_day=150, bank_name="Bank DKI",
        bank_account="4010001234", account_holder="Siti Aminah", nib="9120001000001", pirt_number="P-IRT 1",
        pirt_expires=dt.date(2035, 1, 1), halal_number="ID311100001", halal_expires=dt.date(2035, 1, 1),
    )  # fmt: skip
    services.vendor_confirm_member(actor=union, vendor=vendor)
    services.vendor_check(actor=officer, vendor=vendor)
    services.vendor_approve(actor=second, vendor=vendor)
    CatalogueItem.objects.create(
        vendor=vendor, kind="lunch", name="Nasi kotak", portion="1 kotak", price=Decimal(40000)
    )
    year = clock.today().year
    for y in (year, year + 1):
        PriceCeiling.objects.create(
            agency=agency, kind="lunch", year=y, max_price=Decimal(50000), decree="Kepgub SSH", set_by=officer
        )
    return vendor


def test_an_officer_orders_a_vendor_accepts_on_a_phone_and_the_paid_income_reaches_the_union_report(
    demo_personas, logged_in_page, server_url
):
    from sinergi.core import clock
    from sinergi.eorder.models import Order

    _approved_vendor(demo_personas)
    page = logged_in_page("petugas.dki")
    page.goto(server_url("eorder:order_new"))
    when = clock.today() + dt.timedelta(days=3)
    page.locator("input[name=unit]").fill("Bidang Hubungan Industrial")
    page.locator("input[name=activity]").fill("Rapat LKS Tripartit")
    page.locator("select[name=region]").select_option("31")
    page.locator("input[name=deliver_at]").fill(f"{when.isoformat()}T12:00")
    page.locator("input[name=place]").fill("Aula Disnakertrans")
    page.locator("input[name=budget_line]").fill("5.1.02.01.01.0052 Belanja makan minum rapat")
    page.locator("input[name=lunch]").fill("30")
    page.get_by_test_id("order-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("proposals")).to_contain_text("Dapur Bu Siti")
    page.get_by_test_id("confirm").click()
    link = page.get_by_test_id("offer-link").input_value()
    assert "/eorder/v/" in link

    # the vendor, on a phone, without a login
    phone_context = page.context.browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
    phone = phone_context.new_page()
    phone.goto(link)
    accept = phone.get_by_test_id("accept")
    expect(accept).to_be_visible()
    box = accept.bounding_box()
    assert box["width"] <= PHONE["width"]  # fits the phone screen, no sideways scrolling
    accept.click()
    expect(phone.get_by_test_id("accept")).to_have_count(0)  # answered: the buttons are gone
    phone_context.close()
    order = Order.objects.get()
    assert order.status == Order.Status.ACCEPTED and order.total == Decimal(1200000)

    # delivery counted, invoice paid
    page.goto(server_url("eorder:order_detail", pk=order.pk))
    form = page.get_by_test_id("delivery-form")
    form.locator("input[name=lunch]").fill("30")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("invoice-pdf")).to_be_visible()
    page.get_by_test_id("pay-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("payment")).to_be_visible()
    assert Order.objects.get().status == Order.Status.PAID

    # the union's report
    union_page = logged_in_page("serikat.fspmi", path=f"/eorder/reports/?year={clock.today().year}")
    expect(union_page.get_by_test_id("income-by-vendor")).to_contain_text("Dapur Bu Siti")
    expect(union_page.get_by_test_id("income-by-vendor")).to_contain_text("1.200.000")
