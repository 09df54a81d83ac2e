"""Issue #15 leftover in programs: the detail pages' actions (distribution, application, card, cohort,
cooperative, nomination, card and application batches) answer a bad value ON THE FIELD, in Indonesian,
keep what was typed, and change nothing; a program id outside the officer's scope is a field error."""

import datetime as dt

import pytest
from django.urls import reverse

from sinergi.programs.models import Application, Card, Cohort, Cooperative, Distribution, Enrolment, Program
from tests.programs import test_forms_pages as pages
from tests.programs.factories import kpj_program

pytestmark = pytest.mark.django_db
officer, places = pages.officer, pages.places  # the same fixtures as the page tests
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def errors(html: str, name: str) -> str:
    """The text of the error list drawn next to field `name` ('' when there is none)."""
    marker = f'data-testid="{name}-errors"'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</ul>", 1)[0]


def test_a_returned_count_in_words_is_a_field_error_and_is_kept(client, officer, places):
    client.force_login(officer)
    url = reverse("programs:distribution_detail", args=[places["dist"].pk])
    r = client.post(url, {"action": "return", "count": "5 paket"}, **ID)
    assert r.status_code == 200
    html = r.content.decode()
    assert "bilangan bulat" in errors(html, "count")
    assert 'value="5 paket"' in html
    assert Distribution.objects.get(pk=places["dist"].pk).stock_returned == 0
    r = client.post(url, {"action": "return", "count": "99"}, **ID)  # more than remains: the service says so
    assert r.status_code == 200 and errors(r.content.decode(), "count")
    r = client.post(url, {"action": "return", "count": "4"})
    assert r.status_code == 302 and Distribution.objects.get(pk=places["dist"].pk).stock_returned == 4


