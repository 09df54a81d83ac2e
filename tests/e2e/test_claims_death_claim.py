"""Claims scenario: verify, approve by a second officer, pay once, download the decision letter."""

import datetime as dt

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _death_claim_with_documents(verifier):
    from sinergi.claims import selectors, services
    from tests.claims.factories import pdf, we6_family

    person, _family = we6_family(district="317204")
    case = services.case_open(
        actor=verifier, person=person, event_type="death", event_date=dt.date(2024, 5, 1), benefits=["JKM"]
    )
    claim = services.claim_quote(actor=verifier, claim=case.claims.get())
    for code in selectors.missing_documents(claim):
        services.claim_document_add(actor=verifier, claim=claim, doc_type=code, upload=pdf(f"{code}.pdf"))
    return claim


def test_a_social_security_officer_verifies_a_death_claim_a_second_officer_approves_it_the_payment_is_recorded_once_and_the_decision_letter_downloads(
    demo_personas, logged_in_page, server_url
):
    verifier = demo_personas.users["bpjs.cilincing"]
    claim = _death_claim_with_documents(verifier)

    page = logged_in_page(verifier, language="en", path=f"/claims/{claim.pk}/")
    expect(page.get_by_test_id("claim-status")).to_have_text("submitted")
    expect(page.get_by_test_id("quote-total")).to_have_text("Rp42.000.000")
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("verified")
    expect(page.get_by_test_id("decide-blocked")).to_be_visible()  # the verifier cannot approve

    page.context.clear_cookies()
    page = logged_in_page("bpjs2.cilincing", language="en", path=f"/claims/{claim.pk}/")
    page.get_by_test_id("decide-form").locator("select[name=decision]").select_option("approve")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("approved")

    form = page.get_by_test_id("instruction-form")
    form.locator("input[name=bank_name]").fill("Bank DKI")
    form.locator("input[name=bank_account]").fill("1234567890")
    page.get_by_test_id("instruction").click()
    expect(page.get_by_test_id("masked-account")).to_have_text("******7890")

    page.get_by_test_id("pay").dblclick()  # a double click still pays once
    expect(page.get_by_test_id("claim-status")).to_have_text("paid")
    expect(page.get_by_test_id("payment")).to_contain_text("Rp42.000.000")
    expect(page.get_by_test_id("pay")).to_have_count(0)

    from sinergi.claims.models import Payment

    assert Payment.objects.filter(claim_id=claim.pk).count() == 1

    with page.expect_download() as info:
        page.get_by_test_id("letter").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
