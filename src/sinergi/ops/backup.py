"""Backup and restore: the database and the media folder in one dated, checksummed (optionally encrypted) archive.

Archive layout (a gzip'd tar, written and read as a stream so nothing is held in memory):

    database.pgdump | database.sqlite3   pg_dump custom format, or SQLite's online backup copy
    media/<path>                         every file under MEDIA_ROOT
    manifest.json                        last: sha256 and size of every member above, the row count
                                         and checksum of every table, engine, migrations, version

On PostgreSQL the table counts/checksums are taken in the very snapshot pg_dump dumps (an exported
snapshot held open while pg_dump runs), so they describe exactly what is in the dump. On SQLite they
are taken from the backup copy.

Encryption (`SINERGI_BACKUP_KEY`, a Fernet key): the tar stream is cut into 1 MiB chunks, each
sealed as one Fernet token (AES-128-CBC + HMAC-SHA256) whose plaintext starts with its sequence
number and a last-chunk flag, so a reordered, truncated or altered archive is refused.

Restore refuses a deployment that already holds data (any user, audit entry or media file) unless
`force=True`; it stages and verifies every member against the manifest before touching anything,
then replaces the database and the media folder and checks every table's row count and checksum.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

import sinergi
from sinergi.core import clock

FORMAT_VERSION = 1
ENC_MAGIC = b"SINERGI-BACKUP-FERNET-1\n"
CHUNK = 1024 * 1024
MANIFEST = "manifest.json"
PG_MEMBER = "database.pgdump"
SQLITE_MEMBER = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --------------------------------------------------------------------------------------------------
# Encryption: chunked Fernet, streamed


def backup_key() -> bytes | None:
    key = os.environ.get("SINERGI_BACKUP_KEY") or getattr(settings, "SINERGI_BACKUP_KEY", "")
    return key.strip().encode() if key else None


def generate_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _fernet(key: bytes):
    from cryptography.fernet import Fernet

    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise BackupError("SINERGI_BACKUP_KEY is not a valid key (make one with `sinergi backup --new-key`).")


class EncryptingWriter(io.RawIOBase):
    """A write-only stream: plaintext in, [4-byte length][Fernet token] frames out."""

    def __init__(self, raw, key: bytes):
        self.raw = raw
        self.fernet = _fernet(key)
        self.buffer = bytearray()
        self.seq = 0
        raw.write(ENC_MAGIC)

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._frame(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _frame(self, plain: bytes, *, last: bool):
        token = self.fernet.encrypt(struct.pack(">QB", self.seq, 1 if last else 0) + plain)
        self.raw.write(struct.pack(">I", len(token)) + token)
        self.seq += 1

    def close(self):
        if not self.closed:
            self._frame(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """The reverse of EncryptingWriter; refuses altered, reordered or truncated archives."""

    def __init__(self, raw, key: bytes):
        from cryptography.fernet import InvalidToken

        self.invalid = InvalidToken
        self.raw = raw
        self.fernet = _fernet(key)
        self.pending = b""
        self.seq = 0
        self.ended = False

    def readable(self):
        return True

    def _next(self):
        head = self.raw.read(4)
        if len(head) < 4:
            raise BackupError("The encrypted archive is truncated (its last part is missing).")
        (length,) = struct.unpack(">I", head)
        token = self.raw.read(length)
        try:
            plain = self.fernet.decrypt(token)
        except self.invalid:
            raise BackupError("The archive cannot be decrypted: wrong SINERGI_BACKUP_KEY or altered file.")
        seq, last = struct.unpack(">QB", plain[:9])
        if seq != self.seq:
            raise BackupError("The encrypted archive's parts are out of order.")
        self.seq += 1
        self.ended = bool(last)
        self.pending += plain[9:]

    def readinto(self, target):
        while not self.pending and not self.ended:
            self._next()
        n = min(len(target), len(self.pending))
        target[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


# --------------------------------------------------------------------------------------------------
# Table fingerprints: row count and an order-independent checksum of every row's text


def _user_tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    return [row[0] for row in cursor.fetchall()]


def _row_text_sql(cursor, vendor: str, table: str) -> str:
    quoted = '"' + table.replace('"', '""') + '"'
    if vendor == "postgresql":
        return f"SELECT t::text FROM {quoted} t"  # noqa: S608 (table names come from the catalogue)
    cursor.execute(f"PRAGMA table_info({quoted})")
    columns = ['"' + row[1].replace('"', '""') + '"' for row in cursor.fetchall()]
    row_text = " || ',' || ".join(f"quote({c})" for c in columns) or "''"
    return f"SELECT {row_text} FROM {quoted}"  # noqa: S608


# A row's text depends on session settings (a cluster made with TZ=Asia/Jakarta prints timestamps
# in +07): fix them, so the backup and the restored database are compared in the same terms.
PG_TEXT_SETTINGS = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle TO 'ISO, MDY'",
    "SET IntervalStyle TO 'postgres'",
    "SET extra_float_digits TO 1",
)


def table_fingerprints(cursor, vendor: str, row_cursor=None) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": hex}} for every table; the checksum ignores row order.

    `row_cursor()` gives a fresh (server-side, on PostgreSQL) cursor per table so a big table is
    streamed rather than loaded whole.
    """
    if vendor == "postgresql":
        for statement in PG_TEXT_SETTINGS:
            cursor.execute(statement)
    result = {}
    for table in _user_tables(cursor, vendor):
        sql = _row_text_sql(cursor, vendor, table)
        rows_cursor = row_cursor() if row_cursor else cursor
        rows_cursor.execute(sql)
        total, rows = 0, 0
        while batch := rows_cursor.fetchmany(5000):
            for (text,) in batch:
                total += int.from_bytes(hashlib.sha256((text or "").encode()).digest(), "big")
            rows += len(batch)
        if row_cursor:
            rows_cursor.close()
        result[table] = {"rows": rows, "sha256": f"{total % (1 << 256):064x}"}
    return result


