"""Forms for meetings and commitments (parsing only; services decide)."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organisation
from sinergi.accounts.scoping import user_scope
from sinergi.accounts.selectors import organisation_list
from sinergi.aspirations.forms import MultipleFileField, region_choices, safe_next
from sinergi.meetings.models import Commitment, Meeting
from sinergi.unions.models import UnionBody


def _orgs(user=None, meeting=None):
    """Organisations the user may pick, by the same `Scope` as everything else; a meeting's own
    organiser and invited organisations stay choosable for its commitments."""
    if user is None:
        return Organisation.objects.none()
    qs = organisation_list(user=user)
    if meeting is not None:
        ids = [meeting.organiser_id, *meeting.invited_organisations.values_list("pk", flat=True)]
        qs = Organisation.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk__in=ids)).order_by("name")
    return qs


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    region = forms.ChoiceField(label=_("Region"))
    description = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    invited_organisations = forms.ModelMultipleChoiceField(
        label=_("Invited organisations"), queryset=None, required=False
    )
    union_bodies = forms.ModelMultipleChoiceField(
        label=_("Union bodies taking part"), queryset=None, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)
        if user is not None and user.organisation_id:
            self.fields["region"].initial = user.organisation.region_id
        self.fields["invited_organisations"].queryset = _orgs(user)
        bodies = UnionBody.objects.filter(is_active=True)
        if user is not None:
            bodies = bodies.filter(user_scope(user).region_q("region__code"))
        self.fields["union_bodies"].queryset = bodies


class RecordForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))
    attendance = forms.CharField(
        label=_("Attendance: one per line, “name; position; number of people”"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    speakers = forms.CharField(
        label=_("Speakers: one per line, “name; position; remarks”"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(label=_("Minutes files (PDF, JPG, PNG, DOCX, XLSX)"), required=False)

    @staticmethod
    def _lines(text):
        return [[p.strip() for p in line.split(";")] for line in (text or "").splitlines() if line.strip()]

    def clean_attendance(self):
        rows = []
        for i, parts in enumerate(self._lines(self.cleaned_data.get("attendance")), start=1):
            count = parts[2] if len(parts) > 2 and parts[2] else "1"
            if not count.isdigit() or int(count) < 1:
                raise forms.ValidationError(
                    _("Line %(n)d: the number of people must be a whole number.") % {"n": i}
                )
            rows.append(
                {"name": parts[0], "position": parts[1] if len(parts) > 1 else "", "headcount": int(count)}
            )
        return rows

    def clean_speakers(self):
        return [
            {
                "name": p[0],
                "position": p[1] if len(p) > 1 else "",
                "remarks": ";".join(p[2:]) if len(p) > 2 else "",
            }
            for p in self._lines(self.cleaned_data.get("speakers"))
        ]


class CommitmentForm(forms.Form):
    description = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner organisation"), queryset=None)
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    voiced_by = forms.CharField(label=_("Voiced by"), max_length=200, required=False)

    def __init__(self, *args, user=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _orgs(user, meeting)


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Commitment.Status.choices,
        error_messages={
            "invalid_choice": _("Choose one of the listed statuses."),
            "required": _("Choose a status."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=5000, required=False)
    done_on = forms.DateField(
        label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_next(self):
        value = self.cleaned_data.get("next")
        if value and safe_next(value, request=self.request) is None:
            raise forms.ValidationError(_("This return address is not a Sinergi page."))
        return value or None

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("status", "note", "done_on")}


class MeetingFilterForm(forms.Form):
    """The meeting list's filters (?kind=...&status=...&year=2026)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("all")), *Meeting.Kind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("all")), *Meeting.Status.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"size": 4}),
    )

    def filters(self) -> dict:
        """The valid filters only; an invalid one is reported on its field and left out."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class CommitmentFilterForm(forms.Form):
    """The commitment list's filters (?status=open&overdue=1&mine=1)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    mine = forms.BooleanField(label=_("my organisation's"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), ("open", _("open")), *Commitment.Status.choices]

    filters = MeetingFilterForm.filters


class MonthForm(forms.Form):
    """The calendar's month (?month=2026-11)."""

    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        required=False,
        error_messages={"invalid": _("Enter the month as year-month, for example 2026-11.")},
    )

    def clean_month(self):
        value = self.cleaned_data.get("month")
        if value and not (dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 1)):
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return value


class MeetingActionForm(forms.Form):
    """Which form of the meeting page was sent; the reason of a cancellation."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("record", "record"), ("commitment", "commitment"), ("cancel", "cancel")],
        error_messages={
            "invalid_choice": _("This action does not exist."),
            "required": _("Choose an action."),
        },
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
