"""Issue 12 item 1: personal data reaches pages, forms, exports and audit entries only masked, unless
an officer who may see it makes an audited reveal with a purpose."""

import datetime as dt
import json

import pytest

from sinergi.core.audit import audit_record
from sinergi.core.models import AuditEntry
from sinergi.core.privacy import mask_changes, mask_date, mask_field, shown
from sinergi.registry.models import Person
from tests.factories import MembershipFactory, PersonFactory, UnionBodyFactory, make_nik

pytestmark = pytest.mark.django_db


def test_mask_field_masks_every_personal_field_by_its_name():
    assert mask_field("nik", "3172051203900001") == "317205******0001"
    assert mask_field("claimant_nik", "3172051203900001") == "317205******0001"
    assert mask_field("bank_account", "1234567890") == "******7890"
    assert mask_field("phone", "081234567890") == "********7890"
    assert mask_field("birth_date", dt.date(1990, 3, 12)) == "1990-**-**"
    assert mask_field("birth_date", "1990-03-12") == "1990-**-**"
    assert mask_field("wage", 5_000_000) == "Rp •••"
    assert mask_field("name", "Budi") == "Budi"
    assert mask_date(None) == ""


def test_mask_changes_masks_both_sides_and_nested_snapshots():
    changes = {
        "after": {"bank_account": "1234567890", "amount": "100"},
        "nik": ["3172051203900001", "3172051203900002"],
        "field": "nik",
    }
    masked = mask_changes(changes)
    assert masked["after"] == {"bank_account": "******7890", "amount": "100"}
    assert masked["nik"] == ["317205******0001", "317205******0002"]
    assert masked["field"] == "nik"


def test_shown_masks_without_purpose_or_capability_and_audits_a_reveal(make_user):
    person = PersonFactory()
    officer = make_user("agency_officer")
    official = make_user("union_official")
    assert (
        shown(user=officer, obj=person, field="nik", value=person.nik)
        == person.nik[:6] + "******" + person.nik[12:]
    )
    assert shown(user=official, obj=person, field="nik", value=person.nik, purpose="x") != person.nik
    assert not AuditEntry.objects.filter(action="reveal").exists()
    assert shown(user=officer, obj=person, field="nik", value=person.nik, purpose="klaim JKM") == person.nik
    assert AuditEntry.objects.get(action="reveal").purpose == "klaim JKM"


def test_claim_payment_audit_snapshot_stores_the_bank_account_masked(make_user):
    """Finding: the audit log's snapshot of a claim payment stored the full bank account."""
    from sinergi.claims import services
    from tests.claims.test_services import _verified

    verifier = make_user("ss_officer", region="3172", org_kind="ss_branch")
    approver = make_user("ss_officer", org=verifier.organisation)
    claim, _ = _verified(verifier)
    services.claim_decide(actor=approver, claim=claim, approve=True)
    services.claim_payment_instruction_set(
        actor=approver, claim=claim, bank_name="Bank DKI", bank_account="9876-5432-10", account_holder="Siti"
    )
    payment = services.claim_pay(actor=approver, claim=claim, reference="TRX1")
    entry = AuditEntry.objects.get(object_type="claims.payment", object_id=str(payment.pk))
    assert entry.changes["after"]["bank_account"] == "******3210"
    everything = json.dumps(list(AuditEntry.objects.values("changes", "object_repr", "purpose")), default=str)
    assert "9876543210" not in everything


def test_a_person_snapshot_in_the_audit_log_has_no_full_nik_birth_date_or_phone(agency_officer):
    from sinergi.registry import services

    person = services.person_create(
        actor=agency_officer,
        nik=make_nik(),
        name="Siti Aminah",
        phone="081234567890",
        declared_income=4_000_000,
    )
    entry = AuditEntry.objects.get(action="create", object_type="registry.person")
    text = json.dumps(entry.changes)
    assert person.nik not in text and "081234567890" not in text and person.birth_date.isoformat() not in text
    assert entry.changes["after"]["declared_income"] == "Rp •••"


def test_a_nik_correction_is_still_audited_although_masked_values_look_alike(agency_officer):
    from sinergi.registry import services

    person = PersonFactory(nik=make_nik(serial=11))
    new_nik = make_nik(serial=12)
    services.person_update(actor=agency_officer, person=person, nik=new_nik)
    entry = AuditEntry.objects.get(action="update", object_type="registry.person", object_id=str(person.pk))
    assert entry.changes["nik"] == [mask_field("nik", make_nik(serial=11)), mask_field("nik", new_nik)]


