"""Exactly once under concurrency (PostgreSQL): many answers to one case, two escalation runs at once."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from sinergi.aspirations import services
from sinergi.aspirations.models import AgendaItem, Aspiration, AspirationEvent
from sinergi.core.errors import Conflict

THREADS = 8


def _run(n, fn):
    barrier = threading.Barrier(n)
    results, lock = [], threading.Lock()

    def attempt(i):
        try:
            barrier.wait()
            outcome = fn(i)
        except Conflict:
            outcome = "conflict"
        except Exception as exc:  # a surprise is reported, not hidden
            outcome = f"error {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_pass_the_guard_once(world, file_one):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL; SQLite serialises writers anyway")
    a = file_one()

    def answer(i):
        services.aspiration_answer(
            actor=world.officer, aspiration=Aspiration.objects.get(pk=a.pk), answer=f"Jawaban {i}"
        )
        return "answered"

    results = _run(THREADS, answer)
    assert sorted(results) == ["answered"] + ["conflict"] * (THREADS - 1)
    assert a.events.filter(kind=AspirationEvent.Kind.ANSWERED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_escalation_runs_escalate_each_case_once(world, file_one):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL; SQLite serialises writers anyway")
    for i in range(20):
        file_one(title=f"Kasus {i}")

    def escalate(i):
        return services.aspirations_escalate(today=dt.date(2024, 7, 30))["escalated"]

    results = _run(4, escalate)
    assert sum(results) == 20, results
    assert AspirationEvent.objects.filter(kind=AspirationEvent.Kind.ESCALATED).count() == 20
    assert AgendaItem.objects.count() == 20
