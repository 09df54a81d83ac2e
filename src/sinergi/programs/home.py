"""Home-page cards: each worker-card program's realisation; applications waiting for the user."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.accounts.roles import can
from sinergi.programs import selectors
from sinergi.programs.models import Program


def cards(request):
    user = request.user
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
