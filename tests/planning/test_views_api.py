"""Pages and API of planning and reporting: the workflow through HTTP, scoping, bad input, exports, PDF."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from sinergi.planning import services, snapshots
from sinergi.planning.models import Plan
from sinergi.regions.models import Region
from tests.factories import MembershipFactory, PersonFactory, UnionBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    officer = make_user("agency_officer", region="3172")
    org = officer.organisation
    head = make_user("agency_head", org=org)
    union = make_user("union_official", region="3172")
    leader = make_user("leadership_viewer", region="3172")
    outsider = make_user("leadership_viewer", region="3509")
    team = services.review_team_create(actor=officer, organisation=org, name="Tim P3KP", members=[union])
    return {
        "officer": officer,
        "head": head,
        "union": union,
        "leader": leader,
        "outsider": outsider,
        "team": team,
    }


def _client(client, user):
    client.force_login(user)
    return client


def test_a_plan_goes_through_the_pages(client, world):
    c = _client(client, world["officer"])
    r = c.post(
        "/planning/new/",
        {"title": "RKA 2024", "year": "2024", "region": "3172", "review_team": world["team"].pk},
    )
    plan = Plan.objects.get(title="RKA 2024")
    assert r.status_code == 302
    c.post(
        f"/planning/{plan.pk}/act/",
        {"action": "activity", "program": "KPJ", "name": "Kartu", "responsible_unit": "Seksi"},
    )
    act = plan.activities.get()
    c.post(
        f"/planning/{plan.pk}/act/",
        {
            "action": "target",
            "activity": act.pk,
            "indicator": "cards.issued",
            "region": "3172",
            "q1": 1,
            "q2": 2,
            "q3": 3,
            "q4": 4,
        },
    )
    r = c.post(
        f"/planning/{plan.pk}/act/",
        {
            "action": "line",
            "activity": act.pk,
            "account_code": "5.1",
            "sub_activity": "Cetak",
            "source": "APBD",
            "amount": "Rp1.500.000",
            "protected": "on",
        },
    )
    assert act.budget_lines.get().amount == 1_500_000
    # bad input: a message, nothing stored, no 500
    r = c.post(f"/planning/{plan.pk}/act/", {"action": "line", "activity": "abc", "amount": "lima juta"})
    assert r.status_code == 200 and act.budget_lines.count() == 1
    assert b'data-testid="action-errors"' in r.content
    r = c.post(
        f"/planning/{plan.pk}/act/",
        {
            "action": "line",
            "activity": act.pk,
            "account_code": "5.1",
            "sub_activity": "x",
            "source": "APBD",
            "amount": "lima juta",
        },
    )
    assert act.budget_lines.count() == 1
    c.post(f"/planning/{plan.pk}/act/", {"action": "submit"})
    plan.refresh_from_db()
    assert plan.status == "review"
    _client(client, world["union"]).post(
        f"/planning/{plan.pk}/act/", {"action": "review", "verdict": "agree"}
    )
    _client(client, world["head"]).post(f"/planning/{plan.pk}/act/", {"action": "approve", "note": "ok"})
    plan.refresh_from_db()
    assert plan.status == "in_force"
    c = _client(client, world["officer"])
    line = act.budget_lines.get()
    r = c.post(
        f"/planning/{plan.pk}/revise/",
        {"reason": "Refocusing", "effective_date": "2024-04-01", f"line_{line.pk}": "500.000"},
    )
    assert r.status_code == 302
    rev = plan.revisions.get()
    assert rev.cuts_protected
    c = _client(client, world["head"])
    c.post(f"/planning/revisions/{rev.pk}/decide/", {"decision": "approve"})
    c.post(f"/planning/revisions/{rev.pk}/decide/", {"decision": "approve"})  # same head again: refused
    rev.refresh_from_db()
    assert rev.status == "first_ok"
    assert c.get(f"/planning/{plan.pk}/").status_code == 200
    assert c.get(f"/planning/{plan.pk}/compare/?a=1&b=x").status_code == 200
    assert c.get(f"/planning/{plan.pk}/budget/").status_code == 200
    r = c.get(f"/planning/{plan.pk}/budget/?format=xlsx")
    assert load_workbook(io.BytesIO(r.content)).active.max_row == 2


def test_plans_are_scoped(client, world):
    plan = services.plan_create(
        actor=world["officer"],
        organisation=world["officer"].organisation,
        year=2024,
        title="RKA",
        region=Region.objects.get(code="3172"),
    )
    assert _client(client, world["leader"]).get(f"/planning/{plan.pk}/").status_code == 200
    assert _client(client, world["outsider"]).get(f"/planning/{plan.pk}/").status_code in (403, 404)
    r = _client(client, world["outsider"]).get("/api/v1/planning/plans")
    assert r.json()["count"] == 0
    r = _client(client, world["leader"]).get(f"/api/v1/planning/plans/{plan.pk}")
    assert r.status_code == 200 and r.json()["title"] == "RKA"


def test_dashboard_reads_frozen_and_live_figures_and_hides_small_cells(client, world):
    body = UnionBodyFactory(region_id="3172")
    for _ in range(7):
        MembershipFactory(person=PersonFactory(district="317205"), body=body)
    MembershipFactory(person=PersonFactory(district="317206"), body=body)
    plan = services.plan_create(
        actor=world["officer"],
        organisation=world["officer"].organisation,
        year=2024,
        title="RKA",
        region=Region.objects.get(code="3172"),
        review_team=world["team"],
    )
    act = services.activity_add(
        actor=world["officer"], plan=plan, program="P", name="A", responsible_unit="U"
    )
    services.target_set(
        actor=world["officer"],
        activity=act,
        indicator="coverage.gap",
        region=Region.objects.get(code="3172"),
        quarters=[10, 20, 30, 40],
    )
    services.plan_submit(actor=world["officer"], plan=plan)
    services.plan_review(actor=world["union"], plan=plan, verdict="agree")
    services.plan_approve(actor=world["head"], plan=plan)
    snapshots.freeze_due(today=dt.date(2024, 7, 1), back_to=dt.date(2024, 1, 1))
    snapshots.refresh_live(on=dt.date(2024, 7, 1))
    c = _client(client, world["leader"])
    r = c.get("/reporting/?region=3172&year=2024")
    html = r.content.decode()
    assert r.status_code == 200 and 'data-testid="targets"' in html
    r = c.get("/api/v1/reporting/dashboard?region=3172&year=2024")
    data = r.json()
    assert data["targets"][0]["achieved"] == "8" or float(data["targets"][0]["achieved"]) == 8
    assert data["targets"][0]["behind"] is True  # 8 < the time-proportional target on 1 July
    drill = {d["key"]: d["values"]["coverage.gap"] for d in data["drill"]}
    assert drill["317205"] == "7" and drill["317206"] is None  # one person: hidden from a leader
    # outside the scope the leader's own region is shown instead
    assert c.get("/api/v1/reporting/dashboard?region=3509&year=2024").json()["region"] == "3172"
    # bad parameters never break the page
    assert c.get("/reporting/?region=abc&year=zz&body=x&export=nope").status_code == 200
    r = c.get("/reporting/?region=3172&year=2024&export=drill")
    assert load_workbook(io.BytesIO(r.content)).active.max_row == 3
    r = c.get("/api/v1/planning/indicators?region=3172")
    gap = next(i for i in r.json() if i["key"] == "coverage.gap")
    assert float(gap["live"]) == 8 and float(gap["frozen"]) == 8


def test_the_monthly_report_job_produces_an_a4_pdf_and_mails_subscribers(client, world, mailoutbox):
    from sinergi.core.models import Job
    from sinergi.reporting.services import subscription_set

    world["leader"].email = "pimpinan@example.invalid"
    world["leader"].save()
    _client(client, world["leader"]).post("/reporting/subscribe/", {})  # no choice: nothing changes
    assert not world["leader"].report_subscriptions.exists()
    subscription_set(actor=world["leader"], region_code="3172", active=True)
    snapshots.refresh_live(on=dt.date(2024, 7, 1))
    from sinergi.reporting.tasks import report_start

    job = report_start(user=world["leader"], region="3172", month=dt.date(2024, 6, 1), mail=True)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded", job.messages
    pdf = job.result_file.read()
    assert pdf.startswith(b"%PDF")
    from sinergi.reporting.tasks import report_document

    doc = report_document(user=world["leader"], region="3172", month=dt.date(2024, 6, 1))
    assert (
        round(doc.pages[0].width * 0.75) == 595 and round(doc.pages[0].height * 0.75) == 842
    )  # A4 in points
    assert len(mailoutbox) == 1 and mailoutbox[0].attachments[0][2] == "application/pdf"


def test_what_if_costs_the_rest_of_the_year_at_dated_rates(client, world):
    from decimal import Decimal

    from sinergi.coverage.models import Scheme
    from sinergi.planning.selectors import what_if
    from sinergi.rules.contributions import package_monthly

    scheme = Scheme(name="S", year=2024, target=10, budget=0, region_id="3375", include_jht=False)
    r = what_if(scheme=scheme, people=3, from_month=dt.date(2024, 10, 15))
    assert [m for m, _a in r["months"]] == [dt.date(2024, 10, 1), dt.date(2024, 11, 1), dt.date(2024, 12, 1)]
    assert r["total"] == 3 * sum((package_monthly(dt.date(2024, m, 1)) for m in (10, 11, 12)), Decimal(0))
