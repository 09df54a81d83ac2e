"""`sinergi import FILE [--body ID] [--commit | --dry-run] [--strict] [--user NAME]`: a member list from
the command line, through the same job as the UI (the job, its file and report stay in /jobs/)."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.models import User
from sinergi.core.jobs import job_execute, job_start, terminal_progress
from sinergi.core.models import Job
from sinergi.unions.models import UnionBody


class Command(BaseCommand):
    help = "Validate (default, or --dry-run) or commit (--commit) a worker/member list (XLSX or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--body", type=int, help="union body id: rows become its members")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--commit", action="store_true", help="write the valid rows (one transaction)")
        mode.add_argument("--dry-run", action="store_true", help="only validate and report (the default)")
        parser.add_argument("--strict", action="store_true", help="write nothing if any row is rejected")
        parser.add_argument("--user", help="username recorded as the actor in the audit log")
        parser.add_argument("--language", default="id", choices=["id", "en"])
        parser.add_argument("--report", help="write the rejected-rows report (XLSX) to this path")

    def handle(self, *args, **opts):
        from sinergi.registry import tasks  # noqa: F401 - registers the handler

        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = None
        if opts["user"]:
            user = User.objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"No such user: {opts['user']}")
        if opts["body"] and not UnionBody.objects.filter(pk=opts["body"]).exists():
            raise CommandError(f"No union body with id {opts['body']}")
        mode = "commit" if opts["commit"] else "validate"
        job = job_start(
            kind="registry.import",
            user=user,
            title=f"{'Import' if mode == 'commit' else 'Validate'} {path.name} (CLI)",
            params={
                "mode": mode,
                "body_id": opts["body"],
                "strict": opts["strict"],
                "language": opts["language"],
                "filename": path.name,
                "actor_id": user.pk if user else None,
                "_progress_every": 10_000,
            },
            input_file=ContentFile(path.read_bytes(), name=path.name),
            enqueue=False,  # run here, in the foreground, with the progress bar below
        )
        job = job_execute(job, on_change=terminal_progress(self.stderr))
        if job.status == Job.Status.FAILED:
            raise CommandError(job.error)
        result = job.result
        self.stdout.write(
            f"Job #{job.pk}: {result['total']} rows, {result['valid']} valid, {result['rejected']} rejected, "
            f"{result.get('skipped', 0)} skipped (header on row {result.get('header_row')})."
        )
        for row in result.get("rejected_preview", [])[:20]:
            self.stdout.write(f"  row {row['row']}: " + "\n      ".join(row["reasons"].split("\n")))
        if result["rejected"] > 20:
            self.stdout.write(f"  … {result['rejected'] - 20} more in the report")
        if opts["report"] and job.result_file:
            Path(opts["report"]).write_bytes(job.result_file.read())
            self.stdout.write(f"Report written to {opts['report']}")
        if result.get("committed"):
            self.stdout.write(self.style.SUCCESS(f"Written: {result['written']}"))
        elif mode == "commit":
            self.stdout.write(self.style.WARNING("Nothing written (--strict and rows were rejected)."))
        else:
            self.stdout.write("Dry run: nothing written. Add --commit to write the valid rows.")
