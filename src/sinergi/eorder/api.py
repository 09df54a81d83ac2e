"""E-order API: vendors, orders (create, confirm, deliver, pay), income reports; scoped like the pages.
A vendor (no login) reads its own orders and answers its offers with its signed token."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from sinergi.core import clock
from sinergi.core.apitypes import Count, Date, Id, Mapped, PageNumberPagination, Year
from sinergi.core.errors import Conflict
from sinergi.eorder import selectors, services
from sinergi.eorder.models import Offer

router = Router(tags=["eorder"])


class VendorOut(Schema):
    id: int
    business_name: str
    kind: str
    union_body: str
    region: str
    capacity_per_day: int
    status: str
    state_today: str
    bank_account: str  # always masked
    pirt_expires: dt.date
    halal_expires: dt.date


class OrderLineOut(Schema):
    kind: str
    portions: int
    unit_price: Decimal
    received: int | None


class OrderOut(Schema):
    id: int
    unit: str
    activity: str
    region: str
    deliver_at: dt.datetime
    place: str
    budget_line: str
    budget_ref: str
    status: str
    vendor_id: int | None
    vendor: str | None
    total: Decimal
    lines: list[OrderLineOut]


class OfferOut(Schema):
    vendor_id: int
    vendor: str
    rank: int
    reason: str
    amount: Decimal
    status: str


class OrderDetailOut(OrderOut):
    proposals: list[OfferOut]
    invoice_number: str | None
    invoice_amount: Decimal | None
    paid_on: dt.date | None


class OrderIn(Schema):
    unit: str
    activity: str
    region: str
    deliver_at: dt.datetime
    place: str
    budget_line: str
    budget_ref: str = ""
    lunch: Count = 0
    snack: Count = 0
    drink: Count = 0


class DeliveryIn(Schema):
    lunch: Count | None = None
    snack: Count | None = None
    drink: Count | None = None
    complaint: str = ""


class PayIn(Schema):
    paid_on: Date | None = None
    reference: str = ""


class AnswerIn(Schema):
    accept: bool
    reason: str = ""


class IncomeOut(Schema):
    vendor_id: int
    vendor: str
    union_body: str
    quarters: list[Decimal]
    total: Decimal
    orders: int


def _v(v) -> dict:
    return {
        "id": v.pk,
        "business_name": v.business_name,
        "kind": v.kind,
        "union_body": str(v.union_body),
        "region": v.region_id,
        "capacity_per_day": v.capacity_per_day,
        "status": v.status,
        "state_today": str(selectors.vendor_today_state(v, clock.today())),
        "bank_account": v.masked_account,
        "pirt_expires": v.pirt_expires,
        "halal_expires": v.halal_expires,
    }


def _o(o, detail=False) -> dict:
    out = {
        "id": o.pk,
        "unit": o.unit,
        "activity": o.activity,
        "region": o.region_id,
        "deliver_at": o.deliver_at,
        "place": o.place,
        "budget_line": o.budget_line,
        "budget_ref": o.budget_ref,
        "status": o.status,
        "vendor_id": o.vendor_id,
        "vendor": str(o.vendor) if o.vendor_id else None,
        "total": o.total,
        "lines": [
            {
                "kind": line.kind,
                "portions": line.portions,
                "unit_price": line.unit_price,
                "received": line.received,
            }
            for line in o.lines.all()
        ],
    }
    if detail:
        invoice = getattr(o, "invoice", None) if hasattr(o, "invoice") else None
        payment = (
            getattr(invoice, "payment", None) if invoice is not None and hasattr(invoice, "payment") else None
        )
        out.update(
            proposals=[
                {
                    "vendor_id": p.vendor_id,
                    "vendor": str(p.vendor),
                    "rank": p.rank,
                    "reason": p.reason,
                    "amount": p.amount,
                    "status": p.status,
                }
                for p in o.offers.select_related("vendor")
            ],
            invoice_number=invoice.number if invoice else None,
            invoice_amount=invoice.amount if invoice else None,
            paid_on=payment.paid_on if payment else None,
        )
    return out


@router.get("/vendors", response=list[VendorOut])
@paginate(PageNumberPagination, page_size=50)
def list_vendors(request, status: str = ""):
    return Mapped(selectors.vendor_list(user=request.user, filters={"status": status}), _v)


@router.get("/vendors/{int:pk}", response=VendorOut)
def get_vendor(request, pk: Id):
    return _v(get_object_or_404(selectors.vendor_list(user=request.user), pk=pk))


@router.get("/orders", response=list[OrderOut])
@paginate(PageNumberPagination, page_size=50)
def list_orders(request, status: str = "", year: Year | None = None):
    qs = selectors.order_list(user=request.user, filters={"status": status, "year": year}).prefetch_related(
        "lines"
    )
    return Mapped(qs, _o)


@router.post("/orders", response={201: OrderDetailOut})
def create_order(request, payload: OrderIn):
    order = services.order_create(
        actor=request.user,
        unit=payload.unit,
        activity=payload.activity,
        region_id=payload.region,
        deliver_at=payload.deliver_at,
        place=payload.place,
        budget_line=payload.budget_line,
        budget_ref=payload.budget_ref,
        lines={"lunch": payload.lunch, "snack": payload.snack, "drink": payload.drink},
    )
    return 201, _o(order, detail=True)


@router.get("/orders/{int:pk}", response=OrderDetailOut)
def get_order(request, pk: Id):
    return _o(get_object_or_404(selectors.order_list(user=request.user), pk=pk), detail=True)


@router.post("/orders/{int:pk}/confirm", response=OrderDetailOut)
def confirm_order(request, pk: Id):
    order = get_object_or_404(selectors.order_list(user=request.user), pk=pk)
    services.order_confirm(actor=request.user, order=order)
    return _o(selectors.order_get(user=request.user, pk=pk), detail=True)


@router.post("/orders/{int:pk}/delivery", response=OrderDetailOut)
def deliver_order(request, pk: Id, payload: DeliveryIn):
    order = get_object_or_404(selectors.order_list(user=request.user), pk=pk)
    received = {
        k: v
        for k, v in (("lunch", payload.lunch), ("snack", payload.snack), ("drink", payload.drink))
        if v is not None
    }
    services.delivery_confirm(actor=request.user, order=order, received=received, complaint=payload.complaint)
    return _o(selectors.order_get(user=request.user, pk=pk), detail=True)


@router.post("/orders/{int:pk}/payment", response=OrderDetailOut)
def pay_order(request, pk: Id, payload: PayIn):
    order = get_object_or_404(selectors.order_list(user=request.user), pk=pk)
    invoice = getattr(order, "invoice", None) if hasattr(order, "invoice") else None
    if invoice is None:
        raise Conflict(_("This order has no invoice yet."), code="no_invoice")
    services.invoice_pay(
        actor=request.user, invoice=invoice, paid_on=payload.paid_on, reference=payload.reference
    )
    return _o(selectors.order_get(user=request.user, pk=pk), detail=True)


@router.get("/income", response=list[IncomeOut])
def income(request, year: Year | None = None):
    return selectors.income_by_vendor(user=request.user, year=year or clock.today().year)


# ---------------------------------------------------------------- the vendor's token (no login)


@router.get("/vendor/{token}/orders", response=list[OrderOut], auth=None)
def vendor_orders(request, token: str):
    vendor = services.vendor_from_token(token)
    return [_o(o) for o in selectors.orders_of_vendor(vendor).prefetch_related("lines")[:100]]


@router.post("/offers/{token}/answer", response=OfferOut, auth=None)
def answer_offer(request, token: str, payload: AnswerIn):
    off = services.offer_respond(
        offer=services.offer_from_token(token), accept=payload.accept, reason=payload.reason
    )
    off = Offer.objects.select_related("vendor").get(pk=off.pk)
    return {
        "vendor_id": off.vendor_id,
        "vendor": str(off.vendor),
        "rank": off.rank,
        "reason": off.reason,
        "amount": off.amount,
        "status": off.status,
    }


SCOPED_DETAIL_PATHS = {
    "/eorder/vendors/{pk}": ("eorder.Vendor", "sinergi.eorder.selectors.vendor_scope"),
    "/eorder/orders/{pk}": ("eorder.Order", "sinergi.eorder.selectors.order_scope"),
}
