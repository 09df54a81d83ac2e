"""Dashboard parameters, parsed (a bad value falls back to the default, never a 500)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DashboardForm(forms.Form):
    region = forms.CharField(required=False, max_length=10)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    body = forms.IntegerField(required=False, min_value=1)
    export = forms.ChoiceField(
        required=False,
        choices=[
            ("", ""),
            ("targets", "targets"),
            ("red", "red"),
            ("absorption", "absorption"),
            ("budget", "budget"),
            ("drill", "drill"),
            ("trends", "trends"),
        ],
    )

    def clean_region(self):
        value = self.cleaned_data.get("region") or ""
        if value and not value.isdigit():
            raise forms.ValidationError(_("A region code has digits only."))
        return value


class ReportForm(forms.Form):
    region = forms.CharField(required=False, max_length=10)
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"])


class SubscriptionForm(forms.Form):
    region = forms.CharField(required=False, max_length=10)
    choice = forms.ChoiceField(choices=[("subscribe", "subscribe"), ("unsubscribe", "unsubscribe")])
