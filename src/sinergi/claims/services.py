"""Writing claims: open a case, quote, choose heirs, upload documents, verify, decide, instruct, pay.

Every function is atomic and audited. Maker-checker: the officer who decides is never the one who
verified. Exactly once: a payment is created under a row lock on the claim (`select_for_update`) and the
Payment table holds at most one row per claim (OneToOne), so a double click or concurrent requests give
one payment and a Conflict for the rest.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.claims import quotes
from sinergi.claims.models import (
    BENEFITS_BY_EVENT,
    Benefit,
    Claim,
    ClaimCase,
    ClaimDocument,
    ClaimEvent,
    DocumentType,
    EventType,
    Payment,
    ScholarshipYear,
)
from sinergi.claims.selectors import case_list, claim_list, missing_documents, person_served
from sinergi.claims.signals import death_confirmed
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_transition
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.core.uploads import FILE_TYPES, content_matches, file_extension
from sinergi.coverage import selectors as coverage_selectors
from sinergi.rules import benefits as rules
from sinergi.rules.heirs import Relative, propose_heirs, rank_of

if TYPE_CHECKING:
    from sinergi.accounts.models import User

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # 10 MB per file
ALLOWED_DOCUMENTS = ("pdf", "jpg", "jpeg", "png")

JHT_REASON_BY_EVENT: dict[str, str] = {
    EventType.DEATH: "death",
    EventType.RESIGNATION: "resignation",
    EventType.DISMISSAL: "dismissal",
    EventType.RETIREMENT: "age",
    EventType.DISABILITY: "total_disability",
}
JKK_KIND_BY_EVENT: dict[str, str] = {
    EventType.DEATH: "death",
    EventType.DISABILITY: "total_disability",
    EventType.ACCIDENT: "medical",
}


def _scoped_case(actor: User, case) -> ClaimCase:
    if not case_list(user=actor).filter(pk=case.pk).exists():
        raise NotAllowed(_("This case is outside your service area."))
    return case


def _scoped_claim(actor: User, claim) -> Claim:
    if not claim_list(user=actor).filter(pk=claim.pk).exists():
        raise NotAllowed(_("This claim is outside your service area."))
    return claim


def _transition(claim: Claim, actor: User, to_status: str, note: str = "") -> None:
    from_status = claim.status
    claim.status = to_status
    claim.save()
    ClaimEvent.objects.create(
        claim=claim, actor=actor, from_status=from_status, to_status=to_status, note=note
    )
    audit_transition(actor=actor, obj=claim, from_status=from_status, to_status=to_status, note=note)


def _family(person):
    return list(person.family.all().order_by("birth_date", "id"))


def _relatives(family) -> list[Relative]:
    return [Relative(str(f.pk), f.name, f.relation, f.is_alive) for f in family]


def heir_proposal(person):
    """The legal-order proposal from the registry family record (rules.heirs)."""
    return propose_heirs(_relatives(_family(person)))


# ------------------------------------------------------------------ open
def _check_event(event_type: str, event_date: dt.date, benefits: list[str]) -> None:
    """A known event, not in the future, with at least one benefit that may be claimed for it."""
    if event_type not in EventType.values:
        raise SinergiError(_("Choose the event."), code="invalid_event", field="event_type")
    if not benefits:
        raise SinergiError(_("Choose at least one benefit."), code="no_benefit", field="benefits")
    allowed = BENEFITS_BY_EVENT[EventType(event_type)]
    bad = [b for b in benefits if b not in allowed]
    if bad:
        raise SinergiError(
            _("%(benefits)s cannot be claimed for this event.") % {"benefits": ", ".join(bad)},
            code="benefit_not_for_event",
            field="benefits",
        )
    if event_date > clock.today():
        raise SinergiError(
            _("The event date cannot be in the future."), code="future_date", field="event_date"
        )


def _set_claimant(claim: Claim, event_type: str, person, family, proposal) -> None:
    """Who claims: for a death the proposed heir (a scholarship: the living spouse as guardian), else
    the participant."""
    benefit = claim.benefit
    if event_type == EventType.DEATH and benefit != Benefit.BEASISWA and proposal.heirs:
        heir = next(f for f in family if str(f.pk) == proposal.heirs[0].key)
        claim.heir, claim.heir_rank = heir, proposal.rank
        claim.claimant_name, claim.claimant_nik, claim.claimant_relation = (
            heir.name,
            heir.nik,
            heir.relation,
        )
    elif benefit == Benefit.BEASISWA:
        guardian = next((f for f in family if f.relation == "spouse" and f.is_alive), None)
        if guardian is None and event_type == EventType.DEATH:
            claim.claimant_name, claim.claimant_nik, claim.claimant_relation = "", "", ""
        else:
            claim.claimant_name = guardian.name if guardian else person.name
            claim.claimant_nik = guardian.nik if guardian else person.nik
            claim.claimant_relation = "spouse" if guardian else "self"
        claim.heir = guardian
    elif event_type == EventType.DEATH:
        # No heir proposed yet (no family record): the claimant stays empty until an officer
        # chooses the heir; the deceased is never his own claimant.
        claim.claimant_name, claim.claimant_nik, claim.claimant_relation = "", "", ""
    else:
        claim.claimant_name, claim.claimant_nik, claim.claimant_relation = person.name, person.nik, "self"


@transaction.atomic
def case_open(
    *,
    actor: User,
    person,
    event_type: str,
    event_date: dt.date,
    benefits: list[str],
    employer=None,
    description: str = "",
    ceremonial: bool = False,
    ceremony_date: dt.date | None = None,
    ceremony_place: str = "",
) -> ClaimCase:
    """A case for one event with one claim per benefit; for a death the proposed heir is the claimant."""
    require(actor, "process_claims")
    _check_event(event_type, event_date, benefits)
    if not person_served(user=actor, person=person):
        raise NotAllowed(_("This participant neither lives nor works in your service area."))
    branch = actor.organisation if getattr(actor.organisation, "kind", "") == "ss_branch" else None
    case = ClaimCase.objects.create(
        reference=uuid.uuid4().hex[:20],
        person=person,
        event_type=event_type,
        event_date=event_date,
        region_id=person.domicile_region_id,
        branch=branch,
        employer=employer,
        description=description,
        ceremonial=ceremonial,
        ceremony_date=ceremony_date,
        ceremony_place=ceremony_place,
        created_by=actor,
    )
    case.reference = f"KLM-{event_date:%Y}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    audit_create(actor=actor, obj=case)
    family = _family(person)
    proposal = propose_heirs(_relatives(family))
    for benefit in dict.fromkeys(benefits):
        claim = Claim(case=case, benefit=benefit, created_by=actor)
        _set_claimant(claim, event_type, person, family, proposal)
        claim.save()
        ClaimEvent.objects.create(claim=claim, actor=actor, to_status=claim.status, note="opened")
        audit_create(actor=actor, obj=claim)
    return case


# ------------------------------------------------------------------ quote
def _facts(person, on):
    return coverage_selectors.coverage_facts(person=person, on=on)


def _claim_inputs(claim: Claim, inputs: dict, facts) -> dict:
    case = claim.case
    person = case.person
    today = clock.today()
    raw = {k: v for k, v in (inputs or {}).items() if v not in (None, "")}
    claim_date = raw.get("claim_date") or (timezone.localdate(case.created_at) if case.created_at else today)
    if claim.benefit == Benefit.JKM:
        return {
            "death_date": case.event_date,
            "active_at_death": facts.active,
            "work_accident": _work_accident(case),
        }
    if claim.benefit == Benefit.JKK:
        return {
            "kind": raw.get("kind") or JKK_KIND_BY_EVENT.get(case.event_type, "medical"),
            "accident_date": case.event_date,
            "claim_date": claim_date,
            "wage": raw.get("wage") or facts.last_wage,
            "active_at_accident": facts.active,
            **{
                k: raw[k]
                for k in ("disability_percent", "function_loss_percent", "incapacity_months", "medical_cost")
                if k in raw
            },
        }
    if claim.benefit == Benefit.JHT:
        return {
            "reason": raw.get("reason") or JHT_REASON_BY_EVENT.get(case.event_type, "resignation"),
            "balance": raw.get("balance"),
            "claim_date": claim_date,
            "event_date": case.event_date,
            "birth_date": person.birth_date,
            "membership_months": raw.get("membership_months", facts.contribution_months),
            "partial_purpose": raw.get("partial_purpose", ""),
            "previous_partial": raw.get("previous_partial", False),
        }
    if claim.benefit == Benefit.JP:
        return {
            "reason": "death" if case.event_type == EventType.DEATH else "old_age",
            "claim_date": claim_date,
            "contribution_months": raw.get("contribution_months", facts.contribution_months),
            "average_monthly_wage": raw.get("average_monthly_wage") or facts.last_wage,
            "balance": raw.get("balance"),
            "birth_date": person.birth_date,
            "membership_months": raw.get("membership_months", facts.contribution_months),
            "density": raw.get("density"),
            "survivor": raw.get("survivor") or "spouse",
        }
    if claim.benefit == Benefit.JKP:
        return {
            "wage": raw.get("wage") or facts.last_wage,
            "phk_date": case.event_date,
            "claim_date": claim_date,
            "paid_months_last_24": raw.get("paid_months_last_24"),
            "consecutive_months_before_phk": raw.get("consecutive_months_before_phk"),
            "reason": "dismissal" if case.event_type == EventType.DISMISSAL else "resignation",
            "employer_enrolled_fitting": raw.get("employer_enrolled_fitting", True),
        }
    return raw


def _work_accident(case: ClaimCase) -> bool:
    """An accident case, or a death case that also claims JKK (death from a work accident)."""
    return case.event_type == EventType.ACCIDENT or case.claims.filter(benefit=Benefit.JKK).exists()


def _scholarship_children(person):
    children = [f for f in _family(person) if f.relation == "child"]
    return children, [
        rules.Child(
            str(f.pk),
            f.name,
            f.birth_date,
            f.school_level or "",
            f.school_grade,
            f.is_married,
            f.is_working,
            f.is_alive,
        )
        for f in children
    ]


def quote_for_claim(claim: Claim, inputs: dict | None = None) -> tuple[dict, dict]:
    """(stored inputs, quote dict) for `claim`, with coverage facts at the event date. Writes nothing."""
    case = claim.case
    facts = _facts(case.person, case.event_date)
    if claim.benefit == Benefit.BEASISWA:
        _family_rows, children = _scholarship_children(case.person)
        event = "JKK" if _work_accident(case) or case.event_type == EventType.DISABILITY else "JKM"
        months = (inputs or {}).get("contribution_months")
        months = int(months) if months not in (None, "") else facts.contribution_months
        plan = quotes.compute_scholarship(
            event=event, event_date=case.event_date, contribution_months=months, children=children
        )
        data = plan.quote.as_dict()
        data["schedule"] = [
            {
                "child": c.child.key,
                "name": c.child.name,
                "eligible": c.eligible,
                "reason_en": c.reason_en,
                "reason_id": c.reason_id,
                "max_remaining": str(c.max_remaining),
                "years": [
                    {
                        "year_index": y.year_index,
                        "starts_on": y.starts_on.isoformat(),
                        "level": y.level,
                        "grade": y.grade,
                        "amount": str(y.amount),
                    }
                    for y in c.years
                ],
            }
            for c in plan.children
        ]
        data["max_total"] = str(plan.max_total)
        return {"event": event, "contribution_months": months}, data
    raw = _claim_inputs(claim, inputs or {}, facts)
    quote = quotes.compute(claim.benefit, raw)
    stored = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Decimal) else v)
        for k, v in raw.items()
        if v is not None
    }
    return stored, quote.as_dict()


@transaction.atomic
def claim_quote(*, actor: User, claim: Claim, inputs: dict | None = None) -> Claim:
    """Compute and store the claim's quote (amount, lines, conditions) while it is still open to change."""
    require(actor, "process_claims")
    claim = Claim.objects.select_for_update().get(pk=_scoped_claim(actor, claim).pk)
    if claim.status != Claim.Status.SUBMITTED:
        raise Conflict(_("The amount can only change before verification."))
    stored, data = quote_for_claim(claim, inputs)
    claim.quote_inputs, claim.quote = stored, data
    claim.amount = Decimal(data["total"])
    claim.provisional = bool(data["provisional"])
    claim.save()
    audit_record(actor=actor, action="quote", obj=claim, changes={"inputs": stored, "total": data["total"]})
    _clock(claim)
    return claim


