"""Background work of coverage: the monthly billing run (one job per month at a time)."""

import datetime as dt

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import require
from sinergi.core.jobs import job_handler, job_start
from sinergi.core.money import format_rupiah
from sinergi.coverage import billing, services


@job_handler("coverage.billing")
def billing_job(job, progress):

    month = dt.date.fromisoformat(job.params["month"])
    _branch, area = services.billing_branch_area(job.created_by)
    progress.set_total(billing.billable_count(month=month, area=area or None))
    run = services.billing_run(actor=job.created_by, month=month, progress=progress)
    services.statuses_refresh(actor=job.created_by)
    progress.set(done=job.total)
    progress.message(
        _("%(bills)s bills, %(parts)s participations, total %(total)s")
        % {"bills": run.bills, "parts": run.participations, "total": format_rupiah(run.total)}
    )
    return {
        "month": month.isoformat(),
        "bills": run.bills,
        "participations": run.participations,
        "total": int(run.total),
        "new_bills": run.result["new_bills"],
        "new_contributions": run.result["new_contributions"],
        "next_url": reverse("coverage:bill_list") + f"?month={month:%Y-%m}",
    }


def billing_start(*, user, month: dt.date, idempotency_key: str | None = None):
    """Start the billing job for `month`; a second start while one runs is refused (lock); a start
    with the `idempotency_key` of an earlier one returns that job (a double-submitted form)."""
    require(user, "run_billing")
    return job_start(
        kind="coverage.billing",
        user=user,
        params={"month": month.replace(day=1).isoformat()},
        title=gettext("Billing %(month)s") % {"month": formats.date_format(month, "F Y")},
        lock_key=f"billing:{month:%Y-%m}:{getattr(user.organisation, 'pk', '') or 'all'}",
        idempotency_key=idempotency_key,
    )


@job_handler("coverage.year_end")
def year_end_job(job, progress):
    """Close the schemes whose budget year has ended (the scheduled year-end job)."""
    closed = services.schemes_year_close(actor=job.created_by)
    progress.set_total(closed)
    progress.set(done=closed)
    return {"closed": closed}
