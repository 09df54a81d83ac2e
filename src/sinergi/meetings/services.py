"""Every write to meetings and commitments: atomic, audited; commitments move through guarded steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.accounts.scoping import user_scope
from sinergi.aspirations.services import validate_attachments
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_transition, audit_update, snapshot
from sinergi.core.dates import format_date
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.meetings import selectors
from sinergi.meetings.models import (
    Attendance,
    Commitment,
    CommitmentEvent,
    Meeting,
    MinutesAttachment,
    Speaker,
)
from sinergi.notifications.models import Notification
from sinergi.notifications.services import notify, notify_many

# one notice for notify_many: (recipient, kind, message callable, url, key)
Notice = tuple[User, str, Callable[[], str], str, str]

C = Commitment.Status
COMMITMENT_TRANSITIONS: dict[str, set[str]] = {
    C.OPEN: {C.IN_PROGRESS, C.DONE, C.DROPPED},
    C.IN_PROGRESS: {C.DONE, C.DROPPED, C.OPEN},
    C.DONE: {C.IN_PROGRESS},  # reopened when it turns out not to be done
    C.DROPPED: {C.OPEN},
}


def _required(value, field, label):
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise SinergiError(_("%(label)s is required.") % {"label": label}, code="required", field=field)
    return value.strip() if isinstance(value, str) else value


def _require_manage(actor: User, meeting=None):
    if not selectors.can_manage(actor, meeting):
        raise NotAllowed(_("You may not change this meeting."))


def _people_to_tell(meeting):
    org_ids = set(meeting.invited_organisations.values_list("pk", flat=True))
    return list(
        User.objects.filter(organisation_id__in=org_ids, is_active=True).exclude(role=Role.SPONSOR_VIEWER)
    )


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    place: str,
    region_id: str | None = None,
    organiser=None,
    ends_at: dt.datetime | None = None,
    description: str = "",
    invited_organisations=(),
    union_bodies=(),
    status: str = Meeting.Status.PLANNED,
) -> Meeting:
    _require_manage(actor)
    if kind not in Meeting.Kind.values:
        raise SinergiError(_("Choose a kind of meeting."), code="invalid_kind", field="kind")
    title = _required(title, "title", _("Title"))
    place = _required(place, "place", _("Place"))
    _required(starts_at, "starts_at", _("Start"))
    if ends_at is not None and ends_at < starts_at:
        raise SinergiError(
            _("The meeting cannot end before it starts."), code="ends_before_start", field="ends_at"
        )
    organiser = organiser or actor.organisation
    if organiser is None:
        raise SinergiError(_("Choose the organiser."), code="required", field="organiser")
    region_id = region_id or organiser.region_id
    scope = user_scope(actor)
    if not scope.covers_region(region_id):
        raise SinergiError(_("The region is outside your area."), code="region_outside", field="region")
    meeting = Meeting.objects.create(
        kind=kind,
        title=title,
        organiser=organiser,
        region_id=region_id,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=(description or "").strip(),
        status=status,
        created_by=actor,
    )
    meeting.invited_organisations.set(invited_organisations)
    meeting.union_bodies.set(union_bodies)
    audit_create(actor=actor, obj=meeting)
    when = starts_at
    notify(
        _people_to_tell(meeting),
        kind=Notification.Kind.OTHER,
        message=lambda: (
            gettext("Invitation: %(title)s, %(when)s at %(place)s")
            % {"title": title, "when": timezone.localtime(when).strftime("%d-%m-%Y %H:%M"), "place": place}
        ),
        url=reverse("meetings:detail", args=[meeting.pk]),
        key=f"meeting:{meeting.pk}:invited",
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **fields) -> Meeting:
    _require_manage(actor, meeting)
    allowed = {"title", "starts_at", "ends_at", "place", "description", "kind"}
    unknown = set(fields) - allowed
    if unknown:
        raise SinergiError(
            _("These fields cannot be changed here."), code="invalid_field", field=sorted(unknown)[0]
        )
    before = snapshot(meeting, list(allowed | {"sequence"}))
    for name, value in fields.items():
        setattr(meeting, name, value)
    if meeting.ends_at and meeting.ends_at < meeting.starts_at:
        raise SinergiError(
            _("The meeting cannot end before it starts."), code="ends_before_start", field="ends_at"
        )
    meeting.sequence += 1
    meeting.save()
    audit_update(actor=actor, obj=meeting, before=before)
    return meeting


@transaction.atomic
def meeting_record(
    *, actor: User, meeting: Meeting, minutes: str, attendance=(), speakers=(), attachments=()
) -> Meeting:
    """Record that the meeting was held: minutes, who came, who spoke, files. Validates everything first."""
    _require_manage(actor, meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict(_("A cancelled meeting cannot be recorded as held."), code="bad_transition")
    minutes = _required(minutes, "minutes", _("Minutes"))
    checked = validate_attachments(attachments)
    rows = []
    for i, a in enumerate(attendance, start=1):
        name = (a.get("name") or "").strip()
        if not name:
            raise SinergiError(
                _("Attendance row %(n)d has no name.") % {"n": i}, code="required", field="attendance"
            )
        rows.append(
            Attendance(
                meeting=meeting,
                name=name[:200],
                position=(a.get("position") or "")[:200],
                organisation=a.get("organisation"),
                union_body=a.get("union_body"),
                headcount=max(1, int(a.get("headcount") or 1)),
                present=a.get("present", True),
            )
        )
    before = meeting.status
    meeting.minutes, meeting.status = minutes, Meeting.Status.HELD
    meeting.save(update_fields=["minutes", "status", "updated_at"])
    Attendance.objects.bulk_create(rows)
    Speaker.objects.bulk_create(
        [
            Speaker(
                meeting=meeting,
                name=s["name"][:200],
                position=s.get("position", "")[:200],
                remarks=s.get("remarks", ""),
                order=i,
            )
            for i, s in enumerate(speakers)
            if (s.get("name") or "").strip()
        ]
    )
    for f, name, content_type in checked:
        att = MinutesAttachment(
            meeting=meeting, name=name, content_type=content_type, size=f.size, uploaded_by=actor
        )
        att.file.save(name, f, save=False)
        att.save()
    if before != meeting.status:
        audit_transition(actor=actor, obj=meeting, from_status=before, to_status=meeting.status)
    audit_record(
        actor=actor,
        action="update",
        obj=meeting,
        changes={"minutes": True, "attendance": len(rows), "attachments": len(checked)},
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    _require_manage(actor, meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise Conflict(_("Only a planned meeting can be cancelled."), code="bad_transition")
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    audit_transition(actor=actor, obj=meeting, from_status="planned", to_status="cancelled", note=reason)
    return meeting


@transaction.atomic
def commitment_add(
    *, actor: User, meeting: Meeting, description: str, owner, due_date: dt.date, voiced_by: str = ""
) -> Commitment:
    _require_manage(actor, meeting)
    description = _required(description, "description", _("Commitment"))
    _required(due_date, "due_date", _("Due date"))
    if owner is None:
        raise SinergiError(_("Choose the owner organisation."), code="required", field="owner")
    commitment = Commitment.objects.create(
        meeting=meeting, description=description, owner=owner, due_date=due_date, voiced_by=voiced_by.strip()
    )
    CommitmentEvent.objects.create(commitment=commitment, to_status=commitment.status, actor=actor)
    audit_create(actor=actor, obj=commitment)
    notify(
        User.objects.filter(organisation=owner, is_active=True).exclude(role=Role.SPONSOR_VIEWER),
        kind=Notification.Kind.COMMITMENT,
        message=lambda: (
            gettext("Commitment for your organisation, due %(due)s: %(text)s")
            % {"due": format_date(due_date), "text": description[:200]}
        ),
        url=reverse("meetings:commitments"),
        key=f"commitment:{commitment.pk}:assigned",
    )
    return commitment


@transaction.atomic
def commitment_set_status(
    *, actor: User, commitment: Commitment, status: str, note: str = "", done_on: dt.date | None = None
) -> Commitment:
    if not selectors.can_update_commitment(actor, commitment):
        raise NotAllowed(_("Only the owner organisation or the organiser may update this commitment."))
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if status == locked.status:
        # The form defaults to the current status: saving it unchanged keeps the status (a finished
        # commitment is never reopened by accident) and only records a new note, if any.
        if (note or "").strip() and note.strip() != locked.progress_note:
            before = snapshot(locked, ["progress_note"])
            locked.progress_note = note.strip()
            locked.save(update_fields=["progress_note", "updated_at"])
            audit_update(actor=actor, obj=locked, before=before)
        commitment.refresh_from_db()
        return commitment
    if status not in COMMITMENT_TRANSITIONS.get(locked.status, set()):
        raise Conflict(
            _("A commitment that is “%(status)s” cannot move to that status.")
            % {"status": locked.get_status_display()},
            code="bad_transition",
        )
    from_status = locked.status
    locked.status = status
    locked.progress_note = (note or locked.progress_note).strip()
    if status == C.DONE:
        locked.done_on = done_on or clock.today()
        if locked.done_on > clock.today():
            raise SinergiError(
                _("The done date cannot be in the future."), code="future_date", field="done_on"
            )
    else:
        locked.done_on = None
    locked.save(update_fields=["status", "progress_note", "done_on", "updated_at"])
    CommitmentEvent.objects.create(
        commitment=locked, from_status=from_status, to_status=status, actor=actor, note=note
    )
    audit_transition(actor=actor, obj=locked, from_status=from_status, to_status=status, note=note[:300])
    commitment.refresh_from_db()
    return commitment


@transaction.atomic
def commitments_remind(*, today: dt.date | None = None) -> dict:
    """Once per commitment: tell the owner organisation it is overdue. Set-based."""
    today = today or clock.today()
    rows = list(
        Commitment.objects.filter(
            status__in=Commitment.OPEN_STATUSES, due_date__lt=today, reminded_at__isnull=True
        ).values("id", "owner_id", "description", "due_date")
    )
    if not rows:
        return {"reminded": 0, "notifications": 0}
    users: dict[int | None, list[User]] = {}
    for u in User.objects.filter(organisation_id__in={r["owner_id"] for r in rows}, is_active=True).exclude(
        role=Role.SPONSOR_VIEWER
    ):
        users.setdefault(u.organisation_id, []).append(u)
    Commitment.objects.filter(pk__in=[r["id"] for r in rows]).update(reminded_at=clock.now())
    url = reverse("meetings:commitments") + "?overdue=1"
    notes: list[Notice] = []
    for r in rows:

        def message(r=r):
            return gettext("Overdue commitment (due %(due)s): %(text)s") % {
                "due": format_date(r["due_date"]),
                "text": r["description"][:200],
            }

        notes.extend(
            (u, Notification.Kind.COMMITMENT, message, url, f"commitment:{r['id']}:overdue")
            for u in users.get(r["owner_id"], [])
        )
    return {"reminded": len(rows), "notifications": notify_many(notes)}
