"""Program pages: thin edges that check permission, call one service or selector, and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.permissions import capability_required
from sinergi.accounts.roles import can
from sinergi.core import charts, clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import API_MESSAGES, NotFound, SinergiError
from sinergi.core.jobs import job_start, request_idempotency_key
from sinergi.core.ratelimit import rate_limited
from sinergi.programs import eligibility, forms, printing, selectors, services
from sinergi.programs.models import Application, ApplicationDocument, Card, Program
from sinergi.unions.selectors import union_body_list


def _page(request, qs, size=50):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _form_messages(request, form) -> None:
    """A form's errors as page messages, each with its field's label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _ids(request, name="ids") -> list[int]:
    out = []
    for raw in request.POST.getlist(name):
        try:
            out.append(int(raw))
        except ValueError:
            continue
    return out


def _date(value, field) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SinergiError(_("Enter a date as YYYY-MM-DD."), field=field)


# ---------------------------------------------------------------- programs


@login_required
def program_list(request):
    if request.method == "POST":
        import json

        try:
            rules = json.loads(request.POST.get("rules") or "[]")
        except ValueError:
            rules = None
        try:
            if rules is None:
                raise SinergiError(_("The eligibility rules are not valid JSON."), field="rules")
            program = services.program_create(
                actor=request.user,
                code=request.POST.get("code", "").strip(),
                name=request.POST.get("name", "").strip(),
                kind=request.POST.get("kind", ""),
                region_id=request.POST.get("region", "").strip(),
                legal_basis=request.POST.get("legal_basis", "").strip(),
                year=int(request.POST.get("year") or 0),
                start_date=_date(request.POST.get("start_date"), "start_date"),
                end_date=_date(request.POST.get("end_date"), "end_date"),
                rules=rules,
                ump_decree=request.POST.get("ump_decree", "").strip(),
                description=request.POST.get("description", ""),
            )
        except (SinergiError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, _("Program created."))
            return redirect("programs:program_detail", pk=program.pk)
    programs = list(selectors.program_list(user=request.user))
    rows = [{"program": p, "realisation": selectors.realisation(program=p)} for p in programs]
    return render(
        request,
        "programs/program_list.html",
        {
            "rows": rows,
            "can_create": can(request.user, "manage_programs"),
            "kinds": Program.Kind.choices,
            "form": request.POST,
            "rule_names": list(eligibility.RULE_LABELS),
        },
    )


@login_required
def program_detail(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
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
    if request.GET.get("nik"):
        person = selectors.person_find(user=request.user, nik=request.GET["nik"])
        if person is None:
            messages.error(request, _("No person with that NIK in your scope."))
        else:
            explanation = eligibility.explain(program, person, ctx)
    if request.GET.get("part") == "eligible":  # loaded by htmx after the page: one query over the registry
        n = selectors.eligible_candidates(user=request.user, program=program).count()
        return HttpResponse(f"{n:,}".replace(",", "."))
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "ctx": ctx,
            "real": real,
            "chart": chart,
            "counts": selectors.status_counts(user=request.user, program=program),
            "rules": [
                {"rule": r, "label": eligibility.RULE_LABELS.get(r.get("rule"), r.get("rule"))}
                for r in program.rules
            ],
            "explanation": explanation,
            "person": person,
            "can_nominate": can(request.user, "nominate"),
            "can_approve": can(request.user, "approve_programs"),
        },
    )


@capability_required("nominate")
def nominate(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    if request.method == "POST":
        ids = _ids(request, "people")
        result = services.nominate(
            actor=request.user, program=program, person_ids=ids, title=request.POST.get("title", "")
        )
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
        },
    )


# ---------------------------------------------------------------- applications


@login_required
def application_list(request):
    apps = selectors.application_list(user=request.user, filters=request.GET)
    programs = selectors.program_list(user=request.user)
    return render(
        request,
        "programs/application_list.html",
        {
            "page": _page(request, apps),
            "programs": programs,
            "filters": request.GET,
            "statuses": Application.Status.choices,
            "can_approve": can(request.user, "approve_programs"),
        },
    )


