"""The audit log reads as sentences in officers' words, with labelled fields, masked NIKs and links."""

import pytest
from django.urls import reverse
from django.utils import translation

from sinergi.core.audit import audit_create, audit_record, audit_transition
from sinergi.core.audit_display import describe
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(agency_officer):
    agency_officer.first_name, agency_officer.last_name = "Dina", "Lestari"
    agency_officer.save()
    return agency_officer


def test_a_status_change_names_the_record_and_both_statuses_in_indonesian(officer):
    entry = audit_record(
        actor=officer,
        action="transition",
        object_type="programs.application",
        object_id="12",
        object_repr="KPJ-2026: Pekerja Uji",
        changes={"status": ["nominated", "verified"]},
    )
    with translation.override("id"):
        (d,) = describe([entry])
    assert d.sentence.startswith(
        f"Dina Lestari ({officer.username}) mengubah status permohonan KPJ-2026: Pekerja Uji "
        "dari dinominasikan menjadi "
    )
    assert d.sentence.endswith("verifikasi")  # the label of "verified" ("diverifikasi"/"terverifikasi")
    assert d.changes == []


def test_changed_fields_are_labelled_with_choice_labels_and_indonesian_dates(officer):
    person = PersonFactory()
    entry = audit_record(
        actor=officer,
        action="update",
        obj=person,
        changes={"employment_type": ["formal", "informal"], "death_date": [None, "2026-11-13"]},
    )
    with translation.override("id"):
        (d,) = describe([entry])
    labels = {c.label: (c.before, c.after) for c in d.changes}
    assert d.sentence.startswith(f"Dina Lestari ({officer.username}) mengubah orang")
    assert d.url == reverse("registry:person_detail", args=[person.pk])
    assert labels["tanggal meninggal"] == ("–", "13 November 2026")
    assert "employment_type" not in labels and "death_date" not in labels
    assert ("formal (penerima upah)", "informal") in labels.values()


def test_a_nik_never_shows_in_full(officer):
    person = PersonFactory()
    entry = audit_create(actor=officer, obj=person)
    (d,) = describe([entry])
    rendered = d.sentence + " ".join(f"{c.before} {c.after}" for c in d.changes)
    assert person.nik not in rendered
    assert person.nik[:6] + "******" + person.nik[12:] in rendered


def test_the_page_shows_sentences_not_raw_keys(client, officer, make_user):
    head = make_user("agency_head", org=officer.organisation)
    audit_transition(actor=officer, obj=PersonFactory(), from_status="draft", to_status="submitted")
    client.force_login(head)
    with translation.override("id"):
        html = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "mengubah status" in html
    assert "{&#x27;status&#x27;" not in html and "{'status'" not in html