# ------------------------------------------------------------------ heirs
@transaction.atomic
def claim_heir_set(*, actor: User, claim: Claim, family_member, reason: str = "") -> Claim:
    """Set the payee heir. Outside the legal proposal only with a written reason (audited)."""
    require(actor, "process_claims")
    claim = Claim.objects.select_for_update().get(pk=_scoped_claim(actor, claim).pk)
    if claim.status not in (Claim.Status.SUBMITTED,):
        raise Conflict(_("The heir can only change before verification."))
    if family_member.person_id != claim.case.person_id:
        raise SinergiError(_("This person is not in the participant's family record."), field="heir")
    if not family_member.is_alive:
        raise SinergiError(_("A deceased relative cannot receive the benefit."), field="heir")
    proposal = heir_proposal(claim.case.person)
    proposed = {h.key for h in proposal.heirs}
    reason = (reason or "").strip()
    if str(family_member.pk) not in proposed and not reason:
        raise SinergiError(
            _("This relative is not first in the legal order; write the reason for choosing them."),
            code="reason_required",
            field="reason",
        )
    before = {"heir": claim.heir_id, "claimant": claim.claimant_name}
    claim.heir = family_member
    claim.heir_rank = rank_of(family_member.relation)
    claim.claimant_name, claim.claimant_nik = family_member.name, family_member.nik
    claim.claimant_relation = family_member.relation
    claim.heir_override_reason = reason if str(family_member.pk) not in proposed else ""
    claim.save()
    audit_record(
        actor=actor,
        action="heir_choose",
        obj=claim,
        changes={
            "before": before,
            "heir": family_member.pk,
            "proposed": sorted(proposed),
            "rank": claim.heir_rank,
        },
        purpose=reason,
    )
    return claim