@require_POST
@capability_required("approve_programs")
def application_bulk(request):
    program = selectors.program_get(user=request.user, pk=request.POST.get("program"))
    ids = _ids(request)
    if request.POST.get("action") == "issue":
        n = services.cards_issue(actor=request.user, program=program, application_ids=ids)
        messages.success(request, _("%(n)s cards issued.") % {"n": n})
        return redirect(reverse("programs:card_list") + f"?program={program.pk}")
    result = services.applications_approve(actor=request.user, program=program, ids=ids)
    messages.success(request, _("%(n)s applications approved.") % {"n": result["approved"]})
    if result["skipped"]:
        messages.warning(
            request,
            _("%(n)s left for another officer (not verified yet, or you nominated or verified them).")
            % {"n": result["skipped"]},
        )
    return redirect(reverse("programs:application_list") + f"?program={program.pk}&status=approved")


@login_required
def application_detail(request, pk: int):
    app = selectors.application_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "upload":
                if not request.FILES.get("file"):
                    raise SinergiError(_("Choose a file to upload."), field="file")
                services.document_upload(
                    actor=request.user,
                    application=app,
                    kind=request.POST.get("kind", ""),
                    upload=request.FILES["file"],
                )
                messages.success(request, _("Document uploaded."))
            elif action == "verify":
                services.application_verify(
                    actor=request.user, application=app, note=request.POST.get("note", "")
                )
                messages.success(request, _("Application verified."))
            elif action == "approve":
                services.application_approve(
                    actor=request.user, application=app, note=request.POST.get("note", "")
                )
                messages.success(request, _("Application approved."))
            elif action == "reject":
                services.application_reject(
                    actor=request.user, application=app, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Application rejected."))
        except SinergiError as exc:
            messages.error(request, exc.message)
        return redirect("programs:application_detail", pk=app.pk)
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
            "can_upload": can(request.user, "nominate") and app.status == Application.Status.NOMINATED,
            "can_approve": can(request.user, "approve_programs"),
        },
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


@login_required
def card_list(request):
    cards = selectors.card_list(user=request.user, filters=request.GET)
    return render(
        request,
        "programs/card_list.html",
        {
            "page": _page(request, cards),
            "filters": request.GET,
            "programs": selectors.program_list(user=request.user, kind=Program.Kind.WORKER_CARD),
            "statuses": Card.Status.choices,
            "can_print": can(request.user, "approve_programs"),
            "can_hand_over": can(request.user, "hand_over_aid"),
            "today": clock.today().isoformat(),
        },
    )


