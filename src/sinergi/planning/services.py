"""Writes for plans: content while in draft, the P3KP review, approval, revisions, snapshots. Every write
is atomic and audited; workflow steps are guarded and leave an event row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, TypedDict

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role, can
from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_transition, audit_update, snapshot
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.planning import indicators
from sinergi.planning.models import (
    Activity,
    BudgetLine,
    Plan,
    PlanEvent,
    PlanReview,
    PlanVersion,
    ReviewTeam,
    Revision,
    Target,
)

if TYPE_CHECKING:
    from sinergi.accounts.models import User

PLAN_ORG_KINDS = ("agency", "ss_branch", "union", "sponsor")


class RevisionChanges(TypedDict):
    lines: dict[str, str]  # budget line id -> new amount
    targets: dict[str, list[str]]  # target id -> the four new quarter values


def _require_member(actor: User, organisation):
    if actor.role == Role.ADMIN or actor.is_superuser:
        return
    if not can(actor, "manage_plans") or actor.organisation_id != organisation.pk:
        raise NotAllowed(_("Only officers of the plan's organisation may change it."))


def _require_draft(plan: Plan):
    if plan.status != Plan.Status.DRAFT:
        raise Conflict(
            _("The plan is no longer a draft; changes after approval go through a revision."),
            code="plan_not_draft",
        )


def _event(plan, actor: User, from_status, to_status, note=""):
    PlanEvent.objects.create(
        plan=plan, from_status=from_status, to_status=to_status, actor=actor, note=note, at=clock.now()
    )
    audit_transition(actor=actor, obj=plan, from_status=from_status, to_status=to_status, note=note)


# --- teams -------------------------------------------------------------------------------------------


@transaction.atomic
def review_team_create(*, actor: User, organisation, name: str, decree: str = "", members=()) -> ReviewTeam:
    _require_member(actor, organisation)
    team, created = ReviewTeam.objects.get_or_create(
        organisation=organisation, name=name, defaults={"decree": decree}
    )
    if not created:
        raise Conflict(_("A team with this name already exists."), field="name")
    team.members.set(members)
    audit_create(actor=actor, obj=team)
    audit_record(actor=actor, action="update", obj=team, changes={"members": [m.pk for m in members]})
    return team


# --- plan content (draft only) -------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, actor: User, organisation, year: int, title: str, region=None, legal_basis: str = "", review_team=None
) -> Plan:
    _require_member(actor, organisation)
    if organisation.kind not in PLAN_ORG_KINDS:
        raise SinergiError(_("Plans belong to an agency, a branch, a union body or a sponsor."))
    region = region or organisation.region
    if not user_scope(actor).covers_region(region.code) and not user_scope(actor).is_union:
        raise NotAllowed(_("The region lies outside your area."), field="region")
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                organisation=organisation,
                region=region,
                year=year,
                title=title,
                legal_basis=legal_basis,
                review_team=review_team,
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict(
            _("This organisation already has a plan with this title for that year."), field="title"
        )
    audit_create(actor=actor, obj=plan)
    return plan


@transaction.atomic
def activity_add(*, actor: User, plan: Plan, program: str, name: str, responsible_unit: str) -> Activity:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_member(actor, plan.organisation)
    _require_draft(plan)
    activity = Activity.objects.create(
        plan=plan,
        program=program,
        name=name,
        responsible_unit=responsible_unit,
        order=plan.activities.count() + 1,
    )
    audit_create(actor=actor, obj=activity)
    return activity


def _check_quarters(quarters) -> list[Decimal]:
    values = [Decimal(q) for q in quarters]
    if any(v < 0 for v in values):
        raise SinergiError(_("Targets cannot be negative."), field="q1")
    if values != sorted(values):
        raise SinergiError(
            _("Targets count from 1 January, so each quarter's target is at least the previous one's."),
            field="q2",
        )
    return values


@transaction.atomic
def target_set(*, actor: User, activity: Activity, indicator: str, region, quarters) -> Target:
    plan = Plan.objects.select_for_update().get(pk=activity.plan_id)
    _require_member(actor, plan.organisation)
    _require_draft(plan)
    if indicators.get(indicator) is None:
        raise SinergiError(_("Unknown indicator."), field="indicator")
    if not region.code.startswith(plan.region_id) and not plan.region_id.startswith(region.code):
        raise SinergiError(_("The target's region must lie within the plan's region."), field="region")
    q1, q2, q3, q4 = _check_quarters(quarters)
    target, created = Target.objects.update_or_create(
        activity=activity,
        indicator=indicator,
        region=region,
        defaults={"q1": q1, "q2": q2, "q3": q3, "q4": q4},
    )
    audit_record(actor=actor, action="create" if created else "update", obj=target, changes=snapshot(target))
    return target


@transaction.atomic
def budget_line_add(
    *,
    actor: User,
    activity: Activity,
    account_code: str,
    sub_activity: str,
    amount,
    source: str,
    protected: bool = False,
    description: str = "",
    spend_indicator: str = "",
    unit_cost=None,
    scheme=None,
) -> BudgetLine:
    plan = Plan.objects.select_for_update().get(pk=activity.plan_id)
    _require_member(actor, plan.organisation)
    _require_draft(plan)
    amount = Decimal(amount)
    if amount < 0 or amount != amount.to_integral_value():
        raise SinergiError(_("Amounts are whole rupiah, zero or more."), field="amount")
    indicator = indicators.get(spend_indicator) if spend_indicator else None
    if spend_indicator and indicator is None:
        raise SinergiError(_("Unknown indicator."), field="spend_indicator")
    if indicator is not None and indicator.unit != "rupiah" and not unit_cost:
        raise SinergiError(_("A line realised through a count needs a unit cost."), field="unit_cost")
    line = BudgetLine.objects.create(
        activity=activity,
        account_code=account_code,
        sub_activity=sub_activity,
        description=description,
        amount=amount,
        source=source,
        protected=protected,
        spend_indicator=spend_indicator,
        unit_cost=unit_cost,
        scheme=scheme,
    )
    audit_create(actor=actor, obj=line)
    return line


@transaction.atomic
def budget_line_remove(*, actor: User, line: BudgetLine):
    plan = Plan.objects.select_for_update().get(pk=line.activity.plan_id)
    _require_member(actor, plan.organisation)
    _require_draft(plan)
    audit_record(actor=actor, action="delete", obj=line, changes={"before": snapshot(line)})
    line.delete()


# --- workflow ---------------------------------------------------------------------------------------------


@transaction.atomic
def plan_submit(*, actor: User, plan: Plan) -> Plan:
    """Draft → team review (a new review round)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_member(actor, plan.organisation)
    _require_draft(plan)
    if plan.review_team is None or not plan.review_team.members.exists():
        raise SinergiError(_("Choose a review team with members before submitting."), field="review_team")
    if not plan.activities.exists():
        raise SinergiError(_("A plan needs at least one activity."))
    plan.status, plan.review_round, plan.submitted_by = Plan.Status.REVIEW, plan.review_round + 1, actor
    plan.save(update_fields=["status", "review_round", "submitted_by", "updated_at"])
    _event(plan, actor, Plan.Status.DRAFT, Plan.Status.REVIEW)
    return plan


