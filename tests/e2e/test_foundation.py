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


def test_a_union_official_cannot_open_another_unions_page(page, demo_personas, logged_in_page, server_url):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("registry:union_body_detail", kwargs={"pk": 1})
    except NoReverseMatch:
        pytest.skip("registry:union_body_detail does not exist yet (registry builds it)")
    own = demo_personas.union_bodies["pc_kerahbiru_jember"]
    foreign = demo_personas.union_bodies["dpw_fspmi_dki"]
    logged_in_page("serikat.kerahbiru", language="en")

    response = page.goto(server_url("registry:union_body_detail", pk=own.pk))
    assert response.status == 200
    expect(page.locator("main")).to_contain_text(own.name)

    response = page.goto(server_url("registry:union_body_detail", pk=foreign.pk))
    assert response.status in (403, 404)
    expect(page.locator("main")).not_to_contain_text(foreign.name)
    expect(page.locator("main")).to_contain_text("outside your scope")


def test_a_job_started_from_the_ui_shows_progress_until_it_finishes(
    page, demo_personas, logged_in_page, job_worker, monkeypatch
):
    import io
    import time

    from sinergi.core import jobs, tasks
    from sinergi.core.models import AuditEntry, Job

    admin = demo_personas.users["admin"]
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_label=f"petugas{i}", action="update", object_type="registry.person", object_id=str(i)
        )
        for i in range(60)
    )
    # Slow the real job down (5 rows a step, a pause per step) so a person can watch it move.
    monkeypatch.setattr(tasks, "AUDIT_EXPORT_CHUNK", 5)
    real_advance = jobs.Progress.advance

    def slow_advance(self, done=1, failed=0):
        time.sleep(0.3)
        return real_advance(self, done, failed)

    monkeypatch.setattr(jobs.Progress, "advance", slow_advance)

    logged_in_page(admin, language="en", path="/audit/")
    page.locator("[data-testid=audit-export] input[name=purpose]").fill("quarterly review")
    page.locator("[data-testid=audit-export] button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Audit log export")

    seen = []
    deadline = time.monotonic() + 60
    progress = page.locator("#job-progress")
    while time.monotonic() < deadline:
        status = progress.get_attribute("data-status")
        seen.append((status, int(page.locator("#job-progress progress").get_attribute("value"))))
        if status in ("succeeded", "failed"):
            break
        page.wait_for_timeout(200)
    moving = [v for s, v in seen if s == "running" and 0 < v < 100]
    assert moving, f"the bar never showed a value between 0 and 100: {seen}"
    assert len({v for _s, v in seen}) >= 3, f"the bar did not move: {seen}"
    expect(page.get_by_test_id("job-status")).to_have_text("finished")
    expect(page.get_by_test_id("job-counts")).to_contain_text("100%")

    with page.expect_download() as download_info:
        page.get_by_test_id("job-result").click()
    download = download_info.value
    assert download.suggested_filename.startswith("audit-log-") and download.suggested_filename.endswith(
        ".xlsx"
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    assert sheet.max_row - 1 == Job.objects.get(kind="core.audit_export").done >= 60
    assert AuditEntry.objects.filter(
        action="export", object_type="core.job", purpose="quarterly review"
    ).exists()
