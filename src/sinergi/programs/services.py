"""Every write of the programs app: atomic, audited, with guarded transitions and maker-checker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.accounts.roles import OrgKind
from sinergi.accounts.scoping import user_scope
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_transition, audit_update, snapshot
from sinergi.core.errors import Conflict, NotAllowed, NotFound, SinergiError, check_exists
from sinergi.core.money import format_rupiah
from sinergi.core.scoping import Scope
from sinergi.core.uploads import content_matches
from sinergi.coverage import selectors as coverage_selectors
from sinergi.programs import eligibility
from sinergi.programs.models import (
    Allocation,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Attendance,
    Card,
    Cohort,
    Cooperative,
    CoopMember,
    CoopSettlement,
    Course,
    Distribution,
    Enrolment,
    Handover,
    NominationBatch,
    Program,
    ProgramTarget,
    SavingsEntry,
)
from sinergi.programs.selectors import application_list, card_list, course_list, person_scope_q, program_list
from sinergi.regions.models import Region
from sinergi.registry.models import Employment, Person
from sinergi.rules import programs as rules
from sinergi.rules.tables import RuleError
from sinergi.unions.models import Membership, UnionBody
from sinergi.unions.selectors import union_body_list

if TYPE_CHECKING:
    from sinergi.accounts.models import User

CARD_SALT_SUFFIX = ".programs.card"
CARD_SIGNATURE_CHARS = 20


def _rule(exc: RuleError) -> SinergiError:
    return eligibility.from_rule_error(exc)


def _writable(actor: User, capability: str):
    require(actor, capability)
    if user_scope(actor).read_only:
        raise NotAllowed(_("Your role can read but not change data."))


# ---------------------------------------------------------------- programs and targets


@transaction.atomic
def program_create(*, actor: User, **fields) -> Program:
    _writable(actor, "manage_programs")
    if fields.get("kind") not in Program.Kind.values:
        raise SinergiError(_("Choose the kind of program."), field="kind")
    for key in ("code", "name", "legal_basis"):
        if not str(fields.get(key) or "").strip():
            raise SinergiError(_("Fill in the code, the name and the legal basis."), field=key)
    eligibility.validate_rules(fields.get("rules", []))
    scope = user_scope(actor)
    if not scope.covers_region(fields["region_id"]):
        raise NotAllowed(_("You can only run programs in your own region."))
    if fields["end_date"] < fields["start_date"]:
        raise SinergiError(_("The program ends before it starts."), field="end_date")
    if Program.objects.filter(code=fields["code"]).exists():
        raise Conflict(
            _("A program with code %(code)s already exists.") % {"code": fields["code"]}, field="code"
        )
    fields.setdefault("owner", actor.organisation)
    program = Program.objects.create(**fields)
    audit_create(actor=actor, obj=program)
    return program


PROGRAM_EDITABLE = ("name", "legal_basis", "start_date", "end_date", "ump_decree", "rules", "description")


@transaction.atomic
def program_update(*, actor: User, program: Program, **fields) -> Program:
    """Change what a program says (name, basis, period, UMP decree, rules, description). Its code, kind,
    region and year stay: they are what applications, cards and targets were counted against."""
    _writable(actor, "manage_programs")
    unknown = set(fields) - set(PROGRAM_EDITABLE)
    if unknown:
        raise SinergiError(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not user_scope(actor).covers_region(program.region_id):
        raise NotAllowed(_("You can only run programs in your own region."))
    if "rules" in fields:
        eligibility.validate_rules(fields["rules"])
    for key in ("name", "legal_basis"):
        if key in fields and not str(fields[key] or "").strip():
            raise SinergiError(_("Fill in the code, the name and the legal basis."), field=key)
    start = fields.get("start_date", program.start_date)
    end = fields.get("end_date", program.end_date)
    if end < start:
        raise SinergiError(_("The program ends before it starts."), field="end_date")
    before = snapshot(program, list(PROGRAM_EDITABLE))
    for key, value in fields.items():
        setattr(program, key, value)
    program.save()
    audit_update(actor=actor, obj=program, before=before)
    return program


@transaction.atomic
def program_target_set(*, actor: User, program: Program, year: int, annual: int, quarters=None) -> None:
    """Replace the year's target and (optionally) its quarterly split; the quarters must add up."""
    _writable(actor, "manage_programs")
    try:
        rules.check_quarter_split(annual, quarters)
    except RuleError as exc:
        raise _rule(exc)
    before = list(program.targets.filter(year=year).values_list("quarter", "amount"))
    program.targets.filter(year=year).delete()
    rows = [ProgramTarget(program=program, year=year, quarter=None, amount=annual)]
    rows += [
        ProgramTarget(program=program, year=year, quarter=i + 1, amount=q)
        for i, q in enumerate(quarters or [])
    ]
    ProgramTarget.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="update",
        obj=program,
        changes={"target": [before, [annual, list(quarters or [])]], "year": year},
    )


# ---------------------------------------------------------------- applications


def program_year_check(program: Program) -> None:
    """Nothing is nominated, verified, approved or issued after a program's (budget) year has ended:
    the program closes at its end date; next year's round is a new program."""
    if clock.today() > program.end_date:
        raise Conflict(
            _(
                "%(program)s closed on %(day)s (its %(year)s round is over); nothing can be selected or approved in it."
            )
            % {"program": program.name, "day": program.end_date.strftime("%d-%m-%Y"), "year": program.year},
            code="year_closed",
        )


def _event(app, from_status, to_status, actor: User, note=""):
    ApplicationEvent.objects.create(
        application=app, from_status=from_status, to_status=to_status, actor=actor, note=note[:300]
    )


