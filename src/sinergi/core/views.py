"""Shell pages: home per role, health check, jobs with live progress, the audit log, error pages."""

import importlib
import importlib.util

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from sinergi import DOMAIN_APPS
from sinergi.core import selectors, services
from sinergi.core.audit import audit_record
from sinergi.core.audit_display import describe
from sinergi.core.errors import NotAllowed, SinergiError
from sinergi.core.forms import AuditExportForm, AuditFilterForm, LanguageForm
from sinergi.core.jobs import job_restart as restart
from sinergi.core.paging import keyset_page
from sinergi.core.permissions import capability_required
from sinergi.core.roles import can
from sinergi.core.scoping import user_scope


@login_required
def home(request):
    """Figures from the data for this user's scope, contributed by each app's `home.cards(request)`."""
    cards = []
    apps = DOMAIN_APPS
    org = getattr(request.user, "organisation", None)
    if org is not None and org.kind == "cooperative":
        # A cooperative's logins work for the cooperative: its own figures (programs.home) and their
        # jobs, not the caseload of the union whose scope they read through (issue #15).
        apps = [app for app in DOMAIN_APPS if app in ("sinergi.core", "sinergi.programs")]
    for app in apps:
        if importlib.util.find_spec(f"{app}.home") is not None:
            cards.extend(importlib.import_module(f"{app}.home").cards(request))
    cards.sort(key=lambda card: card.get("order", 500))  # the cards' own `order` (stable otherwise)
    for card in cards:  # counts with Indonesian grouping (4.111); amounts arrive already formatted
        if isinstance(card.get("value"), int) and not isinstance(card["value"], bool):
            card["value"] = f"{card['value']:,}".replace(",", ".")
    return render(request, "core/home.html", {"cards": cards})


def health(request):
    """For load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def job_list(request):
    jobs = selectors.job_list(user=request.user)
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page})


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(selectors.job_list(user=request.user), pk=pk)
    template = "core/job_detail.html#progress" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@require_POST
@login_required
def job_restart(request, pk: int):
    """An officer runs a failed job again (its handler wrote nothing the first time)."""
    job = get_object_or_404(selectors.job_list(user=request.user), pk=pk)
    if user_scope(request.user).read_only:
        raise NotAllowed(_("Your role can only read."))
    restart(job=job, actor=request.user, reason=_("Run again by %(user)s.") % {"user": request.user.username})
    return redirect("core:job_detail", pk=job.pk)


@login_required
def job_result(request, pk: int):
    job = get_object_or_404(selectors.job_list(user=request.user), pk=pk)
    if not job.result_file:
        raise Http404
    audit_record(
        actor=request.user,
        action="export",
        obj=job,
        purpose=_("download job result"),
        changes={"file": job.result_file.name},
    )
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=job.result_file.name.rsplit("/", 1)[-1]
    )


AUDIT_PAGE_SIZE = 50


def _audit_page(request, form, export_form=None, status=200):
    """The audit log filtered by the valid fields of `form`; a bad field is shown on its input."""
    filters = form.filters()
    entries = selectors.audit_list(user=request.user, filters=filters)
    # keyset pages at any depth and a count that stops at 10,000 (issue #16); a POST shows the first page
    cursors = getattr(form, "cleaned_data", {}) if request.method == "GET" else {}
    page = keyset_page(
        entries,
        keys=selectors.AUDIT_SORT_KEYS,
        after=cursors.get("after"),
        before=cursors.get("before"),
        size=AUDIT_PAGE_SIZE,
        row_values=True,
        count_through=selectors.audit_count_through(user=request.user, filters=filters),
    )
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "described": describe(page),
            "form": form,
            "filters": filters,
            "export_form": export_form or AuditExportForm(initial=filters),
            "can_export": can(request.user, "view_audit_log"),
        },
        status=status,
    )


@capability_required("view_audit_log")
def audit_log(request):
    form = AuditFilterForm(request.GET)
    form.is_valid()
    return _audit_page(request, form)


@require_POST
@capability_required("view_audit_log")
def audit_export(request):
    """Start the XLSX export of the filtered audit log as a background job; show its progress page.
    A missing purpose or a bad filter shows the log again with the message on the field."""
    form = AuditExportForm(request.POST)
    if form.is_valid():
        try:
            job = services.audit_export_start(
                user=request.user, filters=form.filters(), purpose=form.cleaned_data["purpose"]
            )
        except SinergiError as exc:
            exc.add_to_form(form)
        else:
            return redirect("core:job_detail", pk=job.pk)
    return _audit_page(request, form, export_form=form, status=400)


def language(request):
    """Django's set_language, plus remembering the choice on the user (it follows them to any browser)."""
    response = set_language(request)  # Django's view parses `language` and `next` itself
    if request.method == "POST" and request.user.is_authenticated:
        form = LanguageForm(request.POST)
        if form.is_valid():  # an unknown language changes nothing, here as in set_language
            services.user_language_set(user=request.user, language=form.cleaned_data["language"])
    return response


def error_403(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"message": _("You do not have access to this page."), "code": "forbidden"},
        status=403,
    )


def error_404(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"message": _("This page does not exist, or it is outside your scope."), "code": "not_found"},
        status=404,
    )
