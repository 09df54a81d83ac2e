from django import forms
from django.utils.translation import gettext_lazy as _


class DeathForm(forms.Form):
    death_date = forms.DateField(label=_("Date of death"), widget=forms.DateInput(attrs={"type": "date"}))
    certificate_number = forms.CharField(label=_("Death certificate number (akta kematian)"), max_length=60)


class EmployerForm(forms.Form):
    """PHK, retirement or change of employer: the date and the employer(s) concerned."""

    event_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    employer = forms.IntegerField(label=_("Employer"), required=False, widget=forms.Select)
    new_employer = forms.IntegerField(label=_("New employer"), required=False)
    wage = forms.DecimalField(label=_("New monthly wage"), required=False, min_value=0, decimal_places=0)
