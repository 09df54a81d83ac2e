"""Programs API: programs with realisation and eligibility checks, applications (nominate, verify,
approve), cards (including the public verification), distributions and hand-overs, training, the
cooperative. Scoped like the pages; NIKs masked."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.permissions import require
from sinergi.core.apitypes import Count, Date, Id, PageNumberPagination, Year
from sinergi.core.errors import API_MESSAGES, NotFound, SinergiError
from sinergi.core.privacy import mask_nik
from sinergi.core.ratelimit import rate_limited
from sinergi.programs import eligibility, selectors, services

router = Router(tags=["programs"])

_S = "sinergi.programs.selectors."
SCOPED_DETAIL_PATHS = {
    "/programs/{pk}": ("programs.Program", _S + "program_list"),
    "/programs/{pk}/realisation": ("programs.Program", _S + "program_list"),
    "/programs/applications/{pk}": ("programs.Application", _S + "application_list"),
    "/programs/cards/{pk}": ("programs.Card", _S + "card_list"),
    "/programs/distributions/{pk}": ("programs.Distribution", _S + "distribution_list"),
    "/programs/distributions/{pk}/handovers": ("programs.Distribution", _S + "distribution_list"),
    "/programs/training/cohorts/{pk}": ("programs.Cohort", _S + "cohort_list"),
    "/programs/cooperatives/{pk}": ("programs.Cooperative", _S + "cooperative_list"),
    "/programs/cooperatives/members/{pk}": ("programs.CoopMember", _S + "coop_member_list"),
}


class ProgramOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    owner: str
    region: str
    legal_basis: str
    year: int
    start_date: dt.date
    end_date: dt.date
    rules: list[dict]


def _program(p) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "kind": p.kind,
        "owner": str(p.owner),
        "region": p.region_id,
        "legal_basis": p.legal_basis,
        "year": p.year,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "rules": p.rules,
    }


class QuarterOut(Schema):
    quarter: int
    target: int | None
    realised: int


class RealisationOut(Schema):
    year: int
    annual_target: int | None
    realised: int
    percent: Decimal | None
    quarters: list[QuarterOut]


class CheckOut(Schema):
    rule: str
    label: str
    passed: bool
    values: str


class EligibilityOut(Schema):
    eligible: bool
    wage_ceiling: Decimal | None
    ceiling_basis: str
    checks: list[CheckOut]


@router.get("/", response=list[ProgramOut])
def programs(request, kind: str | None = None):
    return [_program(p) for p in selectors.program_list(user=request.user, kind=kind)]


class ProgramIn(Schema):
    code: str
    name: str
    kind: str
    region: str
    legal_basis: str
    year: Year
    start_date: Date
    end_date: Date
    rules: list[dict] = []
    ump_decree: str = ""
    description: str = ""


@router.post("/", response={201: ProgramOut})
def create_program(request, payload: ProgramIn):
    """A new program owned by your organisation, in your region; rules are validated."""
    data = payload.dict()
    data["region_id"] = data.pop("region")
    return 201, _program(services.program_create(actor=request.user, **data))


class TargetIn(Schema):
    year: Year
    annual: Count
    quarters: list[Count] | None = None


@router.put("/{int:pk}/targets", response=RealisationOut)
def set_target(request, pk: Id, payload: TargetIn):
    """Set the year's target and optional quarterly split (the quarters must add up)."""
    prog = selectors.program_get(user=request.user, pk=pk)
    services.program_target_set(
        actor=request.user, program=prog, year=payload.year, annual=payload.annual, quarters=payload.quarters
    )
    return selectors.realisation(program=prog, year=payload.year)


@router.get("/{int:pk}", response=ProgramOut)
def program(request, pk: Id):
    return _program(selectors.program_get(user=request.user, pk=pk))


@router.get("/{int:pk}/realisation", response=RealisationOut)
def program_realisation(request, pk: Id):
    return selectors.realisation(program=selectors.program_get(user=request.user, pk=pk))


