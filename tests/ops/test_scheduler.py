"""The scheduler: slots from the calendar, one leader, each run recorded, failures alerted and not fatal."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from sinergi.core import clock
from sinergi.core import schedules as S
from sinergi.ops import scheduler
from sinergi.ops.models import Lease, OutboxMessage, ScheduledRun

pytestmark = pytest.mark.django_db


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def registry(monkeypatch):
    """An isolated registry holding only the schedules a test registers."""
    monkeypatch.setattr(S, "REGISTRY", {})
    monkeypatch.setattr(S, "discover", lambda: S.REGISTRY)
    monkeypatch.setattr(scheduler, "discover", lambda: S.REGISTRY)
    return S.REGISTRY


@pytest.mark.parametrize(
    "kwargs, moment, expected",
    [
        ({"every": "daily", "at": "06:00"}, (2027, 1, 31, 5, 59), (2027, 1, 30, 6, 0)),
        ({"every": "daily", "at": "06:00"}, (2027, 1, 31, 6, 0), (2027, 1, 31, 6, 0)),
        ({"every": "hourly", "at": ":15"}, (2027, 1, 1, 0, 10), (2026, 12, 31, 23, 15)),
        ({"every": "weekly", "weekday": 0, "at": "07:00"}, (2027, 1, 6, 8, 0), (2027, 1, 4, 7, 0)),
        ({"every": "monthly", "day": 1, "at": "01:00"}, (2027, 3, 1, 0, 30), (2027, 2, 1, 1, 0)),
        ({"every": "monthly", "day": -1, "at": "23:00"}, (2027, 3, 15, 12, 0), (2027, 2, 28, 23, 0)),
        ({"every": "monthly", "day": -1, "at": "23:00"}, (2028, 2, 29, 23, 30), (2028, 2, 29, 23, 0)),
        ({"every": "monthly", "day": 31, "at": "01:00"}, (2027, 4, 30, 2, 0), (2027, 4, 30, 1, 0)),
        ({"every": "quarterly", "day": 1, "at": "02:00"}, (2027, 6, 30, 0, 0), (2027, 4, 1, 2, 0)),
        ({"every": "quarterly", "day": 1, "at": "02:00"}, (2027, 1, 1, 1, 0), (2026, 10, 1, 2, 0)),
        (
            {"every": "yearly", "month": 12, "day": 31, "at": "22:00"},
            (2027, 12, 31, 21, 0),
            (2026, 12, 31, 22, 0),
        ),
        ({"every": "yearly", "month": 1, "day": 1, "at": "00:30"}, (2027, 1, 1, 0, 30), (2027, 1, 1, 0, 30)),
    ],
)
def test_slots_follow_the_calendar(registry, kwargs, moment, expected):
    S.schedule("t", lambda *, day: None, **kwargs)
    assert registry["t"].slot_at_or_before(aware(*moment)) == aware(*expected)


def test_registration_is_checked():
    with pytest.raises(ValueError):
        S.schedule("bad", lambda *, day: None, every="fortnightly")
    with pytest.raises(ValueError):
        S.schedule("bad", lambda *, day: None, every="monthly", day=0)


def test_a_slot_runs_once_and_each_run_is_recorded(registry):
    days = []
    S.schedule("t.daily", lambda *, day: days.append(day) or {"n": 1}, every="daily", at="06:00")
    with clock.travel(aware(2027, 1, 31, 7, 0)):
        first = scheduler.tick()
        assert scheduler.tick() == []  # the same slot: nothing new
    assert len(first) == 1
    run = ScheduledRun.objects.get()
    assert run.status == ScheduledRun.Status.SUCCEEDED and run.result == {"n": 1}
    assert run.day == dt.date(2027, 1, 31) and run.started_at and run.finished_at
    assert days == [dt.date(2027, 1, 31)]
    with clock.travel(aware(2027, 2, 1, 6, 0)):
        scheduler.tick()
    assert days == [dt.date(2027, 1, 31), dt.date(2027, 2, 1)]


def test_a_failed_run_alerts_administrators_and_the_next_still_runs(registry, make_user):
    admin = make_user("admin")
    admin.email = "admin@example.go.id"
    admin.save()
    outcomes = iter([RuntimeError("snapshot table locked"), None])

    def flaky(*, day):
        outcome = next(outcomes)
        if outcome:
            raise outcome
        return {"ok": True}

    S.schedule("t.flaky", flaky, every="daily", at="01:00", title="Nightly snapshot")
    with clock.travel(aware(2027, 5, 1, 2, 0)):
        scheduler.tick()
    failed = ScheduledRun.objects.get()
    assert failed.status == ScheduledRun.Status.FAILED and "snapshot table locked" in failed.error
    alert = OutboxMessage.objects.get(kind="schedule_failed")
    assert alert.to == ["admin@example.go.id"] and alert.status == OutboxMessage.Status.SENT
    assert "Nightly snapshot" in mail.outbox[-1].subject and "snapshot table locked" in mail.outbox[-1].body
    with clock.travel(aware(2027, 5, 2, 2, 0)):
        scheduler.tick()
    assert ScheduledRun.objects.filter(status=ScheduledRun.Status.SUCCEEDED).count() == 1


def test_only_one_leader_until_its_lease_expires():
    assert scheduler.lease_acquire(name="scheduler", holder="a", seconds=60)
    assert not scheduler.lease_acquire(name="scheduler", holder="b", seconds=60)
    assert scheduler.lease_acquire(name="scheduler", holder="a", seconds=60)  # renewal
    Lease.objects.filter(name="scheduler").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert scheduler.lease_acquire(name="scheduler", holder="b", seconds=60)
    assert not scheduler.lease_acquire(name="scheduler", holder="a", seconds=60)
    scheduler.lease_release(name="scheduler", holder="b")
    assert scheduler.lease_acquire(name="scheduler", holder="a", seconds=60)


def test_loop_followers_do_not_schedule(registry):
    S.schedule("t.daily", lambda *, day: None, every="daily", at="00:00")
    leader = scheduler.SchedulerLoop(interval=30, holder="w1")
    follower = scheduler.SchedulerLoop(interval=30, holder="w2")
    assert leader.once() is True
    assert follower.once() is False
    assert ScheduledRun.objects.count() == 1


def test_escalation_is_registered_and_runs_through_the_scheduler():
    from sinergi.core.schedules import discover

    assert "aspirations.escalation" in discover()
    with clock.travel(aware(2027, 3, 3, 12, 0)):
        runs = scheduler.tick()
    run = ScheduledRun.objects.get(schedule="aspirations.escalation")
    assert run in runs and run.status == ScheduledRun.Status.SUCCEEDED, run.error
    assert set(run.result) == {"escalation", "warnings", "commitments"}


def test_admin_page_lists_schedules_and_runs_and_runs_one_by_hand(
    client, make_user, password, django_capture_on_commit_callbacks
):
    admin = make_user("admin")
    officer = make_user("agency_officer")
    client.login(username=officer.username, password=password)
    assert client.get("/ops/schedules/").status_code == 403
    client.login(username=admin.username, password=password)
    page = client.get("/ops/schedules/")
    assert page.status_code == 200 and b"aspirations.escalation" in page.content
    nonsense = client.get("/ops/schedules/?status=nonsense")
    assert nonsense.status_code == 200 and list(nonsense.context["form"].errors) == ["status"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ops/schedules/run", {"schedule": "aspirations.escalation"})
    assert response.status_code == 302
    run = ScheduledRun.objects.get(manual=True)
    assert run.started_by == admin and run.status == ScheduledRun.Status.SUCCEEDED
    # an unknown schedule or a bad day: the page again with the message, and nothing queued
    unknown = client.post("/ops/schedules/run", {"schedule": "no.such"})
    assert unknown.status_code == 400 and list(unknown.context["run_form"].errors) == ["schedule"]
    assert "Jadwal tidak ditemukan" in unknown.content.decode()
    bad_day = client.post("/ops/schedules/run", {"schedule": "aspirations.escalation", "day": "abc"})
    assert bad_day.status_code == 400 and list(bad_day.context["run_form"].errors) == ["day"]
    assert 'data-testid="run-errors"' in bad_day.content.decode()
    assert ScheduledRun.objects.filter(manual=True).count() == 1


def test_year_close_snapshots_reports_and_retention_are_scheduled_and_run(admin_user):
    """The dated work of coverage, planning, reporting and retention runs through the scheduler."""
    from sinergi.core.schedules import discover

    registered = discover()
    for name in ("coverage.year_end", "planning.snapshots", "reporting.monthly_report", "core.retention"):
        assert name in registered, name
    # 2 January 2027, 08:00: year close (1 Jan 00:30), the daily jobs and the monthly report are due
    with clock.travel(aware(2027, 1, 2, 8, 0)):
        scheduler.tick()
    runs = {r.schedule: r for r in ScheduledRun.objects.all()}
    for name in ("coverage.year_end", "planning.snapshots", "reporting.monthly_report", "core.retention"):
        assert runs[name].status == ScheduledRun.Status.SUCCEEDED, (name, runs[name].error)
    assert runs["reporting.monthly_report"].result["month"] == "2026-12-01"
    assert "closed" in runs["coverage.year_end"].result


def test_outbox_status_filter_is_a_typed_field(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/ops/outbox/", {"status": "hilang"})
    assert response.status_code == 200 and list(response.context["form"].errors) == ["status"]
    assert 'id="id_status_error"' in response.content.decode()
    assert not client.get("/ops/outbox/", {"status": "failed"}).context["form"].errors
