"""Reading claims, scoped: a branch by its service area, an agency or leadership by region (read-only),
a union official only their members' claims (status, no heirs' personal data)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, Sum

from sinergi.accounts.roles import Role, can
from sinergi.accounts.scoping import user_scope
from sinergi.claims.models import Claim, ClaimCase, ClaimDocument, DocumentType, Payment, ScholarshipYear
from sinergi.core import clock
from sinergi.coverage.models import Participation
from sinergi.registry.models import Employment
from sinergi.rules import benefits as rules
from sinergi.unions.models import Membership

if TYPE_CHECKING:
    from sinergi.accounts.models import User

OPEN_STATUSES = (Claim.Status.SUBMITTED, Claim.Status.VERIFIED, Claim.Status.APPROVED)


def _case_q(user: User, prefix: str = "") -> Q:
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    if scope.is_union:
        # A member at the time of the event: active now, or left on/after the event date (a deceased
        # member's membership ends with the death the claim is about).
        members = Membership.objects.filter(
            person_id=OuterRef(f"{prefix}person_id"), body_id__in=scope.union_body_ids or frozenset()
        ).filter(
            Q(status=Membership.Status.ACTIVE)
            | Q(left_on__isnull=True)
            | Q(left_on__gte=OuterRef(f"{prefix}event_date"))
        )
        return Q(Exists(members))
    if scope.is_sponsor:
        return Q(pk__in=[])
    # A branch serves a participant where they live AND where they work: the case's region (their
    # domicile), the case's employer, or any employer the person works for or is covered by.
    return (
        scope.region_q(f"{prefix}region__code")
        | scope.region_q(f"{prefix}employer__region__code")
        | Q(Exists(_works_in_scope(scope, OuterRef(f"{prefix}person_id"))))
        | Q(Exists(_covered_by_employer_in_scope(scope, OuterRef(f"{prefix}person_id"))))
    )


def _works_in_scope(scope, person_ref):
    return Employment.objects.filter(person_id=person_ref, end_date__isnull=True).filter(
        scope.region_q("employer__region__code")
    )


def _covered_by_employer_in_scope(scope, person_ref):
    return Participation.objects.filter(person_id=person_ref, employer__isnull=False).filter(
        scope.region_q("employer__region__code")
    )


def person_served(*, user: User, person) -> bool:
    """Whether a branch (or agency) user serves this person: lives or works in the user's area."""
    scope = user_scope(user)
    if scope.is_global:
        return True
    if scope.covers_region(person.domicile_region_id):
        return True
    return (
        _works_in_scope(scope, person.pk).exists() or _covered_by_employer_in_scope(scope, person.pk).exists()
    )


def case_list(*, user: User):
    return ClaimCase.objects.filter(_case_q(user)).select_related("person", "employer", "region")


def claim_list(*, user: User, filters: dict | None = None):
    qs = Claim.objects.filter(_case_q(user, "case__")).select_related(
        "case", "case__person", "case__employer", "verified_by", "decided_by"
    )
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("benefit"):
        qs = qs.filter(benefit=filters["benefit"])
    if filters.get("overdue"):
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=clock.today())
    if filters.get("person"):
        qs = qs.filter(case__person_id=filters["person"])
    return qs


def document_list(*, user: User):
    """Documents: only for officers who process claims (health and identity papers)."""
    if not can(user, "process_claims"):
        return ClaimDocument.objects.none()
    return ClaimDocument.objects.filter(_case_q(user, "claim__case__")).select_related("claim")


def payment_list(*, user: User):
    if user_scope(user).is_union:
        return Payment.objects.none()
    return Payment.objects.filter(_case_q(user, "claim__case__")).select_related("claim", "claim__case")


def scholarship_year_list(*, user: User):
    if user_scope(user).is_union:
        return ScholarshipYear.objects.none()
    return ScholarshipYear.objects.filter(_case_q(user, "claim__case__"))


def sees_personal(user: User) -> bool:
    """Claimant and heir names, amounts and accounts: not for union officials or sponsors."""
    return user.role not in (Role.UNION_OFFICIAL, Role.SPONSOR_VIEWER)


def is_overdue(claim: Claim, today: dt.date | None = None) -> bool:
    today = today or clock.today()
    return claim.status in OPEN_STATUSES and claim.due_on is not None and claim.due_on < today


def required_documents(claim: Claim) -> list[str]:
    """The checklist for this claim (DOMAIN.md §2.3, §2.6): depends on benefit, event, heir and amount."""
    case = claim.case
    death = case.event_type == "death"
    docs: list[str] = []
    if claim.benefit in ("JKM", "JKK", "JHT", "JP"):
        docs += [DocumentType.PARTICIPANT_CARD, DocumentType.KTP, DocumentType.KK]
    if claim.benefit == "JKP":
        docs += [DocumentType.KTP, DocumentType.PHK_PROOF]
    if claim.benefit == "BEASISWA":
        docs += [DocumentType.KTP, DocumentType.KK, DocumentType.BIRTH_CERTIFICATE, DocumentType.SCHOOL_PROOF]
    if death and claim.benefit != "BEASISWA":
        docs += [DocumentType.DEATH_CERTIFICATE, DocumentType.HEIRSHIP_LETTER]
        if claim.claimant_relation == "spouse":
            docs.append(DocumentType.MARRIAGE_BOOK)
    if claim.benefit == "JKK":
        docs.append(DocumentType.ACCIDENT_REPORT)
        if not death:
            docs.append(DocumentType.MEDICAL_REPORT)
    if claim.benefit in ("JHT", "JP") and case.event_type in ("resignation", "dismissal"):
        docs.append(DocumentType.RESIGNATION_LETTER)
    docs.append(DocumentType.BANK_BOOK)
    threshold = rules.NPWP_THRESHOLD.at(case.event_date).value
    if claim.amount and claim.amount > threshold:
        docs.append(DocumentType.NPWP)
    seen: list[str] = []
    for d in docs:
        if d not in seen:
            seen.append(str(d))
    return seen


def document_checklist(claim: Claim) -> list[dict]:
    present = set(claim.documents.filter(scholarship_year__isnull=True).values_list("doc_type", flat=True))
    labels = dict(DocumentType.choices)
    return [{"code": d, "label": labels[d], "present": d in present} for d in required_documents(claim)]


def missing_documents(claim: Claim) -> list[str]:
    return [d["code"] for d in document_checklist(claim) if not d["present"]]


def claim_totals(*, user: User) -> dict:
    qs = claim_list(user=user)
    today = clock.today()
    agg = qs.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        paid=Count("id", filter=Q(status=Claim.Status.PAID)),
    )
    paid_amount = payment_list(user=user).aggregate(s=Sum("amount"))["s"] or 0
    return {**agg, "paid_amount": paid_amount}
