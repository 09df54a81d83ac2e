"""API for the leadership dashboard: the same figures as the page (suppressed cells are null)."""

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema

from sinergi.core.apitypes import Id, Year
from sinergi.reporting import selectors

router = Router(tags=["reporting"])


class DashboardQuery(Schema):
    region: str = ""
    year: Year | None = None
    body: Id | None = None


class TargetRowOut(Schema):
    plan: str
    indicator: str
    region: str
    annual: Decimal
    expected: Decimal
    achieved: Decimal | None
    percent: Decimal | None
    behind: bool


class DrillOut(Schema):
    key: str
    label: str
    values: dict


class DashboardOut(Schema):
    region: str
    region_name: str
    year: int
    as_of: dt.date
    figures_as_of: dt.date | None
    frozen: bool | None
    targets: list[TargetRowOut]
    absorption: list[dict]
    drill_by: str
    drill: list[DrillOut]


@router.get("/dashboard", response=DashboardOut)
def dashboard(request, q: Query[DashboardQuery]):
    region = q.region if q.region.isdigit() else ""
    year = q.year if q.year and 2000 <= q.year <= 2100 else None
    d = selectors.dashboard(user=request.user, region=region, year=year, body_id=q.body)
    keys = [i.key for i in d["drill_indicators"]]
    return {
        "region": d["region"],
        "region_name": str(d["region_name"]),
        "year": d["year"],
        "as_of": d["as_of"],
        "figures_as_of": d["current"].period_end if d["current"] else None,
        "frozen": d["current"].frozen if d["current"] else None,
        "targets": [
            {
                "plan": str(r["plan"]),
                "indicator": r["indicator"].key,
                "region": r["region"].code,
                "annual": r["annual"],
                "expected": r["expected"],
                "achieved": r["achieved"],
                "percent": r["percent"],
                "behind": r["behind"],
            }
            for r in d["targets"]
        ],
        "absorption": [
            {
                "date": m["date"].isoformat(),
                "frozen": not m["live"],
                "budget": str(m["budget"]),
                "realised": str(m["realised"]),
                "absorption_percent": None if m["absorption"] is None else str(m["absorption"]),
            }
            for m in d["absorption"]
        ],
        "drill_by": d["drill_by"],
        "drill": [
            {
                "key": str(r["key"]),
                "label": str(r["label"]),
                "values": {
                    k: (None if v is None else str(v)) for k, v in zip(keys, r["values"], strict=False)
                },
            }
            for r in d["drill"]
        ],
    }
