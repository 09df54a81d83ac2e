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
import re
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
_HIDDEN_FIELDS = {"birth_date", "bank_account", "account_number", "phone", "wage", "password", "account"}
# Technical keys an officer has no use for.
_SKIPPED_FIELDS = {"id", "content_type", "path"}
_INDICATOR_KEY = re.compile(r"[a-z_]+\.[a-z_]+")
# Apps above core that store dotted keys in audited records (planning's indicator keys) register a
# function key -> label here from their AppConfig.ready(); core does not import them (layers contract).
_KEY_LABELS: list = []


def register_key_label(label_of) -> None:
    """Show a stored dotted key ("coverage.participants") by the label `label_of(key)` returns (or None)."""
    if label_of not in _KEY_LABELS:
        _KEY_LABELS.append(label_of)


def _model_names() -> dict[str, str]:
    """Names of models that declare no verbose_name (their default name is English)."""
    return {
        "accounts.loginattempt": _("login attempt"),
        "coverage.schemequota": _("scheme quota"),
        "coverage.candidate": _("candidate"),
        "claims.claimevent": _("claim history entry"),
        "claims.scholarshipyear": _("scholarship year"),
        "programs.programtarget": _("program target"),
        "programs.nominationbatch": _("nomination batch"),
        "programs.applicationevent": _("application history entry"),
        "programs.applicationdocument": _("application document"),
        "programs.allocation": _("allocation"),
        "programs.handover": _("hand-over"),
        "programs.course": _("course"),
        "programs.cohort": _("training cohort"),
        "programs.enrolment": _("enrolment"),
        "programs.attendance": _("attendance"),
        "programs.cooperative": _("cooperative"),
        "programs.coopmember": _("cooperative member"),
        "programs.savingsentry": _("savings entry"),
        "meetings.minutesattachment": _("minutes attachment"),
        "meetings.commitmentevent": _("commitment history entry"),
        "eorder.vendorevent": _("vendor history entry"),
        "eorder.priceceiling": _("price ceiling"),
        "eorder.catalogueitem": _("catalogue item"),
        "eorder.orderline": _("order line"),
        "eorder.offer": _("offer"),
        "eorder.delivery": _("delivery"),
        "eorder.invoice": _("invoice"),
        "eorder.payment": _("e-order payment"),
        "eorder.outsidespend": _("spending outside e-order"),
        "planning.reviewteam": _("review team"),
        "planning.plan": _("work plan"),
        "planning.activity": _("activity"),
        "planning.target": _("indicator target"),
        "planning.budgetline": _("budget line"),
        "planning.planreview": _("plan review"),
        "planning.planevent": _("plan history entry"),
        "planning.planversion": _("plan version"),
        "planning.revision": _("plan revision"),
        "planning.snapshot": _("indicator snapshot"),
        "planning.figure": _("indicator figure"),
        "reporting.reportsubscription": _("report subscription"),
    }


