"""Exactly one payment per invoice when many officers pay it at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from sinergi.core import clock
from sinergi.core.errors import Conflict
from sinergi.eorder import services
from sinergi.eorder.models import Invoice, Payment
from tests.eorder.factories import approved_vendor, at, ceilings
from tests.factories import UnionBodyFactory

THREADS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_of_one_invoice_produce_exactly_one_payment(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL; SQLite serialises writers anyway")
    clock.set_now("2021-01-04T08:00")
    try:
        officer = make_user("agency_officer", region="31")
        second = make_user("agency_officer", org=officer.organisation)
        body = UnionBodyFactory(region_id="31")
        union = make_user("union_official", region="31", union_body=body)
        ceilings(officer.organisation, 2021, officer)
        approved_vendor(union=union, checker=officer, approver=second, body=body)
        order = services.order_create(
            actor=officer,
            unit="Sekretariat",
            activity="Rapat",
            region_id="31",
            deliver_at=at(2021, 1, 6),
            place="Aula",
            budget_line="5.2.2.11.01",
            lines={"lunch": 30},
        )
        services.offer_respond(offer=services.order_confirm(actor=officer, order=order), accept=True)
        services.delivery_confirm(actor=officer, order=order, received={"lunch": 30})
        invoice = Invoice.objects.get(order=order)
        clock.set_now("2021-01-10T10:00")

        barrier = threading.Barrier(THREADS)
        results: list[str] = []
        lock = threading.Lock()

        def attempt(n):
            try:
                barrier.wait()
                actor = officer if n % 2 else second
                services.invoice_pay(
                    actor=actor, invoice=Invoice.objects.get(pk=invoice.pk), reference=f"T{n}"
                )
                outcome = "paid"
            except Conflict:
                outcome = "conflict"
            except Exception as exc:  # a surprise is reported, not hidden
                outcome = f"error {exc!r}"
            finally:
                connections.close_all()
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["conflict"] * (THREADS - 1) + ["paid"], results
        assert Payment.objects.filter(invoice=invoice).count() == 1
    finally:
        clock.reset()