@router.get("/{int:pk}/eligibility", response=EligibilityOut)
def program_eligibility(request, pk: Id, nik: str):
    """Which rule passed or failed for one person (by NIK, in your scope), with the values."""
    prog = selectors.program_get(user=request.user, pk=pk)
    person = selectors.person_find(user=request.user, nik=nik)
    if person is None:
        raise NotFound(_("No person with that NIK in your scope."), field="nik")
    ctx = eligibility.program_context(prog)
    checks = eligibility.explain(prog, person, ctx)
    return {
        "eligible": all(c["passed"] for c in checks),
        "wage_ceiling": ctx.wage_ceiling,
        "ceiling_basis": ctx.ceiling_basis,
        "checks": checks,
    }


class ApplicationOut(Schema):
    id: int
    program: str
    person_name: str
    nik_masked: str
    union_body: str | None
    status: str
    wage_ceiling: Decimal | None
    created_at: dt.datetime


def _application(a) -> dict:
    return {
        "id": a.pk,
        "program": a.program.code,
        "person_name": a.person.name,
        "nik_masked": mask_nik(a.person.nik),
        "union_body": str(a.union_body) if a.union_body_id else None,
        "status": a.status,
        "wage_ceiling": a.wage_ceiling,
        "created_at": a.created_at,
    }


@router.get("/applications", response=list[ApplicationOut])
@paginate(PageNumberPagination, page_size=50)
def applications(request, status: str | None = None, program: Id | None = None):
    qs = selectors.application_list(user=request.user, filters={"status": status, "program": program})
    return [_application(a) for a in qs]


@router.get("/applications/{int:pk}", response=ApplicationOut)
def application(request, pk: Id):
    return _application(selectors.application_get(user=request.user, pk=pk))


class NominateIn(Schema):
    program: Id
    people: list[Id]
    title: str = ""


class NominateOut(Schema):
    created: int
    refused: list[tuple[int, str]]


@router.post("/applications", response={201: NominateOut})
def nominate(request, payload: NominateIn):
    require(request.user, "nominate")
    prog = selectors.program_get(user=request.user, pk=payload.program)
    result = services.nominate(
        actor=request.user, program=prog, person_ids=payload.people, title=payload.title
    )
    return 201, {"created": result["created"], "refused": result["refused"]}


class NoteIn(Schema):
    note: str = ""


@router.post("/applications/{int:pk}/verify", response=ApplicationOut)
def verify_application(request, pk: Id, payload: NoteIn):
    app = selectors.application_get(user=request.user, pk=pk)
    return _application(services.application_verify(actor=request.user, application=app, note=payload.note))


@router.post("/applications/{int:pk}/approve", response=ApplicationOut)
def approve_application(request, pk: Id, payload: NoteIn):
    app = selectors.application_get(user=request.user, pk=pk)
    return _application(services.application_approve(actor=request.user, application=app, note=payload.note))


@router.post("/applications/{int:pk}/reject", response=ApplicationOut)
def reject_application(request, pk: Id, payload: NoteIn):
    app = selectors.application_get(user=request.user, pk=pk)
    return _application(services.application_reject(actor=request.user, application=app, reason=payload.note))


class CardOut(Schema):
    id: int
    number: str
    program: str
    person_name: str
    nik_masked: str
    status: str
    issued_on: dt.date
    handed_over_on: dt.date | None


def _card(c) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "program": c.program.code,
        "person_name": c.person.name,
        "nik_masked": mask_nik(c.person.nik),
        "status": c.status,
        "issued_on": c.issued_on,
        "handed_over_on": c.handed_over_on,
    }


@router.get("/cards", response=list[CardOut])
@paginate(PageNumberPagination, page_size=50)
def cards(request, status: str | None = None, program: Id | None = None, q: str | None = None):
    return [
        _card(c)
        for c in selectors.card_list(
            user=request.user, filters={"status": status, "program": program, "q": q}
        )
    ]


