"""Coverage pages: contribution calculator, participations, sponsored schemes (selection, approval,
enrolment file, participant numbers, renewal), billing runs, bills and payments, coverage gap.

Thin: parse, check the capability, call one selector or service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import Organisation
from sinergi.accounts.permissions import capability_required, require
from sinergi.accounts.roles import can
from sinergi.accounts.scoping import user_scope
from sinergi.core import charts, clock
from sinergi.core.errors import SinergiError
from sinergi.core.exports import export_response
from sinergi.core.home import cached_figures, kept_count
from sinergi.core.jobs import request_idempotency_key
from sinergi.core.paging import keyset_page
from sinergi.core.privacy import is_wage_reveal, mask_nik, wages_revealed
from sinergi.coverage import forms, labels, selectors, services, tasks
from sinergi.coverage.models import Scheme, Segment

PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _import_error(form, exc: SinergiError):
    """An import's refusal on the file field: the reason, then each wrong row (at most 50)."""
    form.add_error("file", str(exc.message))
    for e in getattr(exc, "errors", [])[:50]:
        form.add_error(
            "file", _("Row %(row)s: %(errors)s") % {"row": e["row"], "errors": "; ".join(e["errors"])}
        )


def _filters(form) -> tuple[dict, dict]:
    """A list's filter form: (what the person typed, to show again; the valid filters, to apply).
    A wrong value is named on its field and that filter is left out."""
    form.is_valid()
    shown = {name: form[name].value() or "" for name in form.fields}
    clean = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return shown, clean


# --- calculator ------------------------------------------------------------------------------------


@login_required
def quote(request):
    form = forms.QuoteForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.quote(
                segment=d["segment"],
                month=d["month"],
                wage=d.get("wage"),
                risk_class=d.get("risk_class"),
                industry=d.get("industry") or "",
                programmes=d.get("programmes") or None,
                contract_months=d.get("contract_months"),
                extension_months=d.get("extension_months") or 0,
            )
        except SinergiError as exc:
            exc.add_to_form(form)
    shown = labels.quote_rows(result) if result else None
    segment = dict(Segment.choices).get(result.segment, result.segment) if result else ""
    return render(
        request, "coverage/quote.html", {"form": form, "quote": result, "shown": shown, "segment": segment}
    )


# --- participations --------------------------------------------------------------------------------


@login_required
def participation_list(request):
    form = forms.ParticipationFilterForm(request.GET)
    filters, clean = _filters(form)
    qs = selectors.participation_list(user=request.user, filters=clean)
    return render(
        request,
        "coverage/participation_list.html",
        {
            "page": _page(request, qs),
            "filters": filters,
            "filter_form": form,
            "sees_wages": can(request.user, "see_wages"),
            "can_reveal_wages": can(request.user, "see_wages"),
            "wages_revealed": wages_revealed(request, object_type="coverage.participation"),
            "statuses": selectors.Participation.Status.choices,
        },
    )


@login_required
def participation_detail(request, pk):
    part = services.get_or_404(selectors.participation_list(user=request.user), pk)
    sees_wages = can(request.user, "see_wages")
    union_only = request.user.role == "union_official"
    revealing = is_wage_reveal(request)
    wage_form = forms.WageForm(None if revealing else (request.POST or None))
    if request.method == "POST" and not revealing:
        require(request.user, "manage_coverage")
        if wage_form.is_valid():
            try:
                services.wage_report(actor=request.user, participation=part, **wage_form.cleaned_data)
                messages.success(request, _("The new wage is recorded."))
                return redirect("coverage:participation_detail", pk=part.pk)
            except SinergiError as exc:
                exc.add_to_form(wage_form)
    return render(
        request,
        "coverage/participation_detail.html",
        {
            "p": part,
            "sees_wages": sees_wages,
            "can_reveal_wages": sees_wages,
            "wages_revealed": wages_revealed(request, part),
            "union_only": union_only,
            "wages": part.wage_reports.all() if sees_wages else [],
            "contributions": []
            if union_only
            else part.contributions.select_related("bill").order_by("-month")[:24],
            "wage_form": wage_form if can(request.user, "manage_coverage") else None,
            "masked_nik": mask_nik(part.person.nik),
        },
    )


# --- schemes ---------------------------------------------------------------------------------------


@login_required
def scheme_list(request):
    schemes = list(selectors.scheme_list(user=request.user))
    rows = [(s, services.scheme_counts(s)) for s in schemes]
    return render(
        request,
        "coverage/scheme_list.html",
        {"rows": rows, "can_manage": can(request.user, "manage_schemes")},
    )


