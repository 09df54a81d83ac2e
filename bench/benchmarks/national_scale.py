"""National scale (issue #17, docs/national-scale.md): partitioned billing and import on PostgreSQL.

`--size N` is the number of people; each has one active participation, so the tables hold N people
and N participations (2N rows) in each of two schemas built side by side in a scratch schema `ns`:

- **flat**: the current shape — no province column; a province is `domicile_region_id LIKE '32%'`
  on the person, participations reach it through a join;
- **part**: the design of docs/national-scale.md §1 — a denormalised `province_code` on person,
  participation, contribution and bill, `PARTITION BY LIST (province_code)` with one partition per
  province (38) and an empty DEFAULT partition; primary and unique keys carry the partition key.

Data are generated set-based in SQL (`generate_series`), the partitioned copy by one INSERT … SELECT.
People are spread over the 38 provinces by their 2020 census population (Jawa Barat ≈ 17 %), in
blocks of 50 (one employer's workers share a province). Mix: 70 % wage earners (PU: JKK class 1–5,
JKM, JHT, JP with its wage cap), 30 % self-paying non-wage earners (BPU: JKK capped, JKM flat, a third
with JHT). Every rate and cap comes from `sinergi.rules.contributions.billing_parameters` (the dated
tables), passed to SQL as parameters.

Measured, on both schemas:
1. the hand-written baseline: one INSERT … SELECT of the per-payer bill totals (no contribution rows);
2. a national billing run in Sinergi's shape: one contribution row per participation (idempotent:
   `ON CONFLICT DO NOTHING` on participation + month) and one bill per payer, summed from the
   contributions; a repeat run of the same month (adds nothing);
3. a per-province billing run (Jawa Barat, the largest, and Papua Pegunungan, a small one) —
   what a branch's billing job does;
4. an import into one province of size/10 rows (half updates of existing people, half new people who
   get a participation): COPY into a staging table (the baseline), then one upsert + one insert.

The bills of every run are compared with the baseline's totals (must be equal). This measures the SQL
shape at scale; the Django billing service itself (`services.billing_run`) is measured by
`bench/benchmarks/billing.py` on the unpartitioned Django tables.
"""

from __future__ import annotations

import datetime as dt
import os

DEFAULT_SIZE = 1_000_000
MONTH = dt.date(2025, 11, 1)
MONTH2 = dt.date(2025, 12, 1)
EMPLOYER_SIZE = 50
BIG, SMALL = "32", "95"  # Jawa Barat, Papua Pegunungan

# Population 2020 census (millions), for the spread of the synthetic people over the 38 provinces.
PROVINCES = {
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0,
    "19": 1.5, "21": 2.1, "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 41.0, "36": 11.9,
    "51": 4.3, "52": 5.3, "53": 5.3, "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7,
    "71": 2.6, "72": 3.0, "73": 9.1, "74": 2.6, "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3,
    "91": 1.0, "92": 0.55, "93": 0.5, "94": 1.3, "95": 1.4, "96": 0.6,
}  # fmt: skip


def _slots(n: int = 1000) -> list[str]:
    """Largest-remainder apportionment of n slots to the provinces by population."""
    total = sum(PROVINCES.values())
    exact = {code: PROVINCES[code] * n / total for code in PROVINCES}
    counts = {code: max(1, int(v)) for code, v in exact.items()}
    for code in sorted(exact, key=lambda c: exact[c] - int(exact[c]), reverse=True):
        if sum(counts.values()) >= n:
            break
        counts[code] += 1
    while sum(counts.values()) > n:
        counts[max(counts, key=counts.get)] -= 1
    return [code for code in sorted(counts) for _ in range(counts[code])]


def _params() -> dict:
    from sinergi.rules.contributions import billing_parameters

    p = billing_parameters(MONTH)
    jkk = p["jkk_ppm"]
    return {
        "jkk1": jkk[1], "jkk2": jkk[2], "jkk3": jkk[3], "jkk4": jkk[4], "jkk5": jkk[5],
        "jkm": p["jkm_ppm"], "jht": p["jht_employer_ppm"] + p["jht_worker_ppm"],
        "jp": p["jp_employer_ppm"] + p["jp_worker_ppm"], "jp_cap": p["jp_cap"],
        "bpu_jkk": p["bpu_jkk_ppm"], "bpu_jkk_max": p["bpu_jkk_max"], "bpu_jkm": p["bpu_jkm_flat"],
        "bpu_jht": p["bpu_jht_ppm"], "bpu_min": p["bpu_min_income"],
    }  # fmt: skip


