"""Participations: enrolment, wage reports, ending one (or all of a person's, after a life event) and
the change of employer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.core.audit import audit_create, audit_record, audit_transition, audit_update, snapshot
from sinergi.core.errors import Conflict, SinergiError
from sinergi.coverage.facts import in_force_q
from sinergi.coverage.models import (
    Contribution,
    Participation,
    PayerKind,
    Segment,
    WageReport,
)
from sinergi.coverage.pricing import quote
from sinergi.coverage.services.common import scope_check_region
from sinergi.coverage.services.payments import bill_totals_refresh

if TYPE_CHECKING:
    from sinergi.accounts.models import User


@transaction.atomic
def participation_enrol(
    *,
    actor: User,
    person,
    segment: str,
    start_date: dt.date,
    wage,
    payer_kind: str | None = None,
    employer=None,
    sponsor_organisation=None,
    programmes=("JKK", "JKM"),
    participant_number: str = "",
    pmi_contract_months: int | None = None,
    status: str = Participation.Status.ACTIVE,
) -> Participation:
    require(actor, "manage_coverage")
    scope_check_region(actor, person.domicile_region_id)
    segment = (segment or "").upper()
    if segment not in Segment.values:
        raise SinergiError(_("Choose PU, BPU or PMI."), code="unknown_segment", field="segment")
    month = start_date.replace(day=1)
    # Validate through the rules so a participation can always be billed.
    quote(
        segment=segment,
        month=month,
        wage=wage,
        risk_class=employer.jkk_risk_class if employer else None,
        industry=(employer.labour_intensive_industry if employer else "") or "",
        programmes=programmes,
        contract_months=pmi_contract_months,
    )
    if segment == Segment.PU and employer is None:
        raise SinergiError(_("A wage earner needs an employer."), code="employer_required", field="employer")
    payer_kind = _payer_kind(payer_kind, employer=employer, sponsor_organisation=sponsor_organisation)
    progs = {p.upper() for p in programmes}
    _enrol_conflicts(
        person=person, segment=segment, start_date=start_date, participant_number=participant_number
    )
    part = Participation.objects.create(
        person=person,
        segment=segment,
        jkk=True,
        jkm=True,
        jht="JHT" in progs,
        jp="JP" in progs,
        payer_kind=payer_kind,
        employer=employer,
        sponsor_organisation=sponsor_organisation,
        region_id=(employer.region_id if employer and segment == Segment.PU else person.domicile_region_id),
        participant_number=participant_number,
        start_date=start_date,
        status=status,
        risk_class=employer.jkk_risk_class if employer else 1,
        labour_intensive_industry=(employer.labour_intensive_industry if employer else "") or "",
        pmi_contract_months=pmi_contract_months,
        wage=Decimal(wage or 0),
    )
    WageReport.objects.create(participation=part, amount=part.wage, valid_from=start_date, reported_by=actor)
    audit_create(actor=actor, obj=part)
    return part


def _payer_kind(payer_kind: str | None, *, employer, sponsor_organisation) -> str:
    """Who pays: as given, else the employer, else the sponsor, else the worker."""
    if payer_kind is None:
        payer_kind = (
            PayerKind.EMPLOYER
            if employer
            else (PayerKind.SPONSOR if sponsor_organisation else PayerKind.SELF)
        )
    if payer_kind == PayerKind.SPONSOR and sponsor_organisation is None:
        raise SinergiError(_("Choose the sponsor."), code="sponsor_required", field="sponsor_organisation")
    return payer_kind


def _enrol_conflicts(*, person, segment: str, start_date: dt.date, participant_number: str) -> None:
    """Refuse a participant number already used, or a second cover in the same segment."""
    if participant_number and Participation.objects.filter(participant_number=participant_number).exists():
        raise Conflict(_("This participant number is already used."), field="participant_number")
    if (
        Participation.objects.filter(person=person, segment=segment)
        .filter(in_force_q(start_date) | Q(status=Participation.Status.PENDING))
        .exists()
    ):
        raise Conflict(_("This person already has coverage in this segment."), code="already_covered")


@transaction.atomic
def wage_report(*, actor: User, participation: Participation, amount, valid_from: dt.date) -> WageReport:
    """Report a new wage (PU) or declared income (BPU) from `valid_from`; history is kept."""
    require(actor, "manage_coverage")
    scope_check_region(actor, participation.region_id)
    quote(
        segment=participation.segment,
        month=valid_from.replace(day=1),
        wage=amount,
        risk_class=participation.risk_class,
        programmes=participation.programmes,
        contract_months=participation.pmi_contract_months,
    )
    if valid_from < participation.start_date:
        raise SinergiError(_("The date is before the participation started."), field="valid_from")
    if WageReport.objects.filter(participation=participation, valid_from__gte=valid_from).exists():
        raise Conflict(_("A wage from this date or later is already reported."), field="valid_from")
    before = snapshot(participation, ["wage"])
    WageReport.objects.filter(participation=participation, valid_to__isnull=True).update(
        valid_to=valid_from - dt.timedelta(days=1)
    )
    report = WageReport.objects.create(
        participation=participation, amount=Decimal(amount), valid_from=valid_from, reported_by=actor
    )
    participation.wage = Decimal(amount)
    participation.save(update_fields=["wage", "updated_at"])
    audit_update(actor=actor, obj=participation, before=before, purpose=f"wage from {valid_from}")
    return report


@transaction.atomic
def participation_end(
    *, actor: User, participation: Participation, end_date: dt.date, reason: str = ""
) -> Participation:
    require(actor, "manage_coverage")
    scope_check_region(actor, participation.region_id)
    if participation.status == Participation.Status.ENDED:
        raise Conflict(_("This participation has already ended."))
    if end_date < participation.start_date:
        raise SinergiError(_("The end date is before the start date."), field="end_date")
    old = participation.status
    participation.end_date = end_date
    participation.status = Participation.Status.ENDED
    participation.save(update_fields=["end_date", "status", "updated_at"])
    audit_transition(actor=actor, obj=participation, from_status=old, to_status="ended", note=reason)
    return participation


LIVE_STATUSES = ("pending", "active", "arrears", "lapsed")


def participations_end_for_person(
    *, actor: User, person, end_date: dt.date, employer=None, reason: str = ""
) -> dict:
    """End a person's participations on `end_date` (only those paid by `employer`, if given): the
    consequence of a death, a PHK, a retirement or a change of employer. Called by the life-event
    services, which check permission and scope.

    Months after the end are no longer billed: unpaid contribution rows for months that begin after
    `end_date` are withdrawn from their bills and those bills recomputed; arrears for earlier months
    stay due. Idempotent: a participation already ended on or before `end_date` is left alone.
    Returns {"ended": [ids], "withdrawn": n}."""
    with transaction.atomic():
        qs = Participation.objects.select_for_update().filter(person=person, status__in=LIVE_STATUSES)
        if employer is not None:
            qs = qs.filter(employer=employer)
        ended = []
        for part in qs:
            old = part.status
            part.end_date = max(end_date, part.start_date) if part.status != "pending" else end_date
            part.status = Participation.Status.ENDED
            part.save(update_fields=["end_date", "status", "updated_at"])
            audit_transition(actor=actor, obj=part, from_status=old, to_status="ended", note=reason[:300])
            ended.append(part.pk)
        # also catch participations ended earlier with a later end date (e.g. a sponsored year's end)
        later = Participation.objects.filter(person=person, status="ended", end_date__gt=end_date)
        if employer is not None:
            later = later.filter(employer=employer)
        for part in later.select_for_update():
            before = snapshot(part, ["end_date"])
            part.end_date = max(end_date, part.start_date)
            part.save(update_fields=["end_date", "updated_at"])
            audit_update(actor=actor, obj=part, before=before, purpose=reason[:300] or "end date")
            ended.append(part.pk)
        first_unbillable = (end_date.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        after = Contribution.objects.filter(
            participation__person=person, month__gte=first_unbillable, paid=False
        )
        if employer is not None:
            after = after.filter(participation__employer=employer)
        bill_ids = list(after.values_list("bill_id", flat=True))
        withdrawn = after.count()
        if withdrawn:
            audit_record(
                actor=actor,
                action="delete",
                object_type="coverage.contribution",
                object_repr=f"{person} after {end_date}",
                changes={"withdrawn": withdrawn, "from_month": first_unbillable.isoformat()},
                purpose=reason[:300],
            )
            after.delete()
            bill_totals_refresh(bill_ids)
    return {"ended": ended, "withdrawn": withdrawn}


def participation_transfer(
    *, actor: User, person, old_employer, new_employer, on: dt.date, wage=None
) -> Participation | None:
    """Change of employer: the wage-earner participation paid by `old_employer` ends the day before
    `on`; a new one paid by `new_employer` starts on `on` with the same participant number and
    programmes (the number stays with the worker). Returns the new participation (None if the person
    had no participation with the old employer)."""
    with transaction.atomic():
        old = (
            Participation.objects.select_for_update()
            .filter(person=person, employer=old_employer, status__in=LIVE_STATUSES, segment=Segment.PU)
            .order_by("-start_date")
            .first()
        )
        if old is None:
            return None
        existing = Participation.objects.filter(
            person=person, employer=new_employer, segment=Segment.PU, start_date=on
        ).first()
        if existing is not None:  # idempotent: already transferred
            return existing
        participations_end_for_person(
            actor=actor,
            person=person,
            end_date=on - dt.timedelta(days=1),
            employer=old_employer,
            reason="change of employer",
        )
        amount = Decimal(wage) if wage is not None else old.wage
        new = Participation.objects.create(
            person=person,
            segment=Segment.PU,
            jkk=True,
            jkm=True,
            jht=old.jht,
            jp=old.jp,
            payer_kind=PayerKind.EMPLOYER,
            employer=new_employer,
            region_id=new_employer.region_id,
            participant_number=old.participant_number,
            start_date=on,
            status=Participation.Status.ACTIVE if old.participant_number else Participation.Status.PENDING,
            risk_class=new_employer.jkk_risk_class or 1,
            labour_intensive_industry=new_employer.labour_intensive_industry or "",
            prior_contribution_months=old.prior_contribution_months,
            wage=amount,
        )
        WageReport.objects.create(participation=new, amount=amount, valid_from=on, reported_by=actor)
        audit_create(actor=actor, obj=new, purpose=f"change of employer from {old_employer}")
    return new