def _field_labels() -> dict[str, str]:
    """Labels of keys that are not model fields (counts a service records) or fields without a
    verbose_name (their default label is English)."""
    return {
        "account": _("bank account"),
        "activity": _("activity"),
        "agency": _("agency"),
        "approved_by": _("approved by"),
        "approved_on": _("approved on"),
        "bank": _("bank"),
        "bill": _("bill"),
        "body": _("union body"),
        "changed": _("changed"),
        "changes": _("changes"),
        "checked_by": _("checked by"),
        "checked_on": _("checked on"),
        "claim": _("claim"),
        "confirmed_by": _("confirmed by"),
        "created_by": _("created by"),
        "cuts_protected": _("protected cuts"),
        "decided_at": _("decided at"),
        "decided_by": _("decided by"),
        "decision_note": _("decision note"),
        "employments_created": _("employments created"),
        "employments_updated": _("employments updated"),
        "figures": _("figures"),
        "inputs": _("inputs"),
        "invoice": _("invoice"),
        "lines": _("budget lines"),
        "targets": _("targets"),
        "member_confirmed_by": _("membership confirmed by"),
        "member_confirmed_on": _("membership confirmed on"),
        "members": _("members"),
        "memberships_created": _("memberships created"),
        "memberships_updated": _("memberships updated"),
        "new_bills": _("new bills"),
        "new_contributions": _("new contributions"),
        "order": _("order"),
        "ordered_by": _("ordered by"),
        "paid_by": _("paid by"),
        "participant_numbers": _("participant numbers"),
        "people_created": _("people created"),
        "people_updated": _("people updated"),
        "person": _("person"),
        "plan": _("work plan"),
        "present": _("present"),
        "program": _("program"),
        "proposed_by": _("proposed by"),
        "rating": _("rating"),
        "recorded_at": _("recorded at"),
        "recorded_by": _("recorded by"),
        "region": _("region"),
        "registered_by": _("registered by"),
        "renewed_from": _("renewed from"),
        "review_round": _("review round"),
        "rows": _("rows"),
        "scheme": _("scheme"),
        "scholarship_year": _("scholarship year"),
        "second_approved_by": _("second approval by"),
        "session": _("session"),
        "status": _("status"),
        "submitted_by": _("submitted by"),
        "today": _("date"),
        "total": _("total"),
        "union_body": _("union body"),
        "uploaded_by": _("uploaded by"),
        "verified_by": _("verified by"),
    }


def _purposes() -> dict[str, str]:
    """Purposes services record in English (a purpose typed by a person is shown as typed)."""
    return {
        "freeze": _("period-end freeze"),
        "refresh": _("live figures refreshed"),
        "billing run": _("billing run"),
        "review agree": _("review: agreed"),
        "review changes": _("review: changes asked"),
        "death recorded": _("death recorded"),
        "overdue escalation": _("escalation of an overdue aspiration"),
        "coverage gap list": _("coverage gap list"),
    }


def purpose_text(purpose: str) -> str:
    """An entry's purpose in the active language."""
    known = _purposes()
    if purpose in known:
        return str(known[purpose])
    match = re.fullmatch(r"budget year (\d{4}) ended", purpose or "")
    if match:
        return _("budget year %(year)s ended") % {"year": match.group(1)}
    return purpose


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

    @property
    def purpose(self) -> str:
        return purpose_text(self.entry.purpose)


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
        "rate": _("%(actor)s rated %(what)s %(object)s"),
        "decline": _("%(actor)s declined %(what)s %(object)s"),
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
        "rate": _("rating"),
        "decline": _("declined"),
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
    named = _model_names().get((label or "").lower())
    if model is None or (named and "verbose_name" not in model._meta.original_attrs):
        return str(named or label)
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
    if isinstance(value, str) and _INDICATOR_KEY.fullmatch(value):  # e.g. a planning indicator's key
        for label_of in _KEY_LABELS:
            label = label_of(value)
            if label:
                return str(label)
    if isinstance(value, dict):
        return "; ".join(f"{_label(model, str(k))}: {_format(model, str(k), v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_format(model, name, v) for v in value)
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
    label = str(getattr(model_field, "verbose_name", "") or "")
    if not label or label == name.replace("_", " "):  # no verbose_name: Django's English default
        label = str(_field_labels().get(name, "")) or label or name.replace("_", " ")
    return label


def _changes(entry: AuditEntry, model) -> list[Change]:
    raw = getattr(entry, "masked_changes", entry.changes) or {}
    if entry.action == "create" and isinstance(raw.get("after"), dict):
        return [
            Change(_label(model, k), "", _format(model, k, v))
            for k, v in raw["after"].items()
            if k not in _SKIPPED_FIELDS and v not in (None, "", [], {})
        ]
    out = []
    for key, value in raw.items():
        if key in _SKIPPED_FIELDS:
            continue
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
        label = _("system") if entry.actor_label in ("", "system") else entry.actor_label
        actor = f"{full} ({entry.actor_label})" if full else label
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
