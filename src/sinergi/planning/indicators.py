"""The indicator registry: one definition per indicator, computed from live data, never typed in.

An indicator counts something year-to-date: `cells(start, end)` returns its value from `start`
(1 January) to `end` inclusive, per cell (region code cut to district level, union body), set-based.
Flows (cards issued, packages handed out) count events dated in the window; stocks (participants
covered, the coverage gap) count the state on `end`. Targets are compared with these year-to-date values.

Other apps contribute indicators by defining `INDICATORS = [Indicator(...), ...]` in
`sinergi/<app>/indicators.py`; the registry collects them from every app in `sinergi.DOMAIN_APPS`
(e-order adds its income this way). The built-in definitions over registry, coverage, programs,
claims, aspirations and meetings live here because those apps predate the registry.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from sinergi import DOMAIN_APPS
from sinergi.aspirations.models import Aspiration
from sinergi.claims.models import Payment as ClaimPayment
from sinergi.coverage.facts import in_force_q
from sinergi.coverage.models import Bill, Contribution, Participation
from sinergi.coverage.models import Payment as CoveragePayment
from sinergi.meetings.models import Meeting
from sinergi.programs.models import Card, Enrolment, Handover
from sinergi.registry.models import Person
from sinergi.unions.models import Membership

CELL_REGION_LENGTH = 6  # district level (Kemendagri kecamatan code)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # gettext_lazy
    unit: str  # "people", "units", "rupiah", "days", "meetings", "percent"
    definition: str  # gettext_lazy: what it counts, as of which date, from which tables
    cells: Callable[[dt.date, dt.date], Iterable[dict]]
    # "sum": the figure is the sum of values; "mean": sum of values ÷ sum of people (e.g. average
    # days to pay); "share": the same as a percentage (e.g. answered within the deadline).
    aggregate: str = "sum"
    stock: bool = False  # True: the state on the end date; False: events from 1 January to the end date
    people_based: bool = True  # False: cells are not people (meetings), never suppressed
    order: int = 100


def _cell(row, value="n", people="n") -> dict:
    return {
        "region_code": (row.get("cell_region") or "")[:CELL_REGION_LENGTH],
        "union_body_id": row.get("cell_body"),
        "value": Decimal(row.get(value) or 0),
        "people": int(row.get(people) or 0),
    }


def _member_body(person_field: str = "pk"):
    """The union body of a person's earliest active membership (one body per person, so counts add up)."""
    return Subquery(
        Membership.objects.filter(person=OuterRef(person_field), status="active")
        .order_by("id")
        .values("body_id")[:1]
    )


# --- built-in definitions --------------------------------------------------------------------------


def cards_issued(start, end):
    rows = (
        Card.objects.filter(issued_on__range=(start, end), replaces__isnull=True)
        .values(
            cell_region=Substr("person__domicile_region_id", 1, CELL_REGION_LENGTH),
            cell_body=F("union_body_id"),
        )
        .annotate(n=Count("id"))
    )
    return [_cell(r) for r in rows]


def cards_handed_over(start, end):
    rows = (
        Card.objects.filter(handed_over_on__range=(start, end))
        .values(
            cell_region=Substr("person__domicile_region_id", 1, CELL_REGION_LENGTH),
            cell_body=F("union_body_id"),
        )
        .annotate(n=Count("id"))
    )
    return [_cell(r) for r in rows]


def _participants(start, end, **filters):
    rows = (
        Participation.objects.filter(in_force_q(end), **filters)
        .values(
            cell_region=Substr("person__domicile_region_id", 1, CELL_REGION_LENGTH),
            cell_body=_member_body("person_id"),
        )
        .annotate(n=Count("person_id", distinct=True))
    )
    return [_cell(r) for r in rows]


def participants_all(start, end):
    return _participants(start, end)


def participants_sponsored(start, end):
    return _participants(start, end, payer_kind="sponsor")


def participants_bpu(start, end):
    return _participants(start, end, segment="BPU")


def participants_pu(start, end):
    return _participants(start, end, segment="PU")


def _largest_remainder(amount: int, weights: list[tuple[object, int]]) -> dict:
    """`amount` (whole rupiah) shared in proportion to the weights, in whole rupiah: each share is
    floor(amount × weight ÷ Σweights), and the rupiah left over go one each to the largest remainders
    (ties: the order given). The shares always add up to `amount`; when `amount` = Σweights each share
    equals its weight."""
    total = sum(w for _k, w in weights)
    if total <= 0 or amount <= 0:
        return {k: 0 for k, _w in weights}
    shares, remainders = {}, []
    for index, (key, weight) in enumerate(weights):
        share, rest = divmod(amount * weight, total)
        shares[key] = share
        remainders.append((-rest, index, key))
    for _rest, _index, key in sorted(remainders)[: amount - sum(shares.values())]:
        shares[key] += 1
    return shares


