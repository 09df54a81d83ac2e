"""Meetings, commitments, the 12-month cadence list, the calendar and iCalendar invitations."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.meetings import selectors, services
from sinergi.meetings.ics import meeting_ics
from sinergi.meetings.models import Commitment, Meeting
from sinergi.notifications.models import Notification
from tests.factories import UnionBodyFactory

pytestmark = pytest.mark.django_db


def at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def make_meeting(world, *, when=None, status="held", bodies=(), invited=(), actor=None, **kw):
    m = services.meeting_create(
        actor=actor or world.ss_officer,
        kind=kw.pop("kind", Meeting.Kind.SS_UNION),
        title=kw.pop("title", "Diskusi berkala BPJS dan serikat"),
        starts_at=when or at(2024, 5, 13),
        place=kw.pop("place", "Kantor Cabang Cilincing"),
        union_bodies=bodies,
        invited_organisations=invited,
        **kw,
    )
    if status == "held":
        services.meeting_record(actor=actor or world.ss_officer, meeting=m, minutes="Notulen.")
    return m


def test_cadence_lists_exactly_the_bodies_without_dialogue_in_12_months(world):
    today = dt.date(2024, 6, 20)
    jakut = UnionBodyFactory(region_id="3172", name="PUK Uji Jakut A")
    jakut_b = UnionBodyFactory(region_id="3172", name="PUK Uji Jakut B")
    old = UnionBodyFactory(region_id="3172", name="PUK Uji Jakut Lama")
    planned_only = UnionBodyFactory(region_id="3172", name="PUK Uji Jakut Rencana")
    UnionBodyFactory(region_id="3509", name="PUK Jember di luar area")
    UnionBodyFactory(region_id="3172", name="PUK Nonaktif", is_active=False)
    make_meeting(world, when=at(2024, 5, 1), bodies=[jakut])  # met a month ago
    make_meeting(
        world, when=at(2023, 9, 1), invited=[world.union_org]
    )  # the DPW (region 31) via its organisation
    make_meeting(world, when=at(2023, 6, 1), bodies=[old])  # more than 12 months ago
    make_meeting(world, when=at(2024, 7, 1), bodies=[planned_only], status="planned")  # not held yet
    names = set(selectors.cadence_gaps(user=world.ss_officer, today=today).values_list("name", flat=True))
    assert names == {"PUK Uji Jakut B", "PUK Uji Jakut Lama", "PUK Uji Jakut Rencana"}
    assert jakut_b.name in names
    # the province agency sees its whole province: the DPW had its dialogue, the other DKI bodies did not
    agency_names = set(selectors.cadence_gaps(user=world.officer, today=today).values_list("name", flat=True))
    assert world.body.name not in agency_names and "PUK Uji Jakut B" in agency_names
    assert "PUK Jember di luar area" not in agency_names
    last = {b.name: b.last_meeting for b in selectors.cadence_gaps(user=world.officer, today=today)}
    assert last["PUK Uji Jakut Lama"] == at(2023, 6, 1) and last["PUK Uji Jakut B"] is None
    assert not selectors.cadence_gaps(user=world.official, today=today).exists()


def test_meeting_validation_and_scope(world):
    with pytest.raises(SinergiError) as exc:
        make_meeting(world, place=" ")
    assert exc.value.field == "place"
    with pytest.raises(SinergiError) as exc:
        make_meeting(world, ends_at=at(2024, 5, 12))
    assert exc.value.code == "ends_before_start"
    with pytest.raises(NotAllowed):
        make_meeting(world, actor=world.official)
    m = make_meeting(world, invited=[world.union_org], status="planned")
    assert Notification.objects.filter(recipient=world.official, kind="other").exists()
    assert m in selectors.meeting_list(user=world.official)  # invited
    assert m in selectors.meeting_list(user=world.officer)  # in its province
    assert m not in selectors.meeting_list(user=world.other_official)
    assert m not in selectors.meeting_list(user=world.jember_officer)
    assert not selectors.meeting_list(user=world.sponsor).exists()


def test_recording_validates_all_rows_first(world):
    m = make_meeting(world, status="planned")
    with pytest.raises(SinergiError):
        services.meeting_record(
            actor=world.ss_officer, meeting=m, minutes="ok", attendance=[{"name": "A"}, {"name": ""}]
        )
    m.refresh_from_db()
    assert m.status == "planned" and m.attendance.count() == 0
    services.meeting_record(
        actor=world.ss_officer,
        meeting=m,
        minutes="Dibahas kepesertaan.",
        attendance=[{"name": "Perwakilan serikat", "headcount": 40}],
        speakers=[{"name": "Kepala Kantor Cabang", "position": "BPJS", "remarks": "Minimal setahun sekali."}],
    )
    m.refresh_from_db()
    assert m.status == "held" and m.attendance.get().headcount == 40 and m.speakers.count() == 1
    with pytest.raises(Conflict):
        services.meeting_cancel(actor=world.ss_officer, meeting=m)


def test_commitments_are_tracked_with_overdue_and_on_time(world):
    m = make_meeting(world)
    early = services.commitment_add(
        actor=world.ss_officer,
        meeting=m,
        description="Laporkan kendala birokrasi segera",
        owner=world.union_org,
        due_date=dt.date(2024, 6, 1),
    )
    late = services.commitment_add(
        actor=world.ss_officer,
        meeting=m,
        description="Libatkan serikat lewat Tim P3KP",
        owner=world.agency,
        due_date=dt.date(2024, 6, 1),
    )
    assert Notification.objects.filter(recipient=world.official, kind="commitment").count() == 1
    with pytest.raises(NotAllowed):
        services.commitment_set_status(actor=world.jember_officer, commitment=early, status="done")
    services.commitment_set_status(
        actor=world.official, commitment=early, status="done", done_on=dt.date(2024, 5, 30)
    )
    with pytest.raises(Conflict):
        services.commitment_set_status(actor=world.official, commitment=early, status="dropped")
    assert early.done_on_time is True
    assert late.is_overdue(dt.date(2024, 6, 2)) and not late.is_overdue(dt.date(2024, 6, 1))
    reminded = services.commitments_remind(today=dt.date(2024, 6, 2))
    assert reminded["reminded"] == 1
    # dates in the notices read the Indonesian way, never ISO
    notices = [n.message for n in Notification.objects.filter(kind="commitment")]
    assert any("1 Juni 2024" in m for m in notices) and not any("2024-06-01" in m for m in notices), notices
    assert services.commitments_remind(today=dt.date(2024, 6, 3))["reminded"] == 0
    services.commitment_set_status(
        actor=world.officer, commitment=late, status="done", done_on=dt.date(2024, 6, 10)
    )
    stats = selectors.commitment_stats(user=world.admin, today=dt.date(2024, 6, 20))
    assert (stats["done"], stats["done_on_time"], stats["on_time_share"], stats["overdue"]) == (2, 1, 0.5, 0)
    assert Commitment.objects.get(pk=late.pk).events.count() == 2


def test_ics_is_rfc5545(world):
    m = make_meeting(
        world,
        status="planned",
        title="Ngopi Bareng; Bupati, serikat & pekerja informal " + "x" * 60,
        when=at(2024, 6, 20, 9),
        place="Aula Gedung Utama Sevendream City, Jalan Slamet Riyadi, Jember",
        description="Baris satu\nBaris dua",
    )
    body = meeting_ics([m], host="sinergi.test")
    text = body.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert f"UID:{m.uid}@sinergi.test" in unfolded
    assert "DTSTART:20240620T020000Z" in unfolded  # 09:00 WIB
    assert "DTEND:20240620T040000Z" in unfolded
    assert "SUMMARY:Ngopi Bareng\\; Bupati\\, serikat & pekerja informal" in unfolded
    assert "LOCATION:Aula Gedung Utama Sevendream City\\, Jalan Slamet Riyadi\\, Jember" in unfolded
    assert "DESCRIPTION:Baris satu\\nBaris dua" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 1 and "DTSTAMP:" in unfolded


def test_pages(client, world):
    m = make_meeting(world, when=at(2024, 6, 20, 9), title="Pertemuan Juni")
    services.commitment_add(
        actor=world.ss_officer,
        meeting=m,
        description="Tindak lanjut",
        owner=world.branch,
        due_date=dt.date(2024, 6, 1),
    )
    client.force_login(world.ss_officer)
    for name in ("list", "new", "calendar", "commitments", "cadence", "calendar_ics"):
        assert client.get(reverse(f"meetings:{name}")).status_code == 200, name
    cal = client.get(reverse("meetings:calendar"), {"month": "2024-06"}).content.decode()
    assert "Pertemuan Juni" in cal
    assert client.get(reverse("meetings:calendar"), {"month": "garbage"}).status_code == 200
    r = client.get(reverse("meetings:ics", args=[m.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    commitments = client.get(reverse("meetings:commitments"), {"overdue": "1"}).content.decode()
    assert "Tindak lanjut" in commitments and "badge-err" in commitments
    client.force_login(world.other_official)
    assert client.get(reverse("meetings:detail", args=[m.pk])).status_code == 404
    assert client.get(reverse("meetings:ics", args=[m.pk])).status_code == 404
    assert client.get(f"/api/v1/meetings/{m.pk}").status_code == 404


def test_api(client, world):
    client.force_login(world.officer)
    r = client.post(
        "/api/v1/meetings/",
        {
            "kind": "coordination",
            "title": "Koordinasi",
            "starts_at": "2024-08-07T10:00:00+07:00",
            "place": "Balai Kota",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert client.get("/api/v1/meetings/").json()["count"] == 1
    assert client.get(f"/api/v1/meetings/{r.json()['id']}").json()["place"] == "Balai Kota"
    assert client.get("/api/v1/meetings/cadence").status_code == 200
    assert client.get("/api/v1/meetings/commitments").json()["count"] == 0


def test_a_finished_commitments_status_form_defaults_to_done_and_saving_it_keeps_it_done(world, client):
    """Issue 10: the form defaulted to 'terbuka', so saving it reopened a finished commitment."""
    m = make_meeting(world)
    done = services.commitment_add(
        actor=world.ss_officer,
        meeting=m,
        description="Sosialisasi JKP",
        owner=world.union_org,
        due_date=dt.date(2024, 6, 1),
    )
    services.commitment_set_status(
        actor=world.official, commitment=done, status="done", done_on=dt.date(2024, 5, 30)
    )
    client.force_login(world.official)
    page = client.get(reverse("meetings:commitments")).content.decode()
    form = page[page.index(reverse("meetings:commitment_status", args=[done.pk])) :]
    form = form[: form.index("</form>")]
    assert 'value="done" selected' in form
    # submitting the form unchanged keeps it done (and records the note)
    r = client.post(
        reverse("meetings:commitment_status", args=[done.pk]), {"status": "done", "note": "sudah dilaporkan"}
    )
    assert r.status_code == 302
    done.refresh_from_db()
    assert done.status == "done" and done.done_on == dt.date(2024, 5, 30)
    assert done.progress_note == "sudah dilaporkan"
