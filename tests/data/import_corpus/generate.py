"""Generate the corpus of ugly member lists the importer must handle (run: python tests/data/import_corpus/generate.py).

Each file `NAME` comes with `NAME.expected.json`: for every row number of the sheet that is not blank
and not above the header, what must happen — "imported", "rejected: <words of the reason>" or
"skipped: <words of the reason>" — plus, for files refused as a whole, "refused: <words>". Words are
the English messages (the tests run the import in English; the Indonesian ones are in the catalogue).
The files are committed; rerunning this script regenerates them with the same contents.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).parent
FIXED = (2026, 11, 1, 0, 0, 0)


def nik(district: str, birth: dt.date, female: bool, serial: int) -> str:
    return f"{district}{birth.day + (40 if female else 0):02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def _save(wb: Workbook, name: str) -> None:
    """Save with fixed zip timestamps so the file is reproducible."""
    buf = io.BytesIO()
    wb.properties.created = wb.properties.modified = dt.datetime(*FIXED)
    wb.save(buf)
    _rezip(buf.getvalue(), HERE / name)


def _rezip(data: bytes, path: Path) -> None:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED), src.read(info.filename), zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def _expect(name: str, expected: dict) -> None:
    (HERE / f"{name}.expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


def union_branch_list() -> None:
    """A PUK's list as kept by hand: title and period rows (merged), a blank row, the header on row 4
    with a 'No' column, a row of column numbers, dates in every style, NIKs typed every way, a row
    pasted twice, a NIK reused for someone else, totals and a signature block at the bottom."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Anggota"
    ws["A1"] = "DAFTAR ANGGOTA PUK SPAMK FSPMI PT KUKUH MANDIRI LESTARI"
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:L1")
    ws["A2"] = "Periode: Desember 2026"
    ws.merge_cells("A2:L2")
    header = [
        "No",
        "NIK",
        "Nama Lengkap",
        "Tempat Lahir",
        "Tgl Lahir",
        "L/P",
        "No HP / WA",
        "Tgl Masuk Serikat",
        "Bagian",
        "Alamat",
        "RT/RW",
        "Kelurahan",
        "Hobi",
    ]
    ws.append([])
    ws.append(header)  # row 4
    ws.append(list(range(1, len(header) + 1)))  # row 5: column numbers
    expected: dict[str, str] = {"5": "skipped: column numbers"}
    b = dt.date
    rows = [
        # (NIK cell, name, birth cell, sex, phone, join, expected)
        (
            nik("317205", b(1985, 8, 7), False, 1),
            "Budi Santoso",
            "7 Agustus 1985",
            "L",
            "0812-3456-7001",
            "07-Agu-15",
            "imported",
        ),
        (
            nik("317205", b(1985, 8, 7), True, 2),
            "Siti Aminah",
            "07-Agu-85",
            "P",
            "+62 812 3456 7002",
            "1 Mei 2016",
            "imported",
        ),
        (nik("317205", b(1990, 8, 12), False, 3), "Agus Salim", "12 Agt 1990", "L", "", "", "imported"),
        (nik("317205", b(1988, 10, 1), True, 4), "Dewi Lestari", "1 Okt 1988", "P", "", "", "imported"),
        (nik("317205", b(1979, 12, 24), False, 5), "Joko Widodo", "24 Des 1979", "L", "", "", "imported"),
        (nik("317205", b(1991, 5, 6), True, 6), "Rina Wati", "06/05/91", "P", "", "", "imported"),
        (nik("317205", b(1992, 2, 29), False, 7), "Hadi Kusuma", b(1992, 2, 29), "L", "", "", "imported"),
        (nik("317205", b(1985, 8, 7), False, 8), "Serial Excel", 31266, "L", "", "", "imported"),
        (
            " " + " ".join(nik("317205", b(1987, 1, 15), False, 9)[i : i + 4] for i in range(0, 16, 4)),
            "Spasi Di NIK",
            "15-01-1987",
            "L",
            "",
            "",
            "imported",
        ),
        (
            "'" + nik("317205", b(1987, 1, 16), False, 10),
            "Apostrof",
            "16 Januari 1987",
            "L",
            "",
            "",
            "imported",
        ),
        (
            ".".join(
                [
                    nik("317205", b(1987, 1, 17), False, 11)[:6],
                    nik("317205", b(1987, 1, 17), False, 11)[6:12],
                    nik("317205", b(1987, 1, 17), False, 11)[12:],
                ]
            ),
            "Titik Di NIK",
            "17-01-1987",
            "L",
            "",
            "",
            "imported",
        ),
        (
            int(nik("317205", b(1986, 4, 20), False, 12)),
            "NIK Angka",
            "20-04-1986",
            "L",
            "",
            "",
            "rejected: arrived as a number",
        ),
        ("3.17205E+15", "NIK Ilmiah", "20-04-1986", "L", "", "", "rejected: arrived as a number"),
        (
            nik("317205", b(1986, 4, 21), False, 13)[:15],
            "Lima Belas Digit",
            "21-04-1986",
            "L",
            "",
            "",
            "rejected: too short",
        ),
        (
            nik("317205", b(1990, 1, 1), False, 14),
            "Tanggal Mustahil",
            "30-02-1990",
            "L",
            "",
            "",
            "rejected: does not exist",
        ),
        (
            nik("317205", b(1990, 1, 2), False, 15),
            "Lahir Berbeda",
            "3 Januari 1990",
            "L",
            "",
            "",
            "rejected: NIK encodes birth date 02-01-1990 but 03-01-1990 was entered",
        ),
        (
            nik("317205", b(1985, 8, 7), False, 1),
            "Budi Santoso",
            "7 Agustus 1985",
            "L",
            "0812-3456-7001",
            "07-Agu-15",
            "skipped: duplicate of row 6",
        ),
        (
            nik("317205", b(1993, 7, 7), False, 16),
            "Orang Pertama",
            "7 Juli 1993",
            "L",
            "",
            "",
            "rejected: The same NIK is on rows",
        ),
        (
            nik("317205", b(1993, 7, 7), False, 16),
            "Orang Kedua",
            "7 Juli 1993",
            "L",
            "",
            "",
            "rejected: The same NIK is on rows",
        ),
        (
            nik("317205", b(1994, 9, 9), True, 17),
            "Telepon Salah",
            "9 Sep 1994",
            "P",
            "12345",
            "",
            "rejected: Phone 12345",
        ),
        ("", "Tanpa NIK", "9 Sep 1994", "P", "", "", "rejected: NIK is empty"),
    ]
    for i, (nik_cell, name, birth, sex, phone, join, outcome) in enumerate(rows, start=1):
        ws.append(
            [
                i,
                nik_cell,
                name,
                "Jakarta",
                birth,
                sex,
                phone,
                join,
                "Produksi",
                "Jl. Kenari No. 3",
                "001/002",
                "Cakung Barat",
                "Mancing",
            ]
        )
        expected[str(ws.max_row)] = outcome
    ws.append([])
    ws.append(["", "", "Jumlah anggota", "", "", "", "", "", "", "", "", "", ""])
    expected[str(ws.max_row)] = "skipped: not a member row"
    ws.append([])
    ws.append(["", "", "", "", "", "", "", "", "", "Jakarta, 1 Desember 2026"])
    expected[str(ws.max_row)] = "skipped: not a member row"
    ws.append(["", "", "Ketua", "", "", "", "", "", "", "Sekretaris"])
    expected[str(ws.max_row)] = "skipped: not a member row"
    ws.append(["", "", "( Slamet Riyadi )", "", "", "", "", "", "", "( Sri Wahyuni )"])
    expected[str(ws.max_row)] = "skipped: not a member row"
    _save(wb, "01-puk-list-title-footer.xlsx")
    _expect(
        "01-puk-list-title-footer.xlsx",
        {
            "header_row": 4,
            "not_imported": ["No", "Hobi"],
            "rows": expected,
        },
    )


