from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organisation
from sinergi.accounts.roles import Role


class NextField(forms.CharField):
    """Where to go after a step (`?next=`): a path on this site only. A foreign or malformed target is
    replaced by the home page (the login still succeeds); `request` gives the host to compare with."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)
        self.request = None

    def clean(self, value):
        value = super().clean(value)
        request = self.request
        if (
            value
            and len(value) <= 2000
            and request is not None
            and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure())
        ):
            return value
        return ""


class NextForm(forms.Form):
    """`?next=` on a GET (the login page, the admin's login redirect)."""

    next = NextField()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next"].request = request

    @property
    def target(self) -> str:
        return self.cleaned_data.get("next", "") if self.is_valid() else ""


class LoginForm(NextForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
    )


class PasswordSetForm(forms.Form):
    new_password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class PasswordChangeForm(PasswordSetForm):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["old_password", "new_password", "new_password2"]


_NOT_YOURS = _("That token is not yours.")


class TokenRevokeForm(forms.Form):
    revoke = forms.IntegerField(
        label=_("Token"),
        min_value=1,
        max_value=2**31 - 1,
        error_messages={k: _NOT_YOURS for k in ("required", "invalid", "min_value", "max_value")},
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=())
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, min_length=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["role"].choices = Role.choices


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=150, required=False)


class UserActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("0", _("Deactivate")), ("1", _("Reactivate"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Choose whether to activate or deactivate the login."),
            "invalid_choice": _("Choose whether to activate or deactivate the login."),
        },
    )


class PasswordResetLinkForm(forms.Form):
    two_factor = forms.ChoiceField(
        label=_("also remove the second factor"),
        required=False,
        choices=[("", "—"), ("remove", _("also remove the second factor"))],
        error_messages={"invalid_choice": _("Tick the box or leave it empty.")},
    )


class TwoFactorActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("disable", _("Remove the second factor"))],
        error_messages={"required": _("Choose an action."), "invalid_choice": _("Unknown action.")},
    )


class TwoFactorSetupForm(forms.Form):
    """`?setup=1` on the second-factor page starts (or restarts) the set-up."""

    setup = forms.BooleanField(required=False)
