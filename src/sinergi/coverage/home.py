"""Home-page cards: participations in force, in arrears, sponsored schemes against target, the gap."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock
from sinergi.coverage import selectors


def cards(request):
    user = request.user
    on = clock.today()
    parts = selectors.participation_list(user=user)
    cards = [
        {
            "label": _("Participations in force"),
            "value": parts.filter(selectors.in_force_q(on)).count(),
            "url": reverse("coverage:participation_list") + "?status=active",
            "order": 200,
        },
        {
            "label": _("Participations in arrears"),
            "value": parts.filter(status="arrears").count(),
            "url": reverse("coverage:participation_list") + "?status=arrears",
            "order": 201,
        },
    ]
    if user.role != "sponsor_viewer":
        cards.append(
            {
                "label": _("Workers without coverage"),
                "value": selectors.gap_people(user=user, on=on).count(),
                "url": reverse("coverage:gap"),
                "order": 202,
            }
        )
    for scheme in selectors.scheme_list(user=user).filter(status="open")[:3]:
        counts = selectors.scheme_counts(scheme)
        cards.append(
            {
                "label": str(scheme),
                "value": f"{counts['enrolled']} / {scheme.target}",
                "url": reverse("coverage:scheme_detail", args=[scheme.pk]),
                "note": _("participants against target"),
                "order": 203,
            }
        )
    return cards
