"""Worker card: a union official nominates members, an officer approves and prints their cards."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _in_the_2025_round():
    """A program closes at the end of its year (issue 10): this round is worked during 2025 (the
    live server runs in this process, so the one clock moves for it too)."""
    from sinergi.core import clock

    with clock.travel("2025-06-16"):
        yield


DOCS = ["ktp", "kk", "npwp", "payslip", "employment_letter"]


def test_a_union_official_nominates_members_an_officer_approves_and_prints_their_cards(
    demo_personas, logged_in_page, server_url, job_worker, tmp_path
):
    from sinergi.programs.models import Application, Card
    from tests.programs.factories import kpj_program, worker

    dpw = demo_personas.union_bodies["dpw_fspmi_dki"]
    program = kpj_program(year=2025, owner=demo_personas.orgs["disnakertrans_dki"])
    members = [worker(wage=Decimal(5_500_000), body=dpw, name=f"Anggota Uji {i}") for i in range(2)]
    worker(wage=Decimal(6_206_276), body=dpw, name="Anggota Upah Tinggi")  # above the 2025 ceiling
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned document")

    # The union official sees the ceiling in rupiah and nominates the eligible members.
    page = logged_in_page("serikat.fspmi")
    page.goto(server_url("programs:nominate", pk=program.pk))
    expect(page.get_by_text("Rp6.206.275")).to_be_visible()
    candidates = page.get_by_test_id("candidates")
    expect(candidates).not_to_contain_text("Anggota Upah Tinggi")
    for m in members:
        candidates.get_by_label(m.name).check()
    page.get_by_test_id("nominate-submit").click()
    expect(page.get_by_test_id("application-list")).to_contain_text(members[0].name)

    # ... and uploads each member's documents.
    for app in Application.objects.filter(program=program):
        page.goto(server_url("programs:application_detail", pk=app.pk))
        for kind in DOCS:
            page.locator("select[name=kind]").select_option(kind)
            page.locator("input[name=file]").set_input_files(str(scan))
            page.locator("form:has(input[name=file]) button[type=submit]").click()
        expect(page.get_by_test_id("documents").locator(".badge-warn")).to_have_count(0)

    # A first officer verifies.
    page.context.clear_cookies()
    page = logged_in_page("petugas.dki")
    for app in Application.objects.filter(program=program):
        page.goto(server_url("programs:application_detail", pk=app.pk))
        page.get_by_test_id("verify").click()
        expect(page.get_by_test_id("app-status")).to_have_attribute("data-status", "verified")
        expect(page.get_by_test_id("approve")).to_be_visible()
    # The verifier cannot approve their own verification.
    app = Application.objects.filter(program=program).first()
    page.goto(server_url("programs:application_detail", pk=app.pk))
    page.get_by_test_id("approve").click()
    expect(page.locator(".field-error")).to_be_visible()  # the refusal, drawn on the page
    assert Application.objects.filter(program=program, status="approved").count() == 0

    # A second officer approves both, issues the cards and prints them in the background.
    page.context.clear_cookies()
    page = logged_in_page("petugas2.dki")
    page.goto(server_url("programs:application_list") + f"?program={program.pk}&status=verified")
    page.locator("thead input[type=checkbox]").check()
    page.get_by_test_id("bulk-approve").click()
    expect(page.get_by_test_id("application-list")).to_contain_text(members[1].name)
    page.locator("thead input[type=checkbox]").check()
    page.get_by_test_id("bulk-issue").click()
    expect(page.get_by_test_id("card-list")).to_contain_text("KPJ2025-0000002")
    assert Card.objects.filter(program=program, status="active").count() == 2
    page.locator("thead input[type=checkbox]").check()
    page.get_by_test_id("print-selected").click()
    expect(page.get_by_test_id("job-result")).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        page.get_by_test_id("job-result").click()
    with open(info.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"