def _nominees(actor: User, program: Program, ctx, ids: list[int]) -> tuple[list[int], list[tuple[int, str]]]:
    """(people to nominate, [(person, why refused)]): in the nominator's scope, without an open
    application, eligible now."""
    in_scope = set(
        Person.objects.filter(pk__in=ids).filter(person_scope_q(actor)).values_list("pk", flat=True)
    )
    eligible = set(
        eligibility.eligible_people(program, ctx=ctx).filter(pk__in=ids).values_list("pk", flat=True)
    )
    open_ids = set(
        Application.objects.filter(program=program, person_id__in=ids)
        .exclude(status=Application.Status.REJECTED)
        .values_list("person_id", flat=True)
    )
    refused: list[tuple[int, str]] = []
    create: list[int] = []
    for pid in ids:
        if pid not in in_scope:
            refused.append((pid, str(_("not in your members or region"))))
        elif pid in open_ids:
            refused.append((pid, str(_("already has an open application"))))
        elif pid not in eligible:
            refused.append((pid, str(_("does not meet the eligibility rules"))))
        else:
            create.append(pid)
    return create, refused


def _member_bodies(scope: Scope, ids: list[int]) -> dict[int, int]:
    """person id -> the union body of their latest active membership (a union official: in their subtree)."""
    return dict(
        Membership.objects.filter(person_id__in=ids, status=Membership.Status.ACTIVE)
        .filter(scope.union_q("body_id") if scope.is_union else Q())
        .order_by("person_id", "-joined_on")
        .values_list("person_id", "body_id")
    )


def _current_wages(ids: list[int], ctx) -> dict[int, Decimal]:
    """person id -> the highest wage of their employments running on the eligibility date."""
    wages: dict[int, Decimal] = {}
    for pid, wage in (
        Employment.objects.filter(person_id__in=ids, start_date__lte=ctx.on, wage__isnull=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.on))
        .values_list("person_id", "wage")
    ):
        wages[pid] = max(wages.get(pid, Decimal(0)), wage or Decimal(0))  # never null: filtered above
    return wages


@transaction.atomic
def nominate(*, actor: User, program: Program, person_ids, title: str = "") -> dict:
    """Nominate a batch of people. Each must be in the nominator's scope (a union official: active
    members of their body or below), eligible now, and without an open application.

    Returns {"batch", "created": n, "refused": [(person_id, reason), ...]}; nothing is half-written.
    """
    _writable(actor, "nominate")
    program_year_check(program)
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        raise SinergiError(_("Choose at least one person to nominate."), field="people")
    scope = user_scope(actor)
    ctx = eligibility.program_context(program)
    create, refused = _nominees(actor, program, ctx, ids)
    if not create:
        return {"batch": None, "created": 0, "refused": refused}
    bodies = _member_bodies(scope, ids)
    wages = _current_wages(ids, ctx) if program.kind == Program.Kind.WORKER_CARD else {}
    union_body_id = scope.union_body_ids and getattr(actor.organisation, "union_body_id", None)
    batch = NominationBatch.objects.create(
        program=program,
        union_body_id=union_body_id or None,
        title=title or str(_("Nomination of %(n)s people") % {"n": len(create)}),
        created_by=actor,
    )
    apps = Application.objects.bulk_create(
        [
            Application(
                program=program,
                person_id=pid,
                batch=batch,
                union_body_id=bodies.get(pid),
                declared_wage=wages.get(pid),
                wage_ceiling=ctx.wage_ceiling,
                nominated_by=actor,
            )
            for pid in create
        ]
    )
    apps = list(Application.objects.filter(batch=batch).only("id"))
    ApplicationEvent.objects.bulk_create(
        [ApplicationEvent(application=a, from_status="", to_status="nominated", actor=actor) for a in apps]
    )
    audit_record(
        actor=actor,
        action="create",
        obj=batch,
        changes={"nominated": create, "refused": refused, "program": program.code},
    )
    return {"batch": batch, "created": len(create), "refused": refused}


