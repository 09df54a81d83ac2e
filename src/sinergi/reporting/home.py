"""Home card for leaders and officers: indicators behind their time-proportional target."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.reporting import selectors

SHOWN_TO = {Role.LEADERSHIP_VIEWER, Role.AGENCY_HEAD, Role.AGENCY_OFFICER, Role.ADMIN}


def cards(request):
    user = request.user
    if user.role not in SHOWN_TO:
        return []
    data = selectors.dashboard(user=user)
    if not data["targets"]:
        return []
    return [
        {
            "label": _("Targets behind schedule, %(year)s") % {"year": data["year"]},
            "value": f"{len(data['red'])} / {len(data['targets'])}",
            "note": _("indicators behind the time-proportional target in %(region)s")
            % {"region": data["region_name"]},
            "url": reverse("reporting:dashboard"),
            "order": 5,
        }
    ]
