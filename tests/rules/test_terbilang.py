from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.rules.terbilang import terbilang, terbilang_rupiah


@pytest.mark.parametrize(
    "n, words",
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (111111, "seratus sebelas ribu seratus sebelas"),
        (1000000, "satu juta"),
        (1250500, "satu juta dua ratus lima puluh ribu lima ratus"),
        (2500000000, "dua miliar lima ratus juta"),
        (1000000000000, "satu triliun"),
        (-5000, "minus lima ribu"),
    ],
)
def test_terbilang_table(n, words):
    assert terbilang(n) == words


def test_invoice_form_is_capitalised_with_rupiah():
    assert terbilang_rupiah(Decimal("1750000")) == "Satu juta tujuh ratus lima puluh ribu rupiah"


def test_fractions_are_refused():
    with pytest.raises(ValueError):
        terbilang(Decimal("10.5"))


_VALUE = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000,
}  # fmt: skip
_MULT = {"belas": None, "puluh": 10, "ratus": 100}
_BIG = {"ribu": 1000, "juta": 10**6, "miliar": 10**9, "triliun": 10**12}


def _parse(words: str) -> int:
    """An independent reader of the words, to check the writer round-trips."""
    total, group, last = 0, 0, 0
    for w in words.split():
        if w in _VALUE:
            last = _VALUE[w]
            group += last
        elif w == "belas":
            group += 10  # "x belas" = 10 + x: x was already added
        elif w in _MULT:
            group += last * (_MULT[w] - 1)
        elif w in _BIG:
            total += group * _BIG[w]
            group = 0
        last = 0 if w not in _VALUE else last
    return total + group


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_words_read_back_to_the_number(n):
    assert _parse(terbilang(n)) == n
