"""Month-end and quarter-end snapshots freeze figures; new data changes the live figures only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from sinergi.core import clock
from sinergi.planning import selectors, snapshots
from sinergi.planning.models import Figure, Snapshot
from tests.factories import MembershipFactory, PersonFactory, UnionBodyFactory

pytestmark = pytest.mark.django_db


def _gap_member(body):
    MembershipFactory(person=PersonFactory(district="317205"), body=body)


def test_a_frozen_snapshot_never_changes_after_new_data():
    body = UnionBodyFactory(region_id="31")
    for _ in range(6):
        _gap_member(body)
    frozen, created = snapshots.freeze(kind="month", period_end=dt.date(2024, 1, 31))
    assert created
    before = selectors.totals(frozen, region="31")["coverage.gap"]
    assert before == (Decimal(6), 6)
    for _ in range(3):
        _gap_member(body)
    again, created = snapshots.freeze(kind="month", period_end=dt.date(2024, 1, 31))
    assert not created and again.pk == frozen.pk
    assert selectors.totals(frozen, region="31")["coverage.gap"] == before
    live = snapshots.refresh_live(on=dt.date(2024, 2, 10))
    assert selectors.totals(live, region="31")["coverage.gap"] == (Decimal(9), 9)
    with pytest.raises(PermissionError):
        frozen.delete()
    with pytest.raises(PermissionError):
        Figure.objects.filter(snapshot=frozen).update(value=0)
    with pytest.raises(PermissionError):
        Figure.objects.filter(snapshot=frozen).delete()
    figure = frozen.figures.first()
    figure.value = 1
    with pytest.raises(PermissionError):
        figure.save()


def test_freeze_due_freezes_month_and_quarter_ends_once():
    made = snapshots.freeze_due(today=dt.date(2024, 4, 2), back_to=dt.date(2024, 1, 1))
    kinds = sorted((s.kind, s.period_end) for s in made)
    assert kinds == [
        ("month", dt.date(2024, 1, 31)),
        ("month", dt.date(2024, 2, 29)),
        ("month", dt.date(2024, 3, 31)),
        ("quarter", dt.date(2024, 3, 31)),
    ]
    assert snapshots.freeze_due(today=dt.date(2024, 4, 20)) == []


def test_the_management_command_and_the_job_freeze_and_refresh():
    with clock.travel("2024-05-03"):
        call_command("sinergi_snapshots", "--now")
        assert Snapshot.objects.filter(kind="month", period_end=dt.date(2024, 4, 30)).exists()
        assert Snapshot.objects.filter(kind="live", period_end=dt.date(2024, 5, 3)).count() == 1
        from sinergi.planning.tasks import snapshots_start

        job = snapshots_start()
        job.refresh_from_db()
        assert job.status == "succeeded", job.messages
        assert Snapshot.objects.filter(kind="live").count() == 1


def test_expected_target_is_time_proportional():
    quarters = [Decimal(100), Decimal(200), Decimal(300), Decimal(400)]
    assert selectors.expected_by(quarters, dt.date(2024, 1, 1)) == 0
    assert selectors.expected_by(quarters, dt.date(2024, 3, 31)) == 100
    assert selectors.expected_by(quarters, dt.date(2024, 12, 31)) == 400
    mid = selectors.expected_by(quarters, dt.date(2024, 5, 15))
    assert 100 < mid < 200


def test_small_cells_are_hidden_outside_the_owning_organisation():
    assert selectors.shown("coverage.gap", Decimal(3), 3, suppress=True) is None
    assert selectors.shown("coverage.gap", Decimal(3), 3, suppress=False) == 3
    assert selectors.shown("coverage.gap", Decimal(5), 5, suppress=True) == 5
    assert selectors.shown("meetings.dialogues", Decimal(2), 2, suppress=True) == 2
