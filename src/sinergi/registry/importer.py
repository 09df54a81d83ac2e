# ruff: noqa: S608 - table and column names come from model _meta and constants; values are parameters
"""Import of worker and member lists (XLSX, CSV): read, validate every row with Polars, commit set-based.

Two steps. `validate` maps the columns (Indonesian names and common variants), checks every row with
vectorised expressions (NIK format, Kemendagri district, a real birth date, sex and birth date agreeing
with the NIK, phone, wage, duplicates within the file, one union per worker per company) and returns
the valid rows plus a report of every rejected row with its reasons. `commit` writes the valid rows in
ONE transaction: the rows go to a temporary table (PostgreSQL COPY, SQLite executemany), then one
INSERT … ON CONFLICT (nik) DO UPDATE upserts people — only rows whose values differ are touched, so a
re-import changes nothing, not even `updated_at` — and set-based INSERTs add memberships and
employments, then member counts are recomputed. Any failure rolls everything back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sinergi.core import bulksql, clock
from sinergi.core.audit import audit_create, audit_record
from sinergi.core.exports import xlsx_bytes
from sinergi.core.tables import ImportFileError, limits, max_bytes, read_grid  # noqa: F401
from sinergi.registry import import_checks as checks
from sinergi.registry.import_checks import FIELDS, REQUIRED, TEMPLATE_HEADERS  # noqa: F401 - public names
from sinergi.registry.models import Employer, Employment, ImportMapping, Person
from sinergi.registry.normalize import name_keys
from sinergi.rules.vulnerable import INCOME_THRESHOLD, low_income_reason, occupation_pattern
from sinergi.unions.services import bulk_upsert_memberships_from_stage, member_counts_recompute


class ValidationResult:
    """What the file holds: the valid rows (ready for `commit`), the rejected rows with every reason,
    the rows skipped on purpose (title, footer, identical copies) and the column mapping used."""

    def __init__(self, *, total, valid, rejected, skipped, layout):
        self.total = total
        self.valid = valid
        self.rejected = rejected  # columns: row, nik, name, reasons (one reason per line)
        self.skipped = skipped  # columns: row, reason, text
        self.layout = layout

    @property
    def mapping(self) -> dict[str, str]:
        """field -> header found (the first column mapped to each field)."""
        return {key: self.layout.headers[col] for key, col in self.layout.field_columns().items()}

    @property
    def ignored(self) -> list[str]:
        """Headers of the columns not imported (unknown, or known but not stored)."""
        return [
            self.layout.headers[c]
            for c, key in self.layout.mapping.items()
            if not key or not FIELDS[key].stored or self.layout.field_columns().get(key) != c
        ]

    def columns(self) -> list[dict]:
        """The preview: every column of the header row, the field it goes to, and whether it is stored."""
        firsts = self.layout.field_columns()
        out = []
        for col, header in self.layout.headers.items():
            key = self.layout.mapping.get(col, "")
            stored = bool(key) and FIELDS[key].stored and firsts.get(key) == col
            out.append(
                {
                    "column": col,
                    "letter": _letter(int(col[1:])),
                    "header": header,
                    "field": key,
                    "label": str(FIELDS[key].label) if key else "",
                    "imported": stored,
                }
            )
        return out


def _letter(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def read_table(data: bytes, filename: str) -> pl.DataFrame:
    """The file as a grid of text cells (`_row`, `c1 … cN`); the header is found by `validate`."""
    return read_grid(data, filename)


def as_grid(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame with named columns (a table already read with its header) as a grid with that header."""
    names = [c for c in frame.columns if c != "_row"]
    if all(re.fullmatch(r"c\d+", c) for c in names):
        return frame
    first = int(frame["_row"].min() or 2) if "_row" in frame.columns and frame.height else 2
    if "_row" not in frame.columns:
        frame = frame.with_row_index("_row", offset=first).with_columns(pl.col("_row").cast(pl.Int64))
    grid = frame.select(
        "_row",
        *[pl.col(c).cast(pl.String).fill_null("").alias(f"c{i}") for i, c in enumerate(names, start=1)],
    )
    header = pl.DataFrame(
        {"_row": [first - 1], **{f"c{i}": [c] for i, c in enumerate(names, start=1)}},
        schema=grid.schema,
    )
    return pl.concat([header, grid])


