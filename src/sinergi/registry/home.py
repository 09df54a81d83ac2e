"""Home-page cards: people, vulnerable workers and union members in the user's scope."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.core.home import cached_figures
from sinergi.registry import selectors
from sinergi.unions.selectors import union_body_list


def cards(request):
    def compute():
        return selectors.person_list(user=request.user).aggregate(
            total=Count("pk"), vulnerable=Count("pk", filter=Q(is_vulnerable=True))
        )

    figures = cached_figures(request.user, "registry.home", compute)
    cards = [
        {
            "label": _("Workers registered"),
            "value": figures["total"],
            "url": reverse("registry:person_list"),
            "order": 10,
        },
        {
            "label": _("Vulnerable workers"),
            "value": figures["vulnerable"],
            "url": reverse("registry:person_list") + "?vulnerable=1",
            "order": 11,
        },
    ]
    scope_body = getattr(getattr(request.user, "organisation", None), "union_body", None)
    if scope_body is not None:
        body = union_body_list(user=request.user).filter(pk=scope_body.pk).first()
        if body is not None:
            cards.append(
                {
                    "label": _("Verified members (incl. lower bodies)"),
                    "value": body.member_count_rollup,
                    "url": reverse("registry:union_body_detail", args=[body.pk]),
                    "order": 12,
                }
            )
    return cards
