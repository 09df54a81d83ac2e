"""`sinergi simulate` on a small synthetic province: fifteen months through the real services keep every
invariant, things really happen each month, and a row broken mid-run stops the run at that month.
Runs on SQLite and, in the PostgreSQL leg of CI, on PostgreSQL."""

import datetime as dt

import pytest

from sinergi.claims.models import Claim
from sinergi.core import clock
from sinergi.core.models import Job
from sinergi.coverage.models import Bill, Participation, Scheme
from sinergi.lifeevents.models import LifeEvent
from sinergi.registry.models import Person
from sinergi.simulation import engine
from sinergi.simulation.world import small_world_load

START = dt.date(2026, 11, 1)


def quiet(*_args, **_kwargs):
    return None


@pytest.fixture
def province(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with clock.travel(engine.add_months(START, -1)):
        return small_world_load(people=40, seed=3, say=quiet)


def test_fifteen_months_keep_every_invariant_and_life_goes_on(province):
    results = engine.simulate(months=15, start=START, seed=3, rate=2.0, say=quiet)

    assert [r.month for r in results] == [engine.add_months(START, i) for i in range(15)]
    total = {key: sum(r.counts[key] for r in results) for key, _label in engine.COLUMNS}
    assert all(r.counts["bills"] >= 2 for r in results)  # the employers and the sponsor, every month
    assert total["payments"] > 0 and total["hires"] > 0 and total["job_changes"] > 0
    paid_death_claims = Claim.objects.filter(case__event_type="death", status="paid").count()
    assert paid_death_claims > 0 and total["deaths"] >= paid_death_claims
    assert Claim.objects.filter(case__event_type="accident", status="paid").count() == total["accidents"]
    assert total["claims_paid"] == paid_death_claims + total["accidents"]
    # every death, change of employer, PHK and retirement went through the life-event services
    assert LifeEvent.objects.count() == (
        total["deaths"] + total["job_changes"] + total["phk"] + total["retirements"]
    )
    assert Person.objects.filter(is_deceased=True).count() == total["deaths"]
    assert results[6].counts["aid"] > 0  # May Day 2027: packages handed over, one per person
    assert results[2].counts["cards"] > 0  # January 2027: the year's worker-card round
    assert total["meetings"] == 15 and total["aspirations"] > 0
    assert total["renewals"] == 2  # January 2027 and January 2028, one year at a time
    assert Scheme.objects.get(year=2028).renewed_from.renewed_from.year == 2026
    # a paid death claim ended the deceased's cover at the date of death: nothing billed after
    for claim in Claim.objects.filter(case__event_type="death", status="paid"):
        person = claim.case.person
        assert not Participation.objects.filter(person=person).exclude(status="ended").exists()
        assert claim.heir is not None and claim.heir.is_alive and claim.claimant_relation != "self"
    assert Bill.objects.filter(month=engine.add_months(START, 14)).exists()
    assert not Job.objects.filter(status__in=["queued", "running"]).exists()
    assert clock.today() != engine.add_months(START, 14)  # the clock is released afterwards


def test_a_row_broken_mid_run_stops_the_run_at_that_month(province):
    def break_a_bill(result):
        if result.month == START:
            bill = Bill.objects.filter(month=START).order_by("pk").first()
            Bill.objects.filter(pk=bill.pk).update(total=bill.total + 1)  # deliberately, outside services

    with pytest.raises(engine.InvariantBroken) as stop:
        engine.simulate(months=3, start=START, seed=3, say=quiet, on_month=break_a_bill)
    assert stop.value.month == engine.add_months(START, 1)
    assert stop.value.broken.name == "bill totals equal the sum of their contribution lines"
    assert stop.value.broken.rows


def test_the_command_prints_a_table_and_stops_with_the_rows(province, capsys):
    from sinergi.simulation.cli import run

    lines = []
    assert run(months=1, start="2026-11", seed=3, rate=1.0, say=lines.append) == 0
    text = "\n".join(lines)
    assert "2026-11" in text and "every invariant held" in text
    job = Job.objects.get(kind="simulation.run")
    assert job.status == Job.Status.SUCCEEDED and job.done == 1

    Bill.objects.filter(pk=Bill.objects.order_by("pk").first().pk).update(status="paid")
    lines.clear()
    assert run(months=1, start="2026-12", seed=3, rate=1.0, say=lines.append) == 1
    text = "\n".join(lines)
    assert "STOPPED in 2026-12" in text and "bill status consistent with payments" in text
    assert '"bill_id"' in text
    assert run(months=1, start="2026-13", seed=3, rate=1.0, say=lines.append) == 2
