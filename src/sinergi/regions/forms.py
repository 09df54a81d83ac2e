from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.regions.models import MinimumWage, Region


class RegionSearchForm(forms.Form):
    """The region search (GET): text, level and an optional parent code prefix."""

    q = forms.CharField(label=_("Name or code"), max_length=100, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("all")), *Region.Level.choices], required=False
    )
    parent = forms.CharField(label=_("Parent region code"), max_length=20, required=False)

    def clean_parent(self):
        code = (self.cleaned_data.get("parent") or "").strip().replace(".", "").replace(" ", "")
        if code and not code.isdigit():
            raise forms.ValidationError(
                _("Type a region code in digits, e.g. 3273 or 32.73."), code="invalid"
            )
        return code


class MinimumWageFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class MinimumWageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MinimumWage.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.IntegerField(label=_("Amount (rupiah)"), min_value=1)
    decree = forms.CharField(label=_("Decree"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