def test_audit_record_masks_personal_keys_written_directly(agency_officer):
    audit_record(actor=agency_officer, action="update", changes={"phone": ["0811111111", "0822222222"]})
    assert AuditEntry.objects.get().changes["phone"] == ["******1111", "******2222"]


@pytest.mark.parametrize("role", ["union_official", "agency_officer", "ss_officer", "admin"])
def test_the_edit_form_never_prefills_nik_birth_date_or_phone(client, make_user, password, role):
    """Finding: /registry/people/<id>/edit/ showed the full NIK and birth date without an audit."""
    body = UnionBodyFactory(region_id="317205")
    person = MembershipFactory(
        body=body, person=PersonFactory(district="317205", phone="081298765432")
    ).person
    kwargs = {"union_body": body} if role == "union_official" else {}
    user = make_user(role, region="3172" if role == "ss_officer" else "31", **kwargs)
    client.login(username=user.username, password=password)
    page = client.get(f"/registry/people/{person.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert person.nik not in html
    assert person.birth_date.isoformat() not in html
    assert "081298765432" not in html and "6281298765432" not in html
    assert mask_field("nik", person.nik) in html  # the help text says what is recorded, masked
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_saving_the_edit_form_with_blank_personal_fields_keeps_them(client, agency_officer, password):
    person = PersonFactory(district="317205", phone="081298765432")
    nik, birth = person.nik, person.birth_date
    client.login(username=agency_officer.username, password=password)
    data = {
        "name": "Nama Baru",
        "sex": person.sex,
        "employment_type": person.employment_type,
        "nik": "",
        "birth_date": "",
        "phone": "",
    }
    response = client.post(f"/registry/people/{person.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.name, person.nik, person.birth_date) == ("Nama Baru", nik, birth)
    assert person.phone


def test_a_changed_nik_is_entered_anew_in_the_edit_form(client, agency_officer, password):
    person = PersonFactory(district="317205", nik=make_nik(serial=21))
    client.login(username=agency_officer.username, password=password)
    new = make_nik(serial=22)
    data = {"name": person.name, "sex": person.sex, "employment_type": person.employment_type, "nik": new}
    assert client.post(f"/registry/people/{person.pk}/edit/", data).status_code == 302
    assert Person.objects.get(pk=person.pk).nik == new


def test_the_profile_shows_birth_year_and_masked_phone_until_an_audited_reveal(
    client, agency_officer, password
):
    person = PersonFactory(district="317205", phone="081298765432", birth_date=dt.date(1990, 3, 12))
    client.login(username=agency_officer.username, password=password)
    html = client.get(f"/registry/people/{person.pk}/").content.decode()
    assert person.nik not in html and "12 Maret 1990" not in html and "081298765432" not in html
    revealed = client.post(
        f"/registry/people/{person.pk}/reveal/", {"purpose": "verifikasi"}
    ).content.decode()
    assert person.nik in revealed and "1990" in revealed
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.changes["field"] == "nik,birth_date,phone" and entry.purpose == "verifikasi"


def test_people_export_is_masked_without_a_purpose_and_full_with_one(client, agency_officer, password):
    person = PersonFactory(district="317205")
    client.login(username=agency_officer.username, password=password)
    masked = client.get("/registry/people/?export=csv").content.decode("utf-8-sig")
    assert person.nik not in masked and person.birth_date.isoformat() not in masked
    full = client.get("/registry/people/?export=csv&purpose=pendataan+BSU").content.decode("utf-8-sig")
    assert person.nik in full
    entry = AuditEntry.objects.filter(action="export").latest("pk")
    assert entry.purpose == "pendataan BSU" and entry.changes["revealed"] == ["nik", "birth_date", "phone"]


def test_entries_written_before_masking_are_masked_when_read(client, admin_user, password):
    """The log is append-only (no UPDATE), so entries from before issue 12 are masked on every read."""
    AuditEntry.objects.create(
        actor_label="lama",
        action="create",
        object_type="claims.payment",
        changes={"after": {"bank_account": "1234567890"}},
    )
    client.login(username=admin_user.username, password=password)
    api = client.get("/api/v1/core/audit").content.decode()
    page = client.get("/audit/").content.decode()
    assert "1234567890" not in api and "******7890" in api
    assert "1234567890" not in page