@router.get("/cards/{int:pk}", response=CardOut)
def card(request, pk: Id):
    return _card(selectors.card_get(user=request.user, pk=pk))


class IssueIn(Schema):
    program: Id
    applications: list[Id] | None = None


class CountOut(Schema):
    count: int


@router.post("/cards/issue", response={201: CountOut})
def issue_cards(request, payload: IssueIn):
    prog = selectors.program_get(user=request.user, pk=payload.program)
    return 201, {
        "count": services.cards_issue(actor=request.user, program=prog, application_ids=payload.applications)
    }


class VerifyOut(Schema):
    status: str
    number: str | None = None
    program: str | None = None
    issued_on: dt.date | None = None
    replaced: bool | None = None


@router.get("/cards/verify", response=VerifyOut, auth=None)
def verify_card(request, token: str):
    """Public: valid / revoked / unknown for the token in a card's QR code. No personal data.
    Rate-limited per client address (429 `rate_limited`)."""
    if rate_limited(request, group="programs.card_verify"):
        raise SinergiError(API_MESSAGES["rate_limited"], code="rate_limited", status=429)
    return services.card_verify(token)


class DistributionOut(Schema):
    id: int
    name: str
    event_date: dt.date
    place: str
    package: str
    organisation: str
    received: int
    allocated: int
    handed_over: int
    returned: int
    remaining: int
    balanced: bool


def _distribution(d) -> dict:
    rec = selectors.reconciliation(distribution=d)
    return {
        "id": d.pk,
        "name": d.name,
        "event_date": d.event_date,
        "place": d.place,
        "package": d.package,
        "organisation": str(d.organisation),
        **{k: rec[k] for k in ("received", "allocated", "handed_over", "returned", "remaining", "balanced")},
    }


@router.get("/distributions", response=list[DistributionOut])
def distributions(request):
    return [_distribution(d) for d in selectors.distribution_list(user=request.user)]


class DistributionIn(Schema):
    name: str
    region: str
    event_date: Date
    place: str
    package: str
    stock_received: Count


@router.post("/distributions", response={201: DistributionOut})
def create_distribution(request, payload: DistributionIn):
    data = payload.dict()
    data["region_id"] = data.pop("region")
    return 201, _distribution(services.distribution_create(actor=request.user, **data))


class AllocateIn(Schema):
    bodies: list[Id]


@router.post("/distributions/{int:pk}/allocations", response=DistributionOut)
def allocate(request, pk: Id, payload: AllocateIn):
    """Split the stock across union bodies in proportion to verified members."""
    dist = selectors.distribution_get(user=request.user, pk=pk)
    services.allocate_by_members(actor=request.user, distribution=dist, body_ids=payload.bodies)
    return _distribution(dist)


@router.get("/distributions/{int:pk}", response=DistributionOut)
def distribution(request, pk: Id):
    return _distribution(selectors.distribution_get(user=request.user, pk=pk))


class HandoverIn(Schema):
    nik: str = ""
    card_number: str = ""
    place: str = ""


class HandoverOut(Schema):
    id: int
    person_name: str
    nik_masked: str
    handed_at: dt.datetime
    place: str
    handed_by: str
    identified_by: str


def _handover(h) -> dict:
    return {
        "id": h.pk,
        "person_name": h.person.name,
        "nik_masked": mask_nik(h.person.nik),
        "handed_at": h.handed_at,
        "place": h.place,
        "handed_by": h.handed_by.get_username(),
        "identified_by": h.identified_by,
    }


@router.get("/distributions/{int:pk}/handovers", response=list[HandoverOut])
@paginate(PageNumberPagination, page_size=100)
def handovers(request, pk: Id):
    dist = selectors.distribution_get(user=request.user, pk=pk)
    return [_handover(h) for h in selectors.handover_list(user=request.user, distribution=dist)]


