"""Reads for planning, already scoped: plans, their versions, indicator figures (live and frozen) summed
over a region or a union body, targets against achievements, budget realisation and the what-if."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, Sum
from django.db.models.functions import Substr

from sinergi.accounts.roles import Role, can
from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.core.errors import NotFound
from sinergi.coverage.models import Scheme
from sinergi.planning import indicators
from sinergi.planning.models import BudgetLine, Figure, Plan, Revision, Snapshot, Target
from sinergi.planning.snapshots import month_end
from sinergi.rules.contributions import package_monthly

if TYPE_CHECKING:
    from sinergi.accounts.models import User

# Aggregates with fewer people than this are hidden from viewers outside the owning organisation.
SMALL_CELL = 5
DATA_OWNER_ROLES = {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN}


def plan_scope(user: User):
    scope = user_scope(user)
    qs = Plan.objects.all()
    if scope.is_global:
        return qs
    q = Q(review_team__members=user) | Q(organisation_id=scope.organisation_id)
    if scope.is_union:
        q |= Q(organisation__union_body_id__in=scope.union_body_ids or [])
    elif not scope.is_sponsor:
        q |= scope.region_q("region_id")
    return qs.filter(q).distinct()


def plan_list(*, user: User, filters=None):
    qs = plan_scope(user).select_related("organisation", "region")
    f = filters or {}
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    return qs


def plan_get(*, user: User, pk) -> Plan:
    plan = plan_scope(user).filter(pk=pk).select_related("organisation", "region", "review_team").first()
    if plan is None:
        raise NotFound("plan")
    return plan


def revision_scope(user: User):
    return Revision.objects.filter(plan__in=plan_scope(user))


def can_edit(user: User, plan: Plan) -> bool:
    if user.role == Role.ADMIN:
        return True
    return can(user, "manage_plans") and user.organisation_id == plan.organisation_id


def can_approve(user: User, plan: Plan) -> bool:
    return can(user, "approve_plans") and (
        user.role == Role.ADMIN or user_scope(user).covers_region(plan.region_id)
    )


def suppresses_small_cells(user: User) -> bool:
    return user.role not in DATA_OWNER_ROLES


# --- figures -----------------------------------------------------------------------------------------------


def live_snapshot() -> Snapshot | None:
    return Snapshot.objects.filter(kind=Snapshot.Kind.LIVE).order_by("-computed_at").first()


def frozen_snapshots(year: int, kind: str = Snapshot.Kind.MONTH) -> list[Snapshot]:
    return list(Snapshot.objects.filter(kind=kind, period_end__year=year).order_by("period_end"))


def _cells(snapshot, region: str = "", union_body_ids=None, scheme_id=None):
    qs = Figure.objects.filter(snapshot=snapshot)
    if scheme_id is not None:
        qs = qs.filter(scheme_id=scheme_id)
    if region:
        qs = qs.filter(region_code__startswith=region)
    if union_body_ids is not None:
        qs = qs.filter(union_body_id__in=union_body_ids)
    return qs


def totals(
    snapshot, *, region: str = "", union_body_ids=None, scheme_id=None
) -> dict[str, tuple[Decimal, int]]:
    """{indicator: (value, people)} summed over the region (code prefix) and/or union bodies (and, for
    indicators counted by scheme, one sponsored scheme)."""
    if snapshot is None:
        return {}
    rows = (
        _cells(snapshot, region, union_body_ids, scheme_id)
        .values("indicator")
        .annotate(v=Sum("value"), p=Sum("people"))
    )
    return {r["indicator"]: (Decimal(r["v"] or 0), int(r["p"] or 0)) for r in rows}


def breakdown(snapshot, *, region: str, by: str, union_body_ids=None) -> dict[str, dict[str, tuple]]:
    """{child key: {indicator: (value, people)}}; by="region" groups by the next region level,
    by="union" by union body."""
    if snapshot is None:
        return {}
    qs = _cells(snapshot, region, union_body_ids)
    if by == "union":
        rows = (
            qs.exclude(union_body_id=None)
            .values("indicator", "union_body_id")
            .annotate(v=Sum("value"), p=Sum("people"))
        )
        key = "union_body_id"
    else:
        child_len = {0: 2, 2: 4, 4: 6}.get(len(region), 6)
        rows = qs.values("indicator", child=Substr("region_code", 1, child_len)).annotate(
            v=Sum("value"), p=Sum("people")
        )
        key = "child"
    out: dict = defaultdict(dict)
    for r in rows:
        out[str(r[key])][r["indicator"]] = (Decimal(r["v"] or 0), int(r["p"] or 0))
    return dict(out)


def shown(indicator_key: str, value, people, *, suppress: bool):
    """The figure to show, or None when it is hidden as a small cell (1–4 people)."""
    indicator = indicators.get(indicator_key)
    if indicator is None:
        return None
    if suppress and indicator.people_based and 0 < people < SMALL_CELL:
        return None
    return indicators.figure_of(indicator, value, people)


# --- targets -------------------------------------------------------------------------------------------------


def expected_by(target_quarters: list[Decimal], on: dt.date) -> Decimal:
    """The time-proportional target on a date: linear between the quarter-end targets (0 on 1 January)."""
    year = on.year
    points = [(dt.date(year, 1, 1), Decimal(0))] + [
        (month_end(dt.date(year, 3 * (i + 1), 1)), Decimal(q)) for i, q in enumerate(target_quarters)
    ]
    if on >= points[-1][0]:
        return points[-1][1]
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if d0 <= on <= d1:
            span = (d1 - d0).days or 1
            return (v0 + (v1 - v0) * Decimal((on - d0).days) / Decimal(span)).quantize(Decimal(1))
    return Decimal(0)


def target_rows(*, plans, snapshot, as_of: dt.date, suppress: bool, region: str = "") -> list[dict]:
    """Each target of the plans (within `region` when given) with its achievement from the snapshot."""
    targets = Target.objects.filter(activity__plan__in=plans).select_related("activity__plan", "region")
    if region:
        targets = targets.filter(region__pk__startswith=region)
    cache: dict = {}
    rows = []
    for t in targets:
        indicator = indicators.get(t.indicator)
        if indicator is None:
            continue
        area = t.region_id
        if (area, t.indicator) not in cache:
            cache[(area, t.indicator)] = totals(snapshot, region=area).get(t.indicator, (Decimal(0), 0))
        value, people = cache[(area, t.indicator)]
        achieved = shown(t.indicator, value, people, suppress=suppress)
        annual = t.q4
        expected = (
            expected_by(t.quarters(), as_of)
            if as_of.year == t.activity.plan.year
            else (annual if as_of.year > t.activity.plan.year else Decimal(0))
        )
        behind = achieved is not None and expected > 0 and achieved < expected
        rows.append(
            {
                "target": t,
                "plan": t.activity.plan,
                "indicator": indicator,
                "region": t.region,
                "annual": annual,
                "expected": expected,
                "achieved": achieved,
                "percent": (achieved / annual * 100).quantize(Decimal("0.1"))
                if achieved is not None and annual
                else None,
                "behind": behind,
            }
        )
    return rows


def series(snapshots_, *, region: str = "", union_body_ids=None) -> dict[int, dict[str, tuple]]:
    """{snapshot id: {indicator: (value, people)}} for several snapshots in one query (trend charts)."""
    qs = Figure.objects.filter(snapshot__in=snapshots_)
    if region:
        qs = qs.filter(region_code__startswith=region)
    if union_body_ids is not None:
        qs = qs.filter(union_body_id__in=union_body_ids)
    out: dict = defaultdict(dict)
    for r in qs.values("snapshot_id", "indicator").annotate(v=Sum("value"), p=Sum("people")):
        out[r["snapshot_id"]][r["indicator"]] = (Decimal(r["v"] or 0), int(r["p"] or 0))
    return dict(out)


# --- budget realisation --------------------------------------------------------------------------------------


def line_realised(line: BudgetLine, snapshot) -> Decimal | None:
    """Rupiah realised on a line up to the snapshot's date, from its spend indicator in the plan's region;
    a line of a sponsored scheme counts that scheme's premiums only (wherever its participants live)."""
    if not line.spend_indicator or snapshot is None:
        return None
    if line.scheme_id and line.spend_indicator == "coverage.premiums_paid":
        found = totals(snapshot, scheme_id=line.scheme_id)
    else:
        found = totals(snapshot, region=line.activity.plan.region_id)
    value, _people = found.get(line.spend_indicator, (Decimal(0), 0))
    if line.unit_cost:
        return value * line.unit_cost
    return value


