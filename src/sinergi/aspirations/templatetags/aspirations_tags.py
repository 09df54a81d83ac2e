"""`{% notification_bell %}`: the unread-notification count linking to the list."""

from django import template

from sinergi.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("aspirations/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "unread": unread_count(user) if user is not None else 0,
        "show": bool(user and user.is_authenticated),
    }
