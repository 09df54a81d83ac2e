"""The locust side of `loadtest`: run as its own process (locust patches the process with gevent, which the
benchmark's Django/psycopg process must not be), reads a JSON plan on stdin, prints JSON stats on stdout.

Plan: {"host", "session", "token", "phases": [{"name", "users", "max_requests", "max_seconds",
"tasks": [{"name", "path", "weight", "api": bool}]}]}. Each phase is a closed loop: `users` clients with
keep-alive connections and no think time, stopped after `max_requests` requests or `max_seconds`,
whichever comes first. Paths may contain "{person}" (a random person id from plan["people"]) and
"{q}" (a name from plan["names"]).
"""

from __future__ import annotations

import json
import random
import sys
import time

import gevent
from locust import FastHttpUser, constant, events, task  # noqa: F401 - events used by the listener
from locust.env import Environment


def _user_class(plan: dict, phase: dict):
    people = plan.get("people") or [1]
    names = plan.get("names") or ["siti"]
    tasks = phase["tasks"]
    weights = [t.get("weight", 1) for t in tasks]

    class Officer(FastHttpUser):
        host = plan["host"]
        wait_time = constant(0)
        connection_timeout = 30.0
        network_timeout = 60.0

        def on_start(self):
            self.cookies = {"sessionid": plan["session"]}

        @task
        def one(self):
            t = random.choices(tasks, weights=weights)[0]
            path = (
                t["path"].replace("{person}", str(random.choice(people))).replace("{q}", random.choice(names))
            )
            headers = {"Accept-Language": "id"}
            if t.get("api"):
                headers["Authorization"] = f"Bearer {plan['token']}"
            else:
                headers["Cookie"] = f"sessionid={plan['session']}"
            with self.client.get(path, headers=headers, name=t["name"], catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"{r.status_code}")

    return Officer


def run_phase(plan: dict, phase: dict) -> dict:
    env = Environment(user_classes=[_user_class(plan, phase)])
    done = {"n": 0}

    def count(**_kw):
        done["n"] += 1

    env.events.request.add_listener(count)
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(phase["users"], spawn_rate=phase["users"])
    deadline = started + phase["max_seconds"]
    while done["n"] < phase["max_requests"] and time.monotonic() < deadline:
        gevent.sleep(0.05)
    elapsed = time.monotonic() - started
    runner.quit()
    stats = {}
    for (name, _method), entry in env.stats.entries.items():
        stats[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / elapsed if elapsed else 0.0,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
        }
    errors = [f"{e.name}: {e.error} × {e.occurrences}" for e in env.stats.errors.values()][:10]
    total = env.stats.total
    return {
        "name": phase["name"],
        "elapsed": elapsed,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / elapsed if elapsed else 0.0,
        "pages": stats,
        "errors": errors,
    }


def main():
    plan = json.load(sys.stdin)
    results = []
    for phase in plan["phases"]:
        if phase.get("warmup"):
            # unmeasured: every process and thread compiles its pages and reads its kept counts once, as
            # a server that has been running does; the measured phase is the steady state
            run_phase(plan, {**phase, "max_requests": phase["warmup"]})
        results.append(run_phase(plan, phase))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
