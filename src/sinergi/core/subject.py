"""Data-subject duties (UU 27/2022, Art. 5-13): everything Sinergi holds on one person, in full.

Each domain app contributes its own part through `<app>/profile.py: subject_data(person) ->
{section title: [row dict, ...]}` (the same discovery as `profile.sections`), so a new app's data is
included by writing its hook. `collect` gathers them in DOMAIN_APPS order; `as_xlsx` writes one sheet
per section. The caller (a service) checks the capability and audits the export with its purpose.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json

from sinergi import DOMAIN_APPS
from sinergi.core.audit import _jsonable
from sinergi.core.exports import safe_cell, xlsx_bytes


def rows(qs, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Every concrete field of every row (foreign keys as ids, dates ISO, money as text), unmasked."""
    model = qs.model
    names = [f.attname for f in model._meta.concrete_fields if f.name not in exclude]
    return [
        {k.removesuffix("_id") if k != "id" else k: _jsonable(v) for k, v in r.items()}
        for r in qs.values(*names)
    ]


def collect(person) -> dict[str, list[dict]]:
    data: dict[str, list[dict]] = {}
    for app in DOMAIN_APPS:
        if importlib.util.find_spec(f"{app}.profile") is None:
            continue
        hook = getattr(importlib.import_module(f"{app}.profile"), "subject_data", None)
        if hook is None:
            continue
        for title, section in hook(person).items():
            data[f"{app.rsplit('.', 1)[1]}.{title}"] = section
    return data


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def as_xlsx(data: dict) -> bytes:
    """One sheet per section (openpyxl write-only), columns from the union of the rows' keys."""

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, section in data.items():
        ws = wb.create_sheet(title=title[:31])
        headers = list(dict.fromkeys(k for row in section for k in row))
        ws.append(headers or ["(none)"])
        for row in section:
            ws.append([safe_cell(_cell(row.get(h))) for h in headers])
    if not data:
        wb.create_sheet("(none)")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


__all__ = ["rows", "collect", "as_json", "as_xlsx", "xlsx_bytes"]
