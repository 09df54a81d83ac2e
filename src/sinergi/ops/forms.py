from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.schedules import discover
from sinergi.ops.models import OutboxMessage, ScheduledRun


class RunFilterForm(forms.Form):
    schedule = forms.CharField(label=_("Schedule"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + list(ScheduledRun.Status.choices)
    )


class RunNowForm(forms.Form):
    """Run one registered schedule now, optionally for a given day."""

    schedule = forms.ChoiceField(
        label=_("Schedule"), error_messages={"invalid_choice": _("No such schedule.")}
    )
    day = forms.DateField(required=False, label=_("for day"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].choices = [(name, name) for name in sorted(discover())]


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + list(OutboxMessage.Status.choices)
    )
