"""Writes for regions: minimum wages (UMP/UMK) by region and year, by administrators, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sinergi.core.audit import audit_create, audit_update, snapshot
from sinergi.core.errors import Conflict, SinergiError
from sinergi.core.permissions import require
from sinergi.regions.models import MinimumWage, Region
from sinergi.regions.selectors import region_get

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MIN_YEAR, MAX_YEAR = 2000, 2100


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(".", "").replace(",", "").replace("Rp", "").strip())
    except (InvalidOperation, ValueError):
        raise SinergiError(
            _("Enter the amount in whole rupiah, e.g. 5067381."), code="invalid_amount", field="amount"
        )
    if amount <= 0 or amount != amount.to_integral_value():
        raise SinergiError(
            _("The amount must be a positive whole number of rupiah."), code="invalid_amount", field="amount"
        )
    return amount


def _check(*, region: Region, kind: str, year, decree: str, valid_from) -> tuple[int, str, dt.date]:
    if kind not in MinimumWage.Kind.values:
        raise SinergiError(_("Choose UMP or UMK."), code="invalid_kind", field="kind")
    if kind == MinimumWage.Kind.UMP and region.level != Region.Level.PROVINCE:
        raise SinergiError(
            _("A UMP belongs to a province; %(region)s is not one.") % {"region": region},
            code="kind_level_mismatch",
            field="kind",
        )
    if kind == MinimumWage.Kind.UMK and region.level != Region.Level.REGENCY:
        raise SinergiError(
            _("A UMK belongs to a regency or city; %(region)s is not one.") % {"region": region},
            code="kind_level_mismatch",
            field="kind",
        )
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise SinergiError(_("Enter the year, e.g. 2025."), code="invalid_year", field="year")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise SinergiError(
            _("The year must be between %(a)s and %(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR},
            code="invalid_year",
            field="year",
        )
    decree = (decree or "").strip()
    if not decree:
        raise SinergiError(
            _("Name the decree that set this wage (e.g. Kepgub DKI Jakarta 1234/2024)."),
            code="required",
            field="decree",
        )
    if isinstance(valid_from, str):
        try:
            valid_from = dt.date.fromisoformat(valid_from)
        except ValueError:
            valid_from = None
    if not isinstance(valid_from, dt.date):
        raise SinergiError(_("Enter the date the wage applies from."), code="required", field="valid_from")
    return year, decree, valid_from


def minimum_wage_set(
    *,
    actor: AbstractBaseUser,
    region_code: str,
    kind: str,
    year,
    amount,
    decree: str,
    valid_from,
    note: str = "",
) -> MinimumWage:
    """Record the wage a decree set for a region and year; it becomes the one in force for that year.

    An earlier decree for the same year stays on record (not in force), as DKI's 2022 revision did.
    """
    require(actor, "edit_minimum_wages")
    region = region_get(code=region_code)
    year, decree, valid_from = _check(
        region=region, kind=kind, year=year, decree=decree, valid_from=valid_from
    )
    amount = _amount(amount)
    try:
        with transaction.atomic():
            existing = (
                MinimumWage.objects.select_for_update()
                .filter(region=region, kind=kind, year=year, decree=decree)
                .first()
            )
            others = MinimumWage.objects.filter(region=region, kind=kind, year=year, is_current=True).exclude(
                decree=decree
            )
            for old in others.select_for_update():
                before = snapshot(old)
                old.is_current = False
                old.save(update_fields=["is_current"])
                audit_update(actor=actor, obj=old, before=before, purpose=str(_("superseded by %s") % decree))
            if existing is None:
                wage = MinimumWage.objects.create(
                    region=region,
                    kind=kind,
                    year=year,
                    amount=amount,
                    decree=decree,
                    valid_from=valid_from,
                    is_current=True,
                    note=(note or "")[:300],
                )
                audit_create(actor=actor, obj=wage)
            else:
                wage = existing
                before = snapshot(wage)
                wage.amount, wage.valid_from, wage.is_current = amount, valid_from, True
                wage.note = (note or "")[:300]
                wage.save()
                audit_update(actor=actor, obj=wage, before=before)
    except IntegrityError:
        raise Conflict(_("Another change to this wage was saved at the same time; try again."))
    return wage
