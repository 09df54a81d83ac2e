"""The one table reader every import uses: a header row read into named text columns, through the
grid reader's limits; a missing column named in the error."""

import datetime as dt
import io

import pytest
from django.test import override_settings
from openpyxl import Workbook

from sinergi.core.errors import SinergiError
from sinergi.core.tables import ImportFileError, map_columns, read_table


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_xlsx_header_row_names_text_columns_with_numbers_and_dates_as_an_officer_typed_them():
    data = _xlsx(
        [["No Tagihan", " Jumlah", "Tanggal"], ["B-1", 150000, dt.date(2026, 11, 5)], [None, 2.5, None]]
    )
    df = read_table(data, "bank.xlsx")
    assert df.columns == ["no tagihan", "jumlah", "tanggal"]
    assert df.to_dicts() == [
        {"no tagihan": "B-1", "jumlah": "150000", "tanggal": "2026-11-05"},
        {"no tagihan": "", "jumlah": "2.5", "tanggal": ""},
    ]


def test_a_csv_with_a_byte_order_mark_and_semicolons_reads_the_same_way():
    df = read_table("\ufeffNIK;No Peserta\n3201010101900001;12345678\n".encode(), "reply.csv")
    assert df.to_dicts() == [{"nik": "3201010101900001", "no peserta": "12345678"}]


def test_a_repeated_or_empty_header_keeps_its_grid_name():
    df = read_table(b"a,,a\n1,2,3\n", "t.csv")
    assert df.columns == ["a", "c2", "c3"]


def test_an_unknown_type_an_empty_file_and_an_oversized_file_are_refused_clearly():
    with pytest.raises(ImportFileError) as err:
        read_table(b"x", "t.pdf")
    assert err.value.code == "file_type"
    with pytest.raises(ImportFileError) as err:
        read_table(b"  ", "t.csv")
    assert err.value.code == "file_empty"
    with override_settings(SINERGI_MAX_UPLOAD_MB=0), pytest.raises(ImportFileError) as err:
        read_table(b"a\n1\n", "t.csv")
    assert err.value.code == "file_too_large"


def test_map_columns_accepts_any_listed_header_and_names_every_missing_one():
    df = read_table(b"Nominal,Ref\n5,R1\n", "t.csv")
    wanted = {"amount": ("jumlah", "nominal"), "reference": ("referensi", "ref")}
    assert map_columns(df, wanted).to_dicts() == [{"amount": "5", "reference": "R1"}]
    with pytest.raises(SinergiError) as err:
        map_columns(df, {**wanted, "bill": ("no tagihan",), "date": ("tanggal",)})
    assert err.value.code == "missing_columns"
    assert "no tagihan" in str(err.value.message) and "tanggal" in str(err.value.message)