@transaction.atomic
def document_upload(*, actor: User, application: Application, kind: str, upload) -> ApplicationDocument:
    """Attach one checklist document (PDF/JPEG/PNG, at most 5 MB); a new upload replaces the old one."""
    _writable(actor, "nominate")
    if application.status not in (Application.Status.NOMINATED,):
        raise Conflict(_("Documents can only change while the application awaits verification."))
    if kind not in ApplicationDocument.Kind.values:
        raise SinergiError(_("Unknown document kind."), field="kind")
    content_type = getattr(upload, "content_type", "") or ""
    if content_type not in rules.DOCUMENT_CONTENT_TYPES:
        raise SinergiError(_("Upload a PDF, JPEG or PNG file."), code="file_type", field="file")
    if upload.size > rules.DOCUMENT_MAX_BYTES:
        raise SinergiError(
            _("The file is larger than %(mb)s MB.") % {"mb": rules.DOCUMENT_MAX_BYTES // (1024 * 1024)},
            code="file_size",
            field="file",
        )
    if not content_matches(upload, rules.DOCUMENT_CONTENT_TYPES[content_type]):
        raise SinergiError(
            _("The file's content does not match its type."), code="file_content", field="file"
        )
    old = application.documents.filter(kind=kind).first()
    if old:
        old.file.delete(save=False)
        old.delete()
    doc = ApplicationDocument(
        application=application, kind=kind, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    doc.file.save(f"{kind}.{rules.DOCUMENT_CONTENT_TYPES[content_type]}", upload, save=False)
    doc.save()
    audit_record(
        actor=actor, action="create", obj=application, changes={"document": kind, "size": upload.size}
    )
    return doc


def missing_documents(application: Application) -> list[str]:
    if application.program.kind != Program.Kind.WORKER_CARD:
        return []
    have = set(application.documents.values_list("kind", flat=True))
    return [k for k in rules.KPJ_DOCUMENTS if k not in have]


@transaction.atomic
def application_verify(*, actor: User, application: Application, note: str = "") -> Application:
    """Check documents, re-run eligibility, and cross-check the wage with BPJS Ketenagakerjaan data."""
    _writable(actor, "approve_programs")
    app = Application.objects.select_for_update().select_related("program", "person").get(pk=application.pk)
    program_year_check(app.program)
    if app.status != Application.Status.NOMINATED:
        raise Conflict(
            _("Only a nominated application can be verified (it is %(s)s).") % {"s": app.get_status_display()}
        )
    missing = missing_documents(app)
    if missing:
        labels = ", ".join(str(ApplicationDocument.Kind(k).label) for k in missing)
        raise Conflict(_("Documents missing: %(docs)s.") % {"docs": labels}, code="documents_missing")
    ctx = eligibility.program_context(app.program)
    checks = eligibility.explain(app.program, app.person, ctx)
    if not all(c["passed"] for c in checks):
        failed = ", ".join(c["label"] for c in checks if not c["passed"])
        raise Conflict(_("Not eligible: %(rules)s.") % {"rules": failed}, code="not_eligible")
    coverage_wage = coverage_selectors.coverage_facts(person=app.person, on=ctx.on).last_wage
    if coverage_wage is not None and ctx.wage_ceiling is not None and coverage_wage > ctx.wage_ceiling:
        raise Conflict(
            _(
                "The wage reported to BPJS Ketenagakerjaan (%(bpjs)s) is above the ceiling %(ceiling)s; "
                "reject the application or correct the data."
            )
            % {"bpjs": format_rupiah(coverage_wage), "ceiling": format_rupiah(ctx.wage_ceiling)},
            code="coverage_wage_above_ceiling",
        )
    app.status = Application.Status.VERIFIED
    app.verified_by, app.verified_at = actor, clock.now()
    app.eligibility = checks
    app.wage_ceiling = ctx.wage_ceiling
    app.coverage_wage = coverage_wage
    app.save()
    _event(app, "nominated", "verified", actor, note)
    audit_transition(actor=actor, obj=app, from_status="nominated", to_status="verified", note=note)
    return app


def _approvable(actor: User):
    return Q(status=Application.Status.VERIFIED) & ~Q(verified_by=actor) & ~Q(nominated_by=actor)


@transaction.atomic
def application_approve(*, actor: User, application: Application, note: str = "") -> Application:
    """Maker-checker: the approver is neither the verifier nor the nominator."""
    _writable(actor, "approve_programs")
    app = Application.objects.select_for_update().select_related("program").get(pk=application.pk)
    program_year_check(app.program)
    if app.status != Application.Status.VERIFIED:
        raise Conflict(
            _("Only a verified application can be approved (it is %(s)s).") % {"s": app.get_status_display()}
        )
    if actor.pk in (app.verified_by_id, app.nominated_by_id):
        raise NotAllowed(
            _("A second officer must approve: you nominated or verified this application."),
            code="maker_checker",
        )
    app.status, app.decided_by, app.decided_at = Application.Status.APPROVED, actor, clock.now()
    app.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _event(app, "verified", "approved", actor, note)
    audit_transition(actor=actor, obj=app, from_status="verified", to_status="approved", note=note)
    return app


@transaction.atomic
def applications_approve(*, actor: User, program: Program, ids) -> dict:
    """Approve many at once (set-based). Those the actor verified or nominated are left for a colleague."""
    _writable(actor, "approve_programs")
    program_year_check(program)
    qs = application_list(user=actor).filter(program=program, pk__in=list(ids))
    ok = list(qs.filter(_approvable(actor)).values_list("pk", flat=True))
    skipped = qs.exclude(pk__in=ok).count()
    now = clock.now()
    Application.objects.filter(pk__in=ok).update(
        status=Application.Status.APPROVED, decided_by=actor, decided_at=now
    )
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(application_id=i, from_status="verified", to_status="approved", actor=actor)
            for i in ok
        ]
    )
    audit_record(
        actor=actor,
        action="transition",
        obj=program,
        changes={"approved": ok, "status": ["verified", "approved"]},
    )
    return {"approved": len(ok), "skipped": skipped}


@transaction.atomic
def application_reject(*, actor: User, application: Application, reason: str) -> Application:
    _writable(actor, "approve_programs")
    if not (reason or "").strip():
        raise SinergiError(_("Give the reason for rejecting."), field="reason")
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status not in (Application.Status.NOMINATED, Application.Status.VERIFIED):
        raise Conflict(_("This application is already decided."))
    before = app.status
    app.status, app.decided_by, app.decided_at, app.note = (
        Application.Status.REJECTED,
        actor,
        clock.now(),
        reason,
    )
    app.save()
    _event(app, before, "rejected", actor, reason)
    audit_transition(actor=actor, obj=app, from_status=before, to_status="rejected", note=reason)
    return app


# ---------------------------------------------------------------- cards


def _card_signer() -> signing.Signer:
    return signing.Signer(salt=settings.SINERGI_SIGNING_SALT + CARD_SALT_SUFFIX, algorithm="sha256")


def card_token(number: str) -> str:
    """`<card number>.<HMAC-SHA256, first 20 base64 characters (120 bits)>`: short enough for a small QR
    code, and every verification is checked online, so a forger gets one guess per request."""
    return f"{number}.{_card_signer().signature(number)[:CARD_SIGNATURE_CHARS]}"


def card_number_from_token(token: str) -> str | None:
    number, _dot, sig = (token or "").rpartition(".")
    if not number or len(sig) != CARD_SIGNATURE_CHARS:
        return None
    expected = _card_signer().signature(number)[:CARD_SIGNATURE_CHARS]
    return number if constant_time_compare(sig, expected) else None


def _card_number(program: Program, serial: int) -> str:
    return f"{program.code}-{serial:07d}"


