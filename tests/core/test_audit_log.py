"""The audit log is append-only: no edit or delete path in the model, queryset, SQL, admin, UI or API."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver, reverse

from sinergi.core.audit import audit_record
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(agency_officer):
    return audit_record(
        actor=agency_officer, action="update", object_type="x.y", object_id="1", changes={"a": [1, 2]}
    )


def test_an_entry_records_actor_organisation_and_changes(entry, agency_officer):
    assert entry.actor_label == agency_officer.username
    assert entry.organisation == agency_officer.organisation
    assert entry.changes == {"a": [1, 2]}


def test_the_model_refuses_to_change_or_delete_an_entry(entry):
    entry.purpose = "rewrite history"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_the_queryset_refuses_bulk_changes(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_update([entry], ["purpose"])
    assert AuditEntry.objects.get(pk=entry.pk).purpose == ""


def test_the_database_refuses_an_update_in_raw_sql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET purpose = 'x' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).purpose == ""


@pytest.mark.postgres
def test_postgresql_also_refuses_a_delete_in_raw_sql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("the DELETE trigger exists on PostgreSQL only (SQLite's test flush deletes rows)")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_offers_no_audit_log_editing():
    from django.contrib import admin

    model_admin = admin.site._registry.get(AuditEntry)
    if model_admin is not None:  # if ever registered, it must be read-only
        assert not model_admin.has_change_permission(None)
        assert not model_admin.has_delete_permission(None)
        assert not model_admin.has_add_permission(None)


def test_no_url_or_api_operation_writes_the_audit_log():
    from sinergi.config.api import api

    for prefix, router in api._routers:
        for path, operations in router.path_operations.items():
            full = (prefix + path).replace("//", "/")
            if "audit" in full:
                for op in operations.operations:
                    assert op.methods == ["GET"], (full, op.methods)
    names = [p.name for p in get_resolver().url_patterns[0].url_patterns if p.name]
    audit_urls = [n for n in names if n.startswith("audit")]
    assert sorted(audit_urls) == ["audit_export", "audit_log"]


def test_the_audit_page_has_no_edit_or_delete_buttons_and_filters_work(client, admin_user, entry):
    audit_record(actor=admin_user, action="export", object_type="registry.person", purpose="laporan")
    client.force_login(admin_user)
    body = client.get(reverse("core:audit_log"), {"action": "export"}).content.decode()
    assert "laporan" in body and "x.y" not in body
    # The only form that posts from this page starts an export; there is no per-entry action.
    assert body.count('method="post"') == 3  # language switch, log out, and the export
    assert 'action="/audit/export"' in body
    count = AuditEntry.objects.count()
    client.post(reverse("core:audit_log"), {"action": "delete", "id": entry.pk})
    assert AuditEntry.objects.count() == count
    assert AuditEntry.objects.get(pk=entry.pk).purpose == ""


def test_only_auditors_open_the_audit_log_and_each_sees_their_organisation(client, make_user, admin_user):
    officer = make_user("agency_officer", region="31")
    head = make_user("agency_head", region="3509")
    audit_record(actor=officer, action="update", object_type="secret.dki")
    audit_record(actor=head, action="update", object_type="own.jember")
    client.force_login(officer)
    assert client.get(reverse("core:audit_log")).status_code == 403
    assert client.get("/api/v1/core/audit").status_code == 403
    client.force_login(head)
    body = client.get(reverse("core:audit_log")).content.decode()
    assert "own.jember" in body and "secret.dki" not in body
    api = client.get("/api/v1/core/audit").json()
    assert {e["object_type"] for e in api["items"]} >= {"own.jember"}
    assert "secret.dki" not in {e["object_type"] for e in api["items"]}
    client.force_login(admin_user)
    api = client.get("/api/v1/core/audit", {"object_type": "secret.dki"}).json()
    assert [e["object_type"] for e in api["items"]] == ["secret.dki"]
