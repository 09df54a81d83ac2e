"""Coverage forms: parse and validate input; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock
from sinergi.coverage.labels import INDUSTRIES
from sinergi.coverage.models import Bill, Participation, PayerKind, Scheme, Segment
from sinergi.coverage.selectors import GAP_GROUPS
from sinergi.rules.contributions import LABOUR_INTENSIVE_INDUSTRIES

PROGRAMME_CHOICES = [("JKK", "JKK"), ("JKM", "JKM"), ("JHT", "JHT"), ("JP", "JP")]


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"})
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class QuoteForm(forms.Form):
    segment = forms.ChoiceField(label=_("Segment"), choices=Segment.choices, initial="PU")
    month = MonthField(label=_("Month"), initial=lambda: clock.today().strftime("%Y-%m"))
    wage = forms.DecimalField(
        label=_("Wage or declared income (Rp)"), required=False, min_value=0, decimal_places=0, max_digits=15
    )
    risk_class = forms.TypedChoiceField(
        label=_("JKK risk class"),
        coerce=int,
        required=False,
        choices=[("", "–")] + [(i, f"{i}") for i in range(1, 6)],
    )
    industry = forms.ChoiceField(
        label=_("Labour-intensive industry (PP 7/2025)"),
        required=False,
        choices=[("", "–")] + [(k, INDUSTRIES.get(k, v)) for k, v in LABOUR_INTENSIVE_INDUSTRIES.items()],
    )
    programmes = forms.MultipleChoiceField(
        label=_("Programmes"),
        choices=PROGRAMME_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=["JKK", "JKM"],
    )
    contract_months = forms.TypedChoiceField(
        label=_("PMI contract (months)"),
        coerce=int,
        required=False,
        choices=[("", "–"), (6, 6), (12, 12), (24, 24)],
    )
    extension_months = forms.IntegerField(
        label=_("PMI extension months"), required=False, min_value=0, initial=0
    )


class SchemeForm(forms.ModelForm):
    eligible_occupations_text = forms.CharField(
        label=_("Eligible occupations (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    occupation_priority_text = forms.CharField(
        label=_("Occupation priority (one per line, first = highest)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    region_code = forms.CharField(label=_("Region code"), max_length=13)

    class Meta:
        model = Scheme
        fields = [
            "name",
            "sponsor_organisation",
            "legal_basis",
            "year",
            "target",
            "budget",
            "max_welfare_decile",
            "require_vulnerable",
            "include_jht",
            "billing_cycle",
        ]

    def __init__(self, *args, sponsors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sponsors is not None:
            self.fields["sponsor_organisation"].queryset = sponsors

    @staticmethod
    def lines(text):
        return [x.strip() for x in (text or "").splitlines() if x.strip()]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (Rp)"), min_value=1, decimal_places=0, max_digits=15)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference"), max_length=100)


class BillingForm(forms.Form):
    month = MonthField(label=_("Month"))


class WageForm(forms.Form):
    amount = forms.DecimalField(
        label=_("New wage / income (Rp)"), min_value=1, decimal_places=0, max_digits=15
    )
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))


# ---------------------------------------------------------------- list filters and actions


def _blank(choices):
    return [("", "–")] + list(choices)


class ParticipationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, NIK or participant number"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(Participation.Status.choices)
    )
    segment = forms.ChoiceField(label=_("Segment"), required=False, choices=_blank(Segment.choices))
    scheme = forms.IntegerField(label=_("Scheme"), required=False, min_value=1, max_value=2**31 - 1)


class BillFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(Bill.Status.choices))
    payer_kind = forms.ChoiceField(label=_("Payer"), required=False, choices=_blank(PayerKind.choices))
    q = forms.CharField(label=_("Bill number or payer"), max_length=100, required=False)
    # the keyset cursors of the previous/next page (core.paging); one that does not decode is the first page
    after = forms.CharField(required=False, max_length=500)
    before = forms.CharField(required=False, max_length=500)


class GapFilterForm(forms.Form):
    body = forms.IntegerField(label=_("Union body id"), required=False, min_value=1, max_value=2**31 - 1)
    region = forms.RegexField(
        label=_("Region code"),
        regex=r"^[0-9.]{1,13}$",
        required=False,
        error_messages={"invalid": _("A region code has digits only, e.g. 31.72.")},
    )
    employer = forms.IntegerField(label=_("Employer id"), required=False, min_value=1, max_value=2**31 - 1)
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)


class GapPageForm(GapFilterForm):
    by = forms.ChoiceField(label=_("Group by"), required=False, choices=[(g, g) for g in GAP_GROUPS])
    after = forms.CharField(required=False, max_length=500)
    before = forms.CharField(required=False, max_length=500)


class GapProposeForm(GapFilterForm):
    scheme = forms.ModelChoiceField(
        label=_("Scheme"),
        queryset=Scheme.objects.none(),
        error_messages={"invalid_choice": _("Choose an open scheme in your scope.")},
    )

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes


class ExportFormatForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[("xlsx", "XLSX"), ("csv", "CSV")])


class EnrolmentFileForm(forms.Form):
    all = forms.ChoiceField(label=_("Which participants"), required=False, choices=[("", ""), ("1", "1")])


class SelectCandidatesForm(forms.Form):
    limit = forms.IntegerField(
        label=_("How many (empty: up to the target)"), required=False, min_value=1, max_value=1_000_000
    )


class BatchDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("approve")), ("reject", _("reject"))]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