@transaction.atomic
def cards_issue(
    *, actor: User, program: Program, application_ids=None, issued_on: dt.date | None = None
) -> int:
    """Issue a card to every approved application (of `application_ids`, if given) that has none."""
    _writable(actor, "approve_programs")
    if program.kind != Program.Kind.WORKER_CARD:
        raise SinergiError(_("This program does not issue cards."))
    program_year_check(program)
    locked = Program.objects.select_for_update().get(pk=program.pk)
    qs = application_list(user=actor).filter(program=locked, status=Application.Status.APPROVED)
    if application_ids is not None:
        qs = qs.filter(pk__in=list(application_ids))
    qs = qs.exclude(cards__status=Card.Status.ACTIVE).order_by("pk")
    rows = list(qs.values_list("pk", "person_id", "union_body_id"))
    if not rows:
        return 0
    day = issued_on or clock.today()
    start = locked.card_serial
    Card.objects.bulk_create(
        [
            Card(
                program=locked,
                application_id=aid,
                person_id=pid,
                union_body_id=bid,
                number=_card_number(locked, start + i + 1),
                issued_on=day,
                issued_by=actor,
            )
            for i, (aid, pid, bid) in enumerate(rows)
        ],
        batch_size=2000,
    )
    Program.objects.filter(pk=locked.pk).update(card_serial=F("card_serial") + len(rows))
    audit_record(
        actor=actor,
        action="create",
        obj=locked,
        changes={"cards_issued": len(rows), "from_serial": start + 1},
    )
    return len(rows)


def card_verify(token: str) -> dict:
    """Public answer for a QR token: valid / revoked / unknown, with no personal data."""
    number = card_number_from_token((token or "").strip())
    card = Card.objects.select_related("program").filter(number=number).first() if number else None
    if card is None:
        return {"status": "unknown"}
    if card.status == Card.Status.ACTIVE:
        return {
            "status": "valid",
            "number": card.number,
            "program": card.program.name,
            "issued_on": card.issued_on,
        }
    return {
        "status": "revoked",
        "number": card.number,
        "program": card.program.name,
        "replaced": card.status == Card.Status.REPLACED,
    }


@transaction.atomic
def card_revoke(*, actor: User, card: Card, reason: str) -> Card:
    _writable(actor, "approve_programs")
    if not (reason or "").strip():
        raise SinergiError(_("Give the reason for revoking."), field="reason")
    card = Card.objects.select_for_update().get(pk=card.pk)
    if card.status != Card.Status.ACTIVE:
        raise Conflict(_("Only an active card can be revoked."))
    card.status, card.revoked_reason = Card.Status.REVOKED, reason
    card.save()
    audit_transition(actor=actor, obj=card, from_status="active", to_status="revoked", note=reason)
    return card


@transaction.atomic
def card_replace(*, actor: User, card: Card, reason: str) -> Card:
    """Lost or damaged: the old card becomes `replaced` and a new number is issued."""
    _writable(actor, "approve_programs")
    if not (reason or "").strip():
        raise SinergiError(_("Give the reason for the replacement."), field="reason")
    old = Card.objects.select_for_update().get(pk=card.pk)
    if old.status != Card.Status.ACTIVE:
        raise Conflict(_("Only an active card can be replaced."))
    program = Program.objects.select_for_update().get(pk=old.program_id)
    old.status, old.revoked_reason = Card.Status.REPLACED, reason
    old.save()
    Program.objects.filter(pk=program.pk).update(card_serial=F("card_serial") + 1)
    new = Card.objects.create(
        program=program,
        application_id=old.application_id,
        person_id=old.person_id,
        union_body_id=old.union_body_id,
        number=_card_number(program, program.card_serial + 1),
        issued_on=clock.today(),
        issued_by=actor,
        replaces=old,
    )
    audit_transition(actor=actor, obj=old, from_status="active", to_status="replaced", note=reason)
    audit_create(actor=actor, obj=new)
    return new


@transaction.atomic
def cards_hand_over(
    *, actor: User, card_ids, on: dt.date, place: str, event: str, handed_over_by: str
) -> int:
    _writable(actor, "hand_over_aid")
    if not place.strip() or not handed_over_by.strip():
        raise SinergiError(_("Say where and by whom the cards were handed over."), field="place")
    qs = card_list(user=actor).filter(
        pk__in=list(card_ids), status=Card.Status.ACTIVE, handed_over_on__isnull=True
    )
    ids = list(qs.values_list("pk", flat=True))
    Card.objects.filter(pk__in=ids).update(
        handed_over_on=on, handover_place=place, handover_event=event, handed_over_by=handed_over_by
    )
    audit_record(
        actor=actor,
        action="update",
        object_type="programs.card",
        object_id="batch",
        changes={"handed_over": ids, "on": on, "place": place, "event": event, "by": handed_over_by},
    )
    return len(ids)


# ---------------------------------------------------------------- aid distribution


@transaction.atomic
def distribution_create(*, actor: User, **fields) -> Distribution:
    _writable(actor, "hand_over_aid")
    if user_scope(actor).is_union:
        raise NotAllowed(_("Distributions are organised by an agency or a social security branch."))
    check_exists(Region, fields.get("region_id") or "-", field="region")
    if not user_scope(actor).covers_region(fields["region_id"]):
        raise NotAllowed(_("You can only organise distributions in your own region."))
    if int(fields.get("stock_received") or 0) <= 0 or not str(fields.get("place") or "").strip():
        raise SinergiError(_("Give the place and a stock of at least one package."), field="stock_received")
    fields.setdefault("organisation", actor.organisation)
    dist = Distribution.objects.create(**fields)
    audit_create(actor=actor, obj=dist)
    return dist


@transaction.atomic
def allocate_by_members(*, actor: User, distribution: Distribution, body_ids) -> list[Allocation]:
    """Split the stock across union bodies in proportion to their verified active members (subtree)."""
    _writable(actor, "hand_over_aid")
    bodies = list(UnionBody.objects.filter(pk__in=list(body_ids)).order_by("pk"))
    if not bodies:
        raise SinergiError(_("Choose at least one union body."), field="bodies")
    weights = [
        Membership.objects.filter(
            body__path__startswith=b.path, status=Membership.Status.ACTIVE, verified=True
        ).count()
        for b in bodies
    ]
    dist = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if dist.handovers.exists():
        raise Conflict(_("Packages have already been handed over; the allocation can no longer change."))
    try:
        quotas = rules.allocate_packages(dist.stock_received - dist.stock_returned, weights)
    except RuleError as exc:
        raise _rule(exc)
    dist.allocations.all().delete()
    allocs = Allocation.objects.bulk_create(
        [
            Allocation(distribution=dist, union_body=b, weight=w, quota=q)
            for b, w, q in zip(bodies, weights, quotas, strict=True)
        ]
    )
    audit_record(
        actor=actor,
        action="update",
        obj=dist,
        changes={"allocation": {b.pk: q for b, q in zip(bodies, quotas, strict=True)}},
    )
    return allocs


