"""The registry of dated work (escalations, year close, snapshots, reminders, clean-up).

An app registers its schedules in its own `schedules.py` (discovered from DOMAIN_APPS), one line each:

    from sinergi.core.schedules import schedule
    schedule("aspirations.escalation", escalate_for_day, every="daily", at="06:00",
             title=_("Escalate overdue aspirations"))

or as a decorator: `@schedule("coverage.month_snapshot", every="monthly", day=1, at="01:00")`.

The function is called as `func(day=<date>)` — the business date of the slot, from `sinergi.core.clock`
— by a background worker, and may return a small JSON-able dict that is stored with the run. It must
be idempotent for its day (a slot is run once, but an administrator may run it again by hand).
Running, recording and alerting are `sinergi.ops.scheduler`'s job.

`every`: "hourly" (at = minute past the hour, e.g. ":15"), "daily", "weekly" (weekday 0=Monday),
"monthly" (day 1..28, or -1 = the last day of the month), "quarterly" (first month of a quarter,
same `day`), "yearly" (month + day).
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext

from sinergi import DOMAIN_APPS

EVERY = ("hourly", "daily", "weekly", "monthly", "quarterly", "yearly")

REGISTRY: dict[str, Schedule] = {}


@dataclass(frozen=True)
class Schedule:
    name: str
    func: Callable
    every: str
    at: dt.time
    day: int = 1
    weekday: int = 0
    month: int = 1
    title: str = ""

    @property
    def label(self) -> str:
        return str(self.title or self.name)

    @property
    def every_label(self) -> str:
        """How often, in the active language ("harian")."""
        return {
            "hourly": gettext("hourly"),
            "daily": gettext("daily"),
            "weekly": gettext("weekly"),
            "monthly": gettext("monthly"),
            "quarterly": gettext("quarterly"),
            "yearly": gettext("yearly"),
        }.get(self.every, self.every)

    def slot_at_or_before(self, moment: dt.datetime) -> dt.datetime:
        """The latest time this schedule was due at or before `moment` (both local, aware)."""
        tz = moment.tzinfo
        at = self.at

        def on(day: dt.date) -> dt.datetime:
            return dt.datetime.combine(day, at).replace(tzinfo=tz)

        today = moment.date()
        if self.every == "hourly":
            candidate = moment.replace(minute=at.minute, second=0, microsecond=0)
            return candidate if candidate <= moment else candidate - dt.timedelta(hours=1)
        if self.every == "daily":
            candidate = on(today)
            return candidate if candidate <= moment else on(today - dt.timedelta(days=1))
        if self.every == "weekly":
            back = (today.weekday() - self.weekday) % 7
            candidate = on(today - dt.timedelta(days=back))
            return candidate if candidate <= moment else candidate - dt.timedelta(days=7)
        months = {"monthly": 1, "quarterly": 3, "yearly": 12}[self.every]
        first = {"monthly": 1, "quarterly": 1, "yearly": self.month}[self.every]
        year, month = today.year, today.month
        # step back month by month to the latest month in this schedule's cycle whose slot has passed
        for _ in range(26):
            if (month - first) % months == 0:
                candidate = on(dt.date(year, month, self._day_in(year, month)))
                if candidate <= moment:
                    return candidate
            month -= 1
            if month == 0:
                year, month = year - 1, 12
        raise ValueError(f"no slot found for {self.name}")

    def _day_in(self, year: int, month: int) -> int:
        last = calendar.monthrange(year, month)[1]
        return last if self.day < 0 else min(self.day, last)


def _parse_at(at: str | dt.time) -> dt.time:
    if isinstance(at, dt.time):
        return at
    text = str(at).strip()
    if text.startswith(":"):
        return dt.time(0, int(text[1:]))
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


def schedule(
    name: str,
    func: Callable | None = None,
    *,
    every: str,
    at: str | dt.time = "01:00",
    day: int = 1,
    weekday: int = 0,
    month: int = 1,
    title: str = "",
):
    """Register `func` to run on a schedule; usable as a call or as a decorator."""
    if every not in EVERY:
        raise ValueError(f"every must be one of {EVERY}, not {every!r}")
    if not (day == -1 or 1 <= day <= 31) or not 0 <= weekday <= 6 or not 1 <= month <= 12:
        raise ValueError(f"bad day/weekday/month for schedule {name!r}")

    def register(fn: Callable) -> Callable:
        REGISTRY[name] = Schedule(
            name=name,
            func=fn,
            every=every,
            at=_parse_at(at),
            day=day,
            weekday=weekday,
            month=month,
            title=title,
        )
        return fn

    return register(func) if func is not None else register


def discover() -> dict[str, Schedule]:
    """Import every app's `schedules.py` (registering its schedules) and return the registry."""
    for app in DOMAIN_APPS:
        if importlib.util.find_spec(f"{app}.schedules") is not None:
            importlib.import_module(f"{app}.schedules")
    return REGISTRY
