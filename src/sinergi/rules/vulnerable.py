"""Who counts as a vulnerable worker (pekerja rentan). DOMAIN.md §7.1-7.2.

Two configurable criteria, each a dated table naming its basis: an informal worker whose declared
income is at or below the threshold, or an informal worker in a listed occupation. Occupations are
matched on keywords in the lower-cased occupation text, so "Pengayuh Becak Wisata" matches "becak".
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sinergi.rules.tables import D, DatedTable, Param

# The income at or below which an informal worker is vulnerable. Programmes enrol vulnerable workers
# at the BPU minimum declared income (Rp1,000,000, DOMAIN.md §1.4 / §7.1); the project uses that
# figure as the threshold until a region sets its own.
INCOME_THRESHOLD = DatedTable(
    "vulnerable-worker income threshold",
    (
        Param(
            D(1_000_000),
            dt.date(2015, 7, 1),
            None,
            "PP 44/2015 (BPU minimum declared income Rp1,000,000), as used by APBD vulnerable-worker programmes",
            status="U",
            note="project choice: the threshold equals the BPU minimum declared income",
        ),
    ),
)

# (label shown to people, keywords matched in the occupation text)
PEKALONGAN_OCCUPATIONS = (
    ("pengayuh becak", ("becak",)),
    ("sopir angkot sistem setoran", ("angkot", "angkutan kota")),
    ("tukang pijat tunanetra/disabilitas", ("pijat",)),
    ("lebe non-PNS", ("lebe",)),
    ("pengatur lalu lintas tuna rungu", ("pengatur lalu lintas", "supeltas")),
    ("penggali kubur", ("penggali kubur", "gali kubur")),
)
COMMON_OCCUPATIONS = (
    ("petani", ("petani", "buruh tani")),
    ("nelayan", ("nelayan",)),
    ("guru ngaji", ("guru ngaji",)),
    ("juru parkir", ("juru parkir", "jukir", "tukang parkir")),
    ("kader posyandu", ("posyandu",)),
    ("ketua RT/RW", ("ketua rt", "ketua rw")),
)

LISTED_OCCUPATIONS = DatedTable(
    "vulnerable-worker occupations",
    (
        Param(
            PEKALONGAN_OCCUPATIONS + COMMON_OCCUPATIONS,
            dt.date(2022, 1, 1),
            None,
            "Perwal Kota Pekalongan 19B/2022 (six occupations); Jember/PPU APBD programmes (DOMAIN.md §7.1)",
            status="V",
        ),
    ),
)


def occupation_pattern(on: dt.date) -> tuple[str, dict[str, str]]:
    """One regex finding the first listed keyword in a lower-cased occupation text, and keyword -> label.

    Python (`listed_occupation`) and Polars (the import) both use it, so they always agree: the
    keyword that appears first in the text decides; longer keywords win at the same position.
    """
    labels = {kw: label for label, keywords in LISTED_OCCUPATIONS.value_at(on) for kw in keywords}
    alternatives = "|".join(re.escape(k) for k in sorted(labels, key=len, reverse=True))
    return f"({alternatives})", labels


def listed_occupation(occupation: str | None, on: dt.date) -> str | None:
    """The listed occupation `occupation` falls under, or None."""
    text = (occupation or "").lower()
    if not text:
        return None
    pattern, labels = occupation_pattern(on)
    match = re.search(pattern, text)
    return labels[match.group(1)] if match else None


def occupation_keywords(on: dt.date) -> list[tuple[str, tuple[str, ...]]]:
    """The table rows in force on `on`."""
    return list(LISTED_OCCUPATIONS.value_at(on))


def vulnerability(
    *, employment_type: str, occupation: str | None, declared_income: Decimal | None, on: dt.date
) -> tuple[bool, str]:
    """(is_vulnerable, reason in Indonesian). Only informal workers qualify."""
    if employment_type != "informal":
        return False, ""
    label = listed_occupation(occupation, on)
    if label:
        return True, f"pekerjaan tercantum: {label}"
    threshold = INCOME_THRESHOLD.value_at(on)
    if declared_income is not None and Decimal(declared_income) <= threshold:
        return True, low_income_reason(threshold)
    return False, ""


def low_income_reason(threshold: Decimal | int) -> str:
    """'informal, penghasilan ≤ Rp1.000.000' (Indonesian thousands separators)."""
    amount = f"{int(threshold):,}".replace(",", ".")
    return f"informal, penghasilan ≤ Rp{amount}"
