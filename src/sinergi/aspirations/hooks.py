"""What apps above aspirations plug into it. Meetings (above aspirations: meetings answer aspirations)
registers the commitments they record, so the aspirations report and the daily follow-up include
them without aspirations importing meetings (MeetingsConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable

_commitments: dict[str, Callable] = {}


def register_commitments(*, stats: Callable, remind: Callable) -> None:
    """`stats(user=, today=) -> dict` for the report; `remind(today=) -> dict` for the daily run."""
    _commitments["stats"] = stats
    _commitments["remind"] = remind


def _get(name: str) -> Callable:
    if name not in _commitments:
        raise RuntimeError("The meetings app has not registered its commitments (is it in INSTALLED_APPS?).")
    return _commitments[name]


def commitment_stats(*, user, today) -> dict:
    return _get("stats")(user=user, today=today)


def commitments_remind(*, today=None) -> dict:
    return _get("remind")(today=today)
