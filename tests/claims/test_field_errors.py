"""Issue #15 leftover in claims: list filters, the quote, every claim action and the calculator are
parsed by forms; a bad value is named on its field (Indonesian), the input is kept, nothing changes.
The recorded quote wage is masked on the claim page unless revealed through the audited reveal."""

import pytest
from django.urls import reverse

from sinergi.claims.models import Claim
from sinergi.core.models import AuditEntry
from tests.claims.test_views import _case
from tests.claims.test_views import officers as officers  # noqa: PLC0414  (the same fixture)

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def errors(html: str, name: str) -> str:
    marker = f'data-testid="{name}-errors"'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</ul>", 1)[0]


def test_claim_list_filters_are_typed(client, officers):
    client.force_login(officers[0])
    r = client.get(reverse("claims:claim_list"), {"status": "bribed", "overdue": "yes"}, **ID)
    assert r.status_code == 200 and errors(r.content.decode(), "filter")
    r = client.get(reverse("claims:claim_list"), {"status": "submitted", "overdue": "1"})
    assert r.status_code == 200 and not errors(r.content.decode(), "filter")


JKK = {"kind": "death", "accident_date": "2024-05-01", "claim_date": "2024-06-01"}


def test_a_quote_wage_in_words_is_a_field_error_and_is_kept(client, officers):
    case, _family = _case(officers[0], benefits=("JKK",))
    claim = case.claims.get()
    client.force_login(officers[0])
    r = client.post(reverse("claims:claim_quote", args=[claim.pk]), {**JKK, "wage": "lima juta"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200 and errors(html, "wage") and 'value="lima juta"' in html
    claim.refresh_from_db()
    assert not claim.quote


def test_the_recorded_quote_wage_is_masked_unless_revealed_with_a_purpose(client, officers):
    case, _family = _case(officers[0], benefits=("JKK",))
    claim = case.claims.get()
    client.force_login(officers[0])
    r = client.post(reverse("claims:claim_quote", args=[claim.pk]), {**JKK, "wage": "7654321"})
    assert r.status_code == 302, r.content.decode()[:3000]
    claim.refresh_from_db()
    assert claim.quote and str(claim.quote_inputs.get("wage")).startswith("7654321")
    url = reverse("claims:claim_detail", args=[claim.pk])
    page = client.get(url).content.decode()
    assert 'value="7654321' not in page and 'data-testid="wage-reveal"' in page
    # blank keeps the recorded wage: the quote is computed again without retyping it
    r = client.post(reverse("claims:claim_quote", args=[claim.pk]), {**JKK, "wage": ""})
    assert r.status_code == 302
    page = client.post(url, {"wage_purpose": "cek perhitungan JKK"}).content.decode()
    assert 'value="7654321' in page
    assert AuditEntry.objects.filter(action="reveal", purpose="cek perhitungan JKK").exists()


def test_a_decision_or_payment_on_a_claim_not_ready_is_explained_above_the_page(client, officers):
    case, _family = _case(officers[0])
    claim = case.claims.get()
    client.force_login(officers[1])
    r = client.post(reverse("claims:claim_decide", args=[claim.pk]), {"decision": "maybe"}, **ID)
    assert r.status_code == 200 and errors(r.content.decode(), "action")
    r = client.post(reverse("claims:claim_pay", args=[claim.pk]), {"paid_on": "kemarin"}, **ID)
    assert r.status_code == 200 and "tanggal" in errors(r.content.decode(), "action").lower()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_an_heir_not_chosen_is_named_on_the_heir_form(client, officers):
    case, _family = _case(officers[0])
    claim = case.claims.get()
    client.force_login(officers[0])
    r = client.post(
        reverse("claims:claim_heir", args=[claim.pk]), {"heir": "abc", "reason": "anak sulung"}, **ID
    )
    html = r.content.decode()
    assert r.status_code == 200 and errors(html, "heir") and "anak sulung" in html


def test_calculator_inputs_are_named_on_their_fields(client, officers):
    client.force_login(officers[0])
    url = reverse("claims:calculator")
    r = client.post(url, {"benefit": "JKP", "wage": "abc", "claim_date": "2025-04-01"}, **ID)
    html = r.content.decode()
    assert r.status_code == 400 and errors(html, "wage") and 'value="abc"' in html
    r = client.post(
        url,
        {"benefit": "BEASISWA", "event": "JKM", "event_date": "kemarin", "contribution_months": "x"},
        **ID,
    )
    html = r.content.decode()
    assert r.status_code == 400 and errors(html, "event_date") and errors(html, "contribution_months")
    r = client.post(
        url,
        {
            "benefit": "BEASISWA",
            "event": "JKM",
            "event_date": "2024-05-01",
            "child0_name": "Sari",
            "child0_grade": "tiga",
        },
        **ID,
    )
    html = r.content.decode()
    assert r.status_code == 400 and errors(html, "child0") and 'value="Sari"' in html
    assert errors(client.get(url, {"benefit": "XYZ"}, **ID).content.decode(), "benefit")
