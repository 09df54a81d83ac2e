"""Every e-order write: vendors and their approval, catalogue, ceilings, orders and offers, delivery,
invoices and the one payment of each invoice. Atomic and audited; vendors act through signed links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Organisation
from sinergi.accounts.permissions import require
from sinergi.accounts.roles import OrgKind, Role
from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_transition
from sinergi.core.errors import Conflict, NotAllowed, NotFound, SinergiError
from sinergi.core.uploads import content_matches, file_extension
from sinergi.eorder import rotation
from sinergi.eorder.models import (
    CatalogueItem,
    Delivery,
    Invoice,
    ItemKind,
    Offer,
    Order,
    OrderLine,
    OutsideSpend,
    Payment,
    PriceCeiling,
    Vendor,
    VendorEvent,
)
from sinergi.eorder.selectors import order_list, vendor_list
from sinergi.programs import printing
from sinergi.programs.selectors import level_graduates, person_scope_q
from sinergi.registry.models import Person
from sinergi.unions.models import Membership

if TYPE_CHECKING:
    from sinergi.accounts.models import User

# Jakpreneur's e-order course: level 2 of the "jakpreneur" track (programs.Course).
EORDER_TRACK = "jakpreneur"
EORDER_LEVEL = 2
PHOTO_TYPES = ("jpg", "jpeg", "png")
PHOTO_MAX_BYTES = 3 * 1024 * 1024
OFFER_SALT = "sinergi.eorder.offer"
VENDOR_SALT = "sinergi.eorder.vendor"


def _writable(actor: User, capability: str):
    require(actor, capability)
    if user_scope(actor).read_only:
        raise NotAllowed(_("Your role can read but not change e-order records."))


def _event(vendor, actor: User, action, note=""):
    VendorEvent.objects.create(
        vendor=vendor,
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        note=note,
    )


def check_photo(upload, field: str = "photo"):
    """A photo must be a real JPEG or PNG of at most 3 MB (bounded upload)."""
    if upload is None:
        return
    ext = file_extension(upload.name)
    if ext not in PHOTO_TYPES or not content_matches(upload, ext):
        raise SinergiError(_("The photo must be a JPEG or PNG image."), code="photo_type", field=field)
    if upload.size > PHOTO_MAX_BYTES:
        raise SinergiError(_("The photo is larger than 3 MB."), code="photo_size", field=field)


# ---------------------------------------------------------------- vendors


def _agency_for_region(region_code: str):
    """The manpower agency whose region is the longest prefix of `region_code`."""
    best = None
    for org in (
        Organisation.objects.filter(kind=OrgKind.AGENCY, is_active=True)
        .exclude(region_id=None)
        .order_by("pk")
    ):
        if region_code.startswith(org.region_id) and (
            best is None or len(org.region_id) > len(best.region_id)
        ):
            best = org
    return best


def _digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def graduate_enrolment(person):
    return (
        level_graduates(track=EORDER_TRACK, level=EORDER_LEVEL)
        .filter(person=person)
        .order_by("-completed_on")
        .first()
    )


def _vendor_candidate(actor: User, person):
    """(graduation enrolment, active membership) of a person who may become a vendor: in the actor's
    scope, graduated the e-order level, an active union member, not already a vendor."""
    if not Person.objects.filter(pk=person.pk).filter(person_scope_q(actor)).exists():
        raise NotAllowed(_("This person is not among your members or in your region."))
    enrolment = graduate_enrolment(person)
    if enrolment is None:
        raise Conflict(
            _("%(name)s has not graduated the e-order level of Jakpreneur.") % {"name": person.name},
            code="not_graduated",
        )
    membership = Membership.objects.filter(person=person, status="active").select_related("body").first()
    if membership is None:
        raise Conflict(
            _("%(name)s is not an active union member.") % {"name": person.name}, code="not_member"
        )
    if Vendor.objects.filter(person=person).exclude(status=Vendor.Status.REJECTED).exists():
        raise Conflict(_("%(name)s is already registered as a vendor.") % {"name": person.name})
    return enrolment, membership


def _vendor_agency(actor: User, agency, person, membership) -> tuple[Organisation, str]:
    """(the agency the vendor sells for, the vendor's region): the given agency, the actor's own, or the
    one covering the member's region; a vendor living outside the agency's region sells within it."""
    region_code = person.domicile_region_id or membership.body.region_id or ""
    if agency is None and actor.organisation is not None and actor.organisation.kind == OrgKind.AGENCY:
        agency = actor.organisation
    agency = agency or _agency_for_region(region_code) or _agency_for_region(membership.body.region_id or "")
    if agency is None:
        raise Conflict(_("No manpower agency covers this member's region."), code="no_agency")
    if not region_code.startswith(agency.region_id):
        region_code = agency.region_id
    return agency, region_code


@transaction.atomic
def vendor_register(
    *,
    actor: User,
    person,
    business_name: str,
    kind: str,
    address: str,
    delivery_area: str,
    capacity_per_day: int,
    bank_name: str,
    bank_account: str,
    account_holder: str,
    nib: str,
    pirt_number: str,
    pirt_expires: dt.date,
    halal_number: str,
    halal_expires: dt.date,
    phone: str = "",
    email: str = "",
    agency=None,
) -> Vendor:
    """Register a union member who graduated Jakpreneur's e-order level as a vendor."""
    _writable(actor, "register_vendors")
    enrolment, membership = _vendor_candidate(actor, person)
    account = _digits(bank_account)
    if not 5 <= len(account) <= 30:
        raise SinergiError(_("The bank account must have 5 to 30 digits."), field="bank_account")
    nib_digits = _digits(nib)
    if len(nib_digits) != 13:
        raise SinergiError(_("The NIB has 13 digits."), field="nib")
    if capacity_per_day <= 0:
        raise SinergiError(_("Capacity must be at least one portion a day."), field="capacity_per_day")
    agency, region_code = _vendor_agency(actor, agency, person, membership)
    vendor = Vendor.objects.create(
        person=person,
        union_body=membership.body,
        agency=agency,
        region_id=region_code,
        certificate_number=enrolment.certificate_number,
        business_name=business_name.strip(),
        kind=kind,
        address=address.strip(),
        delivery_area=delivery_area.strip(),
        capacity_per_day=capacity_per_day,
        phone=_digits(phone) or person.phone,
        email=email.strip(),
        bank_name=bank_name.strip(),
        bank_account=account,
        account_holder=account_holder.strip(),
        nib=nib_digits,
        pirt_number=pirt_number.strip(),
        pirt_expires=pirt_expires,
        halal_number=halal_number.strip(),
        halal_expires=halal_expires,
        registered_by=actor,
    )
    audit_create(actor=actor, obj=vendor)
    _event(vendor, actor, "registered")
    return vendor


def _scoped_vendor(actor: User, vendor) -> Vendor:
    locked = vendor_list(user=actor).select_for_update(of=("self",)).filter(pk=vendor.pk).first()
    if locked is None:
        raise NotFound(_("Vendor not found, or outside your scope."))
    return locked


def _transition(vendor, actor: User, to, note=""):
    before = vendor.status
    vendor.status = to
    vendor.save()
    audit_transition(actor=actor, obj=vendor, from_status=before, to_status=to, note=note)
    _event(vendor, actor, to, note)


@transaction.atomic
def vendor_confirm_member(*, actor: User, vendor: Vendor) -> Vendor:
    """The union body confirms the vendor is its member (union officials see only their bodies)."""
    _writable(actor, "confirm_vendor_members")
    vendor = _scoped_vendor(actor, vendor)
    if not (user_scope(actor).is_global or vendor.union_body_id in (user_scope(actor).union_body_ids or ())):
        raise NotAllowed(_("Only the vendor's own union body confirms its member."))
    if vendor.status != Vendor.Status.REGISTERED:
        raise Conflict(_("This vendor is already %(s)s.") % {"s": vendor.get_status_display()})
    vendor.member_confirmed_by, vendor.member_confirmed_on = actor, clock.today()
    _transition(vendor, actor, Vendor.Status.MEMBER_CONFIRMED)
    return vendor


@transaction.atomic
def vendor_check(*, actor: User, vendor: Vendor, note: str = "") -> Vendor:
    """First agency signature: documents and permits checked."""
    _writable(actor, "approve_vendors")
    vendor = _scoped_vendor(actor, vendor)
    if vendor.status != Vendor.Status.MEMBER_CONFIRMED:
        raise Conflict(_("The union body must confirm its member first."), code="not_confirmed")
    if vendor.expired_permits(clock.today()):
        raise Conflict(_("A permit has expired; renew it first."), code="permit_expired")
    vendor.checked_by, vendor.checked_on = actor, clock.today()
    _transition(vendor, actor, Vendor.Status.CHECKED, note)
    return vendor


@transaction.atomic
def vendor_approve(*, actor: User, vendor: Vendor, note: str = "") -> Vendor:
    """Second agency signature (maker-checker: not the officer who checked)."""
    _writable(actor, "approve_vendors")
    vendor = _scoped_vendor(actor, vendor)
    if vendor.status != Vendor.Status.CHECKED:
        raise Conflict(
            _("The vendor must be checked by a first officer before approval."), code="not_checked"
        )
    if vendor.checked_by_id == actor.pk:
        raise NotAllowed(_("A second officer must approve: you checked this vendor."), code="same_officer")
    vendor.approved_by, vendor.approved_on = actor, clock.today()
    _transition(vendor, actor, Vendor.Status.APPROVED, note)
    return vendor


@transaction.atomic
def vendor_reject(*, actor: User, vendor: Vendor, reason: str) -> Vendor:
    _writable(actor, "approve_vendors")
    vendor = _scoped_vendor(actor, vendor)
    if not (reason or "").strip():
        raise SinergiError(_("Give the reason."), field="reason")
    if vendor.status in (Vendor.Status.APPROVED, Vendor.Status.REJECTED):
        raise Conflict(_("This vendor is already %(s)s.") % {"s": vendor.get_status_display()})
    vendor.note = reason.strip()[:300]
    _transition(vendor, actor, Vendor.Status.REJECTED, vendor.note)
    return vendor


@transaction.atomic
def vendor_permits_renew(
    *,
    actor: User,
    vendor: Vendor,
    pirt_number: str,
    pirt_expires: dt.date,
    halal_number: str,
    halal_expires: dt.date,
) -> Vendor:
    """Record renewed permits; a vendor suspended by an expired permit is active again once all are valid."""
    _writable(actor, "register_vendors")
    vendor = _scoped_vendor(actor, vendor)
    today = clock.today()
    if pirt_expires < today or halal_expires < today:
        raise SinergiError(_("A renewed permit cannot already be expired."), field="pirt_expires")
    before = {"pirt": str(vendor.pirt_expires), "halal": str(vendor.halal_expires)}
    vendor.pirt_number, vendor.pirt_expires = pirt_number.strip(), pirt_expires
    vendor.halal_number, vendor.halal_expires = halal_number.strip(), halal_expires
    vendor.save()
    audit_record(
        actor=actor,
        action="update",
        obj=vendor,
        changes={"before": before, "after": {"pirt": str(pirt_expires), "halal": str(halal_expires)}},
    )
    _event(vendor, actor, "permits_renewed")
    return vendor


@transaction.atomic
def item_add(
    *, actor: User, vendor: Vendor, kind: str, name: str, portion: str, price: Decimal, photo=None
) -> CatalogueItem:
    _writable(actor, "register_vendors")
    vendor = _scoped_vendor(actor, vendor)
    if kind not in ItemKind.values:
        raise SinergiError(_("Choose an item kind."), field="kind")
    if price is None or price <= 0 or price != price.to_integral_value():
        raise SinergiError(_("The price is a whole number of rupiah above zero."), field="price")
    check_photo(photo)
    item = CatalogueItem(vendor=vendor, kind=kind, name=name.strip(), portion=portion.strip(), price=price)
    if photo is not None:
        item.photo.save(photo.name.rsplit("/", 1)[-1], photo, save=False)
    item.save()
    audit_create(actor=actor, obj=item)
    return item


@transaction.atomic
def item_withdraw(*, actor: User, item: CatalogueItem) -> CatalogueItem:
    _writable(actor, "register_vendors")
    _scoped_vendor(actor, item.vendor)
    item.active = False
    item.save(update_fields=["active", "updated_at"])
    audit_record(actor=actor, action="update", obj=item, changes={"active": [True, False]})
    return item


@transaction.atomic
def ceiling_set(*, actor: User, kind: str, year: int, max_price: Decimal, decree: str) -> PriceCeiling:
    """The agency's standard unit cost per portion for `kind` in `year`, with the decree that sets it."""
    _writable(actor, "approve_vendors")
    agency = actor.organisation
    if agency is None or agency.kind != OrgKind.AGENCY:
        raise NotAllowed(_("Only a manpower agency sets price ceilings."))
    if max_price is None or max_price <= 0 or max_price != max_price.to_integral_value():
        raise SinergiError(_("The ceiling is a whole number of rupiah above zero."), field="max_price")
    if not (decree or "").strip():
        raise SinergiError(_("Name the decree that sets this ceiling."), field="decree")
    row, created = PriceCeiling.objects.update_or_create(
        agency=agency,
        kind=kind,
        year=year,
        defaults={"max_price": max_price, "decree": decree.strip(), "set_by": actor},
    )
    audit_record(
        actor=actor,
        action="create" if created else "update",
        obj=row,
        changes={"kind": kind, "year": year, "max_price": str(max_price), "decree": row.decree},
    )
    return row


# ---------------------------------------------------------------- orders


def _scoped_order(actor: User, order, *, lock=True) -> Order:
    qs = order_list(user=actor).filter(pk=order.pk)
    if lock:
        qs = qs.select_for_update(of=("self",))
    found = qs.first()
    if found is None:
        raise NotFound(_("Order not found, or outside your scope."))
    return found


def _store_proposals(order: Order, proposals, start_rank: int = 1):
    Offer.objects.bulk_create(
        [
            Offer(order=order, vendor=p.vendor, rank=start_rank + i, reason=p.reason[:400], amount=p.amount)
            for i, p in enumerate(proposals)
        ]
    )


@transaction.atomic
def order_create(
    *,
    actor: User,
    unit: str,
    activity: str,
    region_id: str,
    deliver_at: dt.datetime,
    place: str,
    budget_line: str,
    lines: dict[str, int],
    budget_ref: str = "",
) -> Order:
    """A unit's order for an activity; Sinergi proposes vendors by fair rotation for the officer to confirm."""
    _writable(actor, "order_food")
    agency = actor.organisation
    if agency is None or agency.kind != OrgKind.AGENCY:
        raise NotAllowed(_("Only a manpower agency orders through e-order."))
    scope = user_scope(actor)
    if not scope.covers_region(region_id):
        raise NotAllowed(_("The activity's region is outside your scope."), code="region")
    lines = {k: int(n) for k, n in lines.items() if n}
    if not lines:
        raise SinergiError(_("Order at least one portion."), field="lines")
    for k, n in lines.items():
        if k not in ItemKind.values or n < 0:
            raise SinergiError(_("Portions must be whole numbers of zero or more."), field="lines")
    if deliver_at <= clock.now():
        raise SinergiError(_("The delivery time must be in the future."), field="deliver_at")
    order = Order.objects.create(
        agency=agency,
        unit=unit.strip(),
        activity=activity.strip(),
        region_id=region_id,
        deliver_at=deliver_at,
        place=place.strip(),
        budget_line=budget_line.strip(),
        budget_ref=(budget_ref or "").strip(),
        ordered_by=actor,
    )
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, kind=k, portions=n) for k, n in sorted(lines.items())]
    )
    _store_proposals(order, rotation.propose(order))
    audit_create(actor=actor, obj=order)
    return order


