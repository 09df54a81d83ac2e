"""E-order: union members trained in Jakpreneur sell meals to the agency's activities.

Vendors (with permits that suspend them when expired), their catalogues, the agency's price ceilings,
orders with their rotation offers, deliveries, invoices and the one payment of each invoice.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.core.dates import format_datetime
from sinergi.core.models import TimeStampedModel
from sinergi.core.money import RupiahField
from sinergi.core.privacy import mask_tail


class ItemKind(models.TextChoices):
    LUNCH = "lunch", _("lunch box")
    SNACK = "snack", _("snack box")
    DRINK = "drink", _("drinks")


class Vendor(TimeStampedModel):
    class Kind(models.TextChoices):
        CATERING = "catering", _("catering")
        SNACKS = "snacks", _("snacks")
        DRINKS = "drinks", _("drinks")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        MEMBER_CONFIRMED = "member_confirmed", _("confirmed by the union")
        CHECKED = "checked", _("checked by the agency")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    union_body = models.ForeignKey("unions.UnionBody", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    certificate_number = models.CharField(_("e-order certificate"), max_length=40)
    business_name = models.CharField(_("business name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=300)
    delivery_area = models.CharField(_("delivery area"), max_length=300)
    capacity_per_day = models.PositiveIntegerField(_("capacity (portions per day)"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=100)
    bank_account = models.CharField(_("bank account"), max_length=30)
    account_holder = models.CharField(_("account holder"), max_length=200)
    nib = models.CharField(_("business licence (NIB)"), max_length=13)
    pirt_number = models.CharField(_("PIRT number"), max_length=40)
    pirt_expires = models.DateField(_("PIRT valid until"))
    halal_number = models.CharField(_("halal certificate"), max_length=40)
    halal_expires = models.DateField(_("halal certificate valid until"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member_confirmed_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["business_name"]
        verbose_name = _("vendor")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status="rejected"),
                name="eorder_one_live_vendor_per_person",
            ),
            models.CheckConstraint(condition=Q(capacity_per_day__gt=0), name="eorder_capacity_positive"),
        ]

    def __str__(self):
        return self.business_name

    @property
    def masked_account(self) -> str:
        return mask_tail(self.bank_account)

    @property
    def masked_phone(self) -> str:
        return mask_tail(self.phone)

    def expired_permits(self, on: dt.date) -> list[str]:
        out = []
        if self.pirt_expires < on:
            out.append(str(_("PIRT")))
        if self.halal_expires < on:
            out.append(str(_("halal certificate")))
        return out

    def is_active_on(self, on: dt.date) -> bool:
        return self.status == self.Status.APPROVED and not self.expired_permits(on)


def permits_valid_q(on: dt.date, prefix: str = "") -> Q:
    """Vendors whose every permit is valid on `on` (an expired permit suspends until renewed)."""
    return Q(**{f"{prefix}pirt_expires__gte": on, f"{prefix}halal_expires__gte": on})


class VendorEvent(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.vendor_id} {self.action}"

    @property
    def action_label(self) -> str:
        """The event in words: a vendor status reached, or another step."""
        labels = {**dict(Vendor.Status.choices), "permits_renewed": _("permits renewed")}
        return str(labels.get(self.action, self.action))


class PriceCeiling(models.Model):
    """The agency's standard unit cost for a kind of item in a year (Standar Satuan Harga), with its decree."""

    agency = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("item kind"), max_length=10, choices=ItemKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    max_price = RupiahField(_("price ceiling per portion"))
    decree = models.CharField(_("decree"), max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year"], name="eorder_one_ceiling_per_year"),
            models.CheckConstraint(condition=Q(max_price__gt=0), name="eorder_ceiling_positive"),
        ]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.max_price}"


def _photo_path(instance, filename):
    return f"eorder/items/{instance.vendor_id}/{filename}"


