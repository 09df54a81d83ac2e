"""Reads for accounts: a user's own API tokens, organisations a user may see."""

from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.roles import can


def token_list(*, user):
    """Only the user's own tokens: nobody, not even an administrator, reads another's."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def user_list(*, user, filters=None):
    """Users an administrator manages (everyone for a global administrator); nobody for other roles."""
    if not can(user, "manage_users"):
        return User.objects.none()
    qs = User.objects.select_related("organisation", "organisation__region").order_by(
        "organisation__name", "username"
    )
    query = (filters or {}).get("q", "").strip()
    if query:
        from django.db.models import Q

        qs = qs.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    return qs
