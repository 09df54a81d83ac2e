"""Reads for programs, always scoped (`user_scope`).

Programs, distributions, cohorts and cooperatives are visible when their region overlaps the user's
(a province program is visible to a city office inside it). Personal rows (applications, cards,
hand-overs, enrolments, cooperative members) follow the person: a union official sees those of their
body and below; an agency or branch those of people domiciled in its region or of programs it runs;
a sponsor none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import user_scope
from sinergi.core.errors import NotFound
from sinergi.programs import eligibility
from sinergi.programs.models import (
    Application,
    ApplicationDocument,
    Card,
    Cohort,
    Cooperative,
    CoopMember,
    Course,
    Distribution,
    Enrolment,
    Handover,
    Program,
    SavingsEntry,
)
from sinergi.registry.models import Person
from sinergi.unions.models import Membership, UnionBody

if TYPE_CHECKING:
    from sinergi.accounts.models import User

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def person_scope_q(user: User) -> Q:
    """People the user may act for: a union official's active members; an office's residents."""
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    if scope.is_union:
        members = Membership.objects.filter(body_id__in=scope.union_body_ids or [], status="active")
        return Q(pk__in=members.values("person_id"))
    if scope.is_sponsor:
        return Q(pk__in=[])
    return scope.region_q("domicile_region__code")


def _region_overlap_q(user: User, field: str) -> Q:
    """Rows whose region is inside the user's regions, or an ancestor of one of them."""
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    prefixes = list(scope.region_prefixes)
    if scope.is_union:
        prefixes = list(
            UnionBody.objects.filter(pk__in=scope.union_body_ids or [])
            .values_list("region_id", flat=True)
            .distinct()
        )
    if not prefixes:
        return Q(pk__in=[])
    q = Q()
    for p in prefixes:
        ancestors = [p[:n] for n in (2, 4, 6) if n <= len(p)]
        q |= Q(**{f"{field}__startswith": p}) | Q(**{f"{field}__in": ancestors})
    return q


def _personal_q(user: User, *, person: str, body: str, program_region: str | None) -> Q:
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    if scope.is_union:
        return scope.union_q(body)
    if scope.is_sponsor:
        return Q(pk__in=[])
    q = scope.region_q(f"{person}__domicile_region__code")
    if program_region:
        q |= scope.region_q(program_region)
    return q


# ---------------------------------------------------------------- programs


def program_list(*, user: User, kind: str | None = None):
    qs = Program.objects.filter(_region_overlap_q(user, "region__code")).select_related("owner", "region")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def program_get(*, user: User, pk) -> Program:
    program = program_list(user=user).filter(pk=pk).first()
    if program is None:
        raise NotFound(_("Program not found, or outside your scope."))
    return program


