"""Backup → wipe → restore brings back every table row for row and every media file byte for byte.

Runs on SQLite and, with DATABASE_URL pointing at PostgreSQL, on PostgreSQL (pg_dump/pg_restore).
"""

import hashlib
import io
import struct
import tarfile

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from sinergi.core.audit import audit_record
from sinergi.ops import backup as B
from tests.factories import EmployerFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _media_state(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _model_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def _some_data(media):
    actor = UserFactory()
    employer = EmployerFactory()
    people = [PersonFactory(name=f"Pekerja Uji {i} — ñ “quotes” 'x'") for i in range(5)]
    audit_record(actor=actor, action="other", obj=employer, changes={"note": "backup test"})
    (media / "claims" / "2026").mkdir(parents=True)
    (media / "claims" / "2026" / "surat kuasa.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 50)
    (media / "jobs").mkdir()
    (media / "jobs" / "import.csv").write_text("nik,name\n3172051203900001,Budi\n")
    (media / "empty.txt").write_bytes(b"")
    return actor, people


def _wipe(media):
    call_command("flush", interactive=False, verbosity=0)
    for p in sorted(media.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()


def test_round_trip_restores_every_table_and_every_media_file(media, tmp_path):
    _some_data(media)
    tables_before = B.current_fingerprints()
    counts_before = _model_counts()
    media_before = _media_state(media)
    assert counts_before["registry.Person"] == 5 and len(media_before) == 3

    result = B.backup_create(output=tmp_path / "out", encrypt=False)
    assert result.path.name.startswith("sinergi-backup-") and result.path.name.endswith(".tar.gz")
    sidecar = (result.path.parent / (result.path.name + ".sha256")).read_text().split()[0]
    assert sidecar == hashlib.sha256(result.path.read_bytes()).hexdigest() == result.sha256
    assert set(result.manifest["tables"]) == set(tables_before)
    assert result.manifest["tables"] == tables_before

    _wipe(media)
    assert _model_counts()["registry.Person"] == 0 and not _media_state(media)

    B.backup_restore(path=result.path)
    assert B.current_fingerprints() == tables_before
    assert _model_counts() == counts_before
    assert _media_state(media) == media_before


def test_checksums_see_a_changed_row(media):
    _, people = _some_data(media)
    before = B.current_fingerprints()
    people[0].name = "Nama Lain"
    people[0].save(update_fields=["name"])
    after = B.current_fingerprints()
    assert after["registry_person"]["rows"] == before["registry_person"]["rows"]
    assert after["registry_person"]["sha256"] != before["registry_person"]["sha256"]


def test_restore_refuses_a_deployment_with_data_unless_forced(media, tmp_path):
    _some_data(media)
    result = B.backup_create(output=tmp_path / "out", encrypt=False)
    with pytest.raises(B.BackupError, match="Refusing"):
        B.backup_restore(path=result.path)
    PersonFactory(name="Ditambahkan Setelah Backup")
    (media / "later.txt").write_text("later")
    B.backup_restore(path=result.path, force=True)
    assert apps.get_model("registry.Person").objects.filter(name="Ditambahkan Setelah Backup").count() == 0
    assert not (media / "later.txt").exists()
    assert B.current_fingerprints() == result.manifest["tables"]


def test_encrypted_round_trip_and_wrong_key(media, tmp_path, monkeypatch):
    _some_data(media)
    key = B.generate_key()
    monkeypatch.setenv("SINERGI_BACKUP_KEY", key)
    before = B.current_fingerprints()
    media_before = _media_state(media)
    result = B.backup_create(output=tmp_path / "out")
    assert result.path.name.endswith(".tar.gz.enc") and result.manifest["encrypted"]
    raw = result.path.read_bytes()
    assert raw.startswith(B.ENC_MAGIC) and b"Pekerja Uji" not in raw and b"%PDF" not in raw

    monkeypatch.setenv("SINERGI_BACKUP_KEY", B.generate_key())
    with pytest.raises(B.BackupError, match="wrong SINERGI_BACKUP_KEY"):
        B.archive_verify(result.path)
    monkeypatch.delenv("SINERGI_BACKUP_KEY")
    with pytest.raises(B.BackupError, match="encrypted"):
        B.archive_verify(result.path)

    monkeypatch.setenv("SINERGI_BACKUP_KEY", key)
    _wipe(media)
    B.backup_restore(path=result.path)
    assert B.current_fingerprints() == before
    assert _media_state(media) == media_before


def test_encrypted_archive_cut_short_or_reordered_is_refused(tmp_path, monkeypatch):
    key = B.generate_key()
    monkeypatch.setenv("SINERGI_BACKUP_KEY", key)
    sink = io.BytesIO()
    writer = B.EncryptingWriter(sink, key.encode())
    writer.write(b"a" * (B.CHUNK * 2 + 10))
    writer.close()
    data = sink.getvalue()[len(B.ENC_MAGIC) :]
    frames = []
    while data:
        (n,) = struct.unpack(">I", data[:4])
        frames.append(data[: 4 + n])
        data = data[4 + n :]
    assert len(frames) == 3

    def read_all(frames_):
        reader = B.DecryptingReader(io.BytesIO(b"".join(frames_)), key.encode())
        return io.BufferedReader(reader).read()

    assert read_all(frames) == b"a" * (B.CHUNK * 2 + 10)
    with pytest.raises(B.BackupError, match="truncated"):
        read_all(frames[:2])
    with pytest.raises(B.BackupError, match="out of order"):
        read_all([frames[1], frames[0], frames[2]])


def test_damaged_archive_is_refused_before_anything_is_touched(media, tmp_path):
    _some_data(media)
    result = B.backup_create(output=tmp_path / "out", encrypt=False)
    # Rebuild the archive with one media member altered but the original manifest.
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(result.path, "r:gz") as src, tarfile.open(forged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "media/jobs/import.csv":
                data = data.replace(b"Budi", b"Bodi")
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(B.BackupError, match="Checksum mismatch"):
        B.archive_verify(forged)
    _wipe(media)
    with pytest.raises(B.BackupError, match="Checksum mismatch"):
        B.backup_restore(path=forged)
    assert not _media_state(media)  # nothing was restored from a damaged archive

    escape = tmp_path / "escape.tar.gz"
    with tarfile.open(escape, "w:gz") as dst:
        info = tarfile.TarInfo("media/../../evil.txt")
        info.size = 1
        dst.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(B.BackupError, match="unexpected entry"):
        B.archive_verify(escape)


def test_commands(media, tmp_path, capsys):
    _some_data(media)
    call_command("sinergi_backup", "--output", str(tmp_path / "out"), "--no-encrypt")
    archive = next((tmp_path / "out").glob("*.tar.gz"))
    call_command("sinergi_backup", "--verify", str(archive))
    assert "OK:" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Refusing"):
        call_command("sinergi_restore", str(archive))
    call_command("sinergi_restore", str(archive), "--force")
    assert "all checked" in capsys.readouterr().out