@require_POST
@capability_required("approve_programs")
def card_print(request):
    """Start a background job printing the chosen cards (or every active card of the program)."""
    ids = _ids(request)
    params = {"base_url": request.build_absolute_uri("/").rstrip("/"), "language": request.LANGUAGE_CODE}
    if ids:
        params["card_ids"] = list(
            selectors.card_list(user=request.user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        if not params["card_ids"]:
            raise SinergiError(_("Choose at least one card."))
    else:
        program = selectors.program_get(user=request.user, pk=request.POST.get("program"))
        params["program"] = program.pk
        params["not_handed_over"] = bool(request.POST.get("not_handed_over"))
    job = job_start(
        kind="programs.print_cards",
        user=request.user,
        params=params,
        title=_("Print worker cards"),
        idempotency_key=request_idempotency_key(request, "programs.print_cards"),
    )
    return redirect("core:job_detail", pk=job.pk)


@require_POST
@capability_required("hand_over_aid")
def card_hand_over(request):
    n = services.cards_hand_over(
        actor=request.user,
        card_ids=_ids(request),
        on=_date(request.POST.get("on"), "on"),
        place=request.POST.get("place", ""),
        event=request.POST.get("event", ""),
        handed_over_by=request.POST.get("handed_over_by", ""),
    )
    messages.success(request, _("%(n)s cards recorded as handed over.") % {"n": n})
    return redirect("programs:card_list")


@login_required
def card_detail(request, pk: int):
    card = selectors.card_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                services.card_revoke(actor=request.user, card=card, reason=request.POST.get("reason", ""))
                messages.success(request, _("Card revoked."))
            elif request.POST.get("action") == "replace":
                new = services.card_replace(
                    actor=request.user, card=card, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Replacement card %(n)s issued.") % {"n": new.number})
                return redirect("programs:card_detail", pk=new.pk)
        except SinergiError as exc:
            messages.error(request, exc.message)
        return redirect("programs:card_detail", pk=card.pk)
    import segno

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
        },
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
    token = (request.GET.get("token") or "").strip()
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


@login_required
def distribution_detail(request, pk: int):
    dist = selectors.distribution_get(user=request.user, pk=pk)
    bodies = (
        union_body_list(user=request.user)
        .filter(region__code__startswith=dist.region_id[:2], is_active=True)
        .order_by("path")[:200]
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "handover":
                form = forms.HandoverForm(request.POST, request.FILES)
                if form.is_valid():
                    hand = services.handover_record(
                        actor=request.user, distribution=dist, **form.cleaned_data
                    )
                    messages.success(
                        request, _("Package handed over to %(name)s.") % {"name": hand.person.name}
                    )
                else:
                    _form_messages(request, form)
            elif action == "allocate":
                form = forms.AllocateForm(request.POST, body_choices=[(b.pk, b.name) for b in bodies])
                if form.is_valid():
                    services.allocate_by_members(
                        actor=request.user, distribution=dist, body_ids=form.cleaned_data["bodies"]
                    )
                    messages.success(request, _("Stock allocated in proportion to verified members."))
                else:
                    _form_messages(request, form)
            elif action == "return":
                form = forms.ReturnForm(request.POST)
                if form.is_valid():
                    services.distribution_return(
                        actor=request.user, distribution=dist, count=form.cleaned_data["count"]
                    )
                    messages.success(request, _("Returned packages recorded."))
                else:
                    _form_messages(request, form)
        except SinergiError as exc:
            messages.error(request, exc.message)
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
        },
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
    return render(request, "programs/cohort_list.html", {"cohorts": selectors.cohort_list(user=request.user)})


@login_required
def cohort_detail(request, pk: int):
    cohort = selectors.cohort_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "enrol":
                person = selectors.person_find(user=request.user, nik=request.POST.get("nik", ""))
                if person is None:
                    raise NotFound(_("No person with that NIK in your scope."), field="nik")
                services.enrol(actor=request.user, cohort=cohort, person=person)
                messages.success(request, _("%(name)s enrolled.") % {"name": person.name})
            elif action in ("attend", "complete"):
                enr = selectors.enrolment_get(user=request.user, pk=request.POST.get("enrolment"))
                if action == "attend":
                    services.attendance_record(
                        actor=request.user, enrolment=enr, session=int(request.POST.get("session") or 0)
                    )
                    messages.success(request, _("Attendance recorded."))
                else:
                    services.enrolment_complete(actor=request.user, enrolment=enr)
                    messages.success(request, _("Completion recorded; the certificate is ready."))
        except (SinergiError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("programs:cohort_detail", pk=cohort.pk)
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
        },
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
        request, "programs/coop_list.html", {"coops": selectors.cooperative_list(user=request.user)}
    )


@login_required
def coop_detail(request, pk: int):
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "join":
                person = selectors.person_find(user=request.user, nik=request.POST.get("nik", ""))
                if person is None:
                    raise NotFound(_("No person with that NIK in your scope."), field="nik")
                member = services.coop_member_add(
                    actor=request.user,
                    cooperative=coop,
                    person=person,
                    joined_on=_date(request.POST.get("joined_on"), "joined_on"),
                )
                messages.success(request, _("Member number %(n)s given.") % {"n": member.member_number})
            elif action == "save":
                member = selectors.coop_member_get(user=request.user, pk=request.POST.get("member"))
                services.savings_record(
                    actor=request.user,
                    member=member,
                    kind=request.POST.get("kind", ""),
                    amount=int(request.POST.get("amount") or 0),
                    entry_date=_date(request.POST.get("entry_date"), "entry_date"),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Savings recorded."))
        except (SinergiError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("programs:coop_detail", pk=coop.pk)
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
            "today": clock.today().isoformat(),
        },
    )


@login_required
def statement_pdf(request, pk: int):
    member = selectors.coop_member_get(user=request.user, pk=pk)
    audit_record(actor=request.user, action="export", obj=member, purpose=_("member savings statement"))
    pdf = printing.render_statement_pdf(member, selectors.statement(member=member))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="simpanan-{member.member_number}.pdf"'
    return response