# Whole rupiah, half up (the rounding of rules.money.to_rupiah for positive amounts), from ppm rates.
def _r(amount: str, ppm: str) -> str:
    return f"(({amount}) * {ppm} + 500000) / 1000000"


JKK_PPM = (
    "CASE pt.risk_class WHEN 1 THEN %(jkk1)s WHEN 2 THEN %(jkk2)s WHEN 3 THEN %(jkk3)s "
    "WHEN 4 THEN %(jkk4)s ELSE %(jkk5)s END"
)
JKK = f"CASE WHEN pt.segment = 'PU' THEN {_r('pt.wage', JKK_PPM)} ELSE LEAST({_r('pt.wage', '%(bpu_jkk)s')}, %(bpu_jkk_max)s) END"
JKM = f"CASE WHEN pt.segment = 'PU' THEN {_r('pt.wage', '%(jkm)s')} ELSE %(bpu_jkm)s END"
JHT = (
    f"CASE WHEN pt.segment = 'PU' THEN {_r('pt.wage', '%(jht)s')} "
    f"WHEN pt.with_jht THEN {_r('pt.wage', '%(bpu_jht)s')} ELSE 0 END"
)
JP = f"CASE WHEN pt.segment = 'PU' THEN {_r('LEAST(pt.wage, %(jp_cap)s)', '%(jp)s')} ELSE 0 END"


def _ddl(cur, slots: list[str], size: int):
    codes = sorted(PROVINCES)
    cur.execute("DROP SCHEMA IF EXISTS ns CASCADE; CREATE SCHEMA ns")
    cur.execute("CREATE SEQUENCE ns.person_seq; CREATE SEQUENCE ns.participation_seq")
    for variant in ("flat", "part"):
        prov = "province_code char(2) NOT NULL," if variant == "part" else ""
        tail = " PARTITION BY LIST (province_code)" if variant == "part" else ""
        cur.execute(
            f"""
            CREATE TABLE ns.person_{variant} (
                id bigint NOT NULL DEFAULT nextval('ns.person_seq'), {prov}
                nik varchar(16) NOT NULL, name varchar(200) NOT NULL, birth_date date NOT NULL,
                domicile_region_id varchar(10) NOT NULL
            ){tail};
            CREATE TABLE ns.participation_{variant} (
                id bigint NOT NULL DEFAULT nextval('ns.participation_seq'), {prov}
                person_id bigint NOT NULL, payer_id bigint NOT NULL, segment varchar(3) NOT NULL,
                risk_class smallint NOT NULL, wage bigint NOT NULL, with_jht boolean NOT NULL,
                status varchar(10) NOT NULL
            ){tail};
            CREATE TABLE ns.contribution_{variant} (
                {prov} participation_id bigint NOT NULL, month date NOT NULL, payer_id bigint NOT NULL,
                jkk bigint NOT NULL, jkm bigint NOT NULL, jht bigint NOT NULL, jp bigint NOT NULL,
                total bigint NOT NULL
            ){tail};
            CREATE TABLE ns.bill_{variant} (
                {prov} payer_id bigint NOT NULL, month date NOT NULL, participations integer NOT NULL,
                total bigint NOT NULL
            ){tail};
            CREATE TABLE ns.totals_{variant} (
                payer_id bigint NOT NULL, month date NOT NULL, total bigint NOT NULL
            );
            """
        )
        if variant == "part":
            for table in ("person", "participation", "contribution", "bill"):
                for code in codes:
                    cur.execute(
                        f"CREATE TABLE ns.{table}_part_{code} PARTITION OF ns.{table}_part FOR VALUES IN ('{code}')"
                    )
                cur.execute(f"CREATE TABLE ns.{table}_part_default PARTITION OF ns.{table}_part DEFAULT")


