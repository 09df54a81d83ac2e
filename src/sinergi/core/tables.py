"""Reading an uploaded table (a member list, a bank statement, BPJS participant numbers) into a grid of
text cells, within fixed limits: the one reader every import uses. `read_grid` keeps the rows as they
are (the registry importer finds the header itself); `read_table` takes the first row as the header.

The grid keeps every row as the official sees it in Excel (`_row` is the row number there) and the
columns as `c1 … cN`: the header is found later (`import_checks.find_header`). A cell that was a NUMBER
in the .xlsx starts with `NUMBER_MARK`, so the checks can tell a NIK typed into a number cell (its
16th digit already lost by Excel) from one typed as text.

Limits (settings, see docs/registry.md) are checked before anything is parsed in full: the upload
size; for .xlsx the total decompressed size of the package (zip member sizes, which the zip reader
enforces while inflating), the rows and columns of every sheet (its `<dimension>` and the row and cell
references, read as a stream), and DOCTYPE/ENTITY declarations (XXE, entity expansion) are refused;
for CSV the line and separator counts. The sheet is then read in openpyxl's read-only mode and turned
into Polars frames in chunks, so memory is bounded by the limits whatever the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import polars as pl
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sinergi.core.errors import SinergiError

NUMBER_MARK = "\x1f"  # starts the text of a cell that was a number in the spreadsheet
HEADER_ALLOWANCE = 50  # title, header and footer rows allowed on top of the row limit
CHUNK_ROWS = 50_000
_SCAN_CHUNK = 1 << 20


class ImportFileError(SinergiError):
    """The file cannot be read at all: nothing is validated or written."""


def max_bytes() -> int:
    return settings.SINERGI_MAX_UPLOAD_MB * 1024 * 1024


def limits() -> dict:
    return {
        "bytes": max_bytes(),
        "unzipped": settings.SINERGI_IMPORT_MAX_UNZIPPED_MB * 1024 * 1024,
        "rows": settings.SINERGI_IMPORT_MAX_ROWS,
        "columns": settings.SINERGI_IMPORT_MAX_COLUMNS,
    }


def _too_many_rows(count: int, limit: int) -> ImportFileError:
    return ImportFileError(
        _("The sheet has %(count)s rows; the limit is %(limit)s. Split the list into smaller files.")
        % {"count": f"{count:,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")},
        code="too_many_rows",
        field="file",
    )


def _too_many_columns(count: int, limit: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet has %(count)s columns; the limit is %(limit)s. Delete the empty or unused columns "
            "on the right and save again."
        )
        % {"count": count, "limit": limit},
        code="too_many_columns",
        field="file",
    )


def _broken(detail: str = "") -> ImportFileError:
    return ImportFileError(
        _("The spreadsheet cannot be opened (%(detail)s). Open it in Excel and save it as .xlsx again.")
        % {"detail": detail or _("damaged file")},
        code="file_broken",
        field="file",
    )


def read_grid(data: bytes, filename: str) -> pl.DataFrame:
    """The file's rows as text cells `c1 … cN`, with `_row` (the row number a person sees) first."""
    lim = limits()
    if len(data) > lim["bytes"]:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(len(data) / 1048576, 1), "limit": settings.SINERGI_MAX_UPLOAD_MB},
            code="file_too_large",
            field="file",
        )
    name = (filename or "").lower()
    if not data.strip():
        raise ImportFileError(_("The file is empty."), code="file_empty", field="file")
    if name.endswith(".xlsx"):
        return _read_xlsx(data, lim)
    if name.endswith((".csv", ".txt")):
        if data[:4] == b"PK\x03\x04":
            raise ImportFileError(
                _("This file is a spreadsheet saved with a .csv name; upload it as .xlsx."),
                code="file_type",
                field="file",
            )
        return _read_csv(data, lim)
    if name.endswith(".xls"):
        raise ImportFileError(
            _("Old Excel files (.xls) are not supported: save it as .xlsx or CSV UTF-8 and upload again."),
            code="file_type",
            field="file",
        )
    raise ImportFileError(
        _("Upload an .xlsx or .csv file (this one is %(ext)s).")
        % {"ext": name.rsplit(".", 1)[-1] if "." in name else "?"},
        code="file_type",
        field="file",
    )


# --- CSV -----------------------------------------------------------------------------------------


