"""Coverage prices from the rules: a contribution quote, a scheme's monthly package, the billing month;
a rule that does not cover the date becomes a clear error in the user's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinergi.core.errors import SinergiError
from sinergi.coverage.models import (
    Scheme,
)
from sinergi.rules import contributions as rules
from sinergi.rules.tables import RuleError


def rule_error(exc: RuleError) -> SinergiError:

    return SinergiError(exc.message(get_language() or "id"), code=exc.code, field=exc.field)


def quote(**kwargs) -> rules.Quote:
    try:
        return rules.quote(**kwargs)
    except RuleError as exc:
        raise rule_error(exc) from exc


def first_of_month(month) -> dt.date:
    if isinstance(month, str):
        try:
            month = dt.date.fromisoformat(month + "-01" if len(month) == 7 else month)
        except ValueError as exc:
            raise SinergiError(_("Enter the month as YYYY-MM."), code="invalid_month", field="month") from exc
    return month.replace(day=1)


def scheme_package(scheme: Scheme) -> Decimal:
    """Monthly premium per participant, computed from the rules (never typed)."""
    try:
        return rules.package_monthly(dt.date(scheme.year, 1, 1), with_jht=scheme.include_jht)
    except RuleError as exc:
        raise rule_error(exc) from exc