def remembered_mapping(body) -> dict:
    """What this union body mapped its headers to last time (normalised header -> field)."""
    if body is None:
        return {}

    row = ImportMapping.objects.filter(body=body).first()
    return dict(row.mapping) if row else {}


def validate(
    frame: pl.DataFrame,
    *,
    body=None,
    today: dt.date | None = None,
    language: str = "id",
    mapping: dict | None = None,
    header_row: int | None = None,
    remembered: dict | None = None,
    reveal: bool = True,
    employers: checks.EmployerLookup | None = None,
) -> ValidationResult:
    """Find the table, map its columns, run every check on every row at once.

    `mapping` (grid column -> field) and `header_row` are the official's corrections from the preview;
    `remembered` defaults to what this body mapped last time. With `reveal=False` no message repeats a
    full NIK (for roles that see NIKs masked). `employers`: the companies rows may name (the
    importer's scope, `EmployerLookup.for_user`); without it every named company is new."""
    today = today or clock.today()
    if remembered is None:
        remembered = remembered_mapping(body)
    frame = as_grid(frame)
    with translation.override(language or "id"):
        layout = checks.find_layout(frame, remembered=remembered, mapping=mapping, header_row=header_row)
        body_rows, skipped = checks.split_rows(frame, layout)
        df = checks.canonical(body_rows, layout)
        if df.height == 0:
            raise ImportFileError(_("The file has a header but no rows."), code="file_empty", field="file")
        df = checks.composed(checks.derive(df, today=today))
        df = checks.resolve_companies(df, employers)
        df, copies, duplicate_checks = checks.duplicates(df)
        all_checks = [
            *checks.nik_checks(reveal=reveal),
            *checks.identity_checks(today=today),
            *checks.detail_checks(today=today, codes=checks.district_codes()),
            *duplicate_checks,
            *(checks.member_number_checks() if body is not None else []),
            *checks.one_union_per_company(body),
            *checks.company_checks(employers),
        ]
        # flags first (cheap, every row); messages only for the rejected rows
        df = df.with_columns(pl.any_horizontal([c.fill_null(False) for c, _m in all_checks]).alias("_bad"))
        bad_rows = (
            df.filter(pl.col("_bad"))
            .rechunk()
            .with_columns(
                pl.concat_list(
                    [
                        pl.when(c.fill_null(False)).then(m).otherwise(pl.lit(None, dtype=pl.String))
                        for c, m in all_checks
                    ]
                )
                .list.drop_nulls()
                .alias("_errors")
            )
        )
        rejected = bad_rows.select(
            pl.col("_row").alias("row"),
            pl.col("seq").alias("ref"),
            pl.when(pl.col("_nik").str.contains(r"^[0-9]+$"))
            .then(pl.col("_nik"))
            .otherwise(pl.col("nik"))
            .alias("nik"),
            pl.col("name"),
            pl.col("_errors").list.join("\n").alias("reasons"),
        )
        skipped = _with_ref(pl.concat([skipped, copies], how="vertical_relaxed").sort("row"), frame, layout)
    good = df.filter(~pl.col("_bad"))
    valid = _shape_valid(good, today)
    return ValidationResult(
        total=df.height + copies.height, valid=valid, rejected=rejected, skipped=skipped, layout=layout
    )


def _with_ref(skipped: pl.DataFrame, grid: pl.DataFrame, layout) -> pl.DataFrame:
    """The official's own row number ("No" column) beside each skipped row, when the sheet has one."""
    col = layout.field_columns().get("seq")
    if col is None:
        return skipped.with_columns(pl.lit("", dtype=pl.String).alias("ref")).select(
            "row", "ref", "reason", "text"
        )
    refs = grid.select(pl.col("_row").alias("row"), pl.col(col).fill_null("").str.strip_chars().alias("ref"))
    refs = refs.with_columns(pl.col("ref").str.strip_prefix(checks.NUMBER_MARK))
    return skipped.join(refs, on="row", how="left", maintain_order="left").select(
        "row", pl.col("ref").fill_null(""), "reason", "text"
    )


