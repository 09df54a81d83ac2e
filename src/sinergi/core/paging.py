"""Paging for lists of a million rows: keyset (seek) pages and counts that stop at a cap.

A page number becomes an OFFSET, and the database walks every row before it; a keyset page starts
*after* the last row shown (`WHERE (name, id) > (last name, last id) ORDER BY name, id LIMIT 50`), which
an index on the ordering serves at any depth. The cursor is the ordering values of that row, base64
JSON in the URL (`?after=…` / `?before=…`); a cursor that does not decode is the first page (bad input
never answers 500).

A key may be descending (`"-created_at"`): the seek then goes the other way on that key. With every key
in one direction (`("-month", "-pk")`) PostgreSQL compares one row value and an index on the keys,
scanned backwards, serves it; dates and times travel in the cursor as ISO text and are read back through
their model field (a cursor whose date does not parse is the first page).

Counting a scope of a million rows on every page costs more than the page itself: `capped_count`
counts at most `COUNT_CAP + 1` rows, and the page says "more than 10,000" beyond it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, models
from django.db.models import Count, F, Q, Window
from django.db.models.expressions import Col
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

COUNT_CAP = 10_000
PAGE_SIZE = 50


def capped_count(qs, cap: int | None = None) -> tuple[int, bool]:
    """(rows, exact): the number of rows when at most `cap` (default COUNT_CAP), else (`cap`, False).
    One query that reads at most cap + 1 rows."""
    cap = COUNT_CAP if cap is None else cap
    n = qs.order_by().values("pk")[: cap + 1].count()
    return (n, True) if n <= cap else (cap, False)


def _iso(value):
    if isinstance(value, dt.date):  # a date or a datetime (a subclass)
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a cursor value")


def encode_cursor(values) -> str:
    text = json.dumps(list(values), separators=(",", ":"), default=_iso)
    return base64.urlsafe_b64encode(text.encode()).decode()


def _name(key: str) -> str:
    return key[1:] if key.startswith("-") else key


def _reverse(key: str) -> str:
    return key[1:] if key.startswith("-") else f"-{key}"


def _typed(model, keys: tuple[str, ...], values: tuple | None) -> tuple | None:
    """The cursor's values of date and time keys as dates and times (JSON carries them as ISO text), or
    None when one does not parse: a cursor that is not one of this list's is the first page."""
    if values is None:
        return None
    typed = []
    for key, value in zip(keys, values, strict=True):
        try:
            field = model._meta.get_field(_name(key))
        except FieldDoesNotExist:
            field = None
        if isinstance(field, models.DateField):  # DateTimeField is one
            if not isinstance(value, str):
                return None
            try:
                value = field.to_python(value)
            except ValidationError:
                return None
            if value is None or (isinstance(value, dt.datetime) and value.tzinfo is None):
                return None  # a time without its offset is no cursor this module wrote
        typed.append(value)
    return tuple(typed)


def next_url(request, cursor: str | None) -> str | None:
    """The API's `next` link: this request's path and query with `cursor` set (and `page` dropped)."""
    if not cursor:
        return None
    query = request.GET.copy()
    query.pop("page", None)
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"


def page_body(request, page) -> dict:
    """The body of an API list's keyset page (`{items, count, count_exact, next_cursor, next}`, the shape of
    the Paged…Out schemas): the page's rows, its capped count, the next cursor and the `next` link."""
    return {
        "items": page.rows,
        "count": page.count,
        "count_exact": page.count_exact,
        "next_cursor": page.next_cursor,
        "next": next_url(request, page.next_cursor),
    }


