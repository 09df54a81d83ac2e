"""Background work of planning: refresh the live indicator figures; freeze month-end and quarter-end
snapshots. `planning.snapshots` is the handler a scheduler calls (daily is enough: it freezes only
period ends that have passed and are not yet frozen)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.core.dates import format_date
from sinergi.core.jobs import job_handler, job_start
from sinergi.planning import snapshots


@job_handler("planning.snapshots")
def snapshots_job(job, progress):
    today = dt.date.fromisoformat(job.params["today"]) if job.params.get("today") else None
    back_to = dt.date.fromisoformat(job.params["back_to"]) if job.params.get("back_to") else None
    progress.set_total(2)
    made = snapshots.freeze_due(today=today, actor=job.created_by, back_to=back_to)
    progress.advance(1)
    live = snapshots.refresh_live(actor=job.created_by, on=today)
    progress.advance(1)
    progress.message(
        ngettext(
            "%(n)s snapshot frozen; live figures as of %(day)s.",
            "%(n)s snapshots frozen; live figures as of %(day)s.",
            len(made),
        )
        % {"n": len(made), "day": format_date(live.period_end)}
    )
    return {
        "frozen": [f"{s.kind} {s.period_end}" for s in made],
        "live": live.period_end.isoformat(),
        "next_url": reverse("planning:indicators"),
    }


def snapshots_start(*, user=None, today: dt.date | None = None, back_to: dt.date | None = None):
    params = {}
    if today:
        params["today"] = today.isoformat()
    if back_to:
        params["back_to"] = back_to.isoformat()
    return job_start(
        kind="planning.snapshots",
        user=user,
        params=params,
        title=str(_("Indicator snapshots")),
        lock_key="planning.snapshots",
    )
