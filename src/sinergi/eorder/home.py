"""Home cards: orders waiting for a vendor or for payment, vendors to confirm or approve, members' income."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role, can
from sinergi.core import clock
from sinergi.eorder import selectors
from sinergi.eorder.models import Order, Vendor
from sinergi.eorder.nav import SEES


def cards(request):
    user = request.user
    if user.role not in SEES:
        return []
    today = clock.today()
    orders = selectors.order_list(user=user)
    vendors = selectors.vendor_list(user=user)
    income = sum((r["total"] for r in selectors.income_by_vendor(user=user, year=today.year)), 0)
    result = [
        {
            "label": _("E-order income of union members this year"),
            "value": f"Rp {income:,.0f}".replace(",", "."),
            "note": _("%(n)s vendors approved")
            % {"n": vendors.filter(status=Vendor.Status.APPROVED).count()},
            "url": reverse("eorder:reports"),
            "order": 700,
        }
    ]
    if user.role == Role.UNION_OFFICIAL:
        result.append(
            {
                "label": _("Vendors waiting for your confirmation"),
                "value": vendors.filter(status=Vendor.Status.REGISTERED).count(),
                "url": reverse("eorder:vendor_list") + "?status=registered",
                "order": 705,
            }
        )
    if can(user, "order_food"):
        result.append(
            {
                "label": _("Food orders waiting for a vendor"),
                "value": orders.filter(
                    status__in=[Order.Status.DRAFT, Order.Status.OFFERED, Order.Status.UNFILLED]
                ).count(),
                "note": _("%(n)s invoices to pay")
                % {"n": orders.filter(status=Order.Status.INVOICED).count()},
                "url": reverse("eorder:order_list"),
                "order": 705,
            }
        )
    if can(user, "approve_vendors"):
        result.append(
            {
                "label": _("Vendors to check or approve"),
                "value": vendors.filter(
                    status__in=[Vendor.Status.MEMBER_CONFIRMED, Vendor.Status.CHECKED]
                ).count(),
                "url": reverse("eorder:vendor_list"),
                "order": 710,
            }
        )
    return result