@capability_required("manage_schemes")
def scheme_create(request):
    sponsors = Organisation.objects.filter(kind="sponsor", is_active=True)
    form = forms.SchemeForm(request.POST or None, sponsors=sponsors)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            scheme = services.scheme_create(
                actor=request.user,
                sponsor_organisation=d.pop("sponsor_organisation"),
                agency=request.user.organisation,
                region_id=d.pop("region_code").replace(".", ""),
                eligible_occupations=form.lines(d.pop("eligible_occupations_text")),
                occupation_priority=form.lines(d.pop("occupation_priority_text")),
                **d,
            )
            return redirect("coverage:scheme_detail", pk=scheme.pk)
        except SinergiError as exc:
            exc.add_to_form(form)
    return render(request, "coverage/scheme_form.html", {"form": form})


@login_required
def scheme_detail(request, pk):
    return _scheme_detail_page(request, services.get_or_404(selectors.scheme_list(user=request.user), pk))


def _scheme_detail_page(request, scheme, *, select_form=None, upload_form=None, renew_errors=(), status=200):
    can_manage = can(request.user, "manage_schemes") and not user_scope(request.user).read_only
    today = clock.today()
    if can_manage:
        services.scheme_close_if_over(scheme=scheme, actor=request.user)  # the check on first use
    renewed_as = Scheme.objects.filter(renewed_from=scheme).first()
    summary = selectors.scheme_summary(scheme)
    gauge = charts.progress_vs_target(
        summary["enrolled"], summary["target"], _("Participants against target")
    )
    bars = (
        charts.bar(
            [r["person__occupation"] or "–" for r in summary["by_occupation"]],
            [r["n"] for r in summary["by_occupation"]],
            _("Participants by occupation"),
        )
        if summary["by_occupation"]
        else ""
    )
    return render(
        request,
        "coverage/scheme_detail.html",
        {
            "scheme": scheme,
            "s": summary,
            "gauge": gauge,
            "bars": bars,
            "batches": selectors.batch_list(user=request.user).filter(scheme=scheme)[:20],
            "quotas": scheme.quotas.select_related("region"),
            "can_manage": can_manage,
            "upload_form": upload_form or forms.UploadForm(),
            "select_form": select_form or forms.SelectCandidatesForm(),
            "renew_errors": renew_errors,
            "year_over": scheme.year_over(today),
            "renewed_as": renewed_as,
            "renew_year": max(scheme.year + 1, today.year),
        },
        status=status,
    )


@require_POST
@capability_required("manage_schemes")
def scheme_select(request, pk):
    scheme = services.get_or_404(selectors.scheme_list(user=request.user), pk)
    form = forms.SelectCandidatesForm(request.POST)
    if not form.is_valid():
        return _scheme_detail_page(request, scheme, select_form=form)
    try:
        batch = services.candidates_select(
            actor=request.user, scheme=scheme, limit=form.cleaned_data["limit"]
        )
    except SinergiError as exc:
        form.add_error("limit", str(exc.message))
        return _scheme_detail_page(request, scheme, select_form=form)
    messages.success(
        request,
        _("%(n)d candidates selected; a second officer must approve.") % {"n": batch.candidates.count()},
    )
    return redirect("coverage:batch_detail", pk=batch.pk)


@login_required
def batch_detail(request, pk):
    return _batch_detail_page(request, services.get_or_404(selectors.batch_list(user=request.user), pk))


def _batch_detail_page(request, batch, *, decision_form=None, status=200):
    cands = selectors.candidate_list(user=request.user, batch=batch)
    return render(
        request,
        "coverage/batch_detail.html",
        {
            "batch": batch,
            "page": _page(request, cands),
            "can_decide": can(request.user, "approve_schemes")
            and batch.status == "draft"
            and batch.selected_by_id != request.user.pk,
            "is_selector": batch.selected_by_id == request.user.pk,
            "sees_nik": can(request.user, "reveal_nik"),
            "decision_form": decision_form or forms.BatchDecisionForm(),
        },
        status=status,
    )


