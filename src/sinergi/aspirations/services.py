"""Every write to aspirations and the tripartite agenda: atomic, audited, with a timeline step per
transition and guarded transitions (received → assigned → in progress → answered → closed; reopened)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organisation, User
from sinergi.accounts.roles import OrgKind, Role, can
from sinergi.accounts.scoping import user_scope
from sinergi.aspirations import selectors
from sinergi.aspirations.models import (
    AgendaItem,
    Aspiration,
    AspirationAttachment,
    AspirationEvent,
    Category,
    ServiceLevel,
    TripartiteSession,
)
from sinergi.core import clock
from sinergi.core.audit import (
    audit_create,
    audit_record,
    audit_record_many,
    audit_transition,
    audit_update,
    snapshot,
)
from sinergi.core.dates import format_date
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.core.models import AuditEntry
from sinergi.core.scoping import Scope
from sinergi.core.uploads import FILE_TYPES, content_matches, file_extension
from sinergi.notifications.models import Notification
from sinergi.notifications.services import notify, notify_many
from sinergi.regions.models import Region
from sinergi.rules import calendar as cal
from sinergi.unions.models import Membership

# one notice for notify_many: (recipient, kind, message callable, url, key)
Notice = tuple[User, str, Callable[[], str], str, str]

S = Aspiration.Status

# transition name -> (statuses it may start from, status it ends in)
TRANSITIONS = {
    "assign": ({S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}, S.ASSIGNED),
    "acknowledge": ({S.ASSIGNED, S.REOPENED}, S.IN_PROGRESS),
    "answer": ({S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}, S.ANSWERED),
    "close": ({S.ANSWERED}, S.CLOSED),
    "reopen": ({S.ANSWERED, S.CLOSED}, S.REOPENED),
}

ALLOWED_ATTACHMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
RESPONDER_ROLES = [
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    Role.SS_OFFICER,
    Role.TRIPARTITE_SECRETARY,
    Role.ADMIN,
]


def _guard(aspiration: Aspiration, transition: str):
    sources, target = TRANSITIONS[transition]
    if aspiration.status not in sources:
        raise Conflict(
            _("This step is not possible while the aspiration is “%(status)s”.")
            % {"status": aspiration.get_status_display()},
            code="bad_transition",
        )
    return target


def _event(
    aspiration, kind, *, actor: User | None = None, from_status="", to_status="", note="", organisation=None
):
    return AspirationEvent.objects.create(
        aspiration=aspiration,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _move(aspiration, transition, *, actor: User | None, kind, note="", organisation=None, **fields):
    """Guarded status change: the row is re-read under a lock so two clicks cannot both pass the guard."""
    locked = Aspiration.objects.select_for_update().get(pk=aspiration.pk)
    target = _guard(locked, transition)
    before = locked.status
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.status = target
    locked.save(update_fields=["status", "updated_at", *fields])
    _event(
        locked, kind, actor=actor, from_status=before, to_status=target, note=note, organisation=organisation
    )
    audit_transition(actor=actor, obj=locked, from_status=before, to_status=target, note=note[:300])
    aspiration.refresh_from_db()
    return aspiration


def _url(aspiration) -> str:
    return reverse("aspirations:detail", args=[aspiration.pk])


def deadlines(category: str, received_on: dt.date, holidays=None) -> tuple[dt.date, dt.date]:
    level = ServiceLevel.objects.filter(category=category).first()
    if level is None:
        raise SinergiError(
            _("No service level is set for this category; ask an administrator."), code="no_service_level"
        )
    holidays = selectors.holiday_dates() if holidays is None else holidays
    return (
        cal.add_working_days(received_on, level.acknowledge_days, holidays),
        cal.add_working_days(received_on, level.answer_days, holidays),
    )


def _responders(organisation):
    if organisation is None:
        return []
    return list(
        User.objects.filter(
            organisation=organisation,
            is_active=True,
            role__in=RESPONDER_ROLES,
        )
    )


def _filer_side_users(aspiration):
    q = Q(pk=aspiration.filed_by_id) if aspiration.filed_by_id else Q(pk__in=[])
    if aspiration.filer_organisation_id:
        q |= Q(organisation_id=aspiration.filer_organisation_id, role=Role.UNION_OFFICIAL)
    return list(User.objects.filter(q, is_active=True))


def _clean_text(value, field, label, max_length=None):
    value = (value or "").strip()
    if not value:
        raise SinergiError(_("%(label)s is required.") % {"label": label}, code="required", field=field)
    if max_length and len(value) > max_length:
        raise SinergiError(
            _("%(label)s is too long (at most %(n)d characters).") % {"label": label, "n": max_length},
            code="too_long",
            field=field,
        )
    return value


def validate_attachments(files) -> list:
    """Check every file before anything is stored; the first bad one stops the whole filing."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_ATTACHMENTS:
        raise SinergiError(
            _("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS},
            code="too_many_files",
            field="attachments",
        )
    checked = []
    for f in files:
        name = getattr(f, "name", "") or "file"
        ext = file_extension(name)
        if ext not in ALLOWED_ATTACHMENT_TYPES:
            raise SinergiError(
                _("“%(name)s”: only PDF, JPG, PNG, DOCX or XLSX files are accepted.") % {"name": name},
                code="file_type",
                field="attachments",
            )
        if f.size > MAX_ATTACHMENT_BYTES:
            raise SinergiError(
                _("“%(name)s” is larger than %(mb)d MB.")
                % {"name": name, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
                code="file_too_large",
                field="attachments",
            )
        if f.size == 0:
            raise SinergiError(
                _("“%(name)s” is empty.") % {"name": name}, code="file_empty", field="attachments"
            )
        content_type = FILE_TYPES[ext][0]
        if not content_matches(f, ext):
            raise SinergiError(
                _("“%(name)s” is not a real %(ext)s file.") % {"name": name, "ext": ext.upper()},
                code="file_content",
                field="attachments",
            )
        checked.append((f, name[-200:], content_type))
    return checked


def _store_attachments(aspiration, checked, actor: User):
    for f, name, content_type in checked:
        att = AspirationAttachment(
            aspiration=aspiration,
            name=name,
            content_type=content_type,
            size=f.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        att.file.save(name, f, save=False)
        att.save()
        audit_create(actor=actor, obj=att)


@transaction.atomic
def aspiration_file(
    *,
    actor: User,
    title: str,
    description: str,
    category: str,
    region_id: str | None = None,
    member=None,
    hide_member: bool = False,
    channel: str | None = None,
    source_meeting=None,
    attachments=(),
    received_on: dt.date | None = None,
) -> Aspiration:
    """File an aspiration, compute its deadlines, route it and tell the responsible organisation."""
    if not can(actor, "file_aspiration") or user_scope(actor).read_only:
        raise NotAllowed(_("Your role may not file aspirations."))
    scope = user_scope(actor)
    title = _clean_text(title, "title", pgettext_lazy("aspiration", "Subject"), 200)
    description = _clean_text(description, "description", _("Description"))
    if category not in Category.values:
        raise SinergiError(_("Choose a category."), code="invalid_category", field="category")
    org = actor.organisation
    union_body = _filer_union_body(actor)
    region_id = (region_id or "").strip() or (
        union_body.region_id if union_body else getattr(org, "region_id", "")
    )
    _check_region(scope, union_body, region_id)
    if member is not None:
        _check_member(scope, union_body, member)
    if hide_member and member is None:
        hide_member = False
    channel = _filing_channel(channel, union_body, source_meeting)
    checked = validate_attachments(attachments)
    received_on = received_on or clock.today()
    ack_due, answer_due = deadlines(category, received_on)
    aspiration = Aspiration.objects.create(
        title=title,
        description=description,
        category=category,
        channel=channel,
        region_id=region_id,
        filed_by=actor,
        filer_organisation=org,
        union_body=union_body,
        member=member,
        hide_member=hide_member,
        source_meeting=source_meeting,
        received_on=received_on,
        acknowledge_due=ack_due,
        answer_due=answer_due,
    )
    _event(aspiration, AspirationEvent.Kind.RECEIVED, actor=actor, to_status=S.RECEIVED, organisation=org)
    audit_create(actor=actor, obj=aspiration)
    _store_attachments(aspiration, checked, actor)
    target = selectors.route_for(category=category, region_id=region_id)
    if target is not None:
        _assign(aspiration, target, actor=None, note=gettext("Routed automatically by category and region."))
    return aspiration


def _filer_union_body(actor: User):
    """The union body a union official files for (their organisation must have one); None otherwise."""
    org = actor.organisation
    union_body = org.union_body if (org is not None and actor.role == Role.UNION_OFFICIAL) else None
    if actor.role == Role.UNION_OFFICIAL and union_body is None:
        raise NotAllowed(_("Your organisation is not linked to a union body."))
    return union_body


def _check_region(scope: Scope, union_body, region_id: str) -> None:
    """The region of a new aspiration exists and lies in the filer's union province or area."""
    if not region_id or not Region.objects.filter(code=region_id).exists():
        raise SinergiError(_("Choose a valid region."), code="invalid_region", field="region")
    if union_body is not None:
        if not region_id.startswith(union_body.region_id[:2]):
            raise SinergiError(
                _("The region must lie in your union's province."), code="region_outside", field="region"
            )
    elif not scope.covers_region(region_id):
        raise SinergiError(_("The region is outside your area."), code="region_outside", field="region")


def _check_member(scope: Scope, union_body, member) -> None:
    """A union files only for its own members; anyone else only for people in their area."""
    if union_body is not None:
        if not Membership.objects.filter(
            person=member, body_id__in=scope.union_body_ids or frozenset()
        ).exists():
            raise SinergiError(
                _("This person is not a member of your union."), code="not_a_member", field="member"
            )
    elif not scope.covers_region(member.domicile_region_id):
        raise SinergiError(_("This person is outside your area."), code="member_outside", field="member")


def _filing_channel(channel: str | None, union_body, source_meeting) -> str:
    if channel is None:
        channel = Aspiration.Channel.UNION if union_body else Aspiration.Channel.CALL
    if channel not in Aspiration.Channel.values:
        raise SinergiError(_("Unknown channel."), code="invalid_channel", field="channel")
    if source_meeting is not None:
        channel = Aspiration.Channel.MEETING
    return channel


def _assign(aspiration, organisation, *, actor: User | None, note=""):
    _move(
        aspiration,
        "assign",
        actor=actor,
        kind=AspirationEvent.Kind.ASSIGNED,
        note=note,
        organisation=organisation,
        assigned_organisation=organisation,
    )
    url = _url(aspiration)
    code = aspiration.tracking_code
    notify(
        _responders(organisation),
        kind=Notification.Kind.ASSIGNED,
        message=lambda: (
            gettext("New aspiration %(code)s assigned to your organisation: %(title)s")
            % {"code": code, "title": aspiration.title}
        ),
        url=url,
        key=f"asp:{aspiration.pk}:assigned:{organisation.pk}:{aspiration.events.count()}",
    )


@transaction.atomic
def aspiration_assign(*, actor: User, aspiration: Aspiration, organisation, note: str = "") -> Aspiration:
    if not selectors.can_assign(actor, aspiration):
        raise NotAllowed(_("You may not assign this aspiration."))
    if not organisation.is_active:
        raise SinergiError(_("That organisation is not active."), code="inactive_org", field="organisation")
    return _assign(aspiration, organisation, actor=actor, note=note.strip())


@transaction.atomic
def aspiration_acknowledge(*, actor: User, aspiration: Aspiration, note: str = "") -> Aspiration:
    if not selectors.can_respond(actor, aspiration):
        raise NotAllowed(_("Only the responsible organisation may take up this aspiration."))
    return _move(
        aspiration,
        "acknowledge",
        actor=actor,
        kind=AspirationEvent.Kind.ACKNOWLEDGED,
        note=note.strip(),
        organisation=actor.organisation,
        acknowledged_at=aspiration.acknowledged_at or clock.now(),
    )


@transaction.atomic
def aspiration_answer(*, actor: User, aspiration: Aspiration, answer: str, organisation=None) -> Aspiration:
    if organisation is None and not selectors.can_respond(actor, aspiration):
        raise NotAllowed(_("Only the responsible organisation may answer this aspiration."))
    answer = _clean_text(answer, "answer", _("Answer"))
    now = clock.now()
    _move(
        aspiration,
        "answer",
        actor=actor,
        kind=AspirationEvent.Kind.ANSWERED,
        note=answer,
        organisation=organisation or actor.organisation,
        answer=answer,
        answered_at=now,
        acknowledged_at=aspiration.acknowledged_at or now,
    )
    code = aspiration.tracking_code
    notify(
        _filer_side_users(aspiration),
        kind=Notification.Kind.ANSWERED,
        message=lambda: (
            gettext("Aspiration %(code)s has been answered. Close it and rate the answer, or reopen it.")
            % {"code": code}
        ),
        url=_url(aspiration),
        key=f"asp:{aspiration.pk}:answered:{aspiration.events.count()}",
    )
    return aspiration


def _require_filer_side(actor: User, aspiration):
    if not selectors.is_filer_side(actor, aspiration) or user_scope(actor).read_only:
        raise NotAllowed(_("Only the side that filed the aspiration may do this."))


def _validate_rating(rating):
    if rating in (None, ""):
        return None
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise SinergiError(
            _("The rating is a whole number from 1 to 5."), code="invalid_rating", field="rating"
        )
    return rating


@transaction.atomic
def aspiration_close(*, actor: User, aspiration: Aspiration, rating=None, comment: str = "") -> Aspiration:
    _require_filer_side(actor, aspiration)
    rating = _validate_rating(rating)
    _move(aspiration, "close", actor=actor, kind=AspirationEvent.Kind.CLOSED, closed_at=clock.now())
    if rating is not None:
        aspiration_rate(actor=actor, aspiration=aspiration, rating=rating, comment=comment)
    return aspiration


@transaction.atomic
def aspiration_rate(*, actor: User, aspiration: Aspiration, rating, comment: str = "") -> Aspiration:
    _require_filer_side(actor, aspiration)
    locked = Aspiration.objects.select_for_update().get(pk=aspiration.pk)
    if locked.status != S.CLOSED:
        raise Conflict(_("An answer can be rated once the aspiration is closed."), code="not_closed")
    if locked.rating is not None:
        raise Conflict(_("This answer has already been rated."), code="already_rated")
    rating = _validate_rating(rating)
    if rating is None:
        raise SinergiError(
            _("The rating is a whole number from 1 to 5."), code="invalid_rating", field="rating"
        )
    locked.rating = rating
    locked.rating_comment = (comment or "").strip()[:500]
    locked.save(update_fields=["rating", "rating_comment", "updated_at"])
    _event(
        locked, AspirationEvent.Kind.RATED, actor=actor, note=f"{rating}/5 {locked.rating_comment}".strip()
    )
    audit_record(actor=actor, action="update", obj=locked, changes={"rating": [None, rating]})
    aspiration.refresh_from_db()
    return aspiration


@transaction.atomic
def aspiration_reopen(*, actor: User, aspiration: Aspiration, reason: str) -> Aspiration:
    """The filer is not satisfied: the case opens again with a fresh answer deadline."""
    _require_filer_side(actor, aspiration)
    reason = _clean_text(reason, "reason", _("Reason"))
    level = ServiceLevel.objects.get(category=aspiration.category)
    today = clock.today()
    _move(
        aspiration,
        "reopen",
        actor=actor,
        kind=AspirationEvent.Kind.REOPENED,
        note=reason,
        answer_due=cal.add_working_days(today, level.answer_days, selectors.holiday_dates()),
        escalated_at=None,
        warned_at=None,
        closed_at=None,
        reopen_count=aspiration.reopen_count + 1,
    )
    code = aspiration.tracking_code
    notify(
        _responders(aspiration.assigned_organisation),
        kind=Notification.Kind.ASSIGNED,
        message=lambda: gettext("Aspiration %(code)s was reopened by the filer.") % {"code": code},
        url=_url(aspiration),
        key=f"asp:{aspiration.pk}:reopened:{aspiration.reopen_count}",
    )
    return aspiration


@transaction.atomic
def aspiration_note(*, actor: User, aspiration: Aspiration, note: str) -> AspirationEvent:
    if not (selectors.can_respond(actor, aspiration) or selectors.is_filer_side(actor, aspiration)):
        raise NotAllowed(_("You may not add notes to this aspiration."))
    note = _clean_text(note, "note", _("Note"))
    event = _event(
        aspiration, AspirationEvent.Kind.NOTE, actor=actor, note=note, organisation=actor.organisation
    )
    audit_record(actor=actor, action="update", obj=aspiration, changes={"note": note[:200]})
    return event


@transaction.atomic
def attachment_add(*, actor: User, aspiration: Aspiration, files) -> int:
    if not (selectors.can_respond(actor, aspiration) or selectors.is_filer_side(actor, aspiration)):
        raise NotAllowed(_("You may not add files to this aspiration."))
    checked = validate_attachments(files)
    if aspiration.attachments.count() + len(checked) > MAX_ATTACHMENTS:
        raise SinergiError(
            _("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS},
            code="too_many_files",
            field="attachments",
        )
    _store_attachments(aspiration, checked, actor)
    return len(checked)


# ---- escalation and deadline warnings (run by the `aspirations.escalate` job) -------------------------


def _chunks(seq, size=500):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def overdue_q(today: dt.date) -> Q:
    return Q(status__in=Aspiration.OPEN_STATUSES) & (
        Q(answer_due__lt=today) | Q(acknowledged_at__isnull=True, acknowledge_due__lt=today)
    )


def _heads_by_region():
    return list(
        User.objects.filter(
            role=Role.AGENCY_HEAD, is_active=True, organisation__is_active=True
        ).select_related("organisation")
    )


def _users_of_orgs(org_ids):
    by_org = {}
    for u in User.objects.filter(
        organisation_id__in=org_ids,
        is_active=True,
        role__in=RESPONDER_ROLES,
    ):
        by_org.setdefault(u.organisation_id, []).append(u)
    return by_org


def _lock_not_escalated(chunk: list[dict]) -> list[dict]:
    """Lock the rows and keep only those still not escalated: a concurrent run that got there first
    (PostgreSQL re-checks the condition after the lock) leaves nothing for this one to repeat."""
    keep = set(
        Aspiration.objects.select_for_update()
        .filter(pk__in=[r["id"] for r in chunk], escalated_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return [r for r in chunk if r["id"] in keep]


def _record_escalations(chunk: list[dict], now: dt.datetime) -> None:
    """A timeline step and an audit entry per escalated case."""
    AspirationEvent.objects.bulk_create(
        [
            AspirationEvent(
                aspiration_id=r["id"],
                kind=AspirationEvent.Kind.ESCALATED,
                from_status=r["status"],
                to_status=r["status"],
                at=now,
            )
            for r in chunk
        ]
    )
    audit_record_many(
        actor=None,
        action=AuditEntry.Action.UPDATE,
        purpose="overdue escalation",
        entries=[
            {
                "object_type": "aspirations.aspiration",
                "object_id": r["id"],
                "object_repr": f"{r['tracking_code']} {r['title']}",
                "changes": {"escalated_at": [None, now.isoformat()]},
            }
            for r in chunk
        ],
    )


def _put_on_agenda(chunk: list[dict], bodies: list[tuple[str, int]], now: dt.datetime) -> int:
    """Each case on the agenda of the tripartite body of its region (the most specific region first);
    returns how many agenda items are new."""
    items, agenda_events = [], []
    for r in chunk:
        body_id = next((b for region, b in bodies if r["region_id"].startswith(region)), None)
        if body_id is not None:
            items.append(
                AgendaItem(
                    body_id=body_id,
                    aspiration_id=r["id"],
                    title=f"{r['tracking_code']} · {r['title']}"[:200],
                )
            )
            agenda_events.append(
                AspirationEvent(aspiration_id=r["id"], kind=AspirationEvent.Kind.AGENDA, at=now)
            )
    on_agenda = AgendaItem.objects.filter(aspiration_id__in=[r["id"] for r in chunk])
    before = on_agenda.count()
    AgendaItem.objects.bulk_create(items, ignore_conflicts=True)
    added = on_agenda.count() - before
    AspirationEvent.objects.bulk_create(agenda_events)
    return added


def _escalation_notices(chunk: list[dict], heads, org_users, now: dt.datetime) -> list[Notice]:
    """The agency heads of the region and the responsible organisation's people, per case."""
    notes: list[Notice] = []
    for r in chunk:
        url = reverse("aspirations:detail", args=[r["id"]])
        recipients = [h for h in heads if r["region_id"].startswith(h.organisation.region_id)]
        recipients += org_users.get(r["assigned_organisation_id"], [])

        def message(r=r):
            return gettext("Overdue aspiration %(code)s escalated (answer was due %(due)s): %(title)s") % {
                "code": r["tracking_code"],
                "due": format_date(r["answer_due"]) if r["answer_due"] else "—",
                "title": r["title"],
            }

        notes.extend(
            (u, Notification.Kind.ESCALATED, message, url, f"asp:{r['id']}:escalated:{now.isoformat()}")
            for u in recipients
        )
    return notes


@transaction.atomic
def aspirations_escalate(*, today: dt.date | None = None) -> dict:
    """Escalate every overdue, not yet escalated case at once: mark it, add a timeline step and an audit
    entry, put it on the agenda of the tripartite body of its region, and notify the agency heads of
    the region and the responsible organisation. Set-based: a fixed number of queries per 500 cases."""
    today = today or clock.today()
    now = clock.now()
    rows = list(
        Aspiration.objects.filter(overdue_q(today), escalated_at__isnull=True).values(
            "id", "tracking_code", "title", "region_id", "status", "assigned_organisation_id", "answer_due"
        )
    )
    if not rows:
        return {"escalated": 0, "agenda_items": 0, "notifications": 0}
    bodies = sorted(
        Organisation.objects.filter(kind=OrgKind.TRIPARTITE, is_active=True).values_list("region_id", "id"),
        key=lambda r: -len(r[0]),
    )
    heads = _heads_by_region()
    org_users = _users_of_orgs({r["assigned_organisation_id"] for r in rows if r["assigned_organisation_id"]})
    escalated = agenda = 0
    notes: list[Notice] = []
    for chunk in _chunks(rows):
        chunk = _lock_not_escalated(chunk)
        if not chunk:
            continue
        escalated += Aspiration.objects.filter(pk__in=[r["id"] for r in chunk]).update(
            escalated_at=now, updated_at=now
        )
        _record_escalations(chunk, now)
        agenda += _put_on_agenda(chunk, bodies, now)
        notes.extend(_escalation_notices(chunk, heads, org_users, now))
    sent = notify_many(notes)
    return {"escalated": escalated, "agenda_items": agenda, "notifications": sent}


@transaction.atomic
def aspirations_warn(*, today: dt.date | None = None) -> dict:
    """Tell the responsible organisation about open cases whose answer deadline is near (once per case)."""
    today = today or clock.today()
    holidays = selectors.holiday_dates()
    q = Q(pk__in=[])
    for level in ServiceLevel.objects.all():
        horizon = cal.add_working_days(today, level.warn_days, holidays)
        q |= Q(category=level.category, answer_due__gte=today, answer_due__lte=horizon)
    rows = list(
        Aspiration.objects.filter(q, status__in=Aspiration.OPEN_STATUSES, warned_at__isnull=True).values(
            "id", "tracking_code", "title", "answer_due", "assigned_organisation_id"
        )
    )
    if not rows:
        return {"warned": 0, "notifications": 0}
    org_users = _users_of_orgs({r["assigned_organisation_id"] for r in rows if r["assigned_organisation_id"]})
    now = clock.now()
    notes: list[Notice] = []
    for chunk in _chunks(rows):
        ids = set(
            Aspiration.objects.select_for_update()
            .filter(pk__in=[r["id"] for r in chunk], warned_at__isnull=True)
            .values_list("pk", flat=True)
        )
        chunk = [r for r in chunk if r["id"] in ids]
        Aspiration.objects.filter(pk__in=ids).update(warned_at=now)
        for r in chunk:

            def message(r=r):
                return gettext("Aspiration %(code)s must be answered by %(due)s: %(title)s") % {
                    "code": r["tracking_code"],
                    "due": format_date(r["answer_due"]),
                    "title": r["title"],
                }

            notes.extend(
                (
                    u,
                    Notification.Kind.DEADLINE,
                    message,
                    reverse("aspirations:detail", args=[r["id"]]),
                    f"asp:{r['id']}:warn:{r['answer_due'].isoformat()}",
                )
                for u in org_users.get(r["assigned_organisation_id"], [])
            )
    return {"warned": len(rows), "notifications": notify_many(notes)}


# ---- tripartite agenda -----------------------------------------------------------------------------


def _require_agenda(actor: User, body):
    if not selectors.can_manage_agenda(actor, body):
        raise NotAllowed(_("Only the tripartite secretariat may change this agenda."))


@transaction.atomic
def session_create(
    *, actor: User, body, date: dt.date, place: str = "", notes: str = ""
) -> TripartiteSession:
    if body.kind != OrgKind.TRIPARTITE:
        raise SinergiError(_("Choose a tripartite body."), code="not_tripartite", field="body")
    _require_agenda(actor, body)
    if date is None:
        raise SinergiError(_("Date is required."), code="required", field="date")
    session = TripartiteSession.objects.create(body=body, date=date, place=place.strip(), notes=notes.strip())
    audit_create(actor=actor, obj=session)
    return session


@transaction.atomic
def session_mark_held(*, actor: User, session: TripartiteSession, notes: str = "") -> TripartiteSession:
    _require_agenda(actor, session.body)
    if session.status == TripartiteSession.Status.HELD:
        raise Conflict(_("This session is already recorded as held."), code="already_held")
    session.status = TripartiteSession.Status.HELD
    session.notes = (notes or session.notes).strip()
    session.save(update_fields=["status", "notes", "updated_at"])
    audit_transition(actor=actor, obj=session, from_status="planned", to_status="held")
    return session


@transaction.atomic
def agenda_item_add(*, actor: User, body, title: str, aspiration: Aspiration | None = None) -> AgendaItem:
    _require_agenda(actor, body)
    title = _clean_text(title or (aspiration.title if aspiration else ""), "title", _("Title"), 200)
    if aspiration is not None and AgendaItem.objects.filter(body=body, aspiration=aspiration).exists():
        raise Conflict(_("This aspiration is already on the agenda."), code="already_on_agenda")
    item = AgendaItem.objects.create(body=body, title=title, aspiration=aspiration)
    if aspiration is not None:
        _event(aspiration, AspirationEvent.Kind.AGENDA, actor=actor, organisation=body)
    audit_create(actor=actor, obj=item)
    return item


@transaction.atomic
def agenda_item_schedule(*, actor: User, item: AgendaItem, session: TripartiteSession) -> AgendaItem:
    _require_agenda(actor, item.body)
    if session.body_id != item.body_id:
        raise SinergiError(_("The session belongs to another body."), code="other_body", field="session")
    if item.status not in (AgendaItem.Status.PENDING, AgendaItem.Status.SCHEDULED):
        raise Conflict(_("A decided or closed item cannot be rescheduled."), code="bad_transition")
    before = item.status
    item.session, item.status = session, AgendaItem.Status.SCHEDULED
    item.save(update_fields=["session", "status", "updated_at"])
    audit_transition(actor=actor, obj=item, from_status=before, to_status=item.status)
    return item


@transaction.atomic
def agenda_item_decide(*, actor: User, item: AgendaItem, decision: str) -> AgendaItem:
    _require_agenda(actor, item.body)
    if item.status not in (AgendaItem.Status.PENDING, AgendaItem.Status.SCHEDULED):
        raise Conflict(_("This item has already been decided."), code="bad_transition")
    decision = _clean_text(decision, "decision", _("Decision"))
    before = item.status
    item.decision, item.status = decision, AgendaItem.Status.DECIDED
    item.save(update_fields=["decision", "status", "updated_at"])
    audit_transition(actor=actor, obj=item, from_status=before, to_status=item.status, note=decision[:300])
    if item.aspiration_id:
        _event(item.aspiration, AspirationEvent.Kind.NOTE, actor=actor, organisation=item.body, note=decision)
    return item


@transaction.atomic
def agenda_item_close(*, actor: User, item: AgendaItem, outcome: str) -> AgendaItem:
    """Close the item with its outcome; an aspiration still waiting for an answer gets the outcome as
    its answer, so the filer can close and rate it (the loop is closed)."""
    _require_agenda(actor, item.body)
    if item.status == AgendaItem.Status.CLOSED:
        raise Conflict(_("This item is already closed."), code="bad_transition")
    outcome = _clean_text(outcome, "outcome", _("Outcome"))
    before = item.status
    item.outcome, item.status, item.closed_at = outcome, AgendaItem.Status.CLOSED, clock.now()
    item.save(update_fields=["outcome", "status", "closed_at", "updated_at"])
    audit_transition(actor=actor, obj=item, from_status=before, to_status=item.status, note=outcome[:300])
    aspiration = item.aspiration
    if aspiration is not None and aspiration.status in TRANSITIONS["answer"][0]:
        text = gettext("Outcome of the tripartite body (%(body)s): %(outcome)s") % {
            "body": item.body,
            "outcome": outcome,
        }
        aspiration_answer(actor=actor, aspiration=aspiration, answer=text, organisation=item.body)
    return item


# ---- configuration (administrators) ----------------------------------------------------------------


@transaction.atomic
def config_save(*, actor: User, form):
    """Save a holiday, routing rule or service level from its validated ModelForm, audited."""
    if not (getattr(actor, "role", "") == Role.ADMIN or getattr(actor, "is_superuser", False)):
        raise NotAllowed(_("Only an administrator may change these settings."))
    instance = form.instance
    before = snapshot(instance) if instance.pk else None
    obj = form.save(commit=False)
    if "region_code" in form.cleaned_data:
        obj.region_id = form.cleaned_data["region_code"]
    obj.save()
    if before is None:
        audit_create(actor=actor, obj=obj)
    else:
        audit_update(actor=actor, obj=obj, before=before)
    return obj
