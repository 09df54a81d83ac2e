"""Moved to `sinergi.core.paging` (unions' API pages with it too, and unions sits below registry).
Kept so existing imports keep working; new code imports `sinergi.core.paging`."""

from sinergi.core.paging import (  # noqa: F401
    COUNT_CAP,
    PAGE_SIZE,
    KeysetPage,
    capped_count,
    decode_cursor,
    encode_cursor,
    keyset_page,
)
