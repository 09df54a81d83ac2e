"""The leadership dashboard's content for one region (or union body) and year, read from the precomputed
indicator figures (planning.Figure): targets against achievements, trends, absorption, the red list and
the drill-down. The same dictionary feeds the page, its XLSX exports, the monthly PDF and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.planning import indicators
from sinergi.planning import selectors as planning
from sinergi.planning.models import Plan
from sinergi.planning.snapshots import month_end
from sinergi.regions.models import Region
from sinergi.unions.models import UnionBody

if TYPE_CHECKING:
    from sinergi.accounts.models import User

DEFAULT_DRILL = (
    "cards.issued",
    "coverage.participants",
    "coverage.sponsored",
    "coverage.gap",
    "programs.trainees",
)


def home_region(user: User) -> str:
    scope = user_scope(user)
    if scope.region_prefixes:
        return scope.region_prefixes[0]
    org = getattr(user, "organisation", None)
    if scope.is_global:
        return getattr(org, "region_id", "") or ""
    return getattr(org, "region_id", "") or ""


def allowed_region(user: User, requested: str) -> str:
    """The requested region if the user may see it, else the user's home region."""
    scope = user_scope(user)
    if scope.is_union or scope.is_sponsor:
        return home_region(user)
    if requested and (scope.is_global or scope.covers_region(requested)):
        return requested
    return home_region(user)


def union_bodies_for(user: User, body_id: int | None):
    """(the body shown, ids of it and its subtree) for a union federation view, scoped."""
    scope = user_scope(user)
    qs = UnionBody.objects.all()
    if scope.is_union:
        qs = qs.filter(pk__in=scope.union_body_ids or frozenset())
        if body_id is None and scope.union_body_path:
            body_id = qs.filter(path=scope.union_body_path).values_list("pk", flat=True).first()
    elif not scope.is_global:
        qs = qs.filter(scope.region_q("region_id"))
    if body_id is None:
        return None, None
    body = qs.filter(pk=body_id).first()
    if body is None:
        return None, None
    ids = list(UnionBody.objects.filter(path__startswith=body.path).values_list("pk", flat=True))
    return body, ids


def default_year(region: str) -> int:
    """This year if a plan is in force for it in the region, else the latest year that has one."""
    this_year = clock.today().year
    years = _plans(region, None).filter(year__lte=this_year).values_list("year", flat=True)
    return this_year if this_year in set(years) else max(years, default=this_year)


def _plans(region: str, year: int | None):
    qs = Plan.objects.filter(status=Plan.Status.IN_FORCE)
    if year is not None:
        qs = qs.filter(year=year)
    if region:
        # plans of the region, and plans above it that set targets in it (a provincial plan's target for
        # a regency); their budget lines stay the plan's own
        qs = qs.filter(
            Q(region__pk__startswith=region) | Q(activities__targets__region__pk__startswith=region)
        )
    return qs.distinct()


def _region_names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def _month_points(year: int):
    """(date, snapshot, frozen?) for each month end of the year frozen so far, then today's live figures."""
    points = [(s.period_end, s, True) for s in planning.frozen_snapshots(year)]
    live = planning.live_snapshot()
    if live and live.period_end.year == year and all(p[0] < live.period_end for p in points):
        points.append((live.period_end, live, False))
    return points