def _load_flat(cur, slots: list[str], size: int, params: dict):
    """People and participations of the flat schema, generated in SQL (one statement each)."""
    cur.execute(
        """
        INSERT INTO ns.person_flat (id, nik, name, birth_date, domicile_region_id)
        SELECT n, s.prov || '0101' || lpad(n::text, 10, '0'), 'Pekerja ' || n,
               DATE '1970-01-01' + (n %% 12000), s.prov || lpad((1 + n %% 20)::text, 2, '0') || '01'
        FROM generate_series(1, %(size)s) AS n,
             LATERAL (SELECT (%(slots)s::text[])[((n - 1) / %(emp)s) %% 1000 + 1] AS prov) s
        """,
        {"size": size, "slots": slots, "emp": EMPLOYER_SIZE},
    )
    # 70 % PU in blocks of one employer (payer = employer, id (n-1)/50 + 1), 30 % BPU paying for themselves
    # (payer = 1e9 + person id); wages between 2.5 and 12.5 million so that the JP cap bites for some.
    cur.execute(
        """
        INSERT INTO ns.participation_flat (id, person_id, payer_id, segment, risk_class, wage, with_jht, status)
        SELECT n, n,
               CASE WHEN n %% 10 < 7 THEN (n - 1) / %(emp)s + 1 ELSE 1000000000 + n END,
               CASE WHEN n %% 10 < 7 THEN 'PU' ELSE 'BPU' END,
               (((n - 1) / %(emp)s) %% 5) + 1,
               CASE WHEN n %% 10 < 7 THEN 2500000 + (n %% 101) * 100000 ELSE %(bpu_min)s + (n %% 5) * 500000 END,
               n %% 3 = 0, 'active'
        FROM generate_series(1, %(size)s) AS n
        """,
        {"size": size, "emp": EMPLOYER_SIZE, **params},
    )


def _index(cur, variant: str):
    if variant == "flat":
        cur.execute(
            """
            ALTER TABLE ns.person_flat ADD PRIMARY KEY (id);
            CREATE UNIQUE INDEX ON ns.person_flat (nik);
            CREATE INDEX ON ns.person_flat (domicile_region_id varchar_pattern_ops);
            ALTER TABLE ns.participation_flat ADD PRIMARY KEY (id);
            CREATE INDEX ON ns.participation_flat (person_id);
            CREATE UNIQUE INDEX ON ns.contribution_flat (participation_id, month);
            CREATE UNIQUE INDEX ON ns.bill_flat (payer_id, month);
            """
        )
    else:
        cur.execute(
            """
            ALTER TABLE ns.person_part ADD PRIMARY KEY (id, province_code);
            CREATE UNIQUE INDEX ON ns.person_part (province_code, nik);
            ALTER TABLE ns.participation_part ADD PRIMARY KEY (id, province_code);
            CREATE INDEX ON ns.participation_part (person_id);
            CREATE UNIQUE INDEX ON ns.contribution_part (province_code, participation_id, month);
            CREATE UNIQUE INDEX ON ns.bill_part (province_code, payer_id, month);
            """
        )


def _baseline(cur, variant: str, month: dt.date, params: dict):
    cur.execute(
        f"""
        INSERT INTO ns.totals_{variant} (payer_id, month, total)
        SELECT pt.payer_id, %(month)s, SUM(({JKK}) + ({JKM}) + ({JHT}) + ({JP}))
        FROM ns.participation_{variant} pt WHERE pt.status = 'active'
        GROUP BY pt.payer_id
        """,  # noqa: S608 (fixed expressions)
        {"month": month, **params},
    )


