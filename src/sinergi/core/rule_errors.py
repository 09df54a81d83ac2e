"""A `rules.tables.RuleError` as the SinergiError the API and pages show, with the input's field name.

Rules name their own arguments (`income`, `date`); an API or a form names its inputs (`wage`, `month`).
`field_names` maps one onto the other. A date no rule covers ("no_rule_for_date") is said in words with
the earliest day (or month) the rules support, instead of the table's internal name and an ISO date."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sinergi.core.dates import format_date
from sinergi.core.errors import SinergiError
from sinergi.rules import benefits, contributions, tables


@lru_cache(maxsize=1)
def _tables() -> dict:

    found = {}
    for module in (contributions, benefits):
        for value in vars(module).values():
            if isinstance(value, tables.DatedTable) and value.rows:
                found.setdefault(value.name, value)
    return found


def earliest_supported(table_name: str) -> dt.date | None:
    """The first day the named dated table has a rule for (None when the table is not known)."""
    table = _tables().get(table_name)
    return min(row.valid_from for row in table.rows) if table else None


def _first_month_on_or_after(day: dt.date) -> dt.date:
    return day if day.day == 1 else (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def rule_error(err, *, field_names: dict[str, str] | None = None, monthly: bool = False) -> SinergiError:
    """`err` (a RuleError) as a SinergiError in the active language. `monthly`: the input is a month
    (YYYY-MM), so dates are said as months ("November 2026")."""
    field_names = field_names or {}
    field = field_names.get(err.field, err.field)
    if err.code == "no_rule_for_date":
        day = dt.date.fromisoformat(err.params["day"])
        earliest = earliest_supported(err.params.get("name", ""))
        if monthly:
            shown = formats.date_format(day, "F Y")
            first = formats.date_format(_first_month_on_or_after(earliest), "F Y") if earliest else ""
            message = (
                _("No rule covers %(month)s; the earliest month supported is %(earliest)s.")
                % {"month": shown, "earliest": first}
                if earliest
                else _("No rule covers %(month)s.") % {"month": shown}
            )
        else:
            message = (
                _("No rule covers %(day)s; the earliest date supported is %(earliest)s.")
                % {"day": format_date(day), "earliest": format_date(earliest)}
                if earliest
                else _("No rule covers %(day)s.") % {"day": format_date(day)}
            )
        return SinergiError(message, code=err.code, field=field)
    return SinergiError(err.message(get_language() or "id"), code=err.code, field=field)
