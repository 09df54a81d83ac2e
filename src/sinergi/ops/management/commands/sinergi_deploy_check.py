"""`sinergi deploy-check [--url URL]`: is this deployment whole? Exit status 1 when a check fails."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sinergi.core.jobs import job_start
from sinergi.core.models import Job
from sinergi.ops.deploycheck import checks


class Command(BaseCommand):
    help = "Verify a running deployment: database, migrations, cache, replica lag, workers, scheduler, media, web."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="base URL of a web process, e.g. http://127.0.0.1:8000")
        parser.add_argument(
            "--probe",
            action="store_true",
            help="also queue a probe job and wait (60 s) for a worker to finish it",
        )

    def handle(self, *args, **opts):
        results = checks(url=opts["url"])
        if opts["probe"]:
            results.append(self._probe())
        for name, ok, detail in results:
            self.stdout.write(f"{'OK  ' if ok else 'FAIL'} {name:<26} {detail}")
        failed = [name for name, ok, _ in results if not ok]
        if failed:
            raise CommandError(f"{len(failed)} checks failed: {', '.join(failed)}")

    def _probe(self):

        job = job_start(kind="ops.probe", title=_("Deployment check: probe job"), params={"rows": 3})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.5)
        ok = job.status == Job.Status.SUCCEEDED
        return ("probe job", ok, f"job {job.pk} {job.status} on {job.worker or '-'}")
