"""Registry pages: people (list, profile, reveal, edit), employers, union bodies, import, duplicates.

Thin: parse, check the capability, call one selector or service, render.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi import DOMAIN_APPS
from sinergi.accounts.models import Organisation
from sinergi.accounts.permissions import capability_required, require
from sinergi.accounts.roles import OrgKind, can
from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.core import selectors as core_selectors
from sinergi.core.errors import SinergiError
from sinergi.core.exports import XLSX_TYPE, export_response
from sinergi.core.jobs import job_start, request_idempotency_key
from sinergi.core.paging import keyset_page
from sinergi.core.privacy import is_personal, mask_field, may_see, wages_revealed
from sinergi.registry import forms, importer, selectors, services
from sinergi.registry.models import Person
from sinergi.unions import selectors as union_selectors
from sinergi.unions import services as union_services
from sinergi.unions.models import UnionBody, UnionLevel

PAGE_SIZE = 50
logger = logging.getLogger(__name__)


# Services name regions `domicile_region` / `region`; the registry forms call the fields `…_id`.
_FIELD_ALIASES = {"domicile_region": "domicile_region_id", "region": "region_id"}


# --- people --------------------------------------------------------------------------------------


PERSON_EXPORT_HEADERS = [
    "NIK",
    "Nama",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Kode Kecamatan",
    "Kecamatan",
    "No HP",
    "Pekerjaan",
    "Status Pekerjaan",
    "Rentan",
]


def _export_people(request, qs, fmt, purpose: str):
    """People as XLSX/CSV. NIK, birth date and phone are masked (privacy layer) unless the role may
    see them *and* a purpose is stated (`?purpose=`): then the export is the audited reveal."""
    require(request.user, "export_personal")
    purpose = (purpose or "").strip()
    full = bool(purpose) and may_see(request.user, "nik")
    show = (lambda field, value: value) if full else mask_field
    rows = (
        (
            show("nik", p.nik),
            p.name,
            "P" if p.sex == "F" else "L",
            show("birth_date", p.birth_date.isoformat()),
            p.domicile_region_id,
            p.domicile_region.name,
            show("phone", p.phone),
            p.occupation,
            p.employment_type,
            "ya" if p.is_vulnerable else "",
        )
        for p in qs.iterator(chunk_size=2000)
    )
    return export_response(
        actor=request.user,
        filename="pekerja",
        headers=PERSON_EXPORT_HEADERS,
        rows=rows,
        fmt=fmt,
        purpose=purpose or _("export of the people list (personal data masked)"),
        object_type="registry.person",
        sheet_title="Pekerja",
        extra_changes={"revealed": ["nik", "birth_date", "phone"] if full else []},
    )


@login_required
def person_list(request):
    """Search, filters and the keyset cursor are parsed by `PersonFilterForm`; a bad value is shown on
    its field (the list then applies only the valid filters) and an export waits until all are valid."""
    visible_bodies = union_selectors.union_body_list(user=request.user).select_related(None)
    form = forms.PersonFilterForm(
        request.GET,
        bodies=visible_bodies,
        employers=selectors.employer_list(user=request.user),
        keys=selectors.SORT_KEYS,
    )
    valid = form.is_valid()
    data = form.cleaned_data
    qs = selectors.person_list(user=request.user, filters=form.filters())
    if valid and data["export"]:
        return _export_people(request, qs, data["export"], data["purpose"])
    page = keyset_page(
        qs,
        keys=selectors.SORT_KEYS,
        after=data.get("after"),
        before=data.get("before"),
        count_through=selectors.person_count_through(user=request.user, filters=form.filters()),
        narrow=selectors.person_search_narrow(user=request.user, filters=form.filters()),
    )
    return render(
        request,
        "registry/person_list.html",
        {
            "page": page,
            "form": form,
            "filters": form.query(),
            "bodies": visible_bodies[:500],
            "employment_choices": Person.EmploymentType.choices,
            "can_export": can(request.user, "export_personal"),
            "can_reveal": can(request.user, "reveal_nik"),
            "can_edit": can(request.user, "edit_registry"),
            "can_import": can(request.user, "import_registry"),
        },
    )


def profile_sections(request, person) -> list[dict]:
    """Contract 1: every other domain app's `profile.sections(request, person)`, in DOMAIN_APPS order."""
    sections = []
    for app in DOMAIN_APPS:
        if app == "sinergi.registry" or importlib.util.find_spec(f"{app}.profile") is None:
            continue
        try:
            hook = getattr(importlib.import_module(f"{app}.profile"), "sections", None)
            if hook is not None:  # a profile module may offer only `subject_data` (core.subject)
                sections.extend(hook(request, person))
        except Exception:  # one app's broken section must not take the whole profile down
            logger.exception("Profile section of %s failed for person %s", app, person.pk)
            sections.append(
                {
                    "title": app.rsplit(".", 1)[-1],
                    "html": format_html(
                        '<p class="msg msg-error">{}</p>', _("This section could not be shown.")
                    ),
                }
            )
    return sections


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    family = selectors.family_list(user=request.user, person=person)
    memberships = union_selectors.membership_list(user=request.user, filters={"person": person.pk})
    employments = person.employments.select_related("employer")
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "family": family,
            "memberships": memberships,
            "employments": employments,
            "positions": person.union_positions.select_related("body"),
            "sections": profile_sections(request, person),
            "can_reveal": can(request.user, "reveal_nik"),
            "can_edit": can(request.user, "edit_registry"),
            "can_subject": can(request.user, "export_subject_data"),
            "see_wages": can(request.user, "see_wages"),
            "can_reveal_wages": can(request.user, "see_wages"),
            "wages_revealed": wages_revealed(request, person),
            "reveal_form": forms.RevealForm(),
        },
    )


