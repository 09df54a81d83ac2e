"""Many volunteers hand a package to the same worker at the same moment: exactly one gets through."""

import datetime as dt
import threading

import pytest
from django.db import connection

from sinergi.core.errors import Conflict
from sinergi.programs import services
from sinergi.programs.models import Handover
from tests.factories import PersonFactory

THREADS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_hand_overs_to_the_same_person_give_exactly_one_package(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises every writer")
    branch = make_user("ss_officer", region="3172")
    volunteers = [make_user("ss_officer", org=branch.organisation) for _ in range(THREADS)]
    dist = services.distribution_create(
        actor=branch,
        name="May Day",
        region_id="3172",
        event_date=dt.date(2025, 6, 14),
        place="GOR Rawa Badak",
        package="sembako",
        stock_received=580,
    )
    person = PersonFactory()
    barrier = threading.Barrier(THREADS)
    outcomes = []

    def attempt(volunteer):
        from django.db import connections

        try:
            barrier.wait()
            services.handover_record(actor=volunteer, distribution=dist, nik=person.nik, place="Pos")
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(v,)) for v in volunteers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert outcomes.count("already_received") == THREADS - 1
    assert Handover.objects.filter(distribution=dist, person=person).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_hand_overs_never_exceed_the_stock(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    branch = make_user("ss_officer", region="3172")
    dist = services.distribution_create(
        actor=branch,
        name="Sisa",
        region_id="3172",
        event_date=dt.date(2025, 6, 14),
        place="Koja",
        package="sembako",
        stock_received=3,
    )
    people = [PersonFactory() for _ in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def attempt(person):
        from django.db import connections

        try:
            barrier.wait()
            services.handover_record(actor=branch, distribution=dist, nik=person.nik)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3 and outcomes.count("out_of_stock") == 5
    assert Handover.objects.filter(distribution=dist).count() == 3