# ------------------------------------------------------------------ documents
def _clock(claim: Claim) -> None:
    """Start the service clock the day the checklist is complete (and stop it again if it is not)."""
    complete = not missing_documents(claim)
    if complete and claim.documents_complete_on is None:
        today = clock.today()
        claim.documents_complete_on = today
        claim.due_on, _row = rules.service_due(claim.benefit, today)
        claim.save(update_fields=["documents_complete_on", "due_on", "updated_at"])
    elif not complete and claim.documents_complete_on is not None and claim.status == Claim.Status.SUBMITTED:
        claim.documents_complete_on = claim.due_on = None
        claim.save(update_fields=["documents_complete_on", "due_on", "updated_at"])


def _check_upload(upload) -> tuple[str, str]:
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    ext = file_extension(name)
    if ext not in ALLOWED_DOCUMENTS:
        raise SinergiError(_("Upload a PDF, JPG or PNG file."), code="file_type", field="file")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise SinergiError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
            code="file_too_large",
            field="file",
        )
    if upload.size == 0:
        raise SinergiError(_("The file is empty."), code="file_empty", field="file")
    content_type = FILE_TYPES[ext][0]
    if not content_matches(upload, ext):
        raise SinergiError(_("The file content does not match its type."), code="file_content", field="file")
    return name[:200], content_type