@capability_required("reveal_nik")
def person_reveal(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)  # scope first: 404 outside it
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.RevealForm(request.POST)
    error = value = None
    if form.is_valid():
        try:
            value = services.person_reveal_identity(
                actor=request.user, person=person, purpose=form.cleaned_data["purpose"]
            )
        except SinergiError as exc:
            error = exc.message
    else:
        error = _("State the purpose before revealing personal data.")
    return render(
        request,
        "registry/_reveal.html",
        {"person": person, "value": value, "error": error, "reveal_form": form},
        status=200 if value else 400,
    )


@capability_required("export_subject_data")
def person_data(request, pk: int):
    """Everything held on a person, for their request (UU 27/2022): purpose required, audited."""
    person = selectors.person_get(user=request.user, pk=pk)
    form = forms.SubjectExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body, content_type, filename = services.person_data_export(
                actor=request.user,
                person=person,
                purpose=form.cleaned_data["purpose"],
                fmt=form.cleaned_data["format"],
            )
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            response = HttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    return render(
        request,
        "registry/person_data.html",
        {"person": person, "form": form},
        status=400 if form.is_bound else 200,
    )


@capability_required("export_subject_data")
def person_history(request, pk: int):
    """Who changed what on a person's records, and when (from the audit log; values masked)."""
    person = selectors.person_get(user=request.user, pk=pk)
    entries = selectors.person_history(user=request.user, person=person)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/person_history.html", {"person": person, "page": page})


@capability_required("edit_registry")
def person_create(request):
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None) or k == "phone"}
            person = services.person_create(actor=request.user, **data)
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            messages.success(request, _("Person registered."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("Register a person")})


@capability_required("edit_registry")
def person_edit(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    # Personal fields (NIK, birth date, phone, KK number, income) are never prefilled: the form would
    # show them in full without an audited reveal. Blank keeps the recorded value; a change is typed anew.
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS if not is_personal(f)}
    form = forms.PersonEditForm(request.POST or None, initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not (is_personal(k) and v in ("", None))}
        try:
            services.person_update(actor=request.user, person=person, **data)
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request, "registry/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": person.name}}
    )


@capability_required("edit_registry")
def family_add(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    form = forms.FamilyMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None,)}
        try:
            services.family_member_add(actor=request.user, person=person, **data)
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            messages.success(request, _("Family member added."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Family of %(name)s") % {"name": person.name}},
    )


# --- employers -----------------------------------------------------------------------------------


@login_required
def employer_list(request):
    form = forms.EmployerFilterForm(request.GET)
    form.is_valid()
    filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = selectors.employer_list(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/employer_list.html",
        {"page": page, "form": form, "filters": filters, "can_edit": can(request.user, "edit_registry")},
    )


@login_required
def employer_detail(request, pk: int):
    employer = selectors.employer_get(user=request.user, pk=pk)
    units = union_selectors.union_body_list(user=request.user).filter(employer=employer)
    workers = selectors.person_list(user=request.user, filters={"employer": employer.pk})
    return render(
        request,
        "registry/employer_detail.html",
        {"employer": employer, "units": units, "worker_count": workers.count(), "workers": workers[:20]},
    )


@capability_required("edit_registry")
def employer_create(request):
    form = forms.EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(actor=request.user, **form.cleaned_data)
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            messages.success(request, _("Employer registered."))
            return redirect("registry:employer_detail", pk=employer.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("Register an employer")})


