"""The corpus of ugly member lists (tests/data/import_corpus, made by its generate.py): every row of
every file has the outcome written beside it; hostile files are refused as a whole with a message."""

import json
import time
from pathlib import Path

import pytest
from django.utils import translation

from sinergi.core.models import Job
from sinergi.registry import importer
from sinergi.registry.models import Person
from tests.registry.test_import import run

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent.parent / "data" / "import_corpus"
FILES = sorted(p for p in CORPUS.glob("0*") if not p.name.endswith(".json"))


def expected(path: Path) -> dict:
    return json.loads((CORPUS / f"{path.name}.expected.json").read_text())


def outcomes(result) -> dict[str, str]:
    out = {str(r): "imported" for r in result.valid["row"].to_list()}
    out.update(
        {str(r): f"rejected: {why}" for r, why in result.rejected.select("row", "reasons").iter_rows()}
    )
    out.update({str(r): f"skipped: {why}" for r, why in result.skipped.select("row", "reason").iter_rows()})
    return out


@pytest.mark.parametrize("path", [p for p in FILES if "rows" in expected(p)], ids=lambda p: p.name)
def test_every_row_of_the_corpus_has_its_expected_outcome(path):
    want = expected(path)
    result = importer.validate(importer.read_table(path.read_bytes(), path.name), language="en")
    got = outcomes(result)
    assert set(got) == set(want["rows"]), (sorted(got), sorted(want["rows"]))
    for row, outcome in want["rows"].items():
        kind, _, words = outcome.partition(": ")
        assert got[row].startswith(kind), (row, got[row], outcome)
        assert words in got[row], (row, got[row], outcome)
        assert ".;" not in got[row]
    assert result.layout.header_row == want["header_row"]
    assert result.ignored == want["not_imported"]


@pytest.mark.parametrize("path", [p for p in FILES if "refused" in expected(p)], ids=lambda p: p.name)
def test_hostile_files_are_refused_quickly_with_a_message(path, settings):
    settings.SINERGI_IMPORT_MAX_ROWS = 1_000_000
    settings.SINERGI_IMPORT_MAX_COLUMNS = 60
    started = time.perf_counter()
    with translation.override("en"), pytest.raises(importer.ImportFileError) as caught:
        importer.read_table(path.read_bytes(), path.name)
    assert expected(path)["refused"] in str(caught.value.message)
    # not a timing assertion on the machine: a bound far above what the streaming check needs, far
    # below what parsing 2 million rows or 3 million cells takes
    assert time.perf_counter() - started < 60


def test_hostile_files_reach_the_official_in_indonesian(agency_officer):
    job = run((CORPUS / "06-xxe.xlsx").read_bytes(), "06-xxe.xlsx", actor=agency_officer, language="id")
    assert job.status == Job.Status.FAILED
    assert "deklarasi XML yang tidak diizinkan" in job.error
    job = run((CORPUS / "07-broken.xlsx").read_bytes(), "07-broken.xlsx", actor=agency_officer, language="id")
    assert "Lembar kerja tidak dapat dibuka" in job.error
    assert Person.objects.count() == 0


def test_the_puk_list_commits_its_valid_rows_with_phone_join_date_and_address(agency_officer):
    from tests.factories import EmployerFactory, UnionBodyFactory

    puk = UnionBodyFactory(name="PUK Korpus", kind="unit", employer=EmployerFactory())
    path = CORPUS / "01-puk-list-title-footer.xlsx"
    job = run(path.read_bytes(), path.name, body=puk, actor=agency_officer, mode="commit")
    assert job.status == Job.Status.SUCCEEDED, job.error
    want = [r for r, o in expected(path)["rows"].items() if o == "imported"]
    assert job.result["written"]["people_created"] == len(want) == Person.objects.count()
    budi = Person.objects.get(name="Budi Santoso")
    assert budi.phone == "+6281234567001"
    assert budi.address == "Jl. Kenari No. 3, RT/RW 001/002, Kel. Cakung Barat"
    assert budi.occupation == "Produksi"
    assert str(budi.memberships.get().joined_on) == "2015-08-07"
    assert not Person.objects.filter(name__in=["NIK Angka", "NIK Ilmiah"]).exists()
