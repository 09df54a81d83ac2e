"""Writes for people, families, employers, NIK reveals and merges. Every write is atomic and audited."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinergi import DOMAIN_APPS
from sinergi.accounts.permissions import require
from sinergi.core import clock, subject
from sinergi.core.audit import audit_create, audit_record, audit_update, snapshot
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.core.jobs import job_start
from sinergi.core.money import MAX_RUPIAH
from sinergi.core.privacy import reveal
from sinergi.core.repoint import repoint
from sinergi.regions.models import Region
from sinergi.registry.models import (
    DuplicateCandidate,
    Employer,
    Employment,
    FamilyMember,
    ImportMapping,
    Person,
)
from sinergi.registry.nik_text import nik_problems_text
from sinergi.registry.normalize import PhoneError, normalise_phone
from sinergi.rules.nik import NikInfo, check_nik_against, clean_nik, parse_nik
from sinergi.rules.vulnerable import vulnerability
from sinergi.unions.selectors import union_body_get

if TYPE_CHECKING:
    from sinergi.accounts.models import User

PERSON_FIELDS = (
    "nik",
    "kk_number",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "domicile_region_id",
    "address",
    "phone",
    "occupation",
    "employment_type",
    "informal_sector",
    "declared_income",
    "welfare_decile",
)


def _as_date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SinergiError(
            _("%(field)s: %(value)s is not a date (use YYYY-MM-DD).") % {"field": field, "value": value},
            code="bad_date",
            field=field,
        )


def _required_date(value, field: str) -> dt.date:
    found = _as_date(value, field)
    if found is None:
        raise SinergiError(_("This field is required."), code="required", field=field)
    return found


def nik_validate(nik: str, *, birth_date: dt.date | None = None, sex: str | None = None) -> NikInfo:
    """Parse `nik` and check it against what was entered; raise SinergiError with every problem."""
    info = parse_nik(nik, today=clock.today(), birth_year_hint=birth_date.year if birth_date else None)
    problems = list(info.errors)
    if info.valid:
        problems += check_nik_against(info, birth_date=birth_date, sex=sex)
    if problems:
        raise SinergiError(nik_problems_text(problems), code=problems[0].code, field="nik")
    return info


def _clean_person(data: dict, *, current: Person | None = None) -> dict:
    """Validate and normalise person fields; returns the values to store. The checks run in the
    order a form shows them: name, sex, NIK, domicile, phone, KK, income, decile, employment type."""
    values, merged = _person_values(data, current)
    info = _clean_identity(values, merged)
    values["domicile_region_id"] = _clean_domicile(merged, info)
    if "phone" in values:
        values["phone"] = _clean_phone(values["phone"])
    _check_kk_number(merged)
    income = _clean_income(merged)
    if income is not None:
        values["declared_income"] = income
    _check_welfare_decile(merged)
    employment_type = _clean_employment_type(merged)
    values["is_vulnerable"], values["vulnerable_reason"] = vulnerability(
        employment_type=employment_type,
        occupation=merged.get("occupation"),
        declared_income=income,
        on=clock.today(),
    )
    return values


def _person_values(data: dict, current: Person | None) -> tuple[dict, dict]:
    """(the fields sent, the person as it will be: its current fields overlaid with those sent)."""
    values = {k: data[k] for k in PERSON_FIELDS if k in data}
    if "domicile_region" in data and "domicile_region_id" not in values:
        region = data["domicile_region"]
        values["domicile_region_id"] = getattr(region, "pk", region)
    merged = {k: getattr(current, k) for k in PERSON_FIELDS} if current else {}
    merged.update(values)
    return values, merged


def _clean_identity(values: dict, merged: dict) -> NikInfo:
    """Name, sex and NIK (checked against the birth date and sex entered); fills in what the NIK
    tells when it was not entered."""
    name = str(merged.get("name") or "").strip()
    if not name:
        raise SinergiError(_("Name is required."), code="required", field="name")
    values["name"] = name
    birth_date = _as_date(merged.get("birth_date"), "birth_date")
    sex = merged.get("sex") or None
    if sex not in (None, "M", "F"):
        raise SinergiError(_("Sex must be M or F."), code="bad_sex", field="sex")
    nik = str(merged.get("nik") or "").strip()
    info = nik_validate(nik, birth_date=birth_date, sex=sex)
    values["nik"] = info.nik  # as typed, without the spaces, dots and dashes
    values["birth_date"] = birth_date or info.birth_date
    values["sex"] = sex or info.sex
    return info


def _clean_domicile(merged: dict, info: NikInfo) -> str:
    """The domicile district's code: the one entered, else the NIK's district; it must exist."""
    region_id = merged.get("domicile_region_id") or info.district_code
    region_id = str(region_id).replace(".", "")
    if len(region_id) != 6 or not Region.objects.filter(code=region_id).exists():
        raise SinergiError(
            _("Domicile must be a district (6-digit Kemendagri code); %(code)s is not one.")
            % {"code": region_id},
            code="bad_region",
            field="domicile_region",
        )
    return region_id


def _clean_phone(phone) -> str:
    try:
        return normalise_phone(phone)
    except PhoneError:
        raise SinergiError(
            _("Phone %(value)s is not an Indonesian number (e.g. 0812-3456-7890).") % {"value": phone},
            code="bad_phone",
            field="phone",
        )


def _check_kk_number(merged: dict) -> None:
    kk = str(merged.get("kk_number") or "").strip()
    if kk and (len(kk) != 16 or not kk.isdigit()):
        raise SinergiError(_("KK number must be 16 digits."), code="bad_kk", field="kk_number")


def _clean_income(merged: dict) -> Decimal | None:
    """The declared income in whole rupiah, or None when none was declared."""
    income = merged.get("declared_income")
    if income in (None, ""):
        return None
    try:
        amount = Decimal(str(income))
    except InvalidOperation:
        amount = Decimal(-1)
    if amount < 0 or amount != amount.to_integral_value():
        raise SinergiError(
            _("Income must be a whole number of rupiah."), code="bad_amount", field="declared_income"
        )
    if amount > MAX_RUPIAH:
        raise SinergiError(
            _("Income is larger than any amount Sinergi keeps (at most Rp 1.000.000.000.000.000)."),
            code="bad_amount",
            field="declared_income",
        )
    return amount


def _check_welfare_decile(merged: dict) -> None:
    decile = merged.get("welfare_decile")
    if decile not in (None, "") and not 1 <= int(decile) <= 10:
        raise SinergiError(_("DTSEN decile must be 1 to 10."), code="bad_decile", field="welfare_decile")


def _clean_employment_type(merged: dict) -> str:
    employment_type = merged.get("employment_type") or Person.EmploymentType.FORMAL
    if employment_type not in Person.EmploymentType.values:
        raise SinergiError(_("Unknown employment type."), code="bad_choice", field="employment_type")
    return employment_type


def person_create(*, actor: User, **data) -> Person:
    require(actor, "edit_registry")
    values = _clean_person(data)
    if Person.objects.filter(nik=values["nik"]).exists():
        raise Conflict(_("A person with this NIK is already registered."), code="nik_exists", field="nik")
    with transaction.atomic():
        person = Person.objects.create(**values)
        audit_create(actor=actor, obj=person)
    return person


def person_update(*, actor: User, person: Person, **data) -> Person:
    require(actor, "edit_registry")
    values = _clean_person(data, current=person)
    before = snapshot(person)
    if (
        values["nik"] != person.nik
        and Person.objects.filter(nik=values["nik"]).exclude(pk=person.pk).exists()
    ):
        raise Conflict(_("A person with this NIK is already registered."), code="nik_exists", field="nik")
    with transaction.atomic():
        for key, value in values.items():
            setattr(person, key, value)
        person.save()
        audit_update(actor=actor, obj=person, before=before)
    return person


def person_reveal_nik(*, actor: User, person: Person, purpose: str) -> str:
    """The full NIK, after checking the capability and writing who/why to the audit log."""
    require(actor, "reveal_nik")
    return reveal(actor=actor, obj=person, field="nik", value=person.nik, purpose=purpose)


def person_reveal_identity(*, actor: User, person: Person, purpose: str) -> dict:
    """NIK, birth date and phone in full, as one audited reveal (who, which fields, why)."""
    require(actor, "reveal_nik")
    fields = {"nik": person.nik, "birth_date": person.birth_date, "phone": person.phone}
    return reveal(actor=actor, obj=person, field=",".join(fields), value=fields, purpose=purpose)


def family_member_add(*, actor: User, person: Person, **data) -> FamilyMember:
    require(actor, "edit_registry")
    if data.get("relation") not in FamilyMember.Relation.values:
        raise SinergiError(_("Choose the family relation."), code="bad_choice", field="relation")
    if not str(data.get("name") or "").strip():
        raise SinergiError(_("Name is required."), code="required", field="name")
    nik = clean_nik(str(data.get("nik") or "").strip())
    birth_date = _as_date(data.get("birth_date"), "birth_date")
    if nik:
        info = nik_validate(nik, birth_date=birth_date, sex=data.get("sex") or None)
        data.setdefault("sex", info.sex)
        birth_date = birth_date or info.birth_date
        data.setdefault("relative", Person.objects.filter(nik=nik).first())
    data["birth_date"] = birth_date
    with transaction.atomic():
        member = FamilyMember.objects.create(person=person, **data)
        audit_create(actor=actor, obj=member)
    return member


def family_member_update(*, actor: User, member: FamilyMember, **data) -> FamilyMember:
    require(actor, "edit_registry")
    before = snapshot(member)
    with transaction.atomic():
        for key, value in data.items():
            setattr(member, key, value)
        member.save()
        audit_update(actor=actor, obj=member, before=before)
    return member


EMPLOYER_FIELDS = (
    "name",
    "nib",
    "npwp",
    "sector",
    "jkk_risk_class",
    "region_id",
    "size",
    "address",
    "bpjs_number",
    "labour_intensive_industry",
)


def _clean_employer(data: dict) -> dict:
    values = {k: v for k, v in data.items() if k in EMPLOYER_FIELDS}
    if "region" in data:
        values["region_id"] = getattr(data["region"], "pk", data["region"])
    if "name" in values and not str(values["name"]).strip():
        raise SinergiError(_("Name is required."), code="required", field="name")
    if "jkk_risk_class" in values and not 1 <= int(values["jkk_risk_class"]) <= 5:
        raise SinergiError(_("JKK risk class must be 1 to 5."), code="bad_risk", field="jkk_risk_class")
    if "region_id" in values and not Region.objects.filter(pk=str(values["region_id"] or "")).exists():
        raise SinergiError(
            _("Unknown region code %(code)s.") % {"code": values["region_id"]},
            code="bad_region",
            field="region_id",
        )
    if "size" in values and values["size"] not in Employer.Size.values:
        raise SinergiError(_("Unknown company size."), code="bad_choice", field="size")
    for key in ("nib", "npwp"):
        raw = str(values.get(key) or "").replace(".", "").replace("-", "").strip()
        if raw and not raw.isdigit():
            raise SinergiError(_("%(field)s must contain digits only.") % {"field": key.upper()}, field=key)
        if key in values:
            values[key] = raw
    return values


def employer_create(*, actor: User, **data) -> Employer:
    require(actor, "edit_registry")
    values = _clean_employer(data)
    if "region_id" not in values:
        raise SinergiError(_("Region is required."), code="required", field="region")
    with transaction.atomic():
        employer = Employer.objects.create(**values)
        audit_create(actor=actor, obj=employer)
    return employer


def employer_update(*, actor: User, employer: Employer, **data) -> Employer:
    require(actor, "edit_registry")
    values = _clean_employer(data)
    before = snapshot(employer)
    with transaction.atomic():
        for key, value in values.items():
            setattr(employer, key, value)
        employer.save()
        audit_update(actor=actor, obj=employer, before=before)
    return employer


def employment_add(
    *, actor: User, person: Person, employer: Employer, start_date, wage=None, **extra
) -> Employment:
    require(actor, "edit_registry")
    if wage is not None and Decimal(str(wage)) < 0:
        raise SinergiError(_("Wage cannot be negative."), code="bad_amount", field="wage")
    with transaction.atomic():
        job = Employment.objects.create(
            person=person,
            employer=employer,
            start_date=_required_date(start_date, "start_date"),
            wage=wage,
            **extra,
        )
        audit_create(actor=actor, obj=job)
    return job


# --- duplicates ---------------------------------------------------------------------------------


def _person_fk_fields():
    """Every (model, field) holding a ForeignKey to Person, across all apps, found generically."""
    for rel in Person._meta.related_objects:
        if rel.one_to_many or rel.one_to_one:
            if rel.related_model is DuplicateCandidate:
                continue
            if rel.related_model is Person and rel.field.name == "merged_into":
                continue
            yield rel.related_model, rel.field


def person_merge_hooks() -> dict[str, Callable]:
    """{app label: its `merge.person_merge`}: each app that points at Person moves its own rows.

    An app plugs in with a `merge.py` (like nav.py or home.py); the registry never writes another
    app's tables. An app whose models point at Person without a hook is a programming error: the merge
    refuses rather than leave rows on the dropped record.
    """
    hooks = {}
    for app in DOMAIN_APPS:
        if app != "sinergi.registry" and importlib.util.find_spec(f"{app}.merge") is not None:
            hooks[app.rsplit(".", 1)[-1]] = importlib.import_module(f"{app}.merge").person_merge
    missing = {m._meta.app_label for m, _f in _person_fk_fields()} - set(hooks) - {"registry"}
    if missing:
        raise ImproperlyConfigured(
            f"Apps {sorted(missing)} point at registry.Person but have no merge.py person_merge hook."
        )
    return hooks


def person_merge(
    *, actor: User, keep: Person, drop: Person, candidate: DuplicateCandidate | None = None
) -> Person:
    """Move everything that points at `drop` to `keep`; `drop` stays as history with merged_into.

    Registry moves its own rows; every other app moves its own through its `merge.py` hook (unions
    ends a membership the kept record already holds instead of failing the merge). All in one
    transaction: a hook's Conflict rolls the whole merge back.
    """
    require(actor, "merge_people")
    if keep.pk == drop.pk:
        raise SinergiError(_("A person cannot be merged into themself."), code="same_person")
    if drop.merged_into_id or keep.merged_into_id:
        raise Conflict(_("One of these records was already merged."), code="already_merged")
    hooks = person_merge_hooks()
    moved: dict[str, int] = {}
    with transaction.atomic():
        for _label, hook in hooks.items():
            moved.update(hook(keep=keep, drop=drop))
        moved.update(
            repoint(
                [(Employment, "person"), (FamilyMember, "person"), (FamilyMember, "relative")],
                keep=keep,
                drop=drop,
            )
        )
        before = snapshot(drop, ["merged_into"])
        drop.merged_into = keep
        drop.save(update_fields=["merged_into", "updated_at"])
        Person.objects.filter(merged_into=drop).update(merged_into=keep)
        audit_record(
            actor=actor,
            action="merge",
            obj=keep,
            changes={
                "merged": drop.pk,
                "merged_nik_masked": drop.masked_nik,
                "moved": moved,
                "before": before,
            },
        )
        if candidate is None:
            a, b = sorted((keep.pk, drop.pk))
            candidate = DuplicateCandidate.objects.filter(person_a_id=a, person_b_id=b).first()
        if candidate is not None:
            candidate.status = DuplicateCandidate.Status.MERGED
            candidate.decided_by = actor if getattr(actor, "is_authenticated", False) else None
            candidate.decided_at = clock.now()
            candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return keep


def duplicate_mark_not(*, actor: User, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Remember that the pair is two different people; the job will never propose it again."""
    require(actor, "merge_people")
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise Conflict(_("This pair was already decided."), code="already_decided")
    with transaction.atomic():
        candidate.status = DuplicateCandidate.Status.NOT_DUPLICATE
        candidate.decided_by = actor
        candidate.decided_at = clock.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit_record(
            actor=actor,
            action="transition",
            obj=candidate,
            changes={"status": ["open", "not_duplicate"]},
        )
    return candidate