def _offer_next(order: Order, actor: User | str) -> Offer | None:
    nxt = order.offers.filter(status=Offer.Status.PROPOSED).order_by("rank").first()
    before = order.status
    if nxt is None:
        order.status = Order.Status.UNFILLED
    else:
        nxt.status, nxt.offered_at = Offer.Status.OFFERED, clock.now()
        nxt.save(update_fields=["status", "offered_at"])
        order.status = Order.Status.OFFERED
        _notify_vendor(nxt)
    order.save(update_fields=["status", "updated_at"])
    if before != order.status:
        audit_transition(actor=actor, obj=order, from_status=before, to_status=order.status)
    return nxt


@transaction.atomic
def order_confirm(*, actor: User, order: Order) -> Offer | None:
    """The officer confirms the proposal: the first vendor in the rotation gets the offer."""
    _writable(actor, "order_food")
    order = _scoped_order(actor, order)
    if order.status != Order.Status.DRAFT:
        raise Conflict(_("This order is already %(s)s.") % {"s": order.get_status_display()})
    order.confirmed_by = actor
    order.save(update_fields=["confirmed_by", "updated_at"])
    return _offer_next(order, actor)


@transaction.atomic
def order_repropose(*, actor: User, order: Order) -> Offer | None:
    """An order nobody could take gets a fresh rotation (vendors who declined stay out)."""
    _writable(actor, "order_food")
    order = _scoped_order(actor, order)
    if order.status != Order.Status.UNFILLED:
        raise Conflict(_("Only an order without a vendor can be proposed again."))
    asked = list(order.offers.values_list("vendor_id", flat=True))
    start = (order.offers.aggregate(m=Max("rank"))["m"] or 0) + 1
    _store_proposals(order, rotation.propose(order, exclude_vendor_ids=asked), start)
    return _offer_next(order, actor)