def _billing(cur, variant: str, month: dt.date, params: dict, province: str | None = None):
    """Sinergi's billing shape: contribution rows (idempotent), then one bill per payer from them."""
    prov_col = "province_code, " if variant == "part" else ""
    prov_val = "pt.province_code, " if variant == "part" else ""
    if province is None:
        where, join, bill_where = "", "", ""
    elif variant == "part":
        where, join, bill_where = "AND pt.province_code = %(prov)s", "", "AND c.province_code = %(prov)s"
    else:
        join = "JOIN ns.person_flat p ON p.id = pt.person_id"
        where = "AND p.domicile_region_id LIKE %(prefix)s"
        bill_where = "AND c.participation_id IN (SELECT pt.id FROM ns.participation_flat pt JOIN ns.person_flat p ON p.id = pt.person_id WHERE p.domicile_region_id LIKE %(prefix)s)"
    conflict_c = (
        "(province_code, participation_id, month)" if variant == "part" else "(participation_id, month)"
    )
    conflict_b = "(province_code, payer_id, month)" if variant == "part" else "(payer_id, month)"
    args = {"month": month, "prov": province, "prefix": f"{province}%", **params}
    cur.execute(
        f"""
        INSERT INTO ns.contribution_{variant} ({prov_col}participation_id, month, payer_id, jkk, jkm, jht, jp, total)
        SELECT {prov_val}id, %(month)s, payer_id, jkk, jkm, jht, jp, jkk + jkm + jht + jp FROM (
            SELECT {prov_val}pt.id, pt.payer_id, {JKK} AS jkk, {JKM} AS jkm, {JHT} AS jht, {JP} AS jp
            FROM ns.participation_{variant} pt {join}
            WHERE pt.status = 'active' {where}
        ) pt
        ON CONFLICT {conflict_c} DO NOTHING
        """,  # noqa: S608 (fixed expressions)
        args,
    )
    cur.execute(
        f"""
        INSERT INTO ns.bill_{variant} ({prov_col}payer_id, month, participations, total)
        SELECT {prov_col.replace("province_code", "c.province_code")}c.payer_id, %(month)s, COUNT(*), SUM(c.total)
        FROM ns.contribution_{variant} c WHERE c.month = %(month)s {bill_where}
        GROUP BY {prov_col.replace("province_code", "c.province_code")}c.payer_id
        ON CONFLICT {conflict_b} DO UPDATE SET participations = EXCLUDED.participations, total = EXCLUDED.total
        WHERE (ns.bill_{variant}.participations, ns.bill_{variant}.total) IS DISTINCT FROM (EXCLUDED.participations, EXCLUDED.total)
        """,  # noqa: S608
        args,
    )


def _import_file(cur, path, size: int, rows: int):
    """The file an officer would upload for one province: half existing people (a corrected name),
    half new people, as CSV."""
    half = rows // 2
    with open(path, "wb") as fh:
        with cur.copy(
            f"""COPY (
                (SELECT nik, name || ' (koreksi)', birth_date, domicile_region_id FROM ns.person_flat
                 WHERE domicile_region_id LIKE '{BIG}%' ORDER BY id LIMIT {half})
              UNION ALL
                SELECT '{BIG}0101' || lpad(n::text, 10, '0'), 'Pekerja Baru ' || n, DATE '1990-01-01' + (n % 9000),
                       '{BIG}0101'
                FROM generate_series({size + 1}, {size + rows - half}) AS n
            ) TO STDOUT WITH (FORMAT csv)"""  # noqa: S608 (integers)
        ) as copy:
            for chunk in copy:
                fh.write(chunk)


def _copy_in(cur, path, table: str):
    with open(path, "rb") as fh, cur.copy(f"COPY {table} FROM STDIN WITH (FORMAT csv)") as copy:  # noqa: S608
        while data := fh.read(1 << 20):
            copy.write(data)


def _import(cur, variant: str, path, params: dict):
    """Staging by COPY, then one upsert of the people and one insert of the new participations."""
    cur.execute(
        "DROP TABLE IF EXISTS ns.staging; CREATE UNLOGGED TABLE ns.staging "
        "(nik varchar(16), name varchar(200), birth_date date, domicile_region_id varchar(10))"
    )
    _copy_in(cur, path, "ns.staging")
    if variant == "part":
        cur.execute(
            """
            INSERT INTO ns.person_part (province_code, nik, name, birth_date, domicile_region_id)
            SELECT left(domicile_region_id, 2), nik, name, birth_date, domicile_region_id FROM ns.staging
            ON CONFLICT (province_code, nik) DO UPDATE SET name = EXCLUDED.name
            WHERE ns.person_part.name IS DISTINCT FROM EXCLUDED.name
            """
        )
        cur.execute(
            """
            INSERT INTO ns.participation_part (province_code, person_id, payer_id, segment, risk_class, wage, with_jht, status)
            SELECT p.province_code, p.id, 2000000000 + p.id, 'BPU', 1, %(bpu_min)s, false, 'active'
            FROM ns.staging s JOIN ns.person_part p ON p.province_code = %(prov)s AND p.nik = s.nik
            WHERE NOT EXISTS (SELECT 1 FROM ns.participation_part x
                              WHERE x.province_code = %(prov)s AND x.person_id = p.id)
            """,
            {"prov": BIG, **params},
        )
    else:
        cur.execute(
            """
            INSERT INTO ns.person_flat (nik, name, birth_date, domicile_region_id)
            SELECT nik, name, birth_date, domicile_region_id FROM ns.staging
            ON CONFLICT (nik) DO UPDATE SET name = EXCLUDED.name
            WHERE ns.person_flat.name IS DISTINCT FROM EXCLUDED.name
            """
        )
        cur.execute(
            """
            INSERT INTO ns.participation_flat (person_id, payer_id, segment, risk_class, wage, with_jht, status)
            SELECT p.id, 2000000000 + p.id, 'BPU', 1, %(bpu_min)s, false, 'active'
            FROM ns.staging s JOIN ns.person_flat p ON p.nik = s.nik
            WHERE NOT EXISTS (SELECT 1 FROM ns.participation_flat x WHERE x.person_id = p.id)
            """,
            params,
        )


