"""Retention of personal data (UU 27/2022): files and rows kept no longer than their purpose needs.

Each domain app lists what it keeps for a limited time in `<app>/retention.py` as `RULES`, a list of
`Rule`s (the same discovery as `profile.sections`); the kernel adds the import jobs (their uploaded
file, the rejected-rows report and the rejected rows shown on the job page). `purge()` applies every
rule once, set-based, audits one entry per rule with the count, and is safe to run again: call it
from a scheduler as `sinergi manage retention_purge` (cron, systemd timer) or as the job
`core.retention` (`job_start(kind="core.retention")`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from sinergi import DOMAIN_APPS
from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.core.models import Job


@dataclass(frozen=True)
class Rule:
    """Rows of `model` whose `date_field` is older than the `days_setting` number of days (and that
    match `only`, e.g. a closed case) lose the files in `file_fields`; `delete_rows` deletes the rows
    themselves after their files."""

    model: str  # "app_label.ModelName"
    date_field: str
    days_setting: str
    file_fields: tuple[str, ...] = ()
    only: Q = field(default_factory=Q)
    delete_rows: bool = False
    also: Callable | None = None  # extra set-based clean-up on the expired queryset (e.g. a JSON key)
    what: str = ""


def _import_preview_clear(qs):
    """Import jobs show up to 50 rejected rows (NIK, name) on their page: drop them with the files."""
    ids = list(qs.values_list("pk", flat=True))

    for job in Job.objects.filter(pk__in=ids).only("pk", "result"):
        if job.result.get("rejected_preview"):
            result = dict(job.result)
            result["rejected_preview"] = []
            result["purged"] = True
            Job.objects.filter(pk=job.pk).update(result=result)


KERNEL_RULES = [
    Rule(
        model="core.Job",
        date_field="finished_at",
        days_setting="SINERGI_RETENTION_IMPORT_DAYS",
        file_fields=("input_file", "result_file"),
        only=Q(kind__endswith=".import") | Q(kind__endswith="_import"),
        also=_import_preview_clear,
        what="import files and rejected rows",
    )
]


def rules() -> list[Rule]:
    found = list(KERNEL_RULES)
    for app in DOMAIN_APPS:
        if importlib.util.find_spec(f"{app}.retention") is not None:
            found.extend(getattr(importlib.import_module(f"{app}.retention"), "RULES", []))
    return found


def expired(rule: Rule, now: dt.datetime):
    model = apps.get_model(rule.model)
    days = int(getattr(settings, rule.days_setting))
    cutoff = now - dt.timedelta(days=days)
    if model._meta.get_field(rule.date_field).get_internal_type() == "DateField":
        cutoff = cutoff.date()
    return model._default_manager.filter(rule.only, **{f"{rule.date_field}__lt": cutoff}), cutoff


def purge(*, now: dt.datetime | None = None, dry_run: bool = False, actor=None) -> list[dict]:
    """Apply every rule; returns one summary per rule: {"model", "what", "rows", "files", "cutoff"}."""
    now = now or clock.now()
    report = []
    for rule in rules():
        qs, cutoff = expired(rule, now)
        if rule.file_fields and not rule.delete_rows:
            with_files = Q()
            for name in rule.file_fields:
                with_files |= ~Q(**{name: ""})
            qs = qs.filter(with_files)
        rows = qs.count()
        files = 0
        if rows and not dry_run:
            names = (
                [
                    (name, value)
                    for values in qs.values_list(*rule.file_fields)
                    for name, value in zip(rule.file_fields, values, strict=True)
                    if value
                ]
                if rule.file_fields
                else []
            )
            model = qs.model
            with transaction.atomic():
                if rule.also is not None:
                    rule.also(qs)
                if rule.delete_rows:
                    ids = list(qs.values_list("pk", flat=True))
                    model._default_manager.filter(pk__in=ids).delete()
                elif rule.file_fields:
                    qs.update(**{name: "" for name in rule.file_fields})
                audit_record(
                    actor=actor,
                    action="delete" if rule.delete_rows else "update",
                    object_type=model._meta.label_lower,
                    object_repr=f"retention: {rule.what or model._meta.verbose_name_plural}"[:300],
                    changes={"rows": rows, "files": len(names), "older_than": str(cutoff)},
                    purpose="retention",
                )
                storage_names = [(model._meta.get_field(n).storage, v) for n, v in names]
                transaction.on_commit(lambda items=storage_names: _delete_files(items))
            files = len(names)
        report.append(
            {"model": rule.model, "what": rule.what, "rows": rows, "files": files, "cutoff": str(cutoff)}
        )
    return report


def _delete_files(items):
    for storage, name in items:
        try:
            storage.delete(name)
        except OSError:  # already gone: nothing left to keep
            pass