def _read_csv(data: bytes, lim: dict) -> pl.DataFrame:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                'The CSV file is not UTF-8 text. In Excel choose "CSV UTF-8 (Comma delimited)" and save again.'
            ),
            code="file_encoding",
            field="file",
        )
    lines = text.count("\n") + 1
    if lines > lim["rows"] + HEADER_ALLOWANCE:
        raise _too_many_rows(lines, lim["rows"])
    head = text[:65536].splitlines()[:60]
    separator = max((";", ",", "\t"), key=lambda sep: sum(line.count(sep) for line in head))
    # the widest line decides the columns (title rows above the header are narrower; a separator inside
    # quotes only adds an empty column). Counted on the first lines; when a later line is wider the
    # reader says so and every line is counted.
    width = max(line.count(separator) for line in head) + 1 if head else 1
    try:
        return _csv_frame(data, separator, width, lim, ragged_ok=False)
    except pl.exceptions.ComputeError:
        width = (
            pl.Series(text.split("\n"), dtype=pl.String).str.count_matches(separator, literal=True).max() or 0
        ) + 1
    return _csv_frame(data, separator, width, lim, ragged_ok=True)


def _csv_frame(data: bytes, separator: str, width: int, lim: dict, *, ragged_ok: bool) -> pl.DataFrame:
    if width > lim["columns"]:
        raise _too_many_columns(width, lim["columns"])
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=separator,
            has_header=False,
            schema={f"c{i}": pl.String for i in range(1, width + 1)},
            missing_columns="insert",
            truncate_ragged_lines=ragged_ok,
        )
    except pl.exceptions.ComputeError:
        if not ragged_ok:
            raise
        raise ImportFileError(
            _("The CSV file is broken: check that every row has the same columns."),
            code="file_broken",
            field="file",
        )
    except (pl.exceptions.NoDataError, pl.exceptions.ShapeError) as exc:
        raise ImportFileError(
            _("The CSV file is broken (%(detail)s): check that every row has the same columns.")
            % {"detail": str(exc).splitlines()[0][:160]},
            code="file_broken",
            field="file",
        )
    frame = frame.with_columns(pl.all().fill_null("").str.strip_chars())
    return frame.with_row_index("_row", offset=1).with_columns(pl.col("_row").cast(pl.Int64))


# --- XLSX ----------------------------------------------------------------------------------------

_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})\d+\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"[A-Z]*\d*:?([A-Z]{1,3})(\d+)\"")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_xlsx_package(data: bytes, lim: dict | None = None) -> None:
    """Refuse a package that would be too big once inflated, or a sheet over the row/column limits,
    reading every XML part as a stream (never more than one chunk in memory)."""
    lim = lim or limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _broken(exc.__class__.__name__)
    if len(members) > 10_000:
        raise _broken(_("too many parts"))
    unzipped = sum(m.file_size for m in members)
    if unzipped > lim["unzipped"]:
        raise ImportFileError(
            _(
                "Unpacked, this spreadsheet is %(size)s MB (the limit is %(limit)s MB): it is probably "
                "formatted far beyond the data. Copy only the table into a new workbook and save again."
            )
            % {
                "size": round(unzipped / 1048576),
                "limit": settings.SINERGI_IMPORT_MAX_UNZIPPED_MB,
            },
            code="file_too_large",
            field="file",
        )
    max_rows = lim["rows"] + HEADER_ALLOWANCE
    for member in members:
        name = member.filename
        if not name.endswith((".xml", ".rels")):
            continue
        sheet = name.startswith("xl/worksheets/")
        try:
            with archive.open(member) as fh:
                first = True
                carry = b""
                rows_seen = 0
                cells_seen = 0
                widest = 0
                while chunk := fh.read(_SCAN_CHUNK):
                    if first and _DECLARATION.search(chunk[:65536]):
                        raise ImportFileError(
                            _(
                                "The spreadsheet contains XML declarations that are not allowed "
                                "(DOCTYPE/ENTITY). Open it in Excel and save it as .xlsx again."
                            ),
                            code="file_unsafe",
                            field="file",
                        )
                    if not sheet:
                        break
                    if first:
                        dim = _DIMENSION.search(chunk)
                        if dim:
                            if int(dim.group(2)) > max_rows:
                                raise _too_many_rows(int(dim.group(2)), lim["rows"])
                            if _column_number(dim.group(1)) > lim["columns"]:
                                raise _too_many_columns(_column_number(dim.group(1)), lim["columns"])
                    first = False
                    cut = chunk.rfind(b">") + 1
                    block, carry = carry + chunk[:cut], chunk[cut:]
                    refs = _ROW_REF.findall(block)
                    rows_seen += block.count(b"<row") + block.count(b":row ")
                    last_row = int(refs[-1]) if refs else 0
                    if max(rows_seen, last_row) > max_rows:
                        raise _too_many_rows(max(rows_seen, last_row), lim["rows"])
                    # cells without references (allowed) are counted: on average a row may not be wider
                    # than the column limit
                    cells_seen += len(_CELL.findall(block))
                    if cells_seen > max(rows_seen, 1) * lim["columns"] + lim["columns"] * HEADER_ALLOWANCE:
                        raise _too_many_columns(cells_seen // max(rows_seen, 1), lim["columns"])
                    cells = _CELL_REF.findall(block)
                    if cells:
                        widest = max(widest, max(_column_number(c) for c in set(cells)))
                        if widest > lim["columns"]:
                            raise _too_many_columns(widest, lim["columns"])
        except ImportFileError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, NotImplementedError) as exc:
            raise _broken(exc.__class__.__name__)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{NUMBER_MARK}{value}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:
            return f"{NUMBER_MARK}{int(value)}"
        return f"{NUMBER_MARK}{value!r}"
    return str(value).strip()


