"""Unions API: union bodies (with stored, rolled-up member counts) and memberships. Scoped by selectors."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.permissions import require
from sinergi.accounts.scoping import user_scope
from sinergi.core.apitypes import CursorPageInput, Date, Id, NotNull, PageNumberPagination, one_of
from sinergi.core.errors import NotAllowed
from sinergi.core.paging import cursor_or_number_page, next_url
from sinergi.core.privacy import mask_nik
from sinergi.unions import selectors, services
from sinergi.unions.models import Membership

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


class MembershipPageInput(CursorPageInput):
    cursor_arity = len(selectors.MEMBERSHIP_SORT_KEYS)


class PagedMembershipOut(Schema):
    """A page of memberships in the order (body id, person id, membership id). `cursor` (the
    `next_cursor` of the previous response; `next` is the same request with it) continues right after
    its last row at any depth without an OFFSET; `page` works as before (an OFFSET, for the first
    pages). `count` stops at 10,000: beyond it `count` is 10000 and `count_exact` false."""

    items: list[MembershipOut]
    count: int = Field(description="rows in the list, at most 10,000 (see count_exact)")
    count_exact: bool = Field(description="false when the list has more than `count` rows")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")
    next: str | None = Field(
        description="the URL of the next page (this request with `cursor`); null on the last"
    )


# The columns a MembershipOut is made of, read as `.values()` (no model instances, no joins to the body
# or the employer): the person's name and NIK come with the scope's join to the person.
_MEMBERSHIP_COLUMNS = (
    "pk",
    "person_id",
    "person__name",
    "person__nik",
    "body_id",
    "employer_id",
    "member_number",
    "joined_on",
    "left_on",
    "status",
    "verified",
)


def _membership_out(row: dict) -> MembershipOut:
    """The MembershipOut of a `.values(*_MEMBERSHIP_COLUMNS)` row, equal to MembershipOut.from_orm of the
    membership (the same masked NIK), built without re-validating it."""
    return MembershipOut.model_construct(
        id=row["pk"],
        person_id=row["person_id"],
        person_name=row["person__name"],
        nik_masked=mask_nik(row["person__nik"]),
        body_id=row["body_id"],
        employer_id=row["employer_id"],
        member_number=row["member_number"],
        joined_on=row["joined_on"],
        left_on=row["left_on"],
        status=row["status"],
        verified=row["verified"],
    )


@router.get("/memberships", response=PagedMembershipOut)
def memberships(
    request,
    body: Id | None = None,
    status: one_of(Membership.Status, blank=True) = "",
    person: Id | None = None,
    # the schema's fields are query parameters (page, page_size, cursor), as in the people list
    paging: Query[MembershipPageInput] = None,  # type: ignore[assignment]
):
    """Memberships in your scope, by body, person and id. `body` includes the bodies below it. Page with
    `cursor` (the previous response's `next_cursor`, or follow `next`) or `page`; `count` stops at 10,000
    (`count_exact` false beyond). A cursor that is not one of this list answers 422."""
    paging = paging or MembershipPageInput()
    queryset = selectors.membership_list(
        user=request.user, filters={"body_tree": body, "status": status, "person": person}
    )
    page = cursor_or_number_page(
        queryset.values(*_MEMBERSHIP_COLUMNS),
        keys=selectors.MEMBERSHIP_SORT_KEYS,
        cursor=paging.cursor,
        page=paging.page,
        size=paging.page_size or 50,
        count_qs=queryset,
        row_values=True,
    )
    return PagedMembershipOut.model_construct(
        items=[_membership_out(row) for row in page.rows],
        count=page.count,
        count_exact=page.count_exact,
        next_cursor=page.next_cursor,
        next=next_url(request, page.next_cursor),
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
