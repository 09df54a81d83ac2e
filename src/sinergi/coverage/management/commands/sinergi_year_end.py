"""`sinergi year_end`: close every sponsored scheme whose budget year has ended.

Run it from cron on 1 January (or any day: it is idempotent). The same check runs on first use of a
scheme after its year (selection, approval), so a missed run never lets anyone work in a closed year.
Programs and card rounds carry their own dates and refuse work after them without a job.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sinergi.core import clock
from sinergi.coverage.services import schemes_year_close


class Command(BaseCommand):
    help = "Close sponsored schemes whose budget year has ended (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="treat this date (YYYY-MM-DD) as today")

    def handle(self, *args, today=None, **options):

        day = clock.today()
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD: {exc}") from exc
        closed = schemes_year_close(actor=None, today=day)
        self.stdout.write(f"{closed} scheme(s) closed (budget years before {day.year}).")
