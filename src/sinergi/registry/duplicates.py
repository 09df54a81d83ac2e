"""Probable duplicates: the same person registered under two NIKs (typos, old spellings, swapped day and
month of birth, another district of the same regency).

Set-based blocking in Polars — candidates share sex and the birth date up to a day/month swap, plus one
of: the NIK's regency, the domicile district, or the first three letters of the normalised name — then
each candidate pair is scored with rapidfuzz on the normalised names and the agreeing evidence. Pairs
already decided (merged, or "not a duplicate") are never proposed again.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from django.db import connection, transaction
from django.utils.translation import ngettext
from rapidfuzz import fuzz

from sinergi.registry.models import DuplicateCandidate, Person

MAX_BLOCK = 200  # a block this large says nothing about identity (e.g. a data-entry default); skipped
MIN_NAME_SIMILARITY = 0.72
MIN_SCORE = Decimal("0.810")  # calibrated on bench/generate.py near-duplicates: P 1.00, R 0.99 at 200k

WEIGHTS = {
    "name": 0.55,
    "birth_date": 0.15,  # exact; a day/month swap earns 0.8 of it
    "regency": 0.10,
    "domicile": 0.10,
    "address": 0.05,
    "phone": 0.05,
}


def load_people(region_prefix: str = "") -> pl.DataFrame:
    table = Person._meta.db_table
    sql = (
        f"SELECT id, nik, name_key, sex, CAST(birth_date AS TEXT), domicile_region_id, address, phone FROM {table} "  # noqa: S608
        "WHERE merged_into_id IS NULL"
    )
    params: list = []
    if region_prefix:
        sql += " AND (domicile_region_id LIKE %s OR nik LIKE %s)"
        params = [region_prefix + "%", region_prefix + "%"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = (
        pl.DataFrame(
            rows,
            schema={
                "id": pl.Int64,
                "nik": pl.String,
                "name_key": pl.String,
                "sex": pl.String,
                "birth_date": pl.String,
                "domicile": pl.String,
                "address": pl.String,
                "phone": pl.String,
            },
            orient="row",
        )
        if rows
        else pl.DataFrame(
            schema={
                "id": pl.Int64,
                "nik": pl.String,
                "name_key": pl.String,
                "sex": pl.String,
                "birth_date": pl.String,
                "domicile": pl.String,
                "address": pl.String,
                "phone": pl.String,
            }
        )
    )
    return frame.with_columns(pl.col("birth_date").cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d"))


def candidate_pairs(people: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """(id_a, id_b) pairs sharing a block, id_a < id_b, and the number of oversize blocks skipped."""
    d, m = pl.col("birth_date").dt.day(), pl.col("birth_date").dt.month()
    keyed = people.select(
        "id",
        "sex",
        pl.col("birth_date").dt.year().alias("y"),
        pl.min_horizontal(d, m).alias("lo"),
        pl.max_horizontal(d, m).alias("hi"),
        pl.col("nik").str.slice(0, 4).alias("regency"),
        pl.col("domicile"),
        pl.col("name_key").str.slice(0, 3).alias("name3"),
    )
    frames, skipped = [], 0
    for extra in ("regency", "domicile", "name3"):
        key = ["sex", "y", "lo", "hi", extra]
        sized = keyed.select("id", *key).with_columns(pl.len().over(key).alias("_n"))
        skipped += (
            sized.filter(pl.col("_n") > MAX_BLOCK).select(pl.struct(key)).n_unique() if sized.height else 0
        )
        block = sized.filter((pl.col("_n") > 1) & (pl.col("_n") <= MAX_BLOCK)).drop("_n")
        pairs = (
            block.join(block, on=key, suffix="_b")
            .filter(pl.col("id") < pl.col("id_b"))
            .select(pl.col("id").alias("id_a"), "id_b")
        )
        frames.append(pairs)
    pairs = (
        pl.concat(frames).unique() if frames else pl.DataFrame(schema={"id_a": pl.Int64, "id_b": pl.Int64})
    )
    return pairs, skipped


def score_pairs(people: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Each pair with its evidence and score (0..1)."""
    cols = ["id", "nik", "name_key", "birth_date", "domicile", "address", "phone"]
    a = people.select(cols)
    joined = pairs.join(a, left_on="id_a", right_on="id").join(a, left_on="id_b", right_on="id", suffix="_b")
    names_a, names_b = joined["name_key"].to_list(), joined["name_key_b"].to_list()
    sims = [
        max(fuzz.ratio(x, y), fuzz.token_sort_ratio(x, y)) / 100.0
        for x, y in zip(names_a, names_b, strict=True)
    ]
    joined = joined.with_columns(pl.Series("name_sim", sims, dtype=pl.Float64))
    same_date = pl.col("birth_date") == pl.col("birth_date_b")
    filled = lambda c: (pl.col(c) != "") & (pl.col(c) == pl.col(f"{c}_b"))  # noqa: E731
    scored = joined.with_columns(
        same_date.alias("same_date"),
        (pl.col("nik").str.slice(0, 4) == pl.col("nik_b").str.slice(0, 4)).alias("same_regency"),
        (pl.col("domicile") == pl.col("domicile_b")).alias("same_domicile"),
        filled("address").alias("same_address"),
        filled("phone").alias("same_phone"),
    ).with_columns(
        (
            WEIGHTS["name"] * pl.col("name_sim")
            + WEIGHTS["birth_date"] * pl.when(pl.col("same_date")).then(1.0).otherwise(0.8)
            + WEIGHTS["regency"] * pl.col("same_regency").cast(pl.Float64)
            + WEIGHTS["domicile"] * pl.col("same_domicile").cast(pl.Float64)
            + WEIGHTS["address"] * pl.col("same_address").cast(pl.Float64)
            + WEIGHTS["phone"] * pl.col("same_phone").cast(pl.Float64)
        )
        .round(3)
        .alias("score")
    )
    return scored


