"""Background work of coverage: the monthly billing run (one job per month at a time)."""

import datetime as dt

from django.urls import reverse

from sinergi.core.jobs import job_handler, job_start


@job_handler("coverage.billing")
def billing_job(job, progress):
    from sinergi.coverage import services
    from sinergi.coverage.models import Participation

    month = dt.date.fromisoformat(job.params["month"])
    progress.set_total(Participation.objects.filter(status__in=["active", "arrears"]).count())
    run = services.billing_run(actor=job.created_by, month=month, progress=progress)
    services.statuses_refresh(actor=job.created_by)
    progress.set(done=job.total)
    progress.message(f"{run.bills} bills, {run.participations} participations, total {run.total}")
    return {
        "month": month.isoformat(),
        "bills": run.bills,
        "participations": run.participations,
        "total": int(run.total),
        "new_bills": run.result["new_bills"],
        "new_contributions": run.result["new_contributions"],
        "next_url": reverse("coverage:bill_list") + f"?month={month:%Y-%m}",
    }


def billing_start(*, user, month: dt.date):
    """Start the billing job for `month`; a second start while one runs is refused (lock)."""
    from sinergi.accounts.permissions import require

    require(user, "run_billing")
    return job_start(
        kind="coverage.billing",
        user=user,
        params={"month": month.replace(day=1).isoformat()},
        title=f"Billing {month:%Y-%m}",
        lock_key=f"billing:{month:%Y-%m}",
    )
