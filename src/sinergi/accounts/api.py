"""Accounts API: who am I (role, organisation, scope) and my API tokens."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from sinergi.accounts import services
from sinergi.accounts.roles import CAPABILITIES, can
from sinergi.accounts.scoping import user_scope
from sinergi.accounts.selectors import token_list as select
from sinergi.core.apitypes import Count, Id
from sinergi.core.errors import SinergiError

router = Router(tags=["accounts"])

SCOPED_DETAIL_PATHS = {
    "/accounts/tokens/{pk}": ("accounts.ApiToken", "sinergi.accounts.selectors.token_list"),
}


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    region: str | None


class ScopeOut(Schema):
    is_global: bool
    region_prefixes: list[str]
    union_body_ids: list[int] | None
    sponsor_id: int | None
    read_only: bool


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    role_label: str
    language: str
    organisation: OrganisationOut | None
    scope: ScopeOut
    capabilities: list[str]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    usable: bool


class TokenIn(Schema):
    name: str
    days_valid: Count | None = 365


class TokenCreatedOut(TokenOut):
    token: str


def _token_out(token) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "usable": token.is_usable,
    }


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    org = user.organisation
    scope = user_scope(user)
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.get_full_name() or user.username,
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "language": user.preferred_language,
        "organisation": {"id": org.pk, "name": org.name, "kind": org.kind, "region": org.region_id}
        if org
        else None,
        "scope": {
            "is_global": scope.is_global,
            "region_prefixes": list(scope.region_prefixes),
            "union_body_ids": sorted(scope.union_body_ids) if scope.union_body_ids is not None else None,
            "sponsor_id": scope.sponsor_id,
            "read_only": scope.read_only,
        },
        "capabilities": sorted(c for c in CAPABILITIES if can(user, c)),
    }


@router.get("/tokens", response=list[TokenOut])
def token_list(request):

    return [_token_out(t) for t in select(user=request.user)]


@router.get("/tokens/{pk}", response=TokenOut)
def token_detail(request, pk: Id):

    return _token_out(get_object_or_404(select(user=request.user), pk=pk))


@router.post("/tokens", response={201: TokenCreatedOut})
def token_create(request, payload: TokenIn):
    if payload.days_valid is not None and not 1 <= payload.days_valid <= 3650:
        raise SinergiError(_("A token is valid for 1 to 3650 days."), code="invalid", field="days_valid")
    token, raw = services.api_token_create(
        user=request.user, name=payload.name, days_valid=payload.days_valid
    )
    return 201, {**_token_out(token), "token": raw}


@router.post("/tokens/{pk}/revoke", response=TokenOut)
def token_revoke(request, pk: Id):

    services.api_token_revoke(user=request.user, token_id=pk)
    return _token_out(get_object_or_404(select(user=request.user), pk=pk))
