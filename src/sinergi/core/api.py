"""Shell API: my background jobs and their progress; the audit log for those allowed to read it."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sinergi.core import selectors
from sinergi.core.apitypes import Date, Id, PageNumberPagination
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


@router.get("/audit", response=list[AuditOut])
@paginate(PageNumberPagination)
def audit_list(request, filters: Query[AuditFilters]):
    require(request.user, "view_audit_log")
    data = filters.dict(exclude_none=True)
    for old, new in (("date_from", "from"), ("date_to", "to")):
        if old in data:
            data[new] = data.pop(old).isoformat()
    return selectors.audit_list(user=request.user, filters=data)