def premiums_paid_sponsor(start, end):
    """Premiums paid by sponsored scheme, and by region (the participant's district) within it.

    The money is what sponsors paid (coverage.Payment on sponsor bills, dated from `start` to `end`). A
    sponsor's bill holds the contributions of all its participations, possibly of several schemes, so a
    bill's payments are shared among its (scheme, district) cells in proportion to their contributions:
    the bill's cumulative payments up to `end` and up to the day before `start` are each shared by the
    largest-remainder rule in whole rupiah, and a cell's premiums for the window are the difference. A
    fully paid bill therefore gives each scheme exactly its contributions, and the cells add up to the
    payments to the rupiah. A bill without contribution rows counts in the bill's region, no scheme."""
    paid_in_window = CoveragePayment.objects.filter(
        paid_on__range=(start, end), bill__payer_kind="sponsor"
    ).values_list("bill_id", flat=True)
    bills = {
        b["pk"]: b
        for b in Bill.objects.filter(pk__in=paid_in_window).values("pk", "region_id", "participations")
    }
    if not bills:
        return []
    before, upto = defaultdict(int), defaultdict(int)
    for bill_id, paid_on, amount in CoveragePayment.objects.filter(
        bill_id__in=bills, paid_on__lte=end
    ).values_list("bill_id", "paid_on", "amount"):
        upto[bill_id] += int(amount)
        if paid_on < start:
            before[bill_id] += int(amount)
    parts = defaultdict(list)  # bill -> [((scheme, district), contributions, people)]
    rows = (
        Contribution.objects.filter(bill_id__in=bills)
        .values(
            "bill_id",
            scheme_id=F("participation__scheme_id"),
            cell_region=Substr("participation__person__domicile_region_id", 1, CELL_REGION_LENGTH),
        )
        .annotate(total=Sum("total"), n=Count("participation_id", distinct=True))
        .order_by("bill_id", "scheme_id", "cell_region")
    )
    for r in rows:
        parts[r["bill_id"]].append(((r["scheme_id"], r["cell_region"] or ""), int(r["total"] or 0), r["n"]))
    cells = defaultdict(lambda: [0, 0])
    for bill_id, bill in bills.items():
        lines = parts.get(bill_id) or [
            ((None, bill["region_id"][:CELL_REGION_LENGTH]), 1, bill["participations"])
        ]
        weights = [(key, total) for key, total, _n in lines]
        now = _largest_remainder(upto[bill_id], weights)
        earlier = _largest_remainder(before[bill_id], weights)
        for key, _total, people in lines:
            cells[key][0] += now[key] - earlier[key]
            cells[key][1] += people
    return [
        {
            "region_code": region,
            "union_body_id": None,
            "scheme_id": scheme_id,
            "value": Decimal(value),
            "people": people,
        }
        for (scheme_id, region), (value, people) in sorted(
            cells.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])
        )
    ]


def packages_handed_out(start, end):
    rows = (
        Handover.objects.filter(handed_at__date__range=(start, end))
        .values(
            cell_region=Substr("person__domicile_region_id", 1, CELL_REGION_LENGTH),
            cell_body=F("union_body_id"),
        )
        .annotate(n=Count("id"))
    )
    return [_cell(r) for r in rows]


def trainees(start, end):
    rows = (
        Enrolment.objects.filter(cohort__start_date__range=(start, end))
        .exclude(status="dropped")
        .values(cell_region=Substr("cohort__region_id", 1, CELL_REGION_LENGTH), cell_body=F("union_body_id"))
        .annotate(n=Count("id"))
    )
    return [_cell(r) for r in rows]


def graduates(start, end):
    rows = (
        Enrolment.objects.filter(status="completed", completed_on__range=(start, end))
        .values(cell_region=Substr("cohort__region_id", 1, CELL_REGION_LENGTH), cell_body=F("union_body_id"))
        .annotate(n=Count("id"))
    )
    return [_cell(r) for r in rows]


def claims_paid(start, end):

    rows = (
        ClaimPayment.objects.filter(paid_on__range=(start, end))
        .values(cell_region=Substr("claim__case__region_id", 1, CELL_REGION_LENGTH))
        .annotate(n=Count("id"))
    )
    return [_cell(r) for r in rows]


