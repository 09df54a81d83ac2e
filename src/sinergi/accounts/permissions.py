"""Moved to `sinergi.core.permissions` (below core's views and nav); the names stay importable from here."""

from sinergi.core.permissions import capability_required, require  # noqa: F401
