"""The one clock for "today" and "now" in Sinergi (Asia/Jakarta by default).

Every piece of domain code asks this module, never `date.today()` or `timezone.now()`, so that
tests and `sinergi simulate` can move time:

- `SINERGI_TODAY=YYYY-MM-DD` (environment or setting) pins the date; the time of day keeps running.
  `SINERGI_TODAY=YYYY-MM-DDTHH:MM` pins the instant.
- `clock.set_now(value)` / `clock.reset()` move it inside one process (the simulation);
  `with clock.travel("2027-01-31"): ...` moves it for a block (tests).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

_override: dt.datetime | dt.date | None = None


def _parse(value: str | dt.date | dt.datetime) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if "T" in text or " " in text:
        parsed = dt.datetime.fromisoformat(text.replace(" ", "T"))
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return dt.date.fromisoformat(text)


def _pinned() -> dt.datetime | dt.date | None:
    if _override is not None:
        return _override
    raw = getattr(settings, "SINERGI_TODAY", "") or ""
    return _parse(raw) if raw else None


def now() -> dt.datetime:
    """The current instant (aware). Pinned to a date, it is that date at the real time of day."""
    pinned = _pinned()
    real = timezone.now()
    if pinned is None:
        return real
    if isinstance(pinned, dt.datetime):
        return pinned
    local = timezone.localtime(real)
    return timezone.make_aware(dt.datetime.combine(pinned, local.time().replace(tzinfo=None)))


def wall_now() -> dt.datetime:
    """The real instant, never pinned: for infrastructure that must follow the wall clock (worker
    heartbeats, leases, lock expiry), never for business dates."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in Sinergi's time zone."""
    pinned = _pinned()
    if isinstance(pinned, dt.datetime):
        return timezone.localdate(pinned)
    if isinstance(pinned, dt.date):
        return pinned
    return timezone.localdate()


def set_now(value: str | dt.date | dt.datetime | None) -> None:
    """Pin the clock for this process (None releases it). For the simulation and tests."""
    global _override
    _override = None if value is None else _parse(value)


def reset() -> None:
    set_now(None)


@contextlib.contextmanager
def travel(value: str | dt.date | dt.datetime) -> Iterator[None]:
    """Run a block as if it were `value` (a date, an ISO date or an ISO date-time)."""
    global _override
    before = _override
    _override = _parse(value)
    try:
        yield
    finally:
        _override = before
