"""Moved to `sinergi.notifications.services`; these names stay importable for code written before."""

from sinergi.notifications.services import notify, notify_many, quiet  # noqa: F401
