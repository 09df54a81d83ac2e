"""Forms for e-order (parsing only; services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.aspirations.forms import region_choices
from sinergi.eorder.models import ItemKind, Order, Vendor

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class VendorForm(forms.Form):
    nik = forms.RegexField(
        label=_("Member's NIK"),
        regex=r"^\d{16}$",
        error_messages={"invalid": _("A NIK has 16 digits.")},
    )
    business_name = forms.CharField(label=_("Business name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Vendor.Kind.choices)
    address = forms.CharField(label=_("Address"), max_length=300)
    delivery_area = forms.CharField(label=_("Delivery area"), max_length=300)
    capacity_per_day = forms.IntegerField(
        label=_("Capacity (portions per day)"), min_value=1, max_value=100000
    )
    phone = forms.CharField(label=_("Phone / WhatsApp"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=100)
    bank_account = forms.CharField(label=_("Bank account"), max_length=40)
    account_holder = forms.CharField(label=_("Account holder"), max_length=200)
    nib = forms.CharField(label=_("Business licence (NIB)"), max_length=20)
    pirt_number = forms.CharField(label=_("PIRT number"), max_length=40)
    pirt_expires = forms.DateField(label=_("PIRT valid until"), widget=DATE)
    halal_number = forms.CharField(label=_("Halal certificate"), max_length=40)
    halal_expires = forms.DateField(label=_("Halal certificate valid until"), widget=DATE)


class PermitsForm(forms.Form):
    pirt_number = forms.CharField(label=_("PIRT number"), max_length=40)
    pirt_expires = forms.DateField(label=_("PIRT valid until"), widget=DATE)
    halal_number = forms.CharField(label=_("Halal certificate"), max_length=40)
    halal_expires = forms.DateField(label=_("Halal certificate valid until"), widget=DATE)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Item kind"), choices=ItemKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    portion = forms.CharField(label=_("Portion"), max_length=200)
    price = forms.DecimalField(
        label=_("Price per portion (Rp)"), min_value=1, max_digits=12, decimal_places=0
    )
    photo = forms.FileField(label=_("Photo (JPEG/PNG, at most 3 MB)"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CeilingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Item kind"), choices=ItemKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    max_price = forms.DecimalField(
        label=_("Ceiling per portion (Rp)"), min_value=1, max_digits=12, decimal_places=0
    )
    decree = forms.CharField(label=_("Decree"), max_length=300)


class OrderForm(forms.Form):
    unit = forms.CharField(label=_("Ordering unit"), max_length=200)
    activity = forms.CharField(label=_("Activity"), max_length=300)
    region = forms.ChoiceField(label=_("Region"))
    deliver_at = forms.DateTimeField(
        label=_("Delivery date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    budget_line = forms.CharField(label=_("Budget line"), max_length=300)
    budget_ref = forms.CharField(label=_("Budget line reference (planning)"), max_length=60, required=False)
    lunch = forms.IntegerField(label=_("Lunch boxes"), min_value=0, max_value=10000, initial=0)
    snack = forms.IntegerField(label=_("Snack boxes"), min_value=0, max_value=10000, initial=0)
    drink = forms.IntegerField(label=_("Drinks"), min_value=0, max_value=10000, initial=0)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("lunch", "snack", "drink")):
            raise forms.ValidationError(_("Order at least one portion."))
        return data


class DeliveryForm(forms.Form):
    lunch = forms.IntegerField(label=_("Lunch boxes received"), min_value=0, max_value=10000, required=False)
    snack = forms.IntegerField(label=_("Snack boxes received"), min_value=0, max_value=10000, required=False)
    drink = forms.IntegerField(label=_("Drinks received"), min_value=0, max_value=10000, required=False)
    complaint = forms.CharField(label=_("Complaint (if any)"), max_length=500, required=False)
    photo = forms.FileField(label=_("Photo of the delivery"), required=False)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    reference = forms.CharField(label=_("Transfer reference (SP2D)"), max_length=60, required=False)


class OutsideSpendForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4)
    amount = forms.DecimalField(
        label=_("Catering bought outside e-order (Rp)"), min_value=0, max_digits=16, decimal_places=0
    )
    source = forms.CharField(label=_("Source"), max_length=300)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    fmt = forms.ChoiceField(choices=[("xlsx", "xlsx"), ("csv", "csv")], required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class OfferAnswerForm(DeclineForm):
    """The vendor's answer on the signed phone page: accept or decline (with an optional reason)."""

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept the order")), ("decline", _("Decline"))],
        error_messages={
            "required": _("Choose accept or decline."),
            "invalid_choice": _("Choose accept or decline."),
        },
    )


class VendorFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Name"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), *Vendor.Status.choices]


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), *Order.Status.choices]


VENDOR_ACTIONS = ["confirm", "check", "approve", "reject", "permits", "item", "withdraw"]
ORDER_ACTIONS = ["confirm", "repropose", "cancel", "deliver", "rate", "pay"]


class ActionForm(forms.Form):
    """Which workflow step a button on a detail page asks for; anything else is refused."""

    action = forms.ChoiceField(
        choices=(),
        error_messages={
            "required": _("Choose an action."),
            "invalid_choice": _("Unknown action."),
        },
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, a) for a in actions]


class WithdrawForm(forms.Form):
    """The catalogue item to withdraw, among this vendor's items only."""

    item = forms.ModelChoiceField(
        label=pgettext_lazy("menu", "Item"),
        queryset=None,
        error_messages={
            "required": _("Choose an item."),
            "invalid_choice": _("Choose an item of this vendor's catalogue."),
        },
    )

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = vendor.items.all()
