"""Login, logout and the profile page (API tokens)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts import services
from sinergi.accounts.forms import LoginForm, TokenForm, UserCreateForm
from sinergi.accounts.permissions import capability_required
from sinergi.core.errors import API_MESSAGES, SinergiError
from sinergi.core.ratelimit import rate_limited


def login_view(request):
    form = LoginForm(request.POST or None)
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
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": request.GET.get("next", "")},
        status=status,
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


@capability_required("manage_users")
def user_list(request):
    """Administrators: every login, create one, deactivate or reactivate one (all audited)."""
    from django.core.paginator import Paginator

    from sinergi.accounts.models import User
    from sinergi.accounts.selectors import user_list as select_users

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
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("User %(name)s created.") % {"name": created.username})
                return redirect("accounts:user_list")
    page = Paginator(select_users(user=request.user, filters=request.GET), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "accounts/user_list.html", {"form": form, "page": page, "q": request.GET.get("q", "")}
    )


@capability_required("manage_users")
def user_set_active(request, pk: int):
    from django.http import HttpResponseNotAllowed
    from django.shortcuts import get_object_or_404

    from sinergi.accounts.selectors import user_list as select_users

    target = get_object_or_404(select_users(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    choice = request.POST.get("active")
    if choice not in ("0", "1"):
        messages.error(request, _("Choose whether to activate or deactivate the login."))
        return redirect("accounts:user_list")
    try:
        services.user_set_active(actor=request.user, user=target, active=choice == "1")
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    return redirect("accounts:user_list")
