"""Planning in the browser: a plan is drafted, reviewed by each P3KP member, approved by the agency head
and revised for COVID-19 refocusing (the protected line needs a second approver); then the leaders of
DKI, Jakarta Utara, Jember and Pekalongan open their dashboards."""

import types

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_plan_is_drafted_reviewed_by_the_p3kp_team_approved_and_revised_for_refocusing_with_direct_help_protected(
    demo_personas, logged_in_page, server_url
):
    from sinergi.planning import services
    from sinergi.planning.models import Plan

    users = demo_personas.users
    services.review_team_create(
        actor=users["petugas.dki"],
        organisation=demo_personas.orgs["disnakertrans_dki"],
        name="Tim P3KP",
        members=[users["petugas.dki"], users["serikat.fspmi"], users["bpjs.cilincing"]],
    )

    # 1. The officer drafts the plan with an activity, a target and two budget lines.
    page = logged_in_page("petugas.dki")
    page.goto(server_url("planning:new"))
    page.locator("input[name=title]").fill("Rencana Kerja 2021")
    page.locator("input[name=year]").fill("2021")
    page.locator("select[name=review_team]").select_option(label="Tim P3KP")
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("draf")
    form = page.get_by_test_id("activity-form")
    form.locator("input[name=program]").fill("Bantuan langsung pekerja")
    form.locator("input[name=name]").fill("Paket sembako")
    form.locator("input[name=responsible_unit]").fill("Bidang Kesejahteraan")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("activity")).to_have_count(1)
    page.get_by_text("Tambah target").click()
    target = page.get_by_test_id("target-form")
    target.locator("select[name=indicator]").select_option("programs.packages")
    for q, v in (("q1", "100"), ("q2", "200"), ("q3", "300"), ("q4", "400")):
        target.locator(f"input[name={q}]").fill(v)
    target.locator("button[type=submit]").click()
    for code, name, amount, protected in (
        ("5.1.02.03", "Paket sembako pekerja", "120.000.000", True),
        ("5.1.02.04", "Perjalanan dinas", "50.000.000", False),
    ):
        page.get_by_text("Tambah baris anggaran").click()
        line = page.get_by_test_id("line-form")
        line.locator("input[name=account_code]").fill(code)
        line.locator("input[name=sub_activity]").fill(name)
        line.locator("input[name=amount]").fill(amount)
        if protected:
            line.locator("input[name=protected]").check()
        line.locator("button[type=submit]").click()
    expect(page.get_by_test_id("plan-total")).to_have_text("Rp170.000.000")
    page.get_by_test_id("plan-submit").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("ditelaah tim")
    plan_url = page.url

    # 2. Each member of the P3KP team records a review.
    for member in ("serikat.fspmi", "bpjs.cilincing", "petugas.dki"):
        page = logged_in_page(member, path=plan_url.replace(server_url("/"), "/"))
        review = page.get_by_test_id("review-form")
        review.locator("select[name=verdict]").select_option("agree")
        review.locator("textarea[name=comment]").fill("Setuju.")
        review.locator("button[type=submit]").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("sudah ditelaah, menunggu pengesahan")
    expect(page.get_by_test_id("reviews").locator("tbody tr")).to_have_count(3)

    # 3. The agency head approves; the plan is in force as version 1.
    page = logged_in_page("kadis.dki", path=plan_url.replace(server_url("/"), "/"))
    page.get_by_test_id("plan-approve").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("berlaku")

    # 4. A second officer proposes the COVID-19 refocusing: travel cut, and the aid line cut as well.
    page = logged_in_page("petugas2.dki", path=plan_url.replace(server_url("/"), "/"))
    page.get_by_test_id("plan-revise").click()
    rev = page.get_by_test_id("revision-form")
    rev.locator("textarea[name=reason]").fill("Refocusing anggaran COVID-19")
    inputs = rev.locator("input[name^=line_]")
    inputs.nth(0).fill("100.000.000")
    inputs.nth(1).fill("10.000.000")
    rev.locator("button[type=submit]").click()
    expect(page.get_by_test_id("revisions")).to_contain_text("perlu dua persetujuan")

    # 5. The head approves once; the protected cut waits for a second, different approver.
    page = logged_in_page("kadis.dki", path=plan_url.replace(server_url("/"), "/"))
    page.get_by_test_id("revision-approve").click()
    expect(page.get_by_test_id("revision-status")).to_contain_text("menunggu persetujuan kedua")
    page.get_by_test_id("revision-approve").click()  # the same head again: refused
    expect(page.locator(".messages")).to_contain_text("persetujuan kedua yang berbeda")
    page = logged_in_page("admin", path=plan_url.replace(server_url("/"), "/"))
    page.get_by_test_id("revision-approve").click()
    expect(page.get_by_test_id("revision-status")).to_contain_text("diterapkan")
    expect(page.get_by_test_id("plan-total")).to_have_text("Rp110.000.000")

    # 6. The versions compare side by side.
    page.goto(plan_url + "compare/?a=1&b=2")
    table = page.get_by_test_id("compare")
    expect(table).to_contain_text("Rp120.000.000")
    expect(table).to_contain_text("Rp100.000.000")
    expect(table).to_contain_text("-Rp20.000.000")
    assert Plan.objects.get(title="Rencana Kerja 2021").version == 2


@pytest.mark.parametrize(
    "leader, region_name, plan_title",
    [
        ("pimpinan.dki", "DKI Jakarta", "Rencana Kerja Kesejahteraan Pekerja 2021"),
        ("pimpinan.jakut", "Jakarta Utara", "Rencana Kerja Kesejahteraan Pekerja 2020"),
        ("pimpinan.jember", "Jember", "Program Pokja Sektor Informal 2024"),
        ("pimpinan.pekalongan", "Pekalongan", "Perlindungan Jaminan Sosial Pekerja Rentan 2023"),
    ],
)
def test_a_leader_opens_the_dashboard_and_sees_targets_trends_and_absorption_for_their_region(
    demo_personas, logged_in_page, server_url, leader, region_name, plan_title
):
    from sinergi.planning import demo

    ctx = types.SimpleNamespace(users=demo_personas.users, orgs=demo_personas.orgs, say=lambda *a: None)
    demo.load(ctx)
    page = logged_in_page(leader, path="/reporting/")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text(region_name)
    expect(page.get_by_test_id("targets")).to_contain_text(plan_title)
    expect(page.locator(".plotly-graph-div").first).to_be_visible()
    expect(page.locator(".plotly-graph-div .legendtext").first).to_be_visible()
    expect(page.get_by_test_id("absorption").locator("tbody tr").first).to_be_visible()
    expect(page.get_by_test_id("budget")).to_contain_text("Rp")
