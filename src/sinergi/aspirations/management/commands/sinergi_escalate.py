"""`sinergi escalate`: escalate overdue aspirations, warn about near deadlines, remind commitment owners.

Without options the work is queued as a background job (a worker runs it). `--now` runs it here and
prints the counts. The daily run is the scheduler's (`aspirations/schedules.py`, see /ops/schedules/).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sinergi.aspirations import tasks
from sinergi.core.jobs import job_execute


class Command(BaseCommand):
    help = "Escalate overdue aspirations (set-based), as a background job or at once."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process and print the result")
        parser.add_argument("--today", help="treat this date (YYYY-MM-DD) as today (for catching up)")

    def handle(self, *args, now=False, today=None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD: {exc}") from exc
        job = tasks.escalation_start(today=day)
        if now:
            job.refresh_from_db()
            if not job.is_finished:
                job = job_execute(job)
            self.stdout.write(f"{job.status}: {job.result}")
        else:
            self.stdout.write(f"Queued job {job.pk}; a worker runs it (`sinergi worker`).")
