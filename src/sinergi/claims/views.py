"""Claims pages: list, open a case, the claim file (quote, heirs, documents, verify, decide, pay), PDFs,
and the benefit calculator. Thin: look up through scoped selectors, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import capability_required
from sinergi.accounts.roles import can
from sinergi.claims import forms, quotes, selectors, services
from sinergi.claims.models import Benefit, Claim, ClaimEvent, EventType, ScholarshipYear
from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import SinergiError
from sinergi.core.privacy import MASKED_AMOUNT, wages_revealed
from sinergi.registry.models import Person
from sinergi.rules import benefits as rules
from sinergi.rules.heirs import rank_label, rank_of

# Officer inputs the claim quote asks for (the rest comes from the case, the registry and coverage).
CLAIM_QUOTE_FIELDS = {
    "JKM": [],
    "JKK": [
        "kind",
        "wage",
        "claim_date",
        "disability_percent",
        "function_loss_percent",
        "incapacity_months",
        "medical_cost",
    ],
    "JHT": ["balance", "claim_date", "partial_purpose", "previous_partial"],
    "JP": [
        "balance",
        "average_monthly_wage",
        "claim_date",
        "contribution_months",
        "membership_months",
        "density",
        "survivor",
    ],
    "JKP": ["wage", "claim_date", "paid_months_last_24", "consecutive_months_before_phk"],
    "BEASISWA": [],
}
# Quote inputs that are wages: shown masked on the claim page unless wages are revealed (audited).
MASKED_QUOTE_FIELDS = ("wage", "average_monthly_wage")


def _field_specs(
    benefit: str, only: list[str] | None = None, values=None, *, errors=None, masked=()
) -> list[dict]:
    """The quote inputs to draw: value, label, kind, choices, the field's errors; a field in `masked`
    is drawn empty with the masked amount as placeholder (blank keeps the recorded value)."""
    values = values or {}
    errors = errors or {}
    specs = []
    for name, kind, required, label in quotes.FIELDS.get(benefit, []):
        if only is not None and name not in only:
            continue
        value = values.get(name, "")
        spec = {
            "name": name,
            "kind": kind.split(":")[0],
            "required": required,
            "label": quotes.field_label(label),
            "value": "" if value is None or name in masked else str(value),
            "placeholder": MASKED_AMOUNT if name in masked and value not in (None, "") else "",
            "errors": errors.get(name, []),
        }
        if kind.startswith("choice:"):
            spec["choices"] = [(c, quotes.CHOICE_LABELS.get(c, c)) for c in kind[7:].split("|")]
        specs.append(spec)
    return specs


@login_required
def claim_list(request):
    form = forms.ClaimFilterForm(request.GET)
    form.is_valid()
    filters = {k: v for k, v in form.cleaned_data.items() if v}
    claims = selectors.claim_list(user=request.user, filters=filters)
    page = Paginator(claims, 30).get_page(request.GET.get("page"))
    today = clock.today()
    for claim in page:
        claim.overdue = selectors.is_overdue(claim, today)
    return render(
        request,
        "claims/claim_list.html",
        {
            "page": page,
            "filters": {name: form[name].value() or "" for name in form.fields},
            "filter_form": form,
            "statuses": Claim.Status.choices,
            "benefits": Benefit.choices,
            "sees_personal": selectors.sees_personal(request.user),
            "can_open": can(request.user, "process_claims"),
            "totals": selectors.claim_totals(user=request.user),
        },
    )


@capability_required("process_claims")
def case_new(request):
    form = forms.CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(nik=data["nik"]).first()
        if person is None:
            form.add_error("nik", _("No person with this NIK in the registry."))
        else:
            try:
                case = services.case_open(
                    actor=request.user,
                    person=person,
                    event_type=data["event_type"],
                    event_date=data["event_date"],
                    benefits=data["benefits"],
                    description=data["description"],
                    ceremonial=data["ceremonial"],
                    ceremony_date=data["ceremony_date"],
                    ceremony_place=data["ceremony_place"],
                )
            except SinergiError as err:
                form.add_error(err.field if err.field in form.fields else None, str(err.message))
            else:
                messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
                return redirect("claims:case_detail", pk=case.pk)
    return render(request, "claims/case_new.html", {"form": form})


@login_required
def case_detail(request, pk: int):
    case = get_object_or_404(selectors.case_list(user=request.user), pk=pk)
    claims = list(
        case.claims.all().select_related("payment")
        if selectors.sees_personal(request.user)
        else case.claims.all()
    )
    today = clock.today()
    for claim in claims:
        claim.overdue = selectors.is_overdue(claim, today)
    return render(
        request,
        "claims/case_detail.html",
        {"case": case, "claims": claims, "sees_personal": selectors.sees_personal(request.user)},
    )


def _quote_fields(request, claim: Claim, extra: dict) -> list[dict]:
    """The quote form: what was just typed (with its errors) or the inputs recorded with the quote, the
    recorded wages masked unless revealed through the audited reveal (`sinergi.core.privacy`)."""
    form = extra.get("quote_form")
    if "quote_values" in extra:
        values, masked = extra.pop("quote_values"), ()
    else:
        values = claim.quote_inputs
        masked = () if wages_revealed(request, claim) else MASKED_QUOTE_FIELDS
    return _field_specs(
        claim.benefit,
        CLAIM_QUOTE_FIELDS.get(claim.benefit),
        values,
        errors=form.errors if form is not None else None,
        masked=masked,
    )


def _claim_context(request, claim: Claim, **extra) -> dict:
    user = request.user
    sees = selectors.sees_personal(user)
    ctx = {
        "claim": claim,
        "case": claim.case,
        "sees_personal": sees,
        "overdue": selectors.is_overdue(claim),
        "events": ClaimEvent.objects.filter(claim=claim).select_related("actor"),
        "indonesian": quotes.is_indonesian(),
    }
    if not sees:
        return {**ctx, **extra}
    proposal = services.heir_proposal(claim.case.person)
    family = list(claim.case.person.family.all().order_by("birth_date", "id"))
    proposed = {h.key for h in proposal.heirs}
    lang = "id" if quotes.is_indonesian() else "en"
    ctx.update(
        {
            "can_process": can(user, "process_claims"),
            "can_decide": can(user, "decide_claims") and claim.verified_by_id != user.pk,
            "can_pay": can(user, "pay_claims"),
            "checklist": selectors.document_checklist(claim),
            # only the documents this user may open (the same selector as the download: issue 12)
            "documents": selectors.document_list(user=request.user).filter(claim=claim),
            "quote_fields": _quote_fields(request, claim, extra),
            "can_reveal_wages": can(user, "see_wages"),
            "wages_revealed": wages_revealed(request, claim),
            "quote": quotes.present_stored(claim.quote) if claim.quote else None,
            "family": [
                {
                    "member": f,
                    "proposed": str(f.pk) in proposed,
                    "rank": rank_label(r, lang) if (r := rank_of(f.relation)) else "-",
                }
                for f in family
            ],
            "proposal_rank": rank_label(proposal.rank, lang),
            "proposal_reasons": [id_ if lang == "id" else en for en, id_ in proposal.reasons],
            "document_form": forms.DocumentForm(),
            "decision_form": forms.DecisionForm(),
            "instruction_form": forms.InstructionForm(
                initial={
                    "account_holder": claim.account_holder or claim.claimant_name,
                    "bank_name": claim.bank_name,
                }
            ),
            "payment_form": forms.PaymentForm(initial={"paid_on": clock.today()}),
            "payment": getattr(claim, "payment", None) if claim.status == Claim.Status.PAID else None,
            "scholarship_years": ScholarshipYear.objects.filter(claim=claim).select_related("child"),
        }
    )
    ctx.update(extra)
    return ctx


@login_required
def claim_detail(request, pk: int):
    claim = get_object_or_404(selectors.claim_list(user=request.user), pk=pk)
    return render(request, "claims/claim_detail.html", _claim_context(request, claim))


def _post_claim(request, pk: int, capability: str) -> Claim:
    """Scoped lookup first (404 outside scope), then method and capability."""
    claim = get_object_or_404(selectors.claim_list(user=request.user), pk=pk)
    if request.method != "POST":
        raise _NotPost()
    if not can(request.user, capability):
        raise PermissionDenied(capability)
    return claim


class _NotPost(Exception):
    pass


def _form_shown(user, claim: Claim, key: str) -> bool:
    """Whether the claim page draws this action's form now (the same conditions as the template)."""
    status = claim.status
    if key in ("quote_form", "heir_form"):
        return can(user, "process_claims") and status == Claim.Status.SUBMITTED
    if key == "document_form":
        return can(user, "process_claims") and status != Claim.Status.REJECTED
    if key == "decision_form":
        return (
            can(user, "decide_claims") and claim.verified_by_id != user.pk and status == Claim.Status.VERIFIED
        )
    if key == "instruction_form":
        return can(user, "pay_claims") and status in (Claim.Status.APPROVED, Claim.Status.PAID)
    return can(user, "pay_claims") and status == Claim.Status.APPROVED


