"""API for plans, indicators (live and frozen), budgets and realisation, the dashboard and the what-if.
Scoped like the pages; writes go through the same services."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.scoping import user_scope
from sinergi.core.apitypes import Count, Date, Id, PageNumberPagination, Year
from sinergi.core.errors import SinergiError
from sinergi.coverage.selectors import scheme_list
from sinergi.planning import indicators, selectors, services
from sinergi.planning.models import Snapshot

router = Router(tags=["planning"])


class PlanOut(Schema):
    id: int
    organisation: str
    region: str
    year: int
    title: str
    legal_basis: str
    status: str
    version: int


class TargetOut(Schema):
    id: int
    indicator: str
    region: str
    quarters: list[Decimal]


class BudgetLineOut(Schema):
    id: int
    account_code: str
    sub_activity: str
    source: str
    amount: Decimal
    protected: bool
    spend_indicator: str
    unit_cost: Decimal | None
    realised: Decimal | None
    absorption_percent: Decimal | None


class ActivityOut(Schema):
    id: int
    program: str
    name: str
    responsible_unit: str
    targets: list[TargetOut]
    budget_lines: list[BudgetLineOut]


class ReviewOut(Schema):
    round: int
    member: str
    verdict: str
    comment: str
    at: dt.datetime


class VersionOut(Schema):
    number: int
    effective_date: dt.date
    reason: str
    content: dict


class RevisionOut(Schema):
    id: int
    reason: str
    effective_date: dt.date
    status: str
    cuts_protected: bool
    changes: dict


class PlanDetailOut(PlanOut):
    activities: list[ActivityOut]
    reviews: list[ReviewOut]
    versions: list[VersionOut]
    revisions: list[RevisionOut]


def _plan_out(p) -> dict:
    return {
        "id": p.pk,
        "organisation": str(p.organisation),
        "region": p.region_id,
        "year": p.year,
        "title": p.title,
        "legal_basis": p.legal_basis,
        "status": p.status,
        "version": p.version,
    }


class PlanFilter(Schema):
    year: Year | None = None
    status: str | None = None


@router.get("/plans", response=list[PlanOut])
@paginate(PageNumberPagination, page_size=50)
def plan_list(request, filters: Query[PlanFilter]):
    return [_plan_out(p) for p in selectors.plan_list(user=request.user, filters=filters.dict())]


@router.get("/plans/{pk}", response=PlanDetailOut)
def plan_detail(request, pk: Id):
    plan = get_object_or_404(selectors.plan_scope(request.user), pk=pk)
    live = selectors.live_snapshot()
    budget = {r["line"].pk: r for r in selectors.budget_rows(plan, live)}
    out = _plan_out(plan)
    out["activities"] = [
        {
            "id": a.pk,
            "program": a.program,
            "name": a.name,
            "responsible_unit": a.responsible_unit,
            "targets": [
                {"id": t.pk, "indicator": t.indicator, "region": t.region_id, "quarters": t.quarters()}
                for t in a.targets.all()
            ],
            "budget_lines": [
                {
                    "id": b.pk,
                    "account_code": b.account_code,
                    "sub_activity": b.sub_activity,
                    "source": b.source,
                    "amount": b.amount,
                    "protected": b.protected,
                    "spend_indicator": b.spend_indicator,
                    "unit_cost": b.unit_cost,
                    "realised": budget[b.pk]["realised"],
                    "absorption_percent": budget[b.pk]["absorption"],
                }
                for b in a.budget_lines.all()
            ],
        }
        for a in plan.activities.prefetch_related("targets", "budget_lines")
    ]
    out["reviews"] = [
        {"round": r.round, "member": str(r.member), "verdict": r.verdict, "comment": r.comment, "at": r.at}
        for r in plan.reviews.select_related("member")
    ]
    out["versions"] = [
        {"number": v.number, "effective_date": v.effective_date, "reason": v.reason, "content": v.content}
        for v in plan.versions.all()
    ]
    out["revisions"] = [
        {
            "id": r.pk,
            "reason": r.reason,
            "effective_date": r.effective_date,
            "status": r.status,
            "cuts_protected": r.cuts_protected,
            "changes": r.changes,
        }
        for r in plan.revisions.all()
    ]
    return out


class AbsorptionOut(Schema):
    date: dt.date
    frozen: bool
    budget: Decimal
    realised: Decimal
    absorption_percent: Decimal | None


@router.get("/plans/{pk}/absorption", response=list[AbsorptionOut])
def plan_absorption(request, pk: Id):
    plan = get_object_or_404(selectors.plan_scope(request.user), pk=pk)
    return [
        {
            "date": m["date"],
            "frozen": not m["live"],
            "budget": m["budget"],
            "realised": m["realised"],
            "absorption_percent": m["absorption"],
        }
        for m in selectors.absorption_by_month([plan], plan.year)
    ]


class ReviewIn(Schema):
    verdict: str
    comment: str = ""


@router.post("/plans/{pk}/review", response=PlanOut)
def plan_review(request, pk: Id, payload: ReviewIn):
    plan = get_object_or_404(selectors.plan_scope(request.user), pk=pk)
    services.plan_review(actor=request.user, plan=plan, verdict=payload.verdict, comment=payload.comment)
    plan.refresh_from_db()
    return _plan_out(plan)


class IndicatorOut(Schema):
    key: str
    label: str
    unit: str
    aggregate: str
    definition: str
    live: Decimal | None
    live_as_of: dt.date | None
    frozen: Decimal | None
    frozen_as_of: dt.date | None


class IndicatorQuery(Schema):
    region: str = ""
    as_of: Date | None = None


def _region_for(request, requested: str) -> str:
    scope = user_scope(request.user)
    if not requested.isdigit():
        requested = ""
    if scope.is_global:
        return requested
    if requested and scope.covers_region(requested):
        return requested
    if scope.region_prefixes:
        return scope.region_prefixes[0]
    org = request.user.organisation
    return org.region_id if org else "__none__"


@router.get("/indicators", response=list[IndicatorOut])
def indicator_list(request, q: Query[IndicatorQuery]):
    """Live figures and the frozen month-end figure (the latest, or the month end `as_of`) for the region."""
    region = _region_for(request, q.region)
    scope = user_scope(request.user)
    bodies = scope.union_body_ids if scope.is_union else None
    live = selectors.live_snapshot()
    frozen_qs = Snapshot.objects.filter(kind=Snapshot.Kind.MONTH)
    if q.as_of:
        frozen_qs = frozen_qs.filter(period_end__lte=q.as_of)
    frozen = frozen_qs.order_by("-period_end").first()
    suppress = selectors.suppresses_small_cells(request.user)
    lt = selectors.totals(live, region="" if bodies is not None else region, union_body_ids=bodies)
    ft = selectors.totals(frozen, region="" if bodies is not None else region, union_body_ids=bodies)
    return [
        {
            "key": key,
            "label": str(ind.label),
            "unit": ind.unit,
            "aggregate": ind.aggregate,
            "definition": str(ind.definition),
            "live": selectors.shown(key, *lt.get(key, (0, 0)), suppress=suppress) if live else None,
            "live_as_of": live.period_end if live else None,
            "frozen": selectors.shown(key, *ft.get(key, (0, 0)), suppress=suppress) if frozen else None,
            "frozen_as_of": frozen.period_end if frozen else None,
        }
        for key, ind in indicators.registry().items()
    ]


class WhatIfOut(Schema):
    scheme: str
    people: int
    per_person: Decimal
    total: Decimal
    months: list[dict]


@router.get("/what-if", response=WhatIfOut)
def what_if(request, scheme: Count, people: Count, from_month: Date | None = None):
    if people < 1 or people > 10_000_000:
        raise SinergiError("people: 1–10,000,000", field="people")
    s = get_object_or_404(scheme_list(user=request.user), pk=scheme)
    r = selectors.what_if(scheme=s, people=people, from_month=from_month)
    return {
        "scheme": str(s),
        "people": people,
        "per_person": r["per_person"],
        "total": r["total"],
        "months": [{"month": m.isoformat(), "amount": str(a)} for m, a in r["months"]],
    }


SCOPED_DETAIL_PATHS = {
    "/planning/plans/{pk}": ("planning.Plan", "sinergi.planning.selectors.plan_scope"),
    "/planning/plans/{pk}/absorption": ("planning.Plan", "sinergi.planning.selectors.plan_scope"),
}
