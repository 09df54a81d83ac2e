"""Shell API: my background jobs and their progress; the audit log for those allowed to read it."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sinergi.core import selectors
from sinergi.core.apitypes import CursorPageInput, Date, Id, PageNumberPagination
from sinergi.core.models import AuditEntry
from sinergi.core.paging import cursor_or_number_page, page_body
from sinergi.core.permissions import require

router = Router(tags=["jobs and audit"])

SCOPED_DETAIL_PATHS = {
    "/core/jobs/{pk}": ("core.Job", "sinergi.core.selectors.job_list"),
}


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    total: int
    done: int
    failed: int
    percent: int
    messages: list[str]
    error: str
    result: dict
    has_result_file: bool
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_has_result_file(obj):
        return bool(obj.result_file)

    @staticmethod
    def resolve_messages(obj):
        return [str(m) for m in obj.messages]


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor_label: str
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    purpose: str

    @staticmethod
    def resolve_changes(obj):
        return obj.masked_changes


class AuditFilters(Schema):
    action: str | None = None
    actor: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    date_from: Date | None = None
    date_to: Date | None = None


@router.get("/jobs", response=list[JobOut])
@paginate(PageNumberPagination)
def job_list(request, status: str | None = None):
    jobs = selectors.job_list(user=request.user)
    if status:
        jobs = jobs.filter(status=status)
    return jobs


@router.get("/jobs/{pk}", response=JobOut)
def job_detail(request, pk: Id):
    return get_object_or_404(selectors.job_list(user=request.user), pk=pk)


class AuditPageInput(CursorPageInput):
    cursor_model, cursor_keys = AuditEntry, selectors.AUDIT_SORT_KEYS


class PagedAuditOut(Schema):
    """A page of the audit log, newest first (time, id). `cursor` (the `next_cursor` of the previous
    response; `next` is the same request with it) continues right after its last entry at any depth
    without an OFFSET; `page` works as before (an OFFSET, for the first pages). `count` stops at 10,000:
    beyond it `count` is 10000 and `count_exact` false."""

    items: list[AuditOut]
    count: int = Field(description="entries in the list, at most 10,000 (see count_exact)")
    count_exact: bool = Field(description="false when the list has more than `count` entries")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")
    next: str | None = Field(
        description="the URL of the next page (this request with `cursor`); null on the last"
    )


@router.get("/audit", response=PagedAuditOut)
def audit_list(
    request,
    filters: Query[AuditFilters],
    # the schema's fields are query parameters (page, page_size, cursor), as in the people list
    paging: Query[AuditPageInput] = None,  # type: ignore[assignment]
):
    """The audit log of your organisation (an administrator: everyone's), newest first. Page with
    `cursor` (the previous response's `next_cursor`, or follow `next`) or `page`; `count` stops at 10,000
    (`count_exact` false beyond). A cursor that is not one of this list answers 422."""
    require(request.user, "view_audit_log")
    paging = paging or AuditPageInput()
    data = filters.dict(exclude_none=True)
    for old, new in (("date_from", "from"), ("date_to", "to")):
        if old in data:
            data[new] = data.pop(old).isoformat()
    page = cursor_or_number_page(
        selectors.audit_list(user=request.user, filters=data),
        keys=selectors.AUDIT_SORT_KEYS,
        cursor=paging.cursor,
        page=paging.page,
        size=paging.page_size or 50,
        row_values=True,
        count_through=selectors.audit_count_through(user=request.user, filters=data),
    )
    return page_body(request, page)
