"""Enrolment into a scheme: candidates selected (from the registry or the coverage gap), the list
decided by a second officer (maker-checker), BPJS participant numbers imported."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_transition
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.coverage.models import (
    Candidate,
    CandidateBatch,
    Participation,
    PayerKind,
    Scheme,
    Segment,
    WageReport,
)
from sinergi.coverage.selectors import scheme_counts, scheme_eligible_people
from sinergi.coverage.services.common import ImportErrors, map_columns, read_table, scope_check_region
from sinergi.coverage.services.schemes import closed_year_error, scheme_close_if_over
from sinergi.rules import contributions as rules

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def candidates_select(
    *,
    actor: User,
    scheme: Scheme,
    limit: int | None = None,
    person_ids=None,
    on=None,
    source: str = "registry",
) -> CandidateBatch:
    """Select, rank and list the next candidates (up to the remaining quota) in one draft batch.
    Nothing is selected in a closed budget year (the scheme is closed on first use after it)."""
    require(actor, "manage_schemes")
    scope_check_region(actor, scheme.region_id)
    scheme_close_if_over(scheme=scheme, actor=actor)
    return _candidates_select(
        actor=actor, scheme=scheme, limit=limit, person_ids=person_ids, on=on, source=source
    )


@transaction.atomic
def _candidates_select(*, actor: User, scheme: Scheme, limit, person_ids, on, source) -> CandidateBatch:
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != Scheme.Status.OPEN:
        if scheme.year_over(clock.today()):
            raise closed_year_error(scheme)
        raise Conflict(_("This scheme is closed."))
    on = on or clock.today()
    remaining = scheme_counts(scheme)["remaining"]
    if limit is not None:
        remaining = min(remaining, int(limit))
    if remaining <= 0:
        raise Conflict(_("The scheme's target is already reached."), code="quota_full")
    qs = scheme_eligible_people(scheme, on)
    if person_ids is not None:
        qs = qs.filter(pk__in=list(person_ids))
    quotas = dict(scheme.quotas.values_list("region_id", "quota"))
    chosen: list[int] = []
    if quotas:
        taken = dict.fromkeys(quotas, 0)
        for row in (
            Participation.objects.filter(scheme=scheme)
            .exclude(status="ended")
            .values_list("person__domicile_region_id", flat=True)
        ):
            for code in quotas:
                if row.startswith(code):
                    taken[code] += 1
        for code, quota in quotas.items():
            room = quota - taken[code]
            if room > 0:
                chosen.extend(
                    qs.filter(domicile_region__code__startswith=code).values_list("pk", flat=True)[:room]
                )
        order = {pk: i for i, pk in enumerate(qs.filter(pk__in=chosen).values_list("pk", flat=True))}
        chosen = sorted(chosen, key=lambda pk: order.get(pk, len(order)))[:remaining]
    else:
        chosen = list(qs.values_list("pk", flat=True)[:remaining])
    if not chosen:
        raise SinergiError(_("No eligible people were found in the registry."), code="no_candidates")
    batch = CandidateBatch.objects.create(scheme=scheme, selected_by=actor, source=source)
    Candidate.objects.bulk_create(
        [Candidate(batch=batch, scheme=scheme, person_id=pk, rank=i) for i, pk in enumerate(chosen, start=1)],
        batch_size=1000,
    )
    audit_create(actor=actor, obj=batch, purpose=f"{len(chosen)} candidates selected")
    return batch


def batch_decide(
    *, actor: User, batch: CandidateBatch, approve: bool, note: str = "", start_date=None
) -> CandidateBatch:
    """Approve or reject a candidate list. Maker-checker: the approver is not the selector.
    Approval creates the sponsored participations (pending until BPJS returns participant numbers).
    Nothing is approved in a closed budget year."""
    require(actor, "approve_schemes")
    scheme_close_if_over(scheme=batch.scheme, actor=actor)
    return _batch_decide(actor=actor, batch=batch, approve=approve, note=note, start_date=start_date)


@transaction.atomic
def _batch_decide(
    *, actor: User, batch: CandidateBatch, approve: bool, note: str, start_date
) -> CandidateBatch:
    batch = CandidateBatch.objects.select_for_update().select_related("scheme").get(pk=batch.pk)
    scheme = batch.scheme
    if approve and scheme.status != Scheme.Status.OPEN:
        raise (
            closed_year_error(scheme)
            if scheme.year_over(clock.today())
            else Conflict(_("This scheme is closed."))
        )
    scope_check_region(actor, scheme.region_id)
    if batch.status != CandidateBatch.Status.DRAFT:
        raise Conflict(_("This list has already been decided."))
    if batch.selected_by_id == actor.pk:
        raise NotAllowed(_("A second officer must approve: you selected this list."), code="maker_checker")
    batch.status = CandidateBatch.Status.APPROVED if approve else CandidateBatch.Status.REJECTED
    batch.decided_by = actor
    batch.decided_at = clock.now()
    batch.note = note[:300]
    batch.save()
    if approve:
        _sponsored_enrol(actor=actor, batch=batch, scheme=scheme, start_date=start_date)
    else:
        batch.candidates.all().delete()
    audit_transition(actor=actor, obj=batch, from_status="draft", to_status=batch.status, note=note)
    return batch


def _sponsored_enrol(
    *, actor: User, batch: CandidateBatch, scheme: Scheme, start_date: dt.date | None
) -> None:
    """The approved candidates' sponsored participations (pending until BPJS returns participant
    numbers) and their wage reports, set-based; each candidate points to its participation."""
    start = start_date or max(clock.today().replace(day=1), dt.date(scheme.year, 1, 1))
    end = dt.date(scheme.year, 12, 31)
    if start > end:
        raise Conflict(_("The scheme's budget year is over: renew the scheme for the new year first."))
    income = rules.BPU_MIN_INCOME.value_at(start)
    cands = list(batch.candidates.select_related("person"))
    parts = [
        Participation(
            person=c.person,
            segment=Segment.BPU,
            jkk=True,
            jkm=True,
            jht=scheme.include_jht,
            payer_kind=PayerKind.SPONSOR,
            sponsor_organisation_id=scheme.sponsor_organisation_id,
            scheme=scheme,
            region_id=c.person.domicile_region_id,
            start_date=start,
            end_date=end,
            status=Participation.Status.PENDING,
            wage=income,
        )
        for c in cands
    ]
    Participation.objects.bulk_create(parts, batch_size=1000)
    if parts and parts[0].pk is None:  # backends without RETURNING ids
        by_person = dict(
            Participation.objects.filter(
                scheme=scheme, person_id__in=[c.person_id for c in cands]
            ).values_list("person_id", "pk")
        )
        for p in parts:
            p.pk = by_person[p.person_id]
    WageReport.objects.bulk_create(
        [
            WageReport(participation_id=p.pk, amount=income, valid_from=start, reported_by=actor)
            for p in parts
        ],
        batch_size=1000,
    )
    for c, p in zip(cands, parts, strict=True):
        c.participation_id = p.pk
    Candidate.objects.bulk_update(cands, ["participation"], batch_size=1000)


PARTICIPANT_COLUMNS = {
    "nik": ("nik",),
    "number": ("no peserta", "nomor peserta", "kpj", "participant number", "no kpj"),
}


def participant_numbers_import(
    *, actor: User, scheme: Scheme, data: bytes, filename: str, start_date=None
) -> dict:
    """The branch's reply to the enrolment file: NIK → BPJS participant number. All or nothing."""
    require(actor, "manage_schemes")
    scope_check_region(actor, scheme.region_id)
    df = map_columns(read_table(data, filename), PARTICIPANT_COLUMNS)
    rows = df.to_dicts()
    pending = dict(
        Participation.objects.filter(scheme=scheme, status=Participation.Status.PENDING).values_list(
            "person__nik", "pk"
        )
    )
    numbers = [(r["number"] or "").strip() for r in rows]
    used = set(
        Participation.objects.filter(participant_number__in=numbers).values_list(
            "participant_number", flat=True
        )
    )
    errors: list[dict] = []
    seen_nik: set[str] = set()
    seen_no: set[str] = set()
    updates: list[tuple[int, str]] = []
    for i, r in enumerate(rows, start=2):
        nik, number, problems = _number_row(r, pending=pending, used=used, seen_nik=seen_nik, seen_no=seen_no)
        if problems:
            errors.append({"row": i, "nik": nik[:6] + "…" if nik else "", "errors": problems})
        else:
            updates.append((pending[nik], number))
    if errors:
        raise ImportErrors(errors)
    if not updates:
        raise SinergiError(_("The file has no rows."), code="empty_file", field="file")
    with transaction.atomic():
        objs = list(Participation.objects.filter(pk__in=[u[0] for u in updates]).select_for_update())
        numbers_by_pk = dict(updates)
        for p in objs:
            p.participant_number = numbers_by_pk[p.pk]
            p.status = Participation.Status.ACTIVE
            if start_date:
                p.start_date = start_date
        Participation.objects.bulk_update(
            objs, ["participant_number", "status", "start_date"], batch_size=1000
        )
        audit_record(
            actor=actor,
            action="import",
            obj=scheme,
            changes={"participant_numbers": len(objs)},
            purpose="BPJS participant numbers",
        )
    return {"rows": len(updates)}


