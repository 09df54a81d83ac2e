"""E-order pages: vendors, ceilings, orders, the vendor's phone-sized offer page (signed link, no
login), the invoice PDF and the reports with their XLSX export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import capability_required
from sinergi.accounts.roles import can
from sinergi.core import clock
from sinergi.core.errors import SinergiError
from sinergi.core.exports import export_response
from sinergi.core.privacy import reveal
from sinergi.eorder import forms, selectors, services
from sinergi.eorder.models import ItemKind, Offer, Order, Vendor


def _fail(form, exc: SinergiError):
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


# ---------------------------------------------------------------- vendors


@login_required
def vendor_list(request):
    qs = selectors.vendor_list(user=request.user, filters=request.GET)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [(v, selectors.vendor_today_state(v, today)) for v in page]
    return render(
        request,
        "eorder/vendor_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": request.GET,
            "statuses": Vendor.Status.choices,
            "can_register": can(request.user, "register_vendors"),
        },
    )


@capability_required("register_vendors")
def vendor_new(request):
    form = forms.VendorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from sinergi.programs.selectors import person_find

        d = form.cleaned_data
        try:
            person = person_find(user=request.user, nik=d.pop("nik"))
            if person is None:
                raise SinergiError(_("No member with this NIK in your scope."), field="nik")
            vendor = services.vendor_register(actor=request.user, person=person, **d)
        except SinergiError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Vendor registered; the union body confirms its member next."))
            return redirect("eorder:vendor_detail", pk=vendor.pk)
    return render(request, "eorder/vendor_new.html", {"form": form})


@login_required
def vendor_detail(request, pk):
    vendor = selectors.vendor_get(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "eorder/vendor_detail.html",
        {
            "v": vendor,
            "state": selectors.vendor_today_state(vendor, clock.today()),
            "items": vendor.items.all(),
            "events": vendor.events.select_related("actor"),
            "orders": selectors.order_list(user=user).filter(vendor=vendor)[:20],
            "can_confirm": can(user, "confirm_vendor_members") and vendor.status == Vendor.Status.REGISTERED,
            "can_check": can(user, "approve_vendors") and vendor.status == Vendor.Status.MEMBER_CONFIRMED,
            "can_approve": can(user, "approve_vendors")
            and vendor.status == Vendor.Status.CHECKED
            and vendor.checked_by_id != user.pk,
            "can_edit": can(user, "register_vendors"),
            "item_form": forms.ItemForm(),
            "permits_form": forms.PermitsForm(
                initial={
                    "pirt_number": vendor.pirt_number,
                    "pirt_expires": vendor.pirt_expires,
                    "halal_number": vendor.halal_number,
                    "halal_expires": vendor.halal_expires,
                }
            ),
            "reason_form": forms.ReasonForm(),
            "vendor_link": request.build_absolute_uri(
                reverse("eorder:vendor_orders", args=[services.vendor_token(vendor)])
            ),
        },
    )


@login_required
def vendor_action(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    vendor = selectors.vendor_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    actor = request.user
    if action == "confirm":
        services.vendor_confirm_member(actor=actor, vendor=vendor)
        messages.success(request, _("Membership confirmed."))
    elif action == "check":
        services.vendor_check(actor=actor, vendor=vendor)
        messages.success(request, _("Checked; a second officer approves."))
    elif action == "approve":
        services.vendor_approve(actor=actor, vendor=vendor)
        messages.success(request, _("Vendor approved."))
    elif action == "reject":
        form = forms.ReasonForm(request.POST)
        if not form.is_valid():
            raise SinergiError(_("Give the reason."), field="reason")
        services.vendor_reject(actor=actor, vendor=vendor, reason=form.cleaned_data["reason"])
        messages.success(request, _("Vendor rejected."))
    elif action == "permits":
        form = forms.PermitsForm(request.POST)
        if not form.is_valid():
            raise SinergiError(_("Give the permit numbers and valid dates."))
        services.vendor_permits_renew(actor=actor, vendor=vendor, **form.cleaned_data)
        messages.success(request, _("Permits renewed."))
    elif action == "item":
        form = forms.ItemForm(request.POST, request.FILES)
        if not form.is_valid():
            raise SinergiError(_("Give the item's kind, name, portion and a price in whole rupiah."))
        services.item_add(actor=actor, vendor=vendor, **form.cleaned_data)
        messages.success(request, _("Item added to the catalogue."))
    elif action == "withdraw":
        item = (
            vendor.items.filter(pk=request.POST.get("item") or 0).first()
            if (request.POST.get("item") or "").isdigit()
            else None
        )
        if item is None:
            raise SinergiError(_("Choose an item."))
        services.item_withdraw(actor=actor, item=item)
        messages.success(request, _("Item withdrawn."))
    else:
        raise SinergiError(_("Unknown action."))
    return redirect("eorder:vendor_detail", pk=vendor.pk)


@login_required
def item_photo(request, pk):
    from sinergi.eorder.models import CatalogueItem

    item = CatalogueItem.objects.filter(pk=pk, vendor__in=selectors.vendor_list(user=request.user)).first()
    if item is None or not item.photo:
        raise Http404
    return FileResponse(item.photo.open("rb"))


# ---------------------------------------------------------------- ceilings


@login_required
def ceiling_list(request):
    form = forms.CeilingForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST":
        if not can(request.user, "approve_vendors"):
            raise SinergiError(_("Your role cannot set price ceilings."))
        if form.is_valid():
            try:
                services.ceiling_set(actor=request.user, **form.cleaned_data)
            except SinergiError as exc:
                _fail(form, exc)
            else:
                messages.success(request, _("Price ceiling saved."))
                return redirect("eorder:ceilings")
    return render(
        request,
        "eorder/ceilings.html",
        {
            "rows": selectors.ceiling_list(user=request.user),
            "form": form,
            "can_set": can(request.user, "approve_vendors"),
        },
    )


# ---------------------------------------------------------------- orders


@login_required
def order_list(request):
    qs = selectors.order_list(user=request.user, filters=request.GET)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "eorder/order_list.html",
        {
            "page": page,
            "filters": request.GET,
            "statuses": Order.Status.choices,
            "can_order": can(request.user, "order_food"),
        },
    )


@capability_required("order_food")
def order_new(request):
    form = forms.OrderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            order = services.order_create(
                actor=request.user,
                unit=d["unit"],
                activity=d["activity"],
                region_id=d["region"],
                deliver_at=d["deliver_at"],
                place=d["place"],
                budget_line=d["budget_line"],
                budget_ref=d["budget_ref"],
                lines={k: d[k] for k in ItemKind.values if d.get(k)},
            )
        except SinergiError as exc:
            _fail(form, exc)
        else:
            messages.success(
                request, _("Order saved with a rotation proposal; confirm it to send the offer.")
            )
            return redirect("eorder:order_detail", pk=order.pk)
    return render(request, "eorder/order_new.html", {"form": form})


@login_required
def order_detail(request, pk):
    order = selectors.order_get(user=request.user, pk=pk)
    user = request.user
    live = order.offers.filter(status=Offer.Status.OFFERED).select_related("vendor").first()
    link = wa = ""
    if live and can(user, "order_food"):
        link = request.build_absolute_uri(reverse("eorder:offer", args=[services.offer_token(live)]))
        wa = services.whatsapp_link(live, link)
    delivery = getattr(order, "delivery", None) if hasattr(order, "delivery") else None
    invoice = getattr(order, "invoice", None) if hasattr(order, "invoice") else None
    payment = (
        getattr(invoice, "payment", None) if invoice is not None and hasattr(invoice, "payment") else None
    )
    lines = list(order.lines.all())
    return render(
        request,
        "eorder/order_detail.html",
        {
            "o": order,
            "lines": lines,
            "offers": order.offers.select_related("vendor"),
            "live": live,
            "offer_link": link,
            "wa_link": wa,
            "delivery": delivery,
            "invoice": invoice,
            "payment": payment,
            "can_order": can(user, "order_food"),
            "can_pay": can(user, "pay_invoices"),
            "delivery_form": forms.DeliveryForm(initial={line.kind: line.portions for line in lines}),
            "rating_form": forms.RatingForm(),
            "payment_form": forms.PaymentForm(initial={"paid_on": clock.today()}),
            "reason_form": forms.ReasonForm(),
            "kinds": [line.kind for line in lines],
        },
    )


@login_required
def order_action(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    order = selectors.order_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    actor = request.user
    if action == "confirm":
        offer = services.order_confirm(actor=actor, order=order)
        if offer is None:
            messages.warning(request, _("No vendor can take this order now."))
        else:
            messages.success(request, _("Offer sent to %(v)s.") % {"v": offer.vendor})
    elif action == "repropose":
        offer = services.order_repropose(actor=actor, order=order)
        if offer is None:
            messages.warning(request, _("No vendor can take this order now."))
    elif action == "cancel":
        form = forms.ReasonForm(request.POST)
        if not form.is_valid():
            raise SinergiError(_("Give the reason."), field="reason")
        services.order_cancel(actor=actor, order=order, reason=form.cleaned_data["reason"])
    elif action == "deliver":
        form = forms.DeliveryForm(request.POST, request.FILES)
        if not form.is_valid():
            raise SinergiError(_("Give the number of portions received for every item."))
        d = form.cleaned_data
        received = {k: d[k] for k in ItemKind.values if d.get(k) is not None}
        services.delivery_confirm(
            actor=actor, order=order, received=received, complaint=d["complaint"], photo=d["photo"]
        )
        messages.success(request, _("Delivery recorded; the invoice is issued."))
    elif action == "rate":
        form = forms.RatingForm(request.POST)
        if not form.is_valid():
            raise SinergiError(_("The rating is 1 to 5."), field="rating")
        services.delivery_rate(actor=actor, order=order, **form.cleaned_data)
        messages.success(request, _("Thank you for rating the delivery."))
    elif action == "pay":
        form = forms.PaymentForm(request.POST)
        if not form.is_valid():
            raise SinergiError(_("Give the payment date."), field="paid_on")
        if not hasattr(order, "invoice"):
            raise SinergiError(_("This order has no invoice yet."))
        services.invoice_pay(actor=actor, invoice=order.invoice, **form.cleaned_data)
        messages.success(request, _("Payment recorded."))
    else:
        raise SinergiError(_("Unknown action."))
    return redirect("eorder:order_detail", pk=order.pk)


@login_required
def delivery_photo(request, pk):
    order = selectors.order_get(user=request.user, pk=pk)
    delivery = getattr(order, "delivery", None) if hasattr(order, "delivery") else None
    if delivery is None or not delivery.photo:
        raise Http404
    return FileResponse(delivery.photo.open("rb"))


@login_required
def invoice_pdf(request, pk):
    from weasyprint import HTML

    from sinergi.rules.terbilang import terbilang_rupiah

    order = selectors.order_get(user=request.user, pk=pk)
    if not hasattr(order, "invoice"):
        raise Http404
    invoice = order.invoice
    vendor = order.vendor
    account = vendor.masked_account
    if can(request.user, "pay_invoices"):
        account = reveal(
            actor=request.user,
            obj=vendor,
            field="bank_account",
            value=vendor.bank_account,
            purpose="invoice payment",
        )
    html = render_to_string(
        "eorder/invoice_pdf.html",
        {
            "o": order,
            "v": vendor,
            "invoice": invoice,
            "lines": order.lines.all(),
            "delivery": getattr(order, "delivery", None),
            "payment": getattr(invoice, "payment", None) if hasattr(invoice, "payment") else None,
            "account": account,
            "words": terbilang_rupiah(invoice.amount),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number.replace("/", "-")}.pdf"'
    return response


# ---------------------------------------------------------------- the vendor's signed pages (no login)


def offer(request, token):
    off = services.offer_from_token(token)
    form = forms.DeclineForm(request.POST or None)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline") or not form.is_valid():
            raise SinergiError(_("Choose accept or decline."))
        try:
            services.offer_respond(offer=off, accept=answer == "accept", reason=form.cleaned_data["reason"])
        except SinergiError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
        return redirect("eorder:offer", token=token)
    off.refresh_from_db()
    order = off.order
    return render(
        request,
        "eorder/offer.html",
        {
            "off": off,
            "o": order,
            "lines": order.lines.all(),
            "form": form,
            "open": off.status == Offer.Status.OFFERED and order.status == Order.Status.OFFERED,
            "vendor_url": reverse("eorder:vendor_orders", args=[services.vendor_token(off.vendor)]),
        },
    )


def vendor_orders(request, token):
    vendor = services.vendor_from_token(token)
    orders = selectors.orders_of_vendor(vendor)[:50]
    return render(
        request,
        "eorder/vendor_orders.html",
        {"v": vendor, "orders": orders, "state": selectors.vendor_today_state(vendor, clock.today())},
    )


# ---------------------------------------------------------------- reports


@login_required
def reports(request):
    form = forms.YearForm(request.GET or None)
    year = clock.today().year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    user = request.user
    outside_form = forms.OutsideSpendForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        if not can(user, "pay_invoices"):
            raise SinergiError(_("Your role cannot record catering spend."))
        if outside_form.is_valid():
            try:
                services.outside_spend_record(actor=user, **outside_form.cleaned_data)
            except SinergiError as exc:
                _fail(outside_form, exc)
            else:
                return redirect(f"{request.path}?year={year}")
    return render(
        request,
        "eorder/reports.html",
        {
            "year": year,
            "by_vendor": selectors.income_by_vendor(user=user, year=year),
            "by_body": selectors.income_by_union_body(user=user, year=year),
            "by_unit": selectors.orders_by_unit(user=user, year=year),
            "share": selectors.spend_share(user=user, year=year),
            "shortfalls": selectors.shortfall_list(user=user).filter(deliver_at__year=year)[:50],
            "outside_form": outside_form,
            "can_record": can(user, "pay_invoices"),
        },
    )


@login_required
def reports_export(request):
    form = forms.YearForm(request.GET or None)
    if not form.is_valid():
        raise SinergiError(_("Give a year between 2000 and 2100."), field="year")
    year = form.cleaned_data.get("year") or clock.today().year
    rows = [
        [r["vendor"], r["union_body"], *r["quarters"], r["total"], r["orders"]]
        for r in selectors.income_by_vendor(user=request.user, year=year)
    ]
    return export_response(
        actor=request.user,
        filename=f"eorder-income-{year}",
        headers=[_("Vendor"), _("Union body"), "Q1", "Q2", "Q3", "Q4", _("Total"), _("Paid orders")],
        rows=rows,
        fmt=form.cleaned_data.get("fmt") or "xlsx",
        object_type="eorder.vendor",
        sheet_title=_("Income"),
    )
