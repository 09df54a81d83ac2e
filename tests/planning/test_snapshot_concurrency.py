"""Issue 13: the freeze job run by several workers at once (PostgreSQL). Two or more workers freezing
the same month end at the same moment produce exactly one frozen snapshot with one set of figures, and
none of them fails."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from sinergi.core.models import AuditEntry
from sinergi.planning import snapshots
from sinergi.planning.models import Figure, Snapshot
from tests.factories import MembershipFactory, PersonFactory, UnionBodyFactory

WORKERS = 6


def _race(target, workers=WORKERS) -> list[str]:
    barrier = threading.Barrier(workers)
    results: list[str] = []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait()
            outcome = target()
        except Exception as exc:  # a surprise is reported, not hidden
            outcome = f"error {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _data():
    body = UnionBodyFactory(region_id="31")
    for _ in range(7):
        MembershipFactory(person=PersonFactory(district="317205"), body=body)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_freezing_the_same_month_at_once_make_exactly_one_snapshot():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises writers anyway")
    _data()
    end = dt.date(2024, 1, 31)

    def freeze():
        _snapshot, created = snapshots.freeze(kind="month", period_end=end)
        return "created" if created else "existing"

    results = _race(freeze)
    assert sorted(results) == ["created"] + ["existing"] * (WORKERS - 1), results
    snapshot = Snapshot.objects.get(kind="month", period_end=end)
    expected = len(snapshots.compute_figures(end))
    assert expected and Figure.objects.filter(snapshot=snapshot).count() == expected
    assert Figure.objects.count() == expected  # no orphaned figures of a losing worker
    assert AuditEntry.objects.filter(object_type="planning.snapshot", action="create").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_daily_freeze_job_run_by_parallel_workers_freezes_each_period_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises writers anyway")
    _data()
    today = dt.date(2024, 4, 2)  # March (a month and a quarter end), February and January are due

    def job():
        made = snapshots.freeze_due(today=today, back_to=dt.date(2024, 1, 31))
        return ",".join(sorted(f"{s.kind}:{s.period_end}" for s in made)) or "-"

    results = _race(job, workers=4)
    assert not [r for r in results if r.startswith("error")], results
    frozen = sorted((s.kind, s.period_end.isoformat()) for s in Snapshot.objects.exclude(kind="live"))
    assert frozen == [
        ("month", "2024-01-31"),
        ("month", "2024-02-29"),
        ("month", "2024-03-31"),
        ("quarter", "2024-03-31"),
    ]
    made = [item for r in results if r != "-" for item in r.split(",")]
    assert sorted(made) == sorted(f"{k}:{d}" for k, d in frozen)  # each period created by one worker only