def english_csv() -> None:
    """A CSV saved by Excel ("CSV UTF-8": BOM, semicolons) with a title line and English headers."""
    b = dt.date
    lines = ["Member list;;;;;", ";;;;;", "ID Number;Full Name;Date of Birth;Gender;Phone;Join Date"]
    expected = {}
    data = [
        (
            nik("357801", b(1985, 8, 7), False, 21),
            "Bambang Sutedjo",
            "August 7, 1985",
            "M",
            "081234567021",
            "2019-03-01",
            "imported",
        ),
        (
            nik("357801", b(1985, 10, 7), True, 22),
            "Sri Rahayu",
            "7 Oct 1985",
            "F",
            "",
            "7 Mar 2020",
            "imported",
        ),
        (
            nik("357801", b(1985, 8, 7), True, 23),
            "Ani Yudhoyono",
            "1985-08-07",
            "F",
            "",
            "31-04-2020",
            "rejected: Join date 31-04-2020 does not exist",
        ),
        ("3,57801E+15", "Koma Ilmiah", "1985-08-07", "M", "", "", "rejected: arrived as a number"),
        (nik("357801", b(1985, 8, 7), False, 25), "Tahun Dua Digit", "07/08/85", "M", "", "", "imported"),
    ]
    for i, (n, name, birth, sex, phone, join, outcome) in enumerate(data, start=4):
        lines.append(";".join([n, name, birth, sex, phone, join]))
        expected[str(i)] = outcome
    (HERE / "02-english-semicolon.csv").write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    _expect("02-english-semicolon.csv", {"header_row": 3, "not_imported": [], "rows": expected})


