"""Dated work of coverage, run by the scheduler (sinergi.core.schedules)."""

from django.utils.translation import gettext_lazy as _

from sinergi.core.schedules import schedule
from sinergi.coverage.services import schemes_year_close


def _year_end(*, day):

    return {"closed": schemes_year_close(actor=None, today=day)}


# Idempotent: closing runs again on first use of a scheme after its year, so a missed run loses nothing.
schedule(
    "coverage.year_end",
    _year_end,
    every="yearly",
    month=1,
    day=1,
    at="00:30",
    title=_("Close sponsored schemes whose budget year has ended"),
)
