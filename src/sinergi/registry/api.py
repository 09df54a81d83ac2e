"""Registry API: people, families, employers, the NIK check, imports and probable duplicates.

Every read goes through a scoped selector; every write through a service. NIKs are masked unless the
caller may reveal them (then `nik` holds the full number and the read is audited as a reveal).
Job status of an import: GET /api/v1/core/jobs/{id}.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer
from pydantic import Json, StringConstraints, WithJsonSchema

from sinergi.accounts.permissions import require
from sinergi.core import clock
from sinergi.core.apitypes import Count, CursorPageInput, Date, Id, NotNull, PageNumberPagination, Rupiah
from sinergi.core.errors import SinergiError
from sinergi.core.jobs import request_idempotency_key
from sinergi.core.paging import cursor_or_number_page
from sinergi.core.privacy import mask_nik
from sinergi.registry import selectors, services
from sinergi.registry.import_checks import FIELDS
from sinergi.registry.importer import max_bytes
from sinergi.registry.models import FamilyMember, Person
from sinergi.registry.nik_text import nik_problem_text
from sinergi.rules.nik import check_nik_against, parse_nik
from sinergi.unions import api as unions_api
from sinergi.unions import selectors as unions_selectors
from sinergi.unions import services as unions_services
from sinergi.unions.selectors import union_body_get

router = Router(tags=["registry"])

SCOPED_DETAIL_PATHS = {
    "/registry/people/{pk}": ("registry.Person", "sinergi.registry.selectors.person_list"),
    "/registry/people/{pk}/family": ("registry.Person", "sinergi.registry.selectors.person_list"),
    "/registry/employers/{pk}": ("registry.Employer", "sinergi.registry.selectors.employer_list"),
}


class PersonOut(Schema):
    id: int
    nik_masked: str
    name: str
    sex: str
    birth_year: int
    domicile_region: str
    domicile_region_name: str
    occupation: str
    employment_type: str
    is_vulnerable: bool
    vulnerable_reason: str
    is_deceased: bool
    merged_into: int | None

    @staticmethod
    def resolve_nik_masked(obj):
        return mask_nik(obj.nik)

    @staticmethod
    def resolve_birth_year(obj):
        return obj.birth_date.year

    @staticmethod
    def resolve_domicile_region(obj):
        return obj.domicile_region_id

    @staticmethod
    def resolve_domicile_region_name(obj):
        return obj.domicile_region.name

    @staticmethod
    def resolve_merged_into(obj):
        return obj.merged_into_id


class PersonIn(Schema):
    nik: str
    name: str
    birth_date: Date | None = None
    sex: str | None = None
    kk_number: str = ""
    birth_place: str = ""
    domicile_region_id: str | None = None
    address: str = ""
    phone: str = ""
    occupation: str = ""
    employment_type: str = Person.EmploymentType.FORMAL
    informal_sector: str = ""
    declared_income: Rupiah | None = None
    welfare_decile: Count | None = None


class PersonPatch(Schema):
    """Only the fields sent are changed; `null` is refused on a field that cannot be empty."""

    name: NotNull[str] = None
    kk_number: NotNull[str] = None
    birth_place: NotNull[str] = None
    domicile_region_id: NotNull[str] = None
    address: NotNull[str] = None
    phone: NotNull[str] = None
    occupation: NotNull[str] = None
    employment_type: NotNull[str] = None
    informal_sector: NotNull[str] = None
    declared_income: Rupiah | None = None
    welfare_decile: Count | None = None


class FamilyOut(Schema):
    id: int
    relation: str
    name: str
    nik_masked: str
    birth_date: dt.date | None
    sex: str
    school_level: str
    school_grade: int | None
    is_married: bool
    is_working: bool
    is_alive: bool
    relative_id: int | None

    @staticmethod
    def resolve_nik_masked(obj):
        return mask_nik(obj.nik)


class FamilyIn(Schema):
    relation: str
    name: str
    nik: str = ""
    birth_date: Date | None = None
    sex: str = ""
    school_level: str = ""
    school_grade: Count | None = None
    is_married: bool = False
    is_working: bool = False
    is_alive: bool = True


class EmployerOut(Schema):
    id: int
    name: str
    nib: str
    sector: str
    jkk_risk_class: int
    region_id: str
    size: str
    address: str


class EmployerIn(Schema):
    name: str
    region_id: str
    nib: str = ""
    npwp: str = ""
    sector: str = ""
    jkk_risk_class: Count = 1
    size: str = "small"
    address: str = ""


class EmployerPatch(Schema):
    """Only the fields sent are changed; `null` is refused on a field that cannot be empty."""

    name: NotNull[str] = None
    nib: NotNull[str] = None
    npwp: NotNull[str] = None
    sector: NotNull[str] = None
    jkk_risk_class: NotNull[Count] = None
    region_id: NotNull[str] = None
    size: NotNull[str] = None
    address: NotNull[str] = None


class NikProblemOut(Schema):
    code: str
    message: str


class NikCheckOut(Schema):
    nik: str
    valid: bool
    province_code: str
    regency_code: str
    district_code: str
    province_name: str
    regency_name: str
    district_name: str
    sex: str
    birth_date: dt.date | None
    serial: str
    errors: list[NikProblemOut]
    warnings: list[NikProblemOut]


class ImportJobOut(Schema):
    job_id: int
    status: str
    status_url: str
    page_url: str


class DuplicateOut(Schema):
    id: int
    person_a_id: int
    person_b_id: int
    score: Decimal
    evidence: dict
    status: str


# cursor_arity unset: a cursor that does not decode is the first page, as the list has always answered
class PeoplePageInput(CursorPageInput):
    pass


class PagedPersonOut(Schema):
    """A page of people in the order (name, id). `page` works as before (an OFFSET, for the first pages);
    `cursor` (the `next_cursor` of the previous response) continues right after its last row at any
    depth without an OFFSET. `count` stops at 10,000: beyond it `count` is 10000 and `count_exact` false."""

    items: list[PersonOut]
    count: int = Field(description="rows in the list, at most 10,000 (see count_exact)")
    count_exact: bool = Field(description="false when the list has more than `count` rows")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


# The columns a PersonOut is made of, read as tuples-as-dicts (`.values()`): no model instances, no
# select_related objects, and the output built directly (issue #16: the list's per-request cost).
_PERSON_COLUMNS = (
    "pk",
    "sort_name",
    "nik",
    "name",
    "sex",
    "birth_date",
    "domicile_region_id",
    "domicile_region__name",
    "occupation",
    "employment_type",
    "is_vulnerable",
    "vulnerable_reason",
    "is_deceased",
    "merged_into_id",
)


# The API's renderer (SinergiAPI keeps ninja's JSON renderer), for the people list's own response.
_RENDERER = JSONRenderer()


def _person_item(row: dict) -> dict:
    """The PersonOut of a `.values(*_PERSON_COLUMNS)` row as the JSON object ninja would write for
    PersonOut.from_orm(person): the same fields in the same order, the same resolvers (masked NIK, birth
    year, region code and name)."""
    return {
        "id": row["pk"],
        "nik_masked": mask_nik(row["nik"]),
        "name": row["name"],
        "sex": row["sex"],
        "birth_year": row["birth_date"].year,
        "domicile_region": row["domicile_region_id"],
        "domicile_region_name": row["domicile_region__name"],
        "occupation": row["occupation"],
        "employment_type": row["employment_type"],
        "is_vulnerable": row["is_vulnerable"],
        "vulnerable_reason": row["vulnerable_reason"],
        "is_deceased": row["is_deceased"],
        "merged_into": row["merged_into_id"],
    }


def _people_page(
    request, values, pagination: PeoplePageInput, *, count_qs, count_through=None, fetch=None, narrow=None
):
    """The PagedPersonOut of a page of `values` (a `.values(*_PERSON_COLUMNS)` queryset), rendered by the
    API's own renderer from plain dicts: the same JSON, byte for byte, as ninja writes for the schema
    (tests/registry/test_scale_read.py), without building and dumping 50 pydantic models per request
    (issue #16: a third of a list request's Python time)."""
    page = cursor_or_number_page(
        values,
        keys=selectors.SORT_KEYS,
        cursor=pagination.cursor,
        page=pagination.page,
        size=pagination.page_size or 50,
        count_qs=count_qs,
        count_through=count_through,
        fetch=fetch,
        narrow=narrow,
    )
    data = {
        "items": [_person_item(row) for row in page.rows],
        "count": page.count,
        "count_exact": page.count_exact,
        "next_cursor": page.next_cursor,
    }
    return HttpResponse(
        _RENDERER.render(request, data, response_status=200),
        content_type=f"{_RENDERER.media_type}; charset={_RENDERER.charset}",
    )


@router.get("/people", response=PagedPersonOut)
def people(
    request,
    q: str = "",
    region: str = "",
    body: Id | None = None,
    employer: Id | None = None,
    employment: str = "",
    vulnerable: bool = False,
    # ninja reads the schema's fields as query parameters (page, page_size, cursor); the None default
    # only marks the group optional in OpenAPI, which `Query[...] | None` would change
    paging: Query[PeoplePageInput] = None,  # type: ignore[assignment]
):
    """People in your scope, by name. `q`: a 16-digit NIK (exact), a member or KK number, or a name
    (spelling-tolerant). Page with `cursor` (the previous response's `next_cursor`) or `page`; `count` stops
    at 10,000 (`count_exact` false beyond)."""
    filters = {"q": q, "region": region, "body": body, "employer": employer, "employment": employment}
    if vulnerable:
        filters["vulnerable"] = "1"
    key, queryset = selectors.person_page_source(user=request.user, filters=filters)
    pagination = paging or PeoplePageInput()
    page_key = (key, pagination.cursor, pagination.page_size)
    # the page's `.values()` queryset is kept with the base queryset, per key (cloning it cost 0.1 ms)
    values = selectors.PERSON_PAGES.base((key, "values"), lambda: queryset.values(*_PERSON_COLUMNS))
    return _people_page(
        request,
        values,
        pagination,
        count_qs=queryset,
        count_through=selectors.person_count_through(user=request.user, filters=filters, version=key[4]),
        fetch=lambda label, build: selectors.PERSON_PAGES.rows((page_key, label), build),
        narrow=selectors.person_search_narrow(user=request.user, filters=filters),
    )


@router.get("/people/{pk}", response=PersonOut)
def person(request, pk: Id):
    return selectors.person_get(user=request.user, pk=pk)


@router.post("/people", response={201: PersonOut})
def person_create(request, payload: PersonIn):
    data = {k: v for k, v in payload.dict().items() if v is not None}
    return 201, services.person_create(actor=request.user, **data)


@router.patch("/people/{pk}", response=PersonOut)
def person_update(request, pk: Id, payload: PersonPatch):
    target = selectors.person_get(user=request.user, pk=pk)
    return services.person_update(actor=request.user, person=target, **payload.dict(exclude_unset=True))


@router.get("/people/{pk}/family", response=list[FamilyOut])
def family(request, pk: Id):
    target = selectors.person_get(user=request.user, pk=pk)
    return selectors.family_list(user=request.user, person=target)


@router.post("/people/{pk}/family", response={201: FamilyOut})
def family_add(request, pk: Id, payload: FamilyIn):
    target = selectors.person_get(user=request.user, pk=pk)
    data = payload.dict()
    if data["relation"] not in FamilyMember.Relation.values:
        data["relation"] = ""
    return 201, services.family_member_add(actor=request.user, person=target, **data)


@router.get("/employers", response=list[EmployerOut])
@paginate(PageNumberPagination, page_size=50)
def employers(request, q: str = "", region: str = ""):
    return selectors.employer_list(user=request.user, filters={"q": q, "region": region})


@router.get("/employers/{pk}", response=EmployerOut)
def employer(request, pk: Id):
    return selectors.employer_get(user=request.user, pk=pk)


@router.post("/employers", response={201: EmployerOut})
def employer_create(request, payload: EmployerIn):
    return 201, services.employer_create(actor=request.user, **payload.dict())


@router.patch("/employers/{pk}", response=EmployerOut)
def employer_update(request, pk: Id, payload: EmployerPatch):
    target = selectors.employer_get(user=request.user, pk=pk)
    return services.employer_update(actor=request.user, employer=target, **payload.dict(exclude_unset=True))


@router.get("/nik-check", response=NikCheckOut)
def nik_check(request, nik: str, birth_date: dt.date | None = None, sex: str | None = None):
    """Parse a NIK: region names (Kemendagri), birth date and sex, or every reason it is invalid.
    With `birth_date`/`sex`, also whether they agree with the NIK. Nothing is stored or looked up."""
    info = parse_nik(nik, today=clock.today(), birth_year_hint=birth_date.year if birth_date else None)
    errors = list(info.errors)
    if info.valid:
        errors += check_nik_against(info, birth_date=birth_date, sex=sex)
    return {
        **{k: getattr(info, k) for k in NikCheckOut.model_fields if k not in ("errors", "warnings", "valid")},
        "valid": not errors,
        "errors": [{"code": p.code, "message": nik_problem_text(p)} for p in errors],
        "warnings": [{"code": p.code, "message": nik_problem_text(p)} for p in info.warnings],
    }


ImportFieldName = Literal[tuple([*FIELDS, ""])]  # a field of the member list, or "" (not imported)
ImportColumn = Annotated[
    str,
    StringConstraints(pattern=r"^(?:[A-Za-z]{1,3}|c[1-9][0-9]{0,3})$"),
    WithJsonSchema(
        {"type": "string", "pattern": "^(?:[A-Za-z]{1,3}|c[1-9][0-9]{0,3})$", "examples": ["A", "c2"]}
    ),
]


class RegistryImportMappingIn(Schema):
    """The official's correction of the detected columns, as on the preview page: the sheet's column
    (its letter, "A", or the preview's `column`, "c1") -> the field it holds ("" = not imported).
    Columns left out keep what was detected (or remembered for the union body)."""

    columns: dict[ImportColumn, ImportFieldName]
    header_row: Annotated[int, Field(ge=1, le=1000)] | None = None


def _grid_column(ref: str) -> str:
    if ref.startswith("c") and ref[1:].isdigit():
        return ref
    n = 0
    for ch in ref.upper():
        n = n * 26 + ord(ch) - 64
    return f"c{n}"


@router.post("/imports", response={202: ImportJobOut})
def import_upload(
    request,
    file: File[UploadedFile],
    body_id: Form[int | None] = None,
    mode: Form[str] = "validate",
    strict: Form[bool] = False,
    mapping: Form[Json[RegistryImportMappingIn] | None] = None,
):
    """Upload a member list (XLSX/CSV). `mode`: "validate" (report only) or "commit" (validate, then write
    the valid rows in one transaction). `mapping` (JSON, `RegistryImportMappingIn`): the column
    mapping the preview page lets the official correct, e.g.
    `{"columns": {"A": "seq", "B": "nik", "C": "name", "F": "company"}, "header_row": 3}`; the
    validate job's result (`column_preview`) shows what was detected. Returns the job; poll
    GET /api/v1/core/jobs/{job_id}."""
    require(request.user, "import_registry")
    if mode not in ("validate", "commit"):
        raise SinergiError("mode must be 'validate' or 'commit'", code="invalid", field="mode")
    size = file.size or 0  # an uploaded file always has its size; None only on a bare File
    if size > max_bytes():
        raise SinergiError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(size / 1048576, 1), "limit": settings.SINERGI_MAX_UPLOAD_MB},
            code="file_too_large",
            field="file",
        )
    body = union_body_get(user=request.user, pk=body_id) if body_id else None
    columns = {_grid_column(k): v for k, v in mapping.columns.items()} if mapping else None
    job = services.registry_import_start(
        actor=request.user,
        upload=file,
        filename=file.name or "import",
        body=body,
        mode=mode,
        strict=strict,
        mapping=columns,
        header_row=mapping.header_row if mapping else None,
        idempotency_key=request_idempotency_key(request, f"registry.import:{mode}"),
    )
    return 202, {
        "job_id": job.pk,
        "status": job.status,
        "status_url": f"/api/v1/core/jobs/{job.pk}",
        "page_url": reverse("registry:import_detail", args=[job.pk]),
    }


@router.get("/duplicates", response=list[DuplicateOut])
@paginate(PageNumberPagination, page_size=50)
def duplicates(request, status: str = "open"):
    require(request.user, "merge_people")
    return selectors.duplicate_list(user=request.user, status=status or None)


# Joining a person (registry's) to a union body (unions') needs both apps. Registry sits above unions,
# so the endpoint is declared here, on the unions router: its URL (/api/v1/unions/memberships) and
# operation id stay as they were.
@unions_api.router.post(
    "/memberships",
    response={201: unions_api.MembershipOut},
    operation_id="sinergi_unions_api_membership_create",
)
def membership_create(request, payload: unions_api.MembershipIn):
    """Add a person in your scope to a body in your scope. New people (by NIK) join through an import."""
    target_body = unions_selectors.union_body_get(user=request.user, pk=payload.body_id)
    person = selectors.person_get(user=request.user, pk=payload.person_id)
    return 201, unions_services.membership_create(
        actor=request.user,
        person=person,
        body=target_body,
        member_number=payload.member_number,
        joined_on=payload.joined_on,
        verified=payload.verified,
    )