def _labelled_errors(form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [f"{label}: {e}" if label else str(e) for e in errors]
    return out


class _Refused(Exception):
    """An action's form came back with errors: draw the claim page again with it (its field errors
    next to the inputs, what was typed kept)."""

    def __init__(self, key: str, form):
        super().__init__(key)
        self.key, self.form = key, form


def _refuse(key: str, form, err: SinergiError | None = None):
    if err is not None:
        form.add_error(err.field if err.field in form.fields else None, str(err.message))
    raise _Refused(key, form)


def _action(capability):
    def decorator(fn):
        @login_required
        def view(request, pk: int, **kwargs):
            try:
                claim = _post_claim(request, pk, capability)
            except _NotPost:
                return HttpResponseNotAllowed(["POST"])
            try:
                response = fn(request, claim, **kwargs)
            except _Refused as refused:
                extra = {refused.key: refused.form}
                if refused.key == "quote_form":
                    extra["quote_values"] = {n: refused.form[n].value() for n in refused.form.fields}
                if not _form_shown(request.user, claim, refused.key):  # its panel is not drawn now
                    extra["action_errors"] = _labelled_errors(refused.form)
                return render(request, "claims/claim_detail.html", _claim_context(request, claim, **extra))
            except SinergiError as err:  # an action without inputs (verify): the reason above the page
                return render(
                    request,
                    "claims/claim_detail.html",
                    _claim_context(request, claim, action_errors=[str(err.message)]),
                )
            return response or redirect("claims:claim_detail", pk=claim.pk)

        view.__name__ = fn.__name__
        view.__doc__ = fn.__doc__
        return view

    return decorator


@_action("process_claims")
def claim_quote(request, claim):
    form = forms.ClaimQuoteForm(request.POST, names=CLAIM_QUOTE_FIELDS.get(claim.benefit, []))
    if not form.is_valid():
        _refuse("quote_form", form)
    inputs = {k: v for k, v in form.cleaned_data.items() if v}
    for name in MASKED_QUOTE_FIELDS:  # a masked wage left blank keeps the one recorded with the quote
        if name in form.fields and name not in inputs and claim.quote_inputs.get(name) not in (None, ""):
            inputs[name] = claim.quote_inputs[name]
    try:
        services.claim_quote(actor=request.user, claim=claim, inputs=inputs)
    except SinergiError as err:
        _refuse("quote_form", form, err)
    messages.success(request, _("Amount computed."))


@_action("process_claims")
def claim_heir(request, claim):
    form = forms.HeirForm(request.POST)
    if not form.is_valid():
        form.errors.pop("heir", None)
        _refuse("heir_form", form, SinergiError(_("Choose an heir."), field="heir"))
    member = claim.case.person.family.filter(pk=form.cleaned_data["heir"]).first()
    if member is None:
        _refuse(
            "heir_form",
            form,
            SinergiError(_("This person is not in the participant's family record."), field="heir"),
        )
    try:
        services.claim_heir_set(
            actor=request.user, claim=claim, family_member=member, reason=form.cleaned_data["reason"]
        )
    except SinergiError as err:
        _refuse("heir_form", form, err)
    messages.success(request, _("Heir recorded."))


@_action("process_claims")
def document_upload(request, claim):
    form = forms.DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        _refuse("document_form", form)
    year = None
    if form.cleaned_data["scholarship_year"]:
        year = ScholarshipYear.objects.filter(claim=claim, pk=form.cleaned_data["scholarship_year"]).first()
    try:
        services.claim_document_add(
            actor=request.user,
            claim=claim,
            doc_type=form.cleaned_data["doc_type"],
            upload=form.cleaned_data["file"],
            scholarship_year=year,
        )
    except SinergiError as err:
        _refuse("document_form", form, err)
    messages.success(request, _("Document uploaded."))


@_action("process_claims")
def claim_verify(request, claim):
    services.claim_verify(actor=request.user, claim=claim)
    messages.success(request, _("Claim verified. Another officer must decide."))


@_action("decide_claims")
def claim_decide(request, claim):
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        _refuse("decision_form", form)
    try:
        services.claim_decide(
            actor=request.user,
            claim=claim,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except SinergiError as err:
        _refuse("decision_form", form, err)
    messages.success(request, _("Decision recorded."))


@_action("pay_claims")
def claim_instruction(request, claim):
    form = forms.InstructionForm(request.POST)
    if not form.is_valid():
        _refuse("instruction_form", form)
    try:
        services.claim_payment_instruction_set(actor=request.user, claim=claim, **form.cleaned_data)
    except SinergiError as err:
        _refuse("instruction_form", form, err)
    messages.success(request, _("Payment instruction recorded."))


@_action("pay_claims")
def claim_pay(request, claim):
    form = forms.PaymentForm(request.POST)
    if not form.is_valid():
        _refuse("payment_form", form)
    try:
        services.claim_pay(
            actor=request.user,
            claim=claim,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
        )
    except SinergiError as err:
        _refuse("payment_form", form, err)
    messages.success(request, _("Payment recorded."))


@login_required
def scholarship_release(request, pk: int):
    """Release one later school year of a scholarship (on proof of schooling)."""
    year = get_object_or_404(selectors.scholarship_year_list(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not can(request.user, "pay_claims"):
        raise PermissionDenied("pay_claims")
    try:
        year = services.scholarship_year_release(actor=request.user, year=year)
    except SinergiError as err:  # a button without inputs: the reason above the claim page
        ctx = _claim_context(request, year.claim, action_errors=[str(err.message)])
        return render(request, "claims/claim_detail.html", ctx)
    else:
        if year.status == ScholarshipYear.Status.STOPPED:
            messages.warning(request, _("The scholarship stopped: %(why)s.") % {"why": year.note})
        else:
            messages.success(request, _("School year released."))
    return redirect("claims:claim_detail", pk=year.claim_id)


@login_required
def document_download(request, pk: int):
    doc = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    audit_record(
        actor=request.user,
        action="reveal",
        obj=doc,
        changes={"file": doc.original_name},
        purpose=_("view claim document"),
    )
    return FileResponse(doc.file.open("rb"), content_type=doc.content_type, filename=doc.original_name)


def _pdf(request, template: str, context: dict, filename: str, obj) -> HttpResponse:
    # deferred: weasyprint loads its fonts and libraries on import; only the PDF views need it
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit_record(actor=request.user, action="export", obj=obj, changes={"file": filename}, purpose=_("print"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def decision_letter(request, pk: int):
    claim = get_object_or_404(selectors.claim_list(user=request.user), pk=pk)
    if not selectors.sees_personal(request.user):
        raise PermissionDenied("decision letter")
    if claim.status not in (Claim.Status.APPROVED, Claim.Status.REJECTED, Claim.Status.PAID):
        messages.error(request, _("The letter exists once the claim is decided."))
        return redirect("claims:claim_detail", pk=claim.pk)
    ctx = _claim_context(request, claim)
    ctx["quote"] = quotes.present_stored(claim.quote)
    return _pdf(
        request,
        "claims/pdf/decision_letter.html",
        ctx,
        f"keputusan-{claim.case.reference}-{claim.benefit}.pdf",
        claim,
    )


@login_required
def handover_certificate(request, pk: int):
    case = get_object_or_404(selectors.case_list(user=request.user), pk=pk)
    if not selectors.sees_personal(request.user):
        raise PermissionDenied("hand-over certificate")
    paid = list(case.claims.filter(status=Claim.Status.PAID).select_related("payment"))
    if not paid:
        messages.error(request, _("Nothing has been paid in this case yet."))
        return redirect("claims:case_detail", pk=case.pk)
    total = sum(c.payment.amount for c in paid)
    ctx = {"case": case, "claims": paid, "total": total, "today": clock.today()}
    return _pdf(request, "claims/pdf/handover.html", ctx, f"serah-terima-{case.reference}.pdf", case)


@login_required
def calculator(request):
    """Quote any benefit from typed inputs: amounts, the conditions checked, the legal basis, or a refusal."""
    benefits = (*quotes.FIELDS, "BEASISWA")
    chosen = forms.CalculatorBenefitForm(request.POST or request.GET, benefits=benefits)
    benefit = (chosen.cleaned_data["benefit"] if chosen.is_valid() else "") or "JKM"
    result = scholarship = None
    posted = request.method == "POST"
    if benefit == "BEASISWA":
        form = forms.ScholarshipCalculatorForm(request.POST if posted else None, levels=rules.SCHOOL_LEVELS)
    else:
        names = [name for name, *_rest in quotes.FIELDS.get(benefit, [])]
        form = forms.ClaimQuoteForm(request.POST if posted else None, names=names)
    if posted and form.is_valid():
        try:
            if benefit == "BEASISWA":
                scholarship = _calculator_scholarship(form.cleaned_data)
                result = quotes.present(scholarship.quote)
            else:
                inputs = {k: v for k, v in form.cleaned_data.items() if v}
                result = quotes.present(quotes.compute(benefit, inputs))
        except SinergiError as err:
            form.add_error(err.field if err.field in form.fields else None, str(err.message))
    values = {name: form[name].value() for name in form.fields} if posted else {}
    return render(
        request,
        "claims/calculator.html",
        {
            "benefit": benefit,
            "benefit_errors": chosen.errors.get("benefit", []),
            "benefits": [(b, label) for b, label in Benefit.choices],
            "fields": _field_specs(benefit, None, values, errors=form.errors)
            if benefit != "BEASISWA"
            else [],
            "form": form,
            "values": values,
            "result": result,
            "scholarship": scholarship,
            "levels": rules.SCHOOL_LEVELS,
            "child_rows": [
                {
                    "i": i,
                    "name": values.get(f"child{i}_name") or "",
                    "birth": values.get(f"child{i}_birth") or "",
                    "level": values.get(f"child{i}_level") or "",
                    "grade": values.get(f"child{i}_grade") or "",
                    "married": bool(values.get(f"child{i}_married")),
                    "working": bool(values.get(f"child{i}_working")),
                    "errors": form.child_errors(i) if benefit == "BEASISWA" and posted else [],
                }
                for i in range(forms.SCHOLARSHIP_CHILD_ROWS)
            ],
            "event_types": EventType.choices,
        },
        status=400 if posted and result is None else 200,
    )


def _calculator_scholarship(data: dict):
    children = [
        rules.Child(
            str(i),
            data[f"child{i}_name"].strip(),
            data[f"child{i}_birth"],
            data[f"child{i}_level"],
            data[f"child{i}_grade"] or 1,
            data[f"child{i}_married"],
            data[f"child{i}_working"],
        )
        for i in range(forms.SCHOLARSHIP_CHILD_ROWS)
        if (data[f"child{i}_name"] or "").strip()
    ]
    return quotes.compute_scholarship(
        event=data["event"],
        event_date=data["event_date"],
        contribution_months=data["contribution_months"] or 0,
        children=children,
    )
