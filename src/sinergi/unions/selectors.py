"""Reads for union bodies, officials, registrations and memberships, scoped by `user_scope`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import user_scope
from sinergi.core.errors import NotFound
from sinergi.unions.models import Membership, UnionBody, UnionOfficial, UnionRegistration

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def union_body_subtree_ids(body) -> frozenset[int]:
    """The ids of `body` and every body below it (core's scoping asks this through a registered hook)."""
    return frozenset(UnionBody.objects.filter(path__startswith=body.path).values_list("id", flat=True))


def union_body_list(*, user: User, filters=None):
    """Bodies the user may see: agency/branch by the body's region; a union official their own body
    and the bodies below it (plus its ancestors' names are never listed); sponsors none."""
    scope = user_scope(user)
    qs = UnionBody.objects.select_related("level", "parent", "region", "employer")
    if scope.is_global:
        pass
    elif scope.is_union:
        qs = qs.filter(scope.union_q("id"))
    elif scope.is_sponsor:
        qs = qs.none()
    else:
        qs = qs.filter(scope.region_q("region__code"))
    filters = filters or {}
    if filters.get("q"):
        text = str(filters["q"]).strip()
        qs = qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("parent"):
        qs = qs.filter(parent_id=filters["parent"])
    return qs


def union_body_get(*, user: User, pk) -> UnionBody:

    body = union_body_list(user=user).filter(pk=pk).first()
    if body is None:
        raise NotFound(_("Union body not found, or outside your scope."))
    return body


# The API list's order: unique (the id last) and served by the index unions_memb_body_person_id, so a
# keyset page reads its rows from the index at any depth (docs/registry.md).
MEMBERSHIP_SORT_KEYS = ("body_id", "person_id", "pk")


def membership_list(*, user: User, filters=None):
    """Memberships in bodies the user may see, of people the user may see (the same rule as the
    person's page: a branch's service area, an agency's region, a union's active members; merged
    records hidden). A membership row whose person page would answer 404 is never listed."""
    scope = user_scope(user)
    bodies = union_body_list(user=user).values("id")
    qs = Membership.objects.filter(body_id__in=bodies).select_related("person", "body", "employer")
    if not scope.is_global:
        qs = qs.filter(person__merged_into__isnull=True)
        if scope.is_union:
            members = Membership.objects.filter(
                body_id__in=scope.union_body_ids or [], status=Membership.Status.ACTIVE
            ).values("person_id")
            qs = qs.filter(person_id__in=members)
        elif not scope.is_sponsor:
            qs = qs.filter(scope.region_q("person__domicile_region__code"))
    filters = filters or {}
    if filters.get("body"):
        body = UnionBody.objects.filter(pk=filters["body"]).first()
        qs = qs.filter(body__path__startswith=body.path) if body else qs.none()
    if filters.get("body_tree"):
        # the same rows as `body`, written for the API's keyset order (body id, person id, id): a body
        # with none below (a workplace unit, the usual filter) is compared by id, so the planner reads its
        # rows from the (body, person, id) index in order, where the path join hid which body it is and
        # sorted all of them (42 ms for a unit of 6,250 at 1M, now 0.3 ms); several bodies stay a
        # subquery, walked in body order by a merge join (a literal list, `= ANY(...)`, made PostgreSQL 15
        # read and sort every row after the cursor). The body page, ordered by name, keeps `body`: its
        # plan walks the name index and is faster with the path join.
        body = UnionBody.objects.filter(pk=filters["body_tree"]).first()
        if body is None:
            qs = qs.none()
        else:
            below = UnionBody.objects.filter(path__startswith=body.path).values_list("id", flat=True)
            ids = list(below[:2])
            qs = qs.filter(body_id=ids[0]) if len(ids) == 1 else qs.filter(body_id__in=below)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("person"):
        qs = qs.filter(person_id=filters["person"])
    return qs


def official_list(*, user: User, body=None):
    bodies = union_body_list(user=user).values("id")
    qs = UnionOfficial.objects.filter(body_id__in=bodies).select_related("person", "body")
    return qs.filter(body=body) if body is not None else qs


def registration_list(*, user: User, body=None):
    """Recording is public (KEP.16/2001, Art. 22) but we still limit lists to the user's bodies."""
    bodies = union_body_list(user=user).values("id")
    qs = UnionRegistration.objects.filter(body_id__in=bodies).select_related("agency", "body")
    return qs.filter(body=body) if body is not None else qs
