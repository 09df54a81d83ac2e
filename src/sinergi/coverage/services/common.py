"""What every coverage service shares: the all-or-nothing import error, the region check and
reading an uploaded table."""

from __future__ import annotations

import io

import polars as pl
from django.utils.translation import gettext_lazy as _

from sinergi.core.errors import NotAllowed, SinergiError


class ImportErrors(SinergiError):
    """A file with bad rows: nothing was written; `errors` lists every bad row."""

    def __init__(self, errors: list[dict]):
        super().__init__(
            _("The file has %(n)d problem(s); nothing was saved.") % {"n": len(errors)}, code="invalid_file"
        )
        self.errors = errors


def scope_check_region(actor, region_code):
    from sinergi.accounts.scoping import user_scope

    if not user_scope(actor).covers_region(region_code):
        raise NotAllowed(_("This region is outside your area."))


def read_table(data: bytes, filename: str) -> pl.DataFrame:
    """Read an uploaded XLSX or CSV into strings, or raise a clear error."""
    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx"):
            df = pl.read_excel(io.BytesIO(data), engine="openpyxl", infer_schema_length=0)
        elif name.endswith(".csv"):
            df = pl.read_csv(io.BytesIO(data), infer_schema_length=0, encoding="utf8-lossy")
        else:
            raise SinergiError(_("Upload an .xlsx or .csv file."), code="invalid_file", field="file")
    except SinergiError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same user error
        raise SinergiError(_("The file could not be read."), code="invalid_file", field="file") from exc
    df = df.rename({c: c.strip().lstrip("\ufeff").lower() for c in df.columns})
    return df.with_columns(pl.all().cast(pl.Utf8))


def map_columns(df: pl.DataFrame, wanted: dict) -> pl.DataFrame:
    mapping, missing = {}, []
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
