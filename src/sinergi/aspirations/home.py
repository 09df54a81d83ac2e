"""Home cards: open and overdue aspirations in the user's scope, unread notifications, agenda items."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.aspirations import selectors
from sinergi.aspirations.models import AgendaItem, Aspiration
from sinergi.core import clock
from sinergi.notifications.selectors import unread_count


def cards(request):
    user = request.user
    if user.role == Role.SPONSOR_VIEWER:
        return [
            {
                "label": _("Unread notifications"),
                "value": unread_count(user),
                "url": reverse("aspirations:notifications"),
                "order": 645,
            }
        ]
    today = clock.today()
    counts = selectors.aspiration_list(user=user).aggregate(
        open=Count("id", filter=Q(status__in=Aspiration.OPEN_STATUSES)),
        overdue=Count(
            "id",
            filter=Q(status__in=Aspiration.OPEN_STATUSES)
            & (Q(answer_due__lt=today) | Q(acknowledged_at__isnull=True, acknowledge_due__lt=today)),
        ),
    )
    result = [
        {
            "label": _("Open aspirations"),
            "value": counts["open"],
            "url": reverse("aspirations:list") + "?status=open",
            "order": 600,
        },
        {
            "label": _("Overdue aspirations"),
            "value": counts["overdue"],
            "url": reverse("aspirations:list") + "?overdue=1",
            "note": _("escalated to the agency head"),
            "order": 601,
        },
        {
            "label": _("Unread notifications"),
            "value": unread_count(user),
            "url": reverse("aspirations:notifications"),
            "order": 645,
        },
    ]
    if user.role != Role.UNION_OFFICIAL:
        pending = selectors.agenda_list(user=user).exclude(status=AgendaItem.Status.CLOSED).count()
        result.append(
            {
                "label": _("Open tripartite agenda items"),
                "value": pending,
                "url": reverse("aspirations:agenda"),
                "order": 610,
            }
        )
    return result
