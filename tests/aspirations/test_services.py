"""Filing, routing, deadlines, guarded transitions, rating, hidden members and attachments."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.aspirations import selectors, services
from sinergi.aspirations.models import (
    Aspiration,
    AspirationAttachment,
    AspirationEvent,
    Holiday,
    RoutingRule,
)
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.core.models import AuditEntry
from sinergi.notifications.models import Notification
from tests.aspirations.conftest import FRIDAY

pytestmark = pytest.mark.django_db

S = Aspiration.Status


def test_union_files_obstacle_routed_to_agency_with_working_day_deadlines(
    world, file_one, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a = file_one()
    assert a.status == S.ASSIGNED
    assert a.assigned_organisation == world.agency
    assert a.union_body == world.body and a.filer_organisation == world.union_org
    # bureaucracy: 1 working day to acknowledge, 5 to answer; 17 Jun (Idul Adha) and 18 Jun (cuti bersama) skipped
    assert a.acknowledge_due == dt.date(2024, 6, 19)
    assert a.answer_due == dt.date(2024, 6, 25)
    assert list(a.events.values_list("kind", flat=True)) == ["received", "assigned"]
    assert len(a.tracking_code) == 12 and a.tracking_code.isalnum()
    notified = set(Notification.objects.filter(kind="assigned").values_list("recipient_id", flat=True))
    assert notified == {world.officer.pk, world.head.pk, world.admin.pk}
    assert {m.to[0] for m in mail.outbox} == {"officer@example.test", "head@example.test"} | {
        world.admin.email
    } - {""}
    assert AuditEntry.objects.filter(object_type="aspirations.aspiration", object_id=str(a.pk)).exists()


def test_a_configured_holiday_moves_the_deadline(world, file_one):
    Holiday.objects.create(date=dt.date(2024, 6, 19), name="Libur daerah uji", kind="regional")
    a = file_one()
    assert a.acknowledge_due == dt.date(2024, 6, 20)
    assert a.answer_due == dt.date(2024, 6, 26)


def test_membership_problem_goes_to_the_branch_serving_the_region(world, file_one):
    a = file_one(category="social_security", region_id="3172")
    assert a.assigned_organisation == world.branch
    assert a.answer_due == dt.date(2024, 7, 2)  # 10 working days from Fri 14 Jun: 19 Jun is day 1


def test_the_most_specific_routing_rule_wins(world, file_one):
    RoutingRule.objects.create(category="", region_id="31", organisation=world.branch, priority=1)
    RoutingRule.objects.create(category="bureaucracy", region_id="3172", organisation=world.lks, priority=50)
    assert file_one().assigned_organisation == world.lks
    assert file_one(category="program").assigned_organisation == world.branch


def test_bad_input_is_refused_and_nothing_is_stored(world, file_one):
    with pytest.raises(SinergiError) as exc:
        file_one(title="   ")
    assert exc.value.field == "title"
    with pytest.raises(SinergiError):
        file_one(category="gossip")
    with pytest.raises(SinergiError) as exc:
        file_one(region_id="3509")  # Jember: outside the DKI union's province
    assert exc.value.code == "region_outside"
    with pytest.raises(NotAllowed):
        file_one(actor=world.sponsor)
    assert Aspiration.objects.count() == 0


def test_a_bad_attachment_stops_the_filing_and_leaves_nothing(world, file_one):
    fake_pdf = SimpleUploadedFile("bukti.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(SinergiError) as exc:
        file_one(attachments=[fake_pdf])
    assert exc.value.code == "file_content"
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(SinergiError) as exc:
        file_one(attachments=[exe])
    assert exc.value.code == "file_type"
    big = SimpleUploadedFile("besar.pdf", b"%PDF" + b"0" * services.MAX_ATTACHMENT_BYTES)
    with pytest.raises(SinergiError) as exc:
        file_one(attachments=[big])
    assert exc.value.code == "file_too_large"
    assert Aspiration.objects.count() == 0 and AspirationAttachment.objects.count() == 0
    good = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    a = file_one(attachments=[good])
    att = a.attachments.get()
    assert (
        att.name == "bukti.pdf"
        and att.size == len(b"%PDF-1.4 test")
        and att.content_type == "application/pdf"
    )


def test_full_path_with_guarded_transitions_and_rating(world, file_one, django_capture_on_commit_callbacks):
    a = file_one()
    with pytest.raises(Conflict):
        services.aspiration_close(actor=world.official, aspiration=a)
    with pytest.raises(NotAllowed):
        services.aspiration_answer(actor=world.official, aspiration=a, answer="sendiri")
    with pytest.raises(NotAllowed):
        services.aspiration_answer(actor=world.ss_officer, aspiration=a, answer="bukan kami")
    services.aspiration_acknowledge(actor=world.officer, aspiration=a)
    assert a.status == S.IN_PROGRESS and a.acknowledged_at is not None
    with pytest.raises(Conflict):
        services.aspiration_acknowledge(actor=world.officer, aspiration=a)
    with pytest.raises(SinergiError):
        services.aspiration_answer(actor=world.officer, aspiration=a, answer=" ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.aspiration_answer(actor=world.officer, aspiration=a, answer="Rekomendasi terbit hari ini.")
    assert a.status == S.ANSWERED and a.answer == "Rekomendasi terbit hari ini."
    assert Notification.objects.filter(recipient=world.official, kind="answered").count() == 1
    assert [m.to for m in mail.outbox] == [["union@example.test"]]
    with pytest.raises(Conflict):
        services.aspiration_rate(actor=world.official, aspiration=a, rating=5)
    with pytest.raises(SinergiError):
        services.aspiration_close(actor=world.official, aspiration=a, rating=6)
    assert Aspiration.objects.get(pk=a.pk).status == S.ANSWERED  # the bad rating rolled the close back
    with pytest.raises(NotAllowed):
        services.aspiration_close(actor=world.officer, aspiration=a, rating=5)
    services.aspiration_close(actor=world.official, aspiration=a, rating=4, comment="Cepat")
    a.refresh_from_db()
    assert (a.status, a.rating, a.rating_comment) == (S.CLOSED, 4, "Cepat")
    with pytest.raises(Conflict):
        services.aspiration_rate(actor=world.official, aspiration=a, rating=5)
    kinds = list(a.events.values_list("kind", flat=True))
    assert kinds == ["received", "assigned", "acknowledged", "answered", "closed", "rated"]


def test_reopen_gives_a_fresh_deadline_and_allows_escalating_again(world, file_one):
    a = file_one()
    services.aspiration_answer(actor=world.officer, aspiration=a, answer="Sudah.")
    Aspiration.objects.filter(pk=a.pk).update(escalated_at="2024-06-30T00:00:00Z")
    with pytest.raises(SinergiError):
        services.aspiration_reopen(actor=world.official, aspiration=a, reason="")
    services.aspiration_reopen(actor=world.official, aspiration=a, reason="Belum terbit.")
    a.refresh_from_db()
    assert a.status == S.REOPENED and a.reopen_count == 1 and a.escalated_at is None
    assert a.answer_due > FRIDAY
    services.aspiration_answer(actor=world.officer, aspiration=a, answer="Kini terbit.")
    assert a.status == S.ANSWERED


def test_a_hidden_member_is_shown_to_the_union_only(world, file_one):
    from tests.factories import MembershipFactory, PersonFactory

    person = PersonFactory(name="Siti Pekerja Uji")
    MembershipFactory(person=person, body=world.body)
    a = file_one(member=person, hide_member=True)
    assert selectors.member_visible(world.official, a)
    assert not selectors.member_visible(world.officer, a)
    assert not selectors.member_visible(world.admin, a)
    stranger = PersonFactory()
    with pytest.raises(SinergiError) as exc:
        file_one(member=stranger)
    assert exc.value.code == "not_a_member"


def test_scoping(world, file_one):
    a = file_one()
    assert a in selectors.aspiration_list(user=world.official)
    assert a in selectors.aspiration_list(user=world.officer)
    assert a in selectors.aspiration_list(user=world.ss_officer)  # North Jakarta is in its service area
    assert a not in selectors.aspiration_list(user=world.other_official)
    assert a not in selectors.aspiration_list(user=world.jember_officer)
    assert not selectors.aspiration_list(user=world.sponsor).exists()


def test_officer_records_from_a_call_in_its_area(world, file_one):
    a = file_one(actor=world.officer, region_id="317205", category="program")
    assert a.channel == Aspiration.Channel.CALL and a.union_body is None
    with pytest.raises(SinergiError):
        file_one(actor=world.jember_officer, region_id="3172")


def test_notes_and_audit_trail(world, file_one):
    a = file_one()
    services.aspiration_note(actor=world.officer, aspiration=a, note="Sedang dikoordinasikan.")
    assert a.events.filter(kind=AspirationEvent.Kind.NOTE).count() == 1
    with pytest.raises(NotAllowed):
        services.aspiration_note(actor=world.jember_officer, aspiration=a, note="x")
