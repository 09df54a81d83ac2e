"""Writing the audit log. Services call `audit_record` inside their transaction, so the entry and the
change commit (or roll back) together."""

import datetime
import decimal
import uuid

from django.db import models
from django.db.models.fields.files import FieldFile

from sinergi.core.models import AuditEntry
from sinergi.core.privacy import mask_changes


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, FieldFile):  # an empty one has no url; record the stored name only
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Concrete field values of `obj` (FKs as ids), for before/after diffs."""
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        result[field.name] = _jsonable(getattr(obj, field.attname))
    return result


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields that changed."""
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    purpose: str = "",
    organisation=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    if organisation is None and actor_obj is not None:
        organisation = getattr(actor_obj, "organisation", None)
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_label=(actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:200],
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=object_repr[:300],
        changes=mask_changes(_jsonable(changes or {})),  # personal data is stored masked
        purpose=(purpose or "")[:300],
        ip_address=ip_address,
    )


def audit_record_many(*, actor, action: str, entries, purpose: str = "", batch_size: int = 2000) -> int:
    """Audit many objects in one statement (set-based services: escalations, bulk updates).

    `entries`: iterable of dicts with `object_type`, `object_id`, `object_repr` and `changes`. The rows
    are what `audit_record` would write one by one (same actor label, masking of personal data).
    """
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = (actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:200]
    organisation = getattr(actor_obj, "organisation", None) if actor_obj is not None else None
    rows = [
        AuditEntry(
            actor=actor_obj,
            actor_label=label,
            organisation=organisation,
            action=action,
            object_type=e["object_type"],
            object_id=str(e["object_id"])[:64],
            object_repr=str(e.get("object_repr", ""))[:300],
            changes=mask_changes(_jsonable(e.get("changes") or {})),
            purpose=(purpose or "")[:300],
        )
        for e in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def audit_create(*, actor, obj, purpose: str = "") -> AuditEntry:
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=obj,
        changes={"after": snapshot(obj)},
        purpose=purpose,
    )


def audit_update(*, actor, obj, before: dict, purpose: str = "") -> AuditEntry | None:
    changes = diff(before, snapshot(obj, list(before)))
    if not changes:
        return None
    return audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=obj, changes=changes, purpose=purpose
    )


def audit_transition(*, actor, obj, from_status: str, to_status: str, note: str = "") -> AuditEntry:
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=obj,
        changes={"status": [from_status, to_status]},
        purpose=note,
    )
