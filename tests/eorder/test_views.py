import datetime as dt

import pytest
from django.urls import reverse

from sinergi.core import clock
from sinergi.eorder import services
from sinergi.eorder.models import Offer, Order, Vendor
from tests.eorder.factories import approved_vendor, graduate

pytestmark = pytest.mark.django_db


def _vendor(world):
    return approved_vendor(union=world.union, checker=world.officer, approver=world.second, body=world.body)


def _post_order(client, **over):
    data = {
        "unit": "Bidang Pelatihan",
        "activity": "Pelatihan K3",
        "region": "31",
        "deliver_at": "2021-01-20T12:00",
        "place": "PPKD",
        "budget_line": "5.1.02.01.01.0052",
        "lunch": "25",
        "snack": "25",
        "drink": "0",
    }
    data.update(over)
    return client.post(reverse("eorder:order_new"), data)


def test_an_officer_orders_the_vendor_answers_on_the_signed_page_and_the_invoice_is_paid(client, world):
    _vendor(world)
    client.force_login(world.officer)
    r = _post_order(client)
    assert r.status_code == 302
    order = Order.objects.get()
    page = client.get(r["Location"])
    assert b"Income this quarter" in page.content or b"Pendapatan" in page.content
    client.post(reverse("eorder:order_action", args=[order.pk]), {"action": "confirm"})
    offer = Offer.objects.get(status="offered")
    page = client.get(reverse("eorder:order_detail", args=[order.pk]))
    assert b"wa.me/6281234567890" in page.content
    client.logout()
    url = reverse("eorder:offer", args=[services.offer_token(offer)])
    phone = client.get(url)
    assert phone.status_code == 200 and b'name="viewport"' in phone.content
    client.post(url, {"answer": "accept"})
    assert Order.objects.get().status == Order.Status.ACCEPTED
    assert client.get(reverse("eorder:offer", args=["forged"])).status_code == 404
    client.force_login(world.officer)
    client.post(
        reverse("eorder:order_action", args=[order.pk]),
        {"action": "deliver", "lunch": "25", "snack": "20", "complaint": "5 kue kurang"},
    )
    assert Order.objects.get().status == Order.Status.INVOICED
    pdf = client.get(reverse("eorder:invoice_pdf", args=[order.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with clock.travel("2021-01-25"):
        client.post(
            reverse("eorder:order_action", args=[order.pk]), {"action": "pay", "paid_on": "2021-01-25"}
        )
    assert Order.objects.get().status == Order.Status.PAID
    client.force_login(world.union)
    report = client.get(reverse("eorder:reports") + "?year=2021")
    assert b"1.300.000" in report.content  # 25 x 40.000 + 20 x 15.000
    xlsx = client.get(reverse("eorder:reports_export") + "?year=2021")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_bad_input_gets_messages_not_errors(client, world):
    client.force_login(world.officer)
    r = _post_order(client, lunch="lima", deliver_at="kemarin")
    assert r.status_code == 200 and not Order.objects.exists()
    r = _post_order(client, lunch="0", snack="0")
    assert r.status_code == 200
    assert client.get(reverse("eorder:reports") + "?year=abc").status_code == 200
    assert client.get(reverse("eorder:reports_export") + "?year=abc").status_code == 400
    assert client.post(reverse("eorder:order_action", args=[999]), {"action": "confirm"}).status_code == 404
    r = client.post(reverse("eorder:vendor_new"), {"nik": "123"})
    assert r.status_code == 200


def test_registration_page_and_membership_confirmation(client, world):
    person = graduate(world.body)
    client.force_login(world.union)
    r = client.post(
        reverse("eorder:vendor_new"),
        {
            "nik": person.nik,
            "business_name": "Dapur Metal",
            "kind": "catering",
            "address": "Jl. Uji",
            "delivery_area": "Jakarta Utara",
            "capacity_per_day": "150",
            "bank_name": "Bank DKI",
            "bank_account": "1234-5678-90",
            "account_holder": person.name,
            "nib": "9876543210123",
            "pirt_number": "P-IRT 1",
            "pirt_expires": "2030-01-01",
            "halal_number": "H1",
            "halal_expires": "2030-01-01",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    v = Vendor.objects.get()
    page = client.get(reverse("eorder:vendor_detail", args=[v.pk]))
    assert b"1234567890" not in page.content and b"******7890" in page.content
    client.post(reverse("eorder:vendor_action", args=[v.pk]), {"action": "confirm"})
    assert Vendor.objects.get().status == Vendor.Status.MEMBER_CONFIRMED


def test_api_lists_only_scoped_orders_and_the_vendor_token_answers(client, world, make_user):
    _vendor(world)
    client.force_login(world.officer)
    r = client.post(
        "/api/v1/eorder/orders",
        {
            "unit": "Sekretariat",
            "activity": "Rapat",
            "region": "31",
            "deliver_at": "2021-01-20T12:00:00+07:00",
            "place": "Aula",
            "budget_line": "5.1",
            "lunch": 10,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["proposals"][0]["reason"]
    client.post(f"/api/v1/eorder/orders/{pk}/confirm")
    offer = Offer.objects.get(status="offered")
    client.force_login(make_user("agency_officer", region="3509"))
    assert client.get("/api/v1/eorder/orders").json()["count"] == 0
    assert client.get(f"/api/v1/eorder/orders/{pk}").status_code == 404
    client.logout()
    r = client.post(
        f"/api/v1/eorder/offers/{services.offer_token(offer)}/answer",
        {"accept": True},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    mine = client.get(f"/api/v1/eorder/vendor/{services.vendor_token(offer.vendor)}/orders").json()
    assert [o["id"] for o in mine] == [pk]
    assert dt.date(2021, 1, 20).isoformat() in mine[0]["deliver_at"]


def test_list_filters_ignore_nonsense(client, world):
    client.force_login(world.officer)
    for url in ("eorder:order_list", "eorder:vendor_list"):
        assert client.get(reverse(url) + "?year=abc&status=zz%00&page=x&q=%00&unit=%00").status_code == 200
