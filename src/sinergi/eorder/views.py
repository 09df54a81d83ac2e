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
from sinergi.eorder.models import CatalogueItem, ItemKind, Offer, Order, Vendor
from sinergi.programs.selectors import person_find
from sinergi.rules.terbilang import terbilang_rupiah

# ---------------------------------------------------------------- vendors


@login_required
def vendor_list(request):
    filters = forms.VendorFilterForm(request.GET)
    filters.is_valid()  # a bad filter is shown on its field; the valid ones still apply
    qs = selectors.vendor_list(user=request.user, filters=filters.cleaned_data)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [(v, selectors.vendor_today_state(v, today)) for v in page]
    return render(
        request,
        "eorder/vendor_list.html",
        {
            "page": page,
            "rows": rows,
            "filter_form": filters,
            "can_register": can(request.user, "register_vendors"),
        },
    )


@capability_required("register_vendors")
def vendor_new(request):
    form = forms.VendorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            person = person_find(user=request.user, nik=d.pop("nik"))
            if person is None:
                raise SinergiError(_("No member with this NIK in your scope."), field="nik")
            vendor = services.vendor_register(actor=request.user, person=person, **d)
        except SinergiError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("Vendor registered; the union body confirms its member next."))
            return redirect("eorder:vendor_detail", pk=vendor.pk)
    return render(request, "eorder/vendor_new.html", {"form": form})


@login_required
def vendor_detail(request, pk):
    vendor = selectors.vendor_get(user=request.user, pk=pk)
    return _vendor_page(request, vendor)


def _vendor_page(request, vendor, *, status=200, **bound):
    """The vendor's page; `bound` replaces an empty form by the one just posted, errors on its fields."""
    user = request.user
    context = {
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
        "action_errors": [],
    }
    context.update(bound)
    return render(request, "eorder/vendor_detail.html", context, status=status)


@login_required
def vendor_action(request, pk):
    """One workflow step named by `action`. A bad value re-renders the vendor's page with the message on
    the field and the typed input kept; an unknown action is a 400 with the page and its message."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    vendor = selectors.vendor_get(user=request.user, pk=pk)
    chosen = forms.ActionForm(request.POST, actions=forms.VENDOR_ACTIONS)
    if not chosen.is_valid():
        return _vendor_page(request, vendor, status=400, action_errors=chosen.errors["action"])
    action = chosen.cleaned_data["action"]
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
    else:
        form, name = {
            "reject": (forms.ReasonForm(request.POST), "reason_form"),
            "permits": (forms.PermitsForm(request.POST), "permits_form"),
            "item": (forms.ItemForm(request.POST, request.FILES), "item_form"),
            "withdraw": (forms.WithdrawForm(request.POST, vendor=vendor), "withdraw_form"),
        }[action]
        if not form.is_valid():
            return _vendor_page(request, vendor, **{name: form})
        try:
            if action == "reject":
                services.vendor_reject(actor=actor, vendor=vendor, reason=form.cleaned_data["reason"])
                messages.success(request, _("Vendor rejected."))
            elif action == "permits":
                services.vendor_permits_renew(actor=actor, vendor=vendor, **form.cleaned_data)
                messages.success(request, _("Permits renewed."))
            elif action == "item":
                services.item_add(actor=actor, vendor=vendor, **form.cleaned_data)
                messages.success(request, _("Item added to the catalogue."))
            else:
                services.item_withdraw(actor=actor, item=form.cleaned_data["item"])
                messages.success(request, _("Item withdrawn."))
        except SinergiError as exc:
            if exc.field not in form.fields:
                raise
            exc.add_to_form(form)
            return _vendor_page(request, vendor, **{name: form})
    return redirect("eorder:vendor_detail", pk=vendor.pk)


@login_required
def item_photo(request, pk):
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
                exc.add_to_form(form)
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
    filters = forms.OrderFilterForm(request.GET)
    filters.is_valid()  # a bad filter is shown on its field; the valid ones still apply
    qs = selectors.order_list(user=request.user, filters=filters.cleaned_data)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "eorder/order_list.html",
        {
            "page": page,
            "filter_form": filters,
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
            exc.add_to_form(form)
        else:
            messages.success(
                request, _("Order saved with a rotation proposal; confirm it to send the offer.")
            )
            return redirect("eorder:order_detail", pk=order.pk)
    return render(request, "eorder/order_new.html", {"form": form})


@login_required
def order_detail(request, pk):
    order = selectors.order_get(user=request.user, pk=pk)
    return _order_page(request, order)


def _order_page(request, order, *, status=200, **bound):
    """The order's page; `bound` replaces an empty form by the one just posted, errors on its fields."""
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
    context = {
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
        "action_errors": [],
    }
    context.update(bound)
    return render(request, "eorder/order_detail.html", context, status=status)


