"""Reads for meetings and commitments, scoped to the user; the 12-month dialogue cadence list."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from sinergi.accounts.roles import can
from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.meetings.models import Commitment, Meeting
from sinergi.unions.models import UnionBody

if TYPE_CHECKING:
    from sinergi.accounts.models import User

CADENCE_DAYS = 365


def visible_q(user: User, prefix: str = "") -> Q:
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    if scope.user_id is None or scope.is_sponsor:
        return Q(pk__in=[])
    p = prefix
    q = Q(**{f"{p}organiser_id": scope.organisation_id}) | Q(
        **{f"{p}invited_organisations": scope.organisation_id}
    )
    if scope.is_union:
        return q | scope.union_q(f"{p}union_bodies")
    return q | scope.region_q(f"{p}region__code")


def meeting_list(*, user: User, filters=None) -> QuerySet[Meeting]:
    filters = filters or {}
    ids = Meeting.objects.filter(visible_q(user)).values("pk")
    qs = Meeting.objects.filter(pk__in=ids).select_related("organiser", "region")
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("year"):
        try:
            qs = qs.filter(starts_at__year=int(filters["year"]))
        except (TypeError, ValueError):
            pass
    return qs


def meeting_get(*, user: User, pk: int) -> Meeting:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(meeting_list(user=user), pk=pk)


def meeting_scope(*, user: User) -> QuerySet[Meeting]:
    return meeting_list(user=user)


def meetings_in_month(*, user: User, year: int, month: int) -> QuerySet[Meeting]:
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + (month == 12), month % 12 + 1, 1))
    return meeting_list(user=user).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")


def commitment_list(*, user: User, filters=None) -> QuerySet[Commitment]:
    filters = filters or {}
    ids = Meeting.objects.filter(visible_q(user)).values("pk")
    qs = Commitment.objects.filter(Q(meeting_id__in=ids) | Q(owner_id=getattr(user, "organisation_id", None)))
    qs = qs.select_related("meeting", "owner")
    if filters.get("status") == "open":
        qs = qs.filter(status__in=Commitment.OPEN_STATUSES)
    elif filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("overdue"):
        qs = qs.filter(status__in=Commitment.OPEN_STATUSES, due_date__lt=clock.today())
    if filters.get("mine") and getattr(user, "organisation_id", None):
        qs = qs.filter(owner_id=user.organisation_id)
    return qs


def commitment_scope(*, user: User) -> QuerySet[Commitment]:
    return commitment_list(user=user)


def can_manage(user: User, meeting: Meeting | None = None) -> bool:
    if not can(user, "manage_meetings") or user_scope(user).read_only:
        return False
    if meeting is None:
        return True
    scope = user_scope(user)
    return (
        scope.is_global
        or meeting.organiser_id == user.organisation_id
        or scope.covers_region(meeting.region_id)
    )


def can_update_commitment(user: User, commitment: Commitment) -> bool:
    if user_scope(user).read_only or not getattr(user, "is_authenticated", False):
        return False
    return commitment.owner_id == user.organisation_id or can_manage(user, commitment.meeting)


def cadence_gaps(*, user: User, today: dt.date | None = None) -> QuerySet:
    """Active union bodies in the user's area with no held meeting in the last 12 months, whether they
    took part as a body or through their organisation being invited. The union tree's roots
    (confederations, federations) are left out: dialogue happens with their regional bodies."""
    today = today or clock.today()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=CADENCE_DAYS), dt.time.min))
    scope = user_scope(user)
    if scope.is_union or scope.is_sponsor or scope.user_id is None:
        return UnionBody.objects.none()
    recent = Meeting.objects.filter(
        status=Meeting.Status.HELD, starts_at__gte=since, starts_at__lte=clock.now()
    )
    took_part = recent.filter(union_bodies=OuterRef("pk"))
    invited = recent.filter(invited_organisations__union_body=OuterRef("pk"))
    last_any = Meeting.objects.filter(status=Meeting.Status.HELD).filter(
        Q(union_bodies=OuterRef("pk")) | Q(invited_organisations__union_body=OuterRef("pk"))
    )
    return (
        UnionBody.objects.filter(scope.region_q("region__code"), is_active=True)
        .exclude(kind__in=[UnionBody.Kind.CONFEDERATION, UnionBody.Kind.FEDERATION])
        .filter(~Exists(took_part), ~Exists(invited))
        .annotate(last_meeting=Subquery(last_any.order_by("-starts_at").values("starts_at")[:1]))
        .select_related("region")
        .order_by("region_id", "name")
    )


def commitment_stats(*, user: User, today: dt.date | None = None) -> dict:
    today = today or clock.today()
    qs = commitment_list(user=user)
    done = qs.filter(status=Commitment.Status.DONE, done_on__isnull=False)
    total_done = done.count()
    on_time = done.filter(done_on__lte=F("due_date")).count()
    return {
        "total": qs.count(),
        "open": qs.filter(status__in=Commitment.OPEN_STATUSES).count(),
        "overdue": qs.filter(status__in=Commitment.OPEN_STATUSES, due_date__lt=today).count(),
        "done": total_done,
        "done_on_time": on_time,
        "on_time_share": (on_time / total_done) if total_done else None,
        "on_time_percent": (100 * on_time / total_done) if total_done else None,
    }