def find(people: pl.DataFrame) -> tuple[pl.DataFrame, dict]:
    """The probable duplicates among `people` (no database access)."""
    pairs, skipped = candidate_pairs(people)
    scored = score_pairs(people, pairs)
    found = scored.filter((pl.col("name_sim") >= MIN_NAME_SIMILARITY) & (pl.col("score") >= float(MIN_SCORE)))
    return found, {"people": people.height, "pairs_compared": pairs.height, "blocks_skipped": skipped}


def find_and_store(*, progress=None, region_prefix: str = "") -> dict:
    people = load_people(region_prefix)
    if progress:
        progress.set_total(people.height)
    found, stats = find(people)
    decided = pl.DataFrame(
        list(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id")),
        schema={"id_a": pl.Int64, "id_b": pl.Int64},
        orient="row",
    )
    new = found.join(decided, on=["id_a", "id_b"], how="anti")
    objects = [
        DuplicateCandidate(
            person_a_id=row["id_a"],
            person_b_id=row["id_b"],
            score=Decimal(str(row["score"])).quantize(Decimal("0.001")),
            evidence={
                "name": round(row["name_sim"], 2),
                "birth_date": "same" if row["same_date"] else "day/month swapped",
                "regency": row["same_regency"],
                "domicile": row["same_domicile"],
                "address": row["same_address"],
                "phone": row["same_phone"],
            },
        )
        for row in new.iter_rows(named=True)
    ]
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(objects, batch_size=2000, ignore_conflicts=True)
    stats.update({"found": found.height, "new_candidates": len(objects)})
    if progress:
        progress.set(done=people.height, failed=0)
        progress.message(
            ngettext(
                "%(n)s probable duplicate pair; %(new)s new.",
                "%(n)s probable duplicate pairs; %(new)s new.",
                found.height,
            )
            % {"n": found.height, "new": len(objects)}
        )
    return stats
