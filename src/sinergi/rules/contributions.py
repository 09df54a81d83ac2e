"""BPJS Ketenagakerjaan contributions (DOMAIN.md §1): PU by rate, BPU by declared income, PMI packages,
the JP wage cap derived from GDP growth, JKP at no extra cost, and temporary reliefs.

Legal bases: PP 44/2015 as amended by PP 82/2019 (JKK/JKM, PU and BPU), PP 46/2015 (JHT), PP 45/2015
(JP and its cap, Art. 29), PP 37/2021 as amended by PP 6/2025 (JKP), Permenaker 4/2023 Art. 18 (PMI),
PP 49/2020 (COVID relief), PP 7/2025 (JKK discount for six labour-intensive industries).

Rounding (project choice, DOMAIN.md §1.2, the regulation is silent): every line is basis × rate,
rounded half-up to whole rupiah; the unrounded `exact` value is kept on the line. Totals are sums
of rounded lines. Every rate is also available as an integer in parts per million so the billing
run can compute the same rounding in SQL: floor((basis × ppm + 500000) / 1000000).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sinergi.rules.money import to_rupiah, truncate_to
from sinergi.rules.tables import D, DatedTable, Param, RuleError

PP44 = "PP 44/2015 jo. PP 82/2019"
PP45 = "PP 45/2015"
PP46 = "PP 46/2015 jo. PP 60/2015"
START = dt.date(2015, 7, 1)  # the four programmes in their current form started on 1 July 2015

SEGMENTS = ("PU", "BPU", "PMI")
RISK_CLASSES = (1, 2, 3, 4, 5)

# ---------------------------------------------------------------------------------------------
# PU (wage earners): rates as a fraction of the reported monthly wage
# ---------------------------------------------------------------------------------------------
JKK_PU_RATES = DatedTable(
    "JKK (PU)",
    (
        Param(
            {1: D("0.0024"), 2: D("0.0054"), 3: D("0.0089"), 4: D("0.0127"), 5: D("0.0174")},
            START,
            None,
            f"{PP44}, Lampiran I (kelas risiko I–V)",
        ),
    ),
)
JKM_PU_RATE = DatedTable("JKM (PU)", (Param(D("0.0030"), START, None, f"{PP44}, Pasal 18"),))
JHT_EMPLOYER_RATE = DatedTable("JHT employer", (Param(D("0.037"), START, None, f"{PP46}, Pasal 16"),))
JHT_WORKER_RATE = DatedTable("JHT worker", (Param(D("0.02"), START, None, f"{PP46}, Pasal 16"),))
JP_EMPLOYER_RATE = DatedTable("JP employer", (Param(D("0.02"), START, None, f"{PP45}, Pasal 28"),))
JP_WORKER_RATE = DatedTable("JP worker", (Param(D("0.01"), START, None, f"{PP45}, Pasal 28"),))

# JP wage cap (PP 45/2015 Art. 29): Rp7,000,000 from July 2015, then each March the previous cap ×
# (1 + the previous year's GDP growth), truncated down to Rp100 (the truncation reproduces every
# published value). A new year is one row in GDP_GROWTH.
JP_CAP_INITIAL = D(7000000)
JP_CAP_STEP = 100
GDP_GROWTH: dict[int, tuple[Decimal, str]] = {
    # year: (annual GDP growth in percent, DOMAIN.md status)
    2015: (D("4.79"), "V-calc"),
    2016: (D("5.02"), "V-calc"),
    2017: (D("5.07"), "V-calc"),
    2018: (D("5.17"), "V-calc"),
    2019: (D("5.02"), "V-calc"),
    2020: (D("-2.07"), "V-calc"),
    2021: (D("3.69"), "V-calc"),
    2022: (D("5.31"), "V-calc"),
    2023: (D("5.05"), "V"),
    2024: (D("5.03"), "V-calc"),
}
# The 2026 cap needs BPS's 2025 GDP growth, not yet entered. Until it is, the 2025 cap is carried
# forward as a provisional ("U") row so quotes and bills still work and show the figure as provisional.
JP_CAP_CARRY_FORWARD_YEARS = (2026,)


def _build_jp_cap_table() -> DatedTable:
    rows = []
    cap = JP_CAP_INITIAL
    rows.append((dt.date(2015, 7, 1), cap, "V", "initial cap"))
    for year in sorted(GDP_GROWTH):
        growth, status = GDP_GROWTH[year]
        exact = cap * (1 + growth / 100)
        cap = truncate_to(exact, JP_CAP_STEP)
        rows.append(
            (
                dt.date(year + 1, 3, 1),
                cap,
                "V" if year + 1 in (2023, 2024) else status,
                f"{rows[-1][1]} × (1 + {growth}%) = {exact} → truncated to Rp{JP_CAP_STEP}",
            )
        )
    for year in JP_CAP_CARRY_FORWARD_YEARS:
        rows.append(
            (dt.date(year, 3, 1), cap, "U", f"GDP growth {year - 1} not yet entered: {year - 1} cap carried")
        )
    params = []
    for i, (start, value, status, note) in enumerate(rows):
        following = rows[i + 1][0] if i + 1 < len(rows) else dt.date(start.year + 1, 3, 1)
        end = following - dt.timedelta(days=1)
        params.append(Param(value, start, end, f"{PP45}, Pasal 29", status, note))
    return DatedTable("JP wage cap", tuple(params))


JP_WAGE_CAP = _build_jp_cap_table()

# JKP (job-loss insurance): no extra cost. Parts paid by central government and recomposed from the
# JKK (and, before PP 6/2025, JKM) contribution the employer already pays.
JKP_RATES = DatedTable(
    "JKP",
    (
        Param(
            {"government": D("0.0022"), "recomposed_jkk": D("0.0014"), "recomposed_jkm": D("0.0010")},
            dt.date(2021, 2, 2),
            dt.date(2025, 2, 6),
            "PP 37/2021",
        ),
        Param(
            {"government": D("0.0022"), "recomposed_jkk": D("0.0014")},
            dt.date(2025, 2, 7),
            None,
            "PP 37/2021 jo. PP 6/2025",
        ),
    ),
)
JKP_BASIS_CAP = DatedTable(
    "JKP basis cap",
    (
        Param(
            D(5000000),
            dt.date(2021, 2, 2),
            None,
            "PP 37/2021 (benefit basis)",
            "U",
            "whether the cap also limits the contribution basis is unconfirmed",
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# BPU (non-wage earners): declared income
# ---------------------------------------------------------------------------------------------
BPU_MIN_INCOME = DatedTable(
    "BPU minimum declared income",
    (Param(D(1000000), START, None, f"{PP44}, Lampiran II; BPJS Ketenagakerjaan (kontan.co.id, Nov 2025)"),),
)
BPU_JKK_RATE = DatedTable("JKK (BPU)", (Param(D("0.01"), START, None, f"{PP44}, Lampiran II"),))
BPU_JKK_MAX = DatedTable("JKK (BPU) maximum", (Param(D(207000), START, None, f"{PP44}, Lampiran II"),))
BPU_JKM_FLAT = DatedTable("JKM (BPU)", (Param(D(6800), START, None, f"{PP44}, Lampiran II"),))
BPU_JHT_RATE = DatedTable("JHT (BPU)", (Param(D("0.02"), START, None, f"{PP46}; BPJS Ketenagakerjaan"),))

# ---------------------------------------------------------------------------------------------
# PMI (migrant workers): flat packages, Permenaker 4/2023 Art. 18
# ---------------------------------------------------------------------------------------------
PMI_BASIS = "Permenaker 4/2023, Pasal 18"
PMI_START = dt.date(2023, 3, 1)
PMI_PRE_PLACEMENT = DatedTable("PMI pre-placement", (Param(D(37500), PMI_START, None, PMI_BASIS),))
PMI_PACKAGES = DatedTable(
    "PMI package", (Param({6: D(108000), 12: D(189000), 24: D(332500)}, PMI_START, None, PMI_BASIS),)
)
PMI_EXTRA_MONTH = DatedTable("PMI extra month", (Param(D(13500), PMI_START, None, PMI_BASIS),))

# ---------------------------------------------------------------------------------------------
# Temporary reliefs
# ---------------------------------------------------------------------------------------------
# PP 49/2020 Art. 9: JKM discounted by 99% (JKM payable = 1% of normal). Period: contribution months
# August 2020 to January 2021 [U: the period is not in DOMAIN.md; taken from the regulation's scope].
JKM_RELIEF = DatedTable(
    "JKM relief",
    (
        Param(
            D("0.99"),
            dt.date(2020, 8, 1),
            dt.date(2021, 1, 31),
            "PP 49/2020, Pasal 9",
            "U",
            "period unverified",
        ),
    ),
)
# PP 7/2025: 50% JKK discount, February–July 2025, for six labour-intensive industries.
LABOUR_INTENSIVE_INDUSTRIES = {
    "food": "food, beverages and tobacco",
    "textile": "textiles and garments",
    "leather": "leather and leather goods",
    "footwear": "footwear",
    "toys": "children's toys",
    "furniture": "furniture",
}
JKK_INDUSTRY_RELIEF = DatedTable(
    "JKK relief (labour-intensive industries)",
    (Param(D("0.50"), dt.date(2025, 2, 1), dt.date(2025, 7, 31), "PP 7/2025"),),
)

# ---------------------------------------------------------------------------------------------
# Project parameters for billing and arrears (not regulation figures; configurable)
# ---------------------------------------------------------------------------------------------
BILL_DUE_DAY = DatedTable(
    "bill due day",
    (Param(15, START, None, f"{PP44} (paid by the 15th of the following month)", "U"),),
)
LAPSE_AFTER_UNPAID_MONTHS = DatedTable(
    "lapse after unpaid months",
    (Param(3, START, None, "project rule: coverage lapses after 3 unpaid months", "U"),),
)

PPM = Decimal(1000000)


def _error(code: str, en: str, id_: str, field: str | None, **params: object) -> RuleError:
    return RuleError(code, en, id_, field=field, **params)


def relief_factor(table: DatedTable, month: dt.date) -> Param | None:
    for row in table.rows:
        if row.covers(month):
            return row
    return None


@dataclass(frozen=True)
class Line:
    programme: str
    payer: str  # employer | worker | self | sponsor | government | recomposed
    basis: Decimal
    rate: Decimal | None  # None for flat amounts
    exact: Decimal
    amount: Decimal
    legal_basis: str
    status: str = "V"
    note: str = ""
    payable: bool = True  # False for JKP lines: shown, but no extra cost to anyone
    # The note as data, for pages that word it in the reader's language: a key and its values
    # ("jp_cap", (("cap", 10547400), ("valid_from", date))). `note` keeps the English wording.
    note_key: str = ""
    note_params: tuple[tuple[str, object], ...] = ()

    @property
    def provisional(self) -> bool:
        return self.status == "U"


@dataclass(frozen=True)
class Quote:
    segment: str
    month: dt.date
    basis: Decimal
    lines: tuple[Line, ...]
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines if ln.payable), Decimal(0))

    @property
    def provisional(self) -> bool:
        return any(ln.provisional for ln in self.lines)


def _line(
    programme: str,
    payer: str,
    basis: Decimal,
    param: Param,
    rate: Decimal,
    *,
    note: str = "",
    status: str | None = None,
    cap: Decimal | None = None,
    payable: bool = True,
    note_key: str = "",
    note_params: tuple[tuple[str, object], ...] = (),
) -> Line:
    exact = Decimal(basis) * rate
    amount = to_rupiah(exact)
    if cap is not None and amount > cap:
        amount = cap
        note = (note + "; " if note else "") + f"capped at {cap}"
        note_key, note_params = note_key or "capped", note_params or (("cap", cap),)
    return Line(
        programme=programme,
        payer=payer,
        basis=Decimal(basis),
        rate=rate,
        exact=exact,
        amount=amount,
        legal_basis=param.legal_basis,
        status=status or param.status,
        note=note or param.note,
        payable=payable,
        note_key=note_key,
        note_params=tuple(note_params),
    )


def _with_relief(rate: Decimal, relief: Param | None) -> Decimal:
    return rate if relief is None else rate * (1 - relief.value)


def _check_wage(wage: Any, field_name: str = "wage") -> Decimal:
    """`wage` is whatever was typed (checked here)."""
    try:
        amount = Decimal(wage)
    except Exception as exc:  # noqa: BLE001 - any bad number is the same user error
        raise _error(
            "invalid_amount", "Enter an amount in whole rupiah.", "Isi jumlah dalam rupiah bulat.", field_name
        ) from exc
    if amount <= 0 or amount != amount.to_integral_value():
        raise _error(
            "invalid_amount",
            "Enter an amount in whole rupiah greater than zero.",
            "Isi jumlah dalam rupiah bulat lebih dari nol.",
            field_name,
        )
    return amount


def normalise_programmes(segment: str, programmes: Iterable[str] | None) -> frozenset[str]:
    progs = frozenset(p.strip().upper() for p in (programmes or ()) if p and p.strip())
    unknown = progs - {"JKK", "JKM", "JHT", "JP", "JKP"}
    if unknown:
        raise _error(
            "unknown_programme",
            "Unknown programme: {names}.",
            "Program tidak dikenal: {names}.",
            "programmes",
            names=", ".join(sorted(unknown)),
        )
    if segment in ("BPU", "PMI") and "JP" in progs:
        raise _error(
            "jp_not_available",
            "JP (pension) is only available to wage earners (PU), not to {segment} participants.",
            "JP (jaminan pensiun) hanya berlaku bagi peserta penerima upah (PU), bukan peserta {segment}.",
            "programmes",
            segment=segment,
        )
    if not {"JKK", "JKM"} <= progs:
        raise _error(
            "base_programmes_required",
            "JKK and JKM are the base programmes and must both be included.",
            "JKK dan JKM adalah program dasar dan keduanya wajib diikuti.",
            "programmes",
        )
    return progs


def quote_pu(
    *,
    month: dt.date,
    wage: Any,
    risk_class: Any,
    programmes: Iterable[str] = ("JKK", "JKM", "JHT", "JP"),
    industry: str = "",
) -> Quote:
    wage = _check_wage(wage)
    progs = normalise_programmes("PU", programmes)
    try:
        risk_class = int(risk_class)
    except (TypeError, ValueError):
        risk_class = None
    if risk_class not in RISK_CLASSES:
        raise _error(
            "unknown_risk_class",
            "The JKK risk class must be 1 to 5 (PP 44/2015 Annex I).",
            "Kelas risiko JKK harus 1 sampai 5 (Lampiran I PP 44/2015).",
            "risk_class",
        )
    if industry and industry not in LABOUR_INTENSIVE_INDUSTRIES:
        raise _error(
            "unknown_industry",
            "Unknown labour-intensive industry {name}.",
            "Industri padat karya {name} tidak dikenal.",
            "industry",
            name=industry,
        )
    lines: list[Line] = []
    jkk = JKK_PU_RATES.at(month)
    jkk_rate = jkk.value[risk_class]
    jkk_relief = relief_factor(JKK_INDUSTRY_RELIEF, month) if industry else None
    note = f"{jkk_relief.legal_basis}: −{jkk_relief.value * 100:.0f}%" if jkk_relief else ""
    lines.append(_line("JKK", "employer", wage, jkk, _with_relief(jkk_rate, jkk_relief), note=note))
    jkm = JKM_PU_RATE.at(month)
    jkm_relief = relief_factor(JKM_RELIEF, month)
    lines.append(
        _line(
            "JKM",
            "employer",
            wage,
            jkm,
            _with_relief(jkm.value, jkm_relief),
            note=f"{jkm_relief.legal_basis}: −99%" if jkm_relief else "",
            status="U" if jkm_relief else None,
        )
    )
    if "JHT" in progs:
        lines.append(
            _line("JHT", "employer", wage, JHT_EMPLOYER_RATE.at(month), JHT_EMPLOYER_RATE.value_at(month))
        )
        lines.append(_line("JHT", "worker", wage, JHT_WORKER_RATE.at(month), JHT_WORKER_RATE.value_at(month)))
    if "JP" in progs:
        cap = JP_WAGE_CAP.at(month)
        jp_basis = min(wage, cap.value)
        cap_note = f"basis min(wage, cap {cap.value}) valid from {cap.valid_from.isoformat()}"
        for payer, table in (("employer", JP_EMPLOYER_RATE), ("worker", JP_WORKER_RATE)):
            row = table.at(month)
            lines.append(
                _line(
                    "JP",
                    payer,
                    jp_basis,
                    row,
                    row.value,
                    note=cap_note,
                    note_key="jp_cap",
                    note_params=(("cap", cap.value), ("valid_from", cap.valid_from)),
                    status="U" if cap.status == "U" else row.status,
                )
            )
    if {"JKK", "JKM", "JHT"} <= progs:
        try:
            jkp = JKP_RATES.at(month)
        except RuleError:
            jkp = None
        if jkp is not None:
            cap = JKP_BASIS_CAP.at(month)
            basis = min(wage, cap.value)
            for part, rate in jkp.value.items():
                payer = "government" if part == "government" else "recomposed"
                lines.append(
                    _line(
                        "JKP",
                        payer,
                        basis,
                        jkp,
                        rate,
                        note=f"{part}; no extra cost; basis capped at {cap.value} [U]",
                        note_key="jkp_" + part,
                        note_params=(("cap", cap.value),),
                        status="U",
                        payable=False,
                    )
                )
    return _quote("PU", month, wage, lines)


def quote_bpu(*, month: dt.date, income: Any, programmes: Iterable[str] = ("JKK", "JKM")) -> Quote:
    income = _check_wage(income, "income")
    progs = normalise_programmes("BPU", programmes)
    minimum = BPU_MIN_INCOME.at(month)
    if income < minimum.value:
        raise _error(
            "income_below_minimum",
            "The declared income must be at least Rp{minimum} ({basis}).",
            "Penghasilan yang dilaporkan paling sedikit Rp{minimum} ({basis}).",
            "income",
            minimum=f"{int(minimum.value):,}".replace(",", "."),
            basis=minimum.legal_basis,
        )
    lines = [
        _line(
            "JKK",
            "self",
            income,
            BPU_JKK_RATE.at(month),
            BPU_JKK_RATE.value_at(month),
            cap=BPU_JKK_MAX.value_at(month),
        )
    ]
    jkm = BPU_JKM_FLAT.at(month)
    relief = relief_factor(JKM_RELIEF, month)
    flat = jkm.value if relief is None else to_rupiah(jkm.value * (1 - relief.value))
    lines.append(
        Line(
            programme="JKM",
            payer="self",
            basis=income,
            rate=None,
            exact=jkm.value if relief is None else jkm.value * (1 - relief.value),
            amount=flat,
            legal_basis=jkm.legal_basis,
            status="U" if relief else jkm.status,
            note=f"flat; {relief.legal_basis}: −99%" if relief else "flat",
            note_key="flat_relief" if relief else "flat",
            note_params=(("relief", relief.legal_basis),) if relief else (),
        )
    )
    if "JHT" in progs:
        lines.append(_line("JHT", "self", income, BPU_JHT_RATE.at(month), BPU_JHT_RATE.value_at(month)))
    return _quote("BPU", month, income, lines)


def quote_pmi(
    *,
    month: dt.date,
    contract_months: Any,
    extension_months: int = 0,
    pre_placement: bool = True,
    programmes: Iterable[str] = ("JKK", "JKM"),
) -> Quote:
    progs = normalise_programmes("PMI", programmes)
    if "JHT" in progs:
        raise _error(
            "pmi_jht_unsupported",
            "Optional JHT for migrant workers is not supported yet: its amounts are not in the rules tables.",
            "JHT opsional bagi pekerja migran belum didukung: besarannya belum ada di tabel aturan.",
            "programmes",
        )
    packages = PMI_PACKAGES.at(month)
    try:
        contract_months = int(contract_months)
    except (TypeError, ValueError):
        contract_months = None
    if contract_months not in packages.value:
        raise _error(
            "unknown_contract_length",
            "The contract length must be one of {choices} months; months beyond the contract are extension months.",
            "Lama kontrak harus salah satu dari {choices} bulan; bulan di luar kontrak diisi sebagai bulan perpanjangan.",
            "contract_months",
            choices=", ".join(str(k) for k in sorted(packages.value)),
        )
    try:
        extension_months = int(extension_months or 0)
    except (TypeError, ValueError):
        extension_months = -1
    if extension_months < 0 or extension_months > 120:
        raise _error(
            "invalid_extension",
            "Extension months must be between 0 and 120.",
            "Bulan perpanjangan harus antara 0 dan 120.",
            "extension_months",
        )
    lines = []
    if pre_placement:
        pre = PMI_PRE_PLACEMENT.at(month)
        lines.append(
            Line(
                "JKK+JKM",
                "self",
                pre.value,
                None,
                pre.value,
                pre.value,
                pre.legal_basis,
                pre.status,
                "before placement",
                note_key="pmi_pre_placement",
            )
        )
    pkg = packages.value[contract_months]
    lines.append(
        Line(
            "JKK+JKM",
            "self",
            pkg,
            None,
            pkg,
            pkg,
            packages.legal_basis,
            packages.status,
            f"{contract_months}-month contract",
            note_key="pmi_contract",
            note_params=(("months", contract_months),),
        )
    )
    if extension_months:
        extra = PMI_EXTRA_MONTH.at(month)
        amount = extra.value * extension_months
        lines.append(
            Line(
                "JKK+JKM",
                "self",
                extra.value,
                None,
                amount,
                amount,
                extra.legal_basis,
                extra.status,
                f"{extension_months} extra months",
                note_key="pmi_extension",
                note_params=(("months", extension_months),),
            )
        )
    return _quote("PMI", month, Decimal(0), lines)


def _quote(segment: str, month: dt.date, basis: Decimal, lines: list[Line]) -> Quote:
    totals: dict[str, Decimal] = {}
    for ln in lines:
        if not ln.payable:
            continue
        totals[ln.payer] = totals.get(ln.payer, Decimal(0)) + ln.amount
    return Quote(segment=segment, month=month, basis=basis, lines=tuple(lines), totals=totals)


def quote(
    *,
    segment: str,
    month: dt.date,
    wage: Any = None,
    risk_class: Any = None,
    industry: str = "",
    programmes: Iterable[str] | None = None,
    contract_months: Any = None,
    extension_months: int = 0,
    pre_placement: bool = True,
) -> Quote:
    """One entry point for the calculator page, the API and tests."""
    segment = (segment or "").upper()
    if segment not in SEGMENTS:
        raise _error("unknown_segment", "Choose PU, BPU or PMI.", "Pilih PU, BPU atau PMI.", "segment")
    if not isinstance(month, dt.date):
        raise _error("invalid_month", "Enter a month.", "Isi bulan.", "month")
    month = month.replace(day=1)
    if segment == "PU":
        return quote_pu(
            month=month,
            wage=wage,
            risk_class=risk_class,
            industry=industry or "",
            programmes=programmes or ("JKK", "JKM", "JHT", "JP"),
        )
    if segment == "BPU":
        return quote_bpu(month=month, income=wage, programmes=programmes or ("JKK", "JKM"))
    return quote_pmi(
        month=month,
        contract_months=contract_months,
        extension_months=extension_months,
        pre_placement=pre_placement,
        programmes=programmes or ("JKK", "JKM"),
    )


# ---------------------------------------------------------------------------------------------
# Parameters for the set-based billing run (integers, so SQL rounding equals to_rupiah)
# ---------------------------------------------------------------------------------------------
def to_ppm(rate: Decimal) -> int:
    value = rate * PPM
    if value != value.to_integral_value():
        raise ValueError(f"rate {rate} is not a whole number of parts per million")
    return int(value)


def billing_parameters(month: dt.date) -> dict[str, Any]:
    """Every figure a billing run for `month` needs, as integers (rates in ppm), with legal bases.

    Raises RuleError when a table does not cover the month.
    """
    month = month.replace(day=1)
    jkk = JKK_PU_RATES.at(month)
    industry_relief = relief_factor(JKK_INDUSTRY_RELIEF, month)
    jkm_relief = relief_factor(JKM_RELIEF, month)
    cap = JP_WAGE_CAP.at(month)
    bpu_jkm = BPU_JKM_FLAT.value_at(month)
    params: dict[str, Any] = {
        "month": month.isoformat(),
        "jkk_ppm": {c: to_ppm(r) for c, r in jkk.value.items()},
        "jkk_relief_ppm": {c: to_ppm(_with_relief(r, industry_relief)) for c, r in jkk.value.items()}
        if industry_relief
        else None,
        "industries": sorted(LABOUR_INTENSIVE_INDUSTRIES),
        "jkm_ppm": to_ppm(_with_relief(JKM_PU_RATE.value_at(month), jkm_relief)),
        "jht_employer_ppm": to_ppm(JHT_EMPLOYER_RATE.value_at(month)),
        "jht_worker_ppm": to_ppm(JHT_WORKER_RATE.value_at(month)),
        "jp_employer_ppm": to_ppm(JP_EMPLOYER_RATE.value_at(month)),
        "jp_worker_ppm": to_ppm(JP_WORKER_RATE.value_at(month)),
        "jp_cap": int(cap.value),
        "jp_cap_status": cap.status,
        "bpu_jkk_ppm": to_ppm(BPU_JKK_RATE.value_at(month)),
        "bpu_jkk_max": int(BPU_JKK_MAX.value_at(month)),
        "bpu_jkm_flat": int(bpu_jkm if jkm_relief is None else to_rupiah(bpu_jkm * (1 - jkm_relief.value))),
        "bpu_jht_ppm": to_ppm(BPU_JHT_RATE.value_at(month)),
        "bpu_min_income": int(BPU_MIN_INCOME.value_at(month)),
        "legal_basis": {
            "JKK": jkk.legal_basis + (f"; {industry_relief.legal_basis}" if industry_relief else ""),
            "JKM": JKM_PU_RATE.at(month).legal_basis + (f"; {jkm_relief.legal_basis}" if jkm_relief else ""),
            "JHT": JHT_EMPLOYER_RATE.at(month).legal_basis,
            "JP": cap.legal_basis,
            "BPU": BPU_JKK_RATE.at(month).legal_basis,
        },
    }
    try:
        pmi = PMI_PACKAGES.at(month)
        params["pmi_packages"] = {m: int(v) for m, v in pmi.value.items()}
        params["pmi_pre_placement"] = int(PMI_PRE_PLACEMENT.value_at(month))
        params["legal_basis"]["PMI"] = pmi.legal_basis
    except RuleError:
        params["pmi_packages"] = {}
        params["pmi_pre_placement"] = 0
    return params


def bill_due_date(month: dt.date) -> dt.date:
    """Contributions for a month are due on the due day of the following month."""
    nxt = (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return nxt.replace(day=int(BILL_DUE_DAY.value_at(month)))


def package_monthly(month: dt.date, *, with_jht: bool = False) -> Decimal:
    """The sponsored vulnerable-worker package: BPU JKK + JKM (+ JHT) at the minimum declared income."""
    programmes = ("JKK", "JKM", "JHT") if with_jht else ("JKK", "JKM")
    return quote_bpu(month=month, income=BPU_MIN_INCOME.value_at(month), programmes=programmes).total
