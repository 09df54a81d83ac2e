"""Browser scenario for aspirations (issue #7): an obstacle reported by a union is routed, escalates when
overdue, is answered by the agency head, and the union rates the answer."""

import datetime as dt

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_union_official_reports_a_bureaucratic_obstacle_it_is_routed_escalates_when_overdue_is_answered_and_rated(
    demo_personas, logged_in_page, server_url
):
    from sinergi.aspirations.models import AgendaItem, Aspiration
    from tests.aspirations.conftest import ensure_seeded

    ensure_seeded()

    # the union official files the obstacle
    page = logged_in_page("serikat.fspmi")
    page.goto(server_url("aspirations:new"))
    page.locator("#id_title").fill("Rekomendasi koperasi tertahan di kelurahan Koja")
    page.locator("#id_category").select_option("bureaucracy")
    page.locator("#id_region").select_option("3172")
    page.locator("#id_description").fill("Sudah tiga minggu surat rekomendasi belum terbit.")
    page.get_by_test_id("aspiration-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_text("diteruskan")
    expect(page.get_by_test_id("assigned")).to_contain_text("Disnakertrans dan Energi DKI")
    code = page.get_by_test_id("tracking-code").inner_text()
    aspiration = Aspiration.objects.get(tracking_code=code)

    # the public tracking page shows the status for the code, and nothing for a guessed one
    page.goto(server_url("aspirations:track") + f"?code={code}")
    expect(page.get_by_test_id("track-status")).to_have_text("diteruskan")
    expect(page.locator("body")).not_to_contain_text("Rekomendasi koperasi")
    page.goto(server_url("aspirations:track") + "?code=ABCDEFGHJKMN")
    expect(page.get_by_test_id("track-none")).to_be_visible()

    # nobody answers in time: the daily escalation job runs the day after the deadline
    call_command(
        "sinergi_escalate", "--now", "--today", (aspiration.answer_due + dt.timedelta(days=1)).isoformat()
    )
    assert AgendaItem.objects.filter(
        aspiration=aspiration, body__short_name="LKS Tripartit Jakarta Utara"
    ).exists()

    # the agency head sees the escalation in the bell, opens the case and answers it
    head = logged_in_page("kadis.dki")
    head.goto(server_url("aspirations:list"))
    expect(head.get_by_test_id("bell-count")).not_to_have_text("0")
    head.goto(server_url("aspirations:notifications"))
    head.get_by_test_id("notification-list").get_by_role("link", name=code).first.click()
    expect(head.get_by_test_id("escalated")).to_be_visible()
    head.get_by_test_id("answer-text").fill("Lurah Koja menerbitkan rekomendasi hari ini.")
    head.get_by_test_id("answer-submit").click()
    expect(head.get_by_test_id("status")).to_have_text("dijawab")

    # the union official closes the case and rates the answer
    page = logged_in_page("serikat.fspmi")
    page.goto(server_url("aspirations:detail", pk=aspiration.pk))
    expect(page.get_by_test_id("answer")).to_contain_text("Lurah Koja")
    page.get_by_test_id("close-form").locator("select[name=rating]").select_option("5")
    page.get_by_test_id("close-form").locator("input[name=comment]").fill("Terima kasih, cepat.")
    page.get_by_test_id("close-submit").click()
    expect(page.get_by_test_id("status")).to_have_text("ditutup")
    expect(page.get_by_test_id("rating")).to_contain_text("5/5")
    kinds = list(aspiration.events.values_list("kind", flat=True))
    assert kinds == ["received", "assigned", "escalated", "agenda", "answered", "closed", "rated"]
