"""Retention (core.retention): documents of a decided application and photos/signatures proving an aid
hand-over are deleted after SINERGI_RETENTION_DOCUMENT_DAYS (the hand-over record itself stays)."""

from django.db.models import Q

from sinergi.core.retention import Rule

RULES = [
    Rule(
        model="programs.ApplicationDocument",
        date_field="created_at",
        days_setting="SINERGI_RETENTION_DOCUMENT_DAYS",
        file_fields=("file",),
        only=Q(application__status__in=["approved", "rejected"]),
        delete_rows=True,
        what="documents of decided applications",
    ),
    Rule(
        model="programs.Handover",
        date_field="handed_at",
        days_setting="SINERGI_RETENTION_DOCUMENT_DAYS",
        file_fields=("proof",),
        what="hand-over proofs",
    ),
]
