"""The benchmark data generator: valid, unique, deterministic, with a true ground truth of near-duplicates."""

import datetime as dt
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.generate import (  # noqa: E402
    COLUMNS,
    employers_frame,
    memberships_frame,
    people_frame,
    write_people_csv,
)
from sinergi.rules.nik import check_nik_against, districts, parse_nik  # noqa: E402

TODAY = dt.date(2025, 1, 1)


def test_people_have_valid_unique_niks_consistent_with_birth_date_and_sex():
    frame = people_frame(3000, seed=7)
    assert frame.columns == COLUMNS
    assert frame["NIK"].n_unique() == 3000
    known = districts()
    for row in frame.iter_rows(named=True):
        info = parse_nik(row["NIK"], today=TODAY)
        assert info.valid, (row["NIK"], [p.code for p in info.errors])
        birth = dt.date.fromisoformat(row["Tanggal Lahir"])
        assert (
            check_nik_against(info, birth_date=birth, sex="F" if row["Jenis Kelamin"] == "P" else "M") == []
        )
        assert row["Kode Kecamatan"] in known
        assert 18 <= (TODAY - birth).days // 365 <= 60
        assert row["Upah"] % 1000 == 0 and row["Status Pekerjaan"] in ("formal", "informal")


def test_the_same_seed_gives_the_same_people_and_another_seed_does_not():
    assert people_frame(500, seed=3).equals(people_frame(500, seed=3))
    assert not people_frame(500, seed=3).equals(people_frame(500, seed=4))


def test_near_duplicates_are_the_same_people_under_a_second_valid_nik(tmp_path):
    path = tmp_path / "people.csv"
    truth = write_people_csv(path, 2000, seed=5, near_duplicates=0.1)
    assert truth["rows"] == 2000 and truth["duplicates"] == 200 and truth["originals"] == 1800
    frame = pl.read_csv(path, infer_schema=False)
    assert frame.height == 2000 and frame["NIK"].n_unique() == 2000
    rows = {r["NIK"]: r for r in frame.iter_rows(named=True)}
    for original, duplicate in truth["pairs"]:
        a, b = rows[original], rows[duplicate]
        assert original != duplicate and parse_nik(duplicate, today=TODAY).valid
        assert a["Jenis Kelamin"] == b["Jenis Kelamin"]
        assert original[:4] == duplicate[:4]  # same regency
        differences = sum(a[c] != b[c] for c in ("Nama", "Tanggal Lahir", "No HP", "Upah")) + (
            original[:6] != duplicate[:6]
        )
        assert differences >= 1


def test_employers_and_memberships():
    employers = employers_frame(300, seed=2)
    assert employers["NPP"].n_unique() == 300
    people = people_frame(1000, seed=2)
    members = memberships_frame(people, seed=2)
    assert members.height == (people["No Anggota"] != "").sum()
    assert set(members["Serikat"].unique()) <= {"FSPMI", "KSPSI", "KSPI", "SPN", "FSP-KEP"}