@transaction.atomic
def order_budget_ref_set(*, actor: User, order: Order, budget_ref: str) -> Order:
    """Link an order to a planning budget line (the planning app calls this; free text stays the record)."""
    _writable(actor, "order_food")
    order = _scoped_order(actor, order)
    before = order.budget_ref
    order.budget_ref = (budget_ref or "").strip()[:60]
    order.save(update_fields=["budget_ref", "updated_at"])
    audit_record(actor=actor, action="update", obj=order, changes={"budget_ref": [before, order.budget_ref]})
    return order


@transaction.atomic
def order_cancel(*, actor: User, order: Order, reason: str) -> Order:
    _writable(actor, "order_food")
    order = _scoped_order(actor, order)
    if order.status in (Order.Status.INVOICED, Order.Status.PAID, Order.Status.CANCELLED):
        raise Conflict(_("This order is already %(s)s.") % {"s": order.get_status_display()})
    if not (reason or "").strip():
        raise SinergiError(_("Give the reason."), field="reason")
    order.offers.filter(status__in=[Offer.Status.OFFERED, Offer.Status.PROPOSED]).update(
        status=Offer.Status.WITHDRAWN
    )
    before = order.status
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    audit_transition(actor=actor, obj=order, from_status=before, to_status=order.status, note=reason.strip())
    return order


