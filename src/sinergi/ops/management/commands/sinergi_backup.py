"""`sinergi backup`: the database and the media folder into one dated, checksummed archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.ops.backup import BackupError, archive_verify, backup_create, generate_key


class Command(BaseCommand):
    help = "Back up the database and the media folder into one dated, checksummed (optionally encrypted) archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="folder for the archive (default: SINERGI_HOME/backups)")
        enc = parser.add_mutually_exclusive_group()
        enc.add_argument(
            "--encrypt", action="store_true", default=None, help="encrypt (needs SINERGI_BACKUP_KEY)"
        )
        enc.add_argument(
            "--no-encrypt", dest="encrypt", action="store_false", help="do not encrypt even if a key is set"
        )
        parser.add_argument(
            "--no-table-checksums",
            action="store_true",
            help="record row counts only when checksumming every row would take too long",
        )
        parser.add_argument("--verify", metavar="ARCHIVE", help="check an existing archive and exit")
        parser.add_argument("--new-key", action="store_true", help="print a new SINERGI_BACKUP_KEY and exit")

    def handle(self, *args, **opts):
        if opts["new_key"]:
            self.stdout.write(generate_key())
            return
        try:
            if opts["verify"]:
                manifest = archive_verify(Path(opts["verify"]))
                self.stdout.write(
                    f"OK: {len(manifest['members'])} members, {len(manifest['tables'])} tables, "
                    f"made {manifest['created_at']} ({manifest['engine']})"
                )
                return
            result = backup_create(
                output=Path(opts["output"]) if opts["output"] else None,
                encrypt=opts["encrypt"],
                table_checksums=not opts["no_table_checksums"],
                say=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc))
        media = sum(1 for name in result.manifest["members"] if name.startswith("media/"))
        self.stdout.write(
            f"{result.path}\n  {result.size:,} bytes, sha256 {result.sha256}\n"
            f"  {len(result.manifest['tables'])} tables, {media} media files"
            f"{', encrypted' if result.manifest['encrypted'] else ''}"
        )
