"""Writes of reporting: report subscriptions (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import user_scope
from sinergi.core.audit import audit_record
from sinergi.core.errors import SinergiError
from sinergi.reporting.models import ReportSubscription

if TYPE_CHECKING:
    from sinergi.accounts.models import User


@transaction.atomic
def subscription_set(*, actor: User, region_code: str, active: bool) -> ReportSubscription:
    if not region_code or not (user_scope(actor).is_global or user_scope(actor).covers_region(region_code)):
        raise SinergiError(_("You can subscribe only to a region in your area."), field="region")
    if not actor.email:
        raise SinergiError(_("Add an e-mail address to your profile first."))
    sub, created = ReportSubscription.objects.get_or_create(
        user=actor, region_id=region_code, defaults={"active": active}
    )
    if not created and sub.active != active:
        sub.active = active
        sub.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor, action="create" if created else "update", obj=sub, changes={"active": sub.active}
    )
    return sub
