"""Every parameter of the planning pages is parsed by a form: a bad value is a message on its field (in
Indonesian) with the typed input kept, nothing changes, and never a server error."""

import datetime as dt

import pytest

from sinergi.planning import services
from sinergi.planning.models import BudgetLine, Revision, Target
from sinergi.regions.models import Region
from tests.planning.test_workflow import _in_force, _plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    """The same people as tests/planning/test_workflow.py (its `_plan` and `_in_force` need them)."""
    officer = make_user("agency_officer", region="31")
    org = officer.organisation
    union = make_user("union_official", region="31")
    bpjs = make_user("ss_officer", region="31")
    team = services.review_team_create(
        actor=officer, organisation=org, name="Tim P3KP", members=[officer, union, bpjs]
    )
    return {
        "officer": officer,
        "head": make_user("agency_head", org=org),
        "union": union,
        "bpjs": bpjs,
        "team": team,
        "org": org,
    }


def _act(client, plan, **data):
    return client.post(f"/planning/{plan.pk}/act/", data)


def test_a_bad_target_is_shown_on_its_field_with_the_typed_values_kept(client, people):
    plan, _help, _travel = _plan(people)
    act = plan.activities.get()
    client.force_login(people["officer"])
    before = Target.objects.count()
    r = _act(
        client, plan, action="target", activity=act.pk, indicator="cards.issued", region="31",
        q1="seribu", q2="2000", q3="3000", q4="4000",
    )  # fmt: skip
    assert r.status_code == 200 and Target.objects.count() == before
    page = r.content.decode()
    assert "Masukkan bilangan bulat." in page and 'value="seribu"' in page and 'value="3000"' in page
    assert "<details open>" in page  # the form with the message is open where the person typed


def test_a_bad_amount_stays_in_the_budget_line_form(client, people):
    plan, _help, _travel = _plan(people)
    act = plan.activities.get()
    client.force_login(people["officer"])
    r = _act(
        client, plan, action="line", activity=act.pk, account_code="5.1.09", sub_activity="Konsumsi",
        source="APBD", amount="lima juta",
    )  # fmt: skip
    assert r.status_code == 200 and not BudgetLine.objects.filter(account_code="5.1.09").exists()
    page = r.content.decode()
    assert "Isi rupiah bulat, misalnya 1.500.000." in page and 'value="Konsumsi"' in page


def test_ids_outside_the_plan_and_unknown_actions_are_refused_on_the_page(client, people):
    plan, help_line, _travel = _plan(people)
    other = services.plan_create(
        actor=people["officer"], organisation=people["org"], year=2021, title="RKA lain",
        region=Region.objects.get(code="31"),
    )  # fmt: skip
    other_act = services.activity_add(
        actor=people["officer"], plan=other, program="KPJ", name="Lain", responsible_unit="Bidang"
    )
    other_line = services.budget_line_add(
        actor=people["officer"], activity=other_act, account_code="5.2", sub_activity="Lain", amount=1000,
        source="APBD",
    )  # fmt: skip
    client.force_login(people["officer"])
    # a budget line of another plan: not removed, the message on the page
    r = _act(client, plan, action="remove_line", line=other_line.pk)
    assert r.status_code == 200 and BudgetLine.objects.filter(pk=other_line.pk).exists()
    assert 'data-testid="action-errors"' in r.content.decode()
    r = _act(client, plan, action="remove_line", line="satu")
    assert r.status_code == 200 and 'data-testid="action-errors"' in r.content.decode()
    # an activity of another plan
    r = _act(
        client, plan, action="line", activity=other.activities.get().pk, account_code="9", sub_activity="x",
        source="APBD", amount="1000",
    )  # fmt: skip
    assert r.status_code == 200 and not BudgetLine.objects.filter(account_code="9").exists()
    r = _act(client, plan, action="hapus_semua")
    assert r.status_code == 400 and "Tindakan tidak dikenal." in r.content.decode()
    assert BudgetLine.objects.filter(activity__plan=plan).count() == 2
    # the good path
    assert _act(client, plan, action="remove_line", line=help_line.pk).status_code == 302
    assert not BudgetLine.objects.filter(pk=help_line.pk).exists()


def test_a_revision_decision_must_be_approve_or_reject(client, people):
    plan, _help, travel = _in_force(people)
    rev = services.revision_propose(
        actor=people["officer"],
        plan=plan,
        reason="Refocusing",
        effective_date=dt.date(2021, 4, 1),
        line_amounts={travel.pk: 100_000},
    )
    client.force_login(people["head"])
    r = client.post(f"/planning/revisions/{rev.pk}/decide/", {"decision": "mungkin", "note": "cek"})
    assert r.status_code == 400 and "Tindakan tidak dikenal." in r.content.decode()
    assert Revision.objects.get(pk=rev.pk).status == Revision.Status.PROPOSED
    r = client.post(f"/planning/revisions/{rev.pk}/decide/", {"decision": "reject", "note": "tidak"})
    assert r.status_code == 302 and Revision.objects.get(pk=rev.pk).status == Revision.Status.REJECTED


def test_filters_and_formats_are_typed_and_shown_on_their_fields(client, people):
    plan, _help, _travel = _in_force(people)
    client.force_login(people["officer"])
    r = client.get("/planning/?year=abc")
    assert r.status_code == 200 and "Masukkan bilangan bulat." in r.content.decode()
    assert 'value="abc"' in r.content.decode()
    r = client.get("/planning/?year=1899")
    assert r.status_code == 200 and "2000" in r.content.decode()
    r = client.get(f"/planning/{plan.pk}/compare/?a=7&b=1")
    assert r.status_code == 200 and "Rencana ini tidak punya versi 7." in r.content.decode()
    r = client.get(f"/planning/{plan.pk}/budget/?format=pdf")
    assert r.status_code == 200 and "Hanya ekspor XLSX" in r.content.decode()
    r = client.get("/planning/indicators/?region=abc&format=xlsx")
    assert r.status_code == 200 and "Kode wilayah" in r.content.decode()