def budget_rows(plan: Plan, snapshot) -> list[dict]:
    rows = []
    for line in BudgetLine.objects.filter(activity__plan=plan).select_related("activity", "scheme"):
        realised = line_realised(line, snapshot)
        rows.append(
            {
                "line": line,
                "realised": realised,
                "absorption": (realised / line.amount * 100).quantize(Decimal("0.1"))
                if realised is not None and line.amount
                else None,
            }
        )
    return rows


def absorption_by_month(plans, year: int, region: str = "") -> list[dict]:
    """Budget and realised rupiah at each frozen month end of the year (plus today's live figure)."""
    lines = list(BudgetLine.objects.filter(activity__plan__in=plans).select_related("activity__plan"))
    budget = sum((ln.amount for ln in lines), Decimal(0))
    points = [(s.period_end, s) for s in frozen_snapshots(year)]
    live = live_snapshot()
    if live and live.period_end.year == year and all(p[0] < live.period_end for p in points):
        points.append((live.period_end, live))
    out = []
    for day, snap in points:
        realised = sum((line_realised(ln, snap) or Decimal(0) for ln in lines), Decimal(0))
        out.append(
            {
                "date": day,
                "live": not snap.frozen,
                "budget": budget,
                "realised": realised,
                "absorption": (realised / budget * 100).quantize(Decimal("0.1")) if budget else None,
            }
        )
    return out


