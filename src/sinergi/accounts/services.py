"""Writes for accounts: login with lockout, API tokens, users."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import ApiToken, LoginAttempt, Organisation, User, hash_token
from sinergi.accounts.roles import ROLES_BY_KIND, can
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_update, snapshot
from sinergi.core.compiled import CompiledQuery
from sinergi.core.errors import NotAllowed, SinergiError

if TYPE_CHECKING:
    from sinergi.accounts.models import User

TOKEN_PREFIX = "sng_"  # noqa: S105 - a public prefix that marks Sinergi tokens, not a secret


def login_locked_until(*, username: str) -> dt.datetime | None:
    """When a username with too many recent failures may try again, or None if it may now."""
    window = clock.now() - dt.timedelta(minutes=settings.SINERGI_LOGIN_LOCKOUT_MINUTES)
    recent = list(
        LoginAttempt.objects.filter(username__iexact=username, created_at__gte=window)
        .order_by("-created_at")
        .values_list("succeeded", "created_at")[: settings.SINERGI_LOGIN_MAX_FAILURES]
    )
    if len(recent) < settings.SINERGI_LOGIN_MAX_FAILURES or any(ok for ok, _at in recent):
        return None
    return recent[0][1] + dt.timedelta(minutes=settings.SINERGI_LOGIN_LOCKOUT_MINUTES)


def login_attempt(*, request, username: str, password: str) -> User:
    """Authenticate or raise SinergiError with a message a person can act on. Records every attempt."""
    username = (username or "").strip()
    if not username or not password:
        raise SinergiError(_("Enter both your username and your password."), code="missing_credentials")
    ip = request.META.get("REMOTE_ADDR") if request else None
    locked_until = login_locked_until(username=username)
    if locked_until is not None:
        minutes = max(1, int((locked_until - clock.now()).total_seconds() // 60) + 1)
        raise NotAllowed(
            _("Too many failed attempts. Try again in %(minutes)s minutes or ask your administrator.")
            % {"minutes": minutes},
            code="locked_out",
        )
    user = authenticate(request, username=username, password=password)
    LoginAttempt.objects.create(username=username, succeeded=user is not None, ip_address=ip)
    if user is None:
        audit_record(
            actor=None,
            action="login_failed",
            object_type="accounts.user",
            object_repr=username[:100],
            ip_address=ip,
        )
        raise SinergiError(_("Wrong username or password."), code="bad_credentials")
    if two_factor_enabled(user) or two_factor_required(user):
        # Not a login yet: the session opens after the second factor (`second_factor_verify`).
        audit_record(actor=user, action="other", obj=user, changes={"login_step": "password"}, ip_address=ip)
    else:
        audit_record(actor=user, action="login", obj=user, ip_address=ip)
    return user


def api_token_create(*, user: User, name: str, days_valid: int | None = 365) -> tuple[ApiToken, str]:
    """Create a token; returns (token, raw). The raw value is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise SinergiError(
            _("Give the token a name so you can recognise it later."), code="required", field="name"
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=raw[:12],
            token_hash=hash_token(raw),
            expires_at=clock.now() + dt.timedelta(days=days_valid) if days_valid else None,
        )
        audit_record(
            actor=user, action="create", obj=token, changes={"name": token.name, "prefix": token.prefix}
        )
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise NotAllowed(_("That token is not yours."), code="not_found")
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=user, action="update", obj=token, changes={"revoked": [False, True]})


# Asked on every API request: compiled once per database and thread (core.compiled).
_TOKEN_BY_HASH = CompiledQuery(
    lambda token_hash: ApiToken.objects.select_related("user", "user__organisation").filter(
        token_hash=token_hash
    )[:1]
)


