"""Permission checks for views and API endpoints (thin edges call these, then a service/selector)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from sinergi.core.roles import can


def require(user, capability: str):
    """Raise PermissionDenied (403) unless the user's role has `capability`."""
    if not can(user, capability):
        raise PermissionDenied(capability)


def capability_required(capability: str):
    """View decorator: logged in and holding `capability`."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
