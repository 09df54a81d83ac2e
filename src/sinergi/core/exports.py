"""Spreadsheet exports: XLSX or CSV, cells escaped against formula injection, every export audited."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

from sinergi.core.audit import audit_record

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Data") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31] or "Data")
    ws.append([str(h) for h in headers])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM so Excel reads UTF-8


def export_response(
    *,
    actor,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    fmt: str = "xlsx",
    purpose: str = "",
    object_type: str = "",
    row_count: int | None = None,
    sheet_title: str = "Data",
    extra_changes: dict | None = None,
) -> HttpResponse:
    """Build the file, write the export to the audit log (who, what, how many rows, why), return it."""
    rows = list(rows)
    if fmt == "csv":
        body, content_type, ext = csv_bytes(headers, rows), "text/csv; charset=utf-8", "csv"
    else:
        body, content_type, ext = xlsx_bytes(headers, rows, sheet_title), XLSX_TYPE, "xlsx"
    audit_record(
        actor=actor,
        action="export",
        object_type=object_type,
        object_repr=f"{filename}.{ext}",
        changes={
            "rows": row_count if row_count is not None else len(rows),
            "format": ext,
            "columns": [str(h) for h in headers],
            **(extra_changes or {}),
        },
        purpose=purpose,
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
    return response
