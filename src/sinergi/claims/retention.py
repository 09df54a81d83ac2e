"""Retention (core.retention): documents of a closed claim (paid or rejected) are deleted after
SINERGI_RETENTION_DOCUMENT_DAYS counted from their upload."""

from django.db.models import Q

from sinergi.core.retention import Rule

RULES = [
    Rule(
        model="claims.ClaimDocument",
        date_field="created_at",
        days_setting="SINERGI_RETENTION_DOCUMENT_DAYS",
        file_fields=("file",),
        only=Q(claim__status__in=["paid", "rejected"]),
        delete_rows=True,
        what="documents of closed claims",
    )
]
