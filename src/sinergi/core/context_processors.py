from django.conf import settings

from sinergi.core.nav import items_for


def shell(request):
    user = getattr(request, "user", None)
    nav = items_for(user) if user is not None and user.is_authenticated else []
    return {"nav_items": nav, "SINERGI_MODE": settings.SINERGI_MODE}