def test_a_hand_over_without_nik_or_card_names_the_nik_field_and_keeps_the_place(client, officer, places):
    client.force_login(officer)
    url = reverse("programs:distribution_detail", args=[places["dist"].pk])
    r = client.post(url, {"action": "handover", "nik": "", "place": "Balai RW 03"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200 and errors(html, "nik") and 'value="Balai RW 03"' in html
    assert not places["dist"].handovers.exists()


def test_an_unknown_distribution_action_is_refused_with_a_message(client, officer, places):
    client.force_login(officer)
    url = reverse("programs:distribution_detail", args=[places["dist"].pk])
    r = client.post(url, {"action": "steal", "count": "3"}, **ID)
    assert r.status_code == 400 and errors(r.content.decode(), "action")
    assert Distribution.objects.get(pk=places["dist"].pk).stock_returned == 0


def test_a_rejection_without_reason_is_a_field_error(client, officer, places):
    client.force_login(officer)
    app = places["app"]
    url = reverse("programs:application_detail", args=[app.pk])
    r = client.post(url, {"action": "reject", "reason": "  "}, **ID)
    assert r.status_code == 200 and "alasan" in errors(r.content.decode(), "reason")
    assert Application.objects.get(pk=app.pk).status == Application.Status.NOMINATED
    r = client.post(url, {"action": "explode"}, **ID)
    assert r.status_code == 400 and errors(r.content.decode(), "action")
    r = client.post(url, {"action": "reject", "reason": "Bukan anggota"})
    assert r.status_code == 302
    assert Application.objects.get(pk=app.pk).status == Application.Status.REJECTED


def test_a_card_action_without_reason_is_a_field_error(client, officer, places):
    client.force_login(officer)
    card = places["card"]
    url = reverse("programs:card_detail", args=[card.pk])
    r = client.post(url, {"action": "revoke", "reason": ""}, **ID)
    assert r.status_code == 200 and errors(r.content.decode(), "reason")
    assert Card.objects.get(pk=card.pk).status == Card.Status.ACTIVE
    r = client.post(url, {"action": "burn", "reason": "hilang"}, **ID)
    assert r.status_code == 400 and errors(r.content.decode(), "action")
    assert Card.objects.get(pk=card.pk).status == Card.Status.ACTIVE


def test_enrolment_and_attendance_errors_are_on_their_fields(client, officer, places):
    client.force_login(officer)
    cohort = places["cohort"]
    url = reverse("programs:cohort_detail", args=[cohort.pk])
    r = client.post(url, {"action": "enrol", "nik": "12 34"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200 and "16 angka" in errors(html, "nik") and 'value="12 34"' in html
    other = Cohort.objects.create(
        course=cohort.course,
        name="B",
        region_id="31",
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2025, 7, 2),
        sessions=2,
    )
    stranger = Enrolment.objects.create(cohort=other, person=places["app"].person)
    r = client.post(url, {"action": "attend", "enrolment": stranger.pk, "session": "1"}, **ID)
    assert r.status_code == 200 and errors(r.content.decode(), "attendance")
    assert not stranger.attendance.exists()
    r = client.post(url, {"action": "dance"}, **ID)
    assert r.status_code == 400 and errors(r.content.decode(), "attendance")


def test_savings_typed_in_words_are_a_field_error_and_the_note_is_kept(client, officer, places):
    client.force_login(officer)
    coop = places["coop"]
    url = reverse("programs:coop_detail", args=[coop.pk])
    data = {"action": "save", "member": "1", "kind": "sukarela", "amount": "5 ribu"}
    r = client.post(url, {**data, "entry_date": "2025-06-01", "note": "arisan"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200 and errors(html, "amount") and 'value="arisan"' in html
    assert 'value="5 ribu"' in html
    r = client.post(url, {"action": "join", "nik": "abc", "joined_on": "31-02-2025"}, **ID)
    html = r.content.decode()
    assert errors(html, "nik") and errors(html, "joined_on") and 'value="abc"' in html
    r = client.post(url, {"action": "launder"}, **ID)
    assert r.status_code == 400 and errors(r.content.decode(), "action")
    assert not Cooperative.objects.get(pk=coop.pk).members.exists()


def test_a_nomination_with_a_bad_selection_keeps_the_title(client, officer, places):
    client.force_login(officer)
    url = reverse("programs:nominate", args=[places["program"].pk])
    r = client.post(url, {"people": ["abc"], "title": "Gelombang 2"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200 and errors(html, "people") and 'value="Gelombang 2"' in html
    assert Application.objects.count() == 1


def test_a_batch_for_a_program_outside_the_scope_is_a_field_error(client, officer, places, make_user):
    elsewhere = kpj_program(
        year=2025, code="JABAR2025", owner=make_user("agency_officer", region="32").organisation
    )
    Program.objects.filter(pk=elsewhere.pk).update(region_id="32")
    client.force_login(officer)
    app = places["app"]
    r = client.post(
        reverse("programs:application_bulk"),
        {"program": elsewhere.pk, "action": "approve", "ids": [app.pk]},
        **ID,
    )
    html = r.content.decode()
    assert r.status_code == 200 and "cakupan" in errors(html, "program")
    assert f'value="{app.pk}" aria-label="{app.person.name}" checked' in html
    r = client.post(reverse("programs:application_bulk"), {"program": "abc", "ids": ["x"]}, **ID)
    assert errors(r.content.decode(), "ids")
    r = client.post(reverse("programs:card_print"), {"program": "abc"}, **ID)
    assert r.status_code == 200 and errors(r.content.decode(), "program")


def test_a_card_hand_over_with_a_date_in_words_keeps_the_place(client, officer, places):
    client.force_login(officer)
    card = places["card"]
    r = client.post(
        reverse("programs:card_hand_over"),
        {"ids": [card.pk], "on": "kemarin", "place": "Aula Disnaker"},
        **ID,
    )
    html = r.content.decode()
    assert r.status_code == 200 and "tanggal" in errors(html, "on") and 'value="Aula Disnaker"' in html
    assert Card.objects.get(pk=card.pk).handed_over_on is None


def test_an_unknown_program_page_part_is_refused(client, officer, places):
    client.force_login(officer)
    url = reverse("programs:program_detail", args=[places["program"].pk])
    assert client.get(url, {"part": "everything"}).status_code == 400
    assert client.get(url, {"part": "eligible"}).status_code == 200