def duplicate_merge(*, actor: User, candidate: DuplicateCandidate, keep_id: int) -> Person:
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise Conflict(_("This pair was already decided."), code="already_decided")
    if keep_id not in (candidate.person_a_id, candidate.person_b_id):
        raise NotAllowed(_("Keep one of the two records of the pair."), code="bad_keep")
    keep, drop = (
        (candidate.person_a, candidate.person_b)
        if keep_id == candidate.person_a_id
        else (candidate.person_b, candidate.person_a)
    )
    return person_merge(actor=actor, keep=keep, drop=drop, candidate=candidate)


# --- life events (called by sinergi.lifeevents, which checks the permission and the scope) -------


def person_death_mark(*, actor: User, person: Person, death_date: dt.date) -> bool:
    """Mark a person deceased on `death_date`. Idempotent: the same date again changes nothing
    (returns False); a different date for someone already recorded deceased is a Conflict."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.is_deceased and locked.death_date == death_date:
            return False
        if locked.is_deceased and locked.death_date and locked.death_date != death_date:
            raise Conflict(
                _("%(name)s is already recorded as deceased on %(day)s.")
                % {"name": locked.name, "day": locked.death_date.strftime("%d-%m-%Y")},
                code="already_deceased",
                field="death_date",
            )
        if death_date < locked.birth_date:
            raise SinergiError(_("The date of death is before the birth date."), field="death_date")
        before = snapshot(locked, ["is_deceased", "death_date"])
        locked.is_deceased, locked.death_date = True, death_date
        locked.save(update_fields=["is_deceased", "death_date", "updated_at"])
        audit_update(actor=actor, obj=locked, before=before, purpose="death recorded")
        person.is_deceased, person.death_date = True, death_date
    return True


def employments_end(
    *, actor: User, person: Person, end_date: dt.date, employer: Employer | None = None
) -> int:
    """End the person's open employments (with `employer` only, if given) on `end_date`. Idempotent."""
    with transaction.atomic():
        jobs = Employment.objects.select_for_update().filter(person=person, end_date__isnull=True)
        if employer is not None:
            jobs = jobs.filter(employer=employer)
        n = 0
        for job in jobs:
            before = snapshot(job, ["end_date"])
            job.end_date = max(end_date, job.start_date)
            job.save(update_fields=["end_date", "updated_at"])
            audit_update(actor=actor, obj=job, before=before, purpose="employment ended")
            n += 1
    return n