def current_fingerprints() -> dict[str, dict]:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return table_fingerprints(cursor, "postgresql", row_cursor=connection.chunked_cursor)
        return table_fingerprints(cursor, connection.vendor)


# --------------------------------------------------------------------------------------------------
# PostgreSQL connection details for pg_dump / pg_restore


def _pg_env_and_dsn() -> tuple[dict, str]:
    conf = connection.settings_dict
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    parts = {"dbname": conf["NAME"], "host": conf.get("HOST") or "", "port": str(conf.get("PORT") or "")}
    parts["user"] = conf.get("USER") or ""
    dsn = " ".join(f"{k}={v}" for k, v in parts.items() if v)
    return env, dsn


def _run(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {done.stderr.strip()[-2000:]}")


# --------------------------------------------------------------------------------------------------
# Backup


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    manifest: dict = field(default_factory=dict)


class _HashingReader(io.RawIOBase):
    def __init__(self, raw):
        self.raw = raw
        self.hash = hashlib.sha256()
        self.size = 0

    def readable(self):
        return True

    def readinto(self, target):
        data = self.raw.read(len(target))
        n = len(data)
        target[:n] = data
        self.hash.update(data)
        self.size += n
        return n


def _add_file(tar: tarfile.TarFile, path: Path, name: str, members: dict):
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    if reader.size != info.size:
        raise BackupError(f"{path} changed while it was being backed up; run the backup again.")
    members[name] = {"sha256": reader.hash.hexdigest(), "size": reader.size}


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _applied_migrations() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
        return dict(cursor.fetchall())


def _dump_database(workdir: Path, table_checksums: bool) -> tuple[str, Path, dict]:
    vendor = connection.vendor
    if vendor == "sqlite":
        target = workdir / SQLITE_MEMBER
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)  # SQLite's online backup API: a consistent copy
        finally:
            dest.close()
        tables = {}
        if table_checksums:
            copy = sqlite3.connect(target)
            try:
                tables = table_fingerprints(copy.cursor(), "sqlite")
            finally:
                copy.close()
        return SQLITE_MEMBER, target, tables
    if vendor == "postgresql":
        import psycopg

        target = workdir / PG_MEMBER
        env, dsn = _pg_env_and_dsn()
        # Hold one REPEATABLE READ snapshot open: pg_dump dumps it and the fingerprints describe it.
        with psycopg.connect(dsn, password=env.get("PGPASSWORD"), autocommit=False) as pg:
            pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(target),
                    "--dbname",
                    dsn,
                ],
                env,
            )
            counter = iter(range(1 << 30))
            tables = (
                table_fingerprints(
                    pg.cursor(), "postgresql", row_cursor=lambda: pg.cursor(name=f"fp{next(counter)}")
                )
                if table_checksums
                else {}
            )
            pg.rollback()
        return PG_MEMBER, target, tables
    raise BackupError(f"Backups of a {vendor} database are not supported.")