@transaction.atomic
def claim_document_add(
    *, actor: User, claim: Claim, doc_type: str, upload, scholarship_year=None
) -> ClaimDocument:
    require(actor, "process_claims")
    claim = Claim.objects.select_for_update().get(pk=_scoped_claim(actor, claim).pk)
    if doc_type not in DocumentType.values:
        raise SinergiError(_("Choose the document type."), code="doc_type", field="doc_type")
    if claim.status in (Claim.Status.REJECTED,) or (
        claim.status == Claim.Status.PAID and scholarship_year is None
    ):
        raise Conflict(_("This claim is closed."))
    if scholarship_year is not None and scholarship_year.claim_id != claim.pk:
        raise SinergiError(_("That school year belongs to another claim."), field="scholarship_year")
    name, content_type = _check_upload(upload)
    doc = ClaimDocument(
        claim=claim,
        doc_type=doc_type,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        scholarship_year=scholarship_year,
    )
    ext = name.rsplit(".", 1)[-1].lower()
    doc.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    doc.save()
    audit_create(actor=actor, obj=doc)
    if scholarship_year is None:
        _clock(claim)
    return doc


# ------------------------------------------------------------------ verify / decide
@transaction.atomic
def claim_verify(*, actor: User, claim: Claim) -> Claim:
    """Documents complete, coverage at the event date, conditions met: the claim is verified."""
    require(actor, "process_claims")
    claim = Claim.objects.select_for_update().get(pk=_scoped_claim(actor, claim).pk)
    if claim.status != Claim.Status.SUBMITTED:
        raise Conflict(_("Only a submitted claim can be verified."))
    missing = missing_documents(claim)
    if missing:
        labels = dict(DocumentType.choices)
        raise SinergiError(
            _("Documents missing: %(docs)s.") % {"docs": ", ".join(str(labels[m]) for m in missing)},
            code="documents_missing",
        )
    case = claim.case
    facts = _facts(case.person, case.event_date)
    if not facts.first_enrolled:
        raise SinergiError(_("No participation found for this participant."), code="not_a_participant")
    if claim.benefit in (Benefit.JKM, Benefit.JKK, Benefit.BEASISWA, Benefit.JKP) and not facts.active:
        raise SinergiError(
            _("Membership was not active on the event date (%(day)s).")
            % {"day": case.event_date.isoformat()},
            code="membership_inactive",
        )
    stored, data = quote_for_claim(claim, claim.quote_inputs)
    if not data["eligible"]:
        failed = [c for c in data["conditions"] if not c["met"]]
        lang_key = "label_id" if quotes.is_indonesian() else "label_en"
        raise SinergiError(
            _("Conditions not met: %(list)s.")
            % {"list": "; ".join(f"{c[lang_key]} ({c['value']}, {c['required']})" for c in failed)},
            code="conditions_not_met",
        )
    if Decimal(data["total"]) <= 0:
        raise SinergiError(_("The quoted amount is zero; quote the claim first."), code="no_amount")
    if claim.amount != Decimal(data["total"]):
        raise Conflict(_("Coverage data changed the amount; quote the claim again before verifying."))
    claim.quote = data
    claim.verification = {
        "checked_on": clock.today().isoformat(),
        "coverage": {
            "active": facts.active,
            "segment": facts.segment,
            "programmes": sorted(facts.programmes),
            "contribution_months": facts.contribution_months,
            "first_enrolled": facts.first_enrolled.isoformat() if facts.first_enrolled else None,
            "participant_number": facts.participant_number,
        },
        "documents": "complete",
    }
    claim.verified_by = actor
    claim.verified_at = clock.now()
    _transition(claim, actor, Claim.Status.VERIFIED)
    return claim