def import_mapping_remember(*, actor: User, body, mapping: dict) -> None:
    """Remember how this union body's list maps its headers (normalised header -> field) for the next
    file. Unchanged mappings write nothing."""
    with transaction.atomic():
        row = ImportMapping.objects.select_for_update().filter(body=body).first()
        if row is None:
            row = ImportMapping.objects.create(body=body, mapping=mapping)
            audit_record(actor=actor, action="create", obj=row, changes={"mapping": mapping})
        elif row.mapping != mapping:
            before = dict(row.mapping)
            row.mapping = {**row.mapping, **mapping}
            row.save(update_fields=["mapping", "updated_at"])
            audit_record(actor=actor, action="update", obj=row, changes={"mapping": [before, row.mapping]})


def person_data_export(
    *, actor: User, person: Person, purpose: str, fmt: str = "json"
) -> tuple[bytes, str, str]:
    """Everything Sinergi holds on `person` (every app's `profile.subject_data`), unmasked, for the
    person's own request (UU 27/2022). Returns (body, content type, file name); audited as an export
    with its purpose."""
    require(actor, "export_subject_data")
    purpose = (purpose or "").strip()
    if not purpose:
        raise SinergiError(
            _("State the purpose (e.g. the person's request and its date)."),
            code="purpose_required",
            field="purpose",
        )
    data = subject.collect(person)
    if fmt == "xlsx":
        body, content_type = (
            subject.as_xlsx(data),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        fmt, body, content_type = "json", subject.as_json(data), "application/json"
    audit_record(
        actor=actor,
        action="export",
        obj=person,
        changes={"subject_export": {k: len(v) for k, v in data.items()}, "format": fmt},
        purpose=purpose,
    )
    return body, content_type, f"data-pribadi-{person.pk}.{fmt}"


def registry_import_start(
    *,
    actor: User,
    upload,
    filename: str,
    body=None,
    mode: str = "validate",
    strict: bool = False,
    language: str | None = None,
    mapping: dict | None = None,
    header_row: int | None = None,
    idempotency_key: str | None = None,
):
    """Start a validate/commit job on an uploaded member list (the page, the API and the commit button
    call this). `body`, when given, must be a union body in the actor's scope."""
    require(actor, "import_registry")
    if body is not None:
        union_body_get(user=actor, pk=body.pk)
    return job_start(
        kind="registry.import",
        user=actor,
        params={
            "mode": mode,
            "body_id": body.pk if body else None,
            "strict": bool(strict),
            "language": (language or get_language() or "id")[:2],
            "filename": filename,
            "actor_id": actor.pk,
            "mapping": mapping or None,
            "header_row": header_row or None,
        },
        title=(_("Validate %(file)s") if mode == "validate" else _("Import %(file)s")) % {"file": filename},
        input_file=upload,
        idempotency_key=idempotency_key,
    )