def numeric_nik_column() -> None:
    """Every NIK typed into a number cell (the whole column formatted as Number): all refused."""
    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin"])
    expected = {}
    for i in range(5):
        birth = dt.date(1980 + i, 1 + i, 10 + i)
        value = int(nik("317205", birth, False, 30 + i)) // 10 * 10  # what Excel keeps: the last digit 0
        ws.append([value, f"Pekerja {i}", birth, "L"])
        ws.cell(row=ws.max_row, column=1).number_format = "0"
        expected[str(ws.max_row)] = "rejected: arrived as a number"
    _save(wb, "03-nik-typed-as-numbers.xlsx")
    _expect("03-nik-typed-as-numbers.xlsx", {"header_row": 1, "not_imported": [], "rows": expected})


def _raw_xlsx(name: str, sheet_xml_chunks, *, extra: dict | None = None) -> None:
    """A minimal .xlsx written by hand (to make hostile sheets without building them in memory)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for part, text in parts.items():
            zf.writestr(zipfile.ZipInfo(part, FIXED), text, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", FIXED)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            for chunk in sheet_xml_chunks():
                fh.write(chunk.encode())
    (HERE / name).write_bytes(out.getvalue())


SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def blank_cells_bomb() -> None:
    """A small file of formatted blank cells (no <dimension>, no cell references) that would inflate to
    three million cells."""

    def chunks():
        yield SHEET_HEAD
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c><c r="B1" t="inlineStr"><is><t>Nama</t></is></c></row>'
        for _r in range(2, 3002):
            yield "<row>" + '<c s="1"/>' * 1000 + "</row>"
        yield SHEET_TAIL

    _raw_xlsx("04-blank-cells-bomb.xlsx", chunks)
    _expect("04-blank-cells-bomb.xlsx", {"refused": "columns; the limit is"})


def two_million_rows() -> None:
    """2,000,000 one-cell rows, a few hundred KB compressed, no <dimension> and no row numbers."""

    def chunks():
        yield SHEET_HEAD
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c><c r="B1" t="inlineStr"><is><t>Nama</t></is></c></row>'
        block = []
        for _r in range(2, 2_000_002):
            block.append("<row><c><v>1</v></c></row>")
            if len(block) == 50_000:
                yield "".join(block)
                block = []
        yield "".join(block)
        yield SHEET_TAIL

    _raw_xlsx("05-two-million-rows.xlsx", chunks)
    _expect("05-two-million-rows.xlsx", {"refused": "rows; the limit is"})


def xxe() -> None:
    """An external entity in the sheet (XXE)."""

    def chunks():
        yield (
            '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>' + SHEET_TAIL
        )

    _raw_xlsx("06-xxe.xlsx", chunks)
    _expect("06-xxe.xlsx", {"refused": "DOCTYPE/ENTITY"})


def broken_zip() -> None:
    data = (HERE / "03-nik-typed-as-numbers.xlsx").read_bytes()
    (HERE / "07-broken.xlsx").write_bytes(data[: len(data) // 2])
    _expect("07-broken.xlsx", {"refused": "cannot be opened"})


def _col(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


if __name__ == "__main__":
    union_branch_list()
    english_csv()
    numeric_nik_column()
    blank_cells_bomb()
    two_million_rows()
    xxe()
    broken_zip()
    for path in sorted(HERE.glob("0*")):
        print(f"{path.name}: {path.stat().st_size:,} bytes")
