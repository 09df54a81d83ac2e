"""Every parameter of the accounts pages is parsed by a form: a bad value is a message on the page (in
Indonesian), nothing changes, and never a server error."""

import pytest
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_user_search_is_a_typed_field_with_its_message(client, admin_user, agency_officer):
    client.force_login(admin_user)
    r = client.get(reverse("accounts:user_list") + "?q=ab%00c")
    assert r.status_code == 200 and "Karakter null tidak diizinkan." in r.content.decode()
    r = client.get(reverse("accounts:user_list") + "?q=" + "x" * 151)
    assert r.status_code == 200 and "paling banyak 150 karakter" in r.content.decode()
    r = client.get(reverse("accounts:user_list") + f"?q={agency_officer.username}")
    page = r.content.decode()
    assert f"<td>{agency_officer.username}</td>" in page and f"<td>{admin_user.username}</td>" not in page


def test_activating_needs_a_known_choice(client, admin_user, agency_officer):
    client.force_login(admin_user)
    url = reverse("accounts:user_set_active", args=[agency_officer.pk])
    r = client.post(url, {"active": "ya"})
    assert r.status_code == 400
    assert "Pilih apakah akun diaktifkan atau dinonaktifkan." in r.content.decode()
    agency_officer.refresh_from_db()
    assert agency_officer.is_active
    assert client.post(url, {"active": "0"}).status_code == 302
    agency_officer.refresh_from_db()
    assert not agency_officer.is_active


def test_a_password_reset_link_with_an_unknown_option_is_refused(client, admin_user, agency_officer):
    client.force_login(admin_user)
    url = reverse("accounts:user_password_reset", args=[agency_officer.pk])
    before = AuditEntry.objects.count()
    r = client.post(url, {"two_factor": "hapus-semua"})
    assert r.status_code == 400 and 'data-testid="action-errors"' in r.content.decode()
    assert AuditEntry.objects.count() == before  # no link was made
    r = client.post(url, {"two_factor": "remove"})
    assert r.status_code == 200 and "/accounts/reset/" in r.content.decode()


def test_the_second_factor_page_refuses_an_unknown_action(client, admin_user):
    client.force_login(admin_user)
    r = client.post(reverse("accounts:two_factor"), {"action": "matikan-semua"})
    assert r.status_code == 400 and "Tindakan tidak dikenal." in r.content.decode()
    r = client.get(reverse("accounts:two_factor") + "?setup=1")
    assert r.status_code == 200 and "<svg" in r.content.decode()


def test_login_returns_to_a_page_of_this_site_only(client, agency_officer, password):
    url = reverse("accounts:login") + "?next=/planning/"
    page = client.get(url)
    assert 'name="next" value="/planning/"' in page.content.decode()
    r = client.post(url, {"username": agency_officer.username, "password": password})
    assert r.status_code == 302 and r["Location"] == "/planning/"
    client.logout()
    page = client.get(reverse("accounts:login") + "?next=//evil.example/")
    assert 'name="next" value=""' in page.content.decode()
    r = client.post(
        reverse("accounts:login"),
        {"username": agency_officer.username, "password": password, "next": "/" + "a" * 3000},
    )
    assert r.status_code == 302 and r["Location"] == reverse("core:home")
    assert User.objects.get(pk=agency_officer.pk).is_active
