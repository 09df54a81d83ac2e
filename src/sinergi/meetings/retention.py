"""Retention (core.retention): files attached to meeting minutes are deleted from storage after
SINERGI_RETENTION_MINUTES_DAYS counted from their upload; the attachment row stays, without its file,
marked with the moment of deletion (the minutes keep saying what was attached)."""

from sinergi.core import clock
from sinergi.core.retention import Rule


def _mark_purged(qs):
    qs.update(purged_at=clock.now())


RULES = [
    Rule(
        model="meetings.MinutesAttachment",
        date_field="uploaded_at",
        days_setting="SINERGI_RETENTION_MINUTES_DAYS",
        file_fields=("file",),
        also=_mark_purged,
        what="files attached to meeting minutes",
    )
]
