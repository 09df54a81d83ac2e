"""Coverage facts (cross-team contract 2): what claims and programs need to know about a person's
BPJS Ketenagakerjaan coverage on a date, computed set-based for many people at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum

from sinergi.coverage.models import Contribution, Participation, WageReport

# Order of preference when a person has several participations in force on the same date.
_SEGMENT_ORDER = {"PU": 0, "PMI": 1, "BPU": 2}
# An ended participation covered its period (start to end date), so it counts for dates inside it;
# a lapsed one does not (coverage stopped for unpaid contributions); a pending one has not started.
IN_FORCE_STATUSES = ("active", "arrears", "ended")


@dataclass(frozen=True)
class CoverageFacts:
    active: bool
    segment: str
    programmes: frozenset[str]
    contribution_months: int
    first_enrolled: dt.date | None
    last_wage: Decimal | None
    participant_number: str


NO_COVERAGE = CoverageFacts(
    active=False,
    segment="",
    programmes=frozenset(),
    contribution_months=0,
    first_enrolled=None,
    last_wage=None,
    participant_number="",
)


def _chunks(ids, size=900):
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def coverage_facts_bulk(*, person_ids, on: dt.date) -> dict[int, CoverageFacts]:
    """Facts for every id in `person_ids` on date `on`, in a fixed number of queries per 900 people.

    active: a participation active, in arrears, or ended after `on`, whose period covers `on`.
    contribution_months: months before the Sinergi record (per participation started by `on`) plus
    distinct months up to `on` whose contribution is paid.
    """
    result: dict[int, CoverageFacts] = {}
    for chunk in _chunks(set(int(i) for i in person_ids)):
        started = Participation.objects.filter(person_id__in=chunk, start_date__lte=on)
        rows = list(
            started.values(
                "id",
                "person_id",
                "segment",
                "jkk",
                "jkm",
                "jht",
                "jp",
                "status",
                "start_date",
                "end_date",
                "participant_number",
            )
        )
        first = dict(started.values("person_id").annotate(m=Min("start_date")).values_list("person_id", "m"))
        prior = dict(
            started.values("person_id")
            .annotate(s=Sum("prior_contribution_months"))
            .values_list("person_id", "s")
        )
        month_limit = on.replace(day=1)
        paid = dict(
            Contribution.objects.filter(participation__person_id__in=chunk, paid=True, month__lte=month_limit)
            .values("participation__person_id")
            .annotate(n=Count("month", distinct=True))
            .values_list("participation__person_id", "n")
        )
        wages: dict[int, tuple[dt.date, Decimal]] = {}
        for pid, valid_from, amount in WageReport.objects.filter(
            participation__person_id__in=chunk, valid_from__lte=on
        ).values_list("participation__person_id", "valid_from", "amount"):
            if pid not in wages or valid_from >= wages[pid][0]:
                wages[pid] = (valid_from, amount)

        by_person = defaultdict(list)
        for r in rows:
            by_person[r["person_id"]].append(r)
        for pid in chunk:
            parts = by_person.get(pid, [])
            in_force = [
                r
                for r in parts
                if r["status"] in IN_FORCE_STATUSES and (r["end_date"] is None or r["end_date"] >= on)
            ]
            in_force.sort(key=lambda r: (_SEGMENT_ORDER.get(r["segment"], 9), -r["start_date"].toordinal()))
            programmes = set()
            for r in in_force:
                for prog in ("jkk", "jkm", "jht", "jp"):
                    if r[prog]:
                        programmes.add(prog.upper())
            latest = max(parts, key=lambda r: (r["start_date"], r["id"])) if parts else None
            main = in_force[0] if in_force else latest
            result[pid] = CoverageFacts(
                active=bool(in_force),
                segment=in_force[0]["segment"] if in_force else "",
                programmes=frozenset(programmes),
                contribution_months=int(prior.get(pid) or 0) + int(paid.get(pid) or 0),
                first_enrolled=first.get(pid),
                last_wage=wages[pid][1] if pid in wages else None,
                participant_number=(main or {}).get("participant_number", "") if main else "",
            )
    return result


def coverage_facts(*, person, on: dt.date) -> CoverageFacts:
    pid = person if isinstance(person, int) else person.pk
    return coverage_facts_bulk(person_ids=[pid], on=on).get(pid, NO_COVERAGE)


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Q for participations in force on `on` (prefix e.g. "participations__")."""
    return Q(
        **{
            f"{prefix}status__in": IN_FORCE_STATUSES,
            f"{prefix}start_date__lte": on,
        }
    ) & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on}))