def _read_xlsx(data: bytes, lim: dict) -> pl.DataFrame:
    from openpyxl import load_workbook

    check_xlsx_package(data, lim)
    chunks: list[pl.DataFrame] = []
    body: list[list[str]] = []
    numbers: list[int] = []
    width = 0

    def flush():
        nonlocal body, numbers
        if body:
            columns = {f"c{i + 1}": [(r[i] if i < len(r) else "") for r in body] for i in range(width)}
            frame = pl.DataFrame(columns, schema={k: pl.String for k in columns})
            chunks.append(frame.with_columns(pl.Series("_row", numbers, dtype=pl.Int64)))
        body, numbers = [], []

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        for index, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if index > lim["rows"] + HEADER_ALLOWANCE:
                raise _too_many_rows(index, lim["rows"])
            cells = [_cell(v) for v in row[: lim["columns"] + 1]]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            if len(cells) > lim["columns"]:
                raise _too_many_columns(len(row), lim["columns"])
            width = max(width, len(cells))
            body.append(cells)
            numbers.append(index)
            if len(body) >= CHUNK_ROWS:
                flush()
        flush()
        wb.close()
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser error becomes one clear message
        raise _broken(exc.__class__.__name__)
    if not chunks:
        raise ImportFileError(_("The spreadsheet has no rows."), code="file_empty", field="file")
    frame = pl.concat(chunks, how="diagonal_relaxed").with_columns(
        [pl.col(f"c{i}").fill_null("") for i in range(1, width + 1)]
    )
    return frame.select("_row", *[f"c{i}" for i in range(1, width + 1)])


# --- A table with its header in the first row ------------------------------------------------------


def read_table(data: bytes, filename: str) -> pl.DataFrame:
    """The file as text columns named by its first row (lower case, trimmed), through `read_grid` and
    its limits. Number cells read as their digits; a column whose header is empty or repeated keeps
    its grid name (`c4`)."""
    grid = read_grid(data, filename)
    cells = [c for c in grid.columns if c != "_row"]
    header = grid.row(0, named=True)
    names: dict[str, str] = {}
    for col in cells:
        name = str(header[col] or "").removeprefix(NUMBER_MARK).strip().lstrip("\ufeff").strip().lower()
        names[col] = name if name and name not in names.values() else col
    return grid.slice(1).select([pl.col(c).str.strip_prefix(NUMBER_MARK).alias(names[c]) for c in cells])


def map_columns(df: pl.DataFrame, wanted: dict[str, tuple[str, ...]]) -> pl.DataFrame:
    """The columns of `df` renamed to the keys of `wanted` (key -> the header names accepted for it),
    or a clear error naming every missing column."""
    mapping: dict[str, str] = {}
    missing: list[str] = []
    for key, names in wanted.items():
        found = next((c for c in df.columns if c in names), None)
        if found is None:
            missing.append(names[0])
        else:
            mapping[found] = key
    if missing:
        raise SinergiError(
            _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)},
            code="missing_columns",
            field="file",
        )
    return df.select(list(mapping)).rename(mapping)
