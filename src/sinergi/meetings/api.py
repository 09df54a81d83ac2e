"""API for meetings, commitments and the dialogue cadence. Scoped like the pages."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.selectors import organisation_list
from sinergi.core.apitypes import Date, Datetime, Id, Mapped, PageNumberPagination, Year
from sinergi.meetings import selectors, services

router = Router(tags=["meetings"])


class CommitmentOut(Schema):
    id: int
    meeting_id: int
    description: str
    owner: str
    due_date: dt.date
    status: str
    done_on: dt.date | None
    overdue: bool


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    organiser: str
    region: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    status: str


class MeetingDetailOut(MeetingOut):
    minutes: str
    invited_organisations: list[str]
    speakers: list[dict]
    commitments: list[CommitmentOut]


class MeetingIn(Schema):
    kind: str
    title: str
    starts_at: Datetime
    ends_at: Datetime | None = None
    place: str
    region: str | None = None
    description: str = ""
    invited_organisation_ids: list[Id] = []


class StatusIn(Schema):
    status: str
    note: str = ""
    done_on: Date | None = None


def _c(c, today=None) -> dict:
    return {
        "id": c.pk,
        "meeting_id": c.meeting_id,
        "description": c.description,
        "owner": str(c.owner),
        "due_date": c.due_date,
        "status": c.status,
        "done_on": c.done_on,
        "overdue": c.is_overdue(today),
    }


def _m(m, detail=False) -> dict:
    data = {
        "id": m.pk,
        "kind": m.kind,
        "title": m.title,
        "organiser": str(m.organiser),
        "region": m.region_id,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place": m.place,
        "status": m.status,
    }
    if detail:
        data["minutes"] = m.minutes
        data["invited_organisations"] = [str(o) for o in m.invited_organisations.all()]
        data["speakers"] = [
            {"name": s.name, "position": s.position, "remarks": s.remarks} for s in m.speakers.all()
        ]
        data["commitments"] = [_c(c) for c in m.commitments.select_related("owner")]
    return data


@router.get("/", response=list[MeetingOut])
@paginate(PageNumberPagination, page_size=50)
def list_meetings(request, kind: str = "", year: Year | None = None):
    return Mapped(selectors.meeting_list(user=request.user, filters={"kind": kind, "year": year}), _m)


@router.post("/", response={201: MeetingDetailOut})
def create_meeting(request, payload: MeetingIn):
    m = services.meeting_create(
        actor=request.user,
        kind=payload.kind,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        region_id=payload.region,
        description=payload.description,
        invited_organisations=organisation_list(user=request.user).filter(
            pk__in=payload.invited_organisation_ids
        ),
    )
    return 201, _m(m, detail=True)


@router.get("/commitments", response=list[CommitmentOut])
@paginate(PageNumberPagination, page_size=50)
def list_commitments(request, status: str = "", overdue: bool = False):
    qs = selectors.commitment_list(user=request.user, filters={"status": status, "overdue": overdue})
    return Mapped(qs, _c)


@router.post("/commitments/{int:pk}/status", response=CommitmentOut)
def commitment_status(request, pk: Id, payload: StatusIn):
    c = get_object_or_404(selectors.commitment_list(user=request.user), pk=pk)
    c = services.commitment_set_status(
        actor=request.user, commitment=c, status=payload.status, note=payload.note, done_on=payload.done_on
    )
    return _c(c)


class CadenceOut(Schema):
    id: int
    name: str
    region: str
    last_meeting: dt.datetime | None


@router.get("/cadence", response=list[CadenceOut])
@paginate(PageNumberPagination, page_size=100)
def cadence(request):
    return Mapped(
        selectors.cadence_gaps(user=request.user),
        lambda b: {"id": b.pk, "name": b.name, "region": b.region_id, "last_meeting": b.last_meeting},
    )


@router.get("/{int:pk}", response=MeetingDetailOut)
def get_meeting(request, pk: Id):
    return _m(get_object_or_404(selectors.meeting_list(user=request.user), pk=pk), detail=True)


SCOPED_DETAIL_PATHS = {
    "/meetings/{pk}": ("meetings.Meeting", "sinergi.meetings.selectors.meeting_scope"),
}
