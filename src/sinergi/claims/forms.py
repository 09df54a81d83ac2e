"""Forms for claims pages: open a case, upload a document, choose an heir, decide, payment instruction."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.claims.models import Benefit, Claim, DocumentType, EventType


class CaseOpenForm(forms.Form):
    nik = forms.CharField(label=_("Participant NIK"), min_length=16, max_length=16)
    event_type = forms.ChoiceField(label=_("Event"), choices=EventType.choices)
    event_date = forms.DateField(label=_("Event date"), widget=forms.DateInput(attrs={"type": "date"}))
    benefits = forms.MultipleChoiceField(
        label=_("Benefits claimed"), choices=Benefit.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ceremonial = forms.BooleanField(label=_("Ceremonial hand-over"), required=False)
    ceremony_date = forms.DateField(
        label=_("Ceremony date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ceremony_place = forms.CharField(label=_("Ceremony place"), required=False, max_length=200)

    def clean_nik(self):
        nik = self.cleaned_data["nik"].strip()
        if not nik.isdigit():
            raise forms.ValidationError(_("A NIK has 16 digits."))
        return nik


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    file = forms.FileField(label=_("File (PDF, JPG or PNG, at most 10 MB)"))
    scholarship_year = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )


class HeirForm(forms.Form):
    heir = forms.IntegerField(label=_("Heir"), widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (required when not first in the legal order)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("approve")), ("reject", _("reject"))]
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InstructionForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=100)
    bank_account = forms.CharField(label=_("Account number"), max_length=40)
    account_holder = forms.CharField(label=_("Account holder"), max_length=200)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Transfer reference"), max_length=60, required=False)


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    benefit = forms.ChoiceField(label=_("Benefit"), required=False, choices=[("", "–"), *Benefit.choices])
    overdue = forms.TypedChoiceField(
        label=_("overdue only"),
        required=False,
        choices=[("", ""), ("1", "1")],
        coerce=bool,
        empty_value=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "–"), *Claim.Status.choices]


class ClaimQuoteForm(forms.Form):
    """The officer's inputs of a claim's quote: the fields the benefit asks for, as typed (the quote
    rules parse amounts, dates and choices and name the field they refuse)."""

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in names:
            self.fields[name] = forms.CharField(required=False, max_length=60, strip=True)


class CalculatorBenefitForm(forms.Form):
    benefit = forms.ChoiceField(label=_("Benefit"), required=False)

    def __init__(self, *args, benefits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benefit"].choices = [("", ""), *[(b, b) for b in benefits]]


SCHOLARSHIP_CHILD_ROWS = 4


class ScholarshipCalculatorForm(forms.Form):
    """The scholarship calculator: the event, its date, the contribution months and up to four children
    (a row without a name is left out)."""

    event = forms.ChoiceField(label=_("Scholarship follows"), choices=[("JKM", "JKM"), ("JKK", "JKK")])
    event_date = forms.DateField(label=_("Date of death or accident"))
    contribution_months = forms.IntegerField(
        label=_("Contribution months"), required=False, min_value=0, max_value=1200
    )

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(SCHOLARSHIP_CHILD_ROWS):
            self.fields[f"child{i}_name"] = forms.CharField(
                label=_("Child's name"), required=False, max_length=200
            )
            self.fields[f"child{i}_birth"] = forms.DateField(label=_("Birth date"), required=False)
            self.fields[f"child{i}_level"] = forms.ChoiceField(
                label=pgettext_lazy("school", "Level"),
                required=False,
                choices=[("", "–"), *[(lv, lv) for lv in levels]],
            )
            self.fields[f"child{i}_grade"] = forms.IntegerField(
                label=_("Grade"), required=False, min_value=1, max_value=20
            )
            self.fields[f"child{i}_married"] = forms.BooleanField(required=False)
            self.fields[f"child{i}_working"] = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        for i in range(SCHOLARSHIP_CHILD_ROWS):
            if (
                data.get(f"child{i}_name")
                and not data.get(f"child{i}_birth")
                and not self.has_error(f"child{i}_birth")
            ):
                self.add_error(f"child{i}_birth", _("Give the child's birth date."))
        return data

    def child_errors(self, i: int) -> list[str]:
        out = []
        for key in ("name", "birth", "level", "grade"):
            name = f"child{i}_{key}"
            out += [f"{self.fields[name].label}: {e}" for e in self.errors.get(name, [])]
        return out
