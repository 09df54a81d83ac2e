from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
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


class TokenRevokeForm(forms.Form):
    revoke = forms.IntegerField(min_value=1, max_value=2**31 - 1)


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
        from sinergi.accounts.models import Organisation
        from sinergi.accounts.roles import Role

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["role"].choices = Role.choices
