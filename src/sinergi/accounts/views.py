"""Login, logout and the profile page (API tokens)."""

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts import services
from sinergi.accounts.forms import (
    LoginForm,
    NextForm,
    OtpForm,
    PasswordChangeForm,
    PasswordResetLinkForm,
    PasswordSetForm,
    TokenForm,
    TokenRevokeForm,
    TwoFactorActionForm,
    TwoFactorSetupForm,
    UserActiveForm,
    UserCreateForm,
    UserFilterForm,
)
from sinergi.accounts.models import User
from sinergi.accounts.permissions import capability_required
from sinergi.accounts.selectors import user_list as select_users
from sinergi.core.errors import API_MESSAGES, SinergiError
from sinergi.core.ratelimit import rate_limited
from sinergi.core.services import user_language_set

PENDING_USER = "_sinergi_pending_user"  # session key: password checked, second factor still due
PENDING_NEXT = "_sinergi_pending_next"


def _safe_next(request, target):
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "core:home"


def _finish_login(request, user, device=None):
    target = request.session.pop(PENDING_NEXT, None)
    request.session.pop(PENDING_USER, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    return _with_language(request, user, redirect(_safe_next(request, target)))


def login_view(request):
    """Step 1: username and password (lockout and audit in `login_attempt`). A login with a second
    factor, or whose role must have one, continues at the verification (or set-up) step before any
    session is opened. The Django admin's login comes here too (accounts/admin.py)."""
    form = LoginForm(request.POST or None, request=request)
    asked = NextForm(request.GET, request=request)
    error, status = None, 200
    if request.method == "POST" and rate_limited(
        request, group="accounts.login", rate=settings.SINERGI_RATE_LOGIN
    ):
        # Per client address, on top of the per-username lockout (password spraying across logins).
        error, status = API_MESSAGES["rate_limited"], 429
    elif request.method == "POST":
        if form.is_valid():
            try:
                user = services.login_attempt(
                    request=request,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                )
            except SinergiError as exc:
                error = exc.message
            else:
                target = form.cleaned_data["next"] or asked.target
                if services.two_factor_enabled(user) or services.two_factor_required(user):
                    request.session.cycle_key()
                    request.session[PENDING_USER] = user.pk
                    request.session[PENDING_NEXT] = target or ""
                    if services.two_factor_enabled(user):
                        return redirect("accounts:login_verify")
                    return redirect("accounts:login_setup")
                request.session[PENDING_NEXT] = target or ""
                return _finish_login(request, user)
        else:
            error = _("Enter both your username and your password.")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": asked.target},
        status=status,
    )


def _pending_user(request):
    pk = request.session.get(PENDING_USER)
    return User.objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None


def login_verify(request):
    """Step 2: the code from the authenticator app, or one recovery code."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    form = OtpForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                request=request, user=user, token=form.cleaned_data["token"]
            )
        except SinergiError as exc:
            error = exc.message
        else:
            return _finish_login(request, user, device)
    return render(request, "accounts/login_verify.html", {"form": form, "error": error})


def login_setup(request):
    """Step 2 for a role that must have a second factor but has none yet: set it up, then log in."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    return _two_factor_setup(request, user, pending=True)


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def _two_factor_setup(request, user, *, pending: bool):
    device = services.totp_setup_start(user=user)
    form = OtpForm(request.POST or None)
    codes = None
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_setup_confirm(user=user, token=form.cleaned_data["token"])
        except SinergiError as exc:
            form.add_error("token", str(exc.message))
        else:
            if pending:
                _finish_login(request, user, TOTPDevice.objects.get(user=user, confirmed=True))
                request.session["_sinergi_recovery_codes"] = codes
                return redirect("accounts:two_factor")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - segno's own SVG, no user input
            "secret": secret,
            "codes": codes,
            "pending": pending,
        },
    )


@login_required
def two_factor(request):
    """A login's second factor: status, set up (QR code), recovery codes (shown once), remove."""
    if not services.two_factor_offered(request.user) and not services.two_factor_enabled(request.user):
        messages.error(request, _("A second factor is not offered for your role."))
        return redirect("accounts:profile")
    action_errors, status = [], 200
    if request.method == "POST" and "action" in request.POST:
        chosen = TwoFactorActionForm(request.POST)
        if chosen.is_valid():
            try:
                services.two_factor_disable(actor=request.user, user=request.user)
                messages.success(request, _("Second factor removed."))
            except SinergiError as exc:
                messages.error(request, str(exc.message))
            return redirect("accounts:two_factor")
        action_errors, status = chosen.errors["action"], 400
    elif request.method == "POST":  # the code that confirms the set-up
        return _two_factor_setup(request, request.user, pending=False)
    else:
        asked = TwoFactorSetupForm(request.GET)
        if asked.is_valid() and asked.cleaned_data["setup"]:
            return _two_factor_setup(request, request.user, pending=False)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": services.two_factor_enabled(request.user),
            "required": services.two_factor_required(request.user),
            "codes": request.session.pop("_sinergi_recovery_codes", None),
            "action_errors": action_errors,
        },
        status=status,
    )


