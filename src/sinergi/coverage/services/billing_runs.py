"""Billing runs for a branch's service area and the nightly refresh of participation statuses (the
set-based SQL lives in `coverage.billing`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import SinergiError
from sinergi.coverage import billing
from sinergi.coverage.models import (
    BillingRun,
)
from sinergi.coverage.pricing import first_of_month, rule_error
from sinergi.coverage.selectors import billing_branch_area
from sinergi.rules import contributions as rules
from sinergi.rules.tables import RuleError

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def billing_run(*, actor: User, month, progress=None) -> BillingRun:
    """Bill, for `month`, every billable participation whose payer is located in the actor's branch
    service area (employer's or sponsor's region, a self-payer's domicile), exactly once.

    Idempotent: a second run for the same branch and month adds only participations not yet billed
    (none if nothing changed) and never a second bill per payer. A participation whose payer is
    missing or of an unknown kind stops the run before anything is written, with a message naming it.
    """
    require(actor, "run_billing")
    month = first_of_month(month)
    try:
        rules.billing_parameters(month)
    except RuleError as exc:
        raise rule_error(exc) from exc
    branch, area = billing_branch_area(actor)
    _refuse_unbillable(month=month, area=area)
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


def _refuse_unbillable(*, month: dt.date, area: list[str]) -> None:
    """Stop the run before anything is written when a participation has no known payer."""
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


def statuses_refresh(*, actor: User | None = None, today: dt.date | None = None) -> int:
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
