"""Reading regions and minimum wages."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.core.errors import NotFound, SinergiError
from sinergi.regions.models import MinimumWage, Region, normalise_region_code


def region_get(*, code: str) -> Region:

    normal = normalise_region_code(code)
    if len(normal) not in (2, 4, 6):
        raise SinergiError(
            _(
                "Region code %(code)s is not a Kemendagri province (2 digits), regency/city (4) or district (6) code."
            )
            % {"code": code},
            code="region_code_format",
            field="region",
        )
    try:
        return Region.objects.select_related("parent__parent").get(code=normal)
    except Region.DoesNotExist:
        raise NotFound(
            _("Unknown region code %(code)s.") % {"code": code}, code="unknown_region", field="region"
        )


def region_search(*, query: str = "", level: str | None = None, parent: str | None = None, limit: int = 50):
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(code__startswith=normalise_region_code(parent))
    if query:
        digits = normalise_region_code(query)
        qs = qs.filter(Q(name__icontains=query) | (Q(code__startswith=digits) if digits else Q(pk__in=[])))
    return qs.select_related("parent")[:limit]


def minimum_wage_for(
    *, region_code: str, year: int, kind: str = "UMP", decree: str | None = None
) -> MinimumWage:

    qs = MinimumWage.objects.filter(region_id=normalise_region_code(region_code), kind=kind, year=year)
    qs = qs.filter(decree=decree) if decree else qs.filter(is_current=True)
    wage = qs.first()
    if wage is None:
        raise NotFound(
            _("No %(kind)s is recorded for region %(region)s in %(year)s.")
            % {"kind": kind, "region": region_code, "year": year},
            code="no_minimum_wage",
        )
    return wage


def minimum_wage_list(*, region_code: str | None = None, year: int | None = None):
    """Every recorded UMP/UMK (decrees in force first), for a region and below, or a year."""
    qs = MinimumWage.objects.select_related("region")
    if region_code:
        qs = qs.filter(region__pk__startswith=normalise_region_code(region_code))
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("region_id", "kind", "-year", "-is_current", "-valid_from")
