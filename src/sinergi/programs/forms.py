"""Programs forms: parse and validate what officers type; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class HandoverForm(forms.Form):
    """Who received a package; the service checks the person, the card and the proof."""

    nik = forms.CharField(label=_("NIK"), max_length=32, required=False)
    card_number = forms.CharField(label=_("Card number"), max_length=40, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    proof = forms.FileField(label=_("Proof (photo)"), required=False)


class ReturnForm(forms.Form):
    count = forms.IntegerField(
        label=_("Packages returned"),
        min_value=0,
        max_value=10_000_000,
        error_messages={"invalid": _("Enter the number of packages as a whole number, e.g. 5.")},
    )


class AllocateForm(forms.Form):
    bodies = forms.TypedMultipleChoiceField(label=_("Union bodies"), coerce=int, choices=())

    def __init__(self, *args, body_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].choices = list(body_choices)