@require_POST
@capability_required("approve_schemes")
def batch_decide(request, pk):
    batch = services.get_or_404(selectors.batch_list(user=request.user), pk)
    form = forms.BatchDecisionForm(request.POST)
    if not form.is_valid():
        return _batch_detail_page(request, batch, decision_form=form, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.batch_decide(
            actor=request.user, batch=batch, approve=approve, note=form.cleaned_data["note"]
        )
    except SinergiError as exc:
        exc.add_to_form(form)
        return _batch_detail_page(request, batch, decision_form=form)
    messages.success(request, _("The list is approved.") if approve else _("The list is rejected."))
    return redirect("coverage:batch_detail", pk=batch.pk)


@capability_required("manage_schemes")
def scheme_enrolment_file(request, pk):
    scheme = services.get_or_404(selectors.scheme_list(user=request.user), pk)
    require(request.user, "export_personal")
    which = forms.EnrolmentFileForm(request.GET)
    if not which.is_valid():
        return HttpResponseBadRequest(_("Reload the page and choose the file again."))
    everyone = which.cleaned_data["all"] == "1"
    status = ("pending", "active", "arrears") if everyone else ("pending",)
    rows = list(services.enrolment_rows(scheme, status=status))
    return export_response(
        actor=request.user,
        filename=f"pendaftaran-bpu-{scheme.pk}-{scheme.year}",
        headers=services.ENROLMENT_HEADERS,
        rows=rows,
        fmt="xlsx",
        purpose=f"enrolment file for the social security branch, scheme {scheme.pk}",
        object_type="coverage.scheme",
        sheet_title="Pendaftaran",
    )


@require_POST
@capability_required("manage_schemes")
def scheme_numbers_import(request, pk):
    scheme = services.get_or_404(selectors.scheme_list(user=request.user), pk)
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _scheme_detail_page(request, scheme, upload_form=form)
    f = form.cleaned_data["file"]
    try:
        result = services.participant_numbers_import(
            actor=request.user, scheme=scheme, data=f.read(), filename=f.name
        )
    except SinergiError as exc:
        _import_error(form, exc)
        return _scheme_detail_page(request, scheme, upload_form=form)
    messages.success(request, _("%(n)d participant numbers recorded.") % {"n": result["rows"]})
    return redirect("coverage:scheme_detail", pk=scheme.pk)


@require_POST
@capability_required("manage_schemes")
def scheme_renew(request, pk):
    scheme = services.get_or_404(selectors.scheme_list(user=request.user), pk)
    try:
        new = services.scheme_renew(actor=request.user, scheme=scheme)
    except SinergiError as exc:
        return _scheme_detail_page(request, scheme, renew_errors=[str(exc.message)])
    messages.success(request, _("Renewed for %(year)s.") % {"year": new.year})
    return redirect("coverage:scheme_detail", pk=new.pk)


# --- billing ---------------------------------------------------------------------------------------


@login_required
def run_list(request):
    form = forms.BillingForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "run_billing")
        if form.is_valid():
            try:
                job = tasks.billing_start(
                    user=request.user,
                    month=form.cleaned_data["month"],
                    idempotency_key=request_idempotency_key(request, "coverage.billing"),
                )
                return redirect("core:job_detail", pk=job.pk)
            except SinergiError as exc:
                exc.add_to_form(form)
    return render(
        request,
        "coverage/run_list.html",
        {
            "runs": selectors.run_list(user=request.user)[:36],
            "form": form,
            "can_run": can(request.user, "run_billing"),
        },
    )


@login_required
def bill_list(request):
    form = forms.BillFilterForm(request.GET)
    filters, clean = _filters(form)
    qs = selectors.bill_list(user=request.user, filters=clean)
    return render(
        request,
        "coverage/bill_list.html",
        {
            # keyset pages at any depth and a count that stops at 10,000 (issue #16)
            "page": keyset_page(
                qs,
                keys=selectors.BILL_SORT_KEYS,
                after=clean.get("after"),
                before=clean.get("before"),
                size=PAGE_SIZE,
                row_values=True,
                count_through=kept_count(
                    request.user,
                    "coverage.bills.count",
                    {k: v for k, v in clean.items() if k not in ("after", "before")},
                ),
            ),
            "filters": filters,
            "filter_form": form,
            "can_import": can(request.user, "run_billing"),
        },
    )


@login_required
def bill_detail(request, pk):
    bill = services.get_or_404(selectors.bill_list(user=request.user), pk)
    revealing = is_wage_reveal(request)
    form = forms.PaymentForm(None if revealing else (request.POST or None))
    if request.method == "POST" and not revealing:
        require(request.user, "run_billing")
        if form.is_valid():
            try:
                services.payment_record(actor=request.user, bill=bill, **form.cleaned_data)
                messages.success(request, _("The payment is recorded."))
                return redirect("coverage:bill_detail", pk=bill.pk)
            except SinergiError as exc:
                exc.add_to_form(form)
    lines = bill.contributions.select_related("participation__person").order_by("participation__person__name")
    return render(
        request,
        "coverage/bill_detail.html",
        {
            "bill": bill,
            "page": _page(request, lines),
            "payments": bill.payments.all(),
            "form": form if can(request.user, "run_billing") else None,
            "sees_wages": can(request.user, "see_wages"),
            "can_reveal_wages": can(request.user, "see_wages"),
            "wages_revealed": wages_revealed(request, bill),
        },
    )


