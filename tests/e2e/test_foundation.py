"""Foundation scenarios: logging in, switching language, scoping of union pages, live job progress."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agency_officer_logs_in_switches_to_english_and_sees_their_regions_home_page(
    page, demo_personas, login_via_form, server_url
):
    login_via_form(page, "petugas.pekalongan", demo_personas.password)
    expect(page.locator("h1")).to_contain_text("Selamat datang, Nur")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.locator("button[data-lang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Welcome, Nur")
    lead = page.locator(".lead")
    expect(lead).to_contain_text("Dinas Perindustrian dan Tenaga Kerja Kota Pekalongan")
    expect(lead).to_contain_text("Pekalongan")

    # The choice persists: a new visit (and the next login) is still in English.
    page.goto(server_url("core:job_list"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    from sinergi.accounts.models import User

    assert User.objects.get(username="petugas.pekalongan").preferred_language == "en"
