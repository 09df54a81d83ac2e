"""Forms for filing and handling aspirations and for the tripartite agenda (parsing only; services decide)."""

from django import forms
from django.db.models import Q
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.accounts.models import Organisation
from sinergi.accounts.roles import OrgKind
from sinergi.accounts.scoping import user_scope
from sinergi.aspirations.models import (
    Aspiration,
    Category,
    Holiday,
    RoutingRule,
    ServiceLevel,
    TripartiteSession,
)
from sinergi.notifications.models import Notification
from sinergi.regions.models import Region
from sinergi.registry.models import Person


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def region_choices(user):
    scope = user_scope(user)
    qs = Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY])
    if scope.is_union:
        org = user.organisation
        body = getattr(org, "union_body", None)
        prefix = body.region_id[:2] if body else "__"
        qs = qs.filter(code__startswith=prefix)
    elif not scope.is_global:
        q = Q(pk__in=[])
        for p in scope.region_prefixes:
            q |= Q(code__startswith=p)
        qs = qs.filter(q)
    return [(r.code, f"{r.dotted_code} {r.name}") for r in qs.order_by("code")]


class AspirationForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("aspiration", "Subject"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    region = forms.ChoiceField(label=_("Region"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    member_nik = forms.CharField(label=_("Member concerned (NIK, optional)"), max_length=16, required=False)
    hide_member = forms.BooleanField(
        label=_("Hide the member's identity from the responding organisation"), required=False
    )
    channel = forms.ChoiceField(label=_("Received through"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments (PDF, JPG, PNG, DOCX, XLSX; at most 5 MB each)"), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)
        if user is not None and user.organisation_id:
            self.fields["region"].initial = (
                user.organisation.union_body.region_id
                if getattr(user.organisation, "union_body", None)
                else user.organisation.region_id
            )
        self.fields["channel"].choices = [
            (Aspiration.Channel.CALL, Aspiration.Channel.CALL.label),
            (Aspiration.Channel.MEETING, Aspiration.Channel.MEETING.label),
        ]
        if user is not None and user.role == "union_official":
            del self.fields["channel"]

    def clean_member_nik(self):
        nik = (self.cleaned_data.get("member_nik") or "").strip()
        if not nik:
            return None
        person = Person.objects.filter(nik=nik).first()
        if person is None:
            raise forms.ValidationError(_("No person with this NIK is in the registry."))
        return person


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


class AspirationFilterForm(forms.Form):
    """The list page's filters (?status=open&category=...&overdue=1&mine=1&q=...)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("all")), *Category.choices], required=False
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    mine = forms.BooleanField(label=_("assigned to my organisation"), required=False)
    q = forms.CharField(label=_("Search"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), ("open", _("open")), *Aspiration.Status.choices]

    def filters(self) -> dict:
        """The valid filters only; an invalid one is reported on its field and left out."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


ACTIONS = ("acknowledge", "answer", "assign", "close", "rate", "reopen", "note", "attach")
TEXT_REQUIRED = {
    "answer": _("Write the answer."),
    "reopen": _("Say why the aspiration is reopened."),
    "note": _("Write the note."),
}


class AspirationActionForm(forms.Form):
    """Which action a form on the detail page asks for, and its free text (note, answer, reason)."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(a, a) for a in ACTIONS],
        error_messages={
            "invalid_choice": _("This action does not exist."),
            "required": _("Choose an action."),
        },
    )
    text = forms.CharField(label=_("Text"), max_length=20000, required=False)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in TEXT_REQUIRED and not (data.get("text") or "").strip():
            self.add_error("text", TEXT_REQUIRED[action])
        return data


class CloseForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[("", "—"), *[(i, str(i)) for i in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class AssignForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Responsible organisation"), queryset=None)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            is_active=True,
            kind__in=[OrgKind.AGENCY, OrgKind.SS_BRANCH, OrgKind.TRIPARTITE, OrgKind.LEADERSHIP],
        )


class SessionForm(forms.Form):
    body = forms.ModelChoiceField(
        label=pgettext_lazy("tripartite", "Body"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a tripartite body whose agenda you keep.")},
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Organisation.objects.filter(pk__in=[b.pk for b in bodies]).order_by(
            "name"
        )


class SessionHeldForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def safe_next(value, *, request=None):
    """A redirect target inside Sinergi, or None."""
    value = (value or "").strip()
    if not value:
        return None
    hosts = {request.get_host()} if request is not None else set()
    ok = url_has_allowed_host_and_scheme(value, allowed_hosts=hosts, require_https=False)
    return value if ok and value.startswith("/") else None


class AgendaItemActionForm(forms.Form):
    """Schedule an agenda item for a session, record its decision, or close it with its outcome."""

    ACTIONS = (
        ("schedule", pgettext_lazy("action", "Schedule")),
        ("decide", _("Record decision")),
        ("close", _("Close")),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=ACTIONS,
        error_messages={
            "invalid_choice": _("This action does not exist."),
            "required": _("Choose an action."),
        },
    )
    session = forms.ModelChoiceField(
        label=pgettext_lazy("tripartite meeting", "Session"),
        queryset=TripartiteSession.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the planned sessions you can see.")},
    )
    text = forms.CharField(label=_("Text"), max_length=20000, required=False)
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, sessions=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if sessions is not None:
            self.fields["session"].queryset = sessions

    def clean_next(self):
        value = self.cleaned_data.get("next")
        if value and safe_next(value, request=self.request) is None:
            raise forms.ValidationError(_("This return address is not a Sinergi page."))
        return value or None

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "schedule" and not data.get("session") and "session" not in self.errors:
            self.add_error("session", pgettext_lazy("tripartite meeting", "Choose the session."))
        if action == "decide" and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the decision."))
        if action == "close" and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the outcome."))
        return data


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name", "kind", "legal_basis", "is_active"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class RoutingRuleForm(forms.ModelForm):
    region_code = forms.CharField(label=_("Region code (empty: anywhere)"), max_length=10, required=False)

    class Meta:
        model = RoutingRule
        fields = ["category", "organisation", "priority", "is_active"]

    def clean_region_code(self):
        code = (self.cleaned_data.get("region_code") or "").replace(".", "").strip()
        if code and not Region.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Unknown region code."))
        return code or None


class ServiceLevelForm(forms.ModelForm):
    class Meta:
        model = ServiceLevel
        fields = ["acknowledge_days", "answer_days", "warn_days", "basis"]


class SettingsChoiceForm(forms.Form):
    """Which settings form was sent, and for a service level or routing rule which one it edits."""

    form = forms.ChoiceField(
        choices=[("holiday", "holiday"), ("rule", "rule"), ("level", "level")],
        error_messages={
            "invalid_choice": _("This settings form does not exist."),
            "required": _("This settings form does not exist."),
        },
    )
    pk = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": _("Enter a whole number.")}
    )

    def clean(self):
        data = super().clean()
        kind, pk = data.get("form"), data.get("pk")
        if "pk" in self.errors:
            return data
        if kind == "level":
            data["level"] = ServiceLevel.objects.filter(pk=pk).first() if pk else None
            if data["level"] is None:
                self.add_error("pk", _("This service level does not exist."))
        elif kind == "rule" and pk:
            data["rule"] = RoutingRule.objects.filter(pk=pk).first()
            if data["rule"] is None:
                self.add_error("pk", _("This routing rule does not exist."))
        return data


class HolidayLookupForm(forms.Form):
    """The date of the holiday form, read first to find a holiday already on that date (edited, not doubled)."""

    date = forms.DateField(required=False)


class HolidayYearForm(forms.Form):
    """The year whose public holidays the settings page lists (?year=2026)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class TrackForm(forms.Form):
    """The public tracking page's code (?code=ASP-...)."""

    code = forms.CharField(label=_("Tracking code"), max_length=20, required=False)


class NotificationReadForm(forms.Form):
    """Which of the user's own notifications to mark read (none chosen: all of them)."""

    id = forms.ModelMultipleChoiceField(
        queryset=Notification.objects.none(),
        required=False,
        error_messages={
            "invalid_pk_value": _("“%(pk)s” is not one of your notifications."),
            "invalid_choice": _("“%(value)s” is not one of your notifications."),
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id"].queryset = Notification.objects.filter(recipient_id=getattr(user, "pk", None))


class ReportFormatForm(forms.Form):
    """?format=xlsx|csv downloads the report; without it the page is shown."""

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", "—"), ("xlsx", "XLSX"), ("csv", "CSV")],
        required=False,
        error_messages={"invalid_choice": _("Choose XLSX or CSV.")},
    )