def _already_message(existing: Handover):
    local = timezone.localtime(existing.handed_at)
    return _(
        "Already received a package from this distribution on %(when)s at %(place)s (handed over by %(who)s)."
    ) % {"when": local.strftime("%d-%m-%Y %H:%M"), "place": existing.place, "who": existing.handed_by}


def _recipient(nik: str, card_number: str) -> tuple[Person, str]:
    """(the person, "card" or "nik"): an active card's holder, else the living registry record of the NIK."""
    if card_number:
        card = Card.objects.filter(number=card_number).first()
        if card is None or card.status != Card.Status.ACTIVE:
            raise NotFound(_("No active card with number %(n)s.") % {"n": card_number}, field="card_number")
        return card.person, "card"
    if nik:
        found = Person.objects.filter(nik=nik, merged_into__isnull=True).first()
        if found is None:
            raise NotFound(_("No person with NIK %(nik)s in the registry.") % {"nik": nik}, field="nik")
        return found, "nik"
    raise SinergiError(_("Enter the NIK or the card number."), field="nik")


def _handover_insert(
    actor: User, distribution: Distribution, person, body_id, via: str, place: str, proof
) -> Handover:
    """Insert the handover under the distribution's lock while stock remains (the unique constraint
    refuses a second one for the same person)."""
    dist = Distribution.objects.select_for_update().get(pk=distribution.pk)
    handed = dist.handovers.count()
    if handed >= dist.stock_received - dist.stock_returned:
        raise Conflict(_("No packages left in this distribution."), code="out_of_stock")
    hand = Handover(
        distribution=dist,
        person=person,
        union_body_id=body_id,
        identified_by=via,
        handed_at=clock.now(),
        place=place or dist.place,
        handed_by=actor,
    )
    if proof is not None:
        hand.proof.save(proof.name, proof, save=False)
    hand.save()
    # audit_create's snapshot trips over an empty FileField, so name the facts directly
    audit_record(
        actor=actor,
        action="create",
        obj=hand,
        changes={"person": person.pk, "via": via, "place": hand.place, "proof": hand.proof.name or ""},
    )
    return hand


