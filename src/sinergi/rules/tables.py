"""Dated parameter tables: every rate, cap and amount with its validity and legal basis.

A value is looked up for a date; no row covering the date is an error, never a silent default.
`status` carries DOMAIN.md's label: "V" verified, "V-calc" computed from verified inputs,
"U" unverified (shown as provisional in the UI).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class RuleError(ValueError):
    """Input outside what the regulation covers. `code` is stable; `message_id`/`message_en` are for people."""

    def __init__(
        self, code: str, message_en: str, message_id: str, field: str | None = None, **params: object
    ):
        self.code = code
        self.message_en = message_en.format(**params) if params else message_en
        self.message_id = message_id.format(**params) if params else message_id
        self.field = field
        self.params = params
        super().__init__(self.message_en)

    def message(self, language: str = "id") -> str:
        return self.message_id if (language or "id").startswith("id") else self.message_en


@dataclass(frozen=True)
class Param:
    value: Any
    valid_from: dt.date
    valid_to: dt.date | None  # inclusive; None = open-ended
    legal_basis: str
    status: str = "V"
    note: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def provisional(self) -> bool:
        return self.status == "U"


@dataclass(frozen=True)
class DatedTable:
    name: str
    rows: tuple[Param, ...] = field(default_factory=tuple)

    def at(self, day: dt.date) -> Param:
        for row in sorted(self.rows, key=lambda r: r.valid_from, reverse=True):
            if row.covers(day):
                return row
        raise RuleError(
            "no_rule_for_date",
            "No {name} rule covers {day}.",
            "Tidak ada ketentuan {name} yang berlaku pada {day}.",
            field="date",
            name=self.name,
            day=day.isoformat(),
        )

    def value_at(self, day: dt.date) -> Any:
        return self.at(day).value


def D(value: Decimal | int | float | str) -> Decimal:  # noqa: N802 - short constructor for table literals
    return Decimal(str(value))
