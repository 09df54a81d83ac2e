"""Coverage API: quote, participations, schemes, candidates, bills, payments and the coverage gap.

Scoped through the selectors: a sponsor sees only the people it pays for; a union official sees
their members' coverage status only (no wages, no bills); officers their region."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import BeforeValidator

from sinergi.accounts.permissions import require
from sinergi.core import clock
from sinergi.core.apitypes import (
    Count,
    CursorPageInput,
    Date,
    Id,
    PageNumberPagination,
    Rupiah,
    named,
    one_of,
)
from sinergi.core.errors import SinergiError
from sinergi.core.home import cached_figures, kept_count
from sinergi.core.jobs import request_idempotency_key
from sinergi.core.paging import cursor_or_number_page, page_body
from sinergi.core.privacy import mask_nik, wages_revealed
from sinergi.core.rule_errors import rule_error
from sinergi.coverage import models as cm
from sinergi.coverage import selectors, services, tasks
from sinergi.rules import contributions
from sinergi.rules.tables import RuleError

router = Router(tags=["coverage"])

SCOPED_DETAIL_PATHS = {
    "/coverage/participations/{pk}": (
        "coverage.Participation",
        "sinergi.coverage.selectors.participation_list",
    ),
    "/coverage/schemes/{pk}": ("coverage.Scheme", "sinergi.coverage.selectors.scheme_list"),
    "/coverage/schemes/{pk}/candidates": ("coverage.Scheme", "sinergi.coverage.selectors.scheme_list"),
    "/coverage/bills/{pk}": ("coverage.Bill", "sinergi.coverage.selectors.bill_list"),
}


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


# The enumerations come from the rules, so OpenAPI lists what the rules accept.
Segment = Annotated[Literal[contributions.SEGMENTS], BeforeValidator(_upper)]
Programme = Annotated[Literal[("JKK", "JKM", "JHT", "JP", "JKP")], BeforeValidator(_upper)]
# PP 7/2025's labour-intensive industries; "" = none
Industry = Literal[("", *sorted(contributions.LABOUR_INTENSIVE_INDUSTRIES))]
RiskClass = Literal[contributions.RISK_CLASSES]


class QuoteIn(Schema):
    segment: Segment = Field(description="PU (wage earners), BPU (non-wage earners) or PMI (migrant workers)")
    month: str = Field(
        pattern=r"^\d{4}-\d{2}(-\d{2})?$", examples=["2026-11"], description="The month (YYYY-MM)"
    )
    wage: Rupiah | None = Field(None, description="Monthly wage (PU, PMI) or reported income (BPU)")
    risk_class: RiskClass | None = Field(None, description="JKK work-risk class 1-5 (PU)")
    industry: Industry = Field(
        "", description="A labour-intensive industry with the PP 7/2025 JKK relief (PU), or empty"
    )
    programmes: list[Programme] | None = None
    contract_months: Count | None = None
    extension_months: Count = 0
    pre_placement: bool = True


class QuoteLineOut(Schema):
    programme: str
    payer: str
    basis: Decimal
    rate: str | None
    exact: str
    amount: Decimal
    legal_basis: str
    status: str
    provisional: bool
    payable: bool
    note: str


class ContributionQuoteOut(Schema):
    segment: str
    month: dt.date
    lines: list[QuoteLineOut]
    totals: dict[str, Decimal]
    total: Decimal
    provisional: bool


QUOTE_FIELDS = {"income": "wage", "date": "month"}


@router.post("/quote", response=ContributionQuoteOut)
def quote(request, payload: QuoteIn):
    """Contributions for a month by regulation: lines (programme, payer, basis, rate, exact, amount,
    legal basis, status), totals per payer."""
    month = services._first_of(payload.month)
    try:
        q = services.quote(
            segment=payload.segment,
            month=month,
            wage=payload.wage,
            risk_class=payload.risk_class,
            industry=payload.industry,
            programmes=payload.programmes,
            contract_months=payload.contract_months,
            extension_months=payload.extension_months,
            pre_placement=payload.pre_placement,
        )
    except SinergiError as exc:
        if isinstance(exc.__cause__, RuleError):  # the rule's argument names -> this input's names
            raise rule_error(exc.__cause__, field_names=QUOTE_FIELDS, monthly=True) from None
        raise
    return {
        "segment": q.segment,
        "month": q.month,
        "lines": [
            {
                "programme": ln.programme,
                "payer": ln.payer,
                "basis": ln.basis,
                "rate": None if ln.rate is None else str(ln.rate),
                "exact": str(ln.exact),
                "amount": ln.amount,
                "legal_basis": ln.legal_basis,
                "status": ln.status,
                "provisional": ln.provisional,
                "payable": ln.payable,
                "note": ln.note,
            }
            for ln in q.lines
        ],
        "totals": q.totals,
        "total": q.total,
        "provisional": q.provisional,
    }


class ParticipationOut(Schema):
    """Union officials get status only (no payer, no wage). `wage` is empty unless the role may see wages
    and the request states `purpose` (an audited reveal, one audit entry per request)."""

    id: int
    person_id: int
    name: str
    nik: str
    segment: named(cm.Segment)
    programmes: list[str]
    status: named(cm.Participation.Status)
    participant_number: str
    start_date: dt.date
    end_date: dt.date | None
    payer_kind: named(cm.PayerKind) | None = None
    payer: str | None = None
    scheme_id: int | None = None
    wage: Decimal | None = None

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_nik(obj):
        return mask_nik(obj.person.nik)

    @staticmethod
    def resolve_programmes(obj):
        return sorted(obj.programmes)

    @staticmethod
    def resolve_payer_kind(obj, context):
        return None if context["request"].user.role == "union_official" else obj.payer_kind

    @staticmethod
    def resolve_payer(obj, context):
        if context["request"].user.role == "union_official":
            return None
        return str(obj.employer or obj.sponsor_organisation or "self")

    @staticmethod
    def resolve_scheme_id(obj, context):
        return None if context["request"].user.role == "union_official" else obj.scheme_id

    @staticmethod
    def resolve_wage(obj, context):
        return obj.wage if getattr(context["request"], "_sinergi_wages_revealed", False) else None


# The API list's order: the primary key, unique and indexed, so a keyset page at any depth reads 51
# rows of the index (the HTML list keeps its order by name; a million participations are not sorted per
# request here).
PARTICIPATION_KEYS = ("pk",)


class ParticipationPageInput(CursorPageInput):
    cursor_arity = len(PARTICIPATION_KEYS)


class PagedParticipationOut(Schema):
    """A page of participations in the order they were recorded (id). `cursor` (the `next_cursor` of the
    previous response; `next` is the same request with it) continues right after its last row at any
    depth without an OFFSET; `page` works as before (an OFFSET, for the first pages). `count` stops at
    10,000: beyond it `count` is 10000 and `count_exact` false."""

    items: list[ParticipationOut]
    count: int = Field(description="rows in the list, at most 10,000 (see count_exact)")
    count_exact: bool = Field(description="false when the list has more than `count` rows")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")
    next: str | None = Field(
        description="the URL of the next page (this request with `cursor`); null on the last"
    )


@router.get("/participations", response=PagedParticipationOut)
def participation_list(
    request,
    status: one_of(cm.Participation.Status, blank=True) = "",
    segment: one_of(cm.Segment, blank=True) = "",
    scheme: Id | None = None,
    q: str = "",
    purpose: str = "",
    # the schema's fields are query parameters (page, page_size, cursor), as in the people list
    paging: Query[ParticipationPageInput] = None,  # type: ignore[assignment]
):
    """Participations in your scope, in the order they were recorded. Page with `cursor` (the previous
    response's `next_cursor`, or follow `next`) or `page`; `count` stops at 10,000 (`count_exact` false
    beyond). `purpose` (the reason, up to 300 characters) reveals the wages of the listed participations
    to a role that may see them; the reveal is audited."""
    paging = paging or ParticipationPageInput()
    wages_revealed(request, object_type="coverage.participation", purpose=purpose)
    queryset = selectors.participation_list(
        user=request.user, filters={"status": status, "segment": segment, "scheme": scheme, "q": q}
    ).order_by()
    page = cursor_or_number_page(
        queryset,
        keys=PARTICIPATION_KEYS,
        cursor=paging.cursor,
        page=paging.page,
        size=paging.page_size or 50,
    )
    return page_body(request, page)


@router.get("/participations/{int:pk}", response=ParticipationOut)
def participation_detail(request, pk: Id, purpose: str = ""):
    """`purpose` reveals the wage to a role that may see it (audited)."""
    part = get_object_or_404(selectors.participation_list(user=request.user), pk=pk)
    wages_revealed(request, part, purpose=purpose)
    return part


class SchemeOut(Schema):
    id: int
    name: str
    year: int
    sponsor: str
    region: str
    legal_basis: str
    target: int
    enrolled: int
    pending: int
    package: Decimal
    monthly_cost: Decimal
    yearly_cost: Decimal
    budget: Decimal
    budget_used: Decimal
    status: str


def _scheme_out(s) -> dict:
    summary = selectors.scheme_summary(s)
    return {
        "id": s.pk,
        "name": s.name,
        "year": s.year,
        "sponsor": str(s.sponsor_organisation),
        "region": s.region_id,
        "legal_basis": s.legal_basis,
        "target": s.target,
        "enrolled": summary["enrolled"],
        "pending": summary["pending"],
        "package": summary["package"],
        "monthly_cost": summary["monthly_cost"],
        "yearly_cost": summary["yearly_cost"],
        "budget": s.budget,
        "budget_used": summary["budget_used"],
        "status": s.status,
    }


@router.get("/schemes", response=list[SchemeOut])
def scheme_list(request):
    return [_scheme_out(s) for s in selectors.scheme_list(user=request.user)[:200]]


@router.get("/schemes/{int:pk}", response=SchemeOut)
def scheme_detail(request, pk: Id):
    return _scheme_out(get_object_or_404(selectors.scheme_list(user=request.user), pk=pk))


class CandidateOut(Schema):
    batch_id: int
    batch_status: str
    rank: int
    person_id: int
    name: str
    nik: str
    occupation: str
    district: str
    welfare_decile: int | None

    @staticmethod
    def resolve_batch_status(obj):
        return obj.batch.status

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_nik(obj):
        return mask_nik(obj.person.nik)

    @staticmethod
    def resolve_occupation(obj):
        return obj.person.occupation

    @staticmethod
    def resolve_district(obj):
        return obj.person.domicile_region_id

    @staticmethod
    def resolve_welfare_decile(obj):
        return obj.person.welfare_decile


@router.get("/schemes/{int:pk}/candidates", response=list[CandidateOut])
@paginate(PageNumberPagination, page_size=100)
def candidate_list(request, pk: Id):
    scheme = get_object_or_404(selectors.scheme_list(user=request.user), pk=pk)
    return selectors.candidate_list(user=request.user, scheme=scheme)


class SelectIn(Schema):
    limit: Count | None = None


class BatchOut(Schema):
    id: int
    scheme_id: int
    status: str
    candidates: int
    selected_by: str
    decided_by: str | None


def _batch_out(b) -> dict:
    return {
        "id": b.pk,
        "scheme_id": b.scheme_id,
        "status": b.status,
        "candidates": b.candidates.count(),
        "selected_by": str(b.selected_by),
        "decided_by": str(b.decided_by) if b.decided_by else None,
    }


@router.post("/schemes/{int:pk}/select", response={201: BatchOut})
def scheme_select(request, pk: Id, payload: SelectIn):
    scheme = get_object_or_404(selectors.scheme_list(user=request.user), pk=pk)
    return 201, _batch_out(services.candidates_select(actor=request.user, scheme=scheme, limit=payload.limit))


class DecideIn(Schema):
    approve: bool
    note: str = ""


@router.post("/candidate-lists/{int:pk}/decide", response=BatchOut)
def batch_decide(request, pk: Id, payload: DecideIn):
    batch = get_object_or_404(selectors.batch_list(user=request.user), pk=pk)
    return _batch_out(
        services.batch_decide(actor=request.user, batch=batch, approve=payload.approve, note=payload.note)
    )


class BillOut(Schema):
    id: int
    number: str
    month: dt.date
    payer_kind: named(cm.PayerKind)
    payer_name: str
    participations: int
    employer_part: Decimal
    worker_part: Decimal
    total: Decimal
    paid: Decimal
    status: named(cm.Bill.Status)
    due_date: dt.date


BILL_FIELDS = (
    "id",
    "number",
    "month",
    "payer_kind",
    "payer_name",
    "participations",
    "employer_part",
    "worker_part",
    "total",
    "paid",
    "status",
    "due_date",
)


class BillPageInput(CursorPageInput):
    cursor_model, cursor_keys = cm.Bill, selectors.BILL_SORT_KEYS


class PagedBillOut(Schema):
    """A page of bills, newest month first and within a month the latest bill first (month, id both
    descending). `cursor` (the `next_cursor` of the previous response; `next` is the same request with it)
    continues right after its last row at any depth without an OFFSET; `page` works as before (an OFFSET,
    for the first pages). `count` stops at 10,000: beyond it `count` is 10000 and `count_exact` false."""

    items: list[BillOut]
    count: int = Field(description="rows in the list, at most 10,000 (see count_exact)")
    count_exact: bool = Field(description="false when the list has more than `count` rows")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")
    next: str | None = Field(
        description="the URL of the next page (this request with `cursor`); null on the last"
    )


@router.get("/bills", response=PagedBillOut)
def bill_list(
    request,
    month: str = "",
    status: one_of(cm.Bill.Status, blank=True) = "",
    payer_kind: one_of(cm.PayerKind, blank=True) = "",
    q: str = "",
    # the schema's fields are query parameters (page, page_size, cursor), as in the people list
    paging: Query[BillPageInput] = None,  # type: ignore[assignment]
):
    """Bills in your scope, newest month first. Page with `cursor` (the previous response's
    `next_cursor`, or follow `next`) or `page`; `count` stops at 10,000 (`count_exact` false beyond). A
    cursor that is not one of this list answers 422."""
    paging = paging or BillPageInput()
    filters = {"month": month, "status": status, "payer_kind": payer_kind, "q": q}
    queryset = selectors.bill_list(user=request.user, filters=filters)
    page = cursor_or_number_page(
        queryset.values("pk", *BILL_FIELDS),  # "pk": the cursor's last key
        keys=selectors.BILL_SORT_KEYS,
        cursor=paging.cursor,
        page=paging.page,
        size=paging.page_size or 50,
        count_qs=queryset,
        count_through=kept_count(request.user, "coverage.bills.count", filters),
        row_values=True,
    )
    return page_body(request, page)


@router.get("/bills/{int:pk}", response=BillOut)
def bill_detail(request, pk: Id):
    return get_object_or_404(selectors.bill_list(user=request.user).values(*BILL_FIELDS), pk=pk)


class BillingIn(Schema):
    month: str


class BillingJobOut(Schema):
    job_id: int
    status: str


@router.post("/billing-runs", response={202: BillingJobOut})
def billing_start(request, payload: BillingIn):

    job = tasks.billing_start(
        user=request.user,
        month=services._first_of(payload.month),
        idempotency_key=request_idempotency_key(request, "coverage.billing"),
    )
    return 202, {"job_id": job.pk, "status": job.status}


class ContributionPaymentOut(Schema):
    id: int
    bill_id: int
    bill_number: str
    amount: Decimal
    paid_on: dt.date
    reference: str
    source: str

    @staticmethod
    def resolve_bill_number(obj):
        return obj.bill.number


@router.get("/payments", response=list[ContributionPaymentOut])
@paginate(PageNumberPagination, page_size=50)
def payment_list(request):
    return selectors.payment_list(user=request.user)


class ContributionPaymentIn(Schema):
    bill_id: Id
    amount: Rupiah
    paid_on: Date
    reference: str


@router.post("/payments", response={201: ContributionPaymentOut})
def payment_create(request, payload: ContributionPaymentIn):
    require(request.user, "run_billing")
    bill = get_object_or_404(selectors.bill_list(user=request.user), pk=payload.bill_id)
    p = services.payment_record(
        actor=request.user,
        bill=bill,
        amount=payload.amount,
        paid_on=payload.paid_on,
        reference=payload.reference,
    )
    return 201, p


class PaymentImportOut(Schema):
    rows: int
    total: Decimal


class PaymentImportErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[dict] = []


@router.post("/payments/import", response={200: PaymentImportOut, 400: PaymentImportErrorOut})
def payment_import(request, file: UploadedFile = File(...)):  # noqa: B008 - ninja's declaration style
    """All rows are validated first; any bad row → 400 listing every bad row, and nothing is saved."""
    try:
        return services.payments_import(actor=request.user, data=file.read(), filename=file.name or "")
    except services.ImportErrors as exc:
        return 400, {"code": exc.code, "message": str(exc.message), "field": "file", "errors": exc.errors}


class GapGroupOut(Schema):
    key: str | int | None
    label: str
    count: int


class GapOut(Schema):
    on: dt.date
    total: int
    by: str
    groups: list[GapGroupOut]


@router.get("/gap", response=GapOut)
def gap(
    request,
    by: str = "region",
    body: Id | None = None,
    region: str = "",
    employer: Id | None = None,
    occupation: str = "",
):
    """Counts of workers and union members without coverage in force, grouped by union, region,
    employer or occupation."""
    by = by if by in selectors.GAP_GROUPS else "region"
    filters = {"body": body, "region": region, "employer": employer, "occupation": occupation}
    on = clock.today()
    figures = cached_figures(
        request.user,
        "coverage.gap",
        lambda: selectors.gap_figures(user=request.user, by=by, on=on, filters=filters),
        by,
        *[f"{k}={v or ''}" for k, v in sorted(filters.items())],
    )
    return {"on": on, "total": figures["total"], "by": by, "groups": figures["groups"]}


class GapPersonOut(Schema):
    id: int
    name: str
    nik: str
    region: str
    occupation: str
    employment_type: str

    @staticmethod
    def resolve_nik(obj):
        return mask_nik(obj.nik)

    @staticmethod
    def resolve_region(obj):
        return obj.domicile_region_id


# (name, id): the gap page's order, served by the index registry_person_name_id
GAP_KEYS = ("name", "pk")


class GapPageInput(CursorPageInput):
    cursor_arity = len(GAP_KEYS)
    page_size: int | None = Field(default=None, ge=1, le=1000, description="rows per page (default 100)")


class PagedGapPersonOut(Schema):
    """A page of people without cover by (name, id), like the people list: `cursor` / `next` continue
    after the last row at any depth; `count` stops at 10,000 (`count_exact` false beyond)."""

    items: list[GapPersonOut]
    count: int = Field(description="rows in the list, at most 10,000 (see count_exact)")
    count_exact: bool = Field(description="false when the list has more than `count` rows")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")
    next: str | None = Field(
        description="the URL of the next page (this request with `cursor`); null on the last"
    )


@router.get("/gap/people", response=PagedGapPersonOut)
def gap_people(
    request,
    body: Id | None = None,
    region: str = "",
    employer: Id | None = None,
    occupation: str = "",
    paging: Query[GapPageInput] = None,  # type: ignore[assignment]
):
    """People without cover in force today in your scope, by name. Page with `cursor` (or follow `next`)
    or `page`; `count` stops at 10,000 (`count_exact` false beyond)."""
    paging = paging or GapPageInput()
    filters = {"body": body, "region": region, "employer": employer, "occupation": occupation}
    queryset = selectors.gap_people(user=request.user, filters=filters).order_by()
    page = cursor_or_number_page(
        queryset,
        keys=GAP_KEYS,
        cursor=paging.cursor,
        page=paging.page,
        size=paging.page_size or 100,
    )
    return page_body(request, page)
