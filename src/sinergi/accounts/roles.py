"""Moved to `sinergi.core.roles` (below core's views and nav); the names stay importable from here."""

from sinergi.core.roles import (  # noqa: F401
    CAPABILITIES,
    OFFICERS,
    READ_ONLY_ROLES,
    ROLES_BY_KIND,
    OrgKind,
    Role,
    can,
)
