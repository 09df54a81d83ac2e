from django.conf import settings

from sinergi.core.nav import groups_for, items_for


def shell(request):
    user = getattr(request, "user", None)
    items = items_for(user) if user is not None and user.is_authenticated else []
    return {
        "nav_items": items,
        "nav_groups": groups_for(items),
        "SINERGI_MODE": settings.SINERGI_MODE,
    }