# --- union bodies --------------------------------------------------------------------------------


@login_required
def union_body_list(request):
    form = forms.UnionBodyFilterForm(request.GET)
    form.is_valid()
    filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = union_selectors.union_body_list(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/union_body_list.html", {"page": page, "form": form, "filters": filters})


@login_required
def union_body_detail(request, pk: int):
    body = union_selectors.union_body_get(user=request.user, pk=pk)
    return _union_body_page(request, body)


def _union_body_page(request, body, decision_form=None, status=200):
    """The body's page; `decision_form` is a bound recording decision with its errors to show again."""
    members = union_selectors.membership_list(
        user=request.user, filters={"body": body.pk, "status": "active"}
    ).select_related("person", "body")
    cursor = forms.CursorForm(request.GET)
    cursor.is_valid()
    page = keyset_page(
        members,
        keys=("person__name", "pk"),
        after=cursor.cleaned_data.get("after"),
        before=cursor.cleaned_data.get("before"),
        count=False,
    )
    visible = union_selectors.union_body_list(user=request.user)
    return render(
        request,
        "registry/union_body_detail.html",
        {
            "body": body,
            "page": page,
            "cursor_form": cursor,
            "children": visible.filter(parent=body),
            "ancestors": visible.filter(pk__in=[int(p) for p in body.path.strip("/").split("/")[:-1] if p]),
            "officials": union_selectors.official_list(user=request.user, body=body),
            "registrations": union_selectors.registration_list(user=request.user, body=body),
            "can_import": can(request.user, "import_registry"),
            "can_edit": can(request.user, "edit_registry"),
            "can_record": can(request.user, "record_union"),
            "decision_form": decision_form or forms.RegistrationDecisionForm(),
        },
        status=status,
    )


def _import_url(body_pk=None):
    url = reverse("registry:import_start")
    return f"{url}?body={body_pk}" if body_pk else url


# --- import --------------------------------------------------------------------------------------


def _import_job(request, pk):
    job = core_selectors.job_list(user=request.user).filter(pk=pk, kind="registry.import").first()
    if job is None:
        raise Http404
    return job


@capability_required("import_registry")
def import_start(request):
    bodies = union_selectors.union_body_list(user=request.user)
    prefill = forms.ImportPrefillForm(request.GET)
    body_initial = prefill.cleaned_data.get("body") if prefill.is_valid() else None
    if request.method == "GET" and not prefill.is_valid():
        messages.warning(request, _("The union body in the link is not valid; choose one below."))
    form = forms.ImportForm(
        request.POST or None, request.FILES or None, bodies=bodies, initial={"body": body_initial}
    )
    if request.method == "POST" and form.is_valid():
        body = bodies.filter(pk=form.cleaned_data["body"]).first() if form.cleaned_data["body"] else None
        upload = form.cleaned_data["file"]
        job = services.registry_import_start(
            actor=request.user,
            upload=upload,
            filename=upload.name,
            body=body,
            strict=form.cleaned_data["strict"],
            idempotency_key=request_idempotency_key(request, "registry.import"),
        )
        return redirect("registry:import_detail", pk=job.pk)
    return render(request, "registry/import_start.html", {"form": form})


@login_required
def import_detail(request, pk: int):
    job = _import_job(request, pk)
    return _import_page(request, job)


def _import_page(request, job, columns_form=None, status=200):
    template = "registry/import_detail.html#status" if request.htmx else "registry/import_detail.html"
    return render(
        request,
        template,
        {
            "job": job,
            "result": job.result or {},
            "can_import": can(request.user, "import_registry"),
            "columns_form": columns_form
            or forms.ImportColumnsForm(
                initial={"header_row": (job.result or {}).get("header_row")},
                columns=(job.result or {}).get("column_preview") or [],
            ),
        },
        status=status,
    )


@capability_required("import_registry")
def import_commit(request, pk: int):
    job = _import_job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    result = job.result or {}
    if job.status != job.Status.SUCCEEDED or result.get("mode") != "validate" or not result.get("valid"):
        messages.error(request, _("Only a finished validation with valid rows can be committed."))
        return redirect("registry:import_detail", pk=job.pk)
    body = None
    if result.get("body_id"):
        body = union_selectors.union_body_get(user=request.user, pk=result["body_id"])
    with job.input_file.open("rb") as fh:
        new = services.registry_import_start(
            actor=request.user,
            upload=File(fh, name=result.get("filename") or "import"),
            filename=result.get("filename") or "import",
            body=body,
            mode="commit",
            strict=job.params.get("strict", False),
            mapping=job.params.get("mapping"),
            header_row=job.params.get("header_row"),
            # one commit per checked file: pressing "Import" twice returns the first commit job
            idempotency_key=f"registry.import:commit-of:{job.pk}",
        )
    return redirect("registry:import_detail", pk=new.pk)


@capability_required("import_registry")
def import_remap(request, pk: int):
    """Check the same file again with the columns as the official mapped them in the preview."""
    job = _import_job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    result = job.result or {}
    if job.status != job.Status.SUCCEEDED or result.get("mode") != "validate":
        messages.error(request, _("Only a finished validation can be checked again."))
        return redirect("registry:import_detail", pk=job.pk)
    form = forms.ImportColumnsForm(request.POST, columns=result.get("column_preview") or [])
    if not form.is_valid():  # the mapping again, with the message on the columns form
        return _import_page(request, job, columns_form=form, status=400)
    body = None
    if result.get("body_id"):
        body = union_selectors.union_body_get(user=request.user, pk=result["body_id"])
    with job.input_file.open("rb") as fh:
        new = services.registry_import_start(
            actor=request.user,
            upload=File(fh, name=result.get("filename") or "import"),
            filename=result.get("filename") or "import",
            body=body,
            strict=job.params.get("strict", False),
            mapping=form.mapping(),
            header_row=form.cleaned_data.get("header_row") or result.get("header_row"),
            idempotency_key=request_idempotency_key(request, "registry.import"),
        )
    return redirect("registry:import_detail", pk=new.pk)


@capability_required("import_registry")
def import_template(request):
    form = forms.TemplateFormatForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "core/error.html",
            {"message": _("Choose the template as XLSX or CSV."), "code": "invalid"},
            status=400,
        )
    if form.cleaned_data["format"] == "csv":
        response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-anggota.csv"'
    else:
        response = HttpResponse(importer.template_xlsx(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="templat-anggota.xlsx"'
    return response


# --- duplicates ----------------------------------------------------------------------------------


@capability_required("merge_people")
def duplicate_list(request):
    form = forms.DuplicateFilterForm(request.GET)
    status = (form.cleaned_data["status"] if form.is_valid() else None) or "open"
    qs = selectors.duplicate_list(user=request.user, status=status if status != "all" else None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/duplicate_list.html", {"page": page, "status": status, "form": form})


@capability_required("merge_people")
@require_POST
def duplicate_run(request):
    scope = user_scope(request.user)
    region = "" if scope.is_global else (scope.region_prefixes[0] if len(scope.region_prefixes) == 1 else "")
    job = job_start(
        kind="registry.duplicates",
        user=request.user,
        params={"region": region},
        title=_("Find probable duplicates"),
        lock_key=f"registry.duplicates:{region or 'all'}",
        idempotency_key=request_idempotency_key(request, "registry.duplicates"),
    )
    return redirect("core:job_detail", pk=job.pk)


@capability_required("merge_people")
def duplicate_detail(request, pk: int):
    candidate = selectors.duplicate_list(user=request.user, status=None).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    form = forms.DuplicateDecisionForm(
        request.POST or None, candidate=candidate, initial={"keep": candidate.person_a_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "not_duplicate":
                services.duplicate_mark_not(actor=request.user, candidate=candidate)
                messages.success(request, _("Remembered: these are two different people."))
            else:
                keep = services.duplicate_merge(
                    actor=request.user, candidate=candidate, keep_id=form.cleaned_data["keep"]
                )
                messages.success(request, _("Merged into %(name)s.") % {"name": keep.name})
                return redirect("registry:person_detail", pk=keep.pk)
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            return redirect("registry:duplicate_list")
    return render(
        request,
        "registry/duplicate_detail.html",
        {"c": candidate, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- union bodies: lower bodies, recording at the agency, officials ----------------------------


def _federation_of(body):
    ids = [int(p) for p in body.path.strip("/").split("/") if p]
    return UnionBody.objects.filter(pk__in=ids, kind=UnionBody.Kind.FEDERATION).order_by("-path").first()


@capability_required("edit_registry")
def union_body_add(request, pk: int):
    parent = union_selectors.union_body_get(user=request.user, pk=pk)
    federation = _federation_of(parent)
    levels = UnionLevel.objects.filter(federation=federation) if federation else UnionLevel.objects.none()
    kinds = [(k, label) for k, label in UnionBody.Kind.choices if k in ("union", "unit")]
    if parent.kind == UnionBody.Kind.CONFEDERATION:
        kinds = [(k, label) for k, label in UnionBody.Kind.choices if k in ("federation", "union")]
    employers = selectors.employer_list(user=request.user)[:500]
    form = forms.UnionBodyForm(
        request.POST or None,
        kinds=kinds,
        levels=levels,
        employers=employers,
        initial={"region_id": parent.region_id, "kind": "unit"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            body = union_services.union_body_create(
                actor=request.user,
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                parent=parent,
                level=levels.filter(pk=data["level"]).first() if data["level"] else None,
                region_id=data["region_id"],
                employer=employers.filter(pk=data["employer"]).first() if data["employer"] else None,
                sector=data["sector"],
            )
        except SinergiError as exc:
            exc.add_to_form(form, aliases=_FIELD_ALIASES)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:union_body_detail", pk=body.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("New body under %(name)s") % {"name": parent}},
    )


@login_required
def union_registration(request, pk: int):
    """Submit the body for recording (union side) or decide a recording (agency, `record_union`).
    A decision is parsed by `RegistrationDecisionForm` (the request must be one of this body's, in
    scope); a bad value shows the body's page again with the message on the field."""
    body = union_selectors.union_body_get(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if "registration" in request.POST:
        form = forms.RegistrationDecisionForm(
            request.POST, registrations=union_selectors.registration_list(user=request.user, body=body)
        )
        if form.is_valid():
            try:
                union_services.registration_decide(
                    actor=request.user,
                    registration=form.cleaned_data["registration"],
                    status=form.cleaned_data["status"],
                    record_number=form.cleaned_data["record_number"],
                    record_date=form.cleaned_data["record_date"],
                    note=form.cleaned_data["note"],
                )
            except SinergiError as exc:
                exc.add_to_form(form, aliases=_FIELD_ALIASES)
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:union_body_detail", pk=body.pk)
        return _union_body_page(request, body, decision_form=form, status=400)
    try:  # submitting for recording takes no input; a refusal (no agency) is a page message
        agency = (
            Organisation.objects.filter(
                kind=OrgKind.AGENCY, region_id__in=[body.region_id[:4], body.region_id[:2]]
            )
            .order_by("-region_id")
            .first()
        )
        if agency is None:
            raise SinergiError(
                _("No manpower agency is registered for this body's region."), code="no_agency"
            )
        union_services.registration_submit(
            actor=request.user, body=body, agency=agency, submitted_on=clock.today()
        )
        messages.success(request, _("Saved."))
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    return redirect("registry:union_body_detail", pk=body.pk)


@capability_required("edit_registry")
def union_official_add(request, pk: int):
    body = union_selectors.union_body_get(user=request.user, pk=pk)
    form = forms.OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = selectors.person_list(user=request.user).filter(nik=data["nik"]).first()
        if person is None:
            form.add_error("nik", _("No person with this NIK in your scope; register or import them first."))
        else:
            try:
                union_services.official_add(
                    actor=request.user,
                    body=body,
                    person=person,
                    position=data["position"],
                    term_start=data["term_start"],
                    term_end=data["term_end"],
                )
            except SinergiError as exc:
                exc.add_to_form(form, aliases=_FIELD_ALIASES)
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:union_body_detail", pk=body.pk)
    return render(
        request, "registry/form.html", {"form": form, "title": _("Official of %(name)s") % {"name": body}}
    )
