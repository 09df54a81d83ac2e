"""API for aspirations: file, follow (list, detail, public tracking), answer, close and rate. Scoped."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from sinergi.aspirations import selectors, services
from sinergi.aspirations.models import Aspiration
from sinergi.core.apitypes import Count, Id, Mapped, PageNumberPagination
from sinergi.core.errors import API_MESSAGES, NotFound, SinergiError
from sinergi.core.ratelimit import rate_limited
from sinergi.notifications import selectors as notification_selectors
from sinergi.registry.models import Person

router = Router(tags=["aspirations"])


class EventOut(Schema):
    kind: str
    at: dt.datetime
    from_status: str
    to_status: str
    note: str


class AspirationOut(Schema):
    id: int
    tracking_code: str
    title: str
    description: str
    category: str
    channel: str
    status: str
    region: str
    union_body: str | None
    assigned_organisation: str | None
    member_name: str | None
    received_on: dt.date
    acknowledge_due: dt.date | None
    answer_due: dt.date | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None
    answer: str
    rating: int | None
    overdue: bool


class AspirationDetailOut(AspirationOut):
    events: list[EventOut]


class AspirationIn(Schema):
    title: str
    description: str
    category: str
    region: str | None = None
    member_nik: str | None = None
    hide_member: bool = False


class TextIn(Schema):
    text: str = ""


class CloseIn(Schema):
    rating: Count | None = None
    comment: str = ""


class TrackOut(Schema):
    tracking_code: str
    category: str
    status: str
    status_label: str
    received_on: dt.date
    answer_due: dt.date | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    steps: list[dict]


def _out(request, a: Aspiration, with_events=False) -> dict:
    data = {
        "id": a.pk,
        "tracking_code": a.tracking_code,
        "title": a.title,
        "description": a.description,
        "category": a.category,
        "channel": a.channel,
        "status": a.status,
        "region": a.region_id,
        "union_body": str(a.union_body) if a.union_body_id else None,
        "assigned_organisation": str(a.assigned_organisation) if a.assigned_organisation_id else None,
        "member_name": (
            a.member.name
            if a.member_id and selectors.member_visible(request.user, a) and a.member is not None
            else None
        ),
        "received_on": a.received_on,
        "acknowledge_due": a.acknowledge_due,
        "answer_due": a.answer_due,
        "answered_at": a.answered_at,
        "closed_at": a.closed_at,
        "escalated_at": a.escalated_at,
        "answer": a.answer,
        "rating": a.rating,
        "overdue": a.is_overdue(),
    }
    if with_events:
        data["events"] = [
            {
                "kind": e.kind,
                "at": e.at,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
            }
            for e in a.events.all()
        ]
    return data


@router.get("/", response=list[AspirationOut])
@paginate(PageNumberPagination, page_size=50)
def list_aspirations(request, status: str = "", category: str = "", overdue: bool = False):
    qs = selectors.aspiration_list(
        user=request.user, filters={"status": status, "category": category, "overdue": overdue}
    ).select_related("member")
    return Mapped(qs, lambda a: _out(request, a))


@router.post("/", response={201: AspirationDetailOut})
def file_aspiration(request, payload: AspirationIn):
    member = None
    if payload.member_nik:
        member = Person.objects.filter(nik=payload.member_nik.strip()).first()
        if member is None:
            raise NotFound("No person with this NIK is in the registry.", field="member_nik")
    a = services.aspiration_file(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        category=payload.category,
        region_id=payload.region,
        member=member,
        hide_member=payload.hide_member,
        channel=Aspiration.Channel.API,
    )
    return 201, _out(request, a, with_events=True)


@router.get("/track/{code}", response=TrackOut, auth=None)
def track(request, code: str):
    if rate_limited(request, group="aspirations.track"):
        raise SinergiError(API_MESSAGES["rate_limited"], code="rate_limited", status=429)
    result = selectors.tracking_status(code)
    if result is None:
        raise NotFound("No aspiration has this code.")
    return result


@router.get("/{int:pk}", response=AspirationDetailOut)
def get_aspiration(request, pk: Id):
    return _out(
        request, get_object_or_404(selectors.aspiration_list(user=request.user), pk=pk), with_events=True
    )


def _get(request, pk):
    return get_object_or_404(selectors.aspiration_list(user=request.user), pk=pk)


@router.post("/{int:pk}/acknowledge", response=AspirationDetailOut)
def acknowledge(request, pk: Id, payload: TextIn):
    a = services.aspiration_acknowledge(actor=request.user, aspiration=_get(request, pk), note=payload.text)
    return _out(request, a, with_events=True)


@router.post("/{int:pk}/answer", response=AspirationDetailOut)
def answer(request, pk: Id, payload: TextIn):
    a = services.aspiration_answer(actor=request.user, aspiration=_get(request, pk), answer=payload.text)
    return _out(request, a, with_events=True)


@router.post("/{int:pk}/close", response=AspirationDetailOut)
def close(request, pk: Id, payload: CloseIn):
    a = services.aspiration_close(
        actor=request.user, aspiration=_get(request, pk), rating=payload.rating, comment=payload.comment
    )
    return _out(request, a, with_events=True)


@router.post("/{int:pk}/reopen", response=AspirationDetailOut)
def reopen(request, pk: Id, payload: TextIn):
    a = services.aspiration_reopen(actor=request.user, aspiration=_get(request, pk), reason=payload.text)
    return _out(request, a, with_events=True)


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/notifications", response=list[NotificationOut])
@paginate(PageNumberPagination, page_size=50)
def notifications(request):
    return notification_selectors.notification_list(user=request.user)


SCOPED_DETAIL_PATHS = {
    "/aspirations/{pk}": ("aspirations.Aspiration", "sinergi.aspirations.selectors.aspiration_scope"),
}
