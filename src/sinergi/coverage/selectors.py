"""Coverage reads, every one scoped to the user: a sponsor sees only the people it pays for; a union
official sees their members' coverage status only (no wages, no bills); an agency or branch its
region; an administrator everything."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import can
from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.core.errors import NotAllowed, NotFound
from sinergi.coverage.facts import CoverageFacts, coverage_facts, coverage_facts_bulk, in_force_q  # noqa: F401
from sinergi.coverage.models import (
    Bill,
    BillingRun,
    Candidate,
    CandidateBatch,
    Participation,
    Payment,
    Scheme,
)
from sinergi.coverage.pricing import scheme_package
from sinergi.regions.models import Region
from sinergi.registry.models import Employment, Person
from sinergi.registry.selectors import person_scope_q
from sinergi.unions.models import Membership, UnionBody

if TYPE_CHECKING:
    from sinergi.accounts.models import User

if TYPE_CHECKING:
    from sinergi.accounts.models import Organisation, User


def _member_person_ids(scope):

    return Membership.objects.filter(body_id__in=scope.union_body_ids or [], status="active").values(
        "person_id"
    )


def participation_list(*, user: User, filters=None):
    scope = user_scope(user)
    qs = Participation.objects.select_related("person", "employer", "sponsor_organisation", "scheme")
    if not scope.is_global:
        if scope.is_sponsor:
            qs = qs.filter(sponsor_organisation_id=scope.sponsor_id)
        elif scope.is_union:
            qs = qs.filter(person_id__in=_member_person_ids(scope))
        else:
            qs = qs.filter(scope.region_q("region__code"))
    f = filters or {}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("segment"):
        qs = qs.filter(segment=f["segment"])
    if f.get("scheme"):
        qs = qs.filter(scheme_id=f["scheme"])
    if f.get("person"):
        qs = qs.filter(person_id=f["person"])
    text = str(f.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(participant_number=text) | Q(person__nik=text) | Q(person__name__icontains=text))
    return qs.order_by("person__name", "-start_date", "pk")


def participation_detail_qs(*, user: User):
    return participation_list(user=user)


# The bills' order, newest month first and within a month the latest bill first: every key descending,
# so a keyset page (core.paging) is one row-value seek `(month, id) < (…)` on PostgreSQL, served at any
# depth by the index coverage_bill_month_id scanned backwards, with or without the month filter.
BILL_SORT_KEYS = ("-month", "-pk")


def bill_list(*, user: User, filters=None):
    """Bills: sponsors see their own bills; unions see none; officers their region."""
    scope = user_scope(user)
    qs = Bill.objects.all()
    if not scope.is_global:
        if scope.is_sponsor:
            qs = qs.filter(payer_kind="sponsor", payer_id=scope.sponsor_id)  # type: ignore[misc]  # a sponsor scope names its sponsor
        elif scope.is_union:
            qs = qs.none()
        else:
            qs = qs.filter(scope.region_q("region__code"))
    f = filters or {}
    if f.get("month"):
        try:
            qs = qs.filter(month=dt.date.fromisoformat(str(f["month"])[:7] + "-01"))
        except ValueError:
            qs = qs.none()
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("payer_kind"):
        qs = qs.filter(payer_kind=f["payer_kind"])
    text = str(f.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(number__iexact=text) | Q(payer_name__icontains=text))
    return qs.order_by(*BILL_SORT_KEYS)


def payment_list(*, user: User, filters=None):
    return (
        Payment.objects.filter(bill__in=bill_list(user=user))
        .select_related("bill")
        .order_by("-paid_on", "-pk")
    )


def run_list(*, user: User):
    """Billing runs: a branch sees its own runs only; an administrator every run."""
    scope = user_scope(user)
    if scope.is_global:
        runs = BillingRun.objects.select_related("branch").order_by("-month", "branch__name")
    elif not can(user, "run_billing") or user.organisation_id is None:
        return BillingRun.objects.none()
    else:
        runs = BillingRun.objects.filter(branch_id=user.organisation_id).order_by("-month")
    # a run belongs to one branch: its figures are the branch's own (names kept for the pages)
    return runs.annotate(
        scoped_bills=models.F("bills"),
        scoped_participations=models.F("participations"),
        scoped_total=models.F("total"),
    )


def scheme_list(*, user: User):
    scope = user_scope(user)
    qs = Scheme.objects.select_related("sponsor_organisation", "agency", "region")
    if scope.is_global:
        return qs
    if scope.is_sponsor:
        return qs.filter(sponsor_organisation_id=scope.sponsor_id)
    if scope.is_union:
        return qs.none()
    return qs.filter(scope.region_q("region__code"))


def batch_list(*, user: User):
    return CandidateBatch.objects.filter(scheme__in=scheme_list(user=user)).select_related(
        "scheme", "selected_by"
    )


def candidate_list(*, user: User, batch=None, scheme=None):
    qs = Candidate.objects.filter(scheme__in=scheme_list(user=user)).select_related("person", "batch")
    if batch is not None:
        qs = qs.filter(batch=batch)
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.order_by("batch_id", "rank")


def scheme_summary(scheme: Scheme, on: dt.date | None = None) -> dict:
    """Participants against target, monthly package, yearly cost and budget used (WE-5)."""
    counts = scheme_counts(scheme)
    package = scheme_package(scheme)
    used = (
        Participation.objects.filter(scheme=scheme).aggregate(
            s=Sum("contributions__total", filter=Q(contributions__month__year=scheme.year))
        )["s"]
        or 0
    )
    bills = (
        Bill.objects.filter(
            payer_kind="sponsor", payer_id=scheme.sponsor_organisation_id, month__year=scheme.year
        )
        .values("month")
        .annotate(total=Sum("total"), paid=Sum("paid"))
        .order_by("month")
    )
    return {
        **counts,
        "target": scheme.target,
        "percent": round(100 * counts["enrolled"] / scheme.target, 1) if scheme.target else 0,
        "package": package,
        "monthly_cost": package * counts["enrolled"],
        "yearly_cost": package * counts["enrolled"] * 12,
        "target_yearly_cost": package * scheme.target * 12,
        "budget_used": used,
        "budget_left": scheme.budget - used,
        "bills": list(bills),
        "by_occupation": list(
            Participation.objects.filter(scheme=scheme, status__in=["active", "arrears", "pending"])
            .values("person__occupation")
            .annotate(n=Count("pk"))
            .order_by("-n")
        ),
    }


# ---------------------------------------------------------------------------------------------
# Coverage gap
# ---------------------------------------------------------------------------------------------
GAP_GROUPS = ("union", "region", "employer", "occupation")


def gap_people(*, user: User, on: dt.date | None = None, filters=None):
    """Registry workers (formal or informal) and union members without coverage in force on `on`,
    in the user's scope. Filters: body (union body id, with its subtree), region (code prefix),
    employer (id), occupation (exact)."""
    on = on or clock.today()
    scope = user_scope(user)
    if scope.is_sponsor:
        return Person.objects.none()
    covered = Participation.objects.filter(in_force_q(on), person=OuterRef("pk"))
    member = Membership.objects.filter(person=OuterRef("pk"), status="active")
    qs = Person.objects.filter(is_deceased=False, merged_into__isnull=True).filter(
        Q(employment_type__in=["formal", "informal"]) | Exists(member)
    )
    q = person_scope_q(user)
    if q is not None:
        qs = qs.filter(q)
    qs = qs.filter(~Exists(covered))
    f = filters or {}
    if f.get("body"):
        body = UnionBody.objects.filter(pk=f["body"]).first()
        path = body.path if body else "-"
        qs = qs.filter(
            Exists(
                Membership.objects.filter(person=OuterRef("pk"), status="active", body__path__startswith=path)
            )
        )
    if f.get("region"):
        qs = qs.filter(domicile_region__code__startswith=str(f["region"]).replace(".", ""))
    if f.get("employer"):
        qs = qs.filter(
            Exists(
                Employment.objects.filter(
                    person=OuterRef("pk"), employer_id=f["employer"], end_date__isnull=True
                )
            )
        )
    if f.get("occupation"):
        qs = qs.filter(occupation=f["occupation"])
    return qs.order_by("name", "pk")


def gap_counts(*, user: User, by: str, on: dt.date | None = None, filters=None) -> list[dict]:
    """Uncovered people counted by union body, region (regency/city), employer or occupation."""
    people = gap_people(user=user, on=on, filters=filters)
    if by == "union":
        rows = (
            Membership.objects.filter(status="active", person__in=people)
            .values("body_id", "body__name")
            .annotate(n=Count("person", distinct=True))
            .order_by("-n", "body__name")
        )
        return [{"key": r["body_id"], "label": r["body__name"], "count": r["n"]} for r in rows]
    if by == "employer":
        employers = (
            Employment.objects.filter(end_date__isnull=True, person__in=people)
            .values("employer_id", "employer__name")
            .annotate(n=Count("person", distinct=True))
            .order_by("-n", "employer__name")
        )
        return [{"key": r["employer_id"], "label": r["employer__name"], "count": r["n"]} for r in employers]
    if by == "occupation":
        rows = people.order_by().values("occupation").annotate(n=Count("pk")).order_by("-n", "occupation")
        return [{"key": r["occupation"], "label": r["occupation"] or "—", "count": r["n"]} for r in rows]

    rows = (
        people.order_by()
        .annotate(city=Substr("domicile_region_id", 1, 4))
        .values("city")
        .annotate(n=Count("pk"))
        .order_by("-n", "city")
    )
    names = dict(Region.objects.filter(code__in=[r["city"] for r in rows]).values_list("code", "name"))
    return [{"key": r["city"], "label": names.get(r["city"], r["city"]), "count": r["n"]} for r in rows]


def gap_figures(*, user: User, by: str, on: dt.date | None = None, filters=None) -> dict:
    """The gap page's figures, each from one query: `groups` (gap_counts by `by`) and `total`. Grouped by
    region or occupation every uncovered person falls in exactly one group, so the total is the groups'
    sum and the page runs the anti-join once; by union body or employer (a person may be in several
    groups, or none) the total is one more count."""
    groups = gap_counts(user=user, by=by, on=on, filters=filters)
    if by in ("region", "occupation"):
        total = sum(g["count"] for g in groups)
    else:
        total = gap_people(user=user, on=on, filters=filters).order_by().count()
    return {"total": total, "groups": groups}


def coverage_status_for_members(*, user: User, on: dt.date | None = None):
    """For union officials: each member's coverage status (active or not), no wages."""
    on = on or clock.today()
    qs = Person.objects.all()
    q = person_scope_q(user)
    if q is not None:
        qs = qs.filter(q)
    return qs.annotate(covered=Exists(Participation.objects.filter(in_force_q(on), person=OuterRef("pk"))))


