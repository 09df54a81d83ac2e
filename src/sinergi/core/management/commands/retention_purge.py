"""`sinergi manage retention_purge [--dry-run]`: delete personal data past its retention period
(sinergi.core.retention). Meant for a scheduler (cron, systemd timer); running it twice is harmless."""

from django.core.management.base import BaseCommand

from sinergi.core.retention import purge


class Command(BaseCommand):
    help = "Delete rejected import rows and uploaded documents kept longer than their retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        for line in purge(dry_run=dry_run):
            verb = "would purge" if dry_run else "purged"
            self.stdout.write(
                f"{line['model']}: {verb} {line['rows']} row(s), {line['files']} file(s) "
                f"older than {line['cutoff']} ({line['what']})"
            )