def _shape_valid(good: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """The columns written to the staging table, with vulnerability computed from the rule tables."""
    s = {k: pl.col(k).fill_null("").str.strip_chars() for k in FIELDS}
    status = pl.col("_status")
    informal = status == "informal"
    income = pl.when(informal).then(pl.col("_wage")).otherwise(pl.lit(None, dtype=pl.Int64))
    occ = pl.col("_occupation").str.to_lowercase()
    pattern, labels = occupation_pattern(today)
    good = good.with_columns(
        occ.str.extract(pattern, 1)
        .replace_strict(labels, default=None, return_dtype=pl.String)
        .alias("_listed")
    )
    listed = pl.col("_listed")
    threshold = int(INCOME_THRESHOLD.value_at(today))
    low_income = income.is_not_null() & (income <= threshold)
    reason = (
        pl.when(informal & listed.is_not_null())
        .then(pl.lit("pekerjaan tercantum: ") + listed)
        .when(informal & low_income)
        .then(pl.lit(low_income_reason(threshold)))
        .otherwise(pl.lit(""))
    )
    return good.select(
        pl.col("_row").alias("row"),
        pl.col("_nik").alias("nik"),
        pl.col("_kk").alias("kk_number"),
        s["name"].alias("name"),
        s["birth_place"].alias("birth_place"),
        pl.col("_nik_date").alias("birth_date"),
        pl.col("_nik_sex").alias("sex"),
        pl.when(pl.col("_district") != "")
        .then(pl.col("_district"))
        .otherwise(pl.col("_nik").str.slice(0, 6))
        .alias("region"),
        pl.col("_address").alias("address"),
        pl.col("_phone").alias("phone"),
        pl.col("_occupation").alias("occupation"),
        status.alias("employment_type"),
        income.alias("declared_income"),
        pl.when(status == "formal")
        .then(pl.col("_wage"))
        .otherwise(pl.lit(None, dtype=pl.Int64))
        .alias("wage"),
        (reason != "").alias("is_vulnerable"),
        reason.alias("vulnerable_reason"),
        s["member_number"].alias("member_number"),
        pl.col("_jd").alias("joined_on"),
        pl.col("_employer_id").alias("employer_id"),
        pl.when(pl.col("_employer_id").is_null())
        .then(s["company"])
        .otherwise(pl.lit(""))
        .alias("employer_name"),
        pl.col("_company_key").alias("company_key"),
    ).with_columns(
        name_keys(good["name"].fill_null("").str.strip_chars()).str.slice(0, 200).alias("name_key")
    )


# --- commit --------------------------------------------------------------------------------------

STAGE = "registry_import_stage"
STAGE_COLUMNS = [
    ("nik", "varchar(16)"),
    ("kk_number", "varchar(16)"),
    ("name", "varchar(200)"),
    ("name_key", "varchar(200)"),
    ("birth_place", "varchar(100)"),
    ("birth_date", "date"),
    ("sex", "varchar(1)"),
    ("region", "varchar(13)"),
    ("address", "varchar(300)"),
    ("phone", "varchar(20)"),
    ("occupation", "varchar(120)"),
    ("employment_type", "varchar(10)"),
    ("declared_income", "numeric(18,0)"),
    ("wage", "numeric(18,0)"),
    ("is_vulnerable", "boolean"),
    ("vulnerable_reason", "varchar(200)"),
    ("member_number", "varchar(40)"),
    ("joined_on", "date"),
    ("employer_id", "bigint"),  # the employment to open: the row's company, else the body's (formal rows)
]
_TEXT_STAGE = [c for c, t in STAGE_COLUMNS if t.startswith("varchar")]


def _fill_stage(cursor, valid: pl.DataFrame):
    names = [c for c, _t in STAGE_COLUMNS]
    frame = valid.select(names).with_columns([pl.col(c).fill_null("") for c in _TEXT_STAGE])
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cols_sql = ", ".join(f"{c} {t}" for c, t in STAGE_COLUMNS)
    if connection.vendor == "postgresql":
        _temp_buffers(cursor)
        cursor.execute(f"CREATE TEMP TABLE {STAGE} ({cols_sql})")
        raw = cursor.cursor
        force = ", ".join(_TEXT_STAGE)
        with raw.copy(
            f"COPY {STAGE} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({force}))"
        ) as copy:
            for start in range(0, frame.height, 200_000):
                copy.write(
                    frame.slice(start, 200_000).write_csv(include_header=False, quote_style="necessary")
                )
    else:
        cursor.execute(f"CREATE TEMP TABLE {STAGE} ({cols_sql}, PRIMARY KEY (nik))")
        placeholders = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {STAGE} ({', '.join(names)}) VALUES ({placeholders})"
        frame = frame.with_columns(pl.col("birth_date").cast(pl.String), pl.col("joined_on").cast(pl.String))
        for start in range(0, frame.height, 50_000):
            cursor.executemany(sql, frame.slice(start, 50_000).rows())
    # PostgreSQL: no index on the stage (validation made the NIKs unique, and ON CONFLICT DO UPDATE
    # would refuse a NIK twice anyway), but statistics: without them the joins below can be planned
    # as nested loops over the whole stage.
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {STAGE}")


TEMP_BUFFERS = "256MB"


def _temp_buffers(cursor):
    """PostgreSQL keeps temporary tables in per-session buffers (8 MB by default: a 100k-row stage
    spills to disk). They can be raised only before the session first touches a temporary table."""
    cursor.execute("SELECT current_setting('temp_buffers')")
    if cursor.fetchone()[0] == TEMP_BUFFERS:
        return
    sid = transaction.savepoint()
    try:
        cursor.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
    except Exception:  # noqa: BLE001 - the session already used a temporary table: keep its setting
        transaction.savepoint_rollback(sid)
    else:
        transaction.savepoint_commit(sid)


def _distinct(a: str, b: str) -> str:
    return f"({a} IS DISTINCT FROM {b})" if connection.vendor == "postgresql" else f"({a} IS NOT {b})"


@dataclass
class CommitResult:
    rows: int
    people_created: int
    people_updated: int
    memberships_created: int = 0
    memberships_updated: int = 0
    employments_created: int = 0
    employments_updated: int = 0
    employers_created: int = 0

    def as_dict(self):
        return dict(self.__dict__)


def commit(
    valid: pl.DataFrame,
    *,
    body=None,
    actor=None,
    filename: str = "",
    progress=None,
    timings: dict | None = None,
) -> CommitResult:
    """Write the valid rows in one transaction (see module docstring). Raises on any failure.

    `timings`, when given, receives the seconds each step took (for benchmarks)."""
    lap_start = [time.perf_counter()]

    def lap(name):
        if timings is not None:
            now_ = time.perf_counter()
            timings[name] = round(now_ - lap_start[0], 3)
            lap_start[0] = now_

    person_t = Person._meta.db_table
    now = clock.now()
    today = clock.today()
    if connection.vendor == "sqlite":
        now_param = now.isoformat(sep=" ")
        today_param = today.isoformat()
    else:
        now_param, today_param = now, today
    p = person_t
    # new value for each updated column: blanks in the file never erase what is stored
    keep_blank = lambda col: f"CASE WHEN excluded.{col} <> '' THEN excluded.{col} ELSE {p}.{col} END"  # noqa: E731
    new_values = {
        "name": "excluded.name",
        "name_key": "excluded.name_key",
        "kk_number": keep_blank("kk_number"),
        "birth_place": keep_blank("birth_place"),
        "birth_date": "excluded.birth_date",
        "sex": "excluded.sex",
        "domicile_region_id": "excluded.domicile_region_id",
        "address": keep_blank("address"),
        "phone": keep_blank("phone"),
        "occupation": keep_blank("occupation"),
        "employment_type": f"CASE WHEN s_type.v <> '' THEN excluded.employment_type ELSE {p}.employment_type END",
        "declared_income": f"COALESCE(excluded.declared_income, {p}.declared_income)",
        "is_vulnerable": f"CASE WHEN excluded.vulnerable_reason <> '' OR s_type.v <> '' THEN excluded.is_vulnerable ELSE {p}.is_vulnerable END",
        "vulnerable_reason": f"CASE WHEN excluded.vulnerable_reason <> '' OR s_type.v <> '' THEN excluded.vulnerable_reason ELSE {p}.vulnerable_reason END",
    }
    # employment_type '' in the file means "not given": the insert defaults to formal, updates keep the old
    has_type = valid.height and valid["employment_type"].ne("").any()
    type_given = "'x'" if has_type else "''"
    new_values = {k: v.replace("s_type.v", type_given) for k, v in new_values.items()}
    set_sql = ", ".join(f"{k} = {v}" for k, v in new_values.items())
    changed = " OR ".join(_distinct(f"{p}.{k}", v) for k, v in new_values.items())
    insert_cols = (
        "nik, kk_number, name, name_key, birth_place, birth_date, sex, domicile_region_id, address, phone, "
        "occupation, employment_type, informal_sector, declared_income, is_vulnerable, vulnerable_reason, "
        "welfare_decile, is_deceased, death_date, merged_into_id, created_at, updated_at"
    )
    upsert = (
        f"INSERT INTO {p} ({insert_cols}) "
        f"SELECT s.nik, s.kk_number, s.name, s.name_key, s.birth_place, s.birth_date, s.sex, s.region, s.address, "
        f"s.phone, s.occupation, CASE WHEN s.employment_type = '' THEN 'formal' ELSE s.employment_type END, '', "
        f"s.declared_income, s.is_vulnerable, s.vulnerable_reason, NULL, %s, NULL, NULL, %s, %s "
        f"FROM {STAGE} s WHERE true "
        f"ON CONFLICT (nik) DO UPDATE SET {set_sql}, updated_at = excluded.updated_at WHERE {changed}"
    )
    result = CommitResult(rows=valid.height, people_created=0, people_updated=0)
    with connection.cursor() as sized, sqlite_sized_cache(sized, valid.height), transaction.atomic():
        valid, result.employers_created = _link_employers(valid, body=body, actor=actor)
        _commit_rows(
            valid,
            result,
            body=body,
            actor=actor,
            filename=filename,
            progress=progress,
            lap=lap,
            upsert=upsert,
            now=now,
            today=today,
            now_param=now_param,
            today_param=today_param,
        )
    return result


def _commit_rows(
    valid, result, *, body, actor, filename, progress, lap, upsert, now, today, now_param, today_param
):

    p = Person._meta.db_table
    with connection.cursor() as cursor:
        _fill_stage(cursor, valid)
        lap("stage")
        if progress:
            progress.message(_("Rows staged; writing people …"))
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE} s JOIN {p} ON {p}.nik = s.nik")
        existing = cursor.fetchone()[0]
        with bulksql.fk_checks_per_statement(cursor):
            bulksql.parents_locked(
                cursor,
                values_sql=f"SELECT region AS k FROM {STAGE}",
                parent="regions_region",
                key="code",
                what="person domicile",
            )
            cursor.execute(upsert, [False, now_param, now_param])
            touched = cursor.rowcount  # before the block's closing SET resets it
        result.people_created = valid.height - existing
        result.people_updated = max(0, touched - result.people_created)
        _analyze_if_grown(cursor, p, result.people_created)
        lap("people upsert")
        if body is not None:
            created, updated = bulk_upsert_memberships_from_stage(
                stage=STAGE, body=body, today=today, now=now, people_all_new=existing == 0
            )
            result.memberships_created, result.memberships_updated = created, updated
            lap("memberships")
        if valid["employer_id"].is_not_null().any():
            created, updated = _write_employments(
                cursor, today_param, now_param, people_all_new=existing == 0
            )
            result.employments_created, result.employments_updated = created, updated
            lap("employments")
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    if body is not None:
        member_counts_recompute(body_ids=[body.pk])
        lap("member counts")
    if any(v for k, v in result.as_dict().items() if k != "rows"):  # a no-op re-import writes nothing
        audit_record(
            actor=actor,
            action="import",
            object_type="registry.person",
            object_id=str(body.pk) if body is not None else "",
            object_repr=(f"{filename} → {body}" if body is not None else filename)[:300],
            changes=result.as_dict(),
        )