@transaction.atomic
def plan_review(*, actor: User, plan: Plan, verdict: str, comment: str = "") -> PlanReview:
    """One team member's review. Changes needed sends the plan back to draft; when every member agrees,
    the plan awaits the agency head's approval."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.REVIEW:
        raise Conflict(_("The plan is not in team review."), code="plan_not_in_review")
    if plan.review_team is None or not plan.review_team.members.filter(pk=actor.pk).exists():
        raise NotAllowed(_("Only members of the review team review the plan."))
    if verdict not in PlanReview.Verdict.values:
        raise SinergiError(_("Choose agree or changes needed."), field="verdict")
    if verdict == PlanReview.Verdict.CHANGES and not comment.strip():
        raise SinergiError(_("Say which changes are needed."), field="comment")
    try:
        with transaction.atomic():
            review = PlanReview.objects.create(
                plan=plan,
                round=plan.review_round,
                member=actor,
                verdict=verdict,
                comment=comment,
                at=clock.now(),
            )
    except IntegrityError:
        raise Conflict(_("You have already reviewed this round."), code="already_reviewed")
    audit_create(actor=actor, obj=plan, purpose=f"review {verdict}")
    if verdict == PlanReview.Verdict.CHANGES:
        plan.status = Plan.Status.DRAFT
        plan.save(update_fields=["status", "updated_at"])
        _event(plan, actor, Plan.Status.REVIEW, Plan.Status.DRAFT, comment)
    else:
        members = set(plan.review_team.members.values_list("pk", flat=True))
        agreed = set(
            plan.reviews.filter(round=plan.review_round, verdict=PlanReview.Verdict.AGREE).values_list(
                "member_id", flat=True
            )
        )
        if members <= agreed:
            plan.status = Plan.Status.REVIEWED
            plan.save(update_fields=["status", "updated_at"])
            _event(plan, actor, Plan.Status.REVIEW, Plan.Status.REVIEWED)
    return review


def plan_content(plan: Plan) -> dict:
    """Everything a version keeps: activities, targets and budget lines with their amounts."""
    activities = []
    for a in plan.activities.prefetch_related("targets", "budget_lines"):
        activities.append(
            {
                "id": a.pk,
                "program": a.program,
                "name": a.name,
                "responsible_unit": a.responsible_unit,
                "targets": [
                    {
                        "id": t.pk,
                        "indicator": t.indicator,
                        "region": t.region_id,
                        "quarters": [str(q) for q in t.quarters()],
                    }
                    for t in a.targets.all()
                ],
                "lines": [
                    {
                        "id": b.pk,
                        "account_code": b.account_code,
                        "sub_activity": b.sub_activity,
                        "source": b.source,
                        "amount": str(b.amount),
                        "protected": b.protected,
                    }
                    for b in a.budget_lines.all()
                ],
            }
        )
    return {"title": plan.title, "year": plan.year, "activities": activities}


def _new_version(plan: Plan, reason: str, effective_date: dt.date) -> PlanVersion:
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        content=plan_content(plan),
        reason=reason,
        effective_date=effective_date,
        created_at=clock.now(),
    )


def _require_approver(actor: User, plan: Plan):
    if not can(actor, "approve_plans"):
        raise NotAllowed(_("Only the agency head approves plans."))
    if actor.role != Role.ADMIN and not user_scope(actor).covers_region(plan.region_id):
        raise NotAllowed(_("The plan lies outside your area."))


@transaction.atomic
def plan_approve(*, actor: User, plan: Plan, note: str = "") -> Plan:
    """Reviewed → in force, by an agency head who neither drafted nor submitted it (maker-checker)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_approver(actor, plan)
    if plan.status != Plan.Status.REVIEWED:
        raise Conflict(_("Only a plan the whole team agreed to can be approved."), code="plan_not_reviewed")
    if actor.pk in (plan.created_by_id, plan.submitted_by_id):
        raise NotAllowed(_("The approver must not be the one who drafted or submitted the plan."))
    plan.status, plan.approved_by, plan.approved_at = Plan.Status.IN_FORCE, actor, clock.now()
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _event(plan, actor, Plan.Status.REVIEWED, Plan.Status.IN_FORCE, note)
    _new_version(plan, note or str(_("approved")), clock.today())
    return plan


