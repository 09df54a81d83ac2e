"""Home-page cards: participations in force, in arrears, sponsored schemes against target, the gap."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock
from sinergi.core.home import cached_figures
from sinergi.coverage import selectors


def cards(request):
    user = request.user
    on = clock.today()

    def compute():
        figures = selectors.participation_list(user=user).aggregate(
            in_force=Count("pk", filter=selectors.in_force_q(on)),
            arrears=Count("pk", filter=Q(status="arrears")),
        )
        if user.role != "sponsor_viewer":
            figures["gap"] = selectors.gap_people(user=user, on=on).order_by().count()
        return figures

    figures = cached_figures(user, "coverage.home", compute)
    cards = [
        {
            "label": _("Participations in force"),
            "value": figures["in_force"],
            "url": reverse("coverage:participation_list") + "?status=active",
            "order": 200,
        },
        {
            "label": _("Participations in arrears"),
            "value": figures["arrears"],
            "url": reverse("coverage:participation_list") + "?status=arrears",
            "order": 201,
        },
    ]
    if user.role != "sponsor_viewer":
        cards.append(
            {
                "label": _("Workers without coverage"),
                "value": figures["gap"],
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
