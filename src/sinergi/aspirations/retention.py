"""Retention (core.retention): attachments of a closed aspiration are deleted after
SINERGI_RETENTION_DOCUMENT_DAYS counted from their upload."""

from django.db.models import Q

from sinergi.core.retention import Rule

RULES = [
    Rule(
        model="aspirations.AspirationAttachment",
        date_field="uploaded_at",
        days_setting="SINERGI_RETENTION_DOCUMENT_DAYS",
        file_fields=("file",),
        only=Q(aspiration__status="closed"),
        delete_rows=True,
        what="attachments of closed aspirations",
    )
]