def _number_row(
    r: dict, *, pending: dict, used: set[str], seen_nik: set[str], seen_no: set[str]
) -> tuple[str, str, list[str]]:
    """One reply row checked on its own: (NIK, participant number, problems); both are added to the
    `seen_` sets."""
    nik = (r["nik"] or "").strip()
    number = (r["number"] or "").strip()
    problems = []
    if nik not in pending:
        problems.append(str(_("NIK is not awaiting a participant number in this scheme")))
    if not (number.isdigit() and 8 <= len(number) <= 20):
        problems.append(str(_("participant number must be 8 to 20 digits")))
    if nik in seen_nik:
        problems.append(str(_("NIK appears twice in the file")))
    if number in seen_no:
        problems.append(str(_("participant number appears twice in the file")))
    elif number in used:
        problems.append(str(_("participant number is already used")))
    seen_nik.add(nik)
    seen_no.add(number)
    return nik, number, problems


def gap_propose(*, actor: User, scheme: Scheme, person_ids) -> CandidateBatch:
    """Propose people found in the coverage gap as candidates of a scheme (still needs approval)."""
    ids = list(person_ids)
    if not ids:
        raise SinergiError(_("Nobody to propose."), code="no_candidates")
    return candidates_select(actor=actor, scheme=scheme, person_ids=ids, source="gap")
