"""Pages for aspirations, the public tracking page, notifications, reports and the tripartite agenda.
Thin: parse, check, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sinergi.accounts.models import Organisation
from sinergi.accounts.permissions import capability_required
from sinergi.accounts.roles import OrgKind, Role
from sinergi.aspirations import forms, selectors, services
from sinergi.aspirations.models import (
    AgendaItem,
    AspirationAttachment,
    Category,
    Holiday,
    RoutingRule,
    ServiceLevel,
)
from sinergi.core import charts, clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import SinergiError
from sinergi.core.exports import export_response
from sinergi.core.ratelimit import rate_limited
from sinergi.notifications import selectors as notification_selectors
from sinergi.notifications import services as notification_services


@login_required
def aspiration_list(request):
    filter_form = forms.AspirationFilterForm(request.GET or None)
    qs = selectors.aspiration_list(user=request.user, filters=filter_form.filters())
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "aspirations/list.html", {"page": page, "filter_form": filter_form})


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
            exc.add_to_form(form)
        else:
            messages.success(
                request,
                _("Aspiration filed. Tracking code: %(code)s") % {"code": aspiration.tracking_code},
            )
            return redirect("aspirations:detail", pk=aspiration.pk)
    return render(request, "aspirations/new.html", {"form": form})


def _detail_context(request, aspiration, **forms_in):
    user = request.user
    return {
        "a": aspiration,
        "events": aspiration.events.select_related("actor", "organisation"),
        "attachments": aspiration.attachments.all(),
        "agenda_items": aspiration.agenda_items.select_related("body", "session"),
        "member_visible": selectors.member_visible(user, aspiration),
        "can_respond": selectors.can_respond(user, aspiration),
        "can_assign": selectors.can_assign(user, aspiration),
        "filer_side": selectors.is_filer_side(user, aspiration),
        "overdue": aspiration.is_overdue(),
        "assign_form": forms_in.get("assign_form") or forms.AssignForm(),
        "close_form": forms_in.get("close_form") or forms.CloseForm(),
        "action_form": forms_in.get("action_form"),
        "failed": forms_in.get("failed"),
        "transitions": {k: v[0] for k, v in services.TRANSITIONS.items()},
        "show_referral": aspiration.category == Category.INDUSTRIAL,
    }


@login_required
def aspiration_detail(request, pk):
    aspiration = selectors.aspiration_get(user=request.user, pk=pk)
    return render(request, "aspirations/detail.html", _detail_context(request, aspiration))


SUCCESS = {
    "acknowledge": _lazy("Taken up; the filer sees it is in progress."),
    "answer": _lazy("Answer sent to the filer."),
    "assign": _lazy("Assigned."),
    "close": _lazy("Closed. Thank you for your rating."),
    "rate": _lazy("Thank you for your rating."),
    "reopen": _lazy("Reopened with a new answer deadline."),
    "note": _lazy("Note added."),
}


def _run_action(request, aspiration, action, text, sub_form):
    """Call the service for one action; returns the success message."""
    user = request.user
    if action == "acknowledge":
        services.aspiration_acknowledge(actor=user, aspiration=aspiration, note=text)
    elif action == "answer":
        services.aspiration_answer(actor=user, aspiration=aspiration, answer=text)
    elif action == "assign":
        services.aspiration_assign(
            actor=user,
            aspiration=aspiration,
            organisation=sub_form.cleaned_data["organisation"],
            note=sub_form.cleaned_data["note"],
        )
    elif action in ("close", "rate"):
        service = services.aspiration_close if action == "close" else services.aspiration_rate
        service(
            actor=user,
            aspiration=aspiration,
            rating=sub_form.cleaned_data["rating"],
            comment=sub_form.cleaned_data["comment"],
        )
    elif action == "reopen":
        services.aspiration_reopen(actor=user, aspiration=aspiration, reason=text)
    elif action == "note":
        services.aspiration_note(actor=user, aspiration=aspiration, note=text)
    elif action == "attach":
        n = services.attachment_add(
            actor=user, aspiration=aspiration, files=request.FILES.getlist("attachments")
        )
        return _("%(n)d file(s) added.") % {"n": n}
    return str(SUCCESS[action])


@login_required
def aspiration_action(request, pk):
    """One action from the detail page. A bad value re-renders the page with the message on the field
    of the form that sent it (an unknown action: 400); nothing changes."""
    aspiration = selectors.aspiration_get(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action_form = forms.AspirationActionForm(request.POST)
    valid = action_form.is_valid()
    action = action_form.cleaned_data.get("action")
    sub_forms = {}
    sub_form = None
    if action == "assign":
        sub_form = sub_forms["assign_form"] = forms.AssignForm(request.POST)
    elif action in ("close", "rate"):
        sub_form = sub_forms["close_form"] = forms.CloseForm(request.POST)
    if sub_form is not None and not sub_form.is_valid():
        valid = False
    if valid:
        try:
            messages.success(
                request,
                _run_action(request, aspiration, action, action_form.cleaned_data["text"], sub_form),
            )
            return redirect("aspirations:detail", pk=aspiration.pk)
        except SinergiError as exc:
            target = sub_form if sub_form is not None else action_form
            exc.add_to_form(target)
    status = 400 if action is None else 200
    ctx = _detail_context(request, aspiration, action_form=action_form, failed=action, **sub_forms)
    return render(request, "aspirations/detail.html", ctx, status=status)


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
    form = forms.TrackForm(request.GET or None)
    code = form.cleaned_data["code"] if form.is_valid() else ""
    status, result, limited = 200, None, False
    if code:
        if rate_limited(request, group="aspirations.track"):
            limited, status = True, 429
        else:
            result = selectors.tracking_status(code)
            if result is None:
                status = 404
    return render(
        request,
        "aspirations/track.html",
        {"form": form, "code": code, "result": result, "limited": limited},
        status=status,
    )


@login_required
def notifications(request):
    form, status = None, 200
    if request.method == "POST":
        form = forms.NotificationReadForm(request.POST, user=request.user)
        if form.is_valid():
            chosen = form.cleaned_data["id"]
            ids = [n.pk for n in chosen] if chosen else None
            notification_services.notifications_mark_read(user=request.user, ids=ids)
            return redirect("aspirations:notifications")
        status = 400
    page = Paginator(notification_selectors.notification_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "aspirations/notifications.html", {"page": page, "form": form}, status=status)


@login_required
def reports(request):
    if getattr(request.user, "role", "") == Role.SPONSOR_VIEWER:
        raise PermissionDenied
    format_form = forms.ReportFormatForm(request.GET or None)
    fmt = format_form.cleaned_data["format"] if format_form.is_valid() else ""
    data = selectors.report(user=request.user)
    if fmt:
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
            fmt=fmt,
            purpose=_("aspirations report"),
            object_type="aspirations.report",
            sheet_title="Report",
        )
    ctx = {
        "r": data,
        "format_form": format_form,
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


def _agenda_bodies(user):
    return [
        b
        for b in Organisation.objects.filter(kind=OrgKind.TRIPARTITE, is_active=True)
        if selectors.can_manage_agenda(user, b)
    ]


def _agenda_page(request, *, bodies, session_form=None, item_form=None, item=None, status=200):
    items = selectors.agenda_list(user=request.user)
    sessions = selectors.session_list(user=request.user)
    return render(
        request,
        "aspirations/agenda.html",
        {
            "open_items": items.exclude(status=AgendaItem.Status.CLOSED),
            "closed_items": items.filter(status=AgendaItem.Status.CLOSED).order_by("-closed_at")[:50],
            "sessions": sessions[:50],
            "bodies": bodies,
            "session_form": session_form or forms.SessionForm(bodies=bodies),
            "item_form": item_form,
            "failed_item": item,
        },
        status=status,
    )


@login_required
def agenda(request):
    bodies = _agenda_bodies(request.user)
    form = None
    if request.method == "POST":
        if not bodies:
            raise PermissionDenied
        form = forms.SessionForm(request.POST, bodies=bodies)
        if form.is_valid():
            try:
                services.session_create(actor=request.user, **form.cleaned_data)
            except SinergiError as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, _("Session planned."))
                return redirect("aspirations:agenda")
    return _agenda_page(request, bodies=bodies, session_form=form)


def session_scope(*, user):
    return selectors.session_list(user=user)


@login_required
def session_detail(request, pk):
    session = get_object_or_404(selectors.session_list(user=request.user), pk=pk)
    form = forms.SessionHeldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_mark_held(actor=request.user, session=session, notes=form.cleaned_data["notes"])
        except SinergiError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Session recorded as held."))
            return redirect("aspirations:session", pk=session.pk)
    return render(
        request,
        "aspirations/session.html",
        {
            "session": session,
            "items": session.items.select_related("aspiration"),
            "can_manage": selectors.can_manage_agenda(request.user, session.body),
            "form": form,
        },
    )


def agenda_item_scope(*, user):
    return selectors.agenda_list(user=user)


@login_required
def agenda_item_action(request, pk):
    """Schedule, decide or close one agenda item; a bad value re-renders the agenda with the message
    next to that item's input (an unknown action: 400)."""
    item = get_object_or_404(selectors.agenda_list(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.AgendaItemActionForm(
        request.POST,
        sessions=selectors.session_list(user=request.user),
        request=request,
    )
    if form.is_valid():
        action, text = form.cleaned_data["action"], form.cleaned_data["text"]
        try:
            if action == "schedule":
                services.agenda_item_schedule(
                    actor=request.user, item=item, session=form.cleaned_data["session"]
                )
            elif action == "decide":
                services.agenda_item_decide(actor=request.user, item=item, decision=text)
            else:
                services.agenda_item_close(actor=request.user, item=item, outcome=text)
        except SinergiError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Agenda item updated."))
            return redirect(form.cleaned_data["next"] or "aspirations:agenda")
    status = 400 if "action" in form.errors else 200
    return _agenda_page(
        request, bodies=_agenda_bodies(request.user), item_form=form, item=item, status=status
    )


# ---- settings (administrators) -----------------------------------------------------------------------


def _require_admin(user):
    if not (getattr(user, "role", "") == Role.ADMIN or user.is_superuser):
        raise PermissionDenied


@login_required
def settings_page(request):
    """Service levels, routing rules and public holidays, editable by administrators. A bad value is
    shown on its field, with what was typed kept."""
    _require_admin(request.user)
    holiday_form, rule_form = forms.HolidayForm(prefix="h"), forms.RoutingRuleForm(prefix="r")
    choice_form, bound_level, status = None, None, 200
    if request.method == "POST":
        choice_form = forms.SettingsChoiceForm(request.POST)
        if not choice_form.is_valid():
            status = 400
        else:
            kind = choice_form.cleaned_data["form"]
            if kind == "holiday":
                lookup = forms.HolidayLookupForm(request.POST, prefix="h")
                day = lookup.cleaned_data["date"] if lookup.is_valid() else None
                instance = (Holiday.objects.filter(date=day).first() if day else None) or Holiday()
                form = holiday_form = forms.HolidayForm(request.POST, prefix="h", instance=instance)
                done = _("Holiday saved; new deadlines count it.")
            elif kind == "rule":
                instance = choice_form.cleaned_data.get("rule") or RoutingRule()
                form = rule_form = forms.RoutingRuleForm(request.POST, prefix="r", instance=instance)
                done = _("Routing rule saved.")
            else:
                level = choice_form.cleaned_data["level"]
                form = bound_level = forms.ServiceLevelForm(
                    request.POST, instance=level, prefix=f"s{level.pk}"
                )
                done = _("Service level saved; it applies to new aspirations.")
            if form.is_valid():
                try:
                    services.config_save(actor=request.user, form=form)
                except SinergiError as exc:
                    exc.add_to_form(form)
                else:
                    messages.success(request, done)
                    return redirect("aspirations:settings")
    year_form = forms.HolidayYearForm(request.GET)
    year = (year_form.cleaned_data["year"] if year_form.is_valid() else None) or clock.today().year
    levels = [
        (
            lv,
            bound_level
            if bound_level is not None and bound_level.instance.pk == lv.pk
            else forms.ServiceLevelForm(instance=lv, prefix=f"s{lv.pk}"),
        )
        for lv in ServiceLevel.objects.all()
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
            "choice_form": choice_form,
        },
        status=status,
    )
