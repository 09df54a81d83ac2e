from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.ops.models import OutboxMessage, ScheduledRun


class RunFilterForm(forms.Form):
    schedule = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", _("all"))] + list(ScheduledRun.Status.choices))


class RunNowForm(forms.Form):
    schedule = forms.CharField(max_length=100)
    day = forms.DateField(required=False, label=_("for day"))


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", _("all"))] + list(OutboxMessage.Status.choices))