class CatalogueItem(TimeStampedModel):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("item kind"), max_length=10, choices=ItemKind.choices)
    name = models.CharField(_("name"), max_length=200)
    portion = models.CharField(_("portion"), max_length=200)
    price = RupiahField(_("price per portion"))
    photo = models.FileField(_("photo"), upload_to=_photo_path, blank=True, max_length=300)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["vendor", "kind", "price"]
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="eorder_price_positive")]

    def __str__(self):
        return self.name


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft (proposal to confirm)")
        OFFERED = "offered", _("offered to a vendor")
        ACCEPTED = "accepted", _("accepted by the vendor")
        UNFILLED = "unfilled", _("no vendor available")
        INVOICED = "invoiced", _("delivered and invoiced")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")

    LIVE = (Status.ACCEPTED, Status.INVOICED, Status.PAID)

    agency = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("ordering unit"), max_length=200)
    activity = models.CharField(_("activity"), max_length=300)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    deliver_at = models.DateTimeField(_("delivery date and time"))
    place = models.CharField(_("place"), max_length=300)
    budget_line = models.CharField(_("budget line"), max_length=300)
    # Filled by the planning app when it exists (its budget line's id); free text above stays the record.
    budget_ref = models.CharField(_("budget line reference"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    vendor = models.ForeignKey(
        Vendor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("vendor"),
    )
    total = RupiahField(_("total"), default=0)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-deliver_at", "-id"]
        verbose_name = _("order")

    def __str__(self):
        return f"{self.activity} ({format_datetime(self.deliver_at)})"

    @property
    def portions(self) -> int:
        return sum(line.portions for line in self.lines.all())


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("item kind"), max_length=10, choices=ItemKind.choices)
    portions = models.PositiveIntegerField(_("portions"))
    item = models.ForeignKey(CatalogueItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_price = RupiahField(_("price per portion"), default=0)
    amount = RupiahField(_("amount"), default=0)
    received = models.PositiveIntegerField(_("portions received"), null=True, blank=True)

    class Meta:
        ordering = ["order", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["order", "kind"], name="eorder_one_line_per_kind"),
            models.CheckConstraint(condition=Q(portions__gt=0), name="eorder_portions_positive"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.kind} × {self.portions}"


class Offer(models.Model):
    """One vendor in an order's rotation proposal, in rank order; the live one is `offered`."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        OFFERED = "offered", _("waiting for the vendor")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="offers")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="offers")
    rank = models.PositiveSmallIntegerField()
    reason = models.CharField(_("reason"), max_length=400)
    amount = RupiahField(_("amount"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    offered_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["order", "vendor"], name="eorder_one_offer_per_vendor"),
            models.UniqueConstraint(
                fields=["order"], condition=Q(status="offered"), name="eorder_one_live_offer"
            ),
        ]

    def __str__(self):
        return f"{self.order_id} → {self.vendor_id} ({self.status})"


class Delivery(models.Model):
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="delivery")
    delivered_at = models.DateTimeField(_("delivered at"))
    portions_received = models.PositiveIntegerField(_("portions received"))
    photo = models.FileField(_("photo"), upload_to="eorder/deliveries/%Y/%m/", blank=True, max_length=300)
    complaint = models.CharField(_("complaint"), max_length=500, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_note = models.CharField(_("rating note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="eorder_rating_1_5"
            )
        ]

    def __str__(self):
        return f"{self.order_id}: {self.portions_received}"

    @property
    def shortfall(self) -> int:
        return max(self.order.portions - self.portions_received, 0)


class Invoice(models.Model):
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(_("invoice number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    amount = RupiahField(_("amount"))

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="eorder_invoice_positive")]

    def __str__(self):
        return self.number


class Payment(models.Model):
    """The one payment of an invoice: `invoice` is unique, so a second one is impossible in the database."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="payment")
    amount = RupiahField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("transfer reference"), max_length=60, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="eorder_payment_positive")]

    def __str__(self):
        return f"{self.invoice_id} {self.amount}"


class OutsideSpend(models.Model):
    """Catering the agency bought outside e-order in a quarter (from its budget realisation), so the
    report can show which share of catering spend went to union members."""

    agency = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    amount = RupiahField(_("catering spend outside e-order"))
    source = models.CharField(_("source"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "quarter"], name="eorder_one_outside_spend"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="eorder_quarter_1_4"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="eorder_outside_not_negative"),
        ]

    def __str__(self):
        return f"{self.agency_id} {self.year}Q{self.quarter}"
