"""Every page parameter of meetings is parsed by a form: a bad value is a message on its field (in
Indonesian), the page is shown again with what was typed, nothing changes; the good path still works."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.meetings import services
from sinergi.meetings.models import Commitment, Meeting

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def make_meeting(world, *, status="planned", **kw):
    m = services.meeting_create(
        actor=world.ss_officer,
        kind=Meeting.Kind.SS_UNION,
        title=kw.pop("title", "Diskusi berkala BPJS dan serikat"),
        starts_at=kw.pop("when", at(2024, 5, 13)),
        place="Kantor Cabang Cilincing",
        invited_organisations=[world.union_org],
    )
    if status == "held":
        services.meeting_record(actor=world.ss_officer, meeting=m, minutes="Notulen.")
    return m


def html(r):
    return r.content.decode()


def test_list_filters_are_typed(client, world):
    m = make_meeting(world, when=at(2024, 5, 13))
    client.force_login(world.ss_officer)
    url = reverse("meetings:list")
    r = client.get(url, {"year": "duaribu", "kind": "ss_union"}, **ID)
    assert r.status_code == 200 and 'data-testid="filter-error-year"' in html(r)
    assert "Masukkan bilangan bulat" in html(r) and 'value="duaribu"' in html(r)
    assert m.title in html(r)  # the bad filter is left out, the good one applies
    r = client.get(url, {"year": "1850"}, **ID)
    assert 'data-testid="filter-error-year"' in html(r)
    r = client.get(url, {"kind": "pesta"}, **ID)
    assert 'data-testid="filter-error-kind"' in html(r)
    assert m.title not in html(client.get(url, {"year": "2023"}))
    assert m.title in html(client.get(url, {"year": "2024"}))


def test_the_calendar_month_is_typed(client, world):
    make_meeting(world, when=at(2024, 6, 20), title="Pertemuan Juni")
    client.force_login(world.ss_officer)
    url = reverse("meetings:calendar")
    for bad in ("2024-13", "garbage", "1850-01"):
        r = client.get(url, {"month": bad}, **ID)
        assert r.status_code == 200 and 'data-testid="month-error"' in html(r), bad
    r = client.get(url, {"month": "2024-06"})
    assert "Pertemuan Juni" in html(r) and "month-error" not in html(r)


def test_an_unknown_meeting_action_is_a_400(client, world):
    m = make_meeting(world)
    client.force_login(world.ss_officer)
    r = client.post(reverse("meetings:action", args=[m.pk]), {"action": "hapus"}, **ID)
    assert r.status_code == 400 and 'data-testid="action-error"' in html(r)
    assert "Tindakan ini tidak ada" in html(r)
    m.refresh_from_db()
    assert m.status == "planned"


def test_bad_minutes_are_shown_on_the_field_with_what_was_typed(client, world):
    m = make_meeting(world)
    client.force_login(world.ss_officer)
    url = reverse("meetings:action", args=[m.pk])
    data = {"action": "record", "minutes": "Notulen rapat panjang", "attendance": "Budi; Ketua; banyak"}
    r = client.post(url, data, **ID)
    assert r.status_code == 200
    assert "Baris 1" in html(r) and "Notulen rapat panjang" in html(r) and "Budi; Ketua; banyak" in html(r)
    m.refresh_from_db()
    assert m.status == "planned" and not m.minutes
    data["attendance"] = "Budi; Ketua; 3"
    assert client.post(url, data).status_code == 302
    m.refresh_from_db()
    assert m.status == "held"


def test_a_commitment_without_a_due_date_is_a_field_message(client, world):
    m = make_meeting(world)
    client.force_login(world.ss_officer)
    url = reverse("meetings:action", args=[m.pk])
    data = {
        "action": "commitment",
        "description": "Sosialisasi JKP",
        "owner": world.branch.pk,
        "due_date": "besok",
    }
    r = client.post(url, data, **ID)
    assert r.status_code == 200 and "Sosialisasi JKP" in html(r) and "errorlist" in html(r)
    r = client.post(url, {**data, "due_date": "2024-06-01", "owner": "999999"}, **ID)
    assert r.status_code == 200 and "Masukkan pilihan yang valid" in html(r)
    assert not Commitment.objects.exists()
    assert client.post(url, {**data, "due_date": "2024-06-01"}).status_code == 302
    assert Commitment.objects.filter(meeting=m, owner=world.branch).exists()


def test_cancelling_a_held_meeting_is_a_message_on_the_page(client, world):
    m = make_meeting(world, status="held")
    client.force_login(world.ss_officer)
    r = client.post(reverse("meetings:action", args=[m.pk]), {"action": "cancel", "reason": "Hujan"}, **ID)
    assert r.status_code == 200 and 'data-testid="action-error"' in html(r)
    assert 'value="Hujan"' in html(r)
    m.refresh_from_db()
    assert m.status == "held"
    planned = make_meeting(world)
    r = client.post(reverse("meetings:action", args=[planned.pk]), {"action": "cancel", "reason": "Hujan"})
    assert r.status_code == 302
    planned.refresh_from_db()
    assert planned.status == "cancelled"


def test_commitment_filters_and_status_are_typed(client, world):
    m = make_meeting(world, status="held")
    c = services.commitment_add(
        actor=world.ss_officer,
        meeting=m,
        description="Tindak lanjut",
        owner=world.branch,
        due_date=dt.date(2024, 6, 1),
    )
    client.force_login(world.ss_officer)
    r = client.get(reverse("meetings:commitments"), {"status": "lupa"}, **ID)
    assert r.status_code == 200 and 'data-testid="filter-error-status"' in html(r)
    url = reverse("meetings:commitment_status", args=[c.pk])
    r = client.post(url, {"status": "lupa", "note": "catatan saya"}, **ID)
    assert r.status_code == 200 and f'data-testid="status-errors-{c.pk}"' in html(r)
    assert "Pilih salah satu status yang tersedia" in html(r) and 'value="catatan saya"' in html(r)
    r = client.post(url, {"status": "done", "done_on": "kemarin"}, **ID)
    assert r.status_code == 200 and f'data-testid="status-errors-{c.pk}"' in html(r)
    r = client.post(url, {"status": "done", "next": "//jahat.example/"}, **ID)
    assert r.status_code == 200 and "bukan halaman Sinergi" in html(r)
    c.refresh_from_db()
    assert c.status == "open"
    r = client.post(url, {"status": "in_progress", "next": "/meetings/commitments/?overdue=1"})
    assert r.status_code == 302 and r["Location"] == "/meetings/commitments/?overdue=1"
    c.refresh_from_db()
    assert c.status == "in_progress"