def dashboard(*, user: User, region: str = "", year: int | None = None, body_id: int | None = None) -> dict:
    region = allowed_region(user, region)
    year = year or default_year(region)
    body, body_ids = union_bodies_for(user, body_id)
    if user_scope(user).is_union and body is None:
        body_ids = []
    suppress = planning.suppresses_small_cells(user)
    live = planning.live_snapshot()
    as_of = live.period_end if live and live.period_end.year == year else dt.date(year, 12, 31)
    if as_of > clock.today():
        as_of = clock.today()
    points = _month_points(year)
    # the figure the dashboard reads: today's live one for the current year, else the last frozen month
    current = points[-1][1] if points else None
    filter_region = "" if body_ids is not None else region
    plans = _plans(region, year) if body_ids is None else Plan.objects.none()

    targets = planning.target_rows(
        plans=plans, snapshot=current, as_of=as_of, suppress=suppress, region=region
    )
    trend_keys = list(dict.fromkeys(t["target"].indicator for t in targets)) or list(DEFAULT_DRILL[:3])
    by_snapshot = planning.series([p[1] for p in points], region=filter_region, union_body_ids=body_ids)
    drill_keys = list(dict.fromkeys([*trend_keys, *DEFAULT_DRILL]))
    drill_by, drill = _drill(current, region, body_ids, drill_keys, suppress)
    region_name = _region_names([region]).get(region, "") if region else str(_("All regions"))
    return {
        "year": year,
        "region": region,
        "region_name": region_name,
        "body": body,
        "as_of": as_of,
        "live": live,
        "current": current,
        "last_frozen": next((p[1] for p in reversed(points) if p[2]), None),
        "targets": targets,
        "red": [t for t in targets if t["behind"]],
        "trends": _trends(points, targets, trend_keys, by_snapshot, suppress),
        "absorption": planning.absorption_by_month(plans, year) if body_ids is None else [],
        "budget_rows": _budget_rows(plans, current),
        "drill_by": drill_by,
        "drill_indicators": [indicators.get(k) for k in drill_keys],
        "drill": drill,
        "parent_region": region[: {2: 0, 4: 2, 6: 4}.get(len(region), 0)] if len(region) > 2 else "",
        "suppress": suppress,
    }


def _trends(points, targets, trend_keys, by_snapshot, suppress: bool) -> list[dict]:
    """One chart per indicator with a target: achieved vs time-proportional target per month end."""
    trends = []
    for key in trend_keys:
        indicator = indicators.get(key)
        achieved = []
        for _day, snap, _frozen in points:
            value, people = by_snapshot.get(snap.pk, {}).get(key, (Decimal(0), 0))
            achieved.append(planning.shown(key, value, people, suppress=suppress))
        expected = []
        quarters = [
            sum((t["target"].quarters()[i] for t in targets if t["target"].indicator == key), Decimal(0))
            for i in range(4)
        ]
        for day, _snap, _frozen in points:
            expected.append(planning.expected_by(quarters, day) if any(quarters) else None)
        trends.append(
            {
                "indicator": indicator,
                "dates": [p[0] for p in points],
                "achieved": achieved,
                "expected": expected,
                "frozen": [p[2] for p in points],
            }
        )
    return trends


def _budget_rows(plans, current) -> list[dict]:
    budget_rows = []
    for plan in plans:
        for row in planning.budget_rows(plan, current):
            row["plan"] = plan
            budget_rows.append(row)
    return budget_rows


def _union_names(parts) -> dict:
    names = dict(UnionBody.objects.filter(pk__in=[int(k) for k in parts]).values_list("pk", "name"))
    return {k: names.get(int(k), k) for k in parts}


def _drill(current, region: str, body_ids, drill_keys: list[str], suppress: bool) -> tuple[str, list[dict]]:
    """The drill-down: the next region level (or union bodies below a district / federation)."""
    if body_ids is not None:
        parts = planning.breakdown(current, region="", by="union", union_body_ids=body_ids)
        drill_by = "union"
        labels = _union_names(parts)
    else:
        drill_by = "union" if len(region) >= 6 else "region"
        parts = planning.breakdown(current, region=region, by=drill_by)
        labels = _union_names(parts) if drill_by == "union" else _region_names(parts)
    drill = []
    for key in sorted(parts, key=lambda k: str(labels.get(k, k))):
        cells = parts[key]
        drill.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "values": [
                    planning.shown(k, *cells.get(k, (Decimal(0), 0)), suppress=suppress) for k in drill_keys
                ],
            }
        )
    return drill_by, drill


def monthly_period(year: int, month: int) -> dt.date:
    return month_end(dt.date(year, month, 1))
