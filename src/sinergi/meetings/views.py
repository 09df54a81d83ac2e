"""Pages for meetings, the month calendar, .ics invitations, commitments and the dialogue cadence."""

import calendar as pycal
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseGone, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import capability_required
from sinergi.accounts.roles import Role
from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.core.dates import format_datetime
from sinergi.core.errors import SinergiError
from sinergi.meetings import forms, selectors, services
from sinergi.meetings.ics import meeting_ics
from sinergi.meetings.models import Commitment, MinutesAttachment


@login_required
def meeting_list(request):
    filter_form = forms.MeetingFilterForm(request.GET or None)
    qs = selectors.meeting_list(user=request.user, filters=filter_form.filters())
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {"page": page, "filter_form": filter_form, "can_manage": selectors.can_manage(request.user)},
    )


@capability_required("manage_meetings")
def meeting_new(request):
    form = forms.MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                kind=d["kind"],
                title=d["title"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                place=d["place"],
                region_id=d["region"],
                description=d["description"],
                invited_organisations=d["invited_organisations"],
                union_bodies=d["union_bodies"],
            )
        except SinergiError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Meeting planned; invitations sent."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/new.html", {"form": form})


def _detail_context(request, meeting, **forms_in):
    return {
        "m": meeting,
        "can_manage": selectors.can_manage(request.user, meeting),
        "speakers": meeting.speakers.all(),
        "attendance": meeting.attendance.select_related("organisation"),
        "attachments": meeting.attachments.all(),
        "commitments": [
            (c, c.is_overdue(clock.today())) for c in meeting.commitments.select_related("owner")
        ],
        "aspirations": meeting.aspirations.all() if hasattr(meeting, "aspirations") else [],
        "record_form": forms_in.get("record_form") or forms.RecordForm(initial={"minutes": meeting.minutes}),
        "commitment_form": forms_in.get("commitment_form")
        or forms.CommitmentForm(user=request.user, meeting=meeting),
        "action_form": forms_in.get("action_form"),
    }


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@login_required
def meeting_action(request, pk):
    """Record the minutes, add a commitment or cancel. A bad value re-renders the meeting page with the
    message on the field and what was typed kept (an unknown action: 400); nothing changes."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action_form = forms.MeetingActionForm(request.POST)
    if not action_form.is_valid():
        ctx = _detail_context(request, meeting, action_form=action_form)
        return render(request, "meetings/detail.html", ctx, status=400)
    action = action_form.cleaned_data["action"]
    if action == "record":
        form = forms.RecordForm(request.POST, request.FILES)
        bound = {"record_form": form}
    elif action == "commitment":
        form = forms.CommitmentForm(request.POST, user=request.user, meeting=meeting)
        bound = {"commitment_form": form}
    else:
        form, bound = action_form, {"action_form": action_form}
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "record":
                services.meeting_record(
                    actor=request.user,
                    meeting=meeting,
                    minutes=d["minutes"],
                    attendance=d["attendance"],
                    speakers=d["speakers"],
                    attachments=d["attachments"],
                )
                messages.success(request, _("Minutes recorded."))
            elif action == "commitment":
                services.commitment_add(actor=request.user, meeting=meeting, **d)
                messages.success(request, _("Commitment added."))
            else:
                services.meeting_cancel(actor=request.user, meeting=meeting, reason=d["reason"])
                messages.success(request, _("Meeting cancelled."))
        except SinergiError as exc:
            exc.add_to_form(form)
        else:
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting, **bound))


def _ics_response(meetings, filename, request):
    body = meeting_ics(meetings, method="PUBLISH", host=request.get_host().split(":")[0] or "sinergi.local")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


@login_required
def meeting_ics_view(request, pk):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return _ics_response([meeting], f"meeting-{meeting.pk}", request)


@login_required
def calendar_ics(request):
    since = clock.now() - dt.timedelta(days=90)
    meetings = (
        selectors.meeting_list(user=request.user).filter(starts_at__gte=since).select_related("organiser")
    )
    return _ics_response(list(meetings[:500]), "sinergi-meetings", request)


@login_required
def calendar_view(request):
    today = clock.today()
    month_form = forms.MonthForm(request.GET or None)
    chosen = (month_form.cleaned_data["month"] if month_form.is_valid() else None) or today
    year, month = chosen.year, chosen.month
    by_day = {}
    for m in selectors.meetings_in_month(user=request.user, year=year, month=month):
        by_day.setdefault(timezone.localtime(m.starts_at).day, []).append(m)
    weeks = [
        [(d, by_day.get(d, [])) if d else (None, []) for d in week]
        for week in pycal.Calendar(firstweekday=0).monthdayscalendar(year, month)
    ]
    first = dt.date(year, month, 1)
    prev_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (first + dt.timedelta(days=32)).replace(day=1).strftime("%Y-%m")
    return render(
        request,
        "meetings/calendar.html",
        {
            "weeks": weeks,
            "first": first,
            "prev": prev_month,
            "next": next_month,
            "today": today,
            "month_form": month_form,
        },
    )


def _commitments_page(request, *, filter_form, failed=None, status_form=None, status=200):
    qs = selectors.commitment_list(user=request.user, filters=filter_form.filters())
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [(c, c.is_overdue(today), selectors.can_update_commitment(request.user, c)) for c in page]
    if failed is not None and failed not in page:
        rows.insert(
            0, (failed, failed.is_overdue(today), selectors.can_update_commitment(request.user, failed))
        )
    return render(
        request,
        "meetings/commitments.html",
        {
            "page": page,
            "rows": rows,
            "filter_form": filter_form,
            "statuses": Commitment.Status.choices,
            "failed": failed,
            "status_form": status_form,
        },
        status=status,
    )


@login_required
def commitments(request):
    return _commitments_page(request, filter_form=forms.CommitmentFilterForm(request.GET or None))


def commitment_scope(*, user):
    return selectors.commitment_list(user=user)


@login_required
def commitment_status(request, pk):
    """Update one commitment's status. A bad value re-renders the commitment list with the message next
    to that commitment's form and the note kept; nothing changes."""
    commitment = get_object_or_404(selectors.commitment_list(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.CommitmentStatusForm(request.POST, request=request)
    if form.is_valid():
        try:
            services.commitment_set_status(actor=request.user, commitment=commitment, **form.service_data())
        except SinergiError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Commitment updated."))
            return redirect(form.cleaned_data["next"] or "meetings:commitments")
    return _commitments_page(
        request, filter_form=forms.CommitmentFilterForm(), failed=commitment, status_form=form
    )


@login_required
def cadence(request):
    if request.user.role in (Role.UNION_OFFICIAL, Role.SPONSOR_VIEWER):
        raise PermissionDenied
    bodies = selectors.cadence_gaps(user=request.user)
    page = Paginator(bodies, 50).get_page(request.GET.get("page"))
    return render(request, "meetings/cadence.html", {"page": page, "days": selectors.CADENCE_DAYS})


def attachment_scope(*, user):
    return MinutesAttachment.objects.filter(meeting__in=selectors.meeting_list(user=user).values("pk"))


@login_required
def attachment_download(request, pk):
    att = get_object_or_404(attachment_scope(user=request.user), pk=pk)
    if not att.file:  # deleted by the retention clean-up: the row says so, the file is gone
        return HttpResponseGone(
            _("This file was deleted (%(day)s) after its retention period.")
            % {"day": format_datetime(att.purged_at) if att.purged_at else "–"},
            content_type="text/plain; charset=utf-8",
        )
    audit_record(actor=request.user, action="export", obj=att, purpose=_("download minutes"))
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )
