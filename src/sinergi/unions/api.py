"""Unions API: union bodies (with stored, rolled-up member counts) and memberships. Scoped by selectors."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.permissions import require
from sinergi.accounts.scoping import user_scope
from sinergi.core.apitypes import Date, Id, NotNull, PageNumberPagination
from sinergi.core.errors import NotAllowed
from sinergi.core.privacy import mask_nik
from sinergi.unions import selectors, services

router = Router(tags=["unions"])

SCOPED_DETAIL_PATHS = {
    "/unions/bodies/{pk}": ("unions.UnionBody", "sinergi.unions.selectors.union_body_list"),
    "/unions/memberships/{pk}": ("unions.Membership", "sinergi.unions.selectors.membership_list"),
}


class BodyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    level: str | None
    parent_id: int | None
    region_id: str
    employer_id: int | None
    sector: str
    is_active: bool
    member_count: int
    member_count_rollup: int

    @staticmethod
    def resolve_level(obj):
        return obj.level.code if obj.level_id else None


class BodyIn(Schema):
    name: str
    kind: str
    region_id: str
    parent_id: Id | None = None
    level_id: Id | None = None
    short_name: str = ""
    employer_id: Id | None = None
    sector: str = ""
    address: str = ""


class MembershipOut(Schema):
    id: int
    person_id: int
    person_name: str
    nik_masked: str
    body_id: int
    employer_id: int | None
    member_number: str
    joined_on: dt.date | None
    left_on: dt.date | None
    status: str
    verified: bool

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_nik_masked(obj):
        return mask_nik(obj.person.nik)


class MembershipIn(Schema):
    person_id: Id
    body_id: Id
    member_number: str = ""
    joined_on: Date | None = None
    verified: bool = False


class MembershipPatch(Schema):
    """Only the fields sent are changed; `null` is refused on a field that cannot be empty."""

    member_number: NotNull[str] = None
    joined_on: Date | None = None
    left_on: Date | None = None
    status: NotNull[str] = None
    verified: NotNull[bool] = None


@router.get("/bodies", response=list[BodyOut])
@paginate(PageNumberPagination, page_size=50)
def bodies(request, q: str = "", kind: str = "", parent: Id | None = None):
    return selectors.union_body_list(user=request.user, filters={"q": q, "kind": kind, "parent": parent})


@router.get("/bodies/{pk}", response=BodyOut)
def body(request, pk: Id):
    return selectors.union_body_get(user=request.user, pk=pk)


@router.post("/bodies", response={201: BodyOut})
def body_create(request, payload: BodyIn):

    require(request.user, "edit_registry")
    data = payload.dict()
    parent = (
        selectors.union_body_get(user=request.user, pk=data.pop("parent_id")) if payload.parent_id else None
    )
    if parent is None and not request.user.is_superuser and request.user.role != "admin":
        if user_scope(request.user).is_union:
            raise NotAllowed("A union official creates bodies below their own body.", code="forbidden")
    data.pop("parent_id", None)
    return 201, services.union_body_create(actor=request.user, parent=parent, **data)


@router.get("/memberships", response=list[MembershipOut])
@paginate(PageNumberPagination, page_size=50)
def memberships(request, body: Id | None = None, status: str = "", person: Id | None = None):
    return selectors.membership_list(
        user=request.user, filters={"body": body, "status": status, "person": person}
    )


@router.get("/memberships/{pk}", response=MembershipOut)
def membership(request, pk: Id):

    return get_object_or_404(selectors.membership_list(user=request.user), pk=pk)


# POST /memberships (add a person to a body) is declared in registry/api.py on this router: it needs
# registry's scoped person lookup, and registry sits above unions (see docs/architecture.md).


@router.patch("/memberships/{pk}", response=MembershipOut)
def membership_update(request, pk: Id, payload: MembershipPatch):

    target = get_object_or_404(selectors.membership_list(user=request.user), pk=pk)
    return services.membership_update(
        actor=request.user, membership=target, **payload.dict(exclude_unset=True)
    )
