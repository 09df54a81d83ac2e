"""Who sees what. One Scope per user, applied by every selector (HTML, API and exports alike).

Policy (issue #2): an agency sees its region and everything below it; a social security branch its
service area; a union official their union body and the bodies below it; a sponsor the people it
pays for; leadership read-only over its region; an administrator (or a national organisation's
leadership) everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from sinergi.core.roles import READ_ONLY_ROLES, Role


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    role: str
    organisation_id: int | None
    is_global: bool = False
    region_prefixes: tuple[str, ...] = ()
    union_body_ids: frozenset[int] | None = None  # None: not a union-restricted user
    union_body_path: str | None = None
    sponsor_id: int | None = None
    read_only: bool = False

    @property
    def is_union(self) -> bool:
        return self.union_body_ids is not None

    @property
    def is_sponsor(self) -> bool:
        return self.sponsor_id is not None

    def region_q(self, field: str) -> Q:
        """Q selecting rows whose region code `field` lies in this scope's regions.

        `field` names a region code (e.g. "domicile_region_id" or "region__code"). A global scope
        matches everything; a scope with no regions matches nothing.
        """
        if self.is_global:
            return Q()
        if not self.region_prefixes:
            return Q(pk__in=[])
        if field.endswith("_id"):
            # A foreign key's column ("domicile_region_id") takes no text lookups; its target's key
            # ("domicile_region__pk") does, on the same column and without a join.
            field = field[:-3] + "__pk"
        q = Q()
        for prefix in self.region_prefixes:
            q |= Q(**{f"{field}__startswith": prefix})
        return q

    def union_q(self, field: str) -> Q:
        """Q selecting rows whose union body `field` (an id) is the user's body or below it."""
        if self.is_global:
            return Q()
        if self.union_body_ids is None:
            return Q(pk__in=[])
        return Q(**{f"{field}__in": self.union_body_ids})

    def covers_region(self, code: str | None) -> bool:
        if self.is_global:
            return True
        return bool(code) and any(str(code).startswith(p) for p in self.region_prefixes)


NOTHING = Scope(user_id=None, role="", organisation_id=None)


# The union hierarchy belongs to the unions app, which sits above core: it registers the function
# that lists a body and every body below it (UnionsConfig.ready), so core never imports unions.
_union_subtree = None


def register_union_subtree(fn) -> None:
    """Called once by the unions app: `fn(body) -> frozenset[int]`, the ids of `body` and below it."""
    global _union_subtree
    _union_subtree = fn


def _union_subtree_ids(body) -> frozenset[int]:
    if _union_subtree is None:
        raise RuntimeError("The unions app has not registered its hierarchy (is it in INSTALLED_APPS?).")
    return _union_subtree(body)


def build_scope(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    org = user.organisation
    read_only = user.role in READ_ONLY_ROLES
    base = {
        "user_id": user.pk,
        "role": user.role,
        "organisation_id": getattr(org, "pk", None),
        "read_only": read_only,
    }
    if user.role == Role.ADMIN or user.is_superuser:
        return Scope(**base, is_global=True)
    if org is None or not org.is_active:
        return Scope(**base)
    if org.is_national and user.role in (Role.LEADERSHIP_VIEWER, Role.AGENCY_HEAD):
        return Scope(**base, is_global=True)
    if user.role == Role.UNION_OFFICIAL:
        if org.union_body_id is None:
            return Scope(**base, union_body_ids=frozenset())
        body = org.union_body
        return Scope(**base, union_body_ids=_union_subtree_ids(body), union_body_path=body.path)
    if user.role == Role.SPONSOR_VIEWER:
        return Scope(**base, sponsor_id=org.pk)
    if user.role == Role.SS_OFFICER:
        area = tuple(sorted(org.service_area.values_list("code", flat=True))) or (org.region_id,)
        return Scope(**base, region_prefixes=area)
    # agency officer/head, tripartite secretary, leadership viewer: their home region and below
    return Scope(**base, region_prefixes=(org.region_id,))


def user_scope(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    cached = getattr(user, "_sinergi_scope", None)
    if cached is None:
        cached = build_scope(user)
        try:
            user._sinergi_scope = cached
        except AttributeError:
            pass
    return cached