def handover_record(
    *,
    actor: User,
    distribution: Distribution,
    nik: str = "",
    card_number: str = "",
    place: str = "",
    proof=None,
) -> Handover:
    """Hand one package to the person identified by NIK or card number; a second attempt is refused.

    The unique constraint (distribution, person) is the guarantee: two volunteers pressing at the same
    moment both try to insert and the database lets exactly one through.
    """
    _writable(actor, "hand_over_aid")
    person, via = _recipient((nik or "").strip(), (card_number or "").strip())
    if proof is not None:
        ct = getattr(proof, "content_type", "")
        if ct not in ("image/jpeg", "image/png") or proof.size > rules.DOCUMENT_MAX_BYTES:
            raise SinergiError(_("The proof must be a JPEG or PNG image of at most 5 MB."), field="proof")
    existing = (
        Handover.objects.filter(distribution=distribution, person=person).select_related("handed_by").first()
    )
    if existing:
        raise Conflict(_already_message(existing), code="already_received")
    first_day, last_day = rules.handover_window(distribution.event_date)
    if clock.today() > last_day:
        raise Conflict(
            _("This distribution closed on %(day)s; packages can no longer be handed over.")
            % {"day": last_day.strftime("%d-%m-%Y")},
            code="distribution_closed",
        )
    if person.is_deceased:
        raise Conflict(_("%(name)s is recorded as deceased.") % {"name": person.name}, code="deceased")
    body_id = (
        Membership.objects.filter(
            person=person,
            status=Membership.Status.ACTIVE,
            body__in=distribution.allocations.values("union_body"),
        )
        .values_list("body_id", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            hand = _handover_insert(actor, distribution, person, body_id, via, place, proof)
    except IntegrityError:
        existing = (
            Handover.objects.filter(distribution=distribution, person=person)
            .select_related("handed_by")
            .first()
        )
        raise Conflict(
            _already_message(existing) if existing else _("Already received."), code="already_received"
        )
    return hand


@transaction.atomic
def distribution_return(*, actor: User, distribution: Distribution, count: int) -> Distribution:
    """Packages given back to the organiser (undistributed); cannot exceed what remains."""
    _writable(actor, "hand_over_aid")
    dist = Distribution.objects.select_for_update().get(pk=distribution.pk)
    remaining = dist.stock_received - dist.stock_returned - dist.handovers.count()
    if count <= 0 or count > remaining:
        raise SinergiError(_("Return between 1 and %(n)s packages.") % {"n": remaining}, field="count")
    before = dist.stock_returned
    dist.stock_returned += count
    dist.save(update_fields=["stock_returned", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=dist, changes={"stock_returned": [before, dist.stock_returned]}
    )
    return dist


# ---------------------------------------------------------------- training


def _training_program(actor: User, program: Program) -> None:
    if program.kind != Program.Kind.TRAINING:
        raise SinergiError(_("Courses belong to a training program."), field="program")
    if not program_list(user=actor).filter(pk=program.pk).exists():
        raise NotAllowed(_("Program not found, or outside your scope."))


def _course_fields(*, program, track: str, level: int, name: str, exclude_pk=None) -> dict:
    track, name = (track or "").strip().lower(), (name or "").strip()
    if not track:
        raise SinergiError(_("Name the track, e.g. jakpreneur."), field="track")
    if not name:
        raise SinergiError(_("Name the course."), field="name")
    if not isinstance(level, int) or isinstance(level, bool) or level < 1:
        raise SinergiError(_("The level is a whole number from 1."), field="level")
    clash = Course.objects.filter(program=program, track=track, level=level).exclude(pk=exclude_pk)
    if clash.exists():
        raise Conflict(
            _("%(program)s already has level %(level)s in track %(track)s.")
            % {"program": program.name, "level": level, "track": track},
            field="level",
        )
    return {"program": program, "track": track, "level": level, "name": name}


@transaction.atomic
def course_create(*, actor: User, program: Program, track: str, level: int, name: str) -> Course:
    """A course of a training program; `level` orders its track (level 2 needs level 1 completed)."""
    _writable(actor, "manage_programs")
    _training_program(actor, program)
    course = Course.objects.create(**_course_fields(program=program, track=track, level=level, name=name))
    audit_create(actor=actor, obj=course)
    return course


@transaction.atomic
def course_update(
    *, actor: User, course: Course, program: Program, track: str, level: int, name: str
) -> Course:
    """Rename or move a course. Its track and level stay once a cohort has graduates (their
    certificates and the next level's prerequisite were counted against them)."""
    _writable(actor, "manage_programs")
    course = Course.objects.select_for_update().get(pk=course.pk)
    _training_program(actor, program)
    fields = _course_fields(program=program, track=track, level=level, name=name, exclude_pk=course.pk)
    moved = (fields["track"], fields["level"], program.pk) != (course.track, course.level, course.program_id)
    if moved and Enrolment.objects.filter(cohort__course=course, status=Enrolment.Status.COMPLETED).exists():
        raise Conflict(
            _("People have completed this course: its program, track and level can no longer change."),
            field="level",
        )
    before = snapshot(course)
    for key, value in fields.items():
        setattr(course, key, value)
    course.save()
    audit_update(actor=actor, obj=course, before=before)
    return course


def _cohort_check(
    actor: User, *, course: Course, region_id: str, start_date, end_date, sessions, min_attendance
):
    if not course_list(user=actor).filter(pk=course.pk).exists():
        raise NotAllowed(_("Course not found, or outside your scope."))
    if not Region.objects.filter(code=region_id).exists():
        raise SinergiError(_("Choose a region from the list."), field="region")
    if not user_scope(actor).covers_region(region_id):
        raise NotAllowed(_("You can only run cohorts in your own region."))
    if end_date < start_date:
        raise SinergiError(_("The cohort ends before it starts."), field="end_date")
    if sessions < 1:
        raise SinergiError(_("A cohort has at least one session."), field="sessions")
    if not 1 <= min_attendance <= sessions:
        raise SinergiError(
            _("Sessions required to complete: between 1 and %(n)s.") % {"n": sessions}, field="min_attendance"
        )


@transaction.atomic
def cohort_create(
    *,
    actor: User,
    course: Course,
    name: str,
    region_id: str,
    start_date: dt.date,
    end_date: dt.date,
    place: str = "",
    sessions: int = 1,
    min_attendance: int = 1,
) -> Cohort:
    """A cohort (class) of a course, in the officer's region."""
    _writable(actor, "manage_programs")
    if not (name or "").strip():
        raise SinergiError(_("Name the cohort."), field="name")
    _cohort_check(
        actor,
        course=course,
        region_id=region_id,
        start_date=start_date,
        end_date=end_date,
        sessions=sessions,
        min_attendance=min_attendance,
    )
    cohort = Cohort.objects.create(
        course=course,
        name=name.strip(),
        region_id=region_id,
        start_date=start_date,
        end_date=end_date,
        place=(place or "").strip(),
        sessions=sessions,
        min_attendance=min_attendance,
    )
    audit_create(actor=actor, obj=cohort)
    return cohort


@transaction.atomic
def cohort_update(*, actor: User, cohort: Cohort, **fields) -> Cohort:
    """Change a cohort. Attendance already recorded keeps its sessions: the number of sessions cannot
    drop below the highest session attended, and graduates keep their completion."""
    _writable(actor, "manage_programs")
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    merged = {
        key: fields.get(key, getattr(cohort, key))
        for key in (
            "course",
            "name",
            "region_id",
            "start_date",
            "end_date",
            "place",
            "sessions",
            "min_attendance",
        )
    }
    if not (merged["name"] or "").strip():
        raise SinergiError(_("Name the cohort."), field="name")
    _cohort_check(
        actor,
        course=merged["course"],
        region_id=merged["region_id"],
        start_date=merged["start_date"],
        end_date=merged["end_date"],
        sessions=merged["sessions"],
        min_attendance=merged["min_attendance"],
    )
    if not user_scope(actor).covers_region(cohort.region_id):
        raise NotAllowed(_("You can only run cohorts in your own region."))
    highest = (
        Attendance.objects.filter(enrolment__cohort=cohort)
        .order_by("-session")
        .values_list("session", flat=True)
        .first()
    )
    if highest and merged["sessions"] < highest:
        raise Conflict(
            _("Attendance is recorded up to session %(n)s; keep at least %(n)s sessions.") % {"n": highest},
            field="sessions",
        )
    if merged["course"].pk != cohort.course_id and cohort.enrolments.exists():
        raise Conflict(
            _("People are enrolled: the course of this cohort can no longer change."), field="course"
        )
    before = snapshot(
        cohort, ["course", "name", "region", "start_date", "end_date", "place", "sessions", "min_attendance"]
    )
    for key, value in merged.items():
        setattr(cohort, key, value.strip() if isinstance(value, str) and key != "region_id" else value)
    cohort.save()
    audit_update(actor=actor, obj=cohort, before=before)
    return cohort


@transaction.atomic
def enrol(*, actor: User, cohort: Cohort, person) -> Enrolment:
    """Enrol a person; a course above level 1 needs the previous level of its track completed."""
    _writable(actor, "nominate")
    if not Person.objects.filter(pk=person.pk).filter(person_scope_q(actor)).exists():
        raise NotAllowed(_("This person is not among your members or in your region."))
    course = cohort.course
    if (
        course.level > 1
        and not Enrolment.objects.filter(
            person=person,
            status=Enrolment.Status.COMPLETED,
            cohort__course__track=course.track,
            cohort__course__level=course.level - 1,
        ).exists()
    ):
        raise Conflict(
            _("%(name)s has not completed level %(level)s of this track yet.")
            % {"name": person.name, "level": course.level - 1},
            code="prerequisite",
        )
    if Enrolment.objects.filter(cohort=cohort, person=person).exists():
        raise Conflict(_("%(name)s is already enrolled in this cohort.") % {"name": person.name})
    body_id = (
        Membership.objects.filter(person=person, status="active").values_list("body_id", flat=True).first()
    )
    enr = Enrolment.objects.create(cohort=cohort, person=person, union_body_id=body_id)
    audit_create(actor=actor, obj=enr)
    return enr


@transaction.atomic
def attendance_record(*, actor: User, enrolment: Enrolment, session: int, present: bool = True) -> Attendance:
    _writable(actor, "manage_programs")
    if not 1 <= session <= enrolment.cohort.sessions:
        raise SinergiError(
            _("Session must be between 1 and %(n)s.") % {"n": enrolment.cohort.sessions}, field="session"
        )
    att, _created = Attendance.objects.update_or_create(
        enrolment=enrolment, session=session, defaults={"present": present}
    )
    audit_record(
        actor=actor, action="update", obj=enrolment, changes={"session": session, "present": present}
    )
    return att


@transaction.atomic
def enrolment_complete(*, actor: User, enrolment: Enrolment, on: dt.date | None = None) -> Enrolment:
    _writable(actor, "manage_programs")
    enr = Enrolment.objects.select_for_update().select_related("cohort__course").get(pk=enrolment.pk)
    if enr.status != Enrolment.Status.ENROLLED:
        raise Conflict(_("This enrolment is already %(s)s.") % {"s": enr.get_status_display()})
    present = enr.attendance.filter(present=True).count()
    if present < enr.cohort.min_attendance:
        raise Conflict(
            _("Attended %(n)s of the %(m)s sessions required.")
            % {"n": present, "m": enr.cohort.min_attendance},
            code="attendance",
        )
    enr.status = Enrolment.Status.COMPLETED
    enr.completed_on = on or clock.today()
    enr.certificate_number = f"JP-{enr.cohort.course.level}-{enr.cohort_id:04d}-{enr.pk:06d}"
    enr.save()
    audit_transition(actor=actor, obj=enr, from_status="enrolled", to_status="completed")
    return enr


# ---------------------------------------------------------------- cooperative


def _coop_check(
    actor: User,
    *,
    name,
    short_name,
    organisation,
    union_body,
    region_id,
    pokok_amount,
    wajib_amount,
    exclude_pk=None,
):
    if not (name or "").strip():
        raise SinergiError(_("Name the cooperative."), field="name")
    if not (short_name or "").strip():
        raise SinergiError(_("Give the short name that starts member numbers."), field="short_name")
    if organisation.kind != OrgKind.COOPERATIVE:
        raise SinergiError(_("Choose an organisation registered as a cooperative."), field="organisation")
    if Cooperative.objects.filter(organisation=organisation).exclude(pk=exclude_pk).exists():
        raise Conflict(
            _("%(org)s already runs a cooperative in Sinergi.") % {"org": organisation}, field="organisation"
        )
    if not union_body_list(user=actor).filter(pk=union_body.pk).exists():
        raise NotAllowed(_("Union body not found, or outside your scope."))
    if not Region.objects.filter(code=region_id).exists():
        raise SinergiError(_("Choose a region from the list."), field="region")
    if not user_scope(actor).covers_region(region_id):
        raise NotAllowed(_("You can only register cooperatives in your own region."))
    for key, amount in (("pokok_amount", pokok_amount), ("wajib_amount", wajib_amount)):
        if Decimal(amount) < 0 or Decimal(amount) != Decimal(amount).to_integral_value():
            raise SinergiError(_("Amounts are whole rupiah, not negative."), field=key)
    if Cooperative.objects.filter(name__iexact=name.strip()).exclude(pk=exclude_pk).exists():
        raise Conflict(
            _("A cooperative named %(name)s already exists.") % {"name": name.strip()}, field="name"
        )


@transaction.atomic
def cooperative_create(
    *,
    actor: User,
    name: str,
    short_name: str,
    organisation,
    union_body,
    region_id: str,
    launched_on: dt.date,
    pokok_amount,
    wajib_amount,
) -> Cooperative:
    """Register a union cooperative (its organisation exists in Sinergi already) with its bylaws'
    simpanan pokok and monthly simpanan wajib."""
    _writable(actor, "manage_programs")
    _coop_check(
        actor,
        name=name,
        short_name=short_name,
        organisation=organisation,
        union_body=union_body,
        region_id=region_id,
        pokok_amount=pokok_amount,
        wajib_amount=wajib_amount,
    )
    coop = Cooperative.objects.create(
        name=name.strip(),
        short_name=short_name.strip().upper(),
        organisation=organisation,
        union_body=union_body,
        region_id=region_id,
        launched_on=launched_on,
        pokok_amount=Decimal(pokok_amount),
        wajib_amount=Decimal(wajib_amount),
    )
    audit_create(actor=actor, obj=coop)
    return coop


@transaction.atomic
def cooperative_update(*, actor: User, cooperative: Cooperative, **fields) -> Cooperative:
    """Change a cooperative's registration. The short name starts every member number, so it stays
    once members have numbers; new bylaws amounts apply to entries from now on (the ledger keeps
    the amounts actually paid)."""
    _writable(actor, "manage_programs")
    coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if not user_scope(actor).covers_region(coop.region_id):
        raise NotAllowed(_("You can only register cooperatives in your own region."))
    keys = (
        "name",
        "short_name",
        "organisation",
        "union_body",
        "region_id",
        "launched_on",
        "pokok_amount",
        "wajib_amount",
    )
    merged = {key: fields.get(key, getattr(coop, key)) for key in keys}
    _coop_check(actor, exclude_pk=coop.pk, **{k: v for k, v in merged.items() if k != "launched_on"})
    merged["short_name"] = merged["short_name"].strip().upper()
    if merged["short_name"] != coop.short_name and coop.members.exists():
        raise Conflict(
            _("Members already have numbers starting with %(s)s; the short name stays.")
            % {"s": coop.short_name},
            field="short_name",
        )
    before = snapshot(
        coop,
        [
            "name",
            "short_name",
            "organisation",
            "union_body",
            "region",
            "launched_on",
            "pokok_amount",
            "wajib_amount",
        ],
    )
    for key, value in merged.items():
        setattr(coop, key, value.strip() if key == "name" else value)
    coop.pokok_amount, coop.wajib_amount = Decimal(coop.pokok_amount), Decimal(coop.wajib_amount)
    coop.save()
    audit_update(actor=actor, obj=coop, before=before)
    return coop


@transaction.atomic
def coop_member_add(*, actor: User, cooperative: Cooperative, person, joined_on: dt.date) -> CoopMember:
    """A union member joins the cooperative and receives the next member number."""
    _writable(actor, "edit_registry")
    coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    body_id = (
        Membership.objects.filter(person=person, status="active", body__path__startswith=coop.union_body.path)
        .values_list("body_id", flat=True)
        .first()
    )
    if body_id is None:
        raise Conflict(
            _("Only active members of %(union)s can join.") % {"union": coop.union_body}, code="not_a_member"
        )
    if CoopMember.objects.filter(cooperative=coop, person=person).exists():
        raise Conflict(_("%(name)s is already a member.") % {"name": person.name})
    coop.member_serial += 1
    coop.save(update_fields=["member_serial"])
    member = CoopMember.objects.create(
        cooperative=coop,
        person=person,
        union_body_id=body_id,
        member_number=f"{coop.short_name}-{coop.member_serial:06d}",
        joined_on=joined_on,
    )
    audit_create(actor=actor, obj=member)
    return member


@transaction.atomic
def savings_record(
    *, actor: User, member: CoopMember, kind: str, amount, entry_date: dt.date, note: str = ""
) -> SavingsEntry:
    _writable(actor, "edit_registry")
    member = CoopMember.objects.select_for_update().get(pk=member.pk)
    if member.status != CoopMember.Status.ACTIVE:
        raise Conflict(_("The member has left the cooperative."))
    balance = member.savings.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    pokok_paid = member.savings.filter(kind="pokok").exists()
    try:
        rules.savings_check(kind, Decimal(amount), balance, pokok_paid=pokok_paid)
    except RuleError as exc:
        raise _rule(exc)
    entry = SavingsEntry.objects.create(
        member=member, kind=kind, amount=Decimal(amount), entry_date=entry_date, note=note, recorded_by=actor
    )
    audit_create(actor=actor, obj=entry)
    return entry


# ---------------------------------------------------------------- life events
# Called by sinergi.lifeevents (which checks permission and scope) when a person dies, is dismissed
# or retires. Each is idempotent: run twice, the second run changes nothing.


@transaction.atomic
def person_cards_revoke(*, actor: User, person, reason: str) -> list[int]:
    """Revoke the person's active worker cards (a card of a deceased or retired worker is not valid)."""
    revoked = []
    for card in Card.objects.select_for_update().filter(person=person, status=Card.Status.ACTIVE):
        card.status, card.revoked_reason = Card.Status.REVOKED, reason[:300]
        card.save(update_fields=["status", "revoked_reason", "updated_at"])
        audit_transition(actor=actor, obj=card, from_status="active", to_status="revoked", note=reason[:300])
        revoked.append(card.pk)
    return revoked


@transaction.atomic
def person_pending_aid_cancel(*, actor: User, person, reason: str) -> list[int]:
    """Close the person's undecided applications and nominations (pending aid) as rejected, with the
    reason; approved entitlements already used stay as history."""
    cancelled = []
    pending = (Application.Status.NOMINATED, Application.Status.VERIFIED)
    for app in Application.objects.select_for_update().filter(person=person, status__in=pending):
        before = app.status
        app.status, app.decided_at, app.note = Application.Status.REJECTED, clock.now(), reason[:500]
        app.save(update_fields=["status", "decided_at", "note", "updated_at"])
        _event(app, before, "rejected", actor, reason)
        audit_transition(actor=actor, obj=app, from_status=before, to_status="rejected", note=reason[:300])
        cancelled.append(app.pk)
    return cancelled


@transaction.atomic
def person_coop_settle(*, actor: User, person, on: dt.date, reason: str, payee: str = "") -> list[dict]:
    """Settle the person's cooperative shares: each savings balance is withdrawn on `on` (one ledger
    line per kind, so the ledger sums to zero), the membership ends, and a settlement is recorded
    with the amounts and who receives them (the heirs, for a death)."""
    done = []
    for member in CoopMember.objects.select_for_update().filter(
        person=person, status=CoopMember.Status.ACTIVE
    ):
        balances = {
            row["kind"]: row["s"] or Decimal(0)
            for row in member.savings.values("kind").annotate(s=Sum("amount")).order_by("kind")
        }
        for kind, balance in sorted(balances.items()):
            if balance:
                SavingsEntry.objects.create(
                    member=member,
                    kind=kind,
                    amount=-balance,
                    entry_date=on,
                    note=reason[:200],
                    recorded_by=actor,
                )
        settlement = CoopSettlement.objects.create(
            member=member,
            settled_on=on,
            reason=reason[:200],
            payee=payee[:200],
            pokok=balances.get("pokok", Decimal(0)),
            wajib=balances.get("wajib", Decimal(0)),
            sukarela=balances.get("sukarela", Decimal(0)),
            total=sum(balances.values(), Decimal(0)),
            recorded_by=actor,
        )
        member.status = CoopMember.Status.LEFT
        member.save(update_fields=["status", "updated_at"])
        audit_create(actor=actor, obj=settlement)
        audit_transition(actor=actor, obj=member, from_status="active", to_status="left", note=reason[:300])
        done.append({"cooperative": str(member.cooperative), "total": int(settlement.total)})
    return done