# ---------------------------------------------------------------- the vendor's signed links


def offer_token(offer: Offer) -> str:
    return signing.dumps({"o": offer.pk, "v": offer.vendor_id}, salt=OFFER_SALT)


def offer_from_token(token: str) -> Offer:
    try:
        data = signing.loads(token, salt=OFFER_SALT)
    except signing.BadSignature:
        raise NotFound(_("This link is not valid.")) from None
    offer = (
        Offer.objects.select_related("order__agency", "vendor")
        .filter(pk=data.get("o"), vendor_id=data.get("v"))
        .first()
    )
    if offer is None:
        raise NotFound(_("This link is not valid."))
    return offer


def vendor_token(vendor: Vendor) -> str:
    return signing.dumps({"v": vendor.pk}, salt=VENDOR_SALT)


def vendor_from_token(token: str) -> Vendor:
    try:
        data = signing.loads(token, salt=VENDOR_SALT)
    except signing.BadSignature:
        raise NotFound(_("This link is not valid.")) from None
    vendor = Vendor.objects.filter(pk=data.get("v")).first()
    if vendor is None:
        raise NotFound(_("This link is not valid."))
    return vendor


def public_base_url() -> str:
    return printing.public_base_url()


def offer_url(offer: Offer, base: str | None = None) -> str:
    from django.urls import reverse

    return (base or public_base_url()).rstrip("/") + reverse("eorder:offer", args=[offer_token(offer)])


