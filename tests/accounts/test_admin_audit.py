"""Changes made in the Django admin are audited, and the admin offers no delete."""

import pytest
from django.urls import reverse

from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_changing_an_organisation_in_the_admin_is_audited_and_delete_is_refused(
    client, admin_user, agency_officer
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    org = agency_officer.organisation
    url = reverse("admin:accounts_organisation_change", args=[org.pk])
    response = client.post(
        url,
        {
            "kind": org.kind,
            "name": org.name + " (baru)",
            "short_name": "",
            "region": org.region_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(
        object_type="accounts.organisation", object_id=str(org.pk), action="update"
    ).get()
    assert entry.changes["name"] == [org.name, org.name + " (baru)"]
    assert client.get(reverse("admin:accounts_organisation_delete", args=[org.pk])).status_code == 403
