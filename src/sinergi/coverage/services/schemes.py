"""Sponsored enrolment schemes: creation, the close at the end of the budget year and the renewal into
the next year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_transition
from sinergi.core.errors import Conflict, SinergiError
from sinergi.coverage.models import (
    Participation,
    PayerKind,
    Scheme,
    SchemeQuota,
    Segment,
    WageReport,
)
from sinergi.coverage.pricing import scheme_package
from sinergi.coverage.services.common import scope_check_region
from sinergi.rules import contributions as rules
from sinergi.rules.benefits import pension_age
from sinergi.rules.vulnerable import vulnerability

if TYPE_CHECKING:
    from sinergi.accounts.models import User

SCHEME_FIELDS = (
    "name",
    "legal_basis",
    "year",
    "target",
    "budget",
    "eligible_occupations",
    "occupation_priority",
    "max_welfare_decile",
    "require_vulnerable",
    "include_jht",
    "billing_cycle",
)


@transaction.atomic
def scheme_create(
    *,
    actor: User,
    sponsor_organisation,
    agency,
    region=None,
    region_id=None,
    branch=None,
    quotas=None,
    **fields,
) -> Scheme:
    require(actor, "manage_schemes")
    region_id = region.code if region is not None else region_id
    if not region_id:
        raise SinergiError(_("Choose the region."), field="region")
    scope_check_region(actor, region_id)
    unknown = set(fields) - set(SCHEME_FIELDS)
    if unknown:
        raise SinergiError(f"unknown fields {sorted(unknown)}")
    if int(fields.get("target") or 0) <= 0:
        raise SinergiError(_("The target must be at least 1."), field="target")
    if Decimal(fields.get("budget") or 0) < 0:
        raise SinergiError(_("The budget cannot be negative."), field="budget")
    scheme = Scheme(
        sponsor_organisation=sponsor_organisation,
        agency=agency,
        branch=branch,
        region_id=region_id,
        created_by=actor,
        **fields,
    )
    scheme_package(scheme)  # the rules must cover the year
    scheme.save()
    for region_code, quota in (quotas or {}).items():
        SchemeQuota.objects.create(scheme=scheme, region_id=region_code, quota=int(quota))
    audit_create(actor=actor, obj=scheme)
    return scheme


def closed_year_error(scheme: Scheme) -> Conflict:
    renewed = getattr(scheme, "renewed_as", None)
    if renewed is not None:
        return Conflict(
            _("The %(year)s budget year of this scheme is closed; work in the %(new)s scheme instead.")
            % {"year": scheme.year, "new": renewed.year},
            code="year_closed",
        )
    return Conflict(
        _("The %(year)s budget year of this scheme is closed: renew the scheme for the current year first.")
        % {"year": scheme.year},
        code="year_closed",
    )


def scheme_close_if_over(*, scheme: Scheme, actor: User | None = None, today: dt.date | None = None) -> bool:
    """Close the scheme if its budget year is over (the check on first use after the year's end).
    Runs in its own transaction so the closing stays even when the caller's action is refused."""
    today = today or clock.today()
    if scheme.status != Scheme.Status.OPEN or not scheme.year_over(today):
        return False
    with transaction.atomic():
        changed = Scheme.objects.filter(pk=scheme.pk, status=Scheme.Status.OPEN).update(
            status=Scheme.Status.CLOSED, updated_at=clock.now()
        )
        if changed:
            audit_transition(
                actor=actor,
                obj=scheme,
                from_status="open",
                to_status="closed",
                note=f"budget year {scheme.year} ended",
            )
    scheme.status = Scheme.Status.CLOSED
    return bool(changed)


def schemes_year_close(*, actor: User | None = None, today: dt.date | None = None) -> int:
    """Close every open scheme whose budget year has ended (the scheduled year-end job). Idempotent."""
    today = today or clock.today()
    closed = 0
    for scheme in Scheme.objects.filter(status=Scheme.Status.OPEN, year__lt=today.year):
        closed += scheme_close_if_over(scheme=scheme, actor=actor, today=today)
    return closed


def _renewal_check(scheme: Scheme, person, start: dt.date) -> str | None:
    """Why a participant of the old year is not carried into `scheme` (None: carried). Re-checked on
    the new year's rules: alive, still vulnerable (income and occupation), occupation and welfare
    decile of the scheme, below pension age."""
    if person.is_deceased or person.merged_into_id:
        return str(_("deceased")) if person.is_deceased else str(_("record merged"))
    if person.employment_type != "informal":
        return str(_("no longer an informal worker"))
    if scheme.require_vulnerable:
        vulnerable, _reason = vulnerability(
            employment_type=person.employment_type,
            occupation=person.occupation,
            declared_income=person.declared_income,
            on=start,
        )
        if not vulnerable:
            return str(_("no longer vulnerable (income or occupation)"))
    if scheme.eligible_occupations and person.occupation not in scheme.eligible_occupations:
        return str(_("occupation not covered by the scheme"))
    if (
        scheme.max_welfare_decile
        and person.welfare_decile
        and person.welfare_decile > scheme.max_welfare_decile
    ):
        return str(_("welfare decile above the scheme's limit"))
    age_limit, _basis = pension_age(start.year)
    age = (
        start.year
        - person.birth_date.year
        - ((start.month, start.day) < (person.birth_date.month, person.birth_date.day))
    )
    if age >= age_limit:
        return str(_("reached pension age (%(age)s)") % {"age": age_limit})
    return None


@transaction.atomic
def scheme_renew(*, actor: User, scheme: Scheme, budget=None, target=None) -> Scheme:
    """Open the scheme for the current budget year (one renewal reaches it, however many years were
    missed) and carry over the participants of the last year who are still eligible.

    Each participant is re-checked (see `_renewal_check`), then admitted in the old ranking order
    while the new year's target, the district quotas and the budget (12 months at the new year's
    package price) allow. The carried participants get a new participation for the new year (same
    participant number, the new year's minimum declared income); the old year's stays as history.
    Those dropped are listed with their reason in the new scheme's `renewal_report`.
    """
    require(actor, "manage_schemes")
    scope_check_region(actor, scheme.region_id)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    today = clock.today()
    new = _renewal_scheme(actor=actor, scheme=scheme, today=today, budget=budget, target=target)
    package = scheme_package(new)  # the new year's rates (dated rule tables)
    new.save()
    quotas = {q.region_id: q.quota for q in scheme.quotas.all()}
    for code, quota in quotas.items():
        SchemeQuota.objects.create(scheme=new, region_id=code, quota=quota)
    start = max(dt.date(new.year, 1, 1), today.replace(day=1))
    cost_each = package * (12 - start.month + 1)
    carried, dropped = _renewal_select(
        scheme=scheme, new=new, start=start, cost_each=cost_each, quotas=quotas
    )
    _renewal_enrol(actor=actor, new=new, carried=carried, start=start)
    # the old year's cover ends with its year (if it was still open-ended)
    last_year_end = dt.date(scheme.year, 12, 31)
    Participation.objects.filter(scheme=scheme, end_date__isnull=True).update(end_date=last_year_end)
    new.renewal_report = {
        "from_year": scheme.year,
        "to_year": new.year,
        "start": start.isoformat(),
        "package": int(package),
        "carried": len(carried),
        "dropped": dropped,
    }
    new.save(update_fields=["renewal_report"])
    _renewal_close_old(actor=actor, scheme=scheme)
    audit_create(
        actor=actor,
        obj=new,
        purpose=f"renewal of {scheme.pk}: {len(carried)} carried over, {len(dropped)} dropped",
    )
    return new


def _renewal_scheme(*, actor: User, scheme: Scheme, today: dt.date, budget, target) -> Scheme:
    """The new year's scheme (not saved yet): the old one's settings for the current budget year."""
    if Scheme.objects.filter(renewed_from=scheme).exists():
        raise Conflict(_("This scheme has already been renewed."))
    new_year = max(scheme.year + 1, today.year)
    if Scheme.objects.filter(
        sponsor_organisation=scheme.sponsor_organisation, name=scheme.name, year=new_year
    ).exists():
        raise Conflict(_("This scheme already exists for %(year)s.") % {"year": new_year})
    fields = {f: getattr(scheme, f) for f in SCHEME_FIELDS}
    fields["year"] = new_year
    if budget is not None:
        fields["budget"] = Decimal(budget)
    if target is not None:
        fields["target"] = int(target)
    return Scheme(
        sponsor_organisation=scheme.sponsor_organisation,
        agency=scheme.agency,
        branch=scheme.branch,
        region=scheme.region,
        created_by=actor,
        renewed_from=scheme,
        **fields,
    )


def _renewal_select(
    *, scheme: Scheme, new: Scheme, start: dt.date, cost_each: Decimal, quotas: dict[str, int]
) -> tuple[list[Participation], list[dict]]:
    """The last year's participants carried into `new` (in ranking order) and those dropped, each
    with the reason: no longer eligible, target reached, budget used up or district quota full."""
    last_year_end = dt.date(scheme.year, 12, 31)
    # the participants of the last year: covered on its last day (not pending, not ended earlier)
    old_parts = list(
        Participation.objects.filter(scheme=scheme)
        .exclude(status__in=[Participation.Status.PENDING, Participation.Status.LAPSED])
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=last_year_end))
        .select_related("person")
        .order_by("pk")  # the ranking order: participations were created rank by rank
    )
    carried: list[Participation] = []
    dropped: list[dict] = []
    taken = dict.fromkeys(quotas, 0)
    for part in old_parts:
        person = part.person
        reason = _renewal_check(new, person, start)
        if reason is None and len(carried) >= new.target:
            reason = str(_("the new year's target is reached"))
        if reason is None and cost_each * (len(carried) + 1) > new.budget:
            reason = str(_("the new year's budget is used up"))
        code = next((c for c in quotas if person.domicile_region_id.startswith(c)), None)
        if reason is None and quotas and (code is None or taken[code] >= quotas[code]):
            reason = str(_("the district's quota is full"))
        if reason is not None:
            dropped.append({"nik": person.nik[:6] + "…", "name": person.name, "reason": reason})
            continue
        if code is not None:
            taken[code] += 1
        carried.append(part)
    return carried, dropped


