"""Benchmark harness: a migrated scratch database, timings beside a same-run baseline, peak memory, RESULTS.md.

A benchmark is `bench/benchmarks/<name>.py` with `DEFAULT_SIZE` and `run(bench, size)`. Inside `run`:

    secs = bench.time("import 100k rows", lambda: ..., rows=size, baseline="csv read")
    bench.note("precision", 0.991)
    bench.goal("import 1M rows under 60 s", secs < 60)

`sinergi bench NAME --size N` (management command `sinergi_bench`) creates a fresh database —
SQLite in a temporary folder, or a `test_…` database beside `DATABASE_URL` on PostgreSQL — runs the
migrations, runs the benchmark, prints every timing with rows/s and its ratio to the baseline, the
process's peak memory, and appends one dated row per run to `bench/RESULTS.md`.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "RESULTS.md"


def _rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError):
        return _rss_mb()


@dataclass
class Timing:
    label: str
    seconds: float
    rows: int | None = None
    baseline: str | None = None
    ratio: float | None = None

    @property
    def rate(self) -> float | None:
        return self.rows / self.seconds if self.rows and self.seconds > 0 else None

    def text(self) -> str:
        out = f"{self.label}: {self.seconds:.3f} s"
        if self.rate is not None:
            out += f" ({self.rate:,.0f} rows/s)"
        if self.ratio is not None:
            out += f" = {self.ratio:.2f}× {self.baseline}"
        return out


@dataclass
class Bench:
    """What a benchmark's `run(bench, size)` receives."""

    name: str
    size: int
    tmp: Path
    say: Callable[[str], None] = print
    timings: list[Timing] = field(default_factory=list)
    notes: list[tuple[str, object]] = field(default_factory=list)
    goals: list[tuple[str, bool]] = field(default_factory=list)

    def time(
        self, label: str, fn: Callable[[], object], *, rows: int | None = None, baseline: str | None = None
    ):
        """Run fn once, record and print its wall time; returns seconds. `baseline` is an earlier label."""
        base = None
        if baseline is not None:
            base = next((t for t in self.timings if t.label == baseline), None)
            if base is None:
                raise ValueError(f"baseline {baseline!r} has not been timed yet in this run")
        gc.collect()
        start = time.perf_counter()
        fn()
        seconds = time.perf_counter() - start
        timing = Timing(label, seconds, rows, baseline)
        if base is not None and base.seconds > 0:
            timing.ratio = seconds / base.seconds
        self.timings.append(timing)
        self.say("  " + timing.text())
        return seconds

    def note(self, name: str, value) -> None:
        self.notes.append((name, value))
        self.say(f"  {name}: {_fmt(value)}")

    def goal(self, text: str, ok: bool) -> None:
        self.goals.append((text, bool(ok)))
        self.say(f"  goal {'MET' if ok else 'MISSED'}: {text}")


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine_description() -> str:
    cores = os.cpu_count() or 1
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cores} cores, {model}, Python {platform.python_version()}"


def load_benchmark(name: str):
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad benchmark name {name!r}")
    root = str(BENCH_DIR.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    module = importlib.import_module(f"bench.benchmarks.{name}")
    if not hasattr(module, "run") or not hasattr(module, "DEFAULT_SIZE"):
        raise ValueError(f"bench/benchmarks/{name}.py must define DEFAULT_SIZE and run(bench, size)")
    return module


def available() -> list[str]:
    return sorted(p.stem for p in (BENCH_DIR / "benchmarks").glob("*.py") if not p.stem.startswith("_"))


class ScratchDatabase:
    """A migrated database for one run: never the officer's own data."""

    def __init__(self, tmp: Path, keep: bool = False):
        self.tmp = tmp
        self.keep = keep
        self.old_name = None

    def __enter__(self):
        from django.conf import settings
        from django.db import connection

        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            db.setdefault("TEST", {})["NAME"] = str(self.tmp / "bench.sqlite3")
        self.old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        from sinergi.regions.loader import minimum_wages_seed, regions_load
        from sinergi.regions.models import MinimumWage, Region

        if not Region.objects.exists():
            regions_load(Region)
            minimum_wages_seed(MinimumWage)
        return self

    def describe(self) -> str:
        from django.db import connection

        return f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"

    def __exit__(self, *exc):
        from django.db import connection

        if not self.keep:
            connection.creation.destroy_test_db(self.old_name, verbosity=0)
        return False


def run(
    name: str, size: int | None = None, *, record: bool = True, say: Callable[[str], None] = print
) -> Bench:
    module = load_benchmark(name)
    size = int(size if size is not None else module.DEFAULT_SIZE)
    start_rss = _current_rss_mb()
    with tempfile.TemporaryDirectory(prefix=f"sinergi-bench-{name}-") as tmp:
        bench = Bench(name=name, size=size, tmp=Path(tmp), say=say)
        with ScratchDatabase(Path(tmp)) as database:
            db_text = database.describe()
            say(f"bench {name} size={size:,} on {db_text}; {machine_description()}")
            started = time.perf_counter()
            module.run(bench, size)
            total = time.perf_counter() - started
    peak = _rss_mb()
    bench.note("peak memory MB", round(peak, 1))
    bench.note("memory at start MB", round(start_rss, 1))
    say(f"total {total:.1f} s")
    if record:
        append_result(bench, db_text, total, peak)
    return bench


HEADER = """# Benchmark results

Appended by `sinergi bench NAME --size N` (see `bench/README.md`); one row per run, newest last.
Numbers are wall-clock on the machine named in the row; compare rows from the same machine only.

| column | meaning |
|---|---|
| date (UTC) | when the run finished |
| benchmark | `bench/benchmarks/<name>.py` |
| size | the `--size` argument (rows, requests … as the benchmark defines) |
| database | engine and version of the scratch database the run used |
| machine | cores, CPU model, Python version |
| timings | each timed step: seconds, rows/s when it counts rows, and its ratio to the named baseline measured in the same run |
| notes | extra figures (requests/s, latency percentiles, precision, recall …) |
| goals | each target the benchmark checks: MET or MISSED |
| peak MB | peak resident memory of the benchmark process |

| date (UTC) | benchmark | size | database | machine | timings | notes | goals | peak MB |
|---|---|---|---|---|---|---|---|---|
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def append_result(bench: Bench, database: str, total: float, peak: float, path: Path = RESULTS) -> str:
    if not path.exists() or not path.read_text().strip():
        path.write_text(HEADER)
    timings = "; ".join(t.text() for t in bench.timings) + f"; total {total:.1f} s"
    notes = "; ".join(
        f"{k}: {_fmt(v)}" for k, v in bench.notes if k not in ("peak memory MB", "memory at start MB")
    )
    goals = "; ".join(f"{'MET' if ok else 'MISSED'} {text}" for text, ok in bench.goals) or "—"
    row = (
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} | {bench.name} | {bench.size:,} | {_cell(database)} | "
        f"{_cell(machine_description())} | {_cell(timings)} | {_cell(notes) or '—'} | {_cell(goals)} | {peak:,.0f} |\n"
    )
    with path.open("a") as fh:
        fh.write(row)
    return row