def _one(cur, sql: str, args=None):
    cur.execute(sql, args)
    return cur.fetchone()[0]


def run(bench, size):
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("national_scale needs PostgreSQL (declarative partitioning): set DATABASE_URL")
    load = os.getloadavg()
    bench.note("load average at start (2 cores, shared)", round(load[0], 1))
    slots = _slots()
    params = _params()
    import_rows = max(2, size // 10)
    with connection.cursor() as cur:
        cur.execute("SHOW shared_buffers")
        bench.note("shared_buffers", cur.fetchone()[0])
        cur.execute("SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'")
        _ddl(cur, slots, size)
        bench.time(
            "setup flat: people + participations (generate_series)",
            lambda: _load_flat(cur, slots, size, params),
            rows=2 * size,
        )
        bench.time("setup flat: indexes", lambda: _index(cur, "flat"), rows=2 * size)
        bench.time(
            "setup partitioned: people + participations (INSERT … SELECT, routed to 38 partitions)",
            lambda: cur.execute(
                """
                INSERT INTO ns.person_part (id, province_code, nik, name, birth_date, domicile_region_id)
                SELECT id, left(domicile_region_id, 2), nik, name, birth_date, domicile_region_id FROM ns.person_flat;
                INSERT INTO ns.participation_part (id, province_code, person_id, payer_id, segment, risk_class, wage, with_jht, status)
                SELECT pt.id, left(p.domicile_region_id, 2), pt.person_id, pt.payer_id, pt.segment, pt.risk_class,
                       pt.wage, pt.with_jht, pt.status
                FROM ns.participation_flat pt JOIN ns.person_flat p ON p.id = pt.person_id;
                """
            ),
            rows=2 * size,
        )
        bench.time("setup partitioned: indexes", lambda: _index(cur, "part"), rows=2 * size)
        cur.execute(f"SELECT setval('ns.person_seq', {size}); SELECT setval('ns.participation_seq', {size})")
        cur.execute(
            "VACUUM ANALYZE ns.person_flat, ns.participation_flat, ns.person_part, ns.participation_part"
        )
        bench.note("people", _one(cur, "SELECT COUNT(*) FROM ns.person_part"))
        bench.note("participations", _one(cur, "SELECT COUNT(*) FROM ns.participation_part"))
        bench.note(
            "people in the DEFAULT partition (must be 0)",
            _one(cur, "SELECT COUNT(*) FROM ns.person_part_default"),
        )
        big = _one(cur, "SELECT COUNT(*) FROM ns.person_part WHERE province_code = %s", [BIG])
        small = _one(cur, "SELECT COUNT(*) FROM ns.person_part WHERE province_code = %s", [SMALL])
        bench.note(f"people in province {BIG}", big)
        bench.note(f"people in province {SMALL}", small)
        bench.note(
            "database size GB", round(_one(cur, "SELECT pg_database_size(current_database())") / 1e9, 2)
        )

        # --- national billing -------------------------------------------------------------------
        base = "hand-written INSERT … SELECT of bill totals (flat, national)"
        bench.time(base, lambda: _baseline(cur, "flat", MONTH, params), rows=size)
        bench.time(
            "hand-written bill totals (partitioned, national)",
            lambda: _baseline(cur, "part", MONTH, params),
            rows=size,
            baseline=base,
        )
        flat_s = bench.time(
            "billing run, flat, national (contributions + bills)",
            lambda: _billing(cur, "flat", MONTH, params),
            rows=size,
            baseline=base,
        )
        part_s = bench.time(
            "billing run, partitioned, national (contributions + bills)",
            lambda: _billing(cur, "part", MONTH, params),
            rows=size,
            baseline=base,
        )
        bench.time(
            "repeat billing run, partitioned, same month (adds nothing)",
            lambda: _billing(cur, "part", MONTH, params),
            rows=size,
            baseline=base,
        )
        cur.execute("ANALYZE ns.contribution_flat, ns.contribution_part, ns.bill_flat, ns.bill_part")
        diff = _one(
            cur,
            """SELECT COUNT(*) FROM ns.totals_flat t
               FULL JOIN (SELECT payer_id, SUM(total) AS total FROM ns.bill_part WHERE month = %(m)s GROUP BY payer_id) b
                 ON b.payer_id = t.payer_id
               FULL JOIN ns.bill_flat f ON f.payer_id = t.payer_id AND f.month = %(m)s
               WHERE t.total IS DISTINCT FROM b.total OR t.total IS DISTINCT FROM f.total""",
            {"m": MONTH},
        )
        bench.note("bills differing from the hand-written totals (flat and partitioned)", diff)
        bench.note("bills", _one(cur, "SELECT COUNT(*) FROM ns.bill_part"))
        bench.note("billed total (Rp)", _one(cur, "SELECT SUM(total) FROM ns.bill_part"))
        bench.goal("bills equal the hand-written totals on both schemas", diff == 0)

        # --- one province's billing (a branch's job), next month ----------------------------------
        timings = {}
        for prov, label in ((BIG, "Jawa Barat"), (SMALL, "Papua Pegunungan")):
            for variant in ("flat", "part"):
                timings[prov, variant] = bench.time(
                    f"billing run, {variant}, one province ({prov} {label})",
                    lambda prov=prov, variant=variant: _billing(cur, variant, MONTH2, params, prov),
                    rows=big if prov == BIG else small,
                )
        same = _one(
            cur,
            """SELECT COUNT(*) FROM (SELECT payer_id, total FROM ns.bill_part WHERE month = %(m)s
               EXCEPT SELECT payer_id, total FROM ns.bill_flat WHERE month = %(m)s) d""",
            {"m": MONTH2},
        )
        bench.note("province bills differing between flat and partitioned", same)

        # --- import into one province --------------------------------------------------------------
        path = bench.tmp / "import.csv"
        _import_file(cur, path, size, import_rows)
        bench.note("import file MB", round(path.stat().st_size / 1e6, 1))
        ibase = "COPY the import file into a bare table"
        cur.execute("CREATE UNLOGGED TABLE ns.bare (nik text, name text, birth_date date, region text)")
        bench.time(ibase, lambda: _copy_in(cur, path, "ns.bare"), rows=import_rows)
        iflat = bench.time(
            f"import into province {BIG}, flat (COPY + upsert people + new participations)",
            lambda: _import(cur, "flat", path, params),
            rows=import_rows,
            baseline=ibase,
        )
        ipart = bench.time(
            f"import into province {BIG}, partitioned (COPY + upsert people + new participations)",
            lambda: _import(cur, "part", path, params),
            rows=import_rows,
            baseline=ibase,
        )
        counts = (
            _one(cur, "SELECT COUNT(*) FROM ns.person_flat"),
            _one(cur, "SELECT COUNT(*) FROM ns.person_part"),
            _one(cur, "SELECT COUNT(*) FROM ns.participation_flat"),
            _one(cur, "SELECT COUNT(*) FROM ns.participation_part"),
        )
        bench.note(
            "after import: people flat/partitioned, participations flat/partitioned",
            "/".join(map(str, counts)),
        )
        bench.goal(
            "the import wrote the same rows on both schemas",
            counts[0] == counts[1] == counts[2] == counts[3] == size + import_rows - import_rows // 2,
        )
        bench.note("partitioned / flat, national billing", round(part_s / flat_s, 2))
        bench.note(
            f"partitioned / flat, billing province {BIG}",
            round(timings[BIG, "part"] / timings[BIG, "flat"], 2),
        )
        bench.note(
            f"partitioned / flat, billing province {SMALL}",
            round(timings[SMALL, "part"] / timings[SMALL, "flat"], 2),
        )
        bench.note("partitioned / flat, import", round(ipart / iflat, 2))
        bench.note(
            "database size GB at the end",
            round(_one(cur, "SELECT pg_database_size(current_database())") / 1e9, 2),
        )
        bench.note("load average at end", round(os.getloadavg()[0], 1))
        cur.execute("DROP SCHEMA ns CASCADE")
