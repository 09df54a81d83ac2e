"""Home cards: open and overdue claims, and the amount paid, in the user's scope."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.claims.selectors import claim_totals, sees_personal
from sinergi.core.money import format_rupiah


def cards(request):
    user = request.user
    if user.role == "sponsor_viewer":
        return []
    totals = claim_totals(user=user)
    url = reverse("claims:claim_list")
    cards = [
        {"label": _("Open claims"), "value": totals["open"], "url": url, "note": "", "order": 300},
        {
            "label": _("Overdue claims"),
            "value": totals["overdue"],
            "url": url + "?overdue=1",
            "note": _("past the service deadline"),
            "order": 301,
        },
    ]
    if sees_personal(user):
        cards.append(
            {
                "label": _("Benefits paid"),
                "value": format_rupiah(totals["paid_amount"]),
                "url": url + "?status=paid",
                "note": _("%(n)s claims") % {"n": totals["paid"]},
                "order": 302,
            }
        )
    return cards
