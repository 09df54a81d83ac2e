"""Fair rotation: which vendors to offer an order to, in which order, and why.

Eligible: approved by the agency, every permit valid on the delivery date, an offered item of every
ordered kind priced within the year's ceiling, and enough free capacity that day. Ranked by least
income this quarter (committed orders), then the vendor whose kind fits the order (a snack kitchen for a
snack-only order), then the one who waited longest since its last order (never first): each quarter starts level on
income, and the wait carries the rotation across quarters. A
vendor whose share of the agency's quarter would rise above `SINERGI_EORDER_MAX_SHARE` percent is
passed over, unless even a vendor with no income yet would be (early in a quarter, before there is
a spread: the cap cannot bind yet). When the cap excludes every able vendor the order stays unfilled.
Set-based: a fixed number of queries whatever the number of vendors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.errors import SinergiError
from sinergi.eorder.models import (
    CatalogueItem,
    ItemKind,
    Offer,
    Order,
    OrderLine,
    PriceCeiling,
    Vendor,
    permits_valid_q,
)


def max_share() -> Decimal:
    """The configured cap on one vendor's share of an agency's quarter, as a fraction (20 -> 0.20)."""
    return Decimal(str(getattr(settings, "SINERGI_EORDER_MAX_SHARE", "20"))) / 100


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    q = (day.month - 1) // 3
    start = dt.date(day.year, 3 * q + 1, 1)
    end = dt.date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1)
    return start, end


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _day_range(day: dt.date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
    return start, start + dt.timedelta(days=1)


def delivery_day(order: Order) -> dt.date:
    return timezone.localtime(order.deliver_at).date()


def ceilings_for(*, agency_id: int, year: int, kinds) -> dict[str, Decimal]:
    rows = dict(
        PriceCeiling.objects.filter(agency_id=agency_id, year=year, kind__in=list(kinds)).values_list(
            "kind", "max_price"
        )
    )
    missing = [k for k in kinds if k not in rows]
    if missing:
        raise SinergiError(
            _("The agency has set no price ceiling for %(kinds)s in %(year)s.")
            % {"kinds": ", ".join(str(ItemKind(k).label) for k in missing), "year": year},
            code="no_ceiling",
        )
    return rows


def _order_amount_floor(proposals) -> Decimal:
    """The cheapest way to fill the order among the able vendors (what a fresh vendor would add)."""
    return min((p.amount for p in proposals), default=Decimal(0))


@dataclass
class Proposal:
    vendor: Vendor
    items: dict[str, CatalogueItem]
    amount: Decimal
    income: Decimal
    orders: int
    free: int
    over_share: bool
    reason: str = ""


def propose(order: Order, *, exclude_vendor_ids=()) -> list[Proposal]:
    """Rank the vendors who can take `order` (its lines must exist)."""
    day = delivery_day(order)
    lines = {line.kind: line.portions for line in order.lines.all()}
    portions = sum(lines.values())
    ceilings = ceilings_for(agency_id=order.agency_id, year=day.year, kinds=lines)

    vendors = {
        v.pk: v
        for v in Vendor.objects.filter(agency_id=order.agency_id, status=Vendor.Status.APPROVED)
        .filter(permits_valid_q(day))
        .exclude(pk__in=list(exclude_vendor_ids))
    }
    # cheapest offered item of each ordered kind within the ceiling
    items: dict[int, dict[str, CatalogueItem]] = {}
    for item in CatalogueItem.objects.filter(
        vendor_id__in=list(vendors), kind__in=list(lines), active=True
    ).order_by("price", "pk"):
        if item.price <= ceilings[item.kind]:
            items.setdefault(item.vendor_id, {}).setdefault(item.kind, item)
    able = [pk for pk in vendors if len(items.get(pk, {})) == len(lines)]

    # portions already promised that day (accepted orders and offers still waiting for an answer)
    start, end = _day_range(day)
    busy = dict(
        OrderLine.objects.filter(
            order__offers__vendor_id__in=able,
            order__offers__status__in=[Offer.Status.OFFERED, Offer.Status.ACCEPTED],
            order__deliver_at__gte=start,
            order__deliver_at__lt=end,
        )
        .exclude(order__status=Order.Status.CANCELLED)
        .exclude(order_id=order.pk)
        .values("order__offers__vendor_id")
        .annotate(n=Sum("portions"))
        .values_list("order__offers__vendor_id", "n")
    )
    q_start, q_end = quarter_bounds(day)
    q_start_dt, _unused = _day_range(q_start)
    q_end_dt, _unused = _day_range(q_end)
    quarter = Order.objects.filter(
        agency_id=order.agency_id,
        status__in=Order.LIVE,
        deliver_at__gte=q_start_dt,
        deliver_at__lt=q_end_dt,
    ).exclude(pk=order.pk)
    income = {
        r["vendor_id"]: r
        for r in quarter.filter(vendor_id__in=able)
        .values("vendor_id")
        .annotate(total=Sum("total"), n=Count("id"))
    }
    last_ever = dict(
        Order.objects.filter(agency_id=order.agency_id, status__in=Order.LIVE, vendor_id__in=able)
        .exclude(pk=order.pk)
        .values("vendor_id")
        .annotate(last=Max("deliver_at"))
        .values_list("vendor_id", "last")
    )
    agency_total = quarter.aggregate(t=Sum("total"))["t"] or Decimal(0)
    cap = max_share()

    out = []
    for pk in able:
        v = vendors[pk]
        free = v.capacity_per_day - (busy.get(pk) or 0)
        if free < portions:
            continue
        chosen = items[pk]
        amount = sum((chosen[k].price * n for k, n in lines.items()), Decimal(0))
        row = income.get(pk, {})
        inc = row.get("total") or Decimal(0)
        share_after = (inc + amount) / (agency_total + amount)
        p = Proposal(
            vendor=v,
            items=chosen,
            amount=amount,
            income=inc,
            orders=row.get("n") or 0,
            free=free,
            over_share=share_after > cap,
        )
        p._last = last_ever.get(pk)
        p._share_after = share_after
        out.append(p)
    # Early in a quarter even a vendor with no income yet would pass the cap with this order alone;
    # the cap cannot bind then, and everyone rotates by least income. Afterwards it is strict.
    cap_binds = (
        agency_total > 0 and _order_amount_floor(out) / (agency_total + _order_amount_floor(out)) <= cap
    )
    ranked = [p for p in out if not p.over_share] if cap_binds else out
    never = timezone.make_aware(dt.datetime(1970, 1, 1))
    # Between equal incomes the specialist goes first (a snack kitchen for a snack-only order), so the
    # vendors who can take only some orders are not always outrun by caterers who can take all.
    main = "catering" if "lunch" in lines else ("snacks" if "snack" in lines else "drinks")
    ranked.sort(key=lambda p: (p.income, p.vendor.kind != main, p._last or never, p.vendor.pk))
    for p in ranked:
        valid_to = min(p.vendor.pirt_expires, p.vendor.halal_expires)
        p.reason = _(
            "Income this quarter Rp %(income)s from %(n)s orders; share after this order %(share)s%%"
            " (cap %(cap)s%%); %(free)s of %(capacity)s portions free that day; permits valid to %(until)s."
        ) % {
            "income": f"{p.income:,.0f}".replace(",", "."),
            "n": p.orders,
            "share": f"{p._share_after * 100:.1f}".replace(".", ","),
            "cap": f"{cap * 100:.0f}",
            "free": p.free,
            "capacity": p.vendor.capacity_per_day,
            "until": valid_to.strftime("%d-%m-%Y"),
        }
    return ranked
