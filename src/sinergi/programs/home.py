"""Home-page cards: each worker-card program's realisation; applications waiting for the user; for a
cooperative's own logins, the cooperative's figures (members, savings, simpanan wajib due)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.accounts.roles import OrgKind, can
from sinergi.core import clock
from sinergi.core.money import format_rupiah
from sinergi.programs import selectors
from sinergi.programs.models import Program


def is_cooperative_login(user) -> bool:
    org = getattr(user, "organisation", None)
    return org is not None and org.kind == OrgKind.COOPERATIVE


def cooperative_cards(user) -> list[dict]:
    """The cooperative's own figures, first on its home page (not its union's membership)."""
    coop = selectors.cooperative_for_organisation(organisation_id=user.organisation_id)
    if coop is None:
        return []
    today = clock.today()
    figures = selectors.cooperative_figures(cooperative=coop, on=today)
    url = reverse("programs:coop_detail", args=[coop.pk])
    return [
        {
            "label": _("%(coop)s: active members") % {"coop": coop.short_name},
            "value": figures["active"],
            "note": _("%(n)s joined this month") % {"n": figures["joined_this_month"]},
            "url": url,
            "order": 1,
        },
        {
            "label": _("%(coop)s: total savings") % {"coop": coop.short_name},
            "value": format_rupiah(figures["totals"]["total"]),
            "note": _("simpanan sukarela %(amount)s")
            % {"amount": format_rupiah(figures["totals"]["sukarela"])},
            "url": url,
            "order": 2,
        },
        {
            "label": _("Active members without simpanan wajib this month"),
            "value": figures["wajib_unpaid"],
            "url": url,
            "order": 3,
        },
    ]


def cards(request):
    user = request.user
    if is_cooperative_login(user):
        return cooperative_cards(user)
    out = []
    for program in selectors.program_list(user=user, kind=Program.Kind.WORKER_CARD)[:3]:
        real = selectors.realisation(program=program)
        if real["annual_target"]:
            out.append(
                {
                    "label": program.name,
                    "value": f"{real['realised']:,}".replace(",", "."),
                    "note": _("of target %(t)s (%(p)s%%)")
                    % {
                        "t": f"{real['annual_target']:,}".replace(",", "."),
                        "p": str(real["percent"]).replace(".", ","),
                    },
                    "url": reverse("programs:program_detail", args=[program.pk]),
                    "order": 300,
                }
            )
    if can(user, "approve_programs"):
        waiting = selectors.application_list(user=user).filter(status__in=["nominated", "verified"]).count()
        out.append(
            {
                "label": _("Applications awaiting verification or approval"),
                "value": waiting,
                "url": reverse("programs:application_list"),
                "order": 305,
            }
        )
    return out