@router.post("/distributions/{int:pk}/handovers", response={201: HandoverOut})
def hand_over(request, pk: Id, payload: HandoverIn):
    """One package to the person with this NIK or card number; 409 `already_received` names the first."""
    dist = selectors.distribution_get(user=request.user, pk=pk)
    hand = services.handover_record(
        actor=request.user,
        distribution=dist,
        nik=payload.nik,
        card_number=payload.card_number,
        place=payload.place,
    )
    return 201, _handover(hand)


class CohortOut(Schema):
    id: int
    name: str
    course: str
    level: int
    start_date: dt.date
    end_date: dt.date
    place: str
    enrolled: int


def _cohort(c) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "course": c.course.name,
        "level": c.course.level,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "place": c.place,
        "enrolled": c.enrolled,
    }


@router.get("/training/cohorts", response=list[CohortOut])
def cohorts(request):
    return [_cohort(c) for c in selectors.cohort_list(user=request.user)]


@router.get("/training/cohorts/{int:pk}", response=CohortOut)
def cohort(request, pk: Id):
    return _cohort(selectors.cohort_get(user=request.user, pk=pk))


class EnrolIn(Schema):
    nik: str


class EnrolmentOut(Schema):
    id: int
    person_name: str
    status: str
    certificate_number: str


@router.post("/training/cohorts/{int:pk}/enrolments", response={201: EnrolmentOut})
def enrol(request, pk: Id, payload: EnrolIn):
    coh = selectors.cohort_get(user=request.user, pk=pk)
    person = selectors.person_find(user=request.user, nik=payload.nik)
    if person is None:
        raise NotFound(_("No person with that NIK in your scope."), field="nik")
    e = services.enrol(actor=request.user, cohort=coh, person=person)
    return 201, {
        "id": e.pk,
        "person_name": person.name,
        "status": e.status,
        "certificate_number": e.certificate_number,
    }


class CoopOut(Schema):
    id: int
    name: str
    union_body: str
    launched_on: dt.date
    members: int
    pokok: Decimal
    wajib: Decimal
    sukarela: Decimal
    total: Decimal


def _coop(c) -> dict:
    totals = selectors.cooperative_totals(cooperative=c)
    return {
        "id": c.pk,
        "name": c.name,
        "union_body": str(c.union_body),
        "launched_on": c.launched_on,
        "members": c.member_total,
        **totals,
    }


@router.get("/cooperatives", response=list[CoopOut])
def cooperatives(request):
    return [_coop(c) for c in selectors.cooperative_list(user=request.user)]


@router.get("/cooperatives/{int:pk}", response=CoopOut)
def cooperative(request, pk: Id):
    return _coop(selectors.cooperative_get(user=request.user, pk=pk))


class MemberOut(Schema):
    id: int
    member_number: str
    person_name: str
    joined_on: dt.date
    pokok: Decimal
    wajib: Decimal
    sukarela: Decimal
    total: Decimal


@router.get("/cooperatives/members/{int:pk}", response=MemberOut)
def coop_member(request, pk: Id):
    m = selectors.coop_member_get(user=request.user, pk=pk)
    st = selectors.statement(member=m)
    return {
        "id": m.pk,
        "member_number": m.member_number,
        "person_name": m.person.name,
        "joined_on": m.joined_on,
        **st["balances"],
        "total": st["total"],
    }


class SavingsIn(Schema):
    kind: str
    amount: Count
    entry_date: Date
    note: str = ""


@router.post("/cooperatives/members/{int:pk}/savings", response={201: MemberOut})
def record_savings(request, pk: Id, payload: SavingsIn):
    m = selectors.coop_member_get(user=request.user, pk=pk)
    services.savings_record(
        actor=request.user,
        member=m,
        kind=payload.kind,
        amount=payload.amount,
        entry_date=payload.entry_date,
        note=payload.note,
    )
    return 201, coop_member(request, pk)
