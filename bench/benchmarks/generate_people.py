"""How fast the synthetic worker generator is, against Polars writing the same frame (the floor)."""

import polars as pl

from bench.generate import people_frame, write_people_csv

DEFAULT_SIZE = 100_000


def run(bench, size):
    frames = {}
    bench.time("people_frame", lambda: frames.setdefault("people", people_frame(size)), rows=size)
    path = bench.tmp / "people.csv"
    bench.time("write_csv only", lambda: frames["people"].write_csv(path), rows=size, baseline="people_frame")
    truth = {}
    seconds = bench.time(
        "write_people_csv 5% near-duplicates",
        lambda: truth.update(write_people_csv(path, size, near_duplicates=0.05)),
        rows=size,
        baseline="people_frame",
    )
    back = pl.read_csv(path, infer_schema=False)
    bench.note("unique NIKs", back["NIK"].n_unique())
    bench.note("true duplicate pairs", truth["duplicates"])
    bench.goal("1,000,000 rows in under 60 s (extrapolated)", seconds * 1_000_000 / size < 60)
