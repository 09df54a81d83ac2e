"""Member-list import (validate + commit, set-based) against PostgreSQL COPY of the same CSV into a bare
table, and against django-import-export (row-by-row ModelResource) on up to 100,000 rows.

On SQLite the floor is `executemany` of the same rows into a bare table in one transaction.
BENCH_IE_ROWS overrides how many rows django-import-export gets (default min(size, 100,000)).
"""

import os

from django.db import connection, transaction

from bench.generate import COLUMNS, write_people_csv

DEFAULT_SIZE = 100_000


def _bare_load(path):
    cols = ", ".join(f'"{c}" text' for c in COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_people")
        cursor.execute(f"CREATE TABLE bench_bare_people ({cols})")
        if connection.vendor == "postgresql":
            with (
                open(path, "rb") as fh,
                cursor.cursor.copy(
                    "COPY bench_bare_people FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
        else:
            import csv

            with open(path, newline="", encoding="utf-8") as fh:
                reader = csv.reader(fh)
                next(reader)
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(f"INSERT INTO bench_bare_people VALUES ({marks})", reader)


def _sinergi_import(path, body, out):
    from sinergi.registry import importer

    data = path.read_bytes()
    result = importer.validate(importer.read_table(data, path.name), body=body)
    timings = {}
    written = importer.commit(result.valid, body=body, filename=path.name, timings=timings)
    out.update(valid=result.valid.height, rejected=result.rejected.height, written=written, timings=timings)


def _import_export(path, rows):
    import tablib
    from import_export import fields, resources, widgets

    from sinergi.regions.models import Region
    from sinergi.registry.models import Person

    class PersonResource(resources.ModelResource):
        nik = fields.Field(attribute="nik", column_name="NIK")
        name = fields.Field(attribute="name", column_name="Nama")
        birth_place = fields.Field(attribute="birth_place", column_name="Tempat Lahir")
        birth_date = fields.Field(
            attribute="birth_date", column_name="Tanggal Lahir", widget=widgets.DateWidget("%Y-%m-%d")
        )
        sex = fields.Field(attribute="sex", column_name="Jenis Kelamin")
        domicile_region = fields.Field(
            attribute="domicile_region",
            column_name="Kode Kecamatan",
            widget=widgets.ForeignKeyWidget(Region, "code"),
        )
        address = fields.Field(attribute="address", column_name="Alamat")
        phone = fields.Field(attribute="phone", column_name="No HP")
        occupation = fields.Field(attribute="occupation", column_name="Pekerjaan")

        class Meta:
            model = Person
            import_id_fields = ("nik",)
            fields = (
                "nik",
                "name",
                "birth_place",
                "birth_date",
                "sex",
                "domicile_region",
                "address",
                "phone",
                "occupation",
            )

        def before_import_row(self, row, **kwargs):
            row["Jenis Kelamin"] = "F" if row["Jenis Kelamin"] == "P" else "M"

    with open(path, encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(rows + 1)]
    dataset = tablib.Dataset().load("".join(lines), format="csv")
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    return result


def run(bench, size):
    from sinergi.registry.models import Employer
    from sinergi.unions.services import union_body_create

    path = bench.tmp / "members.csv"
    write_people_csv(path, size)
    employer = Employer.objects.create(name="PT Bench Logam", region_id="3172")
    body = union_body_create(actor=None, name="PUK Bench", kind="unit", region_id="31", employer=employer)
    floor = (
        "PostgreSQL COPY into a bare table"
        if connection.vendor == "postgresql"
        else "SQLite executemany into a bare table"
    )
    bench.time(floor, lambda: _bare_load(path), rows=size)
    out = {}
    secs = bench.time(
        "sinergi import: read + validate + commit (people, memberships, employments, counts)",
        lambda: _sinergi_import(path, body, out),
        rows=size,
        baseline=floor,
    )
    bench.note("valid rows", out["valid"])
    bench.note("rejected rows", out["rejected"])
    bench.note("people created", out["written"].people_created)
    bench.note("memberships created", out["written"].memberships_created)
    bench.note("commit steps (s)", ", ".join(f"{k} {v}" for k, v in out["timings"].items()))
    again = {}
    bench.time(
        "re-import of the same file (no changes)",
        lambda: _sinergi_import(path, body, again),
        rows=size,
        baseline=floor,
    )
    bench.note("re-import people updated", again["written"].people_updated)
    copy_secs = next(t.seconds for t in bench.timings if t.label == floor)
    if connection.vendor == "postgresql":
        bench.goal("import ≤ 2× PostgreSQL COPY of the same file", secs <= 2 * copy_secs)
    ie_rows = int(os.environ.get("BENCH_IE_ROWS", min(size, 100_000)))
    ie_path = bench.tmp / "members-ie.csv"
    write_people_csv(ie_path, ie_rows, seed=2)  # other people: inserts, like the sinergi import above
    ie_secs = bench.time(
        f"django-import-export, {ie_rows:,} rows", lambda: _import_export(ie_path, ie_rows), rows=ie_rows
    )
    speedup = (ie_secs / ie_rows) / (secs / size)
    bench.note("speed-up per row vs django-import-export", round(speedup, 1))
    bench.goal("≥ 20× faster per row than django-import-export", speedup >= 20)