def claims_amount_paid(start, end):

    rows = (
        ClaimPayment.objects.filter(paid_on__range=(start, end))
        .values(cell_region=Substr("claim__case__region_id", 1, CELL_REGION_LENGTH))
        .annotate(total=Sum("amount"), n=Count("id"))
    )
    return [_cell(r, value="total") for r in rows]


def claims_days_to_pay(start, end):
    """Sum of calendar days from the day a claim's documents were complete (else the day it was filed)
    to the day it was paid; the figure is that sum ÷ the claims paid. Claims are few (thousands), so the
    day arithmetic runs here rather than in backend-specific SQL."""
    sums: dict[str, list[int]] = {}
    rows = ClaimPayment.objects.filter(paid_on__range=(start, end)).values_list(
        "claim__case__region_id", "paid_on", "claim__documents_complete_on", "claim__created_at"
    )
    for region, paid_on, complete_on, created_at in rows.iterator(chunk_size=2000):
        began = complete_on or created_at.date()
        cell = sums.setdefault((region or "")[:CELL_REGION_LENGTH], [0, 0])
        cell[0] += max((paid_on - began).days, 0)
        cell[1] += 1
    return [
        {"region_code": r, "union_body_id": None, "value": Decimal(v[0]), "people": v[1]}
        for r, v in sums.items()
    ]


def aspirations_answered_in_time(start, end):
    """Aspirations whose answer deadline fell in the window: value = answered on or before the deadline,
    people = all of them; the figure is the share answered in time."""
    from django.db.models.functions import TruncDate

    rows = (
        Aspiration.objects.filter(answer_due__range=(start, end))
        .annotate(answered_on=TruncDate("answered_at"))
        .values(cell_region=Substr("region_id", 1, CELL_REGION_LENGTH), cell_body=F("union_body_id"))
        .annotate(n=Count("id"), ok=Count("id", filter=Q(answered_on__lte=F("answer_due"))))
    )
    return [_cell(r, value="ok") for r in rows]


def dialogues_held(start, end):
    rows = (
        Meeting.objects.filter(status="held", starts_at__date__range=(start, end))
        .values(cell_region=Substr("region_id", 1, CELL_REGION_LENGTH))
        .annotate(n=Count("id"))
    )
    return [_cell(r) for r in rows]


def coverage_gap(start, end):
    """Living registry workers (formal or informal) and union members with no participation in force on
    the end date. Same rule as the coverage app's gap list (coverage.selectors.gap_people), unscoped."""
    covered = Participation.objects.filter(in_force_q(end), person=OuterRef("pk"))
    member = Membership.objects.filter(person=OuterRef("pk"), status="active")
    rows = (
        Person.objects.filter(is_deceased=False, merged_into__isnull=True)
        .filter(Q(employment_type__in=["formal", "informal"]) | Exists(member))
        .filter(~Exists(covered))
        .values(cell_region=Substr("domicile_region_id", 1, CELL_REGION_LENGTH), cell_body=_member_body())
        .annotate(n=Count("id"))
    )
    return [_cell(r) for r in rows]


