"""Every parameter of the e-order pages is parsed by a form: a bad value is a message on its field (in
Indonesian), the typed input stays in the form, nothing changes, and never a server error."""

import pytest
from django.urls import reverse

from sinergi.eorder import services
from sinergi.eorder.models import CatalogueItem, Offer, Order, Vendor
from tests.eorder.factories import approved_vendor

pytestmark = pytest.mark.django_db


def _vendor(world, **kw):
    return approved_vendor(
        union=world.union, checker=world.officer, approver=world.second, body=world.body, **kw
    )


def _order(client, world):
    client.force_login(world.officer)
    r = client.post(
        reverse("eorder:order_new"),
        {
            "unit": "Bidang Pelatihan",
            "activity": "Pelatihan K3",
            "region": "31",
            "deliver_at": "2021-01-20T12:00",
            "place": "PPKD",
            "budget_line": "5.1.02.01.01.0052",
            "lunch": "25",
            "snack": "25",
            "drink": "0",
        },
    )
    assert r.status_code == 302
    return Order.objects.get()


def test_the_signed_offer_page_answers_a_bad_answer_on_the_page_for_a_logged_out_vendor(client, world):
    _vendor(world)
    order = _order(client, world)
    client.post(reverse("eorder:order_action", args=[order.pk]), {"action": "confirm"})
    offer = Offer.objects.get(status="offered")
    client.logout()
    url = reverse("eorder:offer", args=[services.offer_token(offer)])
    r = client.post(url, {"answer": "mungkin", "reason": "dapur sedang penuh"})
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-testid="answer-errors"' in page and "Pilih terima atau tolak." in page
    assert "dapur sedang penuh" in page  # the typed reason is kept
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OFFERED
    r = client.post(url, {"reason": "x" * 301, "answer": "decline"})
    assert r.status_code == 200 and Offer.objects.get(pk=offer.pk).status == Offer.Status.OFFERED
    # the good path, still logged out
    r = client.post(url, {"answer": "decline", "reason": "dapur sedang penuh"})
    assert r.status_code == 302
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DECLINED


def test_vendor_actions_put_bad_values_on_their_fields(client, world):
    vendor = _vendor(world)
    other = _vendor(world)
    foreign = other.items.first()
    client.force_login(world.union)
    url = reverse("eorder:vendor_action", args=[vendor.pk])
    r = client.post(url, {"action": "hapus_semua"})
    assert r.status_code == 400 and "Tindakan tidak dikenal." in r.content.decode()
    assert 'data-testid="action-errors"' in r.content.decode()
    # letters where a price goes: on the price field, the typed name kept, nothing stored
    before = CatalogueItem.objects.count()
    r = client.post(
        url,
        {
            "action": "item",
            "kind": "lunch",
            "name": "Nasi liwet",
            "portion": "1 kotak",
            "price": "empat puluh",
        },
    )
    assert r.status_code == 200 and CatalogueItem.objects.count() == before
    page = r.content.decode()
    assert "Masukkan angka." in page and 'value="Nasi liwet"' in page
    # an item of another vendor: refused on the field, the item stays in its catalogue
    r = client.post(url, {"action": "withdraw", "item": foreign.pk})
    assert r.status_code == 200 and 'data-testid="withdraw-errors"' in r.content.decode()
    assert CatalogueItem.objects.get(pk=foreign.pk).active
    r = client.post(url, {"action": "withdraw", "item": "satu"})
    assert r.status_code == 200 and 'data-testid="withdraw-errors"' in r.content.decode()
    # a bad permit date
    r = client.post(
        url,
        {"action": "permits", "pirt_number": "P-IRT 9", "pirt_expires": "besok", "halal_number": "H9",
         "halal_expires": "2031-01-01"},
    )  # fmt: skip
    assert r.status_code == 200 and Vendor.objects.get(pk=vendor.pk).pirt_number != "P-IRT 9"
    assert 'value="P-IRT 9"' in r.content.decode()
    # the good path
    mine = vendor.items.first()
    assert client.post(url, {"action": "withdraw", "item": mine.pk}).status_code == 302
    assert not CatalogueItem.objects.get(pk=mine.pk).active


def test_order_actions_put_bad_values_on_their_fields(client, world):
    _vendor(world)
    order = _order(client, world)
    url = reverse("eorder:order_action", args=[order.pk])
    r = client.post(url, {"action": "hapus"})
    assert r.status_code == 400 and 'data-testid="action-errors"' in r.content.decode()
    # accepted: letters where a count of portions goes
    client.post(url, {"action": "confirm"})
    services.offer_respond(offer=Offer.objects.get(status="offered"), accept=True, reason="")
    r = client.post(url, {"action": "deliver", "lunch": "dua puluh", "snack": "20"})
    assert r.status_code == 200 and Order.objects.get().status == Order.Status.ACCEPTED
    assert "Masukkan bilangan bulat." in r.content.decode() and 'value="dua puluh"' in r.content.decode()
    # through to an invoice, then a bad rating and a bad payment date
    assert client.post(url, {"action": "deliver", "lunch": "25", "snack": "25"}).status_code == 302
    assert Order.objects.get().status == Order.Status.INVOICED
    r = client.post(url, {"action": "rate", "rating": "9", "note": "enak sekali"})
    assert r.status_code == 200 and "enak sekali" in r.content.decode()
    r = client.post(url, {"action": "pay", "paid_on": "kemarin", "reference": "SP2D-77"})
    assert r.status_code == 200 and "SP2D-77" in r.content.decode()
    assert "Isi tanggal yang sah." in r.content.decode()
    assert Order.objects.get().status == Order.Status.INVOICED
    assert client.post(url, {"action": "pay", "paid_on": "2021-01-04"}).status_code == 302
    assert Order.objects.get().status == Order.Status.PAID


def test_cancel_needs_a_reason_on_its_field(client, world):
    _vendor(world)
    order = _order(client, world)
    url = reverse("eorder:order_action", args=[order.pk])
    r = client.post(url, {"action": "cancel", "reason": ""})
    assert r.status_code == 200 and Order.objects.get().status == Order.Status.DRAFT
    assert client.post(url, {"action": "cancel", "reason": "Acara batal"}).status_code == 302
    assert Order.objects.get().status == Order.Status.CANCELLED


def test_list_filters_are_typed_and_a_bad_one_is_shown_on_its_field(client, world):
    _vendor(world)
    _order(client, world)
    r = client.get(reverse("eorder:order_list") + "?year=abc&unit=Pelatihan")
    assert r.status_code == 200
    page = r.content.decode()
    assert "Masukkan bilangan bulat." in page and 'value="abc"' in page
    assert "Pelatihan K3" in page  # the valid filter still applies
    r = client.get(reverse("eorder:order_list") + "?year=1999")
    assert r.status_code == 200 and "2000" in r.content.decode()
    r = client.get(reverse("eorder:order_list") + "?year=2020")
    assert "Pelatihan K3" not in r.content.decode()
    r = client.get(reverse("eorder:vendor_list") + "?status=sembarang")
    assert r.status_code == 200 and "sembarang bukan salah satu" in r.content.decode()


def test_the_report_year_is_typed_and_a_bad_one_is_shown_on_its_field(client, world):
    client.force_login(world.union)
    r = client.get(reverse("eorder:reports") + "?year=abc")
    assert r.status_code == 200
    assert "Masukkan bilangan bulat." in r.content.decode() and 'value="abc"' in r.content.decode()
    r = client.get(reverse("eorder:reports") + "?year=2021")
    assert r.status_code == 200 and "Masukkan bilangan bulat." not in r.content.decode()