def realisation(*, program: Program, year: int | None = None) -> dict:
    """Target against realisation from live data: cards issued (worker card), trainees who completed a
    course (training: completions within the program's period; those before 1 January of the program
    year count in its first quarter), approved applications (other kinds), by quarter of the program year."""
    year = year or program.year
    targets = {t.quarter: t.amount for t in program.targets.filter(year=year)}
    rows: Iterable[tuple[int, int]]  # (month, count)
    if program.kind == Program.Kind.TRAINING:
        first_day = dt.date(year, 1, 1)
        completed = Enrolment.objects.filter(
            cohort__course__program=program,
            status=Enrolment.Status.COMPLETED,
            completed_on__gte=min(program.start_date, first_day),
            completed_on__lte=max(program.end_date, dt.date(year, 12, 31)),
            completed_on__year__lte=year,
        )
        carried = completed.filter(completed_on__lt=first_day).count()
        rows = [(1, carried)] + list(
            completed.filter(completed_on__gte=first_day)
            .values_list("completed_on__month")
            .annotate(n=Count("id"))
        )
    elif program.kind == Program.Kind.WORKER_CARD:
        rows = (
            Card.objects.filter(program=program, issued_on__year=year, replaces__isnull=True)
            .values_list("issued_on__month")
            .annotate(n=Count("id"))
        )
    else:
        rows = (
            Application.objects.filter(program=program, status="approved", decided_at__year=year)
            .values_list("decided_at__month")
            .annotate(n=Count("id"))
        )
    by_quarter: defaultdict[int, int] = defaultdict(int)
    for month, n in rows:
        by_quarter[(month - 1) // 3 + 1] += n
    quarters = [
        {"quarter": q, "target": targets.get(q), "realised": by_quarter.get(q, 0)} for q in (1, 2, 3, 4)
    ]
    total = sum(by_quarter.values())
    annual = targets.get(None)
    return {
        "year": year,
        "annual_target": annual,
        "realised": total,
        "percent": (Decimal(total) * 100 / annual).quantize(Decimal("0.1")) if annual else None,
        "quarters": quarters,
    }


def status_counts(*, user: User, program: Program) -> dict:
    qs = application_list(user=user).filter(program=program)
    counts = dict(qs.values_list("status").annotate(n=Count("id")))
    return {s: counts.get(s, 0) for s in Application.Status.values}


# ---------------------------------------------------------------- applications and cards


def application_list(*, user: User, filters=None):
    qs = Application.objects.filter(
        _personal_q(user, person="person", body="union_body_id", program_region="program__region__code")
    ).select_related("person", "program", "union_body")
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("program"):
        qs = qs.filter(program_id=filters["program"])
    return qs


def application_get(*, user: User, pk) -> Application:
    app = application_list(user=user).filter(pk=pk).first()
    if app is None:
        raise NotFound(_("Application not found, or outside your scope."))
    return app


def card_list(*, user: User, filters=None):
    qs = Card.objects.filter(
        _personal_q(user, person="person", body="union_body_id", program_region="program__region__code")
    ).select_related("person", "program")
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("program"):
        qs = qs.filter(program_id=filters["program"])
    if filters.get("q"):
        q = str(filters["q"]).strip()
        qs = qs.filter(Q(number__iexact=q) | Q(person__nik=q) | Q(person__name__icontains=q))
    return qs


def card_get(*, user: User, pk) -> Card:
    card = card_list(user=user).filter(pk=pk).first()
    if card is None:
        raise NotFound(_("Card not found, or outside your scope."))
    return card


class CardPrintRow(TypedDict):
    number: str
    issued_on: dt.date
    person__name: str
    person__nik: str
    program__name: str
    program__year: int


def card_print_rows(card_ids) -> list[CardPrintRow]:
    """Plain data for printing (no model objects cross into the renderer processes)."""
    return list(
        Card.objects.filter(pk__in=list(card_ids))
        .order_by("number")
        .values("number", "issued_on", "person__name", "person__nik", "program__name", "program__year")
    )


# ---------------------------------------------------------------- distributions


def distribution_list(*, user: User):
    scope = user_scope(user)
    q = _region_overlap_q(user, "region__code")
    if scope.is_union:
        q |= Q(allocations__union_body_id__in=scope.union_body_ids or [])
    return Distribution.objects.filter(q).distinct().select_related("organisation", "region")


def distribution_get(*, user: User, pk) -> Distribution:
    dist = distribution_list(user=user).filter(pk=pk).first()
    if dist is None:
        raise NotFound(_("Distribution not found, or outside your scope."))
    return dist


def handover_list(*, user: User, distribution=None):
    scope = user_scope(user)
    if scope.is_global:
        q = Q()
    elif scope.is_union:
        q = scope.union_q("union_body_id")
    elif scope.is_sponsor:
        q = Q(pk__in=[])
    else:
        q = scope.region_q("distribution__region__code") | scope.region_q("person__domicile_region__code")
    qs = Handover.objects.filter(q).select_related("person", "handed_by", "distribution")
    if distribution is not None:
        qs = qs.filter(distribution=distribution)
    return qs


def reconciliation(*, distribution: Distribution) -> dict:
    """Stock in = handed over + returned + remaining, and hand-overs against each allocation."""
    handed = distribution.handovers.count()
    by_body = dict(distribution.handovers.values_list("union_body_id").annotate(n=Count("id")))
    allocations = [
        {
            "body": a.union_body,
            "weight": a.weight,
            "quota": a.quota,
            "handed_over": by_body.get(a.union_body_id, 0),
        }
        for a in distribution.allocations.select_related("union_body")
    ]
    remaining = distribution.stock_received - distribution.stock_returned - handed
    return {
        "received": distribution.stock_received,
        "allocated": sum(a["quota"] for a in allocations),
        "handed_over": handed,
        "returned": distribution.stock_returned,
        "remaining": remaining,
        "balanced": distribution.stock_received == handed + distribution.stock_returned + remaining
        and remaining >= 0,
        "unallocated_handovers": by_body.get(None, 0),
        "allocations": allocations,
    }


# ---------------------------------------------------------------- training


def cohort_list(*, user: User):
    return (
        Cohort.objects.filter(_region_overlap_q(user, "region__code"))
        .select_related("course")
        .annotate(enrolled=Count("enrolments"))
    )


def cohort_get(*, user: User, pk) -> Cohort:
    cohort = cohort_list(user=user).filter(pk=pk).first()
    if cohort is None:
        raise NotFound(_("Cohort not found, or outside your scope."))
    return cohort


def enrolment_list(*, user: User, cohort=None):
    qs = Enrolment.objects.filter(
        _personal_q(user, person="person", body="union_body_id", program_region="cohort__region__code")
    ).select_related("person", "cohort__course")
    if cohort is not None:
        qs = qs.filter(cohort=cohort)
    return qs


def enrolment_get(*, user: User, pk) -> Enrolment:
    enr = enrolment_list(user=user).filter(pk=pk).first()
    if enr is None:
        raise NotFound(_("Enrolment not found, or outside your scope."))
    return enr


# ---------------------------------------------------------------- cooperative


def cooperative_list(*, user: User):
    scope = user_scope(user)
    q = _region_overlap_q(user, "region__code")
    if scope.is_union:
        q = Q(union_body_id__in=scope.union_body_ids or []) | Q(organisation_id=scope.organisation_id)
    return Cooperative.objects.filter(q).annotate(member_total=Count("members", distinct=True))


def cooperative_get(*, user: User, pk) -> Cooperative:
    coop = cooperative_list(user=user).filter(pk=pk).first()
    if coop is None:
        raise NotFound(_("Cooperative not found, or outside your scope."))
    return coop


def coop_member_list(*, user: User, cooperative=None):
    scope = user_scope(user)
    if (
        scope.is_union
        and scope.organisation_id
        and Cooperative.objects.filter(organisation_id=scope.organisation_id).exists()
    ):
        q = Q(cooperative__organisation_id=scope.organisation_id) | scope.union_q("union_body_id")
    else:
        q = _personal_q(
            user, person="person", body="union_body_id", program_region="cooperative__region__code"
        )
    qs = CoopMember.objects.filter(q).select_related("person", "cooperative", "union_body")
    if cooperative is not None:
        qs = qs.filter(cooperative=cooperative)
    return qs


def coop_member_get(*, user: User, pk) -> CoopMember:
    member = coop_member_list(user=user).filter(pk=pk).first()
    if member is None:
        raise NotFound(_("Member not found, or outside your scope."))
    return member


def savings_balances(member_ids) -> dict[int, dict[str, Decimal]]:
    """{member_id: {pokok, wajib, sukarela, total}} in one grouped query."""
    result: defaultdict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"pokok": Decimal(0), "wajib": Decimal(0), "sukarela": Decimal(0)}
    )
    for mid, kind, total in (
        SavingsEntry.objects.filter(member_id__in=list(member_ids))
        .values_list("member_id", "kind")
        .annotate(s=Sum("amount"))
    ):
        result[mid][kind] = total or Decimal(0)
    for v in result.values():
        v["total"] = v["pokok"] + v["wajib"] + v["sukarela"]
    return result


