"""Bounded types for API parameters and bodies, so no input reaches the database or date arithmetic
out of range (a 64-bit overflow or year 33406185 is a 422 on the field, never a 500), and the
bounds are documented in OpenAPI."""

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal, TypeVar

from django.utils.translation import gettext
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as _NinjaPageNumberPagination
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema, field_validator

from sinergi.core.money import MAX_RUPIAH
from sinergi.core.paging import decode_cursor, read_cursor

# Primary keys are 64-bit on SQLite and PostgreSQL.
MAX_ID = 2**63 - 1
# Counts and quantities: a 32-bit signed integer is far above any real stock or head count.
MAX_COUNT = 2**31 - 1
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_PAGE = 1_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Date = Annotated[dt.date, Field(ge=dt.date(MIN_YEAR, 1, 1), le=dt.date(MAX_YEAR, 12, 31))]


def _year_in_range(value: dt.datetime) -> dt.datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


Datetime = Annotated[dt.datetime, AfterValidator(_year_in_range)]


_T = TypeVar("_T")

if TYPE_CHECKING:
    # What the handler reads: None when the field was not sent.
    NotNull = Annotated[_T | None, "not null when sent"]
else:

    class NotNull:
        """A PATCH field: `name: NotNull[str] = None`. Leaving it out leaves the value as it is (the
        default None, dropped by `exclude_unset`), but an explicit `null` is refused with a 422: at run
        time the field's type is plain `str`. Type checkers see `str | None`, which is what the handler
        receives."""

        def __class_getitem__(cls, item):
            return item


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")


def _rupiah_text(value):
    """Accept what officers type: 5000000, "5000000", "5.000.000", "Rp 5.000.000", "5.000.000,00"."""
    if isinstance(value, str):
        text = value.strip().removeprefix("Rp").removeprefix("rp").strip().replace(" ", "")
        if _GROUPED.match(text):
            text = text.replace(".", "").replace(",", ".")
        return text
    return value


Rupiah = Annotated[
    Decimal,
    BeforeValidator(_rupiah_text),
    Field(ge=0, le=MAX_RUPIAH),
    AfterValidator(lambda d: d.to_integral_value() if d == d.to_integral_value() else d),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 10**15},
                {"type": "string", "examples": ["5000000", "5.000.000", "Rp 5.000.000"]},
            ],
            "description": "Rupiah: a number, or text with Indonesian thousands separators",
        }
    ),
]


class PageNumberPagination(_NinjaPageNumberPagination):
    """ninja's page-number pagination with a bounded page (page × size never overflows the OFFSET)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)


class Mapped:
    """A queryset seen through `fn`, sliced lazily, so pagination reads one page from the database:
    `return Mapped(selectors.x_list(user=...), to_schema)` from a paginated endpoint."""

    def __init__(self, qs, fn):
        self.qs, self.fn = qs, fn

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        return [self.fn(x) for x in self.qs[item]]


def one_of(choices, *, blank: bool = False):
    """An input that must be one of a model's choices (`Claim.Status`), listed as an enum in OpenAPI;
    `blank=True` also accepts "" (a filter left empty)."""
    values = tuple(str(v) for v in choices.values)
    return Literal[("", *values) if blank else values]


def named(choices):
    """An output holding one of a model's choices: a string, its possible values listed in OpenAPI
    (documented, not validated, so a value stored before a choice was added still answers)."""
    return Annotated[str, Field(json_schema_extra={"enum": [str(v) for v in choices.values]})]


class CursorPageInput(Schema):
    """The paging of an API list that grows with the registry (`core.paging.cursor_or_number_page`):
    `cursor` (the previous response's `next_cursor`: keyset, any depth) or `page` (an OFFSET, for the
    first pages), and `page_size`. A subclass sets `cursor_arity` (how many keys its order has) to answer
    a cursor of another list with 422 on `cursor`; without it such a cursor is the first page. A list
    ordered by a date or time sets `cursor_model` and `cursor_keys` instead (its model and its keys, as
    `core.paging.keyset_page` takes them): a cursor whose date does not parse is then a 422 too."""

    cursor_arity: ClassVar[int | None] = None
    cursor_model: ClassVar[type | None] = None
    cursor_keys: ClassVar[tuple[str, ...]] = ()

    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(default=None, ge=1, le=1000)
    cursor: str = Field(default="", max_length=2000, description="next_cursor of the previous page")

    @field_validator("cursor")
    @classmethod
    def _a_cursor_of_this_list(cls, value: str) -> str:
        if cls.cursor_model is not None:
            refused = read_cursor(cls.cursor_model, cls.cursor_keys, value) is None
        else:
            refused = bool(cls.cursor_arity) and decode_cursor(value, cls.cursor_arity or 0) is None
        if value and refused:
            raise ValueError(
                gettext(
                    "This is not a cursor of this list: start from the first page or pass the "
                    "next_cursor of a previous response."
                )
            )
        return value
