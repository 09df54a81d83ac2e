"""Program pages: thin edges that check permission, call one service or selector, and render."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.permissions import capability_required
from sinergi.accounts.roles import OrgKind, can
from sinergi.accounts.selectors import organisation_list
from sinergi.core import charts, clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import API_MESSAGES, NotFound, SinergiError
from sinergi.core.jobs import job_start, request_idempotency_key
from sinergi.core.privacy import is_wage_reveal, wages_revealed
from sinergi.core.ratelimit import rate_limited
from sinergi.programs import eligibility, forms, printing, selectors, services
from sinergi.programs.models import Application, ApplicationDocument, Card, Program, SavingsEntry
from sinergi.unions.selectors import union_body_list


def _page(request, qs, size=50):
    form = forms.PageForm(request.GET)
    number = form.cleaned_data.get("page") if form.is_valid() else None
    return Paginator(qs, size).get_page(number or 1)


# A service names the region `region_id`; the programs forms call the field `region`.
_FIELD_ALIASES = {"region_id": "region"}


# ---------------------------------------------------------------- programs


@login_required
def program_list(request):
    programs = list(selectors.program_list(user=request.user))
    rows = [{"program": p, "realisation": selectors.realisation(program=p)} for p in programs]
    return render(
        request,
        "programs/program_list.html",
        {"rows": rows, "can_create": can(request.user, "manage_programs")},
    )


def _rule_formset(request, program=None, *, add_row=False):
    """The builder's rows: posted, or the program's rules, plus empty rows to fill in."""
    if request.method == "POST":
        formset = forms.RuleFormSet(request.POST, prefix="rules")
        if add_row and formset.is_valid():  # one more empty row, keeping what was typed
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("field")]
            rows = [{k: r.get(k) or "" for k in ("field", "operator", "value")} for r in rows]
            return forms.RuleFormSet(prefix="rules", initial=rows + [{}])
        return formset
    rows = forms.rules_to_rows(program.rules if program else [])
    if program is None and not rows:
        rows = [{"field": "ktp_province", "operator": "is", "value": "31"}]
    return forms.RuleFormSet(prefix="rules", initial=rows + [{}, {}])


def _program_form_page(request, *, program=None):
    add_row = request.method == "POST" and "add_row" in request.POST
    initial = {"region": request.user.organisation.region_id if request.user.organisation else ""}
    if program is not None:
        initial = {
            "code": program.code,
            "name": program.name,
            "kind": program.kind,
            "region": program.region_id,
            "legal_basis": program.legal_basis,
            "year": program.year,
            "start_date": program.start_date,
            "end_date": program.end_date,
            "ump_decree": program.ump_decree,
            "description": program.description,
        }
    form = forms.ProgramForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        program=program,
        initial=initial,
    )
    formset = _rule_formset(request, program, add_row=add_row)
    if request.method == "POST" and not add_row and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        data["rules"] = formset.rules()
        try:
            if program is None:
                data["region_id"] = data.pop("region")
                program = services.program_create(actor=request.user, **data)
                messages.success(request, _("Program created."))
            else:
                for key in ("code", "kind", "region", "year"):
                    data.pop(key, None)
                services.program_update(actor=request.user, program=program, **data)
                messages.success(request, _("Program saved."))
        except SinergiError as exc:
            if exc.field == "rules":
                formset._non_form_errors = formset.error_class([exc.message])
            else:
                exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            return redirect("programs:program_detail", pk=program.pk)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "formset": formset, "program": program, "max_rules": forms.MAX_RULES},
        status=400 if request.method == "POST" and not add_row else 200,
    )


@capability_required("manage_programs")
def program_create(request):
    return _program_form_page(request)


@capability_required("manage_programs")
def program_edit(request, pk: int):
    return _program_form_page(request, program=selectors.program_get(user=request.user, pk=pk))


@capability_required("manage_programs")
def rule_row(request):
    """htmx: one builder row drawn again after its field changed (its operators and value widget)."""
    req = forms.RuleRowRequestForm(request.GET)
    if not req.is_valid():
        return HttpResponse(_("Reload the page."), status=400)
    prefix = f"rules-{req.cleaned_data['index']}"
    chosen = forms.RuleFieldForm(request.GET, prefix=prefix)
    initial = {"field": chosen.cleaned_data["field"] if chosen.is_valid() else ""}
    row = forms.RuleRowForm(prefix=prefix, initial=initial)
    return render(request, "programs/_rule_row.html", {"row": row})


@capability_required("manage_programs")
def rule_count(request):
    """htmx: how many people in your scope meet the rules as they stand in the builder (one count
    query over the registry, the same SQL as nomination), or why it cannot be counted yet."""
    data = request.POST if request.method == "POST" else request.GET
    formset = forms.RuleFormSet(data, prefix="rules")
    context = forms.CountContextForm(data)
    result, problems = None, []
    if not formset.is_valid():
        problems = [str(e) for e in formset.non_form_errors()] or [_("Correct the rules marked in red.")]
        for f in formset.forms:
            for name, errors in f.errors.items():
                label = f.fields[name].label if name in f.fields else ""
                problems += [f"{label}: {e}" if label else str(e) for e in errors]
    else:
        c = context.cleaned_data if context.is_valid() else {}
        today = clock.today()
        program = Program(
            region_id=c.get("region")
            or (request.user.organisation.region_id if request.user.organisation else "31"),
            year=c.get("year") or today.year,
            start_date=c.get("start_date") or today,
            end_date=c.get("end_date") or c.get("start_date") or today,
            ump_decree=c.get("ump_decree") or "",
            rules=formset.rules(),
        )
        if program.end_date < program.start_date:
            program.end_date = program.start_date
        try:
            result = selectors.eligible_count(user=request.user, program=program)
        except SinergiError as exc:
            problems = [exc.message]
    return render(request, "programs/_rule_count.html", {"result": result, "problems": problems})


@login_required
def program_detail(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    if "part" in request.GET:  # loaded by htmx after the page: one query over the registry
        if not forms.ProgramPartForm(request.GET).is_valid():
            return HttpResponse(_("Reload the page."), status=400)
        n = selectors.eligible_candidates(user=request.user, program=program).count()
        return HttpResponse(f"{n:,}".replace(",", "."))
    ctx = eligibility.program_context(program)
    real = selectors.realisation(program=program)
    chart = charts.bar(
        [_("Q%(n)s") % {"n": q["quarter"]} for q in real["quarters"]],
        [q["realised"] for q in real["quarters"]],
        title=_("Realisation against target, %(year)s") % {"year": real["year"]},
        target=[q["target"] or 0 for q in real["quarters"]]
        if any(q["target"] for q in real["quarters"])
        else None,
        value_label=_("Realised"),
        target_label=_("Target"),
    )
    explanation, person = None, None
    check = forms.ProgramCheckForm(request.GET if "nik" in request.GET else None)
    if check.is_bound and check.is_valid() and check.cleaned_data["nik"]:
        person = selectors.person_find(user=request.user, nik=check.cleaned_data["nik"])
        if person is None:
            check.add_error("nik", _("No person with that NIK in your scope."))
        else:
            explanation = eligibility.explain(program, person, ctx)
    statuses = dict(Application.Status.choices)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "ctx": ctx,
            "real": real,
            "chart": chart,
            "counts": [
                (status, statuses[status], n)
                for status, n in selectors.status_counts(user=request.user, program=program).items()
            ],
            "rules": [{"rule": r, "label": eligibility.describe_rule(r)} for r in program.rules],
            "check": check,
            "explanation": explanation,
            "person": person,
            "can_nominate": can(request.user, "nominate"),
            "can_approve": can(request.user, "approve_programs"),
            "can_edit": can(request.user, "manage_programs"),
        },
    )


@capability_required("nominate")
def nominate(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    form = forms.NominateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.nominate(
                    actor=request.user,
                    program=program,
                    person_ids=form.cleaned_data["people"],
                    title=form.cleaned_data["title"],
                )
            except SinergiError as exc:
                exc.add_to_form(form, aliases=_FIELD_ALIASES)
            else:
                if result["created"]:
                    messages.success(request, _("%(n)s people nominated.") % {"n": result["created"]})
                for _pid, reason in result["refused"]:
                    messages.warning(request, _("Not nominated: %(reason)s") % {"reason": reason})
                return redirect(reverse("programs:application_list") + f"?program={program.pk}")
    candidates = selectors.eligible_candidates(user=request.user, program=program)
    return render(
        request,
        "programs/nominate.html",
        {
            "program": program,
            "page": _page(request, candidates, 100),
            "ctx": eligibility.program_context(program),
            "form": form,
            "ticked": {str(v) for v in form["people"].value() or []} if form.is_bound else set(),
        },
    )


# ---------------------------------------------------------------- applications


def _scoped_program(form) -> dict:
    """The list filter a batch form came from (its program, when in scope), to draw the list again."""
    program = form.cleaned_data.get("program")
    return {"program": program.pk if program else ""}


def _application_list_page(request, *, filter_data, bulk_form=None, status=200):
    filters = forms.ApplicationFilterForm(filter_data)
    filters.is_valid()
    clean = {k: v for k, v in (filters.cleaned_data or {}).items() if v}
    apps = selectors.application_list(user=request.user, filters=clean)
    programs = selectors.program_list(user=request.user)
    return render(
        request,
        "programs/application_list.html",
        {
            "page": _page(request, apps),
            "programs": programs,
            "filters": clean,
            "filter_form": filters,
            "bulk_form": bulk_form,
            "ticked": {str(v) for v in bulk_form["ids"].value() or []} if bulk_form else set(),
            "statuses": Application.Status.choices,
            "can_approve": can(request.user, "approve_programs"),
        },
        status=status,
    )


@login_required
def application_list(request):
    return _application_list_page(request, filter_data=request.GET)


@require_POST
@capability_required("approve_programs")
def application_bulk(request):
    form = forms.ApplicationBulkForm(request.POST, programs=selectors.program_list(user=request.user))
    if form.is_valid():
        program = form.cleaned_data["program"]
        ids = form.cleaned_data["ids"]
        try:
            if form.cleaned_data["action"] == "issue":
                n = services.cards_issue(actor=request.user, program=program, application_ids=ids)
                messages.success(request, _("%(n)s cards issued.") % {"n": n})
                return redirect(reverse("programs:card_list") + f"?program={program.pk}")
            result = services.applications_approve(actor=request.user, program=program, ids=ids)
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            messages.success(request, _("%(n)s applications approved.") % {"n": result["approved"]})
            if result["skipped"]:
                messages.warning(
                    request,
                    _("%(n)s left for another officer (not verified yet, or you nominated or verified them).")
                    % {"n": result["skipped"]},
                )
            return redirect(reverse("programs:application_list") + f"?program={program.pk}&status=approved")
    return _application_list_page(request, filter_data=_scoped_program(form), bulk_form=form)


@login_required
def application_detail(request, pk: int):
    app = selectors.application_get(user=request.user, pk=pk)
    slots = {"upload": None, "decision": None, "reject": None}
    action_errors, status = [], 200
    if request.method == "POST" and not is_wage_reveal(request):
        form = forms.ApplicationActionForm(request.POST, request.FILES)
        form.is_valid()
        action = form.cleaned_data.get("action")
        if action is None:  # an action the page does not offer: nothing to keep, say so above
            action_errors, status = form.errors.get("action", []), 400
        else:
            slots["decision" if action in ("verify", "approve") else action] = form
            data = form.cleaned_data
            if not form.errors:
                try:
                    if action == "upload":
                        services.document_upload(
                            actor=request.user, application=app, kind=data["kind"], upload=data["file"]
                        )
                        done = _("Document uploaded.")
                    elif action == "verify":
                        services.application_verify(actor=request.user, application=app, note=data["note"])
                        done = _("Application verified.")
                    elif action == "approve":
                        services.application_approve(actor=request.user, application=app, note=data["note"])
                        done = _("Application approved.")
                    else:
                        services.application_reject(
                            actor=request.user, application=app, reason=data["reason"]
                        )
                        done = _("Application rejected.")
                except SinergiError as exc:
                    exc.add_to_form(form, aliases=_FIELD_ALIASES)
                else:
                    messages.success(request, done)
                    return redirect("programs:application_detail", pk=app.pk)
            action_errors = form.non_field_errors()  # shown above the panels, which may be hidden
    docs = {d.kind: d for d in app.documents.all()}
    checklist = [
        {"kind": k, "label": label, "doc": docs.get(k)} for k, label in ApplicationDocument.Kind.choices
    ]
    return render(
        request,
        "programs/application_detail.html",
        {
            "app": app,
            "checklist": checklist,
            "events": app.events.select_related("actor"),
            "checks": app.eligibility or eligibility.explain(app.program, app.person),
            "cards": app.cards.all(),
            "see_wages": can(request.user, "see_wages"),
            "can_reveal_wages": can(request.user, "see_wages"),
            "wages_revealed": wages_revealed(request, app),
            "can_upload": can(request.user, "nominate") and app.status == Application.Status.NOMINATED,
            "can_approve": can(request.user, "approve_programs"),
            "action_errors": action_errors,
            "upload_form": slots["upload"],
            "decision_form": slots["decision"],
            "reject_form": slots["reject"],
        },
        status=status,
    )


@login_required
def document_download(request, pk: int):
    doc = selectors.document_list(user=request.user).filter(pk=pk).first()
    if doc is None:
        raise NotFound(_("Document not found, or outside your scope."))
    audit_record(
        actor=request.user,
        action="reveal",
        obj=doc.application,
        changes={"document": doc.kind},
        purpose=_("view application document"),
    )
    return FileResponse(
        doc.file.open("rb"), content_type=doc.content_type, filename=doc.file.name.rsplit("/", 1)[-1]
    )


# ---------------------------------------------------------------- cards


def _card_list_page(request, *, filter_data, print_form=None, hand_over_form=None):
    filters = forms.CardFilterForm(filter_data)
    filters.is_valid()
    clean = {k: v for k, v in (filters.cleaned_data or {}).items() if v}
    cards = selectors.card_list(user=request.user, filters=clean)
    bound = print_form or hand_over_form
    return render(
        request,
        "programs/card_list.html",
        {
            "page": _page(request, cards),
            "filters": clean,
            "filter_form": filters,
            "print_form": print_form,
            "hand_over_form": hand_over_form
            or forms.CardHandOverForm(initial={"on": clock.today().isoformat()}),
            "ticked": {str(v) for v in bound["ids"].value() or []} if bound else set(),
            "programs": selectors.program_list(user=request.user, kind=Program.Kind.WORKER_CARD),
            "statuses": Card.Status.choices,
            "can_print": can(request.user, "approve_programs"),
            "can_hand_over": can(request.user, "hand_over_aid"),
        },
    )


@login_required
def card_list(request):
    return _card_list_page(request, filter_data=request.GET)


@require_POST
@capability_required("approve_programs")
def card_print(request):
    """Start a background job printing the chosen cards (or every active card of the program)."""
    form = forms.CardPrintForm(request.POST, programs=selectors.program_list(user=request.user))
    if form.is_valid():
        ids = form.cleaned_data["ids"]
        params = {"base_url": request.build_absolute_uri("/").rstrip("/"), "language": request.LANGUAGE_CODE}
        if ids:
            params["card_ids"] = list(
                selectors.card_list(user=request.user).filter(pk__in=ids).values_list("pk", flat=True)
            )
            if not params["card_ids"]:
                form.add_error("ids", _("Choose at least one card."))
        else:
            params["program"] = form.cleaned_data["program"].pk
            params["not_handed_over"] = form.cleaned_data["not_handed_over"]
        if not form.errors:
            job = job_start(
                kind="programs.print_cards",
                user=request.user,
                params=params,
                title=_("Print worker cards"),
                idempotency_key=request_idempotency_key(request, "programs.print_cards"),
            )
            return redirect("core:job_detail", pk=job.pk)
    return _card_list_page(request, filter_data=_scoped_program(form), print_form=form)


@require_POST
@capability_required("hand_over_aid")
def card_hand_over(request):
    form = forms.CardHandOverForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            n = services.cards_hand_over(
                actor=request.user,
                card_ids=data["ids"],
                on=data["on"],
                place=data["place"],
                event=data["event"],
                handed_over_by=data["handed_over_by"],
            )
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            messages.success(request, _("%(n)s cards recorded as handed over.") % {"n": n})
            return redirect("programs:card_list")
    return _card_list_page(request, filter_data=request.POST, hand_over_form=form)


@login_required
def card_detail(request, pk: int):
    card = selectors.card_get(user=request.user, pk=pk)
    form = forms.CardActionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["action"] == "revoke":
                    services.card_revoke(actor=request.user, card=card, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Card revoked."))
                else:
                    new = services.card_replace(
                        actor=request.user, card=card, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("Replacement card %(n)s issued.") % {"n": new.number})
                    return redirect("programs:card_detail", pk=new.pk)
            except SinergiError as exc:
                exc.add_to_form(form, aliases=_FIELD_ALIASES)
            else:
                return redirect("programs:card_detail", pk=card.pk)
        status = 400 if "action" in form.errors else 200
    token = services.card_token(card.number)
    verify_url = request.build_absolute_uri(reverse("programs:verify", kwargs={"token": token}))
    qr_svg = segno.make(verify_url, error="m").svg_inline(scale=3)
    return render(
        request,
        "programs/card_detail.html",
        {
            "card": card,
            "qr_svg": qr_svg,
            "verify_url": verify_url,
            "can_manage": can(request.user, "approve_programs"),
            "form": form,
        },
        status=status,
    )


@login_required
def card_pdf(request, pk: int):
    card = selectors.card_get(user=request.user, pk=pk)
    rows = selectors.card_print_rows([card.pk])
    pdf = printing.render_cards_pdf(rows, request.build_absolute_uri("/").rstrip("/"), request.LANGUAGE_CODE)
    audit_record(actor=request.user, action="export", obj=card, purpose=_("print worker card"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{card.number}.pdf"'
    return response


def verify(request, token: str):
    """Public: is this card valid? No login, no personal data; rate-limited per client address."""
    if rate_limited(request, group="programs.card_verify"):
        return render(
            request,
            "programs/verify.html",
            {"answer": None, "limited": API_MESSAGES["rate_limited"]},
            status=429,
        )
    return render(request, "programs/verify.html", {"answer": services.card_verify(token)})


def verify_form(request):
    form = forms.VerifyTokenForm(request.GET)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    if token:
        return redirect("programs:verify", token=token)
    return render(request, "programs/verify.html", {"answer": None})


# ---------------------------------------------------------------- aid distributions


@login_required
def distribution_list(request):
    return render(
        request,
        "programs/distribution_list.html",
        {"distributions": selectors.distribution_list(user=request.user)},
    )


def _distribution_forms(dist, bodies):
    return {
        "handover": forms.HandoverForm(initial={"place": dist.place}),
        "allocate": forms.AllocateForm(body_choices=[(b.pk, b.name) for b in bodies]),
        "return": forms.ReturnForm(),
    }


@login_required
def distribution_detail(request, pk: int):
    dist = selectors.distribution_get(user=request.user, pk=pk)
    bodies = list(
        union_body_list(user=request.user)
        .filter(region__code__startswith=dist.region_id[:2], is_active=True)
        .order_by("path")[:200]
    )
    page_forms = _distribution_forms(dist, bodies)
    chosen = forms.DistributionActionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not chosen.is_valid():
            status = 400
        else:
            action = chosen.cleaned_data["action"]
            if action == "handover":
                form = forms.HandoverForm(request.POST, request.FILES)
            elif action == "allocate":
                form = forms.AllocateForm(request.POST, body_choices=[(b.pk, b.name) for b in bodies])
            else:
                form = forms.ReturnForm(request.POST)
            page_forms[action] = form
            if form.is_valid():
                try:
                    if action == "handover":
                        hand = services.handover_record(
                            actor=request.user, distribution=dist, **form.cleaned_data
                        )
                        done = _("Package handed over to %(name)s.") % {"name": hand.person.name}
                    elif action == "allocate":
                        services.allocate_by_members(
                            actor=request.user, distribution=dist, body_ids=form.cleaned_data["bodies"]
                        )
                        done = _("Stock allocated in proportion to verified members.")
                    else:
                        services.distribution_return(
                            actor=request.user, distribution=dist, count=form.cleaned_data["count"]
                        )
                        done = _("Returned packages recorded.")
                except SinergiError as exc:
                    exc.add_to_form(form, aliases=_FIELD_ALIASES)
                else:
                    messages.success(request, done)
                    return redirect("programs:distribution_detail", pk=dist.pk)
    return render(
        request,
        "programs/distribution_detail.html",
        {
            "dist": dist,
            "rec": selectors.reconciliation(distribution=dist),
            "handovers": _page(request, selectors.handover_list(user=request.user, distribution=dist)),
            "bodies": bodies,
            "can_hand_over": can(request.user, "hand_over_aid"),
            "action_form": chosen,
            "handover_form": page_forms["handover"],
            "allocate_form": page_forms["allocate"],
            "return_form": page_forms["return"],
        },
        status=status,
    )


@login_required
def handover_proof(request, pk: int):
    hand = selectors.handover_list(user=request.user).filter(pk=pk).first()
    if hand is None or not hand.proof:
        raise NotFound(_("Proof not found, or outside your scope."))
    audit_record(
        actor=request.user,
        action="reveal",
        obj=hand,
        changes={"proof": hand.proof.name},
        purpose=_("view hand-over proof"),
    )
    return FileResponse(hand.proof.open("rb"), filename=hand.proof.name.rsplit("/", 1)[-1])


# ---------------------------------------------------------------- training


@login_required
def cohort_list(request):
    return render(
        request,
        "programs/cohort_list.html",
        {
            "cohorts": selectors.cohort_list(user=request.user),
            "courses": selectors.course_list(user=request.user),
            "can_manage": can(request.user, "manage_programs"),
        },
    )


def _course_page(request, course=None):
    programs = selectors.program_list(user=request.user, kind=Program.Kind.TRAINING)
    initial = {}
    if course is not None:
        initial = {
            "program": course.program,
            "track": course.track,
            "level": course.level,
            "name": course.name,
        }
    form = forms.CourseForm(
        request.POST if request.method == "POST" else None, programs=programs, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            if course is None:
                services.course_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Course created."))
            else:
                services.course_update(actor=request.user, course=course, **form.cleaned_data)
                messages.success(request, _("Course saved."))
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            return redirect("programs:cohort_list")
    title = _("New course") if course is None else _("Edit course")
    return render(
        request,
        "programs/simple_form.html",
        {"form": form, "title": title, "back": reverse("programs:cohort_list")},
        status=400 if request.method == "POST" else 200,
    )


@capability_required("manage_programs")
def course_create(request):
    return _course_page(request)


@capability_required("manage_programs")
def course_edit(request, pk: int):
    return _course_page(request, selectors.course_get(user=request.user, pk=pk))


def _cohort_page(request, cohort=None):
    initial = {}
    if cohort is not None:
        initial = {
            "course": cohort.course,
            "name": cohort.name,
            "region": cohort.region_id,
            "start_date": cohort.start_date,
            "end_date": cohort.end_date,
            "place": cohort.place,
            "sessions": cohort.sessions,
            "min_attendance": cohort.min_attendance,
        }
    elif request.user.organisation:
        initial = {"region": request.user.organisation.region_id, "sessions": 1, "min_attendance": 1}
    form = forms.CohortForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        courses=selectors.course_list(user=request.user),
        cohort=cohort,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["region_id"] = data.pop("region")
        try:
            if cohort is None:
                cohort = services.cohort_create(actor=request.user, **data)
                messages.success(request, _("Cohort created."))
            else:
                services.cohort_update(actor=request.user, cohort=cohort, **data)
                messages.success(request, _("Cohort saved."))
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            return redirect("programs:cohort_detail", pk=cohort.pk)
    title = _("New cohort") if cohort is None else _("Edit cohort")
    back = (
        reverse("programs:cohort_list")
        if cohort is None
        else reverse("programs:cohort_detail", args=[cohort.pk])
    )
    return render(
        request,
        "programs/simple_form.html",
        {"form": form, "title": title, "back": back, "testid": "cohort-form"},
        status=400 if request.method == "POST" else 200,
    )


@capability_required("manage_programs")
def cohort_create(request):
    return _cohort_page(request)


@capability_required("manage_programs")
def cohort_edit(request, pk: int):
    return _cohort_page(request, selectors.cohort_get(user=request.user, pk=pk))


def _labelled_errors(form) -> list[str]:
    """A form's errors, each with its field's label (for a form drawn once per table row)."""
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [f"{label}: {e}" if label else str(e) for e in errors]
    return out


@login_required
def cohort_detail(request, pk: int):
    cohort = selectors.cohort_get(user=request.user, pk=pk)
    enrol_form = forms.EnrolForm()
    row_errors, row_pk, status = [], None, 200
    if request.method == "POST":
        chosen = forms.CohortActionForm(request.POST)
        action = chosen.cleaned_data["action"] if chosen.is_valid() else None
        form = forms.EnrolForm(request.POST) if action == "enrol" else forms.AttendanceForm(request.POST)
        if action is None:
            row_errors, status = _labelled_errors(chosen), 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                if action == "enrol":
                    person = selectors.person_find(user=request.user, nik=data["nik"])
                    if person is None:
                        raise NotFound(_("No person with that NIK in your scope."), field="nik")
                    services.enrol(actor=request.user, cohort=cohort, person=person)
                    done = _("%(name)s enrolled.") % {"name": person.name}
                else:
                    enr = (
                        selectors.enrolment_list(user=request.user, cohort=cohort)
                        .filter(pk=data["enrolment"])
                        .first()
                    )
                    if enr is None:
                        raise NotFound(_("Enrolment not found, or outside your scope."), field="enrolment")
                    if data["action"] == "attend":
                        services.attendance_record(actor=request.user, enrolment=enr, session=data["session"])
                        done = _("Attendance recorded.")
                    else:
                        services.enrolment_complete(actor=request.user, enrolment=enr)
                        done = _("Completion recorded; the certificate is ready.")
            except SinergiError as exc:
                exc.add_to_form(form, aliases=_FIELD_ALIASES)
            else:
                messages.success(request, done)
                return redirect("programs:cohort_detail", pk=cohort.pk)
        if action == "enrol":
            enrol_form = form
        elif action is not None:
            row_errors = _labelled_errors(form)
            row_pk = form.cleaned_data.get("enrolment")
    enrolments = selectors.enrolment_list(user=request.user, cohort=cohort).prefetch_related("attendance")
    return render(
        request,
        "programs/cohort_detail.html",
        {
            "cohort": cohort,
            "enrolments": enrolments,
            "sessions": range(1, cohort.sessions + 1),
            "can_enrol": can(request.user, "nominate"),
            "can_manage": can(request.user, "manage_programs"),
            "enrol_form": enrol_form,
            "row_errors": row_errors,
            "row_pk": row_pk,
        },
        status=status,
    )


@login_required
def certificate_pdf(request, pk: int):
    enr = selectors.enrolment_get(user=request.user, pk=pk)
    if enr.status != "completed":
        raise SinergiError(_("The certificate exists once the course is completed."))
    audit_record(actor=request.user, action="export", obj=enr, purpose=_("training certificate"))
    response = HttpResponse(printing.render_certificate_pdf(enr), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{enr.certificate_number}.pdf"'
    return response


# ---------------------------------------------------------------- cooperative


@login_required
def coop_list(request):
    return render(
        request,
        "programs/coop_list.html",
        {
            "coops": selectors.cooperative_list(user=request.user),
            "can_manage": can(request.user, "manage_programs"),
        },
    )


def _coop_page(request, coop=None):

    organisations = organisation_list(user=request.user).filter(kind=OrgKind.COOPERATIVE)
    bodies = union_body_list(user=request.user).filter(is_active=True).order_by("path")
    initial = {}
    if coop is not None:
        initial = {
            "name": coop.name,
            "short_name": coop.short_name,
            "organisation": coop.organisation,
            "union_body": coop.union_body,
            "region": coop.region_id,
            "launched_on": coop.launched_on,
            "pokok_amount": f"{int(coop.pokok_amount):,}".replace(",", "."),
            "wajib_amount": f"{int(coop.wajib_amount):,}".replace(",", "."),
        }
    elif request.user.organisation:
        initial = {"region": request.user.organisation.region_id}
    form = forms.CooperativeForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        organisations=organisations,
        bodies=bodies,
        coop=coop,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["region_id"] = data.pop("region")
        try:
            if coop is None:
                coop = services.cooperative_create(actor=request.user, **data)
                messages.success(request, _("Cooperative registered."))
            else:
                services.cooperative_update(actor=request.user, cooperative=coop, **data)
                messages.success(request, _("Cooperative saved."))
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            return redirect("programs:coop_detail", pk=coop.pk)
    title = _("Register a cooperative") if coop is None else _("Edit cooperative")
    back = reverse("programs:coop_list") if coop is None else reverse("programs:coop_detail", args=[coop.pk])
    return render(
        request,
        "programs/simple_form.html",
        {"form": form, "title": title, "back": back, "testid": "coop-form"},
        status=400 if request.method == "POST" else 200,
    )


@capability_required("manage_programs")
def coop_create(request):
    return _coop_page(request)


@capability_required("manage_programs")
def coop_edit(request, pk: int):
    return _coop_page(request, selectors.cooperative_get(user=request.user, pk=pk))


@login_required
def coop_detail(request, pk: int):
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    today = clock.today()
    join_form = forms.MemberJoinForm(initial={"joined_on": today.isoformat()})
    save_form = forms.SavingsForm(initial={"entry_date": today.isoformat()})
    action_errors, status = [], 200
    if request.method == "POST":
        chosen = forms.CoopActionForm(request.POST)
        action = chosen.cleaned_data["action"] if chosen.is_valid() else None
        if action is None:
            action_errors, status = _labelled_errors(chosen), 400
        else:
            form = forms.MemberJoinForm(request.POST) if action == "join" else forms.SavingsForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    if action == "join":
                        person = selectors.person_find(user=request.user, nik=data["nik"])
                        if person is None:
                            raise NotFound(_("No person with that NIK in your scope."), field="nik")
                        member = services.coop_member_add(
                            actor=request.user, cooperative=coop, person=person, joined_on=data["joined_on"]
                        )
                        done = _("Member number %(n)s given.") % {"n": member.member_number}
                    else:
                        member = (
                            selectors.coop_member_list(user=request.user, cooperative=coop)
                            .filter(pk=data["member"])
                            .first()
                        )
                        if member is None:
                            raise NotFound(_("Member not found, or outside your scope."), field="member")
                        services.savings_record(
                            actor=request.user,
                            member=member,
                            kind=data["kind"],
                            amount=data["amount"],
                            entry_date=data["entry_date"],
                            note=data["note"],
                        )
                        done = _("Savings recorded.")
                except SinergiError as exc:
                    exc.add_to_form(form, aliases=_FIELD_ALIASES)
                else:
                    messages.success(request, done)
                    return redirect("programs:coop_detail", pk=coop.pk)
            if action == "join":
                join_form = form
            else:
                save_form = form
    members = selectors.coop_member_list(user=request.user, cooperative=coop)
    page = _page(request, members)
    balances = selectors.savings_balances([m.pk for m in page])
    return render(
        request,
        "programs/coop_detail.html",
        {
            "coop": coop,
            "page": page,
            "rows": [{"m": m, "b": balances.get(m.pk)} for m in page],
            "totals": selectors.cooperative_totals(cooperative=coop),
            "can_edit": can(request.user, "edit_registry"),
            "can_manage": can(request.user, "manage_programs"),
            "kinds": SavingsEntry.Kind.choices,
            "join_form": join_form,
            "save_form": save_form,
            "action_errors": action_errors,
        },
        status=status,
    )


@login_required
def statement_pdf(request, pk: int):
    member = selectors.coop_member_get(user=request.user, pk=pk)
    audit_record(actor=request.user, action="export", obj=member, purpose=_("member savings statement"))
    pdf = printing.render_statement_pdf(member, selectors.statement(member=member))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="simpanan-{member.member_number}.pdf"'
    return response
