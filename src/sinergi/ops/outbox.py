"""The outbox: e-mail leaves through a background task with retries, and every message stays visible.

`mail_queue(...)` writes an OutboxMessage in the caller's transaction and, after commit, enqueues
`outbox_send`. A failed attempt is recorded with its error and retried with growing pauses (1, 5,
30 minutes, 2 and 6 hours: `RETRY_MINUTES`) by the scheduler leader's sweep, until
`SINERGI_MAIL_MAX_ATTEMPTS` (default 6) attempts have failed; then the message is marked failed and
shown on the outbox page, where an administrator can send it again. Delivery is at-least-once: a
worker killed between the SMTP hand-over and the status write sends that message again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django_tasks import task

from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.ops.models import OutboxMessage

logger = logging.getLogger(__name__)

RETRY_MINUTES = (1, 5, 30, 120, 360)
SENDING_STALE = dt.timedelta(minutes=15)


def max_attempts() -> int:
    return int(
        os.environ.get("SINERGI_MAIL_MAX_ATTEMPTS") or getattr(settings, "SINERGI_MAIL_MAX_ATTEMPTS", 6)
    )


def mail_queue(
    *, to, subject: str, body: str, kind: str = "", key: str | None = None
) -> OutboxMessage | None:
    """Queue one e-mail. With `key`, the same message is queued only once (returns None the second time)."""
    recipients = [address for address in to if address]
    if not recipients:
        return None
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                to=recipients, subject=str(subject)[:200], body=str(body), kind=kind, key=key or None
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: outbox_send.enqueue(message.pk))
    return message


def _claim(pk: int) -> bool:
    """Only one sender at a time: pending → (attempt counted) in one UPDATE."""
    now = clock.wall_now()
    claimed = OutboxMessage.objects.filter(pk=pk, status=OutboxMessage.Status.PENDING).filter(_due(now))
    # next_attempt_at pushed forward while this attempt runs, so a sweep does not pick it up again
    return bool(claimed.update(next_attempt_at=now + SENDING_STALE))


def _due(now):

    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def outbox_deliver(message: OutboxMessage) -> bool:
    """One attempt; records the outcome. True when the message left."""
    try:
        connection = get_connection(fail_silently=False)
        connection.send_messages(
            [EmailMessage(subject=message.subject, body=message.body, to=message.to, connection=connection)]
        )
    except Exception as exc:  # SMTP refusals, timeouts, DNS: all retried
        attempts = message.attempts + 1
        give_up = attempts >= max_attempts()
        pause = RETRY_MINUTES[min(attempts - 1, len(RETRY_MINUTES) - 1)]
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts,
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
            status=OutboxMessage.Status.FAILED if give_up else OutboxMessage.Status.PENDING,
            next_attempt_at=None if give_up else clock.wall_now() + dt.timedelta(minutes=pause),
        )
        logger.warning("mail %s attempt %s failed: %s", message.pk, attempts, exc.__class__.__name__)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=message.attempts + 1,
        status=OutboxMessage.Status.SENT,
        sent_at=clock.wall_now(),
        last_error="",
    )
    return True


@task()
def outbox_send(message_id: int):
    if not _claim(message_id):
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    return "sent" if outbox_deliver(message) else "retry"


def outbox_sweep() -> int:
    """Enqueue every pending message whose pause is over (run by the scheduler leader each tick)."""
    now = clock.wall_now()
    due = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .filter(_due(now))
        .values_list("pk", flat=True)[:500]
    )
    for pk in due:
        outbox_send.enqueue(pk)
    return len(due)


def outbox_retry(*, message: OutboxMessage, actor) -> None:
    """An administrator sends a failed message again (attempts start over)."""
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=None
        )
        audit_record(actor=actor, action="other", obj=message, purpose="resend e-mail")
        transaction.on_commit(lambda: outbox_send.enqueue(message.pk))