def _renewal_enrol(*, actor: User, new: Scheme, carried: list[Participation], start: dt.date) -> None:
    """The new year's participations of the carried participants (same participant number, the new
    year's minimum declared income) and their wage reports, set-based."""
    income = rules.BPU_MIN_INCOME.value_at(start)
    new_parts = [
        Participation(
            person_id=p.person_id,
            segment=Segment.BPU,
            jkk=True,
            jkm=True,
            jht=new.include_jht,
            payer_kind=PayerKind.SPONSOR,
            sponsor_organisation_id=new.sponsor_organisation_id,
            scheme=new,
            region_id=p.region_id,
            participant_number=p.participant_number,
            start_date=start,
            end_date=dt.date(new.year, 12, 31),
            status=Participation.Status.ACTIVE if p.participant_number else Participation.Status.PENDING,
            wage=income,
        )
        for p in carried
    ]
    Participation.objects.bulk_create(new_parts, batch_size=1000)
    if new_parts and new_parts[0].pk is None:  # backends without RETURNING ids
        by_person = dict(Participation.objects.filter(scheme=new).values_list("person_id", "pk"))
        for p in new_parts:
            p.pk = by_person[p.person_id]
    WageReport.objects.bulk_create(
        [
            WageReport(participation_id=p.pk, amount=income, valid_from=start, reported_by=actor)
            for p in new_parts
        ],
        batch_size=1000,
    )


def _renewal_close_old(*, actor: User, scheme: Scheme) -> None:
    before = scheme.status
    if before != Scheme.Status.CLOSED:
        scheme.status = Scheme.Status.CLOSED
        scheme.save(update_fields=["status", "updated_at"])
        audit_transition(actor=actor, obj=scheme, from_status=before, to_status="closed", note="renewed")