def _analyze_if_grown(cursor, table: str, added: int) -> None:
    """PostgreSQL: refresh the statistics of a table the import grew by more than a tenth (the first
    large import into a new registry), so that the membership and employment joins are planned
    for its real size rather than the empty table autovacuum last saw."""
    if connection.vendor != "postgresql" or added < 10_000:
        return
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
    known = cursor.fetchone()[0] or 0
    if added > max(known, 0) / 10:
        cursor.execute(f"ANALYZE {table}")


def _link_employers(valid: pl.DataFrame, *, body, actor) -> tuple[pl.DataFrame, int]:
    """Register the companies named in the file and found nowhere in the importer's scope (validation
    refused such rows for roles that may not register employers), one per distinct name, in the
    body's region (else the region most of its rows live in); then `employer_id`, the employment
    each row opens: its company's, else the body's company for formal workers."""
    created = 0
    new = (
        valid.filter((pl.col("employer_id").is_null()) & (pl.col("company_key") != ""))
        .group_by("company_key")
        .agg(pl.col("employer_name").first(), pl.col("region").mode().first())
        .sort("company_key")
    )
    ids = {}
    for key, name, region in new.iter_rows():
        employer = Employer.objects.create(name=name[:200], region_id=body.region_id if body else region)
        audit_create(actor=actor, obj=employer)
        ids[key] = employer.pk
        created += 1
    if ids:
        table = pl.DataFrame(
            {"company_key": list(ids), "_new_id": list(ids.values())},
            schema={"company_key": pl.String, "_new_id": pl.Int64},
        )
        valid = valid.join(table, on="company_key", how="left", maintain_order="left").with_columns(
            pl.coalesce("employer_id", "_new_id").alias("employer_id")
        )
    kind = pl.col("employment_type")
    body_employer = body.employer_id if body is not None else None
    valid = valid.with_columns(
        pl.when(pl.col("employer_id").is_not_null() & kind.is_in(["formal", ""]))
        .then(pl.col("employer_id"))
        .when(pl.lit(body_employer is not None) & (kind == "formal"))
        .then(pl.lit(body_employer, dtype=pl.Int64))
        .otherwise(pl.lit(None, dtype=pl.Int64))
        .alias("employer_id")
    )
    return valid, created


