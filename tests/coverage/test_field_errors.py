"""Issue #15 leftover in coverage: every page parameter through a form. A bad value is named on its
field in Indonesian, what was typed is shown again, nothing changes; the good path still works."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.coverage.models import CandidateBatch, Participation
from tests.coverage.factories import ParticipationFactory
from tests.coverage.test_views_api import _scheme_setup

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def errors(html: str, name: str) -> str:
    marker = f'data-testid="{name}-errors"'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</ul>", 1)[0]


def test_participation_filters_are_typed(client, agency_officer):
    ParticipationFactory()
    client.force_login(agency_officer)
    r = client.get("/coverage/participations/", {"status": "bribed", "segment": "XYZ", "q": "Budi"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200 and errors(html, "status") and errors(html, "segment")
    assert 'value="Budi"' in html
    r = client.get("/coverage/participations/", {"scheme": "abc"}, **ID)
    assert r.status_code == 200 and "bilangan" in errors(r.content.decode(), "scheme")
    r = client.get("/coverage/participations/", {"status": "active"})
    assert r.status_code == 200 and not errors(r.content.decode(), "status")


def test_bill_filters_are_typed(client, make_user):
    client.force_login(make_user("ss_officer", region="31"))
    r = client.get("/coverage/bills/", {"month": "Nopember", "payer_kind": "alien"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200 and errors(html, "month") and errors(html, "payer_kind")
    assert 'value="Nopember"' in html
    assert not errors(client.get("/coverage/bills/", {"month": "2025-11"}).content.decode(), "month")


def test_gap_filters_are_typed_and_the_export_refuses_a_bad_format(client, agency_officer):
    client.force_login(agency_officer)
    r = client.get("/coverage/gap/", {"by": "planet", "body": "abc", "region": "Jakarta"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200
    assert errors(html, "by") and errors(html, "body") and "31.72" in errors(html, "region")
    assert 'value="Jakarta"' in html
    r = client.get("/coverage/gap/export/", {"format": "exe"}, **ID)
    assert r.status_code == 400
    r = client.get("/coverage/gap/export/", {"format": "csv"})
    assert r.status_code == 200


def test_a_candidate_limit_in_words_is_a_field_error(client, make_user):
    a, _b, scheme = _scheme_setup(make_user)
    client.force_login(a)
    r = client.post(f"/coverage/schemes/{scheme.pk}/select/", {"limit": "sepuluh"}, **ID)
    html = r.content.decode()
    assert r.status_code == 200 and errors(html, "limit") and 'value="sepuluh"' in html
    assert not CandidateBatch.objects.exists()
    r = client.post(f"/coverage/schemes/{scheme.pk}/select/", {"limit": "2"})
    assert r.status_code == 302 and CandidateBatch.objects.get().candidates.count() == 2


def test_an_unknown_batch_decision_is_refused_and_the_note_kept(client, make_user):
    a, b, scheme = _scheme_setup(make_user)
    client.force_login(a)
    client.post(f"/coverage/schemes/{scheme.pk}/select/")
    batch = CandidateBatch.objects.get()
    client.force_login(b)
    url = f"/coverage/candidates/{batch.pk}/decide/"
    r = client.post(url, {"decision": "maybe", "note": "cek ulang"}, **ID)
    html = r.content.decode()
    assert r.status_code == 400 and errors(html, "decision") and 'value="cek ulang"' in html
    batch.refresh_from_db()
    assert batch.status == "draft" and not Participation.objects.exists()


def test_the_enrolment_file_refuses_a_bad_choice(client, make_user):
    a, _b, scheme = _scheme_setup(make_user)
    client.force_login(a)
    assert client.get(f"/coverage/schemes/{scheme.pk}/enrolment-file/", {"all": "yes"}).status_code == 400
    assert client.get(f"/coverage/schemes/{scheme.pk}/enrolment-file/", {"all": "1"}).status_code == 200


def test_a_wrong_participant_number_file_is_explained_on_the_file_field(client, make_user):
    a, _b, scheme = _scheme_setup(make_user)
    client.force_login(a)
    bad = SimpleUploadedFile("nomor.csv", b"NIK,Nomor\nabc,\n", content_type="text/csv")
    r = client.post(f"/coverage/schemes/{scheme.pk}/participant-numbers/", {"file": bad}, **ID)
    assert r.status_code == 200 and errors(r.content.decode(), "file")
    r = client.post(f"/coverage/schemes/{scheme.pk}/participant-numbers/", {}, **ID)
    assert r.status_code == 200 and errors(r.content.decode(), "file")


def test_a_gap_proposal_for_a_scheme_outside_the_scope_is_a_field_error(client, make_user):
    a, _b, scheme = _scheme_setup(make_user)
    other_officer = make_user("agency_officer", region="32")
    client.force_login(other_officer)
    r = client.post("/coverage/gap/propose/", {"scheme": scheme.pk, "region": "3375"}, **ID)
    assert r.status_code == 200 and errors(r.content.decode(), "scheme")
    assert not CandidateBatch.objects.exists()
    client.force_login(a)
    r = client.post("/coverage/gap/propose/", {"scheme": scheme.pk, "region": "33.75"})
    assert r.status_code == 302 and CandidateBatch.objects.get().candidates.count() == 3
