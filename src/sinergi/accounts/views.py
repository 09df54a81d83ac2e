"""Login, logout and the profile page (API tokens)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts import services
from sinergi.accounts.forms import LoginForm, TokenForm
from sinergi.core.errors import SinergiError


def login_view(request):
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST":
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
                login(request, user)
                target = request.POST.get("next") or request.GET.get("next")
                if not (
                    target
                    and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
                ):
                    target = "core:home"
                return _with_language(request, user, redirect(target))
        else:
            error = _("Enter both your username and your password.")
    return render(
        request, "accounts/login.html", {"form": form, "error": error, "next": request.GET.get("next", "")}
    )


def _with_language(request, user, response):
    """The language follows the person: a choice made on this browser is remembered on the user;
    otherwise the user's remembered language is set on this browser."""
    from django.conf import settings

    from sinergi.core.services import user_language_set

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
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                services.api_token_revoke(user=request.user, token_id=int(request.POST["revoke"]))
                messages.success(request, _("Token revoked."))
            except (SinergiError, ValueError) as exc:
                messages.error(request, str(exc))
            return redirect("accounts:profile")
        if form.is_valid():
            try:
                _token, new_token = services.api_token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
                form = TokenForm()
            except SinergiError as exc:
                form.add_error("name", str(exc.message))
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/profile.html", {"form": form, "tokens": tokens, "new_token": new_token})