def _write_employments(cursor, today_param, now_param, *, people_all_new: bool = False) -> tuple[int, int]:
    """An open employment at the row's employer for each row that has one and no such employment
    yet; wages updated on the open ones. `people_all_new`: no staged NIK existed before this import,
    so every staged person's only employment is the one just inserted, with the file's wage, and the
    wage UPDATE (a join of the whole stage) would change nothing: it is skipped."""
    p, employment_t = Person._meta.db_table, Employment._meta.db_table
    # The lookups below must go through person_id (one row), never through (employer, end_date): all
    # the staged rows share one employer, so that index returns every employment at the company for
    # every staged row, quadratic. SQLite (no statistics) chose it on every re-import (585 s for 100k
    # rows); PostgreSQL chose it as a nested loop when the statistics still described an empty
    # table (the UPDATE ran for over 8 minutes after a first 100k-row import). The unary + keeps
    # that index out of these two lookups on both.
    e_employer = "+e.employer_id"
    with bulksql.fk_checks_per_statement(cursor):
        bulksql.parents_locked(
            cursor,
            values_sql=f"SELECT employer_id AS k FROM {STAGE}",
            parent=Employer._meta.db_table,
            key="id",
            what="employment employer",
        )
        bulksql.parents_locked(
            cursor,
            # people this import inserted or updated (updated_at = now) are already locked by it
            values_sql=f"SELECT p.id AS k FROM {STAGE} s JOIN {p} p ON p.nik = s.nik "
            f"WHERE s.employer_id IS NOT NULL AND p.updated_at <> %s",
            params=[now_param],
            parent=p,
            key="id",
            what="employment person",
        )
        cursor.execute(
            f"INSERT INTO {employment_t} (person_id, employer_id, start_date, end_date, wage, "
            f"work_region_id, created_at, updated_at) "
            f"SELECT p.id, s.employer_id, %s, NULL, s.wage, NULL, %s, %s FROM {STAGE} s JOIN {p} p ON p.nik = s.nik "
            f"WHERE s.employer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {employment_t} e "
            f"WHERE e.person_id = p.id AND {e_employer} = s.employer_id AND e.end_date IS NULL)",
            [today_param, now_param, now_param],
        )
        created = cursor.rowcount
        _analyze_if_grown(cursor, employment_t, created)
        if people_all_new:
            return created, 0
        cursor.execute(
            f"UPDATE {employment_t} AS e SET wage = s.wage, updated_at = %s "
            f"FROM {STAGE} s JOIN {p} p ON p.nik = s.nik "
            f"WHERE e.person_id = p.id AND {e_employer} = s.employer_id AND e.end_date IS NULL "
            f"AND s.wage IS NOT NULL AND {_distinct('s.wage', 'e.wage')}",
            [now_param],
        )
        return created, cursor.rowcount