def scheme_counts(scheme: Scheme) -> dict:
    parts = Participation.objects.filter(scheme=scheme)
    enrolled = parts.exclude(status="pending").count()  # received a participant number this year
    pending = parts.filter(status="pending").count()
    in_batches = Candidate.objects.filter(
        batch__scheme=scheme, batch__status=CandidateBatch.Status.DRAFT
    ).count()
    return {
        "enrolled": enrolled,
        "pending": pending,
        "in_draft": in_batches,
        "remaining": max(scheme.target - enrolled - pending - in_batches, 0),
    }


def scheme_eligible_people(scheme: Scheme, on: dt.date):

    covered = Participation.objects.filter(person=OuterRef("pk")).filter(
        in_force_q(on) | Q(status=Participation.Status.PENDING)
    )
    already = Candidate.objects.filter(scheme=scheme, person=OuterRef("pk"))
    qs = Person.objects.filter(
        domicile_region__code__startswith=scheme.region_id,
        employment_type=Person.EmploymentType.INFORMAL,
        is_deceased=False,
        merged_into__isnull=True,
    ).filter(~Exists(covered), ~Exists(already))
    if scheme.require_vulnerable:
        qs = qs.filter(is_vulnerable=True)
    if scheme.eligible_occupations:
        qs = qs.filter(occupation__in=scheme.eligible_occupations)
    if scheme.max_welfare_decile:
        qs = qs.filter(Q(welfare_decile__lte=scheme.max_welfare_decile) | Q(welfare_decile__isnull=True))
    priority = [When(occupation=occ, then=Value(i)) for i, occ in enumerate(scheme.occupation_priority or [])]
    occ_rank = (
        Case(*priority, default=Value(len(priority)), output_field=IntegerField()) if priority else Value(0)
    )
    return qs.annotate(decile_rank=Coalesce("welfare_decile", Value(11)), occupation_rank=occ_rank).order_by(
        "decile_rank", "occupation_rank", "name", "id"
    )


ENROLMENT_HEADERS = ("NIK", "Nama", "Tanggal Lahir", "Pekerjaan", "Alamat", "Program", "Penghasilan")


def enrolment_rows(scheme: Scheme, status=("pending",)):
    qs = (
        Participation.objects.filter(scheme=scheme, status__in=status)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    for p in qs:
        yield (
            p.person.nik,
            p.person.name,
            p.person.birth_date.isoformat(),
            p.person.occupation,
            p.person.address,
            p.programmes_label,
            int(p.wage),
        )


def billing_branch_area(actor: User) -> tuple[Organisation | None, list[str]]:
    """The branch an officer bills for and its service area (region code prefixes). An administrator
    (global scope) bills everywhere: (None, [])."""
    scope = user_scope(actor)
    if scope.is_global:
        return None, []
    org = actor.organisation
    if org is None or not scope.region_prefixes:
        raise NotAllowed(_("Billing is run by a social security branch for its service area."))
    return org, list(scope.region_prefixes)


def get_or_404(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Not found.")) from exc
