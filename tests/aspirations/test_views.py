"""Pages and API: the public tracking page, the filing form, actions, downloads, reports, settings."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.aspirations import services
from sinergi.aspirations.models import Aspiration, Holiday, new_tracking_code
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


def login(client, user):
    client.force_login(user)
    return client


def test_public_tracking_shows_status_only_for_a_valid_code(client, world, file_one):
    from tests.factories import MembershipFactory, PersonFactory

    person = PersonFactory(name="Rahasia Pekerja")
    MembershipFactory(person=person, body=world.body)
    a = file_one(member=person, title="Judul yang tidak boleh tampil", description="Isi rahasia")
    r = client.get(reverse("aspirations:track"), {"code": a.tracking_code.lower()})
    assert r.status_code == 200
    html = r.content.decode()
    assert a.tracking_code in html and str(Aspiration.Status.ASSIGNED.label) in html
    for secret in (
        "Judul yang tidak boleh tampil",
        "Isi rahasia",
        "Rahasia Pekerja",
        person.nik,
        world.body.name,
    ):
        assert secret not in html
    guessed = new_tracking_code()
    r = client.get(reverse("aspirations:track"), {"code": guessed})
    assert r.status_code == 404
    assert 'data-testid="track-result"' not in r.content.decode()
    assert 'data-testid="track-none"' in r.content.decode()


def test_tracking_is_rate_limited(client, world, file_one):
    a = file_one()
    url = reverse("aspirations:track")
    for _ in range(20):
        client.get(url, {"code": new_tracking_code()})
    r = client.get(url, {"code": a.tracking_code})
    assert r.status_code == 429
    assert 'data-testid="track-result"' not in r.content.decode()


def test_tracking_api_needs_no_login_and_hides_everything_else(client, world, file_one):
    a = file_one()
    r = client.get(f"/api/v1/aspirations/track/{a.tracking_code}")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "assigned" and "title" not in body and "description" not in body
    assert client.get(f"/api/v1/aspirations/track/{new_tracking_code()}").status_code == 404


def test_union_official_files_through_the_form_with_an_attachment(client, world):
    login(client, world.official)
    r = client.get(reverse("aspirations:new"))
    assert r.status_code == 200
    r = client.post(
        reverse("aspirations:new"),
        {
            "title": "Pengurusan izin koperasi lambat",
            "category": "bureaucracy",
            "region": "3172",
            "description": "Sudah tiga minggu.",
            "attachments": [
                SimpleUploadedFile("surat.pdf", b"%PDF-1.7 surat", content_type="application/pdf")
            ],
        },
    )
    a = Aspiration.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("aspirations:detail", args=[a.pk])
    assert a.assigned_organisation == world.agency and a.attachments.count() == 1
    r = client.get(reverse("aspirations:detail", args=[a.pk]))
    assert r.status_code == 200 and a.tracking_code in r.content.decode()


def test_form_errors_are_shown_and_nothing_is_saved(client, world):
    login(client, world.official)
    r = client.post(
        reverse("aspirations:new"),
        {
            "title": "x",
            "category": "bureaucracy",
            "region": "3172",
            "description": "y",
            "attachments": [SimpleUploadedFile("a.exe", b"MZ")],
        },
    )
    assert r.status_code == 200 and "PDF, JPG, PNG, DOCX" in r.content.decode()
    assert not Aspiration.objects.exists()


def test_actions_through_the_page(client, world, file_one):
    a = file_one()
    login(client, world.officer)
    url = reverse("aspirations:action", args=[a.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"action": "acknowledge"})
    client.post(url, {"action": "answer", "text": "Sudah kami tindak lanjuti."})
    assert Aspiration.objects.get(pk=a.pk).status == "answered"
    login(client, world.official)
    client.post(url, {"action": "close", "rating": "5", "comment": "Terima kasih"})
    a.refresh_from_db()
    assert (a.status, a.rating) == ("closed", 5)


def test_out_of_scope_answers_404(client, world, file_one):
    a = file_one()
    att_file = SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\nxx")
    services.attachment_add(actor=world.official, aspiration=a, files=[att_file])
    att = a.attachments.get()
    login(client, world.other_official)
    assert client.get(reverse("aspirations:detail", args=[a.pk])).status_code == 404
    assert (
        client.post(reverse("aspirations:action", args=[a.pk]), {"action": "note", "text": "x"}).status_code
        == 404
    )
    assert client.get(reverse("aspirations:attachment", args=[att.pk])).status_code == 404
    assert client.get(f"/api/v1/aspirations/{a.pk}").status_code == 404
    login(client, world.officer)
    r = client.get(reverse("aspirations:attachment", args=[att.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"\x89PNG")
    assert (
        AuditEntry.objects.filter(action="export", object_type="aspirations.aspirationattachment").count()
        == 1
    )


def test_api_file_answer_close(client, world):
    login(client, world.official)
    r = client.post(
        "/api/v1/aspirations/",
        {"title": "Lewat API", "description": "Isi", "category": "program", "region": "3172"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "assigned" and [e["kind"] for e in r.json()["events"]] == [
        "received",
        "assigned",
    ]
    bad = client.post(
        "/api/v1/aspirations/",
        {"title": "", "description": "x", "category": "program"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "title"
    login(client, world.officer)
    r = client.post(
        f"/api/v1/aspirations/{pk}/answer", {"text": "Dijawab lewat API"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert (
        client.post(
            f"/api/v1/aspirations/{pk}/close", {"rating": 5}, content_type="application/json"
        ).status_code
        == 403
    )
    login(client, world.official)
    r = client.post(f"/api/v1/aspirations/{pk}/close", {"rating": 3}, content_type="application/json")
    assert r.status_code == 200 and r.json()["rating"] == 3
    listed = client.get("/api/v1/aspirations/").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == pk
    assert Aspiration.objects.get(pk=pk).channel == "api"


def test_reports_numbers_and_xlsx(client, world, file_one):
    from django.utils import timezone

    a = file_one()  # due 25 Jun
    b = file_one(title="kedua")
    file_one(title="masih terbuka")
    services.aspiration_answer(actor=world.officer, aspiration=a, answer="ok")
    services.aspiration_answer(actor=world.officer, aspiration=b, answer="ok")
    # answered on 20 Jun (3 working days, in time) and 28 Jun (7 working days, late)
    Aspiration.objects.filter(pk=a.pk).update(answered_at=timezone.make_aware(dt.datetime(2024, 6, 20, 10)))
    Aspiration.objects.filter(pk=b.pk).update(answered_at=timezone.make_aware(dt.datetime(2024, 6, 28, 10)))
    from sinergi.aspirations.selectors import report

    r = report(user=world.officer, today=dt.date(2024, 7, 1))
    assert r["open_total"] == 1 and r["overdue"] == 1 and r["answered"] == 2
    assert r["median_days_to_answer"] == 5  # (2 + 8) / 2: 14 Jun → 20 Jun is 2, → 28 Jun is 8 working days
    assert r["within_deadline_share"] == 0.5 and r["within_deadline_percent"] == 50
    assert dict(r["by_age"])["8–30"] == 1
    login(client, world.officer)
    page = client.get(reverse("aspirations:reports")).content.decode()
    assert "50,0%" in page
    resp = client.get(reverse("aspirations:reports"), {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content))
    values = [tuple(row) for row in wb.active.iter_rows(values_only=True)]
    assert ("Summary", "Open cases", 1) in values
    assert ("Summary", "Median working days to answer", 5) in values
    assert ("Summary", "Share answered within the deadline", 0.5) in values
    assert AuditEntry.objects.filter(action="export", object_type="aspirations.report").count() == 1


def test_pages_render_for_each_role(client, world, file_one):
    file_one()
    names = ["list", "new", "notifications", "reports", "agenda", "track"]
    for user in (world.official, world.officer, world.head, world.secretary, world.ss_officer, world.admin):
        login(client, user)
        for name in names:
            r = client.get(reverse(f"aspirations:{name}"))
            assert r.status_code in (200, 403), (user.role, name, r.status_code)
    login(client, world.sponsor)
    assert client.get(reverse("aspirations:reports")).status_code == 403


def test_admin_adds_a_holiday_and_new_deadlines_respect_it(client, world, file_one):
    login(client, world.officer)
    assert client.get(reverse("aspirations:settings")).status_code == 403
    login(client, world.admin)
    assert client.get(reverse("aspirations:settings")).status_code == 200
    r = client.post(
        reverse("aspirations:settings"),
        {
            "form": "holiday",
            "h-date": "2024-06-19",
            "h-name": "Libur daerah",
            "h-kind": "regional",
            "h-is_active": "on",
        },
    )
    assert r.status_code == 302
    assert Holiday.objects.filter(date=dt.date(2024, 6, 19)).exists()
    assert file_one().acknowledge_due == dt.date(2024, 6, 20)
    assert AuditEntry.objects.filter(object_type="aspirations.holiday", action="create").exists()


def test_the_bell_counts_unread_notifications(client, world, file_one):
    file_one()
    login(client, world.officer)
    html = client.get(reverse("aspirations:list")).content.decode()
    assert 'data-testid="bell-count">1<' in html
    client.post(reverse("aspirations:notifications"))
    html = client.get(reverse("aspirations:list")).content.decode()
    assert 'data-testid="bell-count">0<' in html


def test_a_year_that_is_not_a_number_gets_a_message_not_a_server_error(client, world):
    login(client, world.admin)
    r = client.get(reverse("aspirations:settings"), {"year": "abc"}, HTTP_ACCEPT_LANGUAGE="id")
    assert r.status_code == 200
    assert 'data-testid="year-error"' in r.content.decode()
    r = client.get(reverse("aspirations:settings"), {"year": "2025"})
    assert r.status_code == 200 and "2025" in r.content.decode()
