"""Formation thresholds for unions, federations and confederations. UU 21/2000 Arts. 5-7; DOMAIN.md §4.1."""

from __future__ import annotations

import datetime as dt

from sinergi.rules.tables import DatedTable, Param, RuleError

_UU21 = dt.date(2000, 8, 4)  # UU 21/2000 enacted 4 August 2000

# Minimum number of constituents, by the kind of body being recorded.
UNION_MIN_MEMBERS = DatedTable(
    "union minimum workers",
    (Param(10, _UU21, None, "UU 21/2000 Art. 5(2): a union is formed by at least 10 workers"),),
)
FEDERATION_MIN_UNIONS = DatedTable(
    "federation minimum unions",
    (Param(5, _UU21, None, "UU 21/2000 Art. 6(2): a federation is formed by at least 5 unions"),),
)
CONFEDERATION_MIN_FEDERATIONS = DatedTable(
    "confederation minimum federations",
    (Param(3, _UU21, None, "UU 21/2000 Art. 7(2): a confederation is formed by at least 3 federations"),),
)

_TABLES = {
    "union": (UNION_MIN_MEMBERS, "workers", "pekerja"),
    "federation": (FEDERATION_MIN_UNIONS, "unions", "serikat pekerja"),
    "confederation": (CONFEDERATION_MIN_FEDERATIONS, "federations", "federasi"),
}


def formation_threshold(kind: str, on: dt.date) -> Param:
    """The threshold row for recording a body of `kind` on date `on`."""
    if kind not in _TABLES:
        raise RuleError(
            "no_threshold",
            "Only unions, federations and confederations are recorded at the agency (not {kind}).",
            "Hanya serikat pekerja, federasi dan konfederasi yang dicatat di dinas (bukan {kind}).",
            field="kind",
            kind=kind,
        )
    return _TABLES[kind][0].at(on)


def check_formation(kind: str, constituents: int, on: dt.date) -> None:
    """Raise RuleError when a body of `kind` has fewer constituents than UU 21/2000 requires."""
    row = formation_threshold(kind, on)
    _, what_en, what_id = _TABLES[kind]
    if constituents < row.value:
        raise RuleError(
            "below_threshold",
            "A {kind} needs at least {minimum} {what_en} ({basis}); it has {count}.",
            "Sebuah {kind} memerlukan sedikitnya {minimum} {what_id} ({basis}); baru ada {count}.",
            field="kind",
            kind=kind,
            minimum=row.value,
            what_en=what_en,
            what_id=what_id,
            basis=row.legal_basis.split(":")[0],
            count=constituents,
        )