@login_required
def password_change(request):
    """Change one's own password: every other session (and API token) of the login ends."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except SinergiError as exc:
            exc.add_to_form(form)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Password changed. Your other sessions have been logged out."))
            return redirect("accounts:profile")
    return render(request, "accounts/password_form.html", {"form": form, "title": _("Change password")})


def password_reset_confirm(request, uidb64: str, token: str):
    """A one-time link from an administrator: choose a new password, then log in."""
    user = services.password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        return render(
            request,
            "accounts/password_form.html",
            {"form": None, "title": _("Set a new password"), "invalid": True},
            status=400,
        )
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_complete(user=user, new_password=form.cleaned_data["new_password"])
        except SinergiError as exc:
            form.add_error("new_password", str(exc.message))
        else:
            messages.success(request, _("Password set. Log in with it now."))
            return redirect("accounts:login")
    return render(request, "accounts/password_form.html", {"form": form, "title": _("Set a new password")})


def _with_language(request, user, response):
    """The language follows the person: a choice made on this browser is remembered on the user;
    otherwise the user's remembered language is set on this browser."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        user_language_set(user=user, language=chosen)
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@login_required
def profile(request):
    form = TokenForm(None if "revoke" in request.POST else request.POST or None)
    revoke = TokenRevokeForm(request.POST if "revoke" in request.POST else None)
    new_token = None
    if request.method == "POST":
        if revoke.is_bound:
            if revoke.is_valid():
                try:
                    services.api_token_revoke(user=request.user, token_id=revoke.cleaned_data["revoke"])
                except SinergiError as exc:
                    revoke.add_error("revoke", str(exc.message))
                else:
                    messages.success(request, _("Token revoked."))
                    return redirect("accounts:profile")
        elif form.is_valid():
            try:
                _token, new_token = services.api_token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
                form = TokenForm()
            except SinergiError as exc:
                form.add_error("name", str(exc.message))
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "revoke_form": revoke,
            "two_factor_offered": services.two_factor_offered(request.user),
        },
    )


@capability_required("manage_users")
def user_list(request):
    """Administrators: every login, create one, deactivate or reactivate one (all audited)."""
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if User.objects.filter(username__iexact=data["username"]).exists():
            form.add_error("username", _("That username is taken."))
        else:
            try:
                created = services.user_create(
                    actor=request.user,
                    username=data["username"],
                    password=data["password"],
                    organisation=data["organisation"],
                    role=data["role"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
            except SinergiError as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, _("User %(name)s created.") % {"name": created.username})
                return redirect("accounts:user_list")
    return _user_list_page(request, form=form)


def _user_list_page(request, *, form=None, status=200, action_errors=()):
    """The user list with its search filter (a bad value on the field; the list then unfiltered)."""
    filters = UserFilterForm(request.GET)
    filters.is_valid()
    page = Paginator(select_users(user=request.user, filters=filters.cleaned_data), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form if form is not None else UserCreateForm(),
            "filter_form": filters,
            "page": page,
            "action_errors": action_errors,
        },
        status=status,
    )


@capability_required("manage_users")
def user_set_active(request, pk: int):
    target = get_object_or_404(select_users(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    chosen = UserActiveForm(request.POST)
    if not chosen.is_valid():
        return _user_list_page(request, status=400, action_errors=chosen.errors["active"])
    try:
        services.user_set_active(actor=request.user, user=target, active=chosen.cleaned_data["active"])
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    return redirect("accounts:user_list")


@capability_required("manage_users")
def user_password_reset(request, pk: int):
    """An administrator makes a one-time password reset link for a login (shown once, audited)."""
    target = get_object_or_404(select_users(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    options = PasswordResetLinkForm(request.POST)
    if not options.is_valid():
        return _user_list_page(request, status=400, action_errors=options.errors["two_factor"])
    try:
        path = services.password_reset_link(actor=request.user, user=target)
    except SinergiError as exc:
        messages.error(request, str(exc.message))
        return redirect("accounts:user_list")
    if options.cleaned_data["two_factor"] == "remove":
        services.two_factor_disable(actor=request.user, user=target)
    return render(
        request,
        "accounts/password_reset_link.html",
        {"target": target, "link": request.build_absolute_uri(path)},
    )
