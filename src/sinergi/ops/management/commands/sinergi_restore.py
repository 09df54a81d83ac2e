"""`sinergi restore ARCHIVE`: bring a backup back into an empty deployment."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a `sinergi backup` archive (database and media). Refuses a deployment that holds "
        "data unless --force; stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="replace the data of a deployment that is not empty"
        )

    def handle(self, *args, **opts):
        path = Path(opts["archive"])
        if not path.is_file():
            raise CommandError(f"No such archive: {path}")
        try:
            manifest = backup_restore(path=path, force=opts["force"], say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc))
        rows = sum(t["rows"] for t in manifest["tables"].values())
        media = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {len(manifest['tables'])} tables "
            f"({rows:,} rows) and {media} media files, all checked."
        )