@capability_required("run_billing")
def payment_import(request):
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            result = services.payments_import(actor=request.user, data=f.read(), filename=f.name)
            messages.success(request, _("%(n)d payments recorded.") % {"n": result["rows"]})
            return redirect("coverage:bill_list")
        except SinergiError as exc:
            _import_error(form, exc)
    return render(request, "coverage/payment_import.html", {"form": form})


# --- coverage gap ----------------------------------------------------------------------------------


_GAP_FILTERS = ("body", "region", "employer", "occupation")


@login_required
def gap(request):
    return _gap_page(request, forms.GapPageForm(request.GET))


def _gap_page(request, form, *, propose_form=None, status=200):
    shown, clean = _filters(form)
    by = clean.get("by") or "region"
    filters = {k: clean[k] for k in _GAP_FILTERS if k in clean}
    on = clock.today()
    people = selectors.gap_people(user=request.user, on=on, filters=filters)
    figures = cached_figures(
        request.user,
        "coverage.gap",
        lambda: selectors.gap_figures(user=request.user, by=by, on=on, filters=filters),
        by,
        *[f"{k}={v}" for k, v in sorted(filters.items())],
    )
    groups = figures["groups"]
    chart = (
        charts.bar(
            [g["label"] for g in groups[:15]], [g["count"] for g in groups[:15]], _("Without coverage")
        )
        if groups
        else ""
    )
    schemes = (
        selectors.scheme_list(user=request.user).filter(status=Scheme.Status.OPEN)
        if can(request.user, "manage_schemes")
        else []
    )
    return render(
        request,
        "coverage/gap.html",
        {
            "by": by,
            "groups": groups,
            "chart": chart,
            "filters": {k: shown[k] for k in _GAP_FILTERS},
            "applied": filters,
            "filter_form": form,
            "propose_form": propose_form,
            "page": keyset_page(
                people.select_related("domicile_region"),
                keys=("name", "pk"),
                after=clean.get("after"),
                before=clean.get("before"),
                count=False,
            ),
            "total": figures["total"],
            "schemes": schemes,
            "groups_choices": selectors.GAP_GROUPS,
            "sees_nik": can(request.user, "reveal_nik"),
        },
        status=status,
    )


@login_required
def gap_export(request):
    require(request.user, "export_personal")
    form = forms.GapFilterForm(request.GET)
    fmt = forms.ExportFormatForm(request.GET)
    if not (form.is_valid() and fmt.is_valid()):
        return _gap_page(request, forms.GapPageForm(request.GET), status=400)
    full = can(request.user, "reveal_nik")
    filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    people = selectors.gap_people(user=request.user, filters=filters).select_related("domicile_region")
    rows = (
        (
            p.nik if full else mask_nik(p.nik),
            p.name,
            p.domicile_region_id,
            p.domicile_region.name,
            p.occupation,
            p.employment_type,
        )
        for p in people.iterator(chunk_size=2000)
    )
    return export_response(
        actor=request.user,
        filename=f"celah-kepesertaan-{clock.today():%Y%m%d}",
        headers=["NIK", "Nama", "Kode Wilayah", "Wilayah", "Pekerjaan", "Status Pekerjaan"],
        rows=rows,
        fmt=fmt.cleaned_data["format"] or "xlsx",
        purpose="coverage gap list",
        object_type="registry.person",
    )


@require_POST
@capability_required("manage_schemes")
def gap_propose(request):
    schemes = selectors.scheme_list(user=request.user).filter(status=Scheme.Status.OPEN)
    form = forms.GapProposeForm(request.POST, schemes=schemes)
    if not form.is_valid():
        return _gap_page(request, forms.GapPageForm(request.POST), propose_form=form)
    filters = {k: form.cleaned_data[k] for k in _GAP_FILTERS if form.cleaned_data[k] not in (None, "")}
    ids = selectors.gap_people(user=request.user, filters=filters).values_list("pk", flat=True)
    try:
        batch = services.gap_propose(actor=request.user, scheme=form.cleaned_data["scheme"], person_ids=ids)
    except SinergiError as exc:
        exc.add_to_form(form)
        return _gap_page(request, forms.GapPageForm(request.POST), propose_form=form)
    messages.success(
        request, _("%(n)d people proposed; a second officer must approve.") % {"n": batch.candidates.count()}
    )
    return redirect("coverage:batch_detail", pk=batch.pk)
