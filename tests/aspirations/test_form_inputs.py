"""Every page parameter of aspirations is parsed by a form: a bad value is a message on its field (in
Indonesian), the page is shown again with what was typed, nothing changes; the good path still works."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from sinergi.aspirations import services
from sinergi.aspirations.models import AgendaItem, RoutingRule, ServiceLevel, TripartiteSession
from sinergi.notifications.models import Notification

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


def login(client, user):
    client.force_login(user)
    return client


def html(r):
    return r.content.decode()


# ---- list filters -------------------------------------------------------------------------------------


def test_list_filters_are_typed(client, world, file_one):
    a = file_one()
    login(client, world.officer)
    url = reverse("aspirations:list")
    r = client.get(url, {"status": "dibakar", "q": "Izin"}, **ID)
    assert r.status_code == 200
    assert 'data-testid="filter-error-status"' in html(r)
    assert "bukan salah satu dari pilihan yang tersedia" in html(r)  # Django's own message, in Indonesian
    assert a.tracking_code in html(r)  # the bad filter is left out, the good one (q) applies
    assert 'value="Izin"' in html(r)  # what was typed stays in the form
    r = client.get(url, {"q": "x" * 201}, **ID)
    assert 'data-testid="filter-error-q"' in html(r)
    # good path
    r = client.get(url, {"status": "open", "overdue": "1"})
    assert "filter-error" not in html(r)
    r = client.get(url, {"status": "closed"})
    assert a.tracking_code not in html(r)
    r = client.get(url, {"status": "open"})
    assert a.tracking_code in html(r)


# ---- detail actions -----------------------------------------------------------------------------------


def test_an_unknown_action_is_a_400_with_a_message(client, world, file_one):
    a = file_one()
    before = a.status
    login(client, world.officer)
    r = client.post(reverse("aspirations:action", args=[a.pk]), {"action": "meledak"}, **ID)
    assert r.status_code == 400
    assert 'data-testid="action-error"' in html(r) and "Tindakan ini tidak ada" in html(r)
    a.refresh_from_db()
    assert a.status == before


def test_an_empty_answer_is_a_field_message_and_changes_nothing(client, world, file_one):
    a = file_one()
    before = a.status
    login(client, world.officer)
    url = reverse("aspirations:action", args=[a.pk])
    r = client.post(url, {"action": "answer", "text": "   "}, **ID)
    assert r.status_code == 200
    assert 'data-testid="text-error"' in html(r) and "Tulis jawabannya" in html(r)
    a.refresh_from_db()
    assert a.status == before and not a.answer
    # a note too long is refused on the field, and what was typed is kept
    r = client.post(url, {"action": "note", "text": "catatan " * 2600}, **ID)
    assert r.status_code == 200 and 'data-testid="text-error"' in html(r)
    assert "catatan catatan" in html(r)
    assert not a.events.filter(kind="note").exists()
    # good path
    assert client.post(url, {"action": "answer", "text": "Sudah ditindaklanjuti."}).status_code == 302
    a.refresh_from_db()
    assert a.status == "answered"


def test_a_rating_that_is_not_a_number_is_a_field_message(client, world, file_one):
    a = file_one()
    services.aspiration_answer(actor=world.officer, aspiration=a, answer="Sudah.")
    login(client, world.official)
    url = reverse("aspirations:action", args=[a.pk])
    r = client.post(url, {"action": "close", "rating": "lima", "comment": "Cepat sekali"}, **ID)
    assert r.status_code == 200
    assert 'data-testid="close-form"' in html(r) and "errorlist" in html(r)
    assert 'value="Cepat sekali"' in html(r)
    a.refresh_from_db()
    assert a.status == "answered" and a.rating is None
    assert client.post(url, {"action": "close", "rating": "5"}).status_code == 302
    a.refresh_from_db()
    assert (a.status, a.rating) == ("closed", 5)


def test_assigning_to_an_organisation_that_does_not_exist_is_a_field_message(client, world, file_one):
    a = file_one()
    before = a.assigned_organisation_id
    login(client, world.officer)
    url = reverse("aspirations:action", args=[a.pk])
    for bad in ("abc", "999999", str(world.union_org.pk)):  # a union is no responding organisation
        r = client.post(url, {"action": "assign", "organisation": bad, "note": "tolong"}, **ID)
        assert r.status_code == 200, bad
        assert "errorlist" in html(r) and "Masukkan pilihan yang valid" in html(r)
    a.refresh_from_db()
    assert a.assigned_organisation_id == before
    r = client.post(url, {"action": "assign", "organisation": world.branch.pk})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.assigned_organisation_id == world.branch.pk


# ---- tracking, notifications, reports -----------------------------------------------------------------


def test_a_tracking_code_too_long_is_a_field_message(client, world, file_one):
    a = file_one()
    r = client.get(reverse("aspirations:track"), {"code": "X" * 40}, **ID)
    assert r.status_code == 200 and 'data-testid="track-error"' in html(r)
    assert 'value="' + "X" * 40 + '"' in html(r)
    r = client.get(reverse("aspirations:track"), {"code": a.tracking_code})
    assert r.status_code == 200 and 'data-testid="track-result"' in html(r)


def test_marking_notifications_read_takes_only_ones_own_ids(client, world, file_one):
    file_one()  # notifies the officer's organisation
    mine = Notification.objects.filter(recipient=world.officer, read_at__isnull=True)
    assert mine.exists()
    others = Notification.objects.create(recipient=world.head, kind="other", message="Untuk kepala")
    login(client, world.officer)
    url = reverse("aspirations:notifications")
    r = client.post(url, {"id": "abc"}, **ID)
    assert r.status_code == 400 and 'data-testid="notification-error"' in html(r)
    r = client.post(url, {"id": str(others.pk)}, **ID)
    assert r.status_code == 400 and "bukan salah satu pemberitahuan Anda" in html(r)
    assert mine.exists()
    others.refresh_from_db()
    assert others.read_at is None
    one = mine.first()
    assert client.post(url, {"id": str(one.pk)}).status_code == 302
    one.refresh_from_db()
    assert one.read_at is not None


def test_an_unknown_report_format_is_a_message(client, world, file_one):
    file_one()
    login(client, world.officer)
    r = client.get(reverse("aspirations:reports"), {"format": "pdf"}, **ID)
    assert r.status_code == 200 and 'data-testid="format-error"' in html(r)
    assert "Pilih XLSX atau CSV" in html(r)
    r = client.get(reverse("aspirations:reports"), {"format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")


# ---- tripartite agenda --------------------------------------------------------------------------------


def test_planning_a_session_with_a_bad_date_or_body_keeps_what_was_typed(client, world):
    login(client, world.secretary)
    url = reverse("aspirations:agenda")
    r = client.post(url, {"body": world.lks.pk, "date": "kemarin", "place": "Aula Kantor Walikota"}, **ID)
    assert r.status_code == 200
    assert 'value="Aula Kantor Walikota"' in html(r) and 'value="kemarin"' in html(r)
    assert "errorlist" in html(r)
    r = client.post(url, {"body": world.agency.pk, "date": "2024-07-01", "place": "Aula"}, **ID)
    assert r.status_code == 200 and "Pilih lembaga tripartit" in html(r)
    r = client.post(url, {"body": "abc", "date": "2024-07-01"}, **ID)
    assert r.status_code == 200
    assert not TripartiteSession.objects.exists()
    assert client.post(url, {"body": world.lks.pk, "date": "2024-07-01", "place": "Aula"}).status_code == 302
    assert TripartiteSession.objects.filter(body=world.lks, date=dt.date(2024, 7, 1)).exists()


def test_recording_a_held_session_twice_is_a_message_on_the_page(client, world):
    s = services.session_create(actor=world.secretary, body=world.lks, date=dt.date(2024, 7, 1))
    login(client, world.secretary)
    url = reverse("aspirations:session", args=[s.pk])
    r = client.post(url, {"notes": "x" * 20001}, **ID)
    assert r.status_code == 200 and "errorlist" in html(r)
    s.refresh_from_db()
    assert s.status == "planned"
    assert client.post(url, {"notes": "Hadir lengkap."}).status_code == 302
    r = client.post(url, {"notes": "Lagi"}, **ID)
    assert r.status_code == 200 and "sudah tercatat terlaksana" in html(r)
    s.refresh_from_db()
    assert s.notes == "Hadir lengkap."


def test_agenda_item_actions_are_typed(client, world):
    item = services.agenda_item_add(actor=world.secretary, body=world.lks, title="Upah lembur tertunda")
    other_lks = world.lks.__class__.objects.create(
        name="LKS Lain", kind=world.lks.kind, region_id="3509", is_active=True
    )
    foreign = TripartiteSession.objects.create(body=other_lks, date=dt.date(2024, 7, 2))
    login(client, world.secretary)
    url = reverse("aspirations:agenda_item_action", args=[item.pk])
    r = client.post(url, {"action": "meledak"}, **ID)
    assert r.status_code == 400 and f'data-testid="item-errors-{item.pk}"' in html(r)
    for bad in ("abc", str(foreign.pk), ""):
        r = client.post(url, {"action": "schedule", "session": bad}, **ID)
        assert r.status_code == 200 and f'data-testid="item-errors-{item.pk}"' in html(r), bad
    r = client.post(url, {"action": "decide", "text": " "}, **ID)
    assert r.status_code == 200 and "Tulis keputusannya" in html(r)
    r = client.post(url, {"action": "decide", "text": "Disepakati", "next": "https://jahat.example/"}, **ID)
    assert r.status_code == 200 and "bukan halaman Sinergi" in html(r)
    assert 'value="Disepakati"' in html(r)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PENDING and not item.decision
    s = services.session_create(actor=world.secretary, body=world.lks, date=dt.date(2024, 7, 1))
    r = client.post(
        url, {"action": "schedule", "session": s.pk, "next": f"/aspirations/agenda/sessions/{s.pk}/"}
    )
    assert r.status_code == 302 and r["Location"] == f"/aspirations/agenda/sessions/{s.pk}/"
    item.refresh_from_db()
    assert item.session_id == s.pk


# ---- settings -----------------------------------------------------------------------------------------


def test_settings_forms_report_bad_values_on_their_fields(client, world):
    login(client, world.admin)
    url = reverse("aspirations:settings")
    r = client.post(url, {"form": "rahasia"}, **ID)
    assert r.status_code == 400 and 'data-testid="settings-error"' in html(r)
    level = ServiceLevel.objects.first()
    p = f"s{level.pk}"
    r = client.post(url, {"form": "level", "pk": "abc"}, **ID)
    assert r.status_code == 400 and "Masukkan bilangan bulat" in html(r)
    r = client.post(url, {"form": "level", "pk": "999999"}, **ID)
    assert r.status_code == 400 and "Tingkat layanan ini tidak ada" in html(r)
    data = {
        "form": "level",
        "pk": level.pk,
        f"{p}-acknowledge_days": "tiga",
        f"{p}-answer_days": "14",
        f"{p}-warn_days": "2",
        f"{p}-basis": "Uji",
    }
    r = client.post(url, data, **ID)
    assert r.status_code == 200 and 'value="tiga"' in html(r) and "errorlist" in html(r)
    before = level.acknowledge_days
    level.refresh_from_db()
    assert level.acknowledge_days == before
    rules = RoutingRule.objects.count()
    r = client.post(
        url,
        {
            "form": "rule",
            "pk": "999999",
            "r-category": "",
            "r-organisation": world.branch.pk,
            "r-priority": "0",
        },
        **ID,
    )
    assert r.status_code == 400 and "Aturan penerusan ini tidak ada" in html(r)
    assert RoutingRule.objects.count() == rules
    data.update({f"{p}-acknowledge_days": "4"})
    assert client.post(url, data).status_code == 302
    level.refresh_from_db()
    assert level.acknowledge_days == 4
