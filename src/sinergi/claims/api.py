"""Claims API: quotes for every benefit; cases and claims (scoped); documents, verification, decisions and
payments. Union officials get status only; heirs' personal data and amounts are left out for them."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import BeforeValidator

from sinergi.accounts.permissions import require
from sinergi.claims import quotes, selectors, services
from sinergi.claims.models import Benefit, Claim, DocumentType
from sinergi.core.apitypes import Count, Date, Id, PageNumberPagination, Rupiah, named, one_of
from sinergi.core.errors import SinergiError
from sinergi.registry.models import Person
from sinergi.rules import benefits as rules

router = Router(tags=["claims"])

SCOPED_DETAIL_PATHS = {
    "/claims/cases/{pk}": ("claims.ClaimCase", "sinergi.claims.selectors.case_list"),
    "/claims/{pk}": ("claims.Claim", "sinergi.claims.selectors.claim_list"),
    "/claims/{pk}/documents": ("claims.Claim", "sinergi.claims.selectors.claim_list"),
}
# POST-only operations taking a pk use the same selectors: /claims/{pk}/quote, /heir, /documents,
# /verify, /decision, /instruction, /payment (claim_list) and /claims/scholarship-years/{pk}/release
# (scholarship_year_list).


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def _percent_text(value):
    return value.strip().replace(",", ".") if isinstance(value, str) else value


Percent = Annotated[Decimal, BeforeValidator(_percent_text), Field(ge=0, le=100)]
BenefitCode = Annotated[Literal[("JKM", "JKK", "JHT", "JP", "JKP")], BeforeValidator(_upper)]
# Every reason any benefit takes; which ones a benefit accepts is said per benefit below.
Reason = Literal[
    tuple(dict.fromkeys((*rules.JHT_FULL_REASONS, "partial", "old_age", "death", "dismissal", "resignation")))
]


class BenefitQuoteIn(Schema):
    """The inputs of a benefit quote. Which are needed depends on the benefit (a missing one is a 400 on
    its field): JKM death_date; JKK kind, accident_date, claim_date, wage; JHT reason, balance,
    claim_date; JP reason, claim_date, contribution_months, average_monthly_wage, balance; JKP wage,
    phk_date, claim_date, paid_months_last_24, consecutive_months_before_phk."""

    # JKM
    death_date: Date | None = None
    active_at_death: bool | None = Field(None, description="JKM: active membership on the date of death")
    work_accident: bool | None = Field(None, description="JKM: the death was caused by a work accident")
    # JKK
    kind: Literal[rules.JKK_KINDS] | None = Field(None, description="JKK: the benefit asked for")
    accident_date: Date | None = None
    active_at_accident: bool | None = None
    disability_percent: Percent | None = Field(None, description="JKK: disability table percentage")
    function_loss_percent: Percent | None = Field(None, description="JKK: function lost (%)")
    incapacity_months: Count | None = Field(None, description="JKK: months unable to work")
    medical_cost: Rupiah | None = None
    # several benefits
    wage: Rupiah | None = Field(None, description="JKK: monthly wage; JKP: last reported wage")
    claim_date: Date | None = None
    birth_date: Date | None = None
    membership_months: Count | None = None
    balance: Rupiah | None = Field(None, description="JHT, JP: balance (contributions + returns)")
    reason: Reason | None = Field(
        None,
        description="JHT: " + ", ".join((*rules.JHT_FULL_REASONS, "partial")) + "; JP: old_age, death; "
        "JKP: dismissal, resignation",
    )
    # JHT
    event_date: Date | None = Field(None, description="JHT: date of leaving work")
    partial_purpose: Literal["", "housing", "other"] | None = Field(None, description="JHT partial: purpose")
    previous_partial: bool | None = Field(None, description="JHT: a partial withdrawal was taken before")
    # JP
    contribution_months: Count | None = None
    average_monthly_wage: Rupiah | None = None
    density: Percent | None = Field(None, description="JP: contribution density (%)")
    survivor: Literal["spouse", "child", "parent"] | None = Field(None, description="JP death: survivor")
    # JKP
    phk_date: Date | None = Field(None, description="JKP: dismissal (PHK) date")
    paid_months_last_24: Count | None = None
    consecutive_months_before_phk: Count | None = None
    employer_enrolled_fitting: bool | None = Field(
        None, description="JKP: the employer enrolled in the programmes for its size"
    )

    def inputs(self) -> dict:
        return self.model_dump(exclude_none=True)


class LineOut(Schema):
    code: str
    label: str
    amount: Decimal
    exact: str
    basis: str
    status: Literal["V", "U"] = Field(description="V: verified parameter; U: provisional (to be confirmed)")
    months: int | None = Field(
        None, description="A periodic benefit: paid every month for this many months (amount is the sum)"
    )
    monthly_amount: Decimal | None = Field(None, description="A periodic benefit: the amount paid each month")


class ConditionOut(Schema):
    code: str
    label: str
    met: bool
    value: str
    required: str
    basis: str
    status: str


class BenefitQuoteOut(Schema):
    benefit: str
    eligible: bool
    total: Decimal
    monthly_amount: Decimal | None = None
    provisional: bool
    legal_basis: list[str]
    lines: list[LineOut]
    conditions: list[ConditionOut]
    refusals: list[ConditionOut]
    notes: list[str]
    notes_id: list[str] = []


class ChildIn(Schema):
    name: str
    birth_date: Date
    level: str = ""
    grade: Count | None = None
    married: bool = False
    working: bool = False


class ScholarshipIn(Schema):
    event: str = "JKM"
    event_date: Date
    contribution_months: Count
    children: list[ChildIn]


class ChildPlanOut(Schema):
    name: str
    eligible: bool
    reason: str
    first_year: Decimal
    max_remaining: Decimal


class ScholarshipOut(Schema):
    quote: BenefitQuoteOut
    children: list[ChildPlanOut]
    max_total: Decimal


@router.post("/quote/{benefit}", response=BenefitQuoteOut)
def quote(request, benefit: BenefitCode, payload: BenefitQuoteIn):
    """Quote JKM, JKK, JHT, JP or JKP from the inputs listed in the calculator; a failed condition gives
    eligible=false with the refusals and their values. Periodic benefits (JKP's monthly cash, JP's
    pension) give `months` and `monthly_amount` on their lines (JP also `monthly_amount` on the quote)."""
    return quotes.present(quotes.compute(benefit, payload.inputs()))


@router.post("/quote-scholarship", response=ScholarshipOut)
def quote_scholarship(request, payload: ScholarshipIn):
    children = []
    for i, c in enumerate(payload.children):
        if c.level not in ("", *rules.SCHOOL_LEVELS):
            raise SinergiError(_("Unknown school level."), field=f"children.{i}.level")
        children.append(rules.Child(str(i), c.name, c.birth_date, c.level, c.grade, c.married, c.working))
    plan = quotes.compute_scholarship(
        event=payload.event,
        event_date=payload.event_date,
        contribution_months=payload.contribution_months,
        children=children,
    )
    indonesian = quotes.is_indonesian()
    return {
        "quote": quotes.present(plan.quote),
        "children": [
            {
                "name": c.child.name,
                "eligible": c.eligible,
                "reason": c.reason_id if indonesian else c.reason_en,
                "first_year": c.first_year,
                "max_remaining": c.max_remaining,
            }
            for c in plan.children
        ],
        "max_total": plan.max_total,
    }


class ClaimOut(Schema):
    id: int
    case_id: int
    reference: str
    participant: str
    event_type: str
    event_date: dt.date
    benefit: named(Benefit)
    status: named(Claim.Status)
    due_on: dt.date | None
    overdue: bool
    claimant: str | None = None
    amount: Decimal | None = None
    provisional: bool | None = None
    bank_account: str | None = None


def _claim_out(claim: Claim, personal: bool) -> dict:
    out = {
        "id": claim.pk,
        "case_id": claim.case_id,
        "reference": claim.case.reference,
        "participant": claim.case.person.name,
        "event_type": claim.case.event_type,
        "event_date": claim.case.event_date,
        "benefit": claim.benefit,
        "status": claim.status,
        "due_on": claim.due_on,
        "overdue": selectors.is_overdue(claim),
    }
    if personal:
        out.update(
            claimant=claim.claimant_name,
            amount=claim.amount,
            provisional=claim.provisional,
            bank_account=claim.masked_account,
        )
    return out


@router.get("/", response=list[ClaimOut])
@paginate(PageNumberPagination, page_size=50)
def claim_list(
    request,
    status: one_of(Claim.Status, blank=True) = "",
    benefit: one_of(Benefit, blank=True) = "",
    overdue: bool = False,
):
    personal = selectors.sees_personal(request.user)
    qs = selectors.claim_list(
        user=request.user, filters={"status": status, "benefit": benefit, "overdue": overdue}
    )
    return [_claim_out(c, personal) for c in qs]


class ClaimDetailOut(ClaimOut):
    quote: dict | None = None
    verification: dict | None = None
    documents_missing: list[str] | None = None
    history: list[dict]


@router.get("/{int:pk}", response=ClaimDetailOut)
def claim_detail(request, pk: Id):
    claim = get_object_or_404(selectors.claim_list(user=request.user), pk=pk)
    personal = selectors.sees_personal(request.user)
    out = _claim_out(claim, personal)
    out["history"] = [
        {"at": e.at.isoformat(), "from": e.from_status, "to": e.to_status} for e in claim.events.all()
    ]
    if personal:
        out.update(
            quote=quotes.present_stored(claim.quote) if claim.quote else None,
            verification=claim.verification or None,
            documents_missing=selectors.missing_documents(claim),
        )
    return out


class CaseOut(Schema):
    id: int
    reference: str
    participant: str
    event_type: str
    event_date: dt.date
    claims: list[ClaimOut]


@router.get("/cases/{int:pk}", response=CaseOut)
def case_detail(request, pk: Id):
    case = get_object_or_404(selectors.case_list(user=request.user), pk=pk)
    personal = selectors.sees_personal(request.user)
    return {
        "id": case.pk,
        "reference": case.reference,
        "participant": case.person.name,
        "event_type": case.event_type,
        "event_date": case.event_date,
        "claims": [_claim_out(c, personal) for c in case.claims.select_related("case", "case__person")],
    }


class CaseIn(Schema):
    nik: str
    event_type: str
    event_date: Date
    benefits: list[str]
    description: str = ""


@router.post("/cases", response={201: CaseOut})
def case_open(request, payload: CaseIn):
    require(request.user, "process_claims")
    person = Person.objects.filter(nik=payload.nik).first()
    if person is None:
        raise SinergiError(_("No person with this NIK in the registry."), code="not_found", field="nik")
    case = services.case_open(
        actor=request.user,
        person=person,
        event_type=payload.event_type,
        event_date=payload.event_date,
        benefits=payload.benefits,
        description=payload.description,
    )
    return 201, case_detail(request, case.pk)


def _claim(request, pk) -> Claim:
    return get_object_or_404(selectors.claim_list(user=request.user), pk=pk)


@router.post("/{int:pk}/quote", response=ClaimDetailOut)
def claim_quote(request, pk: Id, payload: BenefitQuoteIn):
    """Recompute the claim's quote; inputs not given come from the registry and coverage facts."""
    services.claim_quote(actor=request.user, claim=_claim(request, pk), inputs=payload.inputs())
    return claim_detail(request, pk)


