"""Dated work of planning, run by the scheduler (sinergi.core.schedules)."""

from django.utils.translation import gettext_lazy as _

from sinergi.core.schedules import schedule
from sinergi.planning import snapshots


def _snapshots(*, day):
    made = snapshots.freeze_due(today=day, actor=None)
    live = snapshots.refresh_live(actor=None, on=day)
    return {"frozen": [f"{s.kind} {s.period_end}" for s in made], "live": live.period_end.isoformat()}


# Daily is enough: it freezes only the month and quarter ends that have passed and are not yet frozen.
schedule(
    "planning.snapshots",
    _snapshots,
    every="daily",
    at="01:00",
    title=_("Freeze month-end and quarter-end indicator figures; refresh the live figures"),
)
