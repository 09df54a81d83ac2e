"""Reads for the shell: jobs a user may see, the audit log."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q

from sinergi.core.models import AuditEntry, Job
from sinergi.core.scoping import user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def job_list(*, user: AbstractBaseUser):
    qs = Job.objects.select_related("created_by")
    scope = user_scope(user)
    if scope.is_global:
        return qs
    return qs.filter(Q(created_by=user) | Q(organisation_id=scope.organisation_id))


# The audit log's order, newest first: both keys descending, so a keyset page (core.paging) is one
# row-value seek `(created_at, id) < (…)` on PostgreSQL, served at any depth by the index
# core_audit_org_created_id (an organisation's trail, the scope of everyone but an administrator) or,
# for an administrator, by the index on created_at, both scanned backwards.
AUDIT_SORT_KEYS = ("-created_at", "-pk")


def audit_list(*, user: AbstractBaseUser, filters=None):
    filters = filters or {}
    qs = AuditEntry.objects.all()
    scope = user_scope(user)
    if not scope.is_global:
        if scope.organisation_id is None:
            # a user without an organisation sees no organisation's trail (a filter on None would
            # have matched the entries written without one)
            return qs.none()
        qs = qs.filter(organisation_id=scope.organisation_id)
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    for key, lookup in (("from", "created_at__date__gte"), ("to", "created_at__date__lte")):
        if filters.get(key):
            try:
                qs = qs.filter(**{lookup: dt.date.fromisoformat(filters[key])})
            except ValueError:
                pass
    return qs.order_by(*AUDIT_SORT_KEYS)


def audit_count_through(*, user: AbstractBaseUser, filters=None):
    """`keyset_page(count_through=…)` for the audit log: its capped count kept (`core.home.kept_count`)
    per scope and filters until the log has a new entry. The log is append-only (a database trigger
    refuses UPDATE and DELETE), so its newest id names its content; the data version of other lists
    would not do, since reveals, logins and exports are entries of this log but not writes. The next
    page of the log, and a colleague opening it, read the count instead of counting up to 10,001 rows
    again (issue #16)."""
    from sinergi.core.home import kept_count  # core.home reads the audit log through this module

    newest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return kept_count(user, "audit", filters, version=newest)
