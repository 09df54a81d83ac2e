"""Reads for accounts: a user's own API tokens, organisations a user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from sinergi.accounts.models import ApiToken, Organisation, User
from sinergi.accounts.roles import can
from sinergi.accounts.scoping import user_scope

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def token_list(*, user: User):
    """Only the user's own tokens: nobody, not even an administrator, reads another's."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def user_list(*, user: User, filters=None):
    """Users an administrator manages (everyone for a global administrator); nobody for other roles."""
    if not can(user, "manage_users"):
        return User.objects.none()
    qs = User.objects.select_related("organisation", "organisation__region").order_by(
        "organisation__name", "username"
    )
    query = (filters or {}).get("q", "").strip()
    if query:
        qs = qs.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    return qs


def organisation_list(*, user: User):
    """Active organisations a user may pick (invitations, commitment owners, filters), by the user's
    `Scope`: everything for a global scope; otherwise the user's own organisation, national ones, and
    those whose home region lies in the scope or above it (the province agency over a regency's), and
    for a union official the organisations of the union bodies in their scope."""
    scope = user_scope(user)
    qs = Organisation.objects.filter(is_active=True).order_by("name")
    if scope.is_global:
        return qs
    if scope.user_id is None:
        return qs.none()
    q = Q(pk=scope.organisation_id) | Q(is_national=True)
    if scope.is_union:
        q |= scope.union_q("union_body_id")
    elif scope.region_prefixes:
        q |= scope.region_q("region__code")
        above = {p[:n] for p in scope.region_prefixes for n in (2, 4) if n < len(p)}
        if above:
            q |= Q(region__code__in=above)
    return qs.filter(q)
