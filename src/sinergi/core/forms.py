"""Forms of the shell pages: the audit log's filters and export, the language switch."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sinergi.core.audit_display import action_label
from sinergi.core.models import AuditEntry


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET on the page, the same fields in the export POST)."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), max_length=150, required=False)
    object_type = forms.CharField(label=_("Object type"), max_length=100, required=False)
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    # the keyset cursors of the previous/next page (core.paging); one that does not decode is the first page
    after = forms.CharField(required=False, max_length=500)
    before = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("all"))] + [
            (value, action_label(value)) for value, _label in AuditEntry.Action.choices
        ]
        # "from" is a Python keyword, so the two date fields are added here
        date = {"type": "date"}
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(date))
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(date))

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The valid, non-empty filters as text (what the selector and the export job take)."""
        data = getattr(self, "cleaned_data", {})
        out = {}
        for key in ("action", "actor", "object_type", "object_id", "from", "to"):
            value = data.get(key)
            if value:
                out[key] = value.isoformat() if hasattr(value, "isoformat") else str(value).strip()
        return out


class AuditExportForm(AuditFilterForm):
    purpose = forms.CharField(
        label=_("Purpose of the export"),
        max_length=300,
        error_messages={"required": _("Say why you are exporting the audit log (it is recorded).")},
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