@login_required
def order_action(request, pk):
    """One workflow step named by `action`. A bad value re-renders the order's page with the message on
    the field and the typed input kept; an unknown action is a 400 with the page and its message."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    order = selectors.order_get(user=request.user, pk=pk)
    chosen = forms.ActionForm(request.POST, actions=forms.ORDER_ACTIONS)
    if not chosen.is_valid():
        return _order_page(request, order, status=400, action_errors=chosen.errors["action"])
    action = chosen.cleaned_data["action"]
    actor = request.user
    if action == "confirm":
        offer = services.order_confirm(actor=actor, order=order)
        if offer is None:
            messages.warning(request, _("No vendor can take this order now."))
        else:
            messages.success(request, _("Offer sent to %(v)s.") % {"v": offer.vendor})
        return redirect("eorder:order_detail", pk=order.pk)
    if action == "repropose":
        offer = services.order_repropose(actor=actor, order=order)
        if offer is None:
            messages.warning(request, _("No vendor can take this order now."))
        return redirect("eorder:order_detail", pk=order.pk)
    form, name = {
        "cancel": (forms.ReasonForm(request.POST), "reason_form"),
        "deliver": (forms.DeliveryForm(request.POST, request.FILES), "delivery_form"),
        "rate": (forms.RatingForm(request.POST), "rating_form"),
        "pay": (forms.PaymentForm(request.POST), "payment_form"),
    }[action]
    if not form.is_valid():
        return _order_page(request, order, **{name: form})
    d = form.cleaned_data
    try:
        if action == "cancel":
            services.order_cancel(actor=actor, order=order, reason=d["reason"])
        elif action == "deliver":
            received = {k: d[k] for k in ItemKind.values if d.get(k) is not None}
            services.delivery_confirm(
                actor=actor, order=order, received=received, complaint=d["complaint"], photo=d["photo"]
            )
            messages.success(request, _("Delivery recorded; the invoice is issued."))
        elif action == "rate":
            services.delivery_rate(actor=actor, order=order, **d)
            messages.success(request, _("Thank you for rating the delivery."))
        else:
            if not hasattr(order, "invoice"):
                raise SinergiError(_("This order has no invoice yet."))
            services.invoice_pay(actor=actor, invoice=order.invoice, **d)
            messages.success(request, _("Payment recorded."))
    except SinergiError as exc:
        if exc.field not in form.fields:
            raise
        exc.add_to_form(form)
        return _order_page(request, order, **{name: form})
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
    from weasyprint import HTML  # deferred: weasyprint is slow to import and only PDFs need it

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
    """The vendor's phone page (signed link, no login): accept or decline. A bad answer re-renders the
    page with the message next to the buttons and the typed reason kept."""
    off = services.offer_from_token(token)
    form = forms.OfferAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_respond(
                offer=off, accept=form.cleaned_data["answer"] == "accept", reason=form.cleaned_data["reason"]
            )
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
                exc.add_to_form(outside_form)
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
            "year_form": form,
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
