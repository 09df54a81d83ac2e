"""`sinergi simulate` on the full demo: seconds per simulated month (every month: hires, job changes,
deaths with JKM claims paid by a second officer, bank-statement payments, aspirations and the
escalation job, a meeting, the billing job of every branch and the administrator, the status refresh,
scheme renewals in January) and how much of it the invariant checks take, against loading the demo.

`--size` is the number of months (36 by default: three budget years).
"""

import os
import time

DEFAULT_SIZE = 36


def run(bench, size):
    from django.conf import settings

    from sinergi.demo import demo_load
    from sinergi.simulation import engine, invariants

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # simulated officers' mail
    bench.note("load average at start (2 cores, shared)", round(os.getloadavg()[0], 1))
    bench.time("load the demo (baseline)", lambda: demo_load(stdout=lambda *_: None))
    spent = {"checks": 0.0}
    original = invariants.check_all

    def timed_check(ctx):
        t0 = time.perf_counter()
        try:
            return original(ctx)
        finally:
            spent["checks"] += time.perf_counter() - t0

    invariants.check_all = timed_check
    outcome = {"months": 0, "stopped": ""}

    def counted(_result):
        outcome["months"] += 1

    def simulate():
        try:
            results = engine.simulate(months=size, seed=2026, say=bench.say, on_month=counted)
            outcome["totals"] = {k: sum(r.counts[k] for r in results) for k, _l in engine.COLUMNS}
        except engine.InvariantBroken as exc:
            outcome["stopped"] = f"{exc.month:%Y-%m}: {exc.broken.name}"
            outcome["rows"] = exc.broken.rows[:3]

    try:
        secs = bench.time(f"simulate {size} months", simulate, baseline="load the demo (baseline)")
    finally:
        invariants.check_all = original
    months = outcome["months"] + (1 if outcome["stopped"] else 0)  # the stopped month ran in full too
    bench.note("months simulated", outcome["months"])
    bench.note("s per month", round(secs / months, 2))
    bench.note("s per month in invariant checks", round(spent["checks"] / months, 2))
    for key, value in (outcome.get("totals") or {}).items():
        bench.note(key, value)
    if outcome["stopped"]:
        bench.note("stopped at", outcome["stopped"])
        bench.note("offending rows", outcome["rows"])
    bench.goal(f"{size} months with every invariant holding", not outcome["stopped"])
    bench.goal("36 months on the full demo in under 10 minutes (extrapolated)", secs / months * 36 < 600)