BUILTIN = [
    Indicator(
        "cards.issued",
        _("Worker cards issued"),
        "units",
        _(
            "Worker cards (programs.Card) issued from 1 January to the date, first issues only (replacement "
            "cards not counted), by the holder's domicile and the card's union body."
        ),
        cards_issued,
        order=10,
    ),
    Indicator(
        "cards.handed_over",
        _("Worker cards handed over"),
        "units",
        _("Worker cards (programs.Card) with a hand-over date from 1 January to the date."),
        cards_handed_over,
        order=11,
    ),
    Indicator(
        "coverage.participants",
        _("Participants covered"),
        "people",
        _(
            "People with a BPJS Ketenagakerjaan participation (coverage.Participation) in force on the date "
            "(active or in arrears, started, not ended), any segment and payer, by domicile."
        ),
        participants_all,
        stock=True,
        order=20,
    ),
    Indicator(
        "coverage.participants_pu",
        _("Participants covered: wage earners (PU)"),
        "people",
        _("As 'participants covered', segment PU only."),
        participants_pu,
        stock=True,
        order=21,
    ),
    Indicator(
        "coverage.participants_bpu",
        _("Participants covered: non-wage earners (BPU)"),
        "people",
        _("As 'participants covered', segment BPU only."),
        participants_bpu,
        stock=True,
        order=22,
    ),
    Indicator(
        "coverage.sponsored",
        _("Participants covered by sponsored schemes"),
        "people",
        _("As 'participants covered', paid by a sponsor (city budget or CSR scheme) only."),
        participants_sponsored,
        stock=True,
        order=23,
    ),
    Indicator(
        "coverage.premiums_paid",
        _("Premiums paid by sponsored scheme"),
        "rupiah",
        _(
            "Payments (coverage.Payment) on sponsor bills with a payment date from 1 January to the date, in "
            "whole rupiah, by sponsored scheme and, within it, by the participant's district: a bill's "
            "payments are shared among its schemes and districts in proportion to their contributions "
            "(coverage.Contribution), rupiah by rupiah (largest remainder), so a fully paid bill gives each "
            "scheme exactly its contributions; people = participants on those bills."
        ),
        premiums_paid_sponsor,
        order=24,
    ),
    Indicator(
        "coverage.gap",
        _("Coverage gap"),
        "people",
        _(
            "Living registry workers (formal or informal) and active union members with no participation in "
            "force on the date, by domicile and union body."
        ),
        coverage_gap,
        stock=True,
        order=25,
    ),
    Indicator(
        "programs.packages",
        _("Aid packages handed out"),
        "units",
        _("Aid hand-overs (programs.Handover) from 1 January to the date, one package each."),
        packages_handed_out,
        order=30,
    ),
    Indicator(
        "programs.trainees",
        _("Trainees"),
        "people",
        _(
            "Enrolments (programs.Enrolment) in training cohorts that started from 1 January to the date, "
            "dropped-out enrolments excluded, by the cohort's region."
        ),
        trainees,
        order=31,
    ),
    Indicator(
        "programs.graduates",
        _("Training graduates"),
        "people",
        _("Enrolments completed (completion date from 1 January to the date), by the cohort's region."),
        graduates,
        order=32,
    ),
    Indicator(
        "claims.paid",
        _("Claims paid"),
        "units",
        _("Benefit claim payments (claims.Payment) dated from 1 January to the date, by the case's region."),
        claims_paid,
        order=40,
    ),
    Indicator(
        "claims.amount_paid",
        _("Benefits paid"),
        "rupiah",
        _("The amounts of those payments, in whole rupiah."),
        claims_amount_paid,
        order=41,
    ),
    Indicator(
        "claims.days_to_pay",
        _("Average days to pay a claim"),
        "days",
        _(
            "For claims paid from 1 January to the date: calendar days from the day the documents were "
            "complete (else the day the claim was filed) to the payment date, averaged."
        ),
        claims_days_to_pay,
        aggregate="mean",
        order=42,
    ),
    Indicator(
        "aspirations.answered_in_time",
        _("Aspirations answered within the deadline"),
        "percent",
        _(
            "Of the aspirations whose answer deadline fell from 1 January to the date, the share answered "
            "on or before the deadline, by the aspiration's region and union body."
        ),
        aspirations_answered_in_time,
        aggregate="share",
        order=50,
    ),
    Indicator(
        "meetings.dialogues",
        _("Dialogues held"),
        "meetings",
        _("Meetings (meetings.Meeting) marked held that started from 1 January to the date, by region."),
        dialogues_held,
        people_based=False,
        order=51,
    ),
]


@lru_cache(maxsize=1)
def registry() -> dict[str, Indicator]:
    found = {i.key: i for i in BUILTIN}
    for app in DOMAIN_APPS:
        module_name = f"{app}.indicators"
        if app == "sinergi.planning" or importlib.util.find_spec(module_name) is None:
            continue
        for indicator in getattr(importlib.import_module(module_name), "INDICATORS", []):
            if indicator.key in found:
                raise ValueError(f"Indicator {indicator.key!r} is defined twice")
            found[indicator.key] = indicator
    return dict(sorted(found.items(), key=lambda kv: (kv[1].order, kv[0])))


def get(key: str) -> Indicator | None:
    return registry().get(key)


def choices() -> list[tuple[str, str]]:
    return [(k, i.label) for k, i in registry().items()]


def figure_of(indicator: Indicator, value, people):
    """The number a person reads: a sum, an average, or a percentage (one decimal, half-up)."""
    value = Decimal(value or 0)
    if indicator.aggregate == "sum":
        return value
    if not people:
        return None
    ratio = value / Decimal(people)
    if indicator.aggregate == "share":
        ratio *= 100
    return ratio.quantize(Decimal("0.1"))
