"""A plan goes draft → P3KP team review (each member's review kept) → approval by the agency head →
in force; revisions keep history; cutting a protected line needs two approvers."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.planning import services
from sinergi.planning.models import Plan, PlanVersion, Revision
from sinergi.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    officer = make_user("agency_officer", region="31")
    org = officer.organisation
    head = make_user("agency_head", org=org)
    head2 = make_user("agency_head", org=org)
    union = make_user("union_official", region="31")
    bpjs = make_user("ss_officer", region="31")
    team = services.review_team_create(
        actor=officer, organisation=org, name="Tim P3KP", members=[officer, union, bpjs]
    )
    return {
        "officer": officer,
        "head": head,
        "head2": head2,
        "union": union,
        "bpjs": bpjs,
        "team": team,
        "org": org,
    }


def _plan(people):
    plan = services.plan_create(
        actor=people["officer"],
        organisation=people["org"],
        year=2021,
        title="RKA 2021",
        region=Region.objects.get(code="31"),
        review_team=people["team"],
    )
    act = services.activity_add(
        actor=people["officer"], plan=plan, program="KPJ", name="Kartu", responsible_unit="Bidang"
    )
    services.target_set(
        actor=people["officer"],
        activity=act,
        indicator="cards.issued",
        region=Region.objects.get(code="31"),
        quarters=[5000, 10000, 15000, 20000],
    )
    help_line = services.budget_line_add(
        actor=people["officer"],
        activity=act,
        account_code="5.1.02",
        sub_activity="Paket",
        amount=1_000_000,
        source="APBD",
        protected=True,
    )
    travel = services.budget_line_add(
        actor=people["officer"],
        activity=act,
        account_code="5.1.03",
        sub_activity="Perjalanan",
        amount=500_000,
        source="APBD",
    )
    return plan, help_line, travel


def _in_force(people):
    plan, help_line, travel = _plan(people)
    services.plan_submit(actor=people["officer"], plan=plan)
    for who in ("officer", "union", "bpjs"):
        services.plan_review(actor=people[who], plan=plan, verdict="agree")
    services.plan_approve(actor=people["head"], plan=plan)
    plan.refresh_from_db()
    return plan, help_line, travel


def test_every_member_reviews_before_the_head_approves(people):
    plan, *_ = _plan(people)
    services.plan_submit(actor=people["officer"], plan=plan)
    services.plan_review(actor=people["union"], plan=plan, verdict="agree", comment="ok")
    with pytest.raises(Conflict):
        services.plan_approve(actor=people["head"], plan=plan)
    with pytest.raises(Conflict):
        services.plan_review(actor=people["union"], plan=plan, verdict="agree")
    with pytest.raises(NotAllowed):
        services.plan_review(actor=people["head"], plan=plan, verdict="agree")
    services.plan_review(actor=people["bpjs"], plan=plan, verdict="agree")
    services.plan_review(actor=people["officer"], plan=plan, verdict="agree")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.REVIEWED
    assert plan.reviews.count() == 3
    with pytest.raises(NotAllowed):
        services.plan_approve(actor=people["officer"], plan=plan)
    services.plan_approve(actor=people["head"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_FORCE and plan.version == 1
    assert plan.versions.get().content["activities"][0]["lines"][0]["amount"] == "1000000"


def test_changes_needed_sends_the_plan_back_and_a_new_round_starts(people):
    plan, *_ = _plan(people)
    services.plan_submit(actor=people["officer"], plan=plan)
    with pytest.raises(SinergiError):
        services.plan_review(actor=people["union"], plan=plan, verdict="changes", comment="")
    services.plan_review(actor=people["union"], plan=plan, verdict="changes", comment="Tambah paket")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    services.plan_submit(actor=people["officer"], plan=plan)
    plan.refresh_from_db()
    assert plan.review_round == 2
    services.plan_review(actor=people["union"], plan=plan, verdict="agree")
    assert plan.reviews.count() == 2  # round 1's review is kept


def test_an_approved_plan_is_changed_only_by_revision(people):
    plan, help_line, travel = _in_force(people)
    with pytest.raises(Conflict):
        services.budget_line_add(
            actor=people["officer"],
            activity=plan.activities.get(),
            account_code="x",
            sub_activity="y",
            amount=1,
            source="APBD",
        )
    rev = services.revision_propose(
        actor=people["officer"],
        plan=plan,
        reason="Refocusing COVID-19",
        effective_date=dt.date(2021, 4, 1),
        line_amounts={travel.pk: 100_000},
    )
    assert not rev.cuts_protected
    with pytest.raises(NotAllowed):
        services.revision_approve(actor=people["officer"], revision=rev)
    services.revision_approve(actor=people["head"], revision=rev)
    travel.refresh_from_db()
    assert travel.amount == Decimal(100_000)
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]


def test_cutting_a_protected_line_needs_a_second_different_approver(people):
    plan, help_line, travel = _in_force(people)
    rev = services.revision_propose(
        actor=people["officer"],
        plan=plan,
        reason="Refocusing",
        effective_date=dt.date(2021, 4, 1),
        line_amounts={help_line.pk: 400_000},
    )
    assert rev.cuts_protected
    rev = services.revision_approve(actor=people["head"], revision=rev)
    assert rev.status == Revision.Status.FIRST_APPROVED
    help_line.refresh_from_db()
    assert help_line.amount == Decimal(1_000_000)  # not cut yet
    with pytest.raises(NotAllowed):
        services.revision_approve(actor=people["head"], revision=rev)
    rev = services.revision_approve(actor=people["head2"], revision=rev)
    assert rev.status == Revision.Status.APPLIED
    help_line.refresh_from_db()
    assert help_line.amount == Decimal(400_000)


def test_raising_a_protected_line_needs_one_approval(people):
    plan, help_line, _travel = _in_force(people)
    rev = services.revision_propose(
        actor=people["officer"],
        plan=plan,
        reason="Tambah",
        effective_date=dt.date(2021, 4, 1),
        line_amounts={help_line.pk: "1.500.000"},
    )
    assert not rev.cuts_protected
    assert services.revision_approve(actor=people["head"], revision=rev).status == Revision.Status.APPLIED


def test_targets_must_not_fall_between_quarters(people):
    plan, *_ = _plan(people)
    with pytest.raises(SinergiError):
        services.target_set(
            actor=people["officer"],
            activity=plan.activities.get(),
            indicator="cards.issued",
            region=Region.objects.get(code="31"),
            quarters=[10, 5, 20, 30],
        )
    with pytest.raises(SinergiError):
        services.target_set(
            actor=people["officer"],
            activity=plan.activities.get(),
            indicator="nope",
            region=Region.objects.get(code="31"),
            quarters=[1, 2, 3, 4],
        )


def test_an_outsider_cannot_change_a_plan(people, make_user):
    plan, *_ = _plan(people)
    other = make_user("agency_officer", region="35")
    with pytest.raises(NotAllowed):
        services.activity_add(actor=other, plan=plan, program="x", name="y", responsible_unit="z")
