"""Forms for plans (parsing only; services decide)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.aspirations.forms import region_choices
from sinergi.core import clock
from sinergi.planning import indicators
from sinergi.planning.models import BudgetLine, PlanReview, ReviewTeam, Source


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("label", _("Year"))
        super().__init__(**kwargs)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = YearField()
    region = forms.ChoiceField(label=_("Region"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    review_team = forms.ModelChoiceField(label=_("Review team"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)
        if user is not None and user.organisation_id:
            self.fields["region"].initial = user.organisation.region_id
        self.fields["year"].initial = clock.today().year
        self.fields["review_team"].queryset = ReviewTeam.objects.filter(
            organisation_id=getattr(user, "organisation_id", None)
        )


class ActivityForm(forms.Form):
    program = forms.CharField(label=_("Program"), max_length=200)
    name = forms.CharField(label=_("Activity"), max_length=200)
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=200)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    region = forms.ChoiceField(label=_("Region"))
    q1 = forms.IntegerField(label=_("By end of Q1"), min_value=0, max_value=10**15)
    q2 = forms.IntegerField(label=_("By end of Q2"), min_value=0, max_value=10**15)
    q3 = forms.IntegerField(label=_("By end of Q3"), min_value=0, max_value=10**15)
    q4 = forms.IntegerField(label=_("By end of Q4 (year)"), min_value=0, max_value=10**15)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicators.choices()
        self.fields["region"].choices = region_choices(user)


class RupiahInput(forms.CharField):
    """Whole rupiah typed as people write it: `1500000`, `1.500.000` or `Rp1.500.000`."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        cleaned = value.replace("Rp", "").replace("rp", "").replace(".", "").replace(" ", "").strip()
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter whole rupiah, e.g. 1.500.000."))
        if amount < 0 or amount != amount.to_integral_value() or amount > Decimal(10) ** 17:
            raise forms.ValidationError(_("Enter whole rupiah, e.g. 1.500.000."))
        return amount


class BudgetLineForm(forms.Form):
    account_code = forms.CharField(label=_("Account code"), max_length=40)
    sub_activity = forms.CharField(label=_("Sub-activity"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    amount = RupiahInput(label=_("Amount (Rp)"))
    protected = forms.BooleanField(label=_("Protected: direct help to workers"), required=False)
    spend_indicator = forms.ChoiceField(label=_("Realised through"), required=False)
    unit_cost = RupiahInput(label=_("Unit cost (Rp)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spend_indicator"].choices = [("", "—"), *indicators.choices()]


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=PlanReview.Verdict.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RevisionForm(forms.Form):
    """One amount field per budget line, pre-filled with today's amount."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = clock.today()
        self.line_fields = []
        for line in lines:
            name = f"line_{line.pk}"
            self.fields[name] = RupiahInput(
                label=f"{line.account_code} {line.sub_activity}", initial=str(line.amount)
            )
            self.line_fields.append((line, name))

    def line_amounts(self) -> dict:
        return {line.pk: self.cleaned_data[name] for line, name in self.line_fields}


class ExportFormatForm(forms.Form):
    """`?format=xlsx` asks a page for its spreadsheet; no format is the page itself."""

    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", "—"), ("xlsx", "XLSX")],
        error_messages={"invalid_choice": _("Only an XLSX export is offered here.")},
    )


class CompareForm(ExportFormatForm):
    a = forms.IntegerField(label=_("Version"), min_value=1, max_value=10_000, required=False)
    b = forms.IntegerField(label=_("with"), min_value=1, max_value=10_000, required=False)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = set(numbers)

    def _version(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and value not in self.numbers:
            raise forms.ValidationError(_("The plan has no version %(n)s."), params={"n": value})
        return value

    def clean_a(self):
        return self._version("a")

    def clean_b(self):
        return self._version("b")


PLAN_ACTIONS = ["activity", "target", "line", "remove_line", "submit", "review", "approve", "return"]


class PlanActionForm(forms.Form):
    """Which step a button on the plan's page asks for, and the activity or budget line it names,
    among this plan's own only."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in PLAN_ACTIONS],
        error_messages={"required": _("Choose an action."), "invalid_choice": _("Unknown action.")},
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choose an activity of this plan.")},
    )
    line = forms.ModelChoiceField(
        label=_("Budget line"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a budget line of this plan.")},
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = plan.activities.all()
        self.fields["line"].queryset = BudgetLine.objects.filter(activity__plan=plan)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in ("target", "line") and not data.get("activity") and "activity" not in self.errors:
            self.add_error("activity", _("Choose an activity."))
        if action == "remove_line" and not data.get("line") and "line" not in self.errors:
            self.add_error("line", _("Choose a budget line."))
        return data


class DecisionForm(NoteForm):
    """Approve or reject a revision, with an optional note."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        error_messages={"required": _("Choose approve or reject."), "invalid_choice": _("Unknown action.")},
    )


class PlanFilterForm(forms.Form):
    year = YearField(required=False)


class WhatIfForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Sponsored scheme"), queryset=None)
    people = forms.IntegerField(label=_("More people"), min_value=1, max_value=10_000_000, required=False)
    whole_gap = forms.BooleanField(
        label=_("Or the whole coverage gap of the scheme's region"), required=False
    )
    from_month = forms.DateField(
        label=_("From month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes

    def clean(self):
        data = super().clean()
        if not data.get("people") and not data.get("whole_gap"):
            raise forms.ValidationError(_("Enter a number of people or choose the whole coverage gap."))
        return data


class IndicatorFilterForm(ExportFormatForm):
    region = forms.CharField(label=_("Region"), required=False, max_length=10)
    year = YearField(required=False)

    def clean_region(self):
        value = self.cleaned_data.get("region") or ""
        if value and not value.isdigit():
            raise forms.ValidationError(_("A region code has digits only."))
        return value
