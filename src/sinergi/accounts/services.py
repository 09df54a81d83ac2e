"""Writes for accounts: login with lockout, API tokens, users."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import ApiToken, LoginAttempt, Organisation, User, hash_token
from sinergi.accounts.roles import ROLES_BY_KIND
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_update, snapshot
from sinergi.core.errors import NotAllowed, SinergiError

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


def api_token_authenticate(*, raw_token: str) -> User | None:
    """The active user owning `raw_token`, or None for a malformed, unknown, expired or revoked one."""
    if not raw_token or not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_create(
    *,
    actor,
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


def user_set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate (or reactivate) a login; users are never deleted, so their history stays attributable."""
    if user.pk == actor.pk and not active:
        raise SinergiError(_("You cannot deactivate your own login."), code="self_deactivate")
    with transaction.atomic():
        before = snapshot(user, ["is_active"])
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_update(actor=actor, obj=user, before=before)
    return user
