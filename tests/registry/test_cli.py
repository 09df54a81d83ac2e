"""`sinergi import` from the command line."""

import pytest
from django.core.management import CommandError, call_command

from sinergi.registry.models import Person
from sinergi.unions.models import Membership
from tests.factories import UnionBodyFactory, make_nik

pytestmark = pytest.mark.django_db


def test_cli_dry_run_then_commit(tmp_path, capsys, agency_officer):
    body = UnionBodyFactory(kind="union")
    path = tmp_path / "anggota.csv"
    path.write_text(f"NIK,Nama,JK\n{make_nik(serial=91)},Pekerja CLI,L\n3172057203900001,Salah,L\n")
    call_command("sinergi_import", str(path), "--body", str(body.pk), "--dry-run", "--language", "en")
    out = capsys.readouterr().out
    assert "2 rows, 1 valid, 1 rejected" in out and "row 3: NIK: day 72 is impossible" in out
    assert Person.objects.count() == 0
    call_command(
        "sinergi_import", str(path), "--body", str(body.pk), "--commit", "--user", agency_officer.username
    )
    assert Person.objects.count() == 1 and Membership.objects.filter(body=body).count() == 1


def test_cli_unreadable_file(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="xlsx"):
        call_command("sinergi_import", str(path), "--commit", "--language", "en")
