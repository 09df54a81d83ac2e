"""Moved to `sinergi.core.scoping` (below core's views and nav); the names stay importable from here."""

from sinergi.core.scoping import NOTHING, Scope, build_scope, register_union_subtree, user_scope  # noqa: F401