def decode_cursor(text, arity: int) -> tuple | None:
    """The ordering values in a cursor, or None when the text is empty or not a cursor of this list."""
    if not text:
        return None
    try:
        raw = base64.urlsafe_b64decode(str(text).encode() + b"=" * (-len(str(text)) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeError):
        return None
    if not isinstance(values, list) or len(values) != arity:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        return None
    if not isinstance(values[-1], int) or abs(values[-1]) > 2**63 - 1:
        return None
    return tuple(values)


def read_cursor(model, keys: tuple[str, ...], text) -> tuple | None:
    """The ordering values in a cursor of the list of `model` ordered by `keys`, dates and times as such;
    None when the text is empty or not a cursor of this list."""
    return _typed(model, keys, decode_cursor(text, len(keys)))


def _seek_row(qs, keys: tuple[str, ...], values: tuple, forward: bool):
    """The same condition as one row-value comparison, `(a, b, c) > (x, y, z)`, on PostgreSQL: an index
    on (a, b, c) starts at the cursor (an index condition on every key), where `_seek_q` bounds only the
    first key and filters the rows of equal first keys one by one (thousands when many rows share it, as
    the members of one union body do). Elsewhere (SQLite: no row values in Django) and where the keys
    go in different directions `_seek_q`."""
    descending = {k.startswith("-") for k in keys}
    if connections[qs.db].vendor != "postgresql" or len(descending) > 1:
        return _seek_q(keys, values, forward)
    lookup = TupleGreaterThan if forward != descending.pop() else TupleLessThan
    return lookup(Tuple(*[F(_name(k)) for k in keys]), tuple(values))


def _seek_q(keys: tuple[str, ...], values: tuple, forward: bool) -> Q:
    """Rows strictly after (or before) `values` in the order of `keys`, written so that an index on the
    keys is used: `a >= x AND (a > x OR (a = x AND b > y))` (`<` on a descending key)."""

    def op(key: str) -> str:
        return "gt" if forward != key.startswith("-") else "lt"

    q = Q()
    for i in range(len(keys) - 1, -1, -1):
        name = _name(keys[i])
        step = Q(**{f"{name}__{op(keys[i])}": values[i]})
        q = step if i == len(keys) - 1 else step | (Q(**{name: values[i]}) & q)
    return Q(**{f"{_name(keys[0])}__{op(keys[0])}e": values[0]}) & q


def _value(obj, key: str):
    key = _name(key)
    if isinstance(obj, dict):  # a `.values()` row
        return obj[key]
    for part in key.split("__"):
        obj = getattr(obj, part)
    return obj


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    count: int = 0
    count_exact: bool = True
    is_first: bool = True
    keys: tuple = field(default=())

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def _fetch_all(_label: str, build) -> list:
    return list(build())


def keyset_page(
    qs,
    *,
    keys: tuple[str, ...] = ("name", "pk"),
    after=None,
    before=None,
    size: int = PAGE_SIZE,
    count: bool = True,
    count_qs=None,
    row_values: bool = False,
    count_through=None,
    fetch=None,
    narrow=None,
) -> KeysetPage:
    """One page of `qs` in the order of `keys` (the last key unique, e.g. the primary key), starting
    after the cursor `after` or ending before `before`; with `count`, the capped count of `qs` (or of
    `count_qs`, the same rows without the page's extra joins). `row_values`: the keys are plain columns
    with one index on all of them, compared as one row value on PostgreSQL (`_seek_row`).
    `count_through(compute)` may keep the count between requests (registry's `person_count_through`):
    the next page of a list does not count it again. `fetch(label, build)` returns the rows of the
    page query `build()` builds (default `list(build())`; `core.compiled.CompiledPages.rows` keeps its
    SQL compiled); `label` names which of the three page queries it is.
    `narrow(qs, cursor, forward, limit)` returns `qs` restricted to rows that hold its first `limit` rows
    after (`forward`) or before the cursor's values (None: from the start), for a page the database
    would otherwise read in full (registry's `person_search_narrow`); it is called inside `build`.

    When the order is an expression no index serves (name search's `sort_name`), the database reads and
    sorts every matching row for the first page anyway: the count then comes from that same pass
    (`COUNT(*) OVER ()`), one scan of the matches instead of two."""
    a = read_cursor(qs.model, keys, after)
    seek = _seek_row if row_values else (lambda _qs, *args: _seek_q(*args))
    b = None if a else read_cursor(qs.model, keys, before)
    if fetch is None:
        fetch = _fetch_all

    def source(values, forward: bool):
        return qs if narrow is None else narrow(qs, values, forward, size + 1)

    if count and a is None and b is None and narrow is None and _sorted_in_full(qs, keys[0]):
        rows = fetch(
            "full", lambda: qs.annotate(_rows_in_list=Window(Count("*"))).order_by(*keys)[: size + 1]
        )
        total = _value(rows[0], "_rows_in_list") if rows else 0
        page = KeysetPage(rows=rows[:size], keys=keys, is_first=True)
        if len(rows) > size:
            page.next_cursor = encode_cursor(_value(rows[size - 1], k) for k in keys)
        page.count, page.count_exact = (total, True) if total <= COUNT_CAP else (COUNT_CAP, False)
        return page
    if b is not None:

        def before_page():
            return (
                source(b, False)
                .filter(seek(qs, keys, b, False))
                .order_by(*[_reverse(k) for k in keys])[: size + 1]
            )

        rows = fetch("before", before_page)
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_next, has_previous = True, more_before
    else:

        def after_page():
            rows_after = source(a, True)
            if a:
                rows_after = rows_after.filter(seek(qs, keys, a, True))
            return rows_after.order_by(*keys)[: size + 1]

        rows = fetch("after", after_page)
        has_next = len(rows) > size
        rows = rows[:size]
        has_previous = a is not None
    page = KeysetPage(rows=rows, keys=keys, is_first=not has_previous)
    if rows and has_next:
        page.next_cursor = encode_cursor(_value(rows[-1], k) for k in keys)
    if rows and has_previous:
        page.previous_cursor = encode_cursor(_value(rows[0], k) for k in keys)
    if count:
        counted = qs if count_qs is None else count_qs
        page.count, page.count_exact = (
            capped_count(counted) if count_through is None else count_through(lambda: capped_count(counted))
        )
    return page


def _sorted_in_full(qs, key: str) -> bool:
    """True when `key` is an annotation other than a plain column: no index gives rows in its order."""
    annotation = qs.query.annotations.get(_name(key))
    return annotation is not None and not isinstance(annotation, Col)


def cursor_or_number_page(
    qs,
    *,
    keys: tuple[str, ...],
    cursor: str = "",
    page: int = 1,
    size: int = PAGE_SIZE,
    count_qs=None,
    count_through=None,
    fetch=None,
    row_values: bool = False,
    narrow=None,
) -> KeysetPage:
    """A page of an API list that takes either `cursor` (a keyset page after it, any depth) or `page` (an
    OFFSET, kept for the first pages; its `next_cursor` hands over to the keyset). The other arguments
    are `keyset_page`'s; the count is the same capped count either way."""
    if cursor or page == 1:
        return keyset_page(
            qs,
            keys=keys,
            after=cursor or None,
            size=size,
            count_qs=count_qs,
            count_through=count_through,
            fetch=fetch,
            row_values=row_values,
            narrow=narrow,
        )
    offset = (page - 1) * size
    found = list(qs.order_by(*keys)[offset : offset + size + 1])
    result = KeysetPage(rows=found[:size], keys=keys, is_first=False)
    if len(found) > size:
        result.next_cursor = encode_cursor(_value(found[size - 1], k) for k in keys)
    counted = qs if count_qs is None else count_qs
    result.count, result.count_exact = (
        capped_count(counted) if count_through is None else count_through(lambda: capped_count(counted))
    )
    return result
