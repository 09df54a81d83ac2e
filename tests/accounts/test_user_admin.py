"""Administrators manage logins on /accounts/users/: create, deactivate, reactivate; all audited."""

import pytest
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_user_and_deactivates_it(client, admin_user, agency_officer, password):
    client.force_login(admin_user)
    org = agency_officer.organisation
    response = client.post(
        reverse("accounts:user_list"),
        {
            "username": "petugas.baru",
            "first_name": "Rahmat",
            "last_name": "Hidayat",
            "email": "",
            "organisation": org.pk,
            "role": "agency_officer",
            "password": "Kata-Sandi-Yang-Kuat-99",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="petugas.baru")
    assert created.check_password("Kata-Sandi-Yang-Kuat-99") and created.organisation == org
    assert AuditEntry.objects.filter(
        action="create", object_type="accounts.user", object_id=str(created.pk)
    ).exists()

    client.post(reverse("accounts:user_set_active", args=[created.pk]), {"active": "0"})
    created.refresh_from_db()
    assert created.is_active is False
    assert not client.login(username="petugas.baru", password="Kata-Sandi-Yang-Kuat-99")  # noqa: S106
    assert AuditEntry.objects.filter(
        action="update", object_id=str(created.pk), changes__is_active=[True, False]
    ).exists()


def test_a_role_that_does_not_fit_the_organisation_or_a_weak_password_is_refused_with_a_message(
    client, admin_user, make_user
):
    union_official = make_user("union_official")
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_list"),
        {
            "username": "salah.peran",
            "first_name": "Uji",
            "organisation": union_official.organisation.pk,
            "role": "ss_officer",
            "password": "Kata-Sandi-Yang-Kuat-99",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(username="salah.peran").exists()
    assert "role" in response.context["form"].errors
    response = client.post(
        reverse("accounts:user_list"),
        {
            "username": "sandi.lemah",
            "first_name": "Uji",
            "organisation": admin_user.organisation.pk,
            "role": "agency_officer",
            "password": "1234567890",
        },
    )
    assert not User.objects.filter(username="sandi.lemah").exists()
    assert response.context["form"].errors


def test_only_administrators_reach_user_management(client, agency_officer, admin_user):
    client.force_login(agency_officer)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert (
        client.post(reverse("accounts:user_set_active", args=[admin_user.pk]), {"active": "0"}).status_code
        == 403
    )
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_an_administrator_cannot_deactivate_themself(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("accounts:user_set_active", args=[admin_user.pk]), {"active": "0"})
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_a_post_without_a_choice_changes_nothing(client, admin_user, agency_officer):
    client.force_login(admin_user)
    response = client.post(reverse("accounts:user_set_active", args=[agency_officer.pk]), {})
    assert response.status_code == 400 and 'data-testid="action-errors"' in response.content.decode()
    agency_officer.refresh_from_db()
    assert agency_officer.is_active
