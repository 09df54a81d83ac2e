"""One NIK rule set: the form/API parser and the importer's vectorised checks agree on every input;
NIKs in number cells refused; preview corrections and the remembered mapping; masked NIKs."""

import datetime as dt
import io

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from sinergi.core.models import Job
from sinergi.registry import importer
from sinergi.registry.models import ImportMapping, Person
from sinergi.rules.nik import districts, nik_frame, parse_nik
from tests.factories import EmployerFactory, UnionBodyFactory, make_nik
from tests.registry.test_import import run

TODAY = dt.date(2026, 12, 4)
DISTRICTS = sorted(districts())[:50] + ["999999"]

nik_like = st.one_of(
    # well-formed or nearly: a district, day (men/women/impossible), month, year, serial
    st.builds(
        lambda d, day, month, yy, serial: f"{d}{day:02d}{month:02d}{yy:02d}{serial:04d}",
        st.sampled_from(DISTRICTS),
        st.integers(0, 79),
        st.integers(0, 14),
        st.integers(0, 99),
        st.integers(0, 9999),
    ),
    # what people type around the digits
    st.builds(
        lambda digits, sep: sep.join(digits[i : i + 4] for i in range(0, len(digits), 4)),
        st.text("0123456789", min_size=0, max_size=18),
        st.sampled_from(["", " ", ".", "-", "'"]),
    ),
    st.sampled_from(["3.17205E+15", "3,17205E+15", "3172055203900001.0", "", "  ", "'", "abc"]),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(nik_like, min_size=1, max_size=8), hint=st.none() | st.integers(1930, 2026))
def test_the_form_parser_and_the_importer_agree_on_every_nik(values, hint):
    frame = pl.DataFrame(
        {"nik": values, "hint": [hint] * len(values)}, schema={"nik": pl.String, "hint": pl.Int32}
    )
    got = (
        nik_frame(frame, "nik", today=TODAY, hint="hint", prefix="_n")
        .select(
            pl.col("_n").alias("nik"),
            pl.col("_n_problems").alias("problems"),
            pl.col("_n_sex").alias("sex"),
            pl.col("_n_date").alias("bd"),
        )
        .to_dicts()
    )
    for value, row in zip(values, got, strict=True):
        info = parse_nik(value, today=TODAY, birth_year_hint=hint)
        assert row["problems"] == [p.code for p in info.errors], (value, row, info.errors)
        if info.valid:
            assert (row["nik"], row["sex"], row["bd"]) == (info.nik, info.sex, info.birth_date)


def test_number_cells_never_become_a_nik():
    info = parse_nik("3172055203900000", numeric=True, today=TODAY)
    assert [p.code for p in info.errors] == ["nik_excel_number"]
    assert info.errors[0].params["raw"] == "3172055203900000"
    assert parse_nik("3.17205E+15", today=TODAY).errors[0].code == "nik_excel_number"
    assert parse_nik(" 3172.0552-0390 0001 ", today=TODAY).nik == "3172055203900001"
    assert parse_nik("'3172055203900001", today=TODAY).valid


pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_nik_in_a_number_cell_is_refused_but_the_same_digits_as_text_are_imported():
    nik = make_nik("317205", dt.date(1990, 3, 12), "F", serial=1)
    data = _xlsx([["NIK", "Nama"], [nik, "Teks"], [int(nik[:-1] + "1"), "Angka"]])
    result = importer.validate(importer.read_table(data, "a.xlsx"), language="en", remembered={})
    assert result.valid["nik"].to_list() == [nik]
    assert "arrived as a number" in result.rejected["reasons"][0]


def test_the_official_corrects_the_mapping_and_it_is_remembered_for_the_body(agency_officer):
    puk = UnionBodyFactory(name="PUK Peta", kind="unit", employer=EmployerFactory())
    nik = make_nik("317205", dt.date(1990, 3, 12), "F", serial=7)
    data = f"NIK;Nama;Tanggal;Nomor WA\n{nik};Siti;12-03-1990;0812-1111-2222\n".encode()
    job = run(data, "a.csv", body=puk, actor=agency_officer)
    preview = {c["header"]: c["field"] for c in job.result["column_preview"]}
    assert preview == {"NIK": "nik", "Nama": "name", "Tanggal": "", "Nomor WA": "phone"}
    assert job.result["ignored_columns"] == ["Tanggal"]
    corrected = {c["column"]: c["field"] for c in job.result["column_preview"]}
    corrected[next(c["column"] for c in job.result["column_preview"] if c["header"] == "Tanggal")] = (
        "birth_date"
    )
    job = run(data, "a.csv", body=puk, actor=agency_officer, mode="commit", mapping=corrected)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert ImportMapping.objects.get(body=puk).mapping["tanggal"] == "birth_date"
    assert Person.objects.get().birth_date == dt.date(1990, 3, 12)
    again = run(data, "a.csv", body=puk, actor=agency_officer)
    assert again.result["ignored_columns"] == []  # remembered: Tanggal is the birth date now


def test_the_uploading_union_official_sees_niks_masked_in_the_page_report_and_api(
    client, make_user, password
):
    from openpyxl import load_workbook

    dpw = UnionBodyFactory(name="DPW Topeng", kind="unit")
    official = make_user("union_official", union_body=dpw)
    bad = make_nik("317205", dt.date(1990, 3, 12), "F", serial=9)
    data = f"NIK,Nama,Tanggal Lahir\n{bad},Siti,13-03-1990\n".encode()
    job = run(data, "a.csv", body=dpw, actor=official)
    row = job.result["rejected_preview"][0]
    assert row["nik"] == "317205******0009" and bad not in str(job.result)
    assert row["reasons"] == "NIK encodes birth date 12-03-1990 but 13-03-1990 was entered."
    client.login(username=official.username, password=password)
    api = client.get(f"/api/v1/core/jobs/{job.pk}").json()
    assert bad not in str(api)
    report = b"".join(client.get(f"/jobs/{job.pk}/result").streaming_content)
    sheet = load_workbook(io.BytesIO(report)).active
    assert bad not in str([list(r) for r in sheet.iter_rows(values_only=True)])
    officer_job = run(data, "a.csv", actor=make_user("agency_officer"))
    assert officer_job.result["rejected_preview"][0]["nik"] == bad


def test_the_template_keeps_nik_cells_as_text_and_imports_as_it_is():
    from openpyxl import load_workbook

    data = importer.template_xlsx()
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].number_format == "@" and ws["A500"].number_format == "@"
    result = importer.validate(importer.read_table(data, "templat.xlsx"), remembered={})
    assert result.valid.height == 1 and result.ignored == []
    assert result.valid["joined_on"].to_list() == [dt.date(2020, 1, 15)]
