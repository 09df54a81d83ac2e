# ruff: noqa: S608 - SQL here is assembled from constants only; every value is a bound parameter
"""Coverage writes: participations and wage reports, billing runs, payments, sponsored enrolment
schemes (selection, maker-checker approval, enrolment file, participant numbers, renewal). Every
write is atomic and audited; bulk work is set-based."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import polars as pl
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record, audit_transition, audit_update, snapshot
from sinergi.core.errors import Conflict, NotAllowed, NotFound, SinergiError
from sinergi.coverage import billing
from sinergi.coverage.facts import in_force_q
from sinergi.coverage.models import (
    Bill,
    BillingRun,
    Candidate,
    CandidateBatch,
    Participation,
    PayerKind,
    Payment,
    Scheme,
    SchemeQuota,
    Segment,
    WageReport,
)
from sinergi.rules import contributions as rules
from sinergi.rules.tables import RuleError


class ImportErrors(SinergiError):
    """A file with bad rows: nothing was written; `errors` lists every bad row."""

    def __init__(self, errors: list[dict]):
        super().__init__(
            _("The file has %(n)d problem(s); nothing was saved.") % {"n": len(errors)}, code="invalid_file"
        )
        self.errors = errors


def rule_error(exc: RuleError) -> SinergiError:
    from django.utils.translation import get_language

    return SinergiError(exc.message(get_language() or "id"), code=exc.code, field=exc.field)


def quote(**kwargs) -> rules.Quote:
    try:
        return rules.quote(**kwargs)
    except RuleError as exc:
        raise rule_error(exc) from exc


def _scope_check_region(actor, region_code):
    from sinergi.accounts.scoping import user_scope

    if not user_scope(actor).covers_region(region_code):
        raise NotAllowed(_("This region is outside your area."))


# ---------------------------------------------------------------------------------------------
# Participations
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def participation_enrol(
    *,
    actor,
    person,
    segment: str,
    start_date: dt.date,
    wage,
    payer_kind: str | None = None,
    employer=None,
    sponsor_organisation=None,
    programmes=("JKK", "JKM"),
    participant_number: str = "",
    pmi_contract_months: int | None = None,
    status: str = Participation.Status.ACTIVE,
) -> Participation:
    require(actor, "manage_coverage")
    _scope_check_region(actor, person.domicile_region_id)
    segment = (segment or "").upper()
    if segment not in Segment.values:
        raise SinergiError(_("Choose PU, BPU or PMI."), code="unknown_segment", field="segment")
    month = start_date.replace(day=1)
    # Validate through the rules so a participation can always be billed.
    quote(
        segment=segment,
        month=month,
        wage=wage,
        risk_class=employer.jkk_risk_class if employer else None,
        industry=(employer.labour_intensive_industry if employer else "") or "",
        programmes=programmes,
        contract_months=pmi_contract_months,
    )
    if segment == Segment.PU and employer is None:
        raise SinergiError(_("A wage earner needs an employer."), code="employer_required", field="employer")
    if payer_kind is None:
        payer_kind = (
            PayerKind.EMPLOYER
            if employer
            else (PayerKind.SPONSOR if sponsor_organisation else PayerKind.SELF)
        )
    if payer_kind == PayerKind.SPONSOR and sponsor_organisation is None:
        raise SinergiError(_("Choose the sponsor."), code="sponsor_required", field="sponsor_organisation")
    progs = {p.upper() for p in programmes}
    if participant_number and Participation.objects.filter(participant_number=participant_number).exists():
        raise Conflict(_("This participant number is already used."), field="participant_number")
    if (
        Participation.objects.filter(person=person, segment=segment)
        .filter(in_force_q(start_date) | Q(status=Participation.Status.PENDING))
        .exists()
    ):
        raise Conflict(_("This person already has coverage in this segment."), code="already_covered")
    part = Participation.objects.create(
        person=person,
        segment=segment,
        jkk=True,
        jkm=True,
        jht="JHT" in progs,
        jp="JP" in progs,
        payer_kind=payer_kind,
        employer=employer,
        sponsor_organisation=sponsor_organisation,
        region_id=(employer.region_id if employer and segment == Segment.PU else person.domicile_region_id),
        participant_number=participant_number,
        start_date=start_date,
        status=status,
        risk_class=employer.jkk_risk_class if employer else 1,
        labour_intensive_industry=(employer.labour_intensive_industry if employer else "") or "",
        pmi_contract_months=pmi_contract_months,
        wage=Decimal(wage or 0),
    )
    WageReport.objects.create(participation=part, amount=part.wage, valid_from=start_date, reported_by=actor)
    audit_create(actor=actor, obj=part)
    return part


@transaction.atomic
def wage_report(*, actor, participation: Participation, amount, valid_from: dt.date) -> WageReport:
    """Report a new wage (PU) or declared income (BPU) from `valid_from`; history is kept."""
    require(actor, "manage_coverage")
    _scope_check_region(actor, participation.region_id)
    quote(
        segment=participation.segment,
        month=valid_from.replace(day=1),
        wage=amount,
        risk_class=participation.risk_class,
        programmes=participation.programmes,
        contract_months=participation.pmi_contract_months,
    )
    if valid_from < participation.start_date:
        raise SinergiError(_("The date is before the participation started."), field="valid_from")
    if WageReport.objects.filter(participation=participation, valid_from__gte=valid_from).exists():
        raise Conflict(_("A wage from this date or later is already reported."), field="valid_from")
    before = snapshot(participation, ["wage"])
    WageReport.objects.filter(participation=participation, valid_to__isnull=True).update(
        valid_to=valid_from - dt.timedelta(days=1)
    )
    report = WageReport.objects.create(
        participation=participation, amount=Decimal(amount), valid_from=valid_from, reported_by=actor
    )
    participation.wage = Decimal(amount)
    participation.save(update_fields=["wage", "updated_at"])
    audit_update(actor=actor, obj=participation, before=before, purpose=f"wage from {valid_from}")
    return report


@transaction.atomic
def participation_end(
    *, actor, participation: Participation, end_date: dt.date, reason: str = ""
) -> Participation:
    require(actor, "manage_coverage")
    _scope_check_region(actor, participation.region_id)
    if participation.status == Participation.Status.ENDED:
        raise Conflict(_("This participation has already ended."))
    if end_date < participation.start_date:
        raise SinergiError(_("The end date is before the start date."), field="end_date")
    old = participation.status
    participation.end_date = end_date
    participation.status = Participation.Status.ENDED
    participation.save(update_fields=["end_date", "status", "updated_at"])
    audit_transition(actor=actor, obj=participation, from_status=old, to_status="ended", note=reason)
    return participation


LIVE_STATUSES = ("pending", "active", "arrears", "lapsed")


def participations_end_for_person(
    *, actor, person, end_date: dt.date, employer=None, reason: str = ""
) -> dict:
    """End a person's participations on `end_date` (only those paid by `employer`, if given): the
    consequence of a death, a PHK, a retirement or a change of employer. Called by the life-event
    services, which check permission and scope.

    Months after the end are no longer billed: unpaid contribution rows for months that begin after
    `end_date` are withdrawn from their bills and those bills recomputed; arrears for earlier months
    stay due. Idempotent: a participation already ended on or before `end_date` is left alone.
    Returns {"ended": [ids], "withdrawn": n}."""
    from sinergi.coverage.models import Contribution

    with transaction.atomic():
        qs = Participation.objects.select_for_update().filter(person=person, status__in=LIVE_STATUSES)
        if employer is not None:
            qs = qs.filter(employer=employer)
        ended = []
        for part in qs:
            old = part.status
            part.end_date = max(end_date, part.start_date) if part.status != "pending" else end_date
            part.status = Participation.Status.ENDED
            part.save(update_fields=["end_date", "status", "updated_at"])
            audit_transition(actor=actor, obj=part, from_status=old, to_status="ended", note=reason[:300])
            ended.append(part.pk)
        # also catch participations ended earlier with a later end date (e.g. a sponsored year's end)
        later = Participation.objects.filter(person=person, status="ended", end_date__gt=end_date)
        if employer is not None:
            later = later.filter(employer=employer)
        for part in later.select_for_update():
            before = snapshot(part, ["end_date"])
            part.end_date = max(end_date, part.start_date)
            part.save(update_fields=["end_date", "updated_at"])
            audit_update(actor=actor, obj=part, before=before, purpose=reason[:300] or "end date")
            ended.append(part.pk)
        first_unbillable = (end_date.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        after = Contribution.objects.filter(
            participation__person=person, month__gte=first_unbillable, paid=False
        )
        if employer is not None:
            after = after.filter(participation__employer=employer)
        bill_ids = list(after.values_list("bill_id", flat=True))
        withdrawn = after.count()
        if withdrawn:
            audit_record(
                actor=actor,
                action="delete",
                object_type="coverage.contribution",
                object_repr=f"{person} after {end_date}",
                changes={"withdrawn": withdrawn, "from_month": first_unbillable.isoformat()},
                purpose=reason[:300],
            )
            after.delete()
            bill_totals_refresh(bill_ids)
    return {"ended": ended, "withdrawn": withdrawn}


def participation_transfer(
    *, actor, person, old_employer, new_employer, on: dt.date, wage=None
) -> Participation | None:
    """Change of employer: the wage-earner participation paid by `old_employer` ends the day before
    `on`; a new one paid by `new_employer` starts on `on` with the same participant number and
    programmes (the number stays with the worker). Returns the new participation (None if the person
    had no participation with the old employer)."""
    with transaction.atomic():
        old = (
            Participation.objects.select_for_update()
            .filter(person=person, employer=old_employer, status__in=LIVE_STATUSES, segment=Segment.PU)
            .order_by("-start_date")
            .first()
        )
        if old is None:
            return None
        existing = Participation.objects.filter(
            person=person, employer=new_employer, segment=Segment.PU, start_date=on
        ).first()
        if existing is not None:  # idempotent: already transferred
            return existing
        participations_end_for_person(
            actor=actor,
            person=person,
            end_date=on - dt.timedelta(days=1),
            employer=old_employer,
            reason="change of employer",
        )
        amount = Decimal(wage) if wage is not None else old.wage
        new = Participation.objects.create(
            person=person,
            segment=Segment.PU,
            jkk=True,
            jkm=True,
            jht=old.jht,
            jp=old.jp,
            payer_kind=PayerKind.EMPLOYER,
            employer=new_employer,
            region_id=new_employer.region_id,
            participant_number=old.participant_number,
            start_date=on,
            status=Participation.Status.ACTIVE if old.participant_number else Participation.Status.PENDING,
            risk_class=new_employer.jkk_risk_class or 1,
            labour_intensive_industry=new_employer.labour_intensive_industry or "",
            prior_contribution_months=old.prior_contribution_months,
            wage=amount,
        )
        WageReport.objects.create(participation=new, amount=amount, valid_from=on, reported_by=actor)
        audit_create(actor=actor, obj=new, purpose=f"change of employer from {old_employer}")
    return new


# ---------------------------------------------------------------------------------------------
# Billing runs
# ---------------------------------------------------------------------------------------------
def _first_of(month) -> dt.date:
    if isinstance(month, str):
        try:
            month = dt.date.fromisoformat(month + "-01" if len(month) == 7 else month)
        except ValueError as exc:
            raise SinergiError(_("Enter the month as YYYY-MM."), code="invalid_month", field="month") from exc
    return month.replace(day=1)


def billing_branch_area(actor) -> tuple[object | None, list[str]]:
    """The branch an officer bills for and its service area (region code prefixes). An administrator
    (global scope) bills everywhere: (None, [])."""
    from sinergi.accounts.scoping import user_scope

    scope = user_scope(actor)
    if scope.is_global:
        return None, []
    org = actor.organisation
    if org is None or not scope.region_prefixes:
        raise NotAllowed(_("Billing is run by a social security branch for its service area."))
    return org, list(scope.region_prefixes)


def billing_run(*, actor, month, progress=None) -> BillingRun:
    """Bill, for `month`, every billable participation whose payer is located in the actor's branch
    service area (employer's or sponsor's region, a self-payer's domicile), exactly once.

    Idempotent: a second run for the same branch and month adds only participations not yet billed
    (none if nothing changed) and never a second bill per payer. A participation whose payer is
    missing or of an unknown kind stops the run before anything is written, with a message naming it.
    """
    require(actor, "run_billing")
    month = _first_of(month)
    try:
        rules.billing_parameters(month)
    except RuleError as exc:
        raise rule_error(exc) from exc
    branch, area = billing_branch_area(actor)
    count, examples = billing.unbillable(month=month, area=area)
    if count:
        raise SinergiError(
            _(
                "%(n)d participation(s) cannot be billed because their payer is missing or unknown "
                "(%(examples)s). Record the employer or sponsor on each participation, or end it, "
                "then run billing again. Nothing was billed."
            )
            % {
                "n": count,
                "examples": "; ".join(
                    f"{number or '—'} {name} ({kind or '?'})" for number, name, kind in examples
                ),
            },
            code="payer_missing",
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                run, created = BillingRun.objects.get_or_create(
                    month=month, branch=branch, defaults={"started_by": actor, "area": area}
                )
        except IntegrityError:
            run, created = BillingRun.objects.get(month=month, branch=branch), False
        run = BillingRun.objects.select_for_update().get(pk=run.pk)
        if progress:
            progress.message(str(_("Computing bills in the database…")))
        result = billing.run_billing_sql(run_id=run.pk, month=month, area=area or None)
        run.participations = result["participations"]
        run.bills = result["bills"]
        run.total = Decimal(result["total"])
        run.area = area
        if created or result["new_contributions"]:
            run.rates = result["rules"]
        run.save(update_fields=["participations", "bills", "total", "rates", "area", "updated_at"])
        audit_record(
            actor=actor,
            action="create" if created else "update",
            obj=run,
            changes={
                k: result[k] for k in ("new_bills", "new_contributions", "bills", "participations", "total")
            },
            purpose="billing run",
        )
        run.result = result
    return run


def statuses_refresh(*, actor=None, today: dt.date | None = None) -> int:
    today = today or clock.today()
    with transaction.atomic():
        changed = billing.refresh_statuses(
            today=today, lapse_after=int(rules.LAPSE_AFTER_UNPAID_MONTHS.value_at(today))
        )
        audit_record(
            actor=actor,
            action="other",
            object_type="coverage.participation",
            object_repr="status refresh",
            changes={"changed": changed, "today": today.isoformat()},
        )
    return changed


# ---------------------------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------------------------
# A bill's status follows from its amounts only: nothing due left = paid, something paid = partial.
BILL_STATUS_SQL = "CASE WHEN paid >= total THEN 'paid' WHEN paid > 0 THEN 'partial' ELSE 'open' END"


def bill_totals_refresh(bill_ids) -> None:
    """Recompute bills' participations and amounts from their contribution rows and their status from
    the amounts (after contributions were withdrawn, e.g. months after a death). A bill left without
    contributions and without payments is deleted; one with payments keeps them (status from amounts)."""
    from django.db import connection

    ids = sorted(set(bill_ids))
    if not ids:
        return
    with connection.cursor() as cur:
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute(
                f"""UPDATE coverage_bill SET
                    participations = (SELECT COUNT(*) FROM coverage_contribution c WHERE c.bill_id = coverage_bill.id),
                    employer_part = COALESCE((SELECT SUM(employer_part) FROM coverage_contribution c
                                              WHERE c.bill_id = coverage_bill.id), 0),
                    worker_part = COALESCE((SELECT SUM(worker_part) FROM coverage_contribution c
                                            WHERE c.bill_id = coverage_bill.id), 0),
                    total = COALESCE((SELECT SUM(total) FROM coverage_contribution c
                                      WHERE c.bill_id = coverage_bill.id), 0)
                    WHERE id IN ({marks})""",
                chunk,
            )
            cur.execute(f"UPDATE coverage_bill SET status = {BILL_STATUS_SQL} WHERE id IN ({marks})", chunk)
    Bill.objects.filter(pk__in=ids, participations=0, paid=0).exclude(
        Exists(Payment.objects.filter(bill=OuterRef("pk")))
    ).delete()


def _apply_payments(bill_ids: list[int]):
    """Recompute `paid` and `status` of the given bills from their payments (set-based)."""
    from django.db import connection

    if not bill_ids:
        return
    with connection.cursor() as cur:
        for i in range(0, len(bill_ids), 900):
            chunk = bill_ids[i : i + 900]
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute(
                f"""UPDATE coverage_bill SET paid = COALESCE(
                        (SELECT SUM(amount) FROM coverage_payment pm WHERE pm.bill_id = coverage_bill.id), 0)
                    WHERE id IN ({marks})""",
                chunk,
            )
            cur.execute(
                f"""UPDATE coverage_bill SET status = {BILL_STATUS_SQL} WHERE id IN ({marks})""",
                chunk,
            )


def overpayment_message(bill: Bill, amount) -> str:
    from sinergi.core.money import format_rupiah

    outstanding = bill.total - bill.paid
    if outstanding <= 0:
        return _("Bill %(number)s is already paid in full; a further payment is not accepted.") % {
            "number": bill.number
        }
    return _(
        "%(amount)s is more than the %(outstanding)s still due on bill %(number)s; record at most "
        "the amount due (a payment is never booked beyond what is due)."
    ) % {"amount": format_rupiah(amount), "outstanding": format_rupiah(outstanding), "number": bill.number}


@transaction.atomic
def payment_record(*, actor, bill: Bill, amount, paid_on: dt.date, reference: str) -> Payment:
    require(actor, "run_billing")
    _scope_check_region(actor, bill.region_id)
    try:
        amount = Decimal(amount)
    except Exception as exc:  # noqa: BLE001
        raise SinergiError(_("Enter an amount in whole rupiah."), field="amount") from exc
    if amount <= 0 or amount != amount.to_integral_value():
        raise SinergiError(_("Enter an amount in whole rupiah greater than zero."), field="amount")
    if not (reference or "").strip():
        raise SinergiError(_("Enter the payment reference."), field="reference")
    if Payment.objects.filter(bill=bill, reference=reference.strip()).exists():
        raise Conflict(
            _("A payment with this reference is already recorded for this bill."), field="reference"
        )
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    outstanding = bill.total - bill.paid
    if amount > outstanding:
        raise Conflict(overpayment_message(bill, amount), code="overpayment", field="amount")
    payment = Payment.objects.create(
        bill=bill, amount=amount, paid_on=paid_on, reference=reference.strip(), recorded_by=actor
    )
    _apply_payments([bill.pk])
    audit_create(actor=actor, obj=payment)
    billing.refresh_statuses(
        today=clock.today(), lapse_after=int(rules.LAPSE_AFTER_UNPAID_MONTHS.value_at(paid_on))
    )
    bill.refresh_from_db()
    return payment


PAYMENT_COLUMNS = {
    "bill": ("no tagihan", "bill number", "bill", "tagihan"),
    "amount": ("jumlah", "amount", "nominal"),
    "paid_on": ("tanggal", "date", "paid on", "tanggal bayar"),
    "reference": ("referensi", "reference", "ref", "no referensi"),
}


def read_table(data: bytes, filename: str) -> pl.DataFrame:
    """Read an uploaded XLSX or CSV into strings, or raise a clear error."""
    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx"):
            df = pl.read_excel(io.BytesIO(data), engine="openpyxl", infer_schema_length=0)
        elif name.endswith(".csv"):
            df = pl.read_csv(io.BytesIO(data), infer_schema_length=0, encoding="utf8-lossy")
        else:
            raise SinergiError(_("Upload an .xlsx or .csv file."), code="invalid_file", field="file")
    except SinergiError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same user error
        raise SinergiError(_("The file could not be read."), code="invalid_file", field="file") from exc
    df = df.rename({c: c.strip().lstrip("\ufeff").lower() for c in df.columns})
    return df.with_columns(pl.all().cast(pl.Utf8))


def _map_columns(df: pl.DataFrame, wanted: dict) -> pl.DataFrame:
    mapping, missing = {}, []
    for key, names in wanted.items():
        found = next((c for c in df.columns if c in names), None)
        if found is None:
            missing.append(names[0])
        else:
            mapping[found] = key
    if missing:
        raise SinergiError(
            _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)},
            code="missing_columns",
            field="file",
        )
    return df.select(list(mapping)).rename(mapping)


def _parse_date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def payments_import(*, actor, data: bytes, filename: str) -> dict:
    """Import a bank statement: validate every row first, then write all or nothing."""
    from sinergi.coverage.selectors import bill_list

    require(actor, "run_billing")
    df = _map_columns(read_table(data, filename), PAYMENT_COLUMNS)
    rows = df.to_dicts()
    numbers = {(r["bill"] or "").strip() for r in rows}
    bills = {b.number: b for b in bill_list(user=actor).filter(number__in=numbers)}
    existing = set(Payment.objects.filter(bill__number__in=numbers).values_list("bill__number", "reference"))
    errors, seen, good = [], set(), []
    file_paid: dict[str, Decimal] = {}  # what earlier rows of this file pay on each bill
    for i, r in enumerate(rows, start=2):
        number = (r["bill"] or "").strip()
        ref = (r["reference"] or "").strip()
        problems = []
        if number not in bills:
            problems.append(str(_("unknown bill number (or outside your area)")))
        raw = (r["amount"] or "").replace(".", "").replace(",", "").replace("Rp", "").strip()
        amount = Decimal(raw) if raw.isdigit() else None
        if amount is None or amount <= 0:
            problems.append(str(_("amount must be whole rupiah greater than zero")))
        paid_on = _parse_date(r["paid_on"])
        if paid_on is None:
            problems.append(str(_("date must be YYYY-MM-DD or DD/MM/YYYY")))
        if not ref:
            problems.append(str(_("reference is missing")))
        elif (number, ref) in seen:
            problems.append(str(_("the same reference appears twice in the file")))
        elif (number, ref) in existing:
            problems.append(str(_("this payment is already recorded")))
        seen.add((number, ref))
        if not problems:
            bill = bills[number]
            due_left = bill.total - bill.paid - file_paid.get(number, 0)
            if amount > due_left:
                problems.append(str(overpayment_message(bill, amount)))
            else:
                file_paid[number] = file_paid.get(number, 0) + amount
        if problems:
            errors.append({"row": i, "bill": number, "errors": problems})
        else:
            good.append(
                Payment(
                    bill=bills[number],
                    amount=amount,
                    paid_on=paid_on,
                    reference=ref,
                    source=Payment.Source.IMPORT,
                    recorded_by=actor,
                )
            )
    if errors:
        raise ImportErrors(errors)
    if not good:
        raise SinergiError(_("The file has no rows."), code="empty_file", field="file")
    with transaction.atomic():
        Payment.objects.bulk_create(good, batch_size=1000)
        _apply_payments(sorted({p.bill_id for p in good}))
        billing.refresh_statuses(
            today=clock.today(),
            lapse_after=int(rules.LAPSE_AFTER_UNPAID_MONTHS.value_at(clock.today())),
        )
        total = sum(p.amount for p in good)
        audit_record(
            actor=actor,
            action="import",
            object_type="coverage.payment",
            object_repr=filename[:200],
            changes={"rows": len(good), "total": str(total)},
        )
    return {"rows": len(good), "total": total}


# ---------------------------------------------------------------------------------------------
# Sponsored enrolment schemes
# ---------------------------------------------------------------------------------------------
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


def scheme_package(scheme: Scheme) -> Decimal:
    """Monthly premium per participant, computed from the rules (never typed)."""
    try:
        return rules.package_monthly(dt.date(scheme.year, 1, 1), with_jht=scheme.include_jht)
    except RuleError as exc:
        raise rule_error(exc) from exc


@transaction.atomic
def scheme_create(
    *, actor, sponsor_organisation, agency, region=None, region_id=None, branch=None, quotas=None, **fields
) -> Scheme:
    require(actor, "manage_schemes")
    region_id = region.code if region is not None else region_id
    if not region_id:
        raise SinergiError(_("Choose the region."), field="region")
    _scope_check_region(actor, region_id)
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


def _eligible_people(scheme: Scheme, on: dt.date):
    from sinergi.registry.models import Person

    covered = Participation.objects.filter(person=OuterRef("pk")).filter(
        in_force_q(on) | Q(status=Participation.Status.PENDING)
    )
    already = Candidate.objects.filter(scheme=scheme, person=OuterRef("pk"))
    qs = Person.objects.filter(
        domicile_region__code__startswith=scheme.region_id,
        employment_type=Person.EmploymentType.INFORMAL,
        is_deceased=False,
        merged_into__isnull=True,
    ).filter(~Exists(covered), ~Exists(already))
    if scheme.require_vulnerable:
        qs = qs.filter(is_vulnerable=True)
    if scheme.eligible_occupations:
        qs = qs.filter(occupation__in=scheme.eligible_occupations)
    if scheme.max_welfare_decile:
        qs = qs.filter(Q(welfare_decile__lte=scheme.max_welfare_decile) | Q(welfare_decile__isnull=True))
    priority = [When(occupation=occ, then=Value(i)) for i, occ in enumerate(scheme.occupation_priority or [])]
    occ_rank = (
        Case(*priority, default=Value(len(priority)), output_field=IntegerField()) if priority else Value(0)
    )
    return qs.annotate(decile_rank=Coalesce("welfare_decile", Value(11)), occupation_rank=occ_rank).order_by(
        "decile_rank", "occupation_rank", "name", "id"
    )


def scheme_counts(scheme: Scheme) -> dict:
    parts = Participation.objects.filter(scheme=scheme)
    enrolled = parts.exclude(status="pending").count()  # received a participant number this year
    pending = parts.filter(status="pending").count()
    in_batches = Candidate.objects.filter(
        batch__scheme=scheme, batch__status=CandidateBatch.Status.DRAFT
    ).count()
    return {
        "enrolled": enrolled,
        "pending": pending,
        "in_draft": in_batches,
        "remaining": max(scheme.target - enrolled - pending - in_batches, 0),
    }


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


def scheme_close_if_over(*, scheme: Scheme, actor=None, today: dt.date | None = None) -> bool:
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


def schemes_year_close(*, actor=None, today: dt.date | None = None) -> int:
    """Close every open scheme whose budget year has ended (the scheduled year-end job). Idempotent."""
    today = today or clock.today()
    closed = 0
    for scheme in Scheme.objects.filter(status=Scheme.Status.OPEN, year__lt=today.year):
        closed += scheme_close_if_over(scheme=scheme, actor=actor, today=today)
    return closed


def candidates_select(
    *, actor, scheme: Scheme, limit: int | None = None, person_ids=None, on=None, source: str = "registry"
) -> CandidateBatch:
    """Select, rank and list the next candidates (up to the remaining quota) in one draft batch.
    Nothing is selected in a closed budget year (the scheme is closed on first use after it)."""
    require(actor, "manage_schemes")
    _scope_check_region(actor, scheme.region_id)
    scheme_close_if_over(scheme=scheme, actor=actor)
    return _candidates_select(
        actor=actor, scheme=scheme, limit=limit, person_ids=person_ids, on=on, source=source
    )


@transaction.atomic
def _candidates_select(*, actor, scheme: Scheme, limit, person_ids, on, source) -> CandidateBatch:
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != Scheme.Status.OPEN:
        if scheme.year_over(clock.today()):
            raise closed_year_error(scheme)
        raise Conflict(_("This scheme is closed."))
    on = on or clock.today()
    remaining = scheme_counts(scheme)["remaining"]
    if limit is not None:
        remaining = min(remaining, int(limit))
    if remaining <= 0:
        raise Conflict(_("The scheme's target is already reached."), code="quota_full")
    qs = _eligible_people(scheme, on)
    if person_ids is not None:
        qs = qs.filter(pk__in=list(person_ids))
    quotas = dict(scheme.quotas.values_list("region_id", "quota"))
    chosen: list[int] = []
    if quotas:
        taken = dict.fromkeys(quotas, 0)
        for row in (
            Participation.objects.filter(scheme=scheme)
            .exclude(status="ended")
            .values_list("person__domicile_region_id", flat=True)
        ):
            for code in quotas:
                if row.startswith(code):
                    taken[code] += 1
        for code, quota in quotas.items():
            room = quota - taken[code]
            if room > 0:
                chosen.extend(
                    qs.filter(domicile_region__code__startswith=code).values_list("pk", flat=True)[:room]
                )
        order = {pk: i for i, pk in enumerate(qs.filter(pk__in=chosen).values_list("pk", flat=True))}
        chosen = sorted(chosen, key=order.get)[:remaining]
    else:
        chosen = list(qs.values_list("pk", flat=True)[:remaining])
    if not chosen:
        raise SinergiError(_("No eligible people were found in the registry."), code="no_candidates")
    batch = CandidateBatch.objects.create(scheme=scheme, selected_by=actor, source=source)
    Candidate.objects.bulk_create(
        [Candidate(batch=batch, scheme=scheme, person_id=pk, rank=i) for i, pk in enumerate(chosen, start=1)],
        batch_size=1000,
    )
    audit_create(actor=actor, obj=batch, purpose=f"{len(chosen)} candidates selected")
    return batch


def batch_decide(
    *, actor, batch: CandidateBatch, approve: bool, note: str = "", start_date=None
) -> CandidateBatch:
    """Approve or reject a candidate list. Maker-checker: the approver is not the selector.
    Approval creates the sponsored participations (pending until BPJS returns participant numbers).
    Nothing is approved in a closed budget year."""
    require(actor, "approve_schemes")
    scheme_close_if_over(scheme=batch.scheme, actor=actor)
    return _batch_decide(actor=actor, batch=batch, approve=approve, note=note, start_date=start_date)


@transaction.atomic
def _batch_decide(*, actor, batch: CandidateBatch, approve: bool, note: str, start_date) -> CandidateBatch:
    batch = CandidateBatch.objects.select_for_update().select_related("scheme").get(pk=batch.pk)
    scheme = batch.scheme
    if approve and scheme.status != Scheme.Status.OPEN:
        raise (
            closed_year_error(scheme)
            if scheme.year_over(clock.today())
            else Conflict(_("This scheme is closed."))
        )
    _scope_check_region(actor, scheme.region_id)
    if batch.status != CandidateBatch.Status.DRAFT:
        raise Conflict(_("This list has already been decided."))
    if batch.selected_by_id == actor.pk:
        raise NotAllowed(_("A second officer must approve: you selected this list."), code="maker_checker")
    batch.status = CandidateBatch.Status.APPROVED if approve else CandidateBatch.Status.REJECTED
    batch.decided_by = actor
    batch.decided_at = clock.now()
    batch.note = note[:300]
    batch.save()
    if approve:
        start = start_date or max(clock.today().replace(day=1), dt.date(scheme.year, 1, 1))
        end = dt.date(scheme.year, 12, 31)
        if start > end:
            raise Conflict(_("The scheme's budget year is over: renew the scheme for the new year first."))
        income = rules.BPU_MIN_INCOME.value_at(start)
        cands = list(batch.candidates.select_related("person"))
        parts = [
            Participation(
                person=c.person,
                segment=Segment.BPU,
                jkk=True,
                jkm=True,
                jht=scheme.include_jht,
                payer_kind=PayerKind.SPONSOR,
                sponsor_organisation_id=scheme.sponsor_organisation_id,
                scheme=scheme,
                region_id=c.person.domicile_region_id,
                start_date=start,
                end_date=end,
                status=Participation.Status.PENDING,
                wage=income,
            )
            for c in cands
        ]
        Participation.objects.bulk_create(parts, batch_size=1000)
        if parts and parts[0].pk is None:  # backends without RETURNING ids
            by_person = dict(
                Participation.objects.filter(
                    scheme=scheme, person_id__in=[c.person_id for c in cands]
                ).values_list("person_id", "pk")
            )
            for p in parts:
                p.pk = by_person[p.person_id]
        WageReport.objects.bulk_create(
            [
                WageReport(participation_id=p.pk, amount=income, valid_from=start, reported_by=actor)
                for p in parts
            ],
            batch_size=1000,
        )
        for c, p in zip(cands, parts, strict=True):
            c.participation_id = p.pk
        Candidate.objects.bulk_update(cands, ["participation"], batch_size=1000)
    else:
        batch.candidates.all().delete()
    audit_transition(actor=actor, obj=batch, from_status="draft", to_status=batch.status, note=note)
    return batch


ENROLMENT_HEADERS = ("NIK", "Nama", "Tanggal Lahir", "Pekerjaan", "Alamat", "Program", "Penghasilan")


def enrolment_rows(scheme: Scheme, status=("pending",)):
    qs = (
        Participation.objects.filter(scheme=scheme, status__in=status)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    for p in qs:
        yield (
            p.person.nik,
            p.person.name,
            p.person.birth_date.isoformat(),
            p.person.occupation,
            p.person.address,
            p.programmes_label,
            int(p.wage),
        )


PARTICIPANT_COLUMNS = {
    "nik": ("nik",),
    "number": ("no peserta", "nomor peserta", "kpj", "participant number", "no kpj"),
}


def participant_numbers_import(*, actor, scheme: Scheme, data: bytes, filename: str, start_date=None) -> dict:
    """The branch's reply to the enrolment file: NIK → BPJS participant number. All or nothing."""
    require(actor, "manage_schemes")
    _scope_check_region(actor, scheme.region_id)
    df = _map_columns(read_table(data, filename), PARTICIPANT_COLUMNS)
    rows = df.to_dicts()
    pending = dict(
        Participation.objects.filter(scheme=scheme, status=Participation.Status.PENDING).values_list(
            "person__nik", "pk"
        )
    )
    numbers = [(r["number"] or "").strip() for r in rows]
    used = set(
        Participation.objects.filter(participant_number__in=numbers).values_list(
            "participant_number", flat=True
        )
    )
    errors, seen_nik, seen_no, updates = [], set(), set(), []
    for i, r in enumerate(rows, start=2):
        nik = (r["nik"] or "").strip()
        number = (r["number"] or "").strip()
        problems = []
        if nik not in pending:
            problems.append(str(_("NIK is not awaiting a participant number in this scheme")))
        if not (number.isdigit() and 8 <= len(number) <= 20):
            problems.append(str(_("participant number must be 8 to 20 digits")))
        if nik in seen_nik:
            problems.append(str(_("NIK appears twice in the file")))
        if number in seen_no:
            problems.append(str(_("participant number appears twice in the file")))
        elif number in used:
            problems.append(str(_("participant number is already used")))
        seen_nik.add(nik)
        seen_no.add(number)
        if problems:
            errors.append({"row": i, "nik": nik[:6] + "…" if nik else "", "errors": problems})
        else:
            updates.append((pending[nik], number))
    if errors:
        raise ImportErrors(errors)
    if not updates:
        raise SinergiError(_("The file has no rows."), code="empty_file", field="file")
    with transaction.atomic():
        objs = list(Participation.objects.filter(pk__in=[u[0] for u in updates]).select_for_update())
        numbers_by_pk = dict(updates)
        for p in objs:
            p.participant_number = numbers_by_pk[p.pk]
            p.status = Participation.Status.ACTIVE
            if start_date:
                p.start_date = start_date
        Participation.objects.bulk_update(
            objs, ["participant_number", "status", "start_date"], batch_size=1000
        )
        audit_record(
            actor=actor,
            action="import",
            obj=scheme,
            changes={"participant_numbers": len(objs)},
            purpose="BPJS participant numbers",
        )
    return {"rows": len(updates)}


def _renewal_check(scheme: Scheme, person, start: dt.date) -> str | None:
    """Why a participant of the old year is not carried into `scheme` (None: carried). Re-checked on
    the new year's rules: alive, still vulnerable (income and occupation), occupation and welfare
    decile of the scheme, below pension age."""
    from sinergi.rules.benefits import pension_age
    from sinergi.rules.vulnerable import vulnerability

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
def scheme_renew(*, actor, scheme: Scheme, budget=None, target=None) -> Scheme:
    """Open the scheme for the current budget year (one renewal reaches it, however many years were
    missed) and carry over the participants of the last year who are still eligible.

    Each participant is re-checked (see `_renewal_check`), then admitted in the old ranking order
    while the new year's target, the district quotas and the budget (12 months at the new year's
    package price) allow. The carried participants get a new participation for the new year (same
    participant number, the new year's minimum declared income); the old year's stays as history.
    Those dropped are listed with their reason in the new scheme's `renewal_report`.
    """
    require(actor, "manage_schemes")
    _scope_check_region(actor, scheme.region_id)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if Scheme.objects.filter(renewed_from=scheme).exists():
        raise Conflict(_("This scheme has already been renewed."))
    today = clock.today()
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
    new = Scheme(
        sponsor_organisation=scheme.sponsor_organisation,
        agency=scheme.agency,
        branch=scheme.branch,
        region=scheme.region,
        created_by=actor,
        renewed_from=scheme,
        **fields,
    )
    package = scheme_package(new)  # the new year's rates (dated rule tables)
    new.save()
    quotas = {q.region_id: q.quota for q in scheme.quotas.all()}
    for code, quota in quotas.items():
        SchemeQuota.objects.create(scheme=new, region_id=code, quota=quota)
    start = max(dt.date(new_year, 1, 1), today.replace(day=1))
    end = dt.date(new_year, 12, 31)
    months = 12 - start.month + 1
    cost_each = package * months
    income = rules.BPU_MIN_INCOME.value_at(start)
    last_year_end = dt.date(scheme.year, 12, 31)
    # the participants of the last year: covered on its last day (not pending, not ended earlier)
    old_parts = list(
        Participation.objects.filter(scheme=scheme)
        .exclude(status__in=[Participation.Status.PENDING, Participation.Status.LAPSED])
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=last_year_end))
        .select_related("person")
        .order_by("pk")  # the ranking order: participations were created rank by rank
    )
    carried, dropped, taken = [], [], dict.fromkeys(quotas, 0)
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
            end_date=end,
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
    # the old year's cover ends with its year (if it was still open-ended)
    Participation.objects.filter(scheme=scheme, end_date__isnull=True).update(end_date=last_year_end)
    new.renewal_report = {
        "from_year": scheme.year,
        "to_year": new_year,
        "start": start.isoformat(),
        "package": int(package),
        "carried": len(carried),
        "dropped": dropped,
    }
    new.save(update_fields=["renewal_report"])
    before = scheme.status
    if before != Scheme.Status.CLOSED:
        scheme.status = Scheme.Status.CLOSED
        scheme.save(update_fields=["status", "updated_at"])
        audit_transition(actor=actor, obj=scheme, from_status=before, to_status="closed", note="renewed")
    audit_create(
        actor=actor,
        obj=new,
        purpose=f"renewal of {scheme.pk}: {len(carried)} carried over, {len(dropped)} dropped",
    )
    return new


# ---------------------------------------------------------------------------------------------
# Coverage gap → candidates
# ---------------------------------------------------------------------------------------------
def gap_propose(*, actor, scheme: Scheme, person_ids) -> CandidateBatch:
    """Propose people found in the coverage gap as candidates of a scheme (still needs approval)."""
    ids = list(person_ids)
    if not ids:
        raise SinergiError(_("Nobody to propose."), code="no_candidates")
    return candidates_select(actor=actor, scheme=scheme, person_ids=ids, source="gap")


def get_or_404(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Not found.")) from exc