@transaction.atomic
def claim_decide(*, actor: User, claim: Claim, approve: bool, reason: str = "") -> Claim:
    """Approve or reject. The approver must not be the verifier (maker-checker)."""
    require(actor, "decide_claims")
    claim = Claim.objects.select_for_update().get(pk=_scoped_claim(actor, claim).pk)
    if claim.status != Claim.Status.VERIFIED:
        raise Conflict(_("Only a verified claim can be decided."))
    if claim.verified_by_id == actor.pk:
        raise NotAllowed(_("Another officer must decide: you verified this claim."), code="same_officer")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise SinergiError(_("Write the reason for the rejection."), code="reason_required", field="reason")
    claim.decided_by = actor
    claim.decided_at = clock.now()
    claim.decision_reason = reason
    claim.letter_number = f"{claim.case.reference}/{claim.benefit}/{clock.today():%m/%Y}"
    if approve and claim.benefit == Benefit.BEASISWA:
        _schedule_scholarship(claim)
    _transition(claim, actor, Claim.Status.APPROVED if approve else Claim.Status.REJECTED, reason)
    if approve and claim.case.event_type == EventType.DEATH:
        # the death is now established: carry it through the registry, coverage, unions, programs
        death_confirmed.send(sender=Claim, claim=claim, actor=actor)
    return claim


def _schedule_scholarship(claim: Claim) -> None:
    rows = []
    for child in claim.quote.get("schedule", []):
        if not child["eligible"]:
            continue
        for y in child["years"]:
            rows.append(
                ScholarshipYear(
                    claim=claim,
                    child_id=int(child["child"]),
                    year_index=y["year_index"],
                    starts_on=dt.date.fromisoformat(y["starts_on"]),
                    level=y["level"],
                    grade=y["grade"],
                    amount=Decimal(y["amount"]),
                )
            )
    ScholarshipYear.objects.bulk_create(rows)


# ------------------------------------------------------------------ payment
@transaction.atomic
def claim_payment_instruction_set(
    *, actor: User, claim: Claim, bank_name: str, bank_account: str, account_holder: str
) -> Claim:
    require(actor, "pay_claims")
    claim = Claim.objects.select_for_update().get(pk=_scoped_claim(actor, claim).pk)
    if claim.status in (Claim.Status.PAID, Claim.Status.REJECTED):
        raise Conflict(_("This claim is closed."))
    account = "".join(ch for ch in (bank_account or "") if ch.isdigit())
    if not (5 <= len(account) <= 30) or not (bank_name or "").strip() or not (account_holder or "").strip():
        raise SinergiError(
            _("Give the bank, an account number of 5 to 30 digits and the account holder."),
            code="bank_account",
            field="bank_account",
        )
    claim.bank_name, claim.bank_account, claim.account_holder = (
        bank_name.strip(),
        account,
        account_holder.strip(),
    )
    claim.save()
    audit_record(
        actor=actor,
        action="payment_instruction",
        obj=claim,
        changes={"bank": claim.bank_name, "account": claim.masked_account},
    )
    return claim


