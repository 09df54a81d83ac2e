"""`sinergi schedules`: list the registered schedules and their last runs; run due or named ones."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sinergi.core import clock
from sinergi.core.schedules import discover
from sinergi.ops.models import ScheduledRun
from sinergi.ops.scheduler import due_runs, run_execute


class Command(BaseCommand):
    help = "List schedules and their last runs; --run-due runs what is due now (for cron), --run NAME one schedule."

    def add_arguments(self, parser):
        parser.add_argument("--run-due", action="store_true", help="create and run every due slot here")
        parser.add_argument("--run", metavar="NAME", help="run one schedule now, here")

    def handle(self, *args, **opts):
        registry = discover()
        if opts["run"]:
            if opts["run"] not in registry:
                raise CommandError(f"No schedule {opts['run']!r}; known: {', '.join(sorted(registry))}")
            now = timezone.localtime(clock.now())
            run = ScheduledRun.objects.create(schedule=opts["run"], due_at=now, day=now.date(), manual=True)
            run = run_execute(run, worker="cli")
            self.stdout.write(f"{run.schedule}: {run.status} {run.error or run.result}")
            return
        if opts["run_due"]:
            for run in due_runs():
                run = run_execute(run, worker="cli")
                self.stdout.write(f"{run.schedule} {run.due_at:%Y-%m-%d %H:%M}: {run.status} {run.error}")
            return
        for name, sched in sorted(registry.items()):
            last = ScheduledRun.objects.filter(schedule=name).first()
            when = f"{last.due_at:%Y-%m-%d %H:%M} {last.status}" if last else "never run"
            self.stdout.write(f"{name:<40} {sched.every:<9} {sched.at:%H:%M}  last: {when}")