def cooperative_totals(*, cooperative: Cooperative) -> dict[str, Decimal]:
    rows = dict(
        SavingsEntry.objects.filter(member__cooperative=cooperative)
        .values_list("kind")
        .annotate(s=Sum("amount"))
    )
    totals = {k: rows.get(k) or Decimal(0) for k in ("pokok", "wajib", "sukarela")}
    totals["total"] = sum(totals.values())
    return totals


def statement(*, member: CoopMember) -> dict:
    """Ledger lines with a running balance per kind and the totals."""
    running = {"pokok": Decimal(0), "wajib": Decimal(0), "sukarela": Decimal(0)}
    lines = []
    for e in member.savings.order_by("entry_date", "id"):
        running[e.kind] += e.amount
        lines.append({"entry": e, "balance": running[e.kind], "total": sum(running.values())})
    return {"lines": lines, "balances": dict(running), "total": sum(running.values())}


def document_list(*, user: User):
    return ApplicationDocument.objects.filter(application__in=application_list(user=user).values("pk"))


def person_find(*, user: User, nik: str):
    """A person in the user's scope by exact NIK, or None."""
    nik = "".join(ch for ch in str(nik or "") if ch.isdigit())
    if len(nik) != 16:
        return None
    return Person.objects.filter(person_scope_q(user), nik=nik, merged_into__isnull=True).first()