def whatsapp_number(phone: str) -> str:
    """Indonesian mobile numbers as wa.me wants them: 0812… or +62812… -> 62812…"""
    digits = _digits(phone)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def offer_message(offer: Offer, url: str) -> str:
    order = offer.order
    return _(
        "E-order %(agency)s: %(portions)s portions for %(activity)s on %(when)s at %(place)s, Rp %(amount)s."
        " Accept or decline: %(url)s"
    ) % {
        "agency": order.agency.short_name or order.agency.name,
        "portions": order.portions,
        "activity": order.activity,
        "when": timezone.localtime(order.deliver_at).strftime("%d-%m-%Y %H:%M"),
        "place": order.place,
        "amount": f"{offer.amount:,.0f}".replace(",", "."),
        "url": url,
    }


def whatsapp_link(offer: Offer, url: str) -> str:
    number = whatsapp_number(offer.vendor.phone)
    return f"https://wa.me/{number}?text={quote(offer_message(offer, url))}"


def _notify_vendor(offer: Offer):
    """E-mail the vendor the offer link after commit (when the vendor gave an address)."""
    if not offer.vendor.email:
        return
    url = offer_url(offer)
    message = offer_message(offer, url)
    address = offer.vendor.email

    def send():
        from django.core.mail import send_mail

        send_mail(_("E-order offer"), message, None, [address], fail_silently=True)

    transaction.on_commit(send)