class DocumentOut(Schema):
    id: int
    doc_type: named(DocumentType)
    name: str
    size: int
    uploaded_at: dt.datetime


@router.get("/{int:pk}/documents", response=list[DocumentOut])
def document_list(request, pk: Id):
    claim = _claim(request, pk)
    docs = selectors.document_list(user=request.user).filter(claim=claim)
    return [
        {
            "id": d.pk,
            "doc_type": d.doc_type,
            "name": d.original_name,
            "size": d.size,
            "uploaded_at": d.created_at,
        }
        for d in docs
    ]


@router.post("/{int:pk}/documents", response={201: DocumentOut})
def document_upload(request, pk: Id, doc_type: Form[one_of(DocumentType)], file: File[UploadedFile]):
    doc = services.claim_document_add(
        actor=request.user, claim=_claim(request, pk), doc_type=doc_type, upload=file
    )
    return 201, {
        "id": doc.pk,
        "doc_type": doc.doc_type,
        "name": doc.original_name,
        "size": doc.size,
        "uploaded_at": doc.created_at,
    }


@router.post("/{int:pk}/verify", response=ClaimDetailOut)
def claim_verify(request, pk: Id):
    services.claim_verify(actor=request.user, claim=_claim(request, pk))
    return claim_detail(request, pk)


