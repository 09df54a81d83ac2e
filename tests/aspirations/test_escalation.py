"""Overdue cases escalate set-based to the agency head and onto the tripartite agenda, once."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from sinergi.aspirations import services
from sinergi.aspirations.models import AgendaItem, Aspiration, AspirationEvent
from sinergi.core.models import AuditEntry, Job
from sinergi.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_overdue_cases_escalate_once_to_head_and_agenda(world, file_one, django_capture_on_commit_callbacks):
    late = file_one()  # answer due 25 Jun 2024
    answered = file_one(title="Sudah dijawab")
    services.aspiration_answer(actor=world.officer, aspiration=answered, answer="Selesai.")
    not_yet = file_one(title="Masih dalam tenggat", received_on=dt.date(2024, 6, 24))  # due 1 Jul
    services.aspiration_acknowledge(actor=world.officer, aspiration=not_yet)  # else late to acknowledge
    jember = file_one(actor=world.jember_officer, region_id="3509", title="Di Jember")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.aspirations_escalate(today=dt.date(2024, 6, 26))
    assert result["escalated"] == 2 and result["agenda_items"] == 1
    late.refresh_from_db()
    assert late.escalated_at is not None and late.status == Aspiration.Status.ASSIGNED
    assert list(late.events.values_list("kind", flat=True))[-2:] == ["escalated", "agenda"]
    item = AgendaItem.objects.get()
    assert item.aspiration == late and item.body == world.lks and item.status == AgendaItem.Status.PENDING
    # Jember has no tripartite body in this world: escalated, but no agenda item
    assert Aspiration.objects.get(pk=jember.pk).escalated_at is not None
    assert not Aspiration.objects.get(pk=not_yet.pk).escalated_at
    assert not Aspiration.objects.get(pk=answered.pk).escalated_at
    to_head = Notification.objects.filter(recipient=world.head, kind="escalated")
    assert to_head.count() == 1 and late.tracking_code in to_head.get().message
    assert "head@example.test" in {m.to[0] for m in mail.outbox}
    assert AuditEntry.objects.filter(object_id=str(late.pk), purpose="overdue escalation").count() == 1
    again = services.aspirations_escalate(today=dt.date(2024, 6, 27))
    assert again == {"escalated": 0, "agenda_items": 0, "notifications": 0}
    assert AgendaItem.objects.count() == 1


def test_an_unacknowledged_case_escalates_after_the_acknowledge_deadline(world, file_one):
    a = file_one()  # acknowledge by 19 Jun
    assert services.aspirations_escalate(today=dt.date(2024, 6, 19))["escalated"] == 0
    assert services.aspirations_escalate(today=dt.date(2024, 6, 20))["escalated"] == 1
    b = file_one(title="Sudah diakui")
    services.aspiration_acknowledge(actor=world.officer, aspiration=b)
    assert services.aspirations_escalate(today=dt.date(2024, 6, 20))["escalated"] == 0
    assert a.events.filter(kind=AspirationEvent.Kind.ESCALATED).count() == 1


def test_escalation_is_set_based(world, file_one, django_assert_max_num_queries):
    for i in range(3):
        file_one(title=f"Kasus {i}")
    with django_assert_max_num_queries(40) as few:
        services.aspirations_escalate(today=dt.date(2024, 7, 30))
    Aspiration.objects.update(escalated_at=None)
    AgendaItem.objects.all().delete()
    for i in range(30):
        file_one(title=f"Kasus lagi {i}")
    with django_assert_max_num_queries(len(few.captured_queries) + 4):
        result = services.aspirations_escalate(today=dt.date(2024, 7, 30))
    assert result["escalated"] == 33


def test_deadline_warning_is_sent_once(world, file_one):
    file_one()  # bureaucracy warns 1 working day ahead; due 25 Jun
    assert services.aspirations_warn(today=dt.date(2024, 6, 21))["warned"] == 0
    first = services.aspirations_warn(today=dt.date(2024, 6, 24))
    assert first["warned"] == 1 and first["notifications"] == 3  # officer, head and the admin in the agency
    assert services.aspirations_warn(today=dt.date(2024, 6, 25))["warned"] == 0
    assert Notification.objects.filter(recipient=world.officer, kind="deadline").count() == 1


def test_command_runs_the_job(world, file_one, capsys):
    file_one()
    call_command("sinergi_escalate", "--now", "--today", "2024-07-01")
    job = Job.objects.get(kind="aspirations.escalate")
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["escalation"]["escalated"] == 1
    assert "succeeded" in capsys.readouterr().out


def test_escalation_is_scheduled_daily_at_six():
    from django.utils import timezone

    from sinergi.core.schedules import discover

    sched = discover()["aspirations.escalation"]
    after = timezone.make_aware(dt.datetime(2024, 6, 14, 7, 30))
    assert sched.slot_at_or_before(after) == timezone.make_aware(dt.datetime(2024, 6, 14, 6, 0))
    early = timezone.make_aware(dt.datetime(2024, 6, 14, 5, 0))
    assert sched.slot_at_or_before(early) == timezone.make_aware(dt.datetime(2024, 6, 13, 6, 0))


def test_tripartite_outcome_closes_the_loop(world, file_one):
    a = file_one()
    services.aspirations_escalate(today=dt.date(2024, 7, 1))
    item = AgendaItem.objects.get(aspiration=a)
    from sinergi.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.agenda_item_close(actor=world.official, item=item, outcome="x")
    session = services.session_create(
        actor=world.secretary, body=world.lks, date=dt.date(2024, 7, 10), place="Kantor Wali Kota"
    )
    services.agenda_item_schedule(actor=world.secretary, item=item, session=session)
    services.agenda_item_decide(
        actor=world.secretary, item=item, decision="Kelurahan menerbitkan rekomendasi."
    )
    services.agenda_item_close(actor=world.secretary, item=item, outcome="Rekomendasi terbit 12 Juli.")
    a.refresh_from_db()
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.CLOSED and item.closed_at
    assert a.status == Aspiration.Status.ANSWERED and "Rekomendasi terbit 12 Juli." in a.answer
    services.aspiration_close(actor=world.official, aspiration=a, rating=5)
    assert Aspiration.objects.get(pk=a.pk).rating == 5
