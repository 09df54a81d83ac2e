"""Probable-duplicate detection over N people with 2% injected near-duplicates (bench/generate.py):
time, precision and recall against the generator's ground truth. The people are loaded with the
registry import first (timed separately)."""

from bench.generate import write_people_csv

DEFAULT_SIZE = 100_000


def run(bench, size):
    from sinergi.registry import importer
    from sinergi.registry.duplicates import find_and_store
    from sinergi.registry.models import DuplicateCandidate

    path = bench.tmp / "people.csv"
    truth = write_people_csv(path, size, near_duplicates=0.02)

    def load():
        result = importer.validate(importer.read_table(path.read_bytes(), path.name))
        importer.commit(result.valid, filename=path.name)
        return result

    bench.time("load people (registry import)", load, rows=size)
    stats = {}
    secs = bench.time(
        "duplicate detection (load, block, score, store)", lambda: stats.update(find_and_store()), rows=size
    )
    found = {
        frozenset(pair)
        for pair in DuplicateCandidate.objects.values_list("person_a__nik", "person_b__nik").iterator(
            chunk_size=10_000
        )
    }
    true = {frozenset(p) for p in truth["pairs"]}
    hits = len(found & true)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(true) if true else 0.0
    bench.note("true pairs", len(true))
    bench.note("pairs compared", stats.get("pairs_compared"))
    bench.note("pairs proposed", len(found))
    bench.note("precision", round(precision, 4))
    bench.note("recall", round(recall, 4))
    bench.goal("precision ≥ 0.98", precision >= 0.98)
    bench.goal("recall ≥ 0.95", recall >= 0.95)
    bench.goal("detection ≤ 5 minutes for 1,000,000 people (extrapolated)", secs * 1_000_000 / size <= 300)
