"""Writes of the shell: starting the audit-log export, remembering a user's language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sinergi.core.audit import audit_record
from sinergi.core.errors import SinergiError
from sinergi.core.jobs import job_start
from sinergi.core.models import Job
from sinergi.core.permissions import require

AUDIT_FILTER_KEYS = ("action", "actor", "object_type", "object_id", "from", "to")


def audit_export_start(*, user, filters: dict, purpose: str) -> Job:
    """Queue the XLSX export of the audit entries `user` may see, filtered as on the page."""
    require(user, "view_audit_log")
    purpose = (purpose or "").strip()
    if not purpose:
        raise SinergiError(
            _("Say why you are exporting the audit log (it is recorded)."), code="required", field="purpose"
        )
    clean = {k: str(filters.get(k) or "").strip() for k in AUDIT_FILTER_KEYS if filters.get(k)}
    import sinergi.core.tasks  # noqa: F401  registers the handler

    return job_start(
        kind="core.audit_export",
        user=user,
        params={"filters": clean, "purpose": purpose[:300], "_progress_every": 1},
        title=str(_("Audit log export")),
    )


def user_language_set(*, user, language: str) -> None:
    """Remember the interface language on the user, so it follows them to another browser."""
    if language not in dict(settings.LANGUAGES):
        raise SinergiError(_("Unknown language."), code="invalid", field="language")
    if getattr(user, "is_authenticated", False) and user.preferred_language != language:
        with transaction.atomic():
            before = user.preferred_language
            get_user_model().objects.filter(pk=user.pk).update(preferred_language=language)
            user.preferred_language = language
            audit_record(
                actor=user, action="update", obj=user, changes={"preferred_language": [before, language]}
            )
