"""`{% notification_bell %}`: the unread-notification count linking to the list."""

from django import template

register = template.Library()


@register.inclusion_tag("aspirations/_bell.html", takes_context=True)
def notification_bell(context):
    from sinergi.aspirations.selectors import unread_count

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "unread": unread_count(user) if user is not None else 0,
        "show": bool(user and user.is_authenticated),
    }
