"""Normalising names and phone numbers, in Python for one record and in Polars for a whole file.

The two paths apply the same ordered rules, so a name typed in the UI and the same name imported
from a spreadsheet get the same `name_key`.

`name_key` makes search tolerant of Indonesian spelling variants: old spelling (oe→u, dj→j, tj→c),
ch/kh→h, y→i, v→f, q→k, doubled letters, the many spellings of Muhammad, academic titles after a
comma, and accents.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

# (regex, replacement) in order; each is valid both for Python `re` and Polars (Rust regex).
_TITLE_AFTER_COMMA = (r",.*$", "")
_PREFIX_TITLES = (r"^(?:(?:h|hj|hajjah|haji|ir|dr|drs|dra|prof)\.?\s+)+", "")
_NAME_RULES: list[tuple[str, str]] = [
    (r"[^a-z ]+", " "),
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("ch", "h"),
    ("kh", "h"),
    ("sj", "sy"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("y", "i"),
    ("v", "f"),
    ("q", "k"),
    ("z", "s"),
]
_DOUBLES = [(c + c, c) for c in "abcdefghijklmnopqrstuvwxyz"]
_TOKEN_RULES: list[tuple[str, str]] = [
    (r"\b(?:mohamad|muhamad|mohamed|muhamed|mohammad|muhammad|mhd|mhmd|moh|muh|md)\b", "muhamad"),
    (r"\s+", " "),
]


def name_key(name: str | None) -> str:
    """The normalised search key of a name: 'Mochammad Soekarno, S.Pd' -> 'muhamad sukarno'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower().strip()
    text = re.sub(_TITLE_AFTER_COMMA[0], _TITLE_AFTER_COMMA[1], text)
    text = re.sub(_PREFIX_TITLES[0], _PREFIX_TITLES[1], text)
    for pattern, repl in _NAME_RULES:
        text = re.sub(pattern, repl, text)
    for pattern, repl in _DOUBLES:
        text = text.replace(pattern, repl)
    for pattern, repl in _TOKEN_RULES:
        text = re.sub(pattern, repl, text)
    return text.strip()


def name_key_expr(col: pl.Expr) -> pl.Expr:
    """The same normalisation as `name_key`, as a Polars expression."""
    e = (
        col.fill_null("")
        .str.normalize("NFKD")
        .str.replace_all(r"[^\x00-\x7f]", "")
        .str.to_lowercase()
        .str.strip_chars()
    )
    e = e.str.replace(_TITLE_AFTER_COMMA[0], _TITLE_AFTER_COMMA[1])
    e = e.str.replace(_PREFIX_TITLES[0], _PREFIX_TITLES[1])
    for pattern, repl in _NAME_RULES:
        e = e.str.replace_all(pattern, repl, literal=not any(ch in pattern for ch in "[]^$\\+*"))
    # one pass for all doubled letters: same result as replacing them one letter after another
    e = e.str.replace_many([d for d, _ in _DOUBLES], [r for _, r in _DOUBLES])
    for pattern, repl in _TOKEN_RULES:
        e = e.str.replace_all(pattern, repl)
    return e.str.strip_chars()


class PhoneError(ValueError):
    pass


def normalise_phone(raw: str | None) -> str:
    """'0812-3456-7890' / '62812…' / '+62 812…' -> '+6281234567890'; '' stays ''. PhoneError if impossible."""
    text = (raw or "").strip()
    if not text:
        return ""
    digits = re.sub(r"[^0-9]", "", text)
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("8"):
        national = digits
    else:
        raise PhoneError(text)
    if not 7 <= len(national) <= 12 or national.startswith("0"):
        raise PhoneError(text)
    return "+62" + national


def phone_expr(col: pl.Expr) -> pl.Expr:
    """Vectorised `normalise_phone`: the normalised number, '' for blank, null when impossible."""
    raw = col.fill_null("").str.strip_chars()
    digits = raw.str.replace_all(r"[^0-9]", "")
    national = digits.str.replace(r"^(?:62|0)", "")
    ok = (
        digits.str.contains(r"^(?:62|0|8)")
        & national.str.len_chars().is_between(7, 12)
        & ~national.str.starts_with("0")
    )
    return (
        pl.when(raw == "")
        .then(pl.lit(""))
        .when(ok)
        .then(pl.lit("+62") + national)
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def name_keys(names: pl.Series) -> pl.Series:
    """`name_key` for a whole column, computed once per distinct name and joined back."""
    frame = names.rename("name").to_frame()
    distinct = frame.unique().with_columns(name_key_expr(pl.col("name")).alias("name_key"))
    return frame.join(distinct, on="name", how="left", nulls_equal=True, maintain_order="left")["name_key"]