def backup_create(
    *,
    output: Path | None = None,
    encrypt: bool | None = None,
    table_checksums: bool = True,
    say=lambda text: None,
) -> BackupResult:
    """Write one archive into `output` (a folder, default SINERGI_HOME/backups) and return it."""
    key = backup_key()
    if encrypt and not key:
        raise BackupError("Encryption asked for but SINERGI_BACKUP_KEY is not set.")
    encrypt = bool(key) if encrypt is None else encrypt
    folder = Path(output or settings.SINERGI_HOME / "backups")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"sinergi-backup-{stamp}.tar.gz" + (".enc" if encrypt else "")
    final = folder / base
    n = 1
    while final.exists():
        n += 1
        final = folder / base.replace(stamp, f"{stamp}-{n}")
    media_root = Path(settings.MEDIA_ROOT)
    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as tmp:
        workdir = Path(tmp)
        say("Dumping the database…")
        db_member, db_file, tables = _dump_database(workdir, table_checksums)
        partial = workdir / "archive.part"
        with partial.open("wb") as raw:
            sink = EncryptingWriter(raw, key) if encrypt else raw
            with tarfile.open(fileobj=sink, mode="w|gz") as tar:
                _add_file(tar, db_file, db_member, members)
                db_file.unlink()
                files = _media_files(media_root)
                say(f"Adding {len(files)} media files…")
                for path in files:
                    _add_file(tar, path, "media/" + path.relative_to(media_root).as_posix(), members)
                manifest = {
                    "format": FORMAT_VERSION,
                    "created_at": clock.now().isoformat(),
                    "sinergi_version": sinergi.__version__,
                    "engine": connection.vendor,
                    "database_member": db_member,
                    "migrations": _applied_migrations(),
                    "members": members,
                    "tables": tables,
                    "encrypted": encrypt,
                }
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(clock.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
            if encrypt:
                sink.close()
        digest = hashlib.sha256()
        with partial.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        os.replace(partial, final)
    final.chmod(0o600)
    sha = digest.hexdigest()
    Path(f"{final}.sha256").write_text(f"{sha}  {final.name}\n")
    return BackupResult(path=final, sha256=sha, size=final.stat().st_size, manifest=manifest)


# --------------------------------------------------------------------------------------------------
# Restore


def _open_archive(path: Path, stack: contextlib.ExitStack):
    raw = stack.enter_context(Path(path).open("rb"))
    head = raw.read(len(ENC_MAGIC))
    if head == ENC_MAGIC:
        key = backup_key()
        if not key:
            raise BackupError(
                "This archive is encrypted: set SINERGI_BACKUP_KEY to the key it was made with."
            )
        stream = io.BufferedReader(DecryptingReader(raw, key), CHUNK)
    else:
        raw.seek(0)
        stream = raw
    try:
        return stack.enter_context(tarfile.open(fileobj=stream, mode="r|gz"))
    except tarfile.TarError as exc:
        raise BackupError(f"Not a Sinergi backup archive ({exc}).")


def _safe_member_name(name: str) -> bool:
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or ".." in parts:
        return False
    return name in (MANIFEST, PG_MEMBER, SQLITE_MEMBER) or (parts[0] == "media" and len(parts) > 1)


def archive_unpack(path: Path, staging: Path) -> dict:
    """Extract the archive into `staging`, checking every member against the manifest; return it."""
    seen: dict[str, dict] = {}
    manifest = None
    with contextlib.ExitStack() as stack:
        try:
            tar = _open_archive(path, stack)
            for member in tar:
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(f"The archive holds an unexpected entry: {member.name!r}.")
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(source.read())
                    continue
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[member.name] = {"sha256": digest.hexdigest(), "size": size}
        except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError) as exc:
            raise BackupError(f"The archive is damaged or incomplete ({exc}).")
    if manifest is None:
        raise BackupError("The archive has no manifest: it is incomplete or not a Sinergi backup.")
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    expected = manifest["members"]
    if set(seen) != set(expected):
        missing = sorted(set(expected) - set(seen))[:5]
        extra = sorted(set(seen) - set(expected))[:5]
        raise BackupError(
            f"The archive's members do not match its manifest (missing {missing}, extra {extra})."
        )
    bad = [name for name in expected if expected[name] != seen[name]]
    if bad:
        raise BackupError(
            f"Checksum mismatch in {len(bad)} members, e.g. {bad[0]!r}: the archive is damaged."
        )
    return manifest


