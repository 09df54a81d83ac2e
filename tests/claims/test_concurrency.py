"""Exactly once under concurrency: many threads pay one approved claim at the same time (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from sinergi.claims import selectors, services
from sinergi.claims.models import Claim, Payment
from sinergi.core.errors import Conflict
from tests.claims.factories import pdf, we6_family

THREADS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_payment_attempts_produce_exactly_one_payment(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL; SQLite serialises writers anyway")
    import datetime as dt

    verifier = make_user("ss_officer", region="3172", org_kind="ss_branch")
    approver = make_user("ss_officer", org=verifier.organisation)
    person, _family = we6_family()
    case = services.case_open(
        actor=verifier, person=person, event_type="death", event_date=dt.date(2024, 5, 1), benefits=["JKM"]
    )
    claim = services.claim_quote(actor=verifier, claim=case.claims.get())
    for code in selectors.missing_documents(claim):
        services.claim_document_add(actor=verifier, claim=claim, doc_type=code, upload=pdf())
    services.claim_verify(actor=verifier, claim=claim)
    services.claim_decide(actor=approver, claim=claim, approve=True)
    services.claim_payment_instruction_set(
        actor=approver, claim=claim, bank_name="Bank DKI", bank_account="1234567890", account_holder="Siti"
    )

    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(n):
        try:
            barrier.wait()
            services.claim_pay(actor=approver, claim=Claim.objects.get(pk=claim.pk), reference=f"T{n}")
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
    assert sorted(results) == ["conflict"] * (THREADS - 1) + ["paid"]
    assert Payment.objects.filter(claim_id=claim.pk).count() == 1
    assert Payment.objects.get(claim_id=claim.pk).amount == Decimal(42_000_000)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PAID
