# ruff: noqa: S608 - SQL here is assembled from constants only; every value is a bound parameter
"""Payments against bills: one recorded by hand, a bank statement imported all or nothing, and the
bill totals recomputed set-based."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.core import clock
from sinergi.core.audit import audit_create, audit_record
from sinergi.core.errors import Conflict, SinergiError
from sinergi.core.money import format_rupiah
from sinergi.coverage import billing
from sinergi.coverage.models import (
    Bill,
    Payment,
)
from sinergi.coverage.selectors import bill_list
from sinergi.coverage.services.common import ImportErrors, map_columns, read_table, scope_check_region
from sinergi.rules import contributions as rules

if TYPE_CHECKING:
    from sinergi.accounts.models import User

# A bill's status follows from its amounts only: nothing due left = paid, something paid = partial.
BILL_STATUS_SQL = "CASE WHEN paid >= total THEN 'paid' WHEN paid > 0 THEN 'partial' ELSE 'open' END"


def bill_totals_refresh(bill_ids) -> None:
    """Recompute bills' participations and amounts from their contribution rows and their status from
    the amounts (after contributions were withdrawn, e.g. months after a death). A bill left without
    contributions and without payments is deleted; one with payments keeps them (status from amounts)."""
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
def payment_record(*, actor: User, bill: Bill, amount, paid_on: dt.date, reference: str) -> Payment:
    require(actor, "run_billing")
    scope_check_region(actor, bill.region_id)
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


def _parse_date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _payment_row(
    r: dict, *, bills: dict, seen: set[tuple[str, str]], existing: set[tuple[str, str]]
) -> tuple[str, str, Decimal | None, dt.date | None, list[str]]:
    """One statement row parsed and checked on its own: (bill number, reference, amount, date,
    problems). The pair (bill, reference) is added to `seen`."""
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
    return number, ref, amount, paid_on, problems


def payments_import(*, actor: User, data: bytes, filename: str) -> dict:
    """Import a bank statement: validate every row first, then write all or nothing."""
    require(actor, "run_billing")
    df = map_columns(read_table(data, filename), PAYMENT_COLUMNS)
    rows = df.to_dicts()
    numbers = {(r["bill"] or "").strip() for r in rows}
    bills = {b.number: b for b in bill_list(user=actor).filter(number__in=numbers)}
    existing = set(Payment.objects.filter(bill__number__in=numbers).values_list("bill__number", "reference"))
    errors: list[dict] = []
    seen: set[tuple[str, str]] = set()
    good: list[Payment] = []
    file_paid: dict[str, Decimal] = {}  # what earlier rows of this file pay on each bill
    for i, r in enumerate(rows, start=2):
        number, ref, amount, paid_on, problems = _payment_row(r, bills=bills, seen=seen, existing=existing)
        if not problems:
            bill = bills[number]
            due_left = bill.total - bill.paid - file_paid.get(number, Decimal(0))
            assert amount is not None  # a row without problems has its amount
            if amount > due_left:
                problems.append(str(overpayment_message(bill, amount)))
            else:
                file_paid[number] = file_paid.get(number, Decimal(0)) + amount
        if problems:
            errors.append({"row": i, "bill": number, "errors": problems})
        else:
            assert amount is not None and paid_on is not None  # a row without problems has both
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