def archive_verify(path: Path) -> dict:
    """Check an archive completely (decrypt, every checksum) without restoring anything."""
    with tempfile.TemporaryDirectory(prefix="sinergi-verify-") as tmp:
        return archive_unpack(Path(path), Path(tmp))


def deployment_is_empty() -> tuple[bool, str]:
    """Empty = no user, no audit entry (a fresh `migrate` leaves none) and no media file."""
    with connection.cursor() as cursor:
        tables = set(_user_tables(cursor, connection.vendor))
        for table in ("accounts_user", "core_auditentry"):
            if table in tables:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608
                if cursor.fetchone():
                    return False, f"the database holds data (table {table} is not empty)"
    if _media_files(Path(settings.MEDIA_ROOT)):
        return False, f"the media folder {settings.MEDIA_ROOT} holds files"
    return True, ""


def _wipe_and_restore_database(manifest: dict, staging: Path):
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(
            f"The archive holds a {manifest['engine']} database; this deployment uses {vendor}."
        )
    db_file = staging / manifest["database_member"]
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(db_file)
        try:
            source.backup(connection.connection)  # replaces every page of the live database
        finally:
            source.close()
        return
    env, dsn = _pg_env_and_dsn()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            dsn,
            str(db_file),
        ],
        env,
    )


def _replace_media(staging: Path):
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    staged = staging / "media"
    if staged.exists():
        for child in staged.iterdir():
            shutil.move(str(child), media_root / child.name)


def backup_restore(*, path: Path, force: bool = False, say=lambda text: None) -> dict:
    """Restore an archive into this deployment; returns the manifest. See the module docstring."""
    empty, why = deployment_is_empty()
    if not empty and not force:
        raise BackupError(
            f"Refusing to restore: {why}. Restore into an empty deployment, or pass --force to replace it."
        )
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as tmp:
        staging = Path(tmp)
        say("Reading and checking the archive…")
        manifest = archive_unpack(Path(path), staging)
        say("Restoring the database…")
        _wipe_and_restore_database(manifest, staging)
        say("Restoring the media files…")
        _replace_media(staging)
    if manifest.get("tables"):
        say("Checking every table…")
        restored = current_fingerprints()
        differing = [t for t, fp in manifest["tables"].items() if restored.get(t) != fp]
        if differing:
            raise BackupError(
                f"After restore, {len(differing)} tables differ from the backup, e.g. {differing[0]}."
            )
    return manifest
