"""The audit log's filters and export are parsed by forms: a bad date, an unknown action or a missing
purpose is a message on its field (Indonesian), the typed value is kept and no export starts (#15)."""

import pytest
from django.urls import reverse

from sinergi.core.audit import audit_record
from sinergi.core.models import Job

pytestmark = pytest.mark.django_db


def test_audit_log_bad_filters_are_field_messages_and_kept(client, admin_user):
    audit_record(actor=admin_user, action="update", object_type="coverage.bill")
    client.force_login(admin_user)
    response = client.get(reverse("core:audit_log"), {"from": "kemarin", "action": "hapus-semua"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"from", "action"}
    page = response.content.decode()
    assert 'value="kemarin"' in page and "Isi tanggal yang sah" in page
    response = client.get(reverse("core:audit_log"), {"from": "2026-12-01", "to": "2026-11-01"})
    assert list(response.context["form"].errors) == ["to"]
    assert "Tanggal akhir sebelum tanggal awal" in response.content.decode()


def test_audit_log_good_filters_still_filter(client, admin_user):
    audit_record(actor=admin_user, action="update", object_type="coverage.bill")
    audit_record(actor=admin_user, action="reveal", object_type="registry.person")
    client.force_login(admin_user)
    response = client.get(reverse("core:audit_log"), {"action": "reveal", "from": "2000-01-01"})
    assert not response.context["form"].errors
    assert {d.entry.action for d in response.context["described"]} == {"reveal"}


def test_audit_export_with_a_bad_filter_or_no_purpose_starts_nothing(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("core:audit_export"), {"purpose": "audit internal", "to": "31/02/2026"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["to"]
    assert 'value="audit internal"' in response.content.decode()  # the purpose typed is kept
    response = client.post(reverse("core:audit_export"), {"purpose": "", "action": "reveal"})
    assert response.status_code == 400 and list(response.context["export_form"].errors) == ["purpose"]
    assert 'data-testid="export-error"' in response.content.decode()
    assert not Job.objects.exists()
