"""A billing run for one month is idempotent under real concurrency: many threads bill the same month
at once and exactly one bill per payer results (PostgreSQL; SQLite serialises writers anyway)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from sinergi.coverage import services
from sinergi.coverage.models import Bill, BillingRun, Contribution
from tests.coverage.factories import ParticipationFactory
from tests.factories import EmployerFactory

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_billing_runs_for_one_month_create_each_bill_once(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them anyway")
    officer = make_user("ss_officer", region="31")
    employer = EmployerFactory(jkk_risk_class=2)
    for _ in range(3):
        ParticipationFactory(
            segment="PU",
            payer_kind="employer",
            employer=employer,
            jht=True,
            jp=True,
            risk_class=2,
            wage=Decimal(5396761),
            region_id="3172",
        )
    for _ in range(4):
        ParticipationFactory()  # self-paying BPU: one bill each

    barrier = threading.Barrier(THREADS)
    results, lock = [], threading.Lock()

    def attempt():
        try:
            barrier.wait()
            services.billing_run(actor=officer, month="2025-11")
            outcome = "ok"
        except Exception as exc:  # a surprise is reported, not hidden
            outcome = f"error {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["ok"] * THREADS
    assert BillingRun.objects.count() == 1
    assert Bill.objects.count() == 5
    assert Contribution.objects.count() == 7
    assert Bill.objects.get(payer_kind="employer").total == 3 * 514851


@pytest.mark.django_db
def test_a_repeated_run_creates_no_second_bill_on_this_database(make_user):
    """The same check as test_billing's, run on whichever database the suite uses (SQLite or PostgreSQL)."""
    officer = make_user("ss_officer", region="31")
    ParticipationFactory()
    services.billing_run(actor=officer, month="2025-11")
    services.billing_run(actor=officer, month="2025-11")
    assert Bill.objects.count() == 1 and Contribution.objects.count() == 1
