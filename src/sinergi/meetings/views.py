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
from sinergi.meetings.models import Commitment, Meeting, MinutesAttachment


@login_required
def meeting_list(request):
    qs = selectors.meeting_list(user=request.user, filters=request.GET)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "filters": request.GET,
            "kinds": Meeting.Kind.choices,
            "can_manage": selectors.can_manage(request.user),
        },
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
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Meeting planned; invitations sent."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/new.html", {"form": form})


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    can_manage = selectors.can_manage(request.user, meeting)
    today = clock.today()
    return render(
        request,
        "meetings/detail.html",
        {
            "m": meeting,
            "can_manage": can_manage,
            "speakers": meeting.speakers.all(),
            "attendance": meeting.attendance.select_related("organisation"),
            "attachments": meeting.attachments.all(),
            "commitments": [(c, c.is_overdue(today)) for c in meeting.commitments.select_related("owner")],
            "aspirations": meeting.aspirations.all() if hasattr(meeting, "aspirations") else [],
            "record_form": forms.RecordForm(initial={"minutes": meeting.minutes}),
            "commitment_form": forms.CommitmentForm(user=request.user, meeting=meeting),
        },
    )


@login_required
def meeting_action(request, pk):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action")
    try:
        if action == "record":
            form = forms.RecordForm(request.POST, request.FILES)
            if not form.is_valid():
                raise SinergiError(
                    " ".join(str(e) for errs in form.errors.values() for e in errs), field="minutes"
                )
            d = form.cleaned_data
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
            form = forms.CommitmentForm(request.POST, user=request.user, meeting=meeting)
            if not form.is_valid():
                raise SinergiError(
                    _("Fill in the commitment, its owner and a due date."), field="description"
                )
            services.commitment_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Commitment added."))
        elif action == "cancel":
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Meeting cancelled."))
        else:
            raise PermissionDenied
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    return redirect("meetings:detail", pk=meeting.pk)


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
    try:
        year, month = (int(x) for x in (request.GET.get("month") or f"{today:%Y-%m}").split("-"))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        year, month = today.year, today.month
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
        {"weeks": weeks, "first": first, "prev": prev_month, "next": next_month, "today": today},
    )


@login_required
def commitments(request):
    qs = selectors.commitment_list(user=request.user, filters=request.GET)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [(c, c.is_overdue(today), selectors.can_update_commitment(request.user, c)) for c in page]
    return render(
        request,
        "meetings/commitments.html",
        {"page": page, "rows": rows, "filters": request.GET, "statuses": Commitment.Status.choices},
    )


def commitment_scope(*, user):
    return selectors.commitment_list(user=user)


@login_required
def commitment_status(request, pk):
    commitment = get_object_or_404(selectors.commitment_list(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.CommitmentStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise SinergiError(_("Choose a status."), field="status")
        services.commitment_set_status(actor=request.user, commitment=commitment, **form.cleaned_data)
        messages.success(request, _("Commitment updated."))
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else "meetings:commitments")


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