@transaction.atomic
def plan_return(*, actor: User, plan: Plan, note: str) -> Plan:
    """The agency head sends a reviewed plan back to draft with a reason."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_approver(actor, plan)
    if plan.status != Plan.Status.REVIEWED:
        raise Conflict(_("Only a reviewed plan can be returned."))
    if not note.strip():
        raise SinergiError(_("Give the reason."), field="note")
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    _event(plan, actor, Plan.Status.REVIEWED, Plan.Status.DRAFT, note)
    return plan


# --- revisions -------------------------------------------------------------------------------------------


def _parse_amount(raw, field) -> Decimal:
    try:
        value = Decimal(str(raw).replace(".", "").replace(" ", "")) if isinstance(raw, str) else Decimal(raw)
    except (InvalidOperation, ValueError):
        raise SinergiError(_("Enter whole rupiah."), field=field)
    if value < 0 or value != value.to_integral_value():
        raise SinergiError(_("Amounts are whole rupiah, zero or more."), field=field)
    return value


@transaction.atomic
def revision_propose(
    *,
    actor: User,
    plan: Plan,
    reason: str,
    effective_date: dt.date,
    line_amounts: dict,
    target_quarters: dict | None = None,
) -> Revision:
    """Propose new amounts for budget lines ({line id: amount}) and targets ({target id: [q1..q4]})."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_member(actor, plan.organisation)
    if plan.status != Plan.Status.IN_FORCE:
        raise Conflict(_("Only a plan in force is revised; a draft is edited directly."))
    if not reason.strip():
        raise SinergiError(_("Give the reason for the revision."), field="reason")
    if plan.revisions.filter(status__in=[Revision.Status.PROPOSED, Revision.Status.FIRST_APPROVED]).exists():
        raise Conflict(_("Another revision of this plan is waiting for approval."), code="revision_pending")
    lines = {b.pk: b for b in BudgetLine.objects.filter(activity__plan=plan)}
    targets = {t.pk: t for t in Target.objects.filter(activity__plan=plan)}
    changes: RevisionChanges = {"lines": {}, "targets": {}}
    cuts_protected = False
    for line_id, raw in (line_amounts or {}).items():
        line = lines.get(int(line_id))
        if line is None:
            raise SinergiError(_("A budget line does not belong to this plan."))
        amount = _parse_amount(raw, f"line_{line_id}")
        if amount != line.amount:
            changes["lines"][str(line.pk)] = str(amount)
            cuts_protected |= line.protected and amount < line.amount
    for target_id, quarters in (target_quarters or {}).items():
        target = targets.get(int(target_id))
        if target is None:
            raise SinergiError(_("A target does not belong to this plan."))
        values = _check_quarters(quarters)
        if values != target.quarters():
            changes["targets"][str(target.pk)] = [str(v) for v in values]
    if not changes["lines"] and not changes["targets"]:
        raise SinergiError(_("The revision changes nothing."))
    revision = Revision.objects.create(
        plan=plan,
        reason=reason,
        effective_date=effective_date,
        changes=changes,
        cuts_protected=cuts_protected,
        proposed_by=actor,
    )
    audit_create(actor=actor, obj=revision)
    return revision


def _apply(revision: Revision):
    for line_id, amount in revision.changes.get("lines", {}).items():
        BudgetLine.objects.filter(pk=int(line_id), activity__plan=revision.plan).update(
            amount=Decimal(amount)
        )
    for target_id, quarters in revision.changes.get("targets", {}).items():
        q1, q2, q3, q4 = (Decimal(q) for q in quarters)
        Target.objects.filter(pk=int(target_id), activity__plan=revision.plan).update(
            q1=q1, q2=q2, q3=q3, q4=q4
        )
    revision.status = Revision.Status.APPLIED
    revision.decided_at = clock.now()
    revision.save(update_fields=["status", "decided_at", "updated_at"])
    _new_version(revision.plan, revision.reason, revision.effective_date)


@transaction.atomic
def revision_approve(*, actor: User, revision: Revision, note: str = "") -> Revision:
    """First approval (and the only one unless a protected line is cut), then the second approval by a
    different approver. Neither approver may be the proposer."""
    revision = Revision.objects.select_for_update().select_related("plan").get(pk=revision.pk)
    _require_approver(actor, revision.plan)
    if actor.pk == revision.proposed_by_id:
        raise NotAllowed(_("The approver must not be the one who proposed the revision."))
    before = snapshot(revision, ["status", "approved_by", "second_approved_by"])
    if revision.status == Revision.Status.PROPOSED:
        revision.approved_by = actor
        revision.decision_note = note
        if revision.cuts_protected:
            revision.status = Revision.Status.FIRST_APPROVED
            revision.save(update_fields=["approved_by", "status", "decision_note", "updated_at"])
        else:
            revision.save(update_fields=["approved_by", "decision_note", "updated_at"])
            _apply(revision)
    elif revision.status == Revision.Status.FIRST_APPROVED:
        if actor.pk == revision.approved_by_id:
            raise NotAllowed(
                _("This revision cuts direct help to workers: a second, different approver must confirm it.")
            )
        revision.second_approved_by = actor
        revision.save(update_fields=["second_approved_by", "updated_at"])
        _apply(revision)
    else:
        raise Conflict(_("The revision has already been decided."))
    audit_update(actor=actor, obj=revision, before=before, purpose=note)
    return revision


@transaction.atomic
def revision_reject(*, actor: User, revision: Revision, note: str) -> Revision:
    revision = Revision.objects.select_for_update().select_related("plan").get(pk=revision.pk)
    _require_approver(actor, revision.plan)
    if revision.status not in (Revision.Status.PROPOSED, Revision.Status.FIRST_APPROVED):
        raise Conflict(_("The revision has already been decided."))
    if not note.strip():
        raise SinergiError(_("Give the reason."), field="note")
    before = snapshot(revision, ["status"])
    revision.status, revision.decision_note, revision.decided_at = Revision.Status.REJECTED, note, clock.now()
    revision.save(update_fields=["status", "decision_note", "decided_at", "updated_at"])
    audit_update(actor=actor, obj=revision, before=before, purpose=note)
    return revision
