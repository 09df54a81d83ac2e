from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.regions.models import MinimumWage


class MinimumWageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MinimumWage.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.IntegerField(label=_("Amount (rupiah)"), min_value=1)
    decree = forms.CharField(label=_("Decree"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
