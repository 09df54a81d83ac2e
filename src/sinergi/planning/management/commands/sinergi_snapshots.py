"""`sinergi manage sinergi_snapshots`: freeze passed month/quarter ends and refresh the live figures.

`--now` runs here; otherwise a background job is queued. `--today` treats a date as today;
`--back-to` also freezes every earlier month end down to that date (catching up)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sinergi.planning import snapshots, tasks


def _date(raw, name):
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise CommandError(f"{name} must be YYYY-MM-DD: {exc}") from exc


class Command(BaseCommand):
    help = "Freeze month-end and quarter-end indicator snapshots and refresh the live figures."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process")
        parser.add_argument("--today", help="treat this date (YYYY-MM-DD) as today")
        parser.add_argument("--back-to", help="also freeze earlier month ends down to this date")

    def handle(self, *args, now=False, today=None, back_to=None, **options):
        day, back = _date(today, "--today"), _date(back_to, "--back-to")
        if now:
            made = snapshots.freeze_due(today=day, back_to=back)
            live = snapshots.refresh_live(on=day)
            for s in made:
                self.stdout.write(f"frozen {s.kind} {s.period_end}: {s.figures.count()} figures")
            self.stdout.write(f"live figures as of {live.period_end}: {live.figures.count()}")
            return
        job = tasks.snapshots_start(today=day, back_to=back)
        self.stdout.write(f"Queued job {job.pk}.")