class DecisionIn(Schema):
    approve: bool
    reason: str = ""


@router.post("/{int:pk}/decision", response=ClaimDetailOut)
def claim_decide(request, pk: Id, payload: DecisionIn):
    services.claim_decide(
        actor=request.user, claim=_claim(request, pk), approve=payload.approve, reason=payload.reason
    )
    return claim_detail(request, pk)


class InstructionIn(Schema):
    bank_name: str
    bank_account: str
    account_holder: str


@router.post("/{int:pk}/instruction", response=ClaimDetailOut)
def claim_instruction(request, pk: Id, payload: InstructionIn):
    services.claim_payment_instruction_set(actor=request.user, claim=_claim(request, pk), **payload.dict())
    return claim_detail(request, pk)


class ClaimPaymentIn(Schema):
    paid_on: Date | None = None
    reference: str = ""


class ClaimPaymentOut(Schema):
    id: int
    claim_id: int
    amount: Decimal
    paid_on: dt.date
    reference: str
    bank_account: str


@router.post("/{int:pk}/payment", response={201: ClaimPaymentOut})
def claim_pay(request, pk: Id, payload: ClaimPaymentIn):
    """Exactly once: a second call answers 409 {code: already_paid}."""
    payment = services.claim_pay(
        actor=request.user, claim=_claim(request, pk), paid_on=payload.paid_on, reference=payload.reference
    )
    return 201, {
        "id": payment.pk,
        "claim_id": payment.claim_id,
        "amount": payment.amount,
        "paid_on": payment.paid_on,
        "reference": payment.reference,
        "bank_account": payment.masked_account,
    }