def what_if(*, scheme, people: int, from_month: dt.date | None = None) -> dict:
    """The cost of covering `people` more under a sponsored scheme from `from_month` to December, at the
    dated monthly package of each month (rules.contributions.package_monthly)."""
    start = (from_month or clock.today()).replace(day=1)
    if start.year < scheme.year:
        start = dt.date(scheme.year, 1, 1)
    months = []
    month = start
    while month.year == scheme.year:
        months.append((month, package_monthly(month, with_jht=scheme.include_jht)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    per_person = sum((amount for _m, amount in months), Decimal(0))
    return {
        "scheme": scheme,
        "people": people,
        "months": months,
        "per_person": per_person,
        "total": per_person * people,
    }


def premiums_by_scheme(snapshot, *, region: str = "") -> list[dict]:
    """Premiums paid per sponsored scheme (and per district within it) in a snapshot, for the region:
    [{scheme_id, scheme, value, people, regions: [{region_code, value, people}]}], largest first."""
    if snapshot is None:
        return []
    rows = (
        _cells(snapshot, region)
        .filter(indicator="coverage.premiums_paid")
        .values("scheme_id", "region_code")
        .annotate(v=Sum("value"), p=Sum("people"))
        .order_by("scheme_id", "region_code")
    )
    out: dict = {}
    for r in rows:
        entry = out.setdefault(
            r["scheme_id"], {"scheme_id": r["scheme_id"], "value": Decimal(0), "people": 0, "regions": []}
        )
        entry["value"] += Decimal(r["v"] or 0)
        entry["people"] += int(r["p"] or 0)
        entry["regions"].append(
            {"region_code": r["region_code"], "value": Decimal(r["v"] or 0), "people": int(r["p"] or 0)}
        )
    names = dict(Scheme.objects.filter(pk__in=[k for k in out if k]).values_list("pk", "name"))
    for key, entry in out.items():
        entry["scheme"] = names.get(key, "") if key else ""
    return sorted(out.values(), key=lambda e: (-e["value"], e["scheme"]))
