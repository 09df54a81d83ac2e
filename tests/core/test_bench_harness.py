"""`sinergi bench`: runs a benchmark on a scratch database, prints timings beside a baseline, records a row."""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.harness import HEADER, Bench, append_result  # noqa: E402


def test_timings_carry_rows_per_second_and_the_ratio_to_their_baseline(tmp_path):
    lines = []
    bench = Bench(name="demo", size=10, tmp=tmp_path, say=lines.append)
    bench.time("base", lambda: sum(range(1000)), rows=1000)
    bench.time("slow", lambda: sum(range(100000)), rows=1000, baseline="base")
    bench.note("precision", 0.97)
    bench.goal("fast enough", True)
    assert bench.timings[1].ratio == bench.timings[1].seconds / bench.timings[0].seconds
    assert "× base" in lines[1] and "rows/s" in lines[0]
    results = tmp_path / "RESULTS.md"
    row = append_result(bench, "sqlite 3", total=0.5, peak=123.4, path=results)
    text = results.read_text()
    assert text.startswith(HEADER) and text.endswith(row)
    cells = [c.strip() for c in row.strip().strip("|").split(" | ")]
    assert cells[1:4] == ["demo", "10", "sqlite 3"]
    assert "MET fast enough" in row and "precision: 0.97" in row and cells[-1] == "123"


def test_an_unknown_baseline_is_a_clear_error(tmp_path):
    import pytest

    bench = Bench(name="x", size=1, tmp=tmp_path, say=lambda _t: None)
    with pytest.raises(ValueError, match="has not been timed"):
        bench.time("a", lambda: None, baseline="nothing")


def test_the_command_runs_a_benchmark_on_a_scratch_database(tmp_path):
    env = {**os.environ, "SINERGI_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "sinergi", "bench", "generate_people", "--size", "300", "--no-record"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "people_frame:" in result.stdout and "× people_frame" in result.stdout
    assert "unique NIKs: 300" in result.stdout and "peak memory MB" in result.stdout
    assert not (tmp_path / "sinergi.sqlite3").exists()  # the officer's own database is untouched
    unknown = subprocess.run(
        [sys.executable, "-m", "sinergi", "bench", "nope"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert unknown.returncode != 0 and "Unknown benchmark 'nope'" in unknown.stderr