class HeirIn(Schema):
    family_member_id: Id
    reason: str = ""


@router.post("/{int:pk}/heir", response=ClaimDetailOut)
def claim_heir(request, pk: Id, payload: HeirIn):
    """Choose the payee heir; outside the legal order only with a reason (audited)."""
    claim = _claim(request, pk)
    member = claim.case.person.family.filter(pk=payload.family_member_id).first()
    if member is None:
        raise SinergiError(
            _("This person is not in the participant's family record."), field="family_member_id"
        )
    services.claim_heir_set(actor=request.user, claim=claim, family_member=member, reason=payload.reason)
    return claim_detail(request, pk)


class ScholarshipYearOut(Schema):
    id: int
    claim_id: int
    year_index: int
    level: str
    grade: int
    amount: Decimal
    status: str


@router.post("/scholarship-years/{int:pk}/release", response=ScholarshipYearOut)
def scholarship_release(request, pk: Id):
    """Release a later school year (needs an uploaded proof of schooling for that year)."""
    year = get_object_or_404(selectors.scholarship_year_list(user=request.user), pk=pk)
    year = services.scholarship_year_release(actor=request.user, year=year)
    return {
        "id": year.pk,
        "claim_id": year.claim_id,
        "year_index": year.year_index,
        "level": year.level,
        "grade": year.grade,
        "amount": year.amount,
        "status": year.status,
    }
