"""Reads for accounts: a user's own API tokens, organisations a user may see."""

from sinergi.accounts.models import ApiToken


def token_list(*, user):
    """Only the user's own tokens: nobody, not even an administrator, reads another's."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)