def claim_pay(*, actor: User, claim: Claim, paid_on: dt.date | None = None, reference: str = "") -> Payment:
    """Record the payment of an approved claim, exactly once (row lock + one Payment per claim)."""
    require(actor, "pay_claims")
    _scoped_claim(actor, claim)
    try:
        with transaction.atomic():
            locked = Claim.objects.select_for_update().get(pk=claim.pk)
            if locked.status == Claim.Status.PAID or Payment.objects.filter(claim_id=locked.pk).exists():
                raise Conflict(_("This claim has already been paid."), code="already_paid")
            if locked.status != Claim.Status.APPROVED:
                raise Conflict(_("Only an approved claim can be paid."), code="not_approved")
            if not locked.bank_account:
                raise SinergiError(
                    _("Record the payment instruction (bank account) first."), code="no_instruction"
                )
            if locked.case.event_type == EventType.DEATH and (
                not locked.claimant_name or locked.claimant_relation == "self"
            ):
                raise SinergiError(_("Choose the heir who receives the benefit first."), code="no_heir")
            if locked.amount <= 0:
                raise SinergiError(_("The amount is zero."), code="no_amount")
            payment = Payment.objects.create(
                claim=locked,
                amount=locked.amount,
                paid_on=paid_on or clock.today(),
                paid_by=actor,
                reference=(reference or "").strip()[:60],
                bank_name=locked.bank_name,
                bank_account=locked.bank_account,
                account_holder=locked.account_holder,
            )
            if locked.benefit == Benefit.BEASISWA:
                ScholarshipYear.objects.filter(claim=locked, year_index=0).update(
                    status=ScholarshipYear.Status.RELEASED, released_at=clock.now(), released_by=actor
                )
            audit_create(actor=actor, obj=payment)
            _transition(locked, actor, Claim.Status.PAID, payment.reference)
            if locked.case.event_type == EventType.DEATH:
                death_confirmed.send(sender=Claim, claim=locked, actor=actor)
    except IntegrityError:
        raise Conflict(_("This claim has already been paid."), code="already_paid") from None
    return payment


@transaction.atomic
def scholarship_year_release(
    *, actor: User, year: ScholarshipYear, on: dt.date | None = None
) -> ScholarshipYear:
    """Release a later school year on proof of schooling; stop it if the child no longer qualifies."""
    require(actor, "pay_claims")
    _scoped_claim(actor, year.claim)
    year = ScholarshipYear.objects.select_for_update().select_related("child", "claim").get(pk=year.pk)
    if year.status != ScholarshipYear.Status.SCHEDULED:
        raise Conflict(_("This school year has already been released or stopped."), code="already_released")
    if year.claim.status != Claim.Status.PAID:
        raise Conflict(_("Pay the first year before releasing later years."))
    earlier = ScholarshipYear.objects.filter(
        claim=year.claim,
        child=year.child,
        year_index__lt=year.year_index,
        status=ScholarshipYear.Status.SCHEDULED,
    )
    if earlier.exists():
        raise Conflict(_("Release or stop the earlier school years first."))
    on = on or clock.today()
    child = year.child
    limit = rules.SCHOLARSHIP_AGE_LIMIT.at(year.claim.case.event_date).value
    stop = None
    if not child.is_alive:
        stop = "deceased"
    elif child.is_married:
        stop = "married"
    elif child.is_working:
        stop = "working"
    elif child.birth_date and rules.age_on(child.birth_date, on) >= limit:
        stop = f"age {limit}"
    if stop:
        ScholarshipYear.objects.filter(
            claim=year.claim, child=child, status=ScholarshipYear.Status.SCHEDULED
        ).update(status=ScholarshipYear.Status.STOPPED, note=stop)
        audit_record(
            actor=actor,
            action="scholarship_stop",
            obj=year.claim,
            changes={"child": child.pk, "reason": stop},
        )
        year.refresh_from_db()
        return year
    if not year.documents.filter(doc_type=DocumentType.SCHOOL_PROOF).exists():
        raise SinergiError(_("Upload the proof of schooling for this year first."), code="proof_missing")
    year.status = ScholarshipYear.Status.RELEASED
    year.released_at = clock.now()
    year.released_by = actor
    year.save()
    audit_record(
        actor=actor,
        action="scholarship_release",
        obj=year.claim,
        changes={"year": year.pk, "amount": year.amount},
    )
    return year