def eligible_candidates(*, user: User, program: Program):
    """People in the user's scope who are eligible now and have no open application (one query)."""
    open_apps = Application.objects.filter(program=program).exclude(status="rejected").values("person_id")
    base = Person.objects.filter(person_scope_q(user)).exclude(pk__in=open_apps)
    return eligibility.eligible_people(program, base_qs=base).order_by("name", "pk")


def level_graduates(*, track: str, level: int):
    """Completed enrolments at one level of a training track (e.g. Jakpreneur level 2, e-order).

    Unscoped on purpose: other apps (eorder) ask "did this person graduate?" and scope by their own rules.
    """
    return Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED, cohort__course__track=track, cohort__course__level=level
    )


def course_list(*, user: User):
    """Courses of the training programs the user can see."""
    return (
        Course.objects.filter(program__in=program_list(user=user, kind=Program.Kind.TRAINING).values("pk"))
        .select_related("program")
        .order_by("program__name", "track", "level")
    )


def course_get(*, user: User, pk):
    course = course_list(user=user).filter(pk=pk).first()
    if course is None:
        raise NotFound(_("Course not found, or outside your scope."))
    return course


def eligible_count(*, user: User, program: Program) -> dict:
    """How many people in the user's scope meet `program`'s rules (saved or not): one counting query
    each, over the same SQL the nomination list and the verification use."""
    base = Person.objects.filter(person_scope_q(user)).filter(eligibility.BASE_Q)
    ctx = eligibility.program_context(program)
    return {
        "eligible": eligibility.eligible_people(program, base_qs=base, ctx=ctx).count(),
        "population": base.count(),
        "ctx": ctx,
    }


def cooperative_for_organisation(*, organisation_id):
    """The cooperative an organisation runs (a cooperative's own logins), or None."""
    if not organisation_id:
        return None
    return Cooperative.objects.filter(organisation_id=organisation_id).first()


def cooperative_figures(*, cooperative: Cooperative, on: dt.date) -> dict:
    """The cooperative's own figures for its home page: members, who joined this month, savings, and
    active members with no simpanan wajib entered for the month."""
    members = cooperative.members.all()
    active = members.filter(status=CoopMember.Status.ACTIVE)
    first = on.replace(day=1)
    paid = SavingsEntry.objects.filter(
        member__cooperative=cooperative, kind="wajib", amount__gt=0, entry_date__gte=first, entry_date__lte=on
    ).values("member_id")
    return {
        "active": active.count(),
        "joined_this_month": members.filter(joined_on__gte=first, joined_on__lte=on).count(),
        "totals": cooperative_totals(cooperative=cooperative),
        "wajib_unpaid": active.exclude(pk__in=paid).count(),
    }
