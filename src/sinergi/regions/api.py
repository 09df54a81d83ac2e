"""Regions API: search the Kemendagri tree, read a region, list and (administrators) record minimum wages."""

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from sinergi.core.apitypes import Count, Date, Year
from sinergi.regions import selectors, services

router = Router(tags=["regions"])

# Regions are reference data every logged-in user may read: no scoped detail paths.
SCOPED_DETAIL_PATHS: dict = {}


class RegionOut(Schema):
    code: str
    dotted_code: str
    level: str
    name: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent_id


class WageOut(Schema):
    id: int
    region: str
    region_name: str
    kind: str
    year: int
    amount: Decimal
    decree: str
    valid_from: dt.date
    in_force: bool
    note: str

    @staticmethod
    def resolve_region(obj):
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name

    @staticmethod
    def resolve_in_force(obj):
        return obj.is_current


class WageIn(Schema):
    kind: str
    year: Year
    amount: Count
    decree: str
    valid_from: Date
    note: str = ""


@router.get("/", response=list[RegionOut])
def region_search(request, q: str = "", level: str | None = None, parent: str | None = None, limit: int = 50):
    return list(selectors.region_search(query=q, level=level, parent=parent, limit=max(1, min(limit, 500))))


@router.get("/minimum-wages", response=list[WageOut])
def minimum_wage_list(request, region: str | None = None, year: Year | None = None):
    return list(selectors.minimum_wage_list(region_code=region, year=year))


@router.get("/{code}", response=RegionOut)
def region_detail(request, code: str):
    return selectors.region_get(code=code)


@router.post("/{code}/minimum-wages", response={201: WageOut})
def minimum_wage_set(request, code: str, payload: WageIn):
    wage = services.minimum_wage_set(actor=request.user, region_code=code, **payload.dict())
    return 201, wage