# SQLite page cache for an import: the database file plus what the rows add, within these bounds.
SQLITE_IMPORT_CACHE_MIN_KIB = 64 * 1024
SQLITE_IMPORT_CACHE_MAX_KIB = 1024 * 1024
SQLITE_IMPORT_KIB_PER_ROW = 2  # a person, a membership, an employment and their index entries


class sqlite_sized_cache:  # noqa: N801 - used as a context manager
    """On SQLite: a page cache sized to the database file plus the rows being written (default 2 MB
    made the import slow down per row as the file grew) and temporary B-trees in memory; the
    connection's settings are restored on exit. Nothing on PostgreSQL."""

    def __init__(self, cursor, rows: int):
        self.cursor, self.rows, self.saved = cursor, rows, None

    def __enter__(self):
        if connection.vendor != "sqlite":
            return self
        cur = self.cursor
        cur.execute("PRAGMA cache_size")
        cache = cur.fetchone()[0]
        cur.execute("PRAGMA temp_store")
        temp = cur.fetchone()[0]
        cur.execute("PRAGMA page_count")
        pages = cur.fetchone()[0]
        cur.execute("PRAGMA page_size")
        file_kib = pages * cur.fetchone()[0] // 1024
        want = file_kib + self.rows * SQLITE_IMPORT_KIB_PER_ROW
        want = max(SQLITE_IMPORT_CACHE_MIN_KIB, min(SQLITE_IMPORT_CACHE_MAX_KIB, want))
        cur.execute(f"PRAGMA cache_size = {-int(want)}")
        if not connection.in_atomic_block:  # SQLite refuses to change it inside a transaction
            cur.execute("PRAGMA temp_store = MEMORY")
        self.saved = (int(cache), int(temp))
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            self.cursor.execute(f"PRAGMA cache_size = {self.saved[0]}")
            if not connection.in_atomic_block:
                self.cursor.execute(f"PRAGMA temp_store = {self.saved[1]}")
        return False


