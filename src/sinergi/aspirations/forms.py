"""Forms for filing and handling aspirations and for the tripartite agenda (parsing only; services decide)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.scoping import user_scope
from sinergi.aspirations.models import Category, Holiday, RoutingRule, ServiceLevel


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
    from sinergi.regions.models import Region

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
    title = forms.CharField(label=_("Subject"), max_length=200)
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
        from sinergi.aspirations.models import Aspiration

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
        from sinergi.registry.models import Person

        person = Person.objects.filter(nik=nik).first()
        if person is None:
            raise forms.ValidationError(_("No person with this NIK is in the registry."))
        return person


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


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
        from sinergi.accounts.models import Organisation
        from sinergi.accounts.roles import OrgKind

        self.fields["organisation"].queryset = Organisation.objects.filter(
            is_active=True,
            kind__in=[OrgKind.AGENCY, OrgKind.SS_BRANCH, OrgKind.TRIPARTITE, OrgKind.LEADERSHIP],
        )


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)


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
        from sinergi.regions.models import Region

        code = (self.cleaned_data.get("region_code") or "").replace(".", "").strip()
        if code and not Region.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Unknown region code."))
        return code or None


class ServiceLevelForm(forms.ModelForm):
    class Meta:
        model = ServiceLevel
        fields = ["acknowledge_days", "answer_days", "warn_days", "basis"]


class HolidayYearForm(forms.Form):
    """The year whose public holidays the settings page lists (?year=2026)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
