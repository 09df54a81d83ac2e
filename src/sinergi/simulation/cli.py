"""The terminal side of `sinergi simulate`: a job with a progress bar, a table row per month, and the
first broken invariant with its rows (exit status 1)."""

from __future__ import annotations

import json
import sys
import time

from django.db import connection

from sinergi.core import clock
from sinergi.core.jobs import job_execute, job_handler, terminal_progress
from sinergi.core.models import Job
from sinergi.demo import demo_load
from sinergi.registry.models import Person
from sinergi.simulation import engine
from sinergi.simulation.world import small_world_load

KIND = "simulation.run"
BROKEN: dict = {}


@job_handler(KIND)
def simulation_job(job, progress):

    params = job.params
    progress.set_total(params["months"])
    say = params.get("_say") or print
    header_done = []

    def on_month(res):
        if not header_done:
            header = engine.format_table([res]).splitlines()[0]
            say("\r" + header + " " * 10)
            header_done.append(True)
        say("\r" + engine.format_table([res]).splitlines()[1] + " " * 10)
        for note in res.skipped:
            say(f"         skipped: {note}")
        progress.advance()

    started = time.monotonic()
    try:
        results = engine.simulate(
            months=params["months"],
            start=engine.parse_month(params["start"]) if params.get("start") else None,
            seed=params["seed"],
            rate=params["rate"],
            say=say,
            on_month=on_month,
        )
    except engine.InvariantBroken as exc:
        BROKEN[job.pk] = exc
        progress.message(f"{exc.month:%Y-%m}: {exc.broken.name}")
        for row in exc.broken.rows:
            progress.message(json.dumps(row, default=str, ensure_ascii=False))
        raise
    seconds = time.monotonic() - started
    return {
        "months": len(results),
        "first": f"{results[0].month:%Y-%m}" if results else None,
        "last": f"{results[-1].month:%Y-%m}" if results else None,
        "seconds": round(seconds, 1),
        "seconds_per_month": round(seconds / max(len(results), 1), 2),
    }


def load_world(*, world: str, start, people: int, seed: int, say=print) -> None:
    """Fill an empty database: the demo, or the small synthetic province dated the month before
    `start` (so its people are covered when the simulation begins)."""
    if world == "small":
        first = start or clock.today().replace(day=1)
        with clock.travel(engine.add_months(first, -1)):
            small_world_load(people=people, seed=seed, say=say)
    else:
        say("The database is empty: loading the demo first.")
        demo_load(stdout=say)


def run(
    *,
    months: int,
    start: str | None,
    seed: int,
    rate: float,
    world: str = "demo",
    people: int = 120,
    say=print,
) -> int:

    first = None
    if start:
        try:
            first = engine.parse_month(start)
        except Exception as exc:  # noqa: BLE001 - one clear message for any bad month
            say(f"sinergi simulate: {exc}")
            return 2
    if not Person.objects.exists():
        load_world(world=world, start=first, people=people, seed=seed, say=say)
    elif world == "small":
        say("The database already holds data: simulating it (--world applies to an empty database only).")
    say(
        f"Simulating {months} month(s) from {start or engine.default_start().strftime('%Y-%m')} "
        f"on {connection.vendor}, seed {seed}."
    )
    job = Job.objects.create(
        kind=KIND,
        title=f"Simulation of {months} month(s)",
        params={"months": months, "start": start, "seed": seed, "rate": rate},
        total=months,
    )
    job.params["_say"] = say  # not saved: the job row keeps only the JSON parameters
    job = job_execute(job, on_change=terminal_progress(sys.stderr))
    if job.status == Job.Status.FAILED:
        say("")
        broken = BROKEN.pop(job.pk, None)
        if broken is not None:
            say(f"STOPPED in {broken.month:%Y-%m}: invariant broken: {broken.broken.name}")
            say(f"  {broken.broken.description}")
            for row in broken.broken.rows:
                say("  " + json.dumps(row, default=str, ensure_ascii=False))
            for note in broken.notes:
                say(f"  earlier that month: {note}")
        else:
            say(f"STOPPED: {job.error}")
            say((job.result or {}).get("traceback", ""))
        return 1
    result = job.result
    say(
        f"\n{result['months']} month(s) {result['first']} … {result['last']} in {result['seconds']} s "
        f"({result['seconds_per_month']} s per month); every invariant held after every month."
    )
    return 0
