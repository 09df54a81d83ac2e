"""Home cards: upcoming meetings, overdue commitments, union bodies without a dialogue in 12 months."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.core import clock
from sinergi.meetings import selectors
from sinergi.meetings.models import Commitment


def cards(request):
    user = request.user
    if user.role == Role.SPONSOR_VIEWER:
        return []
    today = clock.today()
    result = [
        {
            "label": _("Upcoming meetings"),
            "value": selectors.meeting_list(user=user)
            .filter(starts_at__gte=clock.now(), status="planned")
            .count(),
            "url": reverse("meetings:calendar"),
            "order": 620,
        },
        {
            "label": _("Overdue commitments"),
            "value": selectors.commitment_list(user=user)
            .filter(status__in=Commitment.OPEN_STATUSES, due_date__lt=today)
            .count(),
            "url": reverse("meetings:commitments") + "?overdue=1",
            "order": 625,
        },
    ]
    if user.role != Role.UNION_OFFICIAL:
        result.append(
            {
                "label": _("Union bodies without dialogue in 12 months"),
                "value": selectors.cadence_gaps(user=user, today=today).count(),
                "url": reverse("meetings:cadence"),
                "order": 630,
            }
        )
    return result
