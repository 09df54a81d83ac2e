"""Benefit calculations for JKM, scholarships, JKK, JHT, JP and JKP (DOMAIN.md §2): dated tables + pure functions.

Legal bases: PP 44/2015 as amended by PP 82/2019 (JKK, JKM, scholarships), Permenaker 5/2021 (procedures),
PP 46/2015 and Permenaker 4/2022 (JHT), PP 45/2015 and Permenaker 29/2015 (JP), PP 37/2021 as amended by
PP 6/2025 (JKP). Every figure lives in a table below with its validity and basis; "U" rows are shown as
provisional. Rounding: each benefit line is rounded half-up to whole rupiah (`to_rupiah`), the exact
value is kept on the line for audit. A quote never raises for a failed condition: it returns the
conditions with their values and a refusal reason, so an officer sees *why*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sinergi.rules.calendar import add_working_days, default_holiday_dates
from sinergi.rules.money import Amount, to_rupiah
from sinergi.rules.tables import D, DatedTable, Param, RuleError

PP44 = "PP 44/2015"
PP82 = "PP 82/2019 tentang perubahan atas PP 44/2015"
PM5 = "Permenaker 5/2021"
PP46 = "PP 46/2015 Pasal 22; Permenaker 4/2022"
PP45 = "PP 45/2015; Permenaker 29/2015"
PP6 = "PP 37/2021 jo. PP 6/2025"
PP37 = "PP 37/2021"

START_2015 = dt.date(2015, 7, 1)
PP82_FROM = dt.date(2019, 12, 2)  # PP 82/2019 promulgated 2 Dec 2019
PP82_TO = PP82_FROM - dt.timedelta(days=1)
PP6_FROM = dt.date(2025, 2, 7)
PP37_FROM = dt.date(2021, 2, 2)

BENEFITS = ("JKM", "JKK", "JHT", "JP", "JKP", "BEASISWA")

# ---------------------------------------------------------------- JKM (§2.1)
JKM_LUMP_SUM = DatedTable(
    "JKM lump sum",
    (
        Param(D(16_200_000), START_2015, PP82_TO, PP44, "V"),
        Param(D(20_000_000), PP82_FROM, None, PP82, "V"),
    ),
)
JKM_PERIODIC_MONTHLY = DatedTable(
    "JKM periodic benefit per month",
    (
        Param(D(200_000), START_2015, PP82_TO, PP44, "V", "24 x 200,000 = 4,800,000"),
        Param(D(500_000), PP82_FROM, None, PP82, "V", "24 x 500,000 = 12,000,000"),
    ),
)
PERIODIC_MONTHS = DatedTable(
    "periodic benefit months", (Param(24, START_2015, None, f"{PP44}; {PP82}", "V", "paid at once"),)
)
FUNERAL = DatedTable(
    "funeral cost",
    (
        Param(D(3_000_000), START_2015, PP82_TO, PP44, "V"),
        Param(D(10_000_000), PP82_FROM, None, PP82, "V"),
    ),
)

# ---------------------------------------------------------------- scholarships (§2.1)
SCHOOL_LEVELS = ("TK", "SD", "SMP", "SMA", "PT")
SCHOLARSHIP_LEVELS = DatedTable(
    "scholarship per level",
    (
        Param(
            {
                "TK": (D(1_500_000), 2),
                "SD": (D(1_500_000), 6),
                "SMP": (D(2_000_000), 3),
                "SMA": (D(3_000_000), 3),
                "PT": (D(12_000_000), 5),
            },
            PP82_FROM,
            None,
            f"{PP82}; {PM5}",
            "V",
            "per child per year, max years per level",
        ),
    ),
)
SCHOLARSHIP_MAX_CHILDREN = DatedTable("scholarship children", (Param(2, PP82_FROM, None, PP82, "V"),))
SCHOLARSHIP_JKM_MIN_MONTHS = DatedTable(
    "JKM scholarship minimum contribution period",
    (Param(36, PP82_FROM, None, PP82, "V", "3 years"),),
)
SCHOLARSHIP_JKK_MIN_MONTHS = DatedTable(
    "JKK scholarship minimum contribution period",
    (Param(0, PP82_FROM, None, PP82, "U", "no minimum is the widely held view; not confirmed"),),
)
SCHOLARSHIP_AGE_LIMIT = DatedTable(
    "scholarship age limit", (Param(23, PP82_FROM, None, f"{PP82}; {PM5}", "V"),)
)
SCHOLARSHIP_CHILD_CAP = DatedTable(
    "scholarship cap per child", (Param(D(87_000_000), PP82_FROM, None, PP82, "V-calc"),)
)
SCHOLARSHIP_TOTAL_CAP = DatedTable(
    "scholarship cap in total", (Param(D(174_000_000), PP82_FROM, None, PP82, "V-calc"),)
)

# ---------------------------------------------------------------- JKK (§2.2)
JKK_WAGE_MONTHS = DatedTable(
    "JKK disability wage multiple", (Param(80, START_2015, None, f"{PP44} Lampiran III", "V"),)
)
JKK_TOTAL_DISABILITY_PCT = DatedTable(
    "JKK total permanent disability",
    (Param(D("0.70"), START_2015, None, f"{PP44} Lampiran III", "V", "= 56 x wage"),),
)
JKK_DEATH_PCT = DatedTable(
    "JKK death", (Param(D("0.60"), START_2015, None, f"{PP44} Lampiran III; {PP82}", "V", "= 48 x wage"),)
)
JKK_DEATH_MINIMUM = DatedTable(
    "JKK death minimum",
    (Param(D(20_000_000), PP82_FROM, None, f"{PP82} Lampiran III", "U", "one news source only"),),
)
JKK_HOME_CARE_CAP = DatedTable(
    "JKK home care cap",
    (Param(D(20_000_000), PP82_FROM, None, f"{PP82} Lampiran III", "V", "at most 1 year"),),
)
JKK_CLAIM_WINDOW_YEARS = DatedTable(
    "JKK claim window",
    (
        Param(2, START_2015, PP82_TO, PP44, "V"),
        Param(5, PP82_FROM, None, PP82, "V"),
    ),
)
# STMB: (months at full wage, rate after) — the 12-month/50% schedule was not seen in a source.
JKK_STMB = DatedTable(
    "JKK temporary incapacity (STMB)",
    (
        Param(
            (12, D("1.00"), D("0.50")),
            PP82_FROM,
            None,
            f"{PP82} Lampiran III",
            "U",
            "100% for 12 months, then 50%",
        ),
    ),
)

# ---------------------------------------------------------------- JHT (§2.3)
JHT_AGE = DatedTable("JHT payout age", (Param(56, START_2015, None, PP46, "V"),))
JHT_WAIT_MONTHS = DatedTable(
    "JHT waiting period after resignation or dismissal",
    (Param(1, dt.date(2022, 2, 4), None, "Permenaker 4/2022", "V"),),
)
JHT_PARTIAL_MIN_MONTHS = DatedTable(
    "JHT partial withdrawal minimum", (Param(120, START_2015, None, PP46, "V"),)
)
JHT_PARTIAL_PCT = DatedTable(
    "JHT partial withdrawal share",
    (
        Param(
            {"housing": D("0.30"), "other": D("0.10")},
            START_2015,
            None,
            PP46,
            "V",
            "once while a participant",
        ),
    ),
)
JHT_FULL_REASONS = (
    "age",
    "death",
    "total_disability",
    "resignation",
    "dismissal",
    "left_indonesia",
    "pkwt_end",
    "bpu_stop",
)

# ---------------------------------------------------------------- JP (§2.4)
JP_MIN_MONTHS = DatedTable(
    "JP monthly pension minimum", (Param(180, START_2015, None, PP45, "V", "15 years"),)
)
JP_ACCRUAL = DatedTable("JP accrual per year", (Param(D("0.01"), START_2015, None, f"{PP45} Pasal 17", "V"),))
JP_MIN_PENSION = DatedTable(
    "JP minimum pension",
    (
        Param(
            D(300_000), START_2015, dt.date(2022, 12, 31), PP45, "U", "indexed values 2016-2022 not retrieved"
        ),
        Param(D(383_400), dt.date(2023, 1, 1), dt.date(2023, 12, 31), PP45, "V"),
        Param(D(393_500), dt.date(2024, 1, 1), None, PP45, "V"),
    ),
)
JP_MAX_PENSION = DatedTable(
    "JP maximum pension",
    (
        Param(
            D(3_600_000),
            START_2015,
            dt.date(2022, 12, 31),
            PP45,
            "U",
            "indexed values 2016-2022 not retrieved",
        ),
        Param(D(4_598_100), dt.date(2023, 1, 1), dt.date(2023, 12, 31), PP45, "V"),
        Param(D(4_598_100), dt.date(2024, 1, 1), None, PP45, "U", "2024 maximum not found; 2023 value kept"),
    ),
)
JP_AS_IF = DatedTable(
    "JP survivor as-if-15-years rule",
    (
        Param(
            (12, D("0.80")),
            START_2015,
            None,
            "Permenaker 29/2015 Pasal 26",
            "V",
            "membership >= 1 year, density >= 80%",
        ),
    ),
)
JP_SURVIVOR_SHARE = DatedTable(
    "JP survivor share",
    (Param({"spouse": D("0.50"), "child": D("0.50"), "parent": D("0.20")}, START_2015, None, PP45, "U"),),
)


def pension_age(year: int) -> tuple[int, Param]:
    """56 until 2018; 57 from 2019; +1 every 3 years up to 65 (PP 45/2015 Art. 15)."""
    basis = Param(None, START_2015, None, f"{PP45} Pasal 15", "V")
    if year < 2019:
        return 56, basis
    return min(65, 57 + (year - 2019) // 3), basis


# ---------------------------------------------------------------- JKP (§2.5)
# value: list of (months, rate) tranches
JKP_CASH = DatedTable(
    "JKP cash benefit",
    (
        Param(((3, D("0.45")), (3, D("0.25"))), PP37_FROM, PP6_FROM - dt.timedelta(days=1), PP37, "V"),
        Param(((6, D("0.60")),), PP6_FROM, None, f"{PP6} Pasal 21", "V"),
    ),
)
JKP_WAGE_CAP = DatedTable("JKP wage cap", (Param(D(5_000_000), PP37_FROM, None, f"{PP37} Pasal 21", "V"),))
JKP_ELIGIBILITY = DatedTable(
    "JKP eligibility",
    (Param((12, 24, 6), PP37_FROM, None, PP37, "V", "12 of 24 months incl. 6 consecutive"),),
)
JKP_CLAIM_WINDOW_MONTHS = DatedTable(
    "JKP claim window",
    (
        Param(3, PP37_FROM, PP6_FROM - dt.timedelta(days=1), PP37, "V"),
        Param(6, PP6_FROM, None, f"{PP6} Pasal 40", "V"),
    ),
)

# ---------------------------------------------------------------- claim documents
NPWP_THRESHOLD = DatedTable(
    "NPWP required above",
    (Param(D(50_000_000), START_2015, None, f"{PM5} (claim documents, news summaries)", "U"),),
)

# ---------------------------------------------------------------- service clock
SERVICE_WORKING_DAYS = DatedTable(
    "claim service level (working days after complete documents)",
    (
        Param(
            {"JKM": 3, "JKK": 7, "JHT": 5, "JP": 5, "JKP": 5, "BEASISWA": 5},
            START_2015,
            None,
            "BPJS Ketenagakerjaan service standard (JKM 3 days: news; others: branch practice)",
            "U",
        ),
    ),
)


def service_due(benefit: str, complete_on: dt.date) -> tuple[dt.date, Param]:
    """Due date: the n-th working day after complete documents (weekends, public holidays, cuti bersama)."""
    row = SERVICE_WORKING_DAYS.at(complete_on)
    holidays = default_holiday_dates({complete_on.year, complete_on.year + 1})
    return add_working_days(complete_on, row.value.get(benefit, 5), holidays), row


# ---------------------------------------------------------------- result types
@dataclass(frozen=True)
class Line:
    code: str
    label_en: str
    label_id: str
    amount: Decimal
    exact: Decimal
    basis: str
    status: str = "V"
    periodic_months: int = 0  # >0: `amount` is paid every month for this many months (already in total)


@dataclass(frozen=True)
class Condition:
    code: str
    label_en: str
    label_id: str
    met: bool
    value: str
    required: str
    basis: str = ""
    status: str = "V"


def _idn(value: Amount) -> str:
    """500000 -> 500.000 (Indonesian grouping, for the Indonesian labels)."""
    return f"{Decimal(value):,.0f}".replace(",", ".")


@dataclass
class Quote:
    benefit: str
    on: dt.date
    lines: list[Line] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notes_id: list[str] = field(default_factory=list)  # the same notes in Indonesian
    monthly_amount: Decimal | None = None

    def note(self, english: str, indonesian: str) -> None:
        self.notes.append(english)
        self.notes_id.append(indonesian)

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.conditions)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0)) if self.eligible else Decimal(0)

    @property
    def refusals(self) -> list[Condition]:
        return [c for c in self.conditions if not c.met]

    @property
    def provisional(self) -> bool:
        return any(x.status == "U" for x in self.lines) or any(c.status == "U" for c in self.conditions)

    @property
    def legal_basis(self) -> list[str]:
        seen: list[str] = []
        for basis in [*(ln.basis for ln in self.lines), *(c.basis for c in self.conditions)]:
            if basis and basis not in seen:
                seen.append(basis)
        return seen

    def as_dict(self) -> dict[str, Any]:
        return {
            "benefit": self.benefit,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "total": str(self.total),
            "monthly_amount": None if self.monthly_amount is None else str(self.monthly_amount),
            "provisional": self.provisional,
            "legal_basis": self.legal_basis,
            "lines": [
                {
                    "code": x.code,
                    "label_en": x.label_en,
                    "label_id": x.label_id,
                    "amount": str(x.amount),
                    "exact": str(x.exact),
                    "basis": x.basis,
                    "status": x.status,
                    "periodic_months": x.periodic_months,
                }
                for x in self.lines
            ],
            "conditions": [
                {
                    "code": c.code,
                    "label_en": c.label_en,
                    "label_id": c.label_id,
                    "met": c.met,
                    "value": c.value,
                    "required": c.required,
                    "basis": c.basis,
                    "status": c.status,
                }
                for c in self.conditions
            ],
            "notes": list(self.notes),
            "notes_id": list(self.notes_id),
        }


def _line(code: str, en: str, id_: str, exact: Amount, row: Param, periodic_months: int = 0) -> Line:
    exact = Decimal(exact)
    return Line(code, en, id_, to_rupiah(exact), exact, row.legal_basis, row.status, periodic_months)


def _positive(value: Amount, name: str) -> Decimal:
    value = Decimal(value)
    if value < 0:
        raise RuleError(
            "negative_amount",
            "{name} cannot be negative.",
            "{name} tidak boleh negatif.",
            field=name,
            name=name,
        )
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# ---------------------------------------------------------------- JKM
def quote_jkm(*, death_date: dt.date, active_at_death: bool, work_accident: bool = False) -> Quote:
    """JKM cash for the heirs: lump sum + periodic (24 months, paid at once) + funeral, values of the death date."""
    q = Quote("JKM", death_date)
    lump, monthly, months, funeral = (
        JKM_LUMP_SUM.at(death_date),
        JKM_PERIODIC_MONTHLY.at(death_date),
        PERIODIC_MONTHS.at(death_date),
        FUNERAL.at(death_date),
    )
    q.conditions.append(
        Condition(
            "active_membership",
            "Active membership on the date of death",
            "Kepesertaan aktif pada tanggal meninggal",
            bool(active_at_death),
            "yes" if active_at_death else "no",
            "yes",
            lump.legal_basis,
        )
    )
    q.conditions.append(
        Condition(
            "not_work_accident",
            "Death not caused by a work accident or occupational disease (otherwise JKK)",
            "Kematian bukan karena kecelakaan kerja atau penyakit akibat kerja (jika ya: JKK)",
            not work_accident,
            "work accident" if work_accident else "illness / other",
            "not a work accident",
            lump.legal_basis,
        )
    )
    q.lines.append(_line("lump_sum", "Lump-sum death benefit", "Santunan sekaligus", lump.value, lump))
    q.lines.append(
        _line(
            "periodic",
            f"Periodic benefit {months.value} x {monthly.value:,.0f} (paid at once)",
            f"Santunan berkala {months.value} × {_idn(monthly.value)} (dibayar sekaligus)",
            monthly.value * months.value,
            monthly,
        )
    )
    q.lines.append(_line("funeral", "Funeral cost", "Biaya pemakaman", funeral.value, funeral))
    return q


# ---------------------------------------------------------------- scholarships
@dataclass(frozen=True)
class Child:
    key: str
    name: str
    birth_date: dt.date | None
    level: str = ""  # "", TK, SD, SMP, SMA, PT
    grade: int | None = None  # 1-based year within the level
    married: bool = False
    working: bool = False
    alive: bool = True


@dataclass(frozen=True)
class ScholarshipYear:
    child_key: str
    year_index: int  # 0 = the first (current) school year
    starts_on: dt.date
    level: str
    grade: int
    amount: Decimal


@dataclass
class ChildPlan:
    child: Child
    eligible: bool
    reason_en: str = ""
    reason_id: str = ""
    years: list[ScholarshipYear] = field(default_factory=list)

    @property
    def first_year(self) -> Decimal:
        return sum((y.amount for y in self.years if y.year_index == 0), Decimal(0))

    @property
    def max_remaining(self) -> Decimal:
        return sum((y.amount for y in self.years), Decimal(0))


@dataclass
class ScholarshipPlan:
    quote: Quote
    children: list[ChildPlan]

    @property
    def first_year_total(self) -> Decimal:
        return (
            sum((c.first_year for c in self.children if c.eligible), Decimal(0))
            if self.quote.eligible
            else D(0)
        )

    @property
    def max_total(self) -> Decimal:
        return (
            sum((c.max_remaining for c in self.children if c.eligible), Decimal(0))
            if self.quote.eligible
            else D(0)
        )


def _child_years(child: Child, on: dt.date, levels: dict[str, Any], age_limit: int) -> list[ScholarshipYear]:
    """Every remaining school year for `child` from `on`, at the table amounts, until age `age_limit`.

    A child not yet in school is planned from TK year 1 (received on entering school)."""
    level = child.level or "TK"
    grade = child.grade or 1
    start = SCHOOL_LEVELS.index(level)
    years: list[ScholarshipYear] = []
    index = 0
    for lv in SCHOOL_LEVELS[start:]:
        amount, max_years = levels[lv]
        first_grade = grade if lv == level else 1
        for g in range(first_grade, max_years + 1):
            starts = add_months(on, 12 * index)
            if child.birth_date is not None and age_on(child.birth_date, starts) >= age_limit:
                return years
            years.append(ScholarshipYear(child.key, index, starts, lv, g, amount))
            index += 1
    return years


def scholarship_plan(
    *,
    event: str,
    event_date: dt.date,
    contribution_months: int,
    children: list[Child],
    on: dt.date | None = None,
) -> ScholarshipPlan:
    """Yearly scholarship schedule for at most two children (eldest eligible first), within the caps.

    `event` is "JKM" (needs 3 years of contributions) or "JKK" (death or total permanent disability)."""
    on = on or event_date
    if event not in ("JKM", "JKK"):
        raise RuleError(
            "bad_event", "Scholarships follow JKM or JKK only.", "Beasiswa hanya untuk JKM atau JKK.", "event"
        )
    levels_row = SCHOLARSHIP_LEVELS.at(event_date)
    min_row = (SCHOLARSHIP_JKM_MIN_MONTHS if event == "JKM" else SCHOLARSHIP_JKK_MIN_MONTHS).at(event_date)
    max_children = SCHOLARSHIP_MAX_CHILDREN.at(event_date)
    age_limit = SCHOLARSHIP_AGE_LIMIT.at(event_date).value
    child_cap = SCHOLARSHIP_CHILD_CAP.at(event_date)
    total_cap = SCHOLARSHIP_TOTAL_CAP.at(event_date)
    q = Quote("BEASISWA", on)
    q.conditions.append(
        Condition(
            "min_contribution",
            "Minimum contribution period",
            "Masa iuran minimum",
            contribution_months >= min_row.value,
            f"{contribution_months} months",
            f">= {min_row.value} months",
            min_row.legal_basis,
            min_row.status,
        )
    )
    plans: list[ChildPlan] = []
    chosen = 0
    ordered = sorted(children, key=lambda c: (c.birth_date or dt.date.max, c.key))
    for child in ordered:
        plan = ChildPlan(child, False)
        age = age_on(child.birth_date, on) if child.birth_date else None
        if not child.alive:
            plan.reason_en, plan.reason_id = "deceased", "meninggal"
        elif child.married:
            plan.reason_en, plan.reason_id = "married", "menikah"
        elif child.working:
            plan.reason_en, plan.reason_id = "working", "bekerja"
        elif age is not None and age >= age_limit:
            plan.reason_en, plan.reason_id = (
                f"aged {age} (limit {age_limit})",
                f"berusia {age} (batas {age_limit})",
            )
        elif chosen >= max_children.value:
            plan.reason_en = f"at most {max_children.value} children"
            plan.reason_id = f"paling banyak {max_children.value} anak"
        else:
            plan.eligible = True
            chosen += 1
            plan.years = _child_years(child, on, levels_row.value, age_limit)
        plans.append(plan)
    # Caps: trim the tail of each schedule so no child exceeds the per-child cap and the total stays in cap.
    remaining_total = total_cap.value
    for plan in plans:
        if not plan.eligible:
            continue
        left = min(child_cap.value, remaining_total)
        kept = []
        for year in plan.years:
            if left <= 0:
                break
            amount = min(year.amount, left)
            kept.append(
                ScholarshipYear(
                    year.child_key, year.year_index, year.starts_on, year.level, year.grade, amount
                )
            )
            left -= amount
        plan.years = kept
        remaining_total -= plan.max_remaining
    q.conditions.append(
        Condition(
            "eligible_child",
            "At least one eligible child (alive, unmarried, not working, under the age limit)",
            "Minimal satu anak yang memenuhi syarat (hidup, belum menikah, belum bekerja, di bawah batas usia)",
            chosen > 0,
            str(chosen),
            ">= 1",
            levels_row.legal_basis,
        )
    )
    for plan in plans:
        if plan.eligible and plan.first_year:
            first = plan.years[0]
            q.lines.append(
                _line(
                    f"child:{plan.child.key}",
                    f"Scholarship {plan.child.name}: {first.level} grade {first.grade}",
                    f"Beasiswa {plan.child.name}: {first.level} kelas {first.grade}",
                    plan.first_year,
                    levels_row,
                )
            )
    q.note(
        f"caps: {child_cap.value:,.0f} per child, {total_cap.value:,.0f} total ({child_cap.legal_basis})",
        f"batas: {_idn(child_cap.value)} per anak, {_idn(total_cap.value)} seluruhnya ({child_cap.legal_basis})",
    )
    return ScholarshipPlan(q, plans)


# ---------------------------------------------------------------- JKK
JKK_KINDS = ("medical", "home_care", "temporary", "disability", "total_disability", "death")


def quote_jkk(
    *,
    kind: str,
    accident_date: dt.date,
    claim_date: dt.date,
    wage: Decimal,
    active_at_accident: bool = True,
    disability_percent: Decimal | None = None,
    function_loss_percent: Decimal | None = None,
    incapacity_months: int = 0,
    medical_cost: Decimal | None = None,
) -> Quote:
    """JKK cash benefits by kind; medical care is paid as needed (no ceiling) and quoted at its cost."""
    if kind not in JKK_KINDS:
        raise RuleError(
            "bad_kind",
            "Unknown JKK benefit {kind}.",
            "Jenis manfaat JKK {kind} tidak dikenal.",
            "kind",
            kind=kind,
        )
    wage = _positive(wage, "wage")
    q = Quote("JKK", claim_date)
    window = JKK_CLAIM_WINDOW_YEARS.at(accident_date)
    deadline = add_months(accident_date, 12 * window.value)
    q.conditions.append(
        Condition(
            "active_membership",
            "Active membership on the accident date",
            "Kepesertaan aktif pada tanggal kecelakaan",
            bool(active_at_accident),
            "yes" if active_at_accident else "no",
            "yes",
            window.legal_basis,
        )
    )
    q.conditions.append(
        Condition(
            "claim_window",
            f"Claimed within {window.value} years of the accident",
            f"Diajukan dalam {window.value} tahun sejak kecelakaan",
            accident_date <= claim_date <= deadline,
            claim_date.isoformat(),
            f"{accident_date.isoformat()} .. {deadline.isoformat()}",
            window.legal_basis,
            window.status,
        )
    )
    months = JKK_WAGE_MONTHS.at(accident_date)
    if kind == "medical":
        cost = _positive(medical_cost or 0, "medical_cost")
        q.lines.append(
            _line(
                "medical",
                "Medical care as needed (no ceiling)",
                "Perawatan sesuai kebutuhan medis",
                cost,
                months,
            )
        )
    elif kind == "home_care":
        cap = JKK_HOME_CARE_CAP.at(accident_date)
        cost = _positive(medical_cost or 0, "medical_cost")
        q.lines.append(
            _line(
                "home_care",
                f"Home care (at most {cap.value:,.0f}, 1 year)",
                f"Perawatan di rumah (paling banyak {_idn(cap.value)}, 1 tahun)",
                min(cost, cap.value),
                cap,
            )
        )
        if cost > cap.value:
            q.note(f"home care capped at {cap.value:,.0f}", f"perawatan di rumah dibatasi {_idn(cap.value)}")
    elif kind == "temporary":
        full_months, full_rate, later_rate = JKK_STMB.at(accident_date).value
        row = JKK_STMB.at(accident_date)
        n_full = min(incapacity_months, full_months)
        n_later = max(0, incapacity_months - full_months)
        if n_full:
            q.lines.append(
                _line(
                    "stmb_full",
                    f"Temporary incapacity {n_full} months x 100%",
                    f"STMB {n_full} bulan × 100%",
                    wage * full_rate * n_full,
                    row,
                    n_full,
                )
            )
        if n_later:
            q.lines.append(
                _line(
                    "stmb_later",
                    f"Temporary incapacity {n_later} months x 50%",
                    f"STMB {n_later} bulan × 50%",
                    wage * later_rate * n_later,
                    row,
                    n_later,
                )
            )
        q.note(
            "paid to the employer, which passes it on as wage replacement",
            "dibayarkan kepada pemberi kerja, yang meneruskannya sebagai pengganti upah",
        )
    elif kind == "disability":
        if disability_percent is None:
            raise RuleError(
                "missing", "Give the table percentage.", "Isi persentase tabel cacat.", "disability_percent"
            )
        pct = _positive(disability_percent, "disability_percent") / 100
        func = Decimal(100 if function_loss_percent is None else function_loss_percent) / 100
        if pct > 1 or func > 1:
            raise RuleError(
                "over_100",
                "A percentage cannot exceed 100.",
                "Persentase tidak boleh lebih dari 100.",
                "disability_percent",
            )
        label = "anatomical" if function_loss_percent is None else "functional"
        q.lines.append(
            _line(
                "disability",
                f"Partial {label} disability {pct * 100:.2f}% x {func * 100:.0f}% x {months.value} x wage",
                f"Cacat sebagian {'anatomis' if function_loss_percent is None else 'fungsi'} {pct * 100:.2f}% × {func * 100:.0f}% × {months.value} × upah",
                pct * func * months.value * wage,
                months,
            )
        )
    elif kind == "total_disability":
        pct_row = JKK_TOTAL_DISABILITY_PCT.at(accident_date)
        q.lines.append(
            _line(
                "total_disability",
                f"Total permanent disability {pct_row.value * 100:.0f}% x {months.value} x wage",
                f"Cacat total tetap {pct_row.value * 100:.0f}% × {months.value} × upah",
                pct_row.value * months.value * wage,
                pct_row,
            )
        )
        _periodic(q, accident_date)
    else:  # death
        pct_row = JKK_DEATH_PCT.at(accident_date)
        amount = pct_row.value * months.value * wage
        try:
            minimum = JKK_DEATH_MINIMUM.at(accident_date)
        except RuleError:
            minimum = None
        if minimum is not None and amount < minimum.value:
            q.lines.append(
                _line(
                    "death", "Death benefit (minimum)", "Santunan kematian (minimum)", minimum.value, minimum
                )
            )
        else:
            q.lines.append(
                _line(
                    "death",
                    f"Death benefit {pct_row.value * 100:.0f}% x {months.value} x wage",
                    f"Santunan kematian {pct_row.value * 100:.0f}% × {months.value} × upah",
                    amount,
                    pct_row,
                )
            )
        funeral = FUNERAL.at(accident_date)
        q.lines.append(_line("funeral", "Funeral cost", "Biaya pemakaman", funeral.value, funeral))
        _periodic(q, accident_date)
    return q


def _periodic(q: Quote, day: dt.date) -> None:
    monthly, months = JKM_PERIODIC_MONTHLY.at(day), PERIODIC_MONTHS.at(day)
    q.lines.append(
        _line(
            "periodic",
            f"Periodic benefit {months.value} x {monthly.value:,.0f} (paid at once)",
            f"Santunan berkala {months.value} × {_idn(monthly.value)} (dibayar sekaligus)",
            monthly.value * months.value,
            monthly,
        )
    )


# ---------------------------------------------------------------- JHT
def quote_jht(
    *,
    reason: str,
    balance: Decimal,
    claim_date: dt.date,
    event_date: dt.date | None = None,
    birth_date: dt.date | None = None,
    membership_months: int = 0,
    partial_purpose: str = "",
    previous_partial: bool = False,
) -> Quote:
    """JHT: the whole balance (contributions + returns) on a full-payout reason; or one partial withdrawal."""
    balance = _positive(balance, "balance")
    q = Quote("JHT", claim_date)
    event_date = event_date or claim_date
    if reason == "partial":
        min_row = JHT_PARTIAL_MIN_MONTHS.at(claim_date)
        pct_row = JHT_PARTIAL_PCT.at(claim_date)
        if partial_purpose not in pct_row.value:
            raise RuleError(
                "bad_purpose", "Choose housing or other.", "Pilih perumahan atau lainnya.", "partial_purpose"
            )
        q.conditions.append(
            Condition(
                "min_membership",
                "Membership of at least 10 years",
                "Kepesertaan minimal 10 tahun",
                membership_months >= min_row.value,
                f"{membership_months} months",
                f">= {min_row.value} months",
                min_row.legal_basis,
            )
        )
        q.conditions.append(
            Condition(
                "once",
                "No earlier partial withdrawal",
                "Belum pernah mengambil sebagian",
                not previous_partial,
                "earlier withdrawal" if previous_partial else "none",
                "none",
                pct_row.legal_basis,
            )
        )
        pct = pct_row.value[partial_purpose]
        q.lines.append(
            _line(
                "partial",
                f"Partial withdrawal {pct * 100:.0f}% ({partial_purpose})",
                f"Pengambilan sebagian {pct * 100:.0f}% ({'perumahan' if partial_purpose == 'housing' else 'lainnya'})",
                balance * pct,
                pct_row,
            )
        )
        return q
    if reason not in JHT_FULL_REASONS:
        raise RuleError(
            "bad_reason",
            "Unknown JHT reason {reason}.",
            "Alasan JHT {reason} tidak dikenal.",
            "reason",
            reason=reason,
        )
    basis = JHT_AGE.at(claim_date)
    if reason == "age":
        if birth_date is None:
            raise RuleError("missing", "Give the birth date.", "Isi tanggal lahir.", "birth_date")
        age = age_on(birth_date, claim_date)
        q.conditions.append(
            Condition(
                "age",
                "Payout age reached",
                "Usia pensiun tercapai",
                age >= basis.value,
                str(age),
                f">= {basis.value}",
                basis.legal_basis,
            )
        )
    elif reason in ("resignation", "dismissal"):
        wait = JHT_WAIT_MONTHS.at(claim_date)
        after = add_months(event_date, wait.value)
        q.conditions.append(
            Condition(
                "waiting_period",
                f"{wait.value}-month wait after leaving work",
                f"Masa tunggu {wait.value} bulan setelah berhenti bekerja",
                claim_date >= after,
                claim_date.isoformat(),
                f">= {after.isoformat()}",
                wait.legal_basis,
            )
        )
    q.lines.append(
        _line(
            "balance",
            "JHT balance (contributions + returns)",
            "Saldo JHT (iuran + hasil pengembangan)",
            balance,
            basis,
        )
    )
    return q


# ---------------------------------------------------------------- JP
def quote_jp(
    *,
    reason: str,
    claim_date: dt.date,
    contribution_months: int,
    average_monthly_wage: Decimal,
    balance: Decimal,
    birth_date: dt.date | None = None,
    membership_months: int | None = None,
    density: Decimal | None = None,
    survivor: str = "spouse",
) -> Quote:
    """JP: monthly pension after 180 months, otherwise the balance as a lump sum.

    reason "old_age" checks the pension age of the claim year; reason "death" pays survivors, computed as if
    15 years when membership >= 1 year and density >= 80% (Permenaker 29/2015 Art. 26)."""
    wage = _positive(average_monthly_wage, "average_monthly_wage")
    balance = _positive(balance, "balance")
    q = Quote("JP", claim_date)
    min_months = JP_MIN_MONTHS.at(claim_date)
    accrual = JP_ACCRUAL.at(claim_date)
    if reason == "old_age":
        if birth_date is None:
            raise RuleError("missing", "Give the birth date.", "Isi tanggal lahir.", "birth_date")
        age_req, age_basis = pension_age(claim_date.year)
        age = age_on(birth_date, claim_date)
        q.conditions.append(
            Condition(
                "pension_age",
                "Pension age reached",
                "Usia pensiun tercapai",
                age >= age_req,
                str(age),
                f">= {age_req} ({claim_date.year})",
                age_basis.legal_basis,
            )
        )
        months_for_formula = contribution_months
        monthly = contribution_months >= min_months.value
    elif reason == "death":
        as_if_min, as_if_density = JP_AS_IF.at(claim_date).value
        if contribution_months >= min_months.value:
            months_for_formula, monthly = contribution_months, True
        elif (membership_months or 0) >= as_if_min and (density or 0) >= as_if_density:
            months_for_formula, monthly = min_months.value, True
            q.note(
                f"computed as if {min_months.value} months (membership {membership_months} months, density {density})",
                f"dihitung seolah-olah {min_months.value} bulan (kepesertaan {membership_months} bulan, "
                f"densitas {density})",
            )
        else:
            months_for_formula, monthly = contribution_months, False
            q.note(
                "as-if-15-years rule not met (membership < 1 year or density < 80%): lump sum",
                "ketentuan seolah-olah 15 tahun tidak terpenuhi (kepesertaan < 1 tahun atau densitas < 80%): "
                "dibayar sekaligus",
            )
    else:
        raise RuleError(
            "bad_reason",
            "Unknown JP reason {reason}.",
            "Alasan JP {reason} tidak dikenal.",
            "reason",
            reason=reason,
        )
    if not monthly:
        q.lines.append(
            _line(
                "lump_sum",
                "Accumulated contributions + returns (lump sum)",
                "Akumulasi iuran + hasil pengembangan (sekaligus)",
                balance,
                min_months,
            )
        )
        return q
    exact = accrual.value * Decimal(months_for_formula) / 12 * wage
    min_row, max_row = JP_MIN_PENSION.at(claim_date), JP_MAX_PENSION.at(claim_date)
    clamped = min(max(exact, min_row.value), max_row.value)
    row = accrual if clamped == exact else (min_row if clamped == min_row.value else max_row)
    if reason == "death":
        share = JP_SURVIVOR_SHARE.at(claim_date)
        pct = share.value.get(survivor)
        if pct is None:
            raise RuleError(
                "bad_survivor",
                "Survivor must be spouse, child or parent.",
                "Penerima harus janda/duda, anak atau orang tua.",
                "survivor",
            )
        clamped = clamped * pct
        row = share
    q.monthly_amount = to_rupiah(clamped)
    q.lines.append(
        _line(
            "monthly_pension",
            f"Monthly pension: 1% x {months_for_formula}/12 x average wage",
            f"Manfaat pensiun bulanan: 1% × {months_for_formula}/12 × upah rata-rata",
            clamped,
            row,
            1,
        )
    )
    return q


# ---------------------------------------------------------------- JKP
def quote_jkp(
    *,
    wage: Decimal,
    phk_date: dt.date,
    claim_date: dt.date,
    paid_months_last_24: int,
    consecutive_months_before_phk: int,
    reason: str = "dismissal",
    employer_enrolled_fitting: bool = True,
) -> Quote:
    """JKP cash: tranches of the capped wage (PP 6/2025: 60% for 6 months), eligibility and claim window."""
    wage = _positive(wage, "wage")
    q = Quote("JKP", claim_date)
    need, within, consecutive = JKP_ELIGIBILITY.at(phk_date).value
    elig_row = JKP_ELIGIBILITY.at(phk_date)
    window = JKP_CLAIM_WINDOW_MONTHS.at(phk_date)
    deadline = add_months(phk_date, window.value)
    q.conditions += [
        Condition(
            "dismissal",
            "Job lost through dismissal (PHK), not resignation",
            "Kehilangan pekerjaan karena PHK, bukan mengundurkan diri",
            reason == "dismissal",
            reason,
            "dismissal",
            elig_row.legal_basis,
            "U",
        ),
        Condition(
            "employer_enrolled",
            "Employer enrolled in the programmes for its size",
            "Pemberi kerja mendaftarkan program sesuai skala usaha",
            bool(employer_enrolled_fitting),
            "yes" if employer_enrolled_fitting else "no",
            "yes",
            elig_row.legal_basis,
        ),
        Condition(
            "contribution_months",
            f"{need} months of contributions within {within}",
            f"{need} bulan iuran dalam {within} bulan",
            paid_months_last_24 >= need,
            str(paid_months_last_24),
            f">= {need}",
            elig_row.legal_basis,
        ),
        Condition(
            "consecutive",
            f"{consecutive} consecutive months before the PHK",
            f"{consecutive} bulan berturut-turut sebelum PHK",
            consecutive_months_before_phk >= consecutive,
            str(consecutive_months_before_phk),
            f">= {consecutive}",
            elig_row.legal_basis,
        ),
        Condition(
            "claim_window",
            f"Claimed within {window.value} months of the PHK",
            f"Diajukan dalam {window.value} bulan sejak PHK",
            phk_date <= claim_date <= deadline,
            claim_date.isoformat(),
            f"{phk_date.isoformat()} .. {deadline.isoformat()}",
            window.legal_basis,
        ),
    ]
    cap = JKP_WAGE_CAP.at(phk_date)
    basis_wage = min(wage, cap.value)
    cash = JKP_CASH.at(phk_date)
    if wage > cap.value:
        q.note(f"wage capped at {cap.value:,.0f}", f"upah dibatasi {_idn(cap.value)}")
    for n, rate in cash.value:
        q.lines.append(
            _line(
                f"cash_{rate}",
                f"{n} months x {rate * 100:.0f}% of {basis_wage:,.0f}",
                f"{n} bulan × {rate * 100:.0f}% dari {_idn(basis_wage)}",
                basis_wage * rate * n,
                cash,
                n,
            )
        )
    return q
