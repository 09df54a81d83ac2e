"""The audit log in officers' words: who did what to which record, the changed fields labelled, a link.

An entry stores raw facts (action key, model label, field names, stored values); this module turns a page
of them into sentences such as "Petugas Dina (petugas.dki) mengubah status Kartu pekerja #12 dari
diajukan menjadi diverifikasi", with field labels from the models' verbose names, choice values by
their labels, dates the Indonesian way and a link to the record when the app has a detail page for it.
Values the privacy layer masks are shown masked here too (the entry itself already stores them masked).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _

import sinergi
from sinergi.core.dates import format_datetime
from sinergi.core.models import AuditEntry
from sinergi.core.privacy import mask_nik

# Field names whose values are personal data: never shown in full in the log.
_MASKED_FIELDS = {"nik", "member_nik", "heir_nik", "claimant_nik", "deceased_nik"}
_HIDDEN_FIELDS = {"birth_date", "bank_account", "account_number", "phone", "wage", "password"}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Described:
    entry: AuditEntry
    sentence: str
    what: str
    changes: list[Change] = field(default_factory=list)
    url: str | None = None


def _sentences() -> dict[str, str]:
    return {
        "create": _("%(actor)s created %(what)s %(object)s"),
        "update": _("%(actor)s changed %(what)s %(object)s"),
        "delete": _("%(actor)s deleted %(what)s %(object)s"),
        "transition": _("%(actor)s changed the status of %(what)s %(object)s from %(before)s to %(after)s"),
        "transition_plain": _("%(actor)s changed the status of %(what)s %(object)s"),
        "reveal": _("%(actor)s revealed personal data of %(what)s %(object)s"),
        "export": _("%(actor)s exported %(what)s %(object)s"),
        "login": _("%(actor)s logged in"),
        "login_failed": _("Failed login as %(actor)s"),
        "import": _("%(actor)s imported %(what)s %(object)s"),
        "merge": _("%(actor)s merged %(what)s %(object)s"),
        "quote": _("%(actor)s computed a benefit quote for %(what)s %(object)s"),
        "heir_choose": _("%(actor)s chose the heirs of %(what)s %(object)s"),
        "payment_instruction": _("%(actor)s issued the payment instruction of %(what)s %(object)s"),
        "scholarship_release": _("%(actor)s released a scholarship year of %(what)s %(object)s"),
        "scholarship_stop": _("%(actor)s stopped the scholarship of %(what)s %(object)s"),
        "other": _("%(actor)s recorded an action on %(what)s %(object)s"),
    }


def action_label(action: str) -> str:
    """The action's name for the filter list and the export (a known action, or a readable fallback)."""
    labels = dict(AuditEntry.Action.choices)
    extra = {
        "quote": _("benefit quote"),
        "heir_choose": _("heirs chosen"),
        "payment_instruction": _("payment instruction"),
        "scholarship_release": _("scholarship year released"),
        "scholarship_stop": _("scholarship stopped"),
    }
    if action in labels:
        return str(labels[action])
    return str(extra.get(action, action.replace("_", " ")))


@lru_cache(maxsize=1)
def _detail_url_names() -> dict[str, str]:
    """model label (lower case) -> URL name of its detail page, from the apps' SCOPED_DETAIL_URLS."""
    found: dict[str, str] = {}
    for app in sinergi.DOMAIN_APPS:
        name = app.rsplit(".", 1)[-1]
        try:
            module = importlib.import_module(f"sinergi.{name}.urls")
        except ImportError:
            continue
        for url_name, spec in getattr(module, "SCOPED_DETAIL_URLS", {}).items():
            if url_name.endswith("_detail"):
                found.setdefault(spec[0].lower(), f"{name}:{url_name}")
    return found


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _model_name(label: str) -> str:
    model = _model(label)
    if model is None:
        return label
    return str(model._meta.verbose_name)


def _format(model, name: str, value) -> str:
    if value is None or value == "":
        return "–"
    if name in _MASKED_FIELDS and isinstance(value, str):
        return mask_nik(value)
    if name in _HIDDEN_FIELDS:
        return "••••"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    model_field = _field(model, name)
    if model_field is not None and getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return formats.date_format(dt.date.fromisoformat(value), "j F Y")
            return format_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, (list, dict)):
        return ", ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
    return str(value)


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed from the model
        return None


def _label(model, name: str) -> str:
    model_field = _field(model, name)
    return str(getattr(model_field, "verbose_name", "")) or name.replace("_", " ")


def _changes(entry: AuditEntry, model) -> list[Change]:
    raw = getattr(entry, "masked_changes", entry.changes) or {}
    if entry.action == "create" and isinstance(raw.get("after"), dict):
        return [
            Change(_label(model, k), "", _format(model, k, v))
            for k, v in raw["after"].items()
            if k not in ("id",) and v not in (None, "", [], {})
        ]
    out = []
    for key, value in raw.items():
        if isinstance(value, list) and len(value) == 2:
            out.append(
                Change(_label(model, key), _format(model, key, value[0]), _format(model, key, value[1]))
            )
        else:
            out.append(Change(_label(model, key), "", _format(model, key, value)))
    return out


def _object_text(entry: AuditEntry) -> str:
    text = entry.object_repr or (f"#{entry.object_id}" if entry.object_id else "")
    # a NIK in a stored description is shown masked
    return " ".join(mask_nik(w) if len(w) == 16 and w.isdigit() else w for w in text.split(" "))


def describe(entries) -> list[Described]:
    """Sentences for a page of entries (a few queries per page, none per entry)."""
    entries = list(entries)
    users = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in={e.actor_id for e in entries if e.actor_id})
        .only("pk", "username", "first_name", "last_name")
    }
    templates = _sentences()
    url_names = _detail_url_names()
    out = []
    for entry in entries:
        model = _model(entry.object_type)
        user = users.get(entry.actor_id)
        full = user.get_full_name() if user else ""
        actor = f"{full} ({entry.actor_label})" if full else (entry.actor_label or _("system"))
        what = _model_name(entry.object_type)
        params = {"actor": actor, "what": what, "object": _object_text(entry), "before": "", "after": ""}
        key = entry.action if entry.action in templates else "other"
        changes = _changes(entry, model)
        status = (getattr(entry, "masked_changes", entry.changes) or {}).get("status")
        if key == "transition":
            if isinstance(status, list) and len(status) == 2:
                params["before"] = _format(model, "status", status[0])
                params["after"] = _format(model, "status", status[1])
                changes = [c for c in changes if c.label != _label(model, "status")]
            else:
                key = "transition_plain"
        sentence = " ".join((templates[key] % params).split())
        url = None
        if (
            entry.object_id
            and entry.object_type in url_names
            and entry.action not in ("login", "login_failed")
        ):
            try:
                url = reverse(url_names[entry.object_type], args=[entry.object_id])
            except NoReverseMatch:
                url = None
        out.append(Described(entry=entry, sentence=sentence, what=what, changes=changes, url=url))
    return out
