"""Issue 12 item 3: every login path has the lockout and the audit; an optional TOTP second factor
(required per role by a setting); password change ends other sessions; an administrator's one-time
reset link."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import ApiToken, User
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kata-Sandi-Baru-2026!"


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _code(device: TOTPDevice, ahead: int = 0) -> str:
    """The app's code now, or `ahead` steps later (a code is accepted once: django-otp refuses replays,
    and tolerates one step of clock difference)."""
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time = time.time() + ahead * device.step
    return f"{t.token():0{device.digits}d}"


@pytest.fixture
def superuser(make_user):
    user = make_user("admin")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_the_django_admin_login_goes_through_the_app_login_with_lockout_and_audit(
    client, superuser, password, settings
):
    """Finding: ten wrong passwords then the right one gave a superuser session, with no record."""
    settings.SINERGI_LOGIN_MAX_FAILURES = 5
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    posted = client.post("/django-admin/login/", {"username": superuser.username, "password": "salah"})
    assert posted.status_code == 302 and "_auth_user_id" not in client.session  # no admin login form
    assert client.get("/django-admin/").status_code == 302  # unauthenticated admin → the app login
    for _ in range(10):
        _login(client, superuser.username, "salah-sandi")
    _login(client, superuser.username, password)
    assert "_auth_user_id" not in client.session
    assert client.get("/django-admin/").status_code == 302
    assert AuditEntry.objects.filter(action="login_failed", object_repr=superuser.username).count() >= 5


def test_the_admin_login_redirect_keeps_only_local_next_urls(client):
    response = client.get("/django-admin/login/?next=https://evil.example/")
    assert "evil.example" not in response["Location"]


def _set_up_totp(client, user, password):
    assert _login(client, user.username, password).status_code == 302
    page = client.get(reverse("accounts:two_factor") + "?setup=1")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    confirmed = client.post(reverse("accounts:two_factor"), {"token": _code(device)})
    assert confirmed.status_code == 200
    codes = confirmed.context["codes"]
    assert len(codes) == 10
    return TOTPDevice.objects.get(user=user, confirmed=True), codes


def test_an_agency_head_sets_up_totp_then_logging_in_needs_the_code(make_user, password, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off after a wrong code (kept in production)
    head = make_user("agency_head")
    device, codes = _set_up_totp(Client(), head, password)
    client = Client()
    response = _login(client, head.username, password)
    assert response["Location"] == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("accounts:login_verify"), {"token": "000000"})
    assert "_auth_user_id" not in client.session and wrong.status_code == 200
    assert AuditEntry.objects.filter(action="login_failed", changes__step="second_factor").exists()
    device.refresh_from_db()
    ok = client.post(reverse("accounts:login_verify"), {"token": _code(device, ahead=1)})
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(head.pk)
    assert AuditEntry.objects.filter(action="login", changes__second_factor="TOTPDevice").exists()


def test_a_recovery_code_works_once(make_user, password):
    head = make_user("agency_head")
    _device, codes = _set_up_totp(Client(), head, password)
    first = Client()
    _login(first, head.username, password)
    assert first.post(reverse("accounts:login_verify"), {"token": codes[0]}).status_code == 302
    second = Client()
    _login(second, head.username, password)
    second.post(reverse("accounts:login_verify"), {"token": codes[0]})
    assert "_auth_user_id" not in second.session


def test_wrong_codes_lock_the_login_like_wrong_passwords(make_user, password, settings):
    settings.SINERGI_LOGIN_MAX_FAILURES = 3
    head = make_user("agency_head")
    device, _codes = _set_up_totp(Client(), head, password)
    client = Client()
    _login(client, head.username, password)
    for _ in range(3):
        client.post(reverse("accounts:login_verify"), {"token": "000000"})
    device.refresh_from_db()
    client.post(reverse("accounts:login_verify"), {"token": _code(device, ahead=1)})
    assert "_auth_user_id" not in client.session


def test_a_role_that_must_use_a_second_factor_sets_it_up_before_any_session(make_user, password, settings):
    settings.SINERGI_2FA_REQUIRED_ROLES = ["admin"]
    admin = make_user("admin")
    client = Client()
    assert _login(client, admin.username, password)["Location"] == reverse("accounts:login_setup")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302
    client.get(reverse("accounts:login_setup"))
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    done = client.post(reverse("accounts:login_setup"), {"token": _code(device)})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)
    page = client.get(done["Location"]).content.decode()
    assert "recovery-codes" in page


def test_an_officer_is_not_offered_a_second_factor_by_default(client, agency_officer, password):
    _login(client, agency_officer.username, password)
    assert client.get(reverse("accounts:two_factor")).status_code == 302


def test_changing_the_password_ends_every_other_session_and_token(make_user, password):
    from sinergi.accounts.services import api_token_create

    user = make_user("agency_officer")
    _token, raw = api_token_create(user=user, name="skrip")
    here, elsewhere = Client(), Client()
    _login(here, user.username, password)
    _login(elsewhere, user.username, password)
    assert elsewhere.get(reverse("core:home")).status_code == 200
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert here.get(reverse("core:home")).status_code == 200  # this session stays
    assert elsewhere.get(reverse("core:home")).status_code == 302  # the other one is logged out
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEntry.objects.filter(
        action="update", object_id=str(user.pk), changes__password="changed"
    ).exists()


def test_a_wrong_current_password_changes_nothing(client, agency_officer, password):
    _login(client, agency_officer.username, password)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=agency_officer.pk).check_password(password)


def test_an_administrator_s_reset_link_works_once(client, admin_user, make_user, password):
    officer = make_user("agency_officer")
    _login(client, admin_user.username, password)
    page = client.post(reverse("accounts:user_password_reset", args=[officer.pk]))
    assert page.status_code == 200
    link = page.context["link"]
    path = link[link.index("/accounts/reset/") :]
    assert AuditEntry.objects.filter(
        object_id=str(officer.pk), changes__password_reset_link="issued"
    ).exists()
    anonymous = Client()
    assert anonymous.get(path).status_code == 200
    done = anonymous.post(path, {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert User.objects.get(pk=officer.pk).check_password(NEW_PASSWORD)
    again = Client().post(path, {"new_password": "Lain-Lagi-2026!!", "new_password2": "Lain-Lagi-2026!!"})
    assert again.status_code == 400 and User.objects.get(pk=officer.pk).check_password(NEW_PASSWORD)
    assert Client().get("/accounts/reset/xx/yy/").status_code == 400


def test_only_administrators_make_reset_links(client, agency_officer, make_user, password):
    other = make_user("agency_officer")
    _login(client, agency_officer.username, password)
    assert client.post(reverse("accounts:user_password_reset", args=[other.pk])).status_code == 403
