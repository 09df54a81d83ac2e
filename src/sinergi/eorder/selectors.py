"""E-order reads, scoped: agency staff see their region; union officials their members' vendors and
those vendors' orders; vendors (no login) only their own orders through a signed link."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Avg, Count, F, Q, Sum
from django.utils.translation import gettext as _

from sinergi.accounts.roles import Role
from sinergi.accounts.scoping import user_scope
from sinergi.core.errors import NotFound
from sinergi.eorder.models import Invoice, Order, OutsideSpend, Payment, PriceCeiling, Vendor

if TYPE_CHECKING:
    from sinergi.accounts.models import User

AGENCY_ROLES = {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.LEADERSHIP_VIEWER}


def _vendor_q(user: User, prefix: str = "") -> Q:
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    if scope.is_union:
        return scope.union_q(f"{prefix}union_body_id")
    if scope.role in AGENCY_ROLES:
        return scope.region_q(f"{prefix}region_id")
    return Q(pk__in=[])


def vendor_list(*, user: User, filters=None):
    qs = Vendor.objects.filter(_vendor_q(user)).select_related("union_body", "person", "region")
    filters = filters or {}
    status = str(filters.get("status") or "").replace("\x00", "")
    if status:
        qs = qs.filter(status=status)
    q = str(filters.get("q") or "").replace("\x00", "")
    if q:
        qs = qs.filter(business_name__icontains=q)
    return qs


def vendor_get(*, user: User, pk) -> Vendor:
    v = vendor_list(user=user).filter(pk=pk).first()
    if v is None:
        raise NotFound(_("Vendor not found, or outside your scope."))
    return v


def vendor_scope(user: User):
    return vendor_list(user=user)


def _order_q(user: User) -> Q:
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    if scope.is_union:
        return scope.union_q("vendor__union_body_id")
    if scope.role in AGENCY_ROLES:
        return scope.region_q("region_id")
    return Q(pk__in=[])


def order_list(*, user: User, filters=None):
    qs = Order.objects.filter(_order_q(user)).select_related("vendor", "agency", "region")
    filters = filters or {}
    status = str(filters.get("status") or "").replace("\x00", "")
    if status:
        qs = qs.filter(status=status)
    unit = str(filters.get("unit") or "").replace("\x00", "")
    if unit:
        qs = qs.filter(unit__icontains=unit)
    year = str(filters.get("year") or "")
    if year.isdigit() and len(year) == 4:  # anything else is ignored, never a server error
        qs = qs.filter(deliver_at__year=int(year))
    return qs


def order_get(*, user: User, pk) -> Order:
    o = order_list(user=user).filter(pk=pk).first()
    if o is None:
        raise NotFound(_("Order not found, or outside your scope."))
    return o


def order_scope(user: User):
    return order_list(user=user)


def orders_of_vendor(vendor: Vendor):
    """What a vendor sees on its signed page: orders offered to it (answered or not), nothing else."""
    return (
        Order.objects.filter(offers__vendor=vendor, offers__status__in=["offered", "accepted", "declined"])
        .select_related("agency")
        .distinct()
        .order_by("-deliver_at")
    )


def ceiling_list(*, user: User):
    scope = user_scope(user)
    qs = PriceCeiling.objects.select_related("agency")
    if scope.is_global:
        return qs
    if scope.role in AGENCY_ROLES:
        return qs.filter(scope.region_q("agency__region_id"))
    return qs.none()


def invoice_scope(user: User):
    return Invoice.objects.filter(order__in=order_list(user=user))


# ---------------------------------------------------------------- reports


def income_by_vendor(*, user: User, year: int) -> list[dict]:
    """Paid income per vendor and quarter of payment (what reached the union member's account)."""
    payments = Payment.objects.filter(
        paid_on__year=year, invoice__order__in=order_list(user=user).values("pk")
    ).values(
        "invoice__order__vendor_id",
        "invoice__order__vendor__business_name",
        "invoice__order__vendor__union_body__name",
        "paid_on",
        "amount",
    )
    out: dict[int, dict] = {}
    for p in payments:
        vid = p["invoice__order__vendor_id"]
        row = out.setdefault(
            vid,
            {
                "vendor_id": vid,
                "vendor": p["invoice__order__vendor__business_name"],
                "union_body": p["invoice__order__vendor__union_body__name"],
                "quarters": [Decimal(0)] * 4,
                "total": Decimal(0),
                "orders": 0,
            },
        )
        row["quarters"][(p["paid_on"].month - 1) // 3] += p["amount"]
        row["total"] += p["amount"]
        row["orders"] += 1
    return sorted(out.values(), key=lambda r: (-r["total"], r["vendor"]))


def income_by_union_body(*, user: User, year: int) -> list[dict]:
    rows: dict[str, dict] = {}
    for r in income_by_vendor(user=user, year=year):
        b = rows.setdefault(
            r["union_body"],
            {"union_body": r["union_body"], "quarters": [Decimal(0)] * 4, "total": Decimal(0), "vendors": 0},
        )
        b["vendors"] += 1
        b["total"] += r["total"]
        b["quarters"] = [a + c for a, c in zip(b["quarters"], r["quarters"], strict=True)]
    return sorted(rows.values(), key=lambda r: -r["total"])


def orders_by_unit(*, user: User, year: int) -> list[dict]:
    return list(
        order_list(user=user)
        .filter(deliver_at__year=year)
        .values("unit")
        .annotate(
            orders=Count("id"),
            paid=Count("id", filter=Q(status=Order.Status.PAID)),
            total=Sum("total", filter=Q(status__in=Order.LIVE)),
            rating=Avg("delivery__rating"),
        )
        .order_by("unit")
    )


def union_income(*, union_body_ids=None, year: int, quarter: int | None = None) -> Decimal:
    """Income paid to union members' e-order businesses: the planning app's indicator.

    `union_body_ids` None means all bodies. Unscoped: the caller (an indicator) decides who sees it."""
    qs = Payment.objects.filter(paid_on__year=year)
    if quarter:
        qs = qs.filter(paid_on__month__gte=3 * quarter - 2, paid_on__month__lte=3 * quarter)
    if union_body_ids is not None:
        qs = qs.filter(invoice__order__vendor__union_body_id__in=list(union_body_ids))
    return qs.aggregate(t=Sum("amount"))["t"] or Decimal(0)


def spend_share(*, user: User, year: int) -> dict:
    """The agency's catering spend through e-order (all to union members) against catering spend
    recorded outside it, for the year."""
    eorder = Payment.objects.filter(
        paid_on__year=year, invoice__order__in=order_list(user=user).values("pk")
    ).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    scope = user_scope(user)
    outside_qs = OutsideSpend.objects.filter(year=year)
    if not scope.is_global:
        outside_qs = (
            outside_qs.filter(scope.region_q("agency__region_id"))
            if scope.role in AGENCY_ROLES
            else outside_qs.none()
        )
    outside = outside_qs.aggregate(t=Sum("amount"))["t"] or Decimal(0)
    total = eorder + outside
    return {
        "eorder": eorder,
        "outside": outside,
        "total": total,
        "share": (eorder / total * 100).quantize(Decimal("0.1")) if total else None,
    }


def shortfall_list(*, user: User):
    return (
        order_list(user=user)
        .filter(delivery__isnull=False)
        .filter(Q(delivery__complaint__gt="") | Q(lines__received__lt=F("lines__portions")))
        .select_related("delivery")
        .distinct()
    )


def vendor_today_state(vendor: Vendor, on: dt.date) -> str:
    if vendor.status != Vendor.Status.APPROVED:
        return vendor.get_status_display()
    expired = vendor.expired_permits(on)
    if expired:
        return _("suspended: %(permits)s expired") % {"permits": ", ".join(expired)}
    return vendor.get_status_display()


class BudgetRealisation(TypedDict):
    budget_line: str
    budget_ref: str
    paid: Decimal | None
    orders: int


def budget_realisation(*, year: int, agency_id: int | None = None) -> list[BudgetRealisation]:
    """Payments per budget line (and planning reference when set) in `year`: e-order's budget
    realisation, for the planning app. Unscoped: the caller decides who sees it."""
    qs = Payment.objects.filter(paid_on__year=year)
    if agency_id is not None:
        qs = qs.filter(invoice__order__agency_id=agency_id)
    return list(
        qs.values(budget_line=F("invoice__order__budget_line"), budget_ref=F("invoice__order__budget_ref"))
        .annotate(paid=Sum("amount"), orders=Count("id"))
        .order_by("budget_line", "budget_ref")
    )
