"""Login: clear messages, lockout after repeated failures, password validation, language on login."""

import pytest
from django.urls import reverse

from sinergi.accounts.models import LoginAttempt, User
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _post_login(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_a_form_posted_with_missing_fields_says_what_is_missing_and_records_nothing(client):
    response = client.post(reverse("accounts:login"), {"username": "petugas"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Enter both your username and your password." in response.content.decode()
    assert LoginAttempt.objects.count() == 0


def test_wrong_password_gives_one_message_in_indonesian_by_default(client, agency_officer):
    response = _post_login(client, agency_officer.username, "salah-sandi")
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert AuditEntry.objects.filter(action="login_failed", object_repr=agency_officer.username).count() == 1


def test_wrong_password_many_times_locks_the_account_even_for_the_right_password(
    client, agency_officer, password, settings
):
    settings.SINERGI_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        _post_login(client, agency_officer.username, "salah-sandi", HTTP_ACCEPT_LANGUAGE="en")
    response = _post_login(client, agency_officer.username, password, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Too many failed attempts. Try again in 15 minutes" in body
    assert "_auth_user_id" not in client.session
    # Other usernames are not affected.
    other = User.objects.create_user("lain", password=password, organisation=agency_officer.organisation)
    assert _post_login(client, other.username, password).status_code == 302


def test_the_lockout_ends_after_the_window(client, agency_officer, password, settings):
    import datetime as dt

    from django.utils import timezone

    settings.SINERGI_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        _post_login(client, agency_officer.username, "salah")
    LoginAttempt.objects.update(created_at=timezone.now() - dt.timedelta(minutes=16))
    assert _post_login(client, agency_officer.username, password).status_code == 302


def test_a_success_between_failures_resets_the_count(client, agency_officer, password, settings):
    settings.SINERGI_LOGIN_MAX_FAILURES = 3
    _post_login(client, agency_officer.username, "salah")
    _post_login(client, agency_officer.username, "salah")
    assert _post_login(client, agency_officer.username, password).status_code == 302
    client.post(reverse("accounts:logout"))
    _post_login(client, agency_officer.username, "salah")
    assert _post_login(client, agency_officer.username, password).status_code == 302


def test_login_records_an_audit_entry_and_redirects_only_to_this_site(client, agency_officer, password):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": agency_officer.username, "password": password, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert AuditEntry.objects.filter(action="login", actor=agency_officer).exists()


def test_logging_in_brings_the_users_language_to_a_new_browser(client, agency_officer, password, settings):
    User.objects.filter(pk=agency_officer.pk).update(preferred_language="en")
    response = _post_login(client, agency_officer.username, password)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(reverse("core:job_list")).content.decode().count("Background jobs") >= 1


def test_switching_language_is_remembered_on_the_user(client, agency_officer, password, settings):
    client.force_login(agency_officer)
    response = client.post(reverse("core:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    agency_officer.refresh_from_db()
    assert agency_officer.preferred_language == "en"
    client.post(reverse("core:language"), {"language": "xx", "next": "/"})
    agency_officer.refresh_from_db()
    assert agency_officer.preferred_language == "en"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("pendek1", "too short"),
        ("12345678901234", "entirely numeric"),
        ("password12345", "too common"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(admin_user, password, problem):
    from django.utils import translation

    from sinergi.accounts.services import user_create
    from sinergi.core.errors import SinergiError

    with translation.override("en"), pytest.raises(SinergiError) as err:
        user_create(
            actor=admin_user,
            username="baru",
            password=password,
            organisation=admin_user.organisation,
            role="agency_officer",
        )
    assert problem in str(err.value.message)
    assert err.value.field == "password"
    assert not User.objects.filter(username="baru").exists()


def test_session_and_csrf_cookies_are_hardened_in_production_settings():
    import os
    import subprocess
    import sys

    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS > 0)"
    )
    env = {
        **os.environ,
        "SINERGI_MODE": "production",
        "SINERGI_SECRET_KEY": "x" * 64,
        "SINERGI_ALLOWED_HOSTS": "sinergi.example.go.id",
        "DJANGO_SETTINGS_MODULE": "sinergi.config.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["True", "True", "True", "True"]