def offer_respond(*, offer: Offer, accept: bool, reason: str = "") -> Offer:
    """The vendor's answer from the signed link. A decline passes the order to the next vendor."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=offer.order_id)
        offer = Offer.objects.select_related("vendor").get(pk=offer.pk)
        if offer.status != Offer.Status.OFFERED or order.status != Order.Status.OFFERED:
            raise Conflict(_("This offer is no longer open."), code="offer_closed")
        actor_label = f"vendor:{offer.vendor_id}"
        offer.responded_at = clock.now()
        if not accept:
            offer.status = Offer.Status.DECLINED
            offer.decline_reason = (reason or "").strip()[:300]
            offer.save(update_fields=["status", "responded_at", "decline_reason"])
            audit_record(actor=actor_label, action="decline", obj=order, changes={"vendor": offer.vendor_id})
            _offer_next(order, actor_label)
            return offer
        day = rotation.delivery_day(order)
        if not offer.vendor.is_active_on(day):
            raise Conflict(
                _("A permit has expired; renew it before accepting orders."), code="permit_expired"
            )
        # Recompute prices now: the catalogue may have changed since the proposal.
        proposal = next(
            (p for p in rotation.propose(order) if p.vendor.pk == offer.vendor_id),
            None,
        )
        if proposal is None:
            raise Conflict(
                _("Your capacity or catalogue no longer fits this order; decline it instead."), code="no_fit"
            )
        lines = list(order.lines.all())
        for line in lines:
            item = proposal.items[line.kind]
            line.item, line.unit_price, line.amount = item, item.price, item.price * line.portions
        OrderLine.objects.bulk_update(lines, ["item", "unit_price", "amount"])
        offer.status, offer.amount = Offer.Status.ACCEPTED, proposal.amount
        offer.save(update_fields=["status", "responded_at", "amount"])
        order.offers.filter(status=Offer.Status.PROPOSED).update(status=Offer.Status.WITHDRAWN)
        order.vendor, order.total, order.status = offer.vendor, proposal.amount, Order.Status.ACCEPTED
        order.save(update_fields=["vendor", "total", "status", "updated_at"])
        audit_transition(actor=actor_label, obj=order, from_status="offered", to_status="accepted")
        return offer


# ---------------------------------------------------------------- delivery, invoice, payment


@transaction.atomic
def delivery_confirm(
    *, actor: User, order: Order, received: dict[str, int], complaint: str = "", photo=None, delivered_at=None
) -> Delivery:
    """Count what arrived (per item kind) and issue the invoice for what was received."""
    _writable(actor, "order_food")
    order = _scoped_order(actor, order)
    if order.status != Order.Status.ACCEPTED:
        raise Conflict(_("Only an accepted order can be delivered."), code="not_accepted")
    check_photo(photo)
    lines = list(order.lines.all())
    portions: dict[int, int] = {}  # line id -> portions received, checked
    for line in lines:
        n = received.get(line.kind)
        if n is None or n < 0:
            raise SinergiError(_("Give the number of portions received for every item."), field="received")
        if n > line.portions:
            raise SinergiError(
                _("More portions received than ordered: record only the ordered ones."), field="received"
            )
        line.received = portions[line.pk] = n
    OrderLine.objects.bulk_update(lines, ["received"])
    total_received = sum(portions.values())
    delivery = Delivery(
        order=order,
        delivered_at=delivered_at or clock.now(),
        portions_received=total_received,
        complaint=(complaint or "").strip()[:500],
        confirmed_by=actor,
    )
    if photo is not None:
        delivery.photo.save(photo.name.rsplit("/", 1)[-1], photo, save=False)
    delivery.save()
    audit_create(actor=actor, obj=delivery)
    amount = sum((line.unit_price * portions[line.pk] for line in lines), Decimal(0))
    if amount > 0:
        invoice = Invoice.objects.create(
            order=order,
            number=f"EO/{rotation.delivery_day(order).year}/{order.pk:06d}",
            issued_on=clock.today(),
            amount=amount,
        )
        audit_create(actor=actor, obj=invoice)
        to = Order.Status.INVOICED
    else:
        to = Order.Status.CANCELLED  # nothing arrived: nothing to pay
    order.status = to
    order.save(update_fields=["status", "updated_at"])
    audit_transition(actor=actor, obj=order, from_status="accepted", to_status=to)
    return delivery


@transaction.atomic
def delivery_rate(*, actor: User, order: Order, rating: int, note: str = "") -> Delivery:
    _writable(actor, "order_food")
    order = _scoped_order(actor, order)
    delivery = Delivery.objects.filter(order=order).first()
    if delivery is None:
        raise Conflict(_("Rate a delivery after it arrived."))
    if not 1 <= rating <= 5:
        raise SinergiError(_("The rating is 1 to 5."), field="rating")
    delivery.rating, delivery.rating_note = rating, (note or "").strip()[:300]
    delivery.save(update_fields=["rating", "rating_note"])
    audit_record(actor=actor, action="rate", obj=order, changes={"rating": rating})
    return delivery


def invoice_pay(
    *, actor: User, invoice: Invoice, paid_on: dt.date | None = None, reference: str = ""
) -> Payment:
    """Record the payment of an invoice, exactly once (row lock + one Payment per invoice in the database).

    The payment is the budget realisation of the order's budget line."""
    _writable(actor, "pay_invoices")
    _scoped_order(actor, invoice.order, lock=False)
    paid_on = paid_on or clock.today()
    try:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=invoice.order_id)
            locked = Invoice.objects.get(pk=invoice.pk)
            if order.status == Order.Status.PAID or Payment.objects.filter(invoice_id=locked.pk).exists():
                raise Conflict(_("This invoice has already been paid."), code="already_paid")
            if order.status != Order.Status.INVOICED:
                raise Conflict(_("Only an invoiced order can be paid."), code="not_invoiced")
            if paid_on < locked.issued_on:
                raise SinergiError(_("The payment date is before the invoice date."), field="paid_on")
            if paid_on > clock.today():
                raise SinergiError(_("The payment date is in the future."), field="paid_on")
            payment = Payment.objects.create(
                invoice=locked,
                amount=locked.amount,
                paid_on=paid_on,
                paid_by=actor,
                reference=(reference or "").strip()[:60],
            )
            audit_create(actor=actor, obj=payment)
            order.status = Order.Status.PAID
            order.save(update_fields=["status", "updated_at"])
            audit_transition(actor=actor, obj=order, from_status="invoiced", to_status="paid")
    except IntegrityError:
        raise Conflict(_("This invoice has already been paid."), code="already_paid") from None
    return payment


@transaction.atomic
def outside_spend_record(*, actor: User, year: int, quarter: int, amount: Decimal, source: str):
    """Catering bought outside e-order in a quarter (for the share-of-spend report)."""
    _writable(actor, "pay_invoices")
    agency = actor.organisation
    if agency is None or agency.kind != OrgKind.AGENCY:
        raise NotAllowed(_("Only a manpower agency records its catering spend."))
    if not 1 <= quarter <= 4:
        raise SinergiError(_("The quarter is 1 to 4."), field="quarter")
    if amount is None or amount < 0 or amount != amount.to_integral_value():
        raise SinergiError(_("The amount is a whole number of rupiah, zero or more."), field="amount")
    row, _created = OutsideSpend.objects.update_or_create(
        agency=agency,
        year=year,
        quarter=quarter,
        defaults={"amount": amount, "source": (source or "").strip()[:300], "recorded_by": actor},
    )
    audit_record(actor=actor, action="update", obj=row, changes={"amount": str(amount), "quarter": quarter})
    return row


def is_agency_side(user) -> bool:
    return user.role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN)
