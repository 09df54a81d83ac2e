"""Computing indicator figures for every cell and storing them: the live snapshot (replaced by each
refresh) and the frozen month-end and quarter-end snapshots (written once, never changed)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import IntegrityError, transaction

from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.planning import indicators
from sinergi.planning.models import Figure, Snapshot


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month_end(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


def is_quarter_end(day: dt.date) -> bool:
    return day.month in (3, 6, 9, 12) and day == month_end(day)


def compute_figures(period_end: dt.date, keys=None) -> list[Figure]:
    """Every indicator's year-to-date value on `period_end`, per cell, as unsaved Figure rows."""
    start = period_end.replace(month=1, day=1)
    rows = []
    for key, indicator in indicators.registry().items():
        if keys and key not in keys:
            continue
        for cell in indicator.cells(start, period_end):
            rows.append(
                Figure(
                    indicator=key,
                    region_code=cell["region_code"],
                    union_body_id=cell["union_body_id"],
                    scheme_id=cell.get("scheme_id"),
                    value=cell["value"],
                    people=cell["people"],
                )
            )
    return rows


def _store(snapshot: Snapshot, figures: list[Figure]) -> int:
    for f in figures:
        f.snapshot = snapshot
    Figure.objects.bulk_create(figures, batch_size=5000)
    _analyze()
    return len(figures)


def _analyze():
    """Fresh statistics for the figures table: the dashboard's grouped reads otherwise get plans made for
    an empty table right after a refresh (PostgreSQL; SQLite needs nothing)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE planning_figure")


@transaction.atomic
def refresh_live(*, actor=None, on: dt.date | None = None) -> Snapshot:
    """Replace the live snapshot with figures as of `on` (today)."""
    on = on or clock.today()
    figures = compute_figures(on)
    Snapshot.objects.filter(kind=Snapshot.Kind.LIVE).delete()
    snapshot = Snapshot.objects.create(kind=Snapshot.Kind.LIVE, period_end=on, computed_at=clock.now())
    _store(snapshot, figures)
    audit_record(
        actor=actor, action="other", obj=snapshot, changes={"figures": len(figures)}, purpose="refresh"
    )
    return snapshot


def freeze(*, kind: str, period_end: dt.date, actor=None) -> tuple[Snapshot, bool]:
    """Freeze the figures for a month or quarter end. Returns (snapshot, created); an existing frozen
    snapshot is returned untouched, whatever the data says today.

    Safe when several workers freeze the same period at once: the snapshot row is inserted first, in the
    transaction that then stores its figures, and the unique (kind, period end) constraint makes every
    other worker's insert wait for that transaction. If it commits, their insert fails and they return
    the committed snapshot (created=False); if it rolls back, one of them freezes instead. So there is
    exactly one frozen snapshot per period, with all its figures, and nobody sees an error."""
    if kind == Snapshot.Kind.MONTH and period_end != month_end(period_end):
        raise ValueError("A month snapshot is taken on the last day of a month.")
    if kind == Snapshot.Kind.QUARTER and not is_quarter_end(period_end):
        raise ValueError("A quarter snapshot is taken on the last day of a quarter.")
    existing = Snapshot.objects.filter(kind=kind, period_end=period_end).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(kind=kind, period_end=period_end, computed_at=clock.now())
            figures = compute_figures(period_end)
            _store(snapshot, figures)
            audit_record(
                actor=actor,
                action="create",
                obj=snapshot,
                changes={"figures": len(figures)},
                purpose="freeze",
            )
    except IntegrityError:
        # Another worker froze this period first (its transaction has committed: ours waited for it).
        winner = Snapshot.objects.filter(kind=kind, period_end=period_end).first()
        if winner is None:
            raise
        return winner, False
    return snapshot, True


def freeze_due(*, today: dt.date | None = None, actor=None, back_to: dt.date | None = None) -> list[Snapshot]:
    """Freeze every month (and quarter) end that has passed and is not yet frozen, newest first, going back
    to `back_to` (default: the last month end only). Safe to call daily from a scheduler."""
    today = today or clock.today()
    end = previous_month_end(today) if today != month_end(today) else today
    stop = back_to or end
    made = []
    while end >= stop:
        snap, created = freeze(kind=Snapshot.Kind.MONTH, period_end=end, actor=actor)
        if created:
            made.append(snap)
        if is_quarter_end(end):
            snap, created = freeze(kind=Snapshot.Kind.QUARTER, period_end=end, actor=actor)
            if created:
                made.append(snap)
        end = previous_month_end(end)
    return made
