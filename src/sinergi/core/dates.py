"""Dates and times in running text the Indonesian way: "13 November 2026", "13 November 2026 08.08 WIB".

Use these in messages, letters and job texts instead of ISO dates; templates use the `idate` and
`idatetime` filters, which call them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import get_language

# Indonesia's three time zones by their everyday names (Permenhub / Keppres 41/1987).
_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def format_date(value: dt.date | str | None) -> str:
    """7 Agustus 2020 (month names follow the active language)."""
    if not value:
        return "–"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return formats.date_format(value, "j F Y")


def format_datetime(value: dt.datetime | None) -> str:
    """13 November 2026 08.08 WIB in Indonesian (08:08 in English), in Sinergi's time zone."""
    if not value:
        return "–"
    if not isinstance(value, dt.datetime):
        return format_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    zone = _ZONE_NAMES.get(str(timezone.get_current_timezone()), value.strftime("%Z"))
    separator = ":" if (get_language() or "id").startswith("en") else "."
    return f"{formats.date_format(value, 'j F Y')} {value:%H}{separator}{value:%M} {zone}".strip()