def api_token_authenticate(*, raw_token: str) -> User | None:
    """The active user owning `raw_token`, or None for a malformed, unknown, expired or revoked one."""
    if not raw_token or not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 100:
        return None
    token = _TOKEN_BY_HASH.first(hash_token(raw_token))
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    if role not in ROLES_BY_KIND.get(organisation.kind, set()):
        raise SinergiError(
            _("The role %(role)s is not available in a %(kind)s.")
            % {"role": role, "kind": organisation.get_kind_display()},
            code="role_kind_mismatch",
            field="role",
        )
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise SinergiError(" ".join(exc.messages), code="weak_password", field="password")
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_create(actor=actor, obj=user)
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) a login; users are never deleted, so their history stays attributable."""
    if user.pk == actor.pk and not active:
        raise SinergiError(_("You cannot deactivate your own login."), code="self_deactivate")
    with transaction.atomic():
        before = snapshot(user, ["is_active"])
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_update(actor=actor, obj=user, before=before)
    return user


# --- second factor (TOTP with django-otp; recovery codes as static tokens) -------------------------


def two_factor_offered(user) -> bool:
    """May this login set up a second factor (SINERGI_2FA_ROLES, superusers always)?"""
    return bool(user.is_superuser or user.role in settings.SINERGI_2FA_ROLES or two_factor_required(user))


def two_factor_required(user) -> bool:
    """Must this login use a second factor (SINERGI_2FA_REQUIRED_ROLES)?"""
    return user.role in settings.SINERGI_2FA_REQUIRED_ROLES


def two_factor_enabled(user) -> bool:

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_setup_start(*, user):
    """An unconfirmed TOTP device for `user` (the same one until confirmed), to show as a QR code."""
    if not two_factor_offered(user):
        raise NotAllowed(_("A second factor is not offered for your role."), code="two_factor_not_offered")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Sinergi", confirmed=False)
    return device


RECOVERY_CODES = 10


def totp_setup_confirm(*, user, token: str) -> list[str]:
    """Confirm the pending device with a code from the app; returns the recovery codes (shown once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    token = "".join(ch for ch in str(token or "") if ch.isdigit())
    if device is None or not token or not device.verify_token(token):
        raise SinergiError(
            _("That code is not right. Enter the 6 digits the app shows now."),
            code="bad_token",
            field="token",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
        audit_record(actor=user, action="update", obj=user, changes={"two_factor": [False, True]})
    return codes


def two_factor_disable(*, actor: User, user) -> None:
    """Remove a login's second factor (the user, or an administrator for a lost phone). Audited."""
    if actor.pk != user.pk and not (actor.is_superuser or actor.role == "admin"):
        raise NotAllowed(_("Only an administrator can remove another login's second factor."))
    if two_factor_required(user) and actor.pk == user.pk:
        raise SinergiError(
            _("Your role must use a second factor; set up a new one instead."), code="two_factor_required"
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, action="update", obj=user, changes={"two_factor": [True, False]})


def second_factor_verify(*, request, user, token: str):
    """The device that accepts `token` (a TOTP code or a recovery code, which is then used up).
    A wrong code counts as a failed login for the lockout and is audited."""
    ip = request.META.get("REMOTE_ADDR") if request else None
    locked_until = login_locked_until(username=user.get_username())
    if locked_until is not None:
        minutes = max(1, int((locked_until - clock.now()).total_seconds() // 60) + 1)
        raise NotAllowed(
            _("Too many failed attempts. Try again in %(minutes)s minutes or ask your administrator.")
            % {"minutes": minutes},
            code="locked_out",
        )
    token = str(token or "").strip().replace(" ", "")
    device = match_token(user, token) if token and len(token) <= 16 else None
    LoginAttempt.objects.create(username=user.get_username(), succeeded=device is not None, ip_address=ip)
    if device is None:
        audit_record(
            actor=None,
            action="login_failed",
            obj=user,
            changes={"step": "second_factor"},
            ip_address=ip,
        )
        raise SinergiError(_("That code is not right."), code="bad_token", field="token")
    audit_record(
        actor=user,
        action="login",
        obj=user,
        changes={"second_factor": device.__class__.__name__},
        ip_address=ip,
    )
    return device


# --- passwords ---------------------------------------------------------------------------------------


def password_change(*, user, old_password: str, new_password: str) -> User:
    """Change one's own password. Every other session of the user ends (Django's session hash follows
    the password); the caller keeps the current one with `update_session_auth_hash`."""
    if not user.check_password(old_password or ""):
        raise SinergiError(
            _("Your current password is not right."), code="bad_password", field="old_password"
        )
    _set_password(user, new_password)
    audit_record(actor=user, action="update", obj=user, changes={"password": "changed"})
    return user


def _set_password(user, new_password: str):
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise SinergiError(" ".join(exc.messages), code="weak_password", field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        # API tokens outlive sessions: a password change is the moment to revoke them too.
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())


def password_reset_link(*, actor: User, user: User) -> str:
    """A one-time path (/accounts/reset/<uid>/<token>/) an administrator hands to a user who lost their
    password. Django's token machinery: it stops working once used (the password changes), after
    PASSWORD_RESET_TIMEOUT, or when the user logs in. Audited; the link itself is not stored."""
    if not can(actor, "manage_users"):
        raise NotAllowed(_("Only an administrator can reset a password."))
    if not user.is_active:
        raise SinergiError(_("Reactivate the login first."), code="inactive")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    audit_record(actor=actor, action="other", obj=user, changes={"password_reset_link": "issued"})
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The user a reset link belongs to, or None when the link is malformed, used or expired."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if pk > 2**62:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def password_reset_complete(*, user: User, new_password: str) -> User:
    _set_password(user, new_password)
    audit_record(actor=user, action="update", obj=user, changes={"password": "reset by link"})
    return user
