"""Pages for aspirations, the public tracking page, notifications, reports and the tripartite agenda.
Thin: parse, check, call one service or selector, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import capability_required
from sinergi.accounts.roles import Role
from sinergi.aspirations import forms, selectors, services
from sinergi.aspirations.models import (
    AgendaItem,
    Aspiration,
    AspirationAttachment,
    Category,
    Holiday,
    RoutingRule,
    ServiceLevel,
)
from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import SinergiError
from sinergi.core.ratelimit import rate_limited
from sinergi.notifications import selectors as notification_selectors
from sinergi.notifications import services as notification_services


@login_required
def aspiration_list(request):
    qs = selectors.aspiration_list(user=request.user, filters=request.GET)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "aspirations/list.html",
        {
            "page": page,
            "filters": request.GET,
            "categories": Category.choices,
            "statuses": Aspiration.Status.choices,
        },
    )


@capability_required("file_aspiration")
def aspiration_new(request):
    form = forms.AspirationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            aspiration = services.aspiration_file(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                region_id=data["region"],
                member=data.get("member_nik"),
                hide_member=data.get("hide_member", False),
                channel=data.get("channel") or None,
                attachments=data.get("attachments") or [],
            )
        except SinergiError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request,
                _("Aspiration filed. Tracking code: %(code)s") % {"code": aspiration.tracking_code},
            )
            return redirect("aspirations:detail", pk=aspiration.pk)
    return render(request, "aspirations/new.html", {"form": form})


@login_required
def aspiration_detail(request, pk):
    aspiration = selectors.aspiration_get(user=request.user, pk=pk)
    user = request.user
    ctx = {
        "a": aspiration,
        "events": aspiration.events.select_related("actor", "organisation"),
        "attachments": aspiration.attachments.all(),
        "agenda_items": aspiration.agenda_items.select_related("body", "session"),
        "member_visible": selectors.member_visible(user, aspiration),
        "can_respond": selectors.can_respond(user, aspiration),
        "can_assign": selectors.can_assign(user, aspiration),
        "filer_side": selectors.is_filer_side(user, aspiration),
        "overdue": aspiration.is_overdue(),
        "assign_form": forms.AssignForm(),
        "close_form": forms.CloseForm(),
        "transitions": {k: v[0] for k, v in services.TRANSITIONS.items()},
        "show_referral": aspiration.category == Category.INDUSTRIAL,
    }
    return render(request, "aspirations/detail.html", ctx)


ACTIONS = {"acknowledge", "answer", "assign", "close", "rate", "reopen", "note", "attach"}


@login_required
def aspiration_action(request, pk):
    aspiration = selectors.aspiration_get(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise PermissionDenied
    post, user = request.POST, request.user
    try:
        if action == "acknowledge":
            services.aspiration_acknowledge(actor=user, aspiration=aspiration, note=post.get("text", ""))
            messages.success(request, _("Taken up; the filer sees it is in progress."))
        elif action == "answer":
            services.aspiration_answer(actor=user, aspiration=aspiration, answer=post.get("text", ""))
            messages.success(request, _("Answer sent to the filer."))
        elif action == "assign":
            form = forms.AssignForm(post)
            if not form.is_valid():
                raise SinergiError(_("Choose the responsible organisation."), field="organisation")
            services.aspiration_assign(
                actor=user,
                aspiration=aspiration,
                organisation=form.cleaned_data["organisation"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Assigned."))
        elif action in ("close", "rate"):
            form = forms.CloseForm(post)
            if not form.is_valid():
                raise SinergiError(_("The rating is a whole number from 1 to 5."), field="rating")
            if action == "close":
                services.aspiration_close(
                    actor=user,
                    aspiration=aspiration,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("Closed. Thank you for your rating."))
            else:
                services.aspiration_rate(
                    actor=user,
                    aspiration=aspiration,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("Thank you for your rating."))
        elif action == "reopen":
            services.aspiration_reopen(actor=user, aspiration=aspiration, reason=post.get("text", ""))
            messages.success(request, _("Reopened with a new answer deadline."))
        elif action == "note":
            services.aspiration_note(actor=user, aspiration=aspiration, note=post.get("text", ""))
            messages.success(request, _("Note added."))
        elif action == "attach":
            n = services.attachment_add(
                actor=user, aspiration=aspiration, files=request.FILES.getlist("attachments")
            )
            messages.success(request, _("%(n)d file(s) added.") % {"n": n})
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    return redirect("aspirations:detail", pk=aspiration.pk)


def attachment_scope(*, user):
    return AspirationAttachment.objects.filter(
        aspiration__in=selectors.aspiration_list(user=user).values("pk")
    )


@login_required
def attachment_download(request, pk):
    att = get_object_or_404(attachment_scope(user=request.user).select_related("aspiration"), pk=pk)
    audit_record(actor=request.user, action="export", obj=att, purpose=_("download attachment"))
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )


def track(request):
    """Public: status of one aspiration by its tracking code; no login, no personal data, rate-limited."""
    code = (request.GET.get("code") or "").strip()
    status, result, limited = 200, None, False
    if code:
        if rate_limited(request, group="aspirations.track"):
            limited, status = True, 429
        else:
            result = selectors.tracking_status(code)
            if result is None:
                status = 404
    return render(
        request, "aspirations/track.html", {"code": code, "result": result, "limited": limited}, status=status
    )


@login_required
def notifications(request):
    if request.method == "POST":
        ids = request.POST.getlist("id") or None
        notification_services.notifications_mark_read(user=request.user, ids=ids)
        return redirect("aspirations:notifications")
    page = Paginator(notification_selectors.notification_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "aspirations/notifications.html", {"page": page})


@login_required
def reports(request):
    if getattr(request.user, "role", "") == Role.SPONSOR_VIEWER:
        raise PermissionDenied
    data = selectors.report(user=request.user)
    if request.GET.get("format") in ("xlsx", "csv"):
        from sinergi.core.exports import export_response

        rows = [(_("Open cases by age (days)"), label, n) for label, n in data["by_age"]]
        rows += [(_("Open cases by category"), label, n) for label, n in data["by_category"]]
        rows += [(_("Open cases by organisation"), label, n) for label, n in data["by_organisation"]]
        rows += [
            (_("Summary"), _("Open cases"), data["open_total"]),
            (_("Summary"), _("Overdue"), data["overdue"]),
            (_("Summary"), _("Answered"), data["answered"]),
            (_("Summary"), _("Median working days to answer"), data["median_days_to_answer"]),
            (_("Summary"), _("Share answered within the deadline"), data["within_deadline_share"]),
            (_("Summary"), _("Commitments done"), data["commitments"]["done"]),
            (_("Summary"), _("Commitments done on time"), data["commitments"]["done_on_time"]),
            (_("Summary"), _("Commitments overdue"), data["commitments"]["overdue"]),
        ]
        rows = [(str(table), str(label), value) for table, label, value in rows]
        return export_response(
            actor=request.user,
            filename=f"aspirations-report-{data['today']:%Y%m%d}",
            headers=[_("Table"), _("Row"), _("Value")],
            rows=rows,
            fmt=request.GET["format"],
            purpose=_("aspirations report"),
            object_type="aspirations.report",
            sheet_title="Report",
        )
    from sinergi.core import charts

    ctx = {
        "r": data,
        "chart_age": charts.bar(
            [x[0] for x in data["by_age"]], [x[1] for x in data["by_age"]], _("Open cases by age (days)")
        ),
        "chart_category": charts.pie(
            [x[0] for x in data["by_category"]],
            [x[1] for x in data["by_category"]],
            _("Open cases by category"),
        ),
        "chart_org": charts.bar(
            [x[0] for x in data["by_organisation"]],
            [x[1] for x in data["by_organisation"]],
            _("Open cases by organisation"),
        ),
    }
    return render(request, "aspirations/reports.html", ctx)


# ---- tripartite agenda ---------------------------------------------------------------------------


@login_required
def agenda(request):
    from sinergi.accounts.models import Organisation
    from sinergi.accounts.roles import OrgKind

    items = selectors.agenda_list(user=request.user)
    sessions = selectors.session_list(user=request.user)
    bodies = [
        b
        for b in Organisation.objects.filter(kind=OrgKind.TRIPARTITE, is_active=True)
        if selectors.can_manage_agenda(request.user, b)
    ]
    if request.method == "POST":
        form = forms.SessionForm(request.POST)
        body = next((b for b in bodies if str(b.pk) == request.POST.get("body")), None)
        if body is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.session_create(actor=request.user, body=body, **form.cleaned_data)
                messages.success(request, _("Session planned."))
                return redirect("aspirations:agenda")
            except SinergiError as exc:
                messages.error(request, str(exc.message))
        else:
            messages.error(request, _("Enter a valid date."))
    return render(
        request,
        "aspirations/agenda.html",
        {
            "open_items": items.exclude(status=AgendaItem.Status.CLOSED),
            "closed_items": items.filter(status=AgendaItem.Status.CLOSED).order_by("-closed_at")[:50],
            "sessions": sessions[:50],
            "bodies": bodies,
            "session_form": forms.SessionForm(),
        },
    )


def session_scope(*, user):
    return selectors.session_list(user=user)


@login_required
def session_detail(request, pk):
    session = get_object_or_404(selectors.session_list(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            services.session_mark_held(
                actor=request.user, session=session, notes=request.POST.get("notes", "")
            )
            messages.success(request, _("Session recorded as held."))
        except SinergiError as exc:
            messages.error(request, str(exc.message))
        return redirect("aspirations:session", pk=session.pk)
    return render(
        request,
        "aspirations/session.html",
        {
            "session": session,
            "items": session.items.select_related("aspiration"),
            "can_manage": selectors.can_manage_agenda(request.user, session.body),
        },
    )


def agenda_item_scope(*, user):
    return selectors.agenda_list(user=user)


@login_required
def agenda_item_action(request, pk):
    item = get_object_or_404(selectors.agenda_list(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action", "")
    try:
        if action == "schedule":
            session = get_object_or_404(
                selectors.session_list(user=request.user), pk=request.POST.get("session")
            )
            services.agenda_item_schedule(actor=request.user, item=item, session=session)
        elif action == "decide":
            services.agenda_item_decide(actor=request.user, item=item, decision=request.POST.get("text", ""))
        elif action == "close":
            services.agenda_item_close(actor=request.user, item=item, outcome=request.POST.get("text", ""))
        else:
            raise PermissionDenied
        messages.success(request, _("Agenda item updated."))
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    return redirect(
        request.POST.get("next")
        if str(request.POST.get("next", "")).startswith("/")
        else "aspirations:agenda"
    )


# ---- settings (administrators) -----------------------------------------------------------------------


def _parse_date(value):
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def _require_admin(user):
    if not (getattr(user, "role", "") == Role.ADMIN or user.is_superuser):
        raise PermissionDenied


@login_required
def settings_page(request):
    """Service levels, routing rules and public holidays, editable by administrators."""
    _require_admin(request.user)
    kind = request.POST.get("form")
    holiday_form, rule_form = forms.HolidayForm(prefix="h"), forms.RoutingRuleForm(prefix="r")
    if request.method == "POST":
        try:
            if kind == "holiday":
                instance = (
                    Holiday.objects.filter(date=_parse_date(request.POST.get("h-date"))).first() or Holiday()
                )
                holiday_form = forms.HolidayForm(request.POST, prefix="h", instance=instance)
                if holiday_form.is_valid():
                    services.config_save(actor=request.user, form=holiday_form)
                    messages.success(request, _("Holiday saved; new deadlines count it."))
                    return redirect("aspirations:settings")
            elif kind == "rule":
                instance = RoutingRule.objects.filter(pk=request.POST.get("pk")).first() or RoutingRule()
                rule_form = forms.RoutingRuleForm(request.POST, prefix="r", instance=instance)
                if rule_form.is_valid():
                    services.config_save(actor=request.user, form=rule_form)
                    messages.success(request, _("Routing rule saved."))
                    return redirect("aspirations:settings")
            elif kind == "level":
                level = get_object_or_404(ServiceLevel, pk=request.POST.get("pk"))
                form = forms.ServiceLevelForm(request.POST, instance=level, prefix=f"s{level.pk}")
                if form.is_valid():
                    services.config_save(actor=request.user, form=form)
                    messages.success(request, _("Service level saved; it applies to new aspirations."))
                    return redirect("aspirations:settings")
                messages.error(request, _("Enter whole numbers of working days."))
        except SinergiError as exc:
            messages.error(request, str(exc.message))
    year_form = forms.HolidayYearForm(request.GET)
    year = (year_form.cleaned_data["year"] if year_form.is_valid() else None) or clock.today().year
    levels = [
        (lv, forms.ServiceLevelForm(instance=lv, prefix=f"s{lv.pk}")) for lv in ServiceLevel.objects.all()
    ]
    return render(
        request,
        "aspirations/settings.html",
        {
            "levels": levels,
            "rules": RoutingRule.objects.select_related("organisation", "region"),
            "holidays": Holiday.objects.filter(date__year=year),
            "year": year,
            "year_form": year_form,
            "holiday_form": holiday_form,
            "rule_form": rule_form,
        },
    )
