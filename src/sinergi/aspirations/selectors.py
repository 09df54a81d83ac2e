"""Reads for aspirations, the tripartite agenda and notifications, always scoped to the user."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sinergi.accounts.models import Organisation
from sinergi.accounts.roles import OrgKind, Role, can
from sinergi.accounts.scoping import user_scope
from sinergi.aspirations import hooks
from sinergi.aspirations.models import (
    AgendaItem,
    Aspiration,
    AspirationEvent,
    Category,
    Holiday,
    RoutingRule,
    TripartiteSession,
)
from sinergi.core import clock
from sinergi.rules import calendar as cal

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def holiday_dates() -> frozenset[dt.date]:
    return frozenset(Holiday.objects.filter(is_active=True).values_list("date", flat=True))


def visible_q(user: User) -> Q:
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    if scope.user_id is None or scope.is_sponsor:
        return Q(pk__in=[])
    if scope.is_union:
        return scope.union_q("union_body_id") | Q(filed_by_id=scope.user_id)
    q = scope.region_q("region__code") | Q(filed_by_id=scope.user_id)
    if scope.organisation_id:
        q |= Q(assigned_organisation_id=scope.organisation_id) | Q(
            filer_organisation_id=scope.organisation_id
        )
    return q


def aspiration_list(*, user: User, filters=None) -> QuerySet[Aspiration]:
    filters = filters or {}
    qs = Aspiration.objects.filter(visible_q(user)).select_related(
        "assigned_organisation", "filer_organisation", "region", "union_body"
    )
    if filters.get("status"):
        if filters["status"] == "open":
            qs = qs.filter(status__in=Aspiration.OPEN_STATUSES)
        else:
            qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("overdue"):
        today = clock.today()
        qs = qs.filter(status__in=Aspiration.OPEN_STATUSES).filter(
            Q(answer_due__lt=today) | Q(acknowledged_at__isnull=True, acknowledge_due__lt=today)
        )
    if filters.get("mine") and getattr(user, "organisation_id", None):
        qs = qs.filter(assigned_organisation_id=user.organisation_id)
    if filters.get("q"):
        term = str(filters["q"]).strip()
        qs = qs.filter(Q(title__icontains=term) | Q(tracking_code__iexact=term))
    return qs


def aspiration_get(*, user: User, pk: int) -> Aspiration:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(aspiration_list(user=user), pk=pk)


def aspiration_scope(*, user: User) -> QuerySet[Aspiration]:
    """For the scoping matrix: exactly the aspirations `user` may open."""
    return aspiration_list(user=user)


def is_filer_side(user: User, aspiration: Aspiration) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if aspiration.filed_by_id == user.pk:
        return True
    scope = user_scope(user)
    if scope.is_union and aspiration.union_body_id in (scope.union_body_ids or ()):
        return True
    return bool(user.organisation_id and user.organisation_id == aspiration.filer_organisation_id)


def can_respond(user: User, aspiration: Aspiration) -> bool:
    if not can(user, "answer_aspiration") or user_scope(user).read_only:
        return False
    scope = user_scope(user)
    if scope.is_global:
        return True
    if user.organisation_id and user.organisation_id == aspiration.assigned_organisation_id:
        return True
    # the agency head of the region is who overdue cases escalate to
    return user.role == Role.AGENCY_HEAD and scope.covers_region(aspiration.region_id)


def can_assign(user: User, aspiration: Aspiration) -> bool:
    if can_respond(user, aspiration):
        return True
    scope = user_scope(user)
    return (
        can(user, "answer_aspiration")
        and not scope.read_only
        and not scope.is_union
        and user.role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
        and scope.covers_region(aspiration.region_id)
    )


def member_visible(user: User, aspiration: Aspiration) -> bool:
    """A hidden member is shown only to the filing side, never to the responding organisation."""
    return not aspiration.hide_member or is_filer_side(user, aspiration)


def route_for(*, category: str, region_id: str):
    """The organisation responsible for `category` in `region_id`: a routing rule, else the nearest
    body by kind (a social security branch serving the region for membership problems, else the
    manpower agency whose region contains it)."""
    rules = [
        r
        for r in RoutingRule.objects.filter(is_active=True, organisation__is_active=True).select_related(
            "organisation"
        )
        if (not r.category or r.category == category)
        and (r.region_id is None or region_id.startswith(r.region_id))
    ]
    if rules:
        rules.sort(key=lambda r: (-len(r.region_id or ""), 0 if r.category else 1, r.priority, r.pk))
        return rules[0].organisation
    if category == Category.SOCIAL_SECURITY:
        prefixes = [region_id[:n] for n in (6, 4, 2) if len(region_id) >= n]
        branch = (
            Organisation.objects.filter(
                kind=OrgKind.SS_BRANCH, is_active=True, service_area__code__in=prefixes
            )
            .order_by("pk")
            .first()
        )
        if branch:
            return branch
    agencies = [
        o
        for o in Organisation.objects.filter(kind=OrgKind.AGENCY, is_active=True)
        if region_id.startswith(o.region_id)
    ]
    if not agencies:
        return None
    agencies.sort(key=lambda o: (-len(o.region_id), o.pk))
    return agencies[0]


def tripartite_body_for(region_id: str):
    bodies = [
        o
        for o in Organisation.objects.filter(kind=OrgKind.TRIPARTITE, is_active=True)
        if region_id.startswith(o.region_id)
    ]
    bodies.sort(key=lambda o: (-len(o.region_id), o.pk))
    return bodies[0] if bodies else None


def tracking_status(code: str) -> dict | None:
    """What the public may see for a tracking code: the status and the dates, no personal data."""
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    if not code or len(code) > 20:
        return None
    row = (
        Aspiration.objects.filter(tracking_code=code)
        .values(
            "id",
            "tracking_code",
            "category",
            "status",
            "received_on",
            "acknowledge_due",
            "answer_due",
            "answered_at",
            "closed_at",
            "escalated_at",
        )
        .first()
    )
    if row is None:
        return None
    public: dict[str, Any] = dict(row)
    steps = list(
        AspirationEvent.objects.filter(aspiration_id=public.pop("id"))
        .exclude(kind=AspirationEvent.Kind.NOTE)
        .values_list("kind", "at")
    )
    public["steps"] = [{"kind": k, "label": str(AspirationEvent.Kind(k).label), "at": at} for k, at in steps]
    public["status_label"] = str(Aspiration.Status(public["status"]).label)
    public["category_label"] = str(Category(public["category"]).label)
    return public


def agenda_visible_q(user: User, field: str = "body__region__code") -> Q:
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    if scope.is_union or scope.is_sponsor or scope.user_id is None:
        return Q(pk__in=[])
    return scope.region_q(field)


def agenda_list(*, user: User) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(agenda_visible_q(user)).select_related("body", "session", "aspiration")


def session_list(*, user: User) -> QuerySet[TripartiteSession]:
    return (
        TripartiteSession.objects.filter(agenda_visible_q(user))
        .select_related("body")
        .annotate(item_count=Count("items"))
    )


def can_manage_agenda(user: User, body) -> bool:
    if not can(user, "manage_tripartite") or user_scope(user).read_only:
        return False
    scope = user_scope(user)
    return scope.is_global or user.organisation_id == body.pk or scope.covers_region(body.region_id)


AGE_BUCKETS = ((7, "0–7"), (30, "8–30"), (90, "31–90"), (None, "> 90"))


def report(*, user: User, today: dt.date | None = None) -> dict:
    """Open cases by age, category and organisation; median working days to answer; share answered
    within the deadline; commitments done on time. Aggregated in the database where it can be."""
    today = today or clock.today()
    visible = Aspiration.objects.filter(visible_q(user))
    open_qs = visible.filter(status__in=Aspiration.OPEN_STATUSES)
    by_category = {
        r["category"]: r["n"] for r in open_qs.values("category").annotate(n=Count("id")).order_by("category")
    }
    by_org = list(
        open_qs.values("assigned_organisation__name", "assigned_organisation__short_name")
        .annotate(n=Count("id"))
        .order_by("-n", "assigned_organisation__name")
    )
    ages: Counter[str] = Counter()
    for received in open_qs.values_list("received_on", flat=True).iterator(chunk_size=5000):
        age = (today - received).days
        for limit, label in AGE_BUCKETS:
            if limit is None or age <= limit:
                ages[label] += 1
                break
    holidays = holiday_dates()
    durations, in_time, answered = [], 0, 0
    for received, answered_at, due in (
        visible.filter(answered_at__isnull=False)
        .values_list("received_on", "answered_at", "answer_due")
        .iterator(chunk_size=5000)
    ):
        answered_day = timezone.localdate(answered_at)
        durations.append(cal.working_days_between(received, answered_day, holidays))
        answered += 1
        if due is None or answered_day <= due:
            in_time += 1
    return {
        "today": today,
        "open_total": open_qs.count(),
        "overdue": open_qs.filter(
            Q(answer_due__lt=today) | Q(acknowledged_at__isnull=True, acknowledge_due__lt=today)
        ).count(),
        "by_age": [(label, ages.get(label, 0)) for _, label in AGE_BUCKETS],
        "by_category": [(Category(c).label, by_category.get(c, 0)) for c in Category.values],
        "by_organisation": [
            (r["assigned_organisation__short_name"] or r["assigned_organisation__name"] or "—", r["n"])
            for r in by_org
        ],
        "answered": answered,
        "median_days_to_answer": statistics.median(durations) if durations else None,
        "within_deadline_share": (in_time / answered) if answered else None,
        "within_deadline_percent": (100 * in_time / answered) if answered else None,
        "commitments": hooks.commitment_stats(user=user, today=today),
    }
