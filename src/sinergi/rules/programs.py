"""Welfare-program rules: the Kartu Pekerja Jakarta wage ceiling (DOMAIN.md §3.1), program targets split
by quarter, aid-package allocation by quota, and cooperative savings kinds. Pure Python, no Django.

Rounding rule (project choice, written down here and tested): the KPJ ceiling is
`multiplier × UMP`; wages are whole rupiah, so a wage is within the ceiling exactly when it is at most
the ceiling rounded *down* to whole rupiah. 1.15 × 4,453,935 = 5,122,025.25 → Rp5,122,025;
1.10 × 4,276,349 = 4,703,983.9 → Rp4,703,983 (a wage of 4,703,984 exceeds 4,703,983.9).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from sinergi.rules.money import split_exact
from sinergi.rules.tables import D, DatedTable, Param, RuleError

# KPJ wage ceiling multiplier, by program year (the year's first day selects the row).
KPJ_WAGE_MULTIPLIER = DatedTable(
    "KPJ wage ceiling multiplier",
    (
        Param(
            D("1.10"),
            dt.date(2018, 1, 1),
            dt.date(2021, 12, 31),
            "Kadisnakertrans DKI (kompas.com 1 Nov 2018; republika 2020): upah ≤ UMP + 10%",
            "V",
        ),
        Param(
            D("1.15"),
            dt.date(2022, 1, 1),
            dt.date(2025, 12, 31),
            "Disnakertrans DKI (tempo 23 Nov 2021; poskota 2025): upah ≤ UMP + 15%",
            "V",
        ),
        Param(
            D("1.15"),
            dt.date(2026, 1, 1),
            None,
            "Assumed to continue from 2025 (DOMAIN.md §3.5): not yet confirmed for 2026",
            "U",
        ),
    ),
)

# The UMP decree a KPJ program year used, where it is not the decree currently in force.
# 2022: the threshold Rp5,122,025 was computed from the first UMP 2022 decree (4,453,935).
KPJ_UMP_DECREE_BY_YEAR = {2022: "Kepgub DKI Jakarta UMP 2022 (first decree)"}

# Hand-overs of an aid distribution are accepted from its date through this many days after it
# (project choice: late pick-ups during the following week); later the distribution is closed and
# what is left is returned to the organiser.
DISTRIBUTION_HANDOVER_DAYS = 7


def handover_window(event_date: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day on which packages of a distribution held on `event_date` may be handed over."""
    return event_date, event_date + dt.timedelta(days=DISTRIBUTION_HANDOVER_DAYS)


KPJ_PROVINCE = "31"  # DKI Jakarta (Kemendagri province code)

KPJ_DOCUMENTS = ("ktp", "kk", "npwp", "payslip", "employment_letter")

# Uploaded documents: accepted types and size (a scan of a KTP or payslip is well under this).
DOCUMENT_CONTENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


def kpj_multiplier(program_year: int) -> Param:
    return KPJ_WAGE_MULTIPLIER.at(dt.date(program_year, 1, 1))


def kpj_wage_ceiling(ump: Decimal, program_year: int) -> Decimal:
    """The highest whole-rupiah wage that is eligible: floor(multiplier × UMP)."""
    ump = Decimal(ump)
    if ump <= 0:
        raise RuleError(
            "ump_not_positive",
            "The UMP must be more than zero.",
            "UMP harus lebih dari nol.",
            field="ump",
        )
    exact = kpj_multiplier(program_year).value * ump
    return Decimal(exact).quantize(Decimal(1), rounding=ROUND_DOWN)


def kpj_wage_ok(wage: Decimal | None, ceiling: Decimal) -> bool:
    """Exact at the ceiling: wage == ceiling is eligible, ceiling + 1 is not. No wage: not eligible."""
    return wage is not None and Decimal(wage) <= Decimal(ceiling)


def check_quarter_split(annual: int, quarters: list[int] | tuple[int, ...] | None) -> None:
    """A quarterly split, when given, has four non-negative parts summing to the annual target."""
    if annual < 0:
        raise RuleError(
            "target_negative", "A target cannot be negative.", "Target tidak boleh negatif.", field="annual"
        )
    if not quarters:
        return
    if len(quarters) != 4 or any(q is None or q < 0 for q in quarters):
        raise RuleError(
            "quarters_shape",
            "Give four quarterly targets of zero or more.",
            "Isi empat target triwulan bernilai nol atau lebih.",
            field="quarters",
        )
    if sum(quarters) != annual:
        raise RuleError(
            "quarters_sum",
            "The quarterly targets add up to {total}, not the annual target {annual}.",
            "Jumlah target triwulan {total}, bukan target tahunan {annual}.",
            field="quarters",
            total=sum(quarters),
            annual=annual,
        )


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def allocate_packages(stock: int, weights: list[int]) -> list[int]:
    """Split `stock` packages across bodies in proportion to `weights` (e.g. verified members).

    Largest remainder (rules.money.split_exact): the allocations always sum to the stock. Bodies with
    weight zero get nothing; if every weight is zero the stock is split evenly.
    """
    if stock < 0:
        raise RuleError(
            "stock_negative", "The stock cannot be negative.", "Stok tidak boleh negatif.", field="stock"
        )
    if not weights:
        raise RuleError(
            "no_recipients",
            "Choose at least one union body to allocate to.",
            "Pilih paling sedikit satu badan serikat penerima alokasi.",
            field="bodies",
        )
    if any(w < 0 for w in weights):
        raise RuleError(
            "weight_negative", "Weights cannot be negative.", "Bobot tidak boleh negatif.", field="weights"
        )
    if sum(weights) == 0:
        weights = [1] * len(weights)
    return [int(x) for x in split_exact(stock, weights)]


# Cooperative savings (UU 25/1992 on cooperatives, Art. 41: simpanan pokok and simpanan wajib are
# members' equity; voluntary savings may be withdrawn). Amounts are the cooperative's own bylaws.
SAVINGS_KINDS = ("pokok", "wajib", "sukarela")
WITHDRAWABLE_KINDS = frozenset({"sukarela"})


def savings_check(kind: str, amount: Decimal, balance: Decimal, *, pokok_paid: bool) -> None:
    """Validate one savings ledger line against the member's current balance of that kind."""
    amount, balance = Decimal(amount), Decimal(balance)
    if kind not in SAVINGS_KINDS:
        raise RuleError(
            "savings_kind",
            "Unknown kind of savings: {kind}.",
            "Jenis simpanan tidak dikenal: {kind}.",
            field="kind",
            kind=kind,
        )
    if amount == 0 or amount != amount.to_integral_value():
        raise RuleError(
            "savings_amount",
            "Enter a whole-rupiah amount other than zero.",
            "Isi jumlah rupiah bulat yang bukan nol.",
            field="amount",
        )
    if amount < 0 and kind not in WITHDRAWABLE_KINDS:
        raise RuleError(
            "savings_locked",
            "Simpanan {kind} cannot be withdrawn while the person is a member.",
            "Simpanan {kind} tidak dapat ditarik selama masih menjadi anggota.",
            field="amount",
            kind=kind,
        )
    if amount < 0 and balance + amount < 0:
        raise RuleError(
            "savings_insufficient",
            "The withdrawal is larger than the balance ({balance}).",
            "Penarikan melebihi saldo ({balance}).",
            field="amount",
            balance=str(balance),
        )
    if kind == "pokok" and pokok_paid:
        raise RuleError(
            "pokok_once",
            "Simpanan pokok is paid once, on joining; it is already paid.",
            "Simpanan pokok dibayar sekali saat masuk; sudah dibayar.",
            field="kind",
        )
