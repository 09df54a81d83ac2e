"""Writes of notifications: in-app notices and their e-mails, for every app that notifies.

Created in bulk; the e-mails are written to the outbox in the same transaction (sinergi.ops.outbox)
and a background task sends them, with retries, after commit."""

from __future__ import annotations

import os
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sinergi.core import clock
from sinergi.notifications.models import Notification
from sinergi.ops.outbox import mail_queue

MAX_LINES = 50  # per e-mail; the rest are in the app

_QUIET: ContextVar[bool] = ContextVar("sinergi_notify_quiet", default=False)


@contextmanager
def quiet():
    """In-app notifications only, no e-mail (the demo loader uses this for its invented history)."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def notify(recipients, *, kind: str, message, url: str = "", key: str = "", email: bool = True) -> int:
    """One notification per recipient (each in their own language; `message` is a callable taking no
    arguments and returning the text, evaluated under the recipient's language). Returns how many were new."""
    return notify_many([(r, kind, message, url, key) for r in recipients], email=email)


def notify_many(items, *, email: bool = True) -> int:
    """items: iterable of (user, kind, message_callable_or_text, url, key). Duplicate keys are skipped."""
    by_language, seen = defaultdict(list), set()
    for user, kind, message, url, key in items:
        if user is None or not user.is_active:
            continue
        if key and (user.pk, key) in seen:
            continue
        seen.add((user.pk, key))
        by_language[user.preferred_language or settings.LANGUAGE_CODE].append((user, kind, message, url, key))
    rows = []
    for language, group in by_language.items():  # one language switch per language, not per notice
        with translation.override(language):
            for user, kind, message, url, key in group:
                text = str(message() if callable(message) else message)
                rows.append(Notification(recipient=user, kind=kind, message=text[:500], url=url, key=key))
    if not rows:
        return 0
    keys = sorted({r.key for r in rows if r.key})
    existing: set[tuple] = set()
    for i in range(0, len(keys), 500):  # bounded IN lists (SQLite's variable limit)
        existing.update(
            Notification.objects.filter(key__in=keys[i : i + 500]).values_list("recipient_id", "key")
        )
    new = [r for r in rows if not (r.key and (r.recipient_id, r.key) in existing)]
    Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=2000)
    if email and new and not _QUIET.get():
        _send_digests(new)
    return len(new)


def _send_digests(notifications):
    """One e-mail per recipient listing their new notices."""
    by_user = defaultdict(list)
    for n in notifications:
        if n.recipient.email:
            by_user[n.recipient].append(n)
    if not by_user:
        return
    base = (os.environ.get("SINERGI_BASE_URL") or getattr(settings, "SINERGI_BASE_URL", "")).rstrip("/")
    messages = []
    for user, items in by_user.items():
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = (
                items[0].message
                if len(items) == 1
                else _("Sinergi: %(n)d new notifications") % {"n": len(items)}
            )
            lines = [f"- {n.message}" + (f"\n  {base}{n.url}" if n.url else "") for n in items[:MAX_LINES]]
            if len(items) > MAX_LINES:
                lines.append(_("… and %(n)d more in Sinergi.") % {"n": len(items) - MAX_LINES})
            body = (
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.username}
                + "\n\n"
                + "\n".join(lines)
            )
        messages.append((f"[Sinergi] {subject}"[:200], body, user.email))
    for subject, body, address in messages:
        mail_queue(to=[address], subject=subject, body=body, kind="notification")


@transaction.atomic
def notifications_mark_read(*, user, ids=None) -> int:
    """Mark the user's unread notices read (all of them, or those in `ids`); returns how many."""
    qs = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())