# --- report and template -------------------------------------------------------------------------


def report_xlsx(
    rejected: pl.DataFrame, skipped: pl.DataFrame | None = None, *, language: str = "id"
) -> bytes:
    """The rows an officer must look at: every rejected row with its reasons (one per line), then the
    rows skipped on purpose. NIKs arrive here already masked for roles that see them masked."""
    with translation.override(language or "id"):
        headers = [_("Row"), _("No (your sheet)"), _("NIK"), _("Name"), _("Why rejected or skipped")]
        if "ref" not in rejected.columns:
            rejected = rejected.with_columns(pl.lit("").alias("ref"))
        rows = [list(r) for r in rejected.select("row", "ref", "nik", "name", "reasons").iter_rows()]
        if skipped is not None and skipped.height:
            if "ref" not in skipped.columns:
                skipped = skipped.with_columns(pl.lit("").alias("ref"))
            label = _("skipped: %(reason)s")
            rows += [
                [r, ref, "", text, label % {"reason": reason}]
                for r, ref, reason, text in skipped.select("row", "ref", "reason", "text").iter_rows()
            ]
        rows.sort(key=lambda r: r[0])
        return xlsx_bytes(headers, rows, sheet_title=_("Report")[:31])


EXAMPLE_ROW = [
    "3172055203900001",
    "Contoh Nama Pekerja",
    "Jakarta",
    "1990-03-12",
    "P",
    "317205",
    "Jl. Contoh No. 1",
    "081234567890",
    "Operator Mesin",
    "formal",
    "5500000",
    "FSPMI-0000001",
    "2020-01-15",
    "",
]


def template_xlsx() -> bytes:
    """The template, with the NIK and KK columns formatted as Text so that Excel keeps all 16 digits."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_bytes(TEMPLATE_HEADERS, [EXAMPLE_ROW], sheet_title="Anggota")))
    ws = wb.active
    for header in ("NIK", "No KK"):
        column = TEMPLATE_HEADERS.index(header) + 1
        for row in range(2, 2002):
            ws.cell(row=row, column=column).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv() -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerow(EXAMPLE_ROW)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
