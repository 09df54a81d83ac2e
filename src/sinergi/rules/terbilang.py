"""Rupiah amounts in Indonesian words ("terbilang"), as written on invoices and receipts.

Pure Python. Whole rupiah only: a fraction is refused rather than silently dropped.
"""

from decimal import Decimal

_UNITS = [
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]
_SCALES = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")]


def _below_thousand(n: int) -> str:
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh {_UNITS[rest]}".strip()
    hundreds, rest = divmod(n, 100)
    head = "seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus"
    return f"{head} {_below_thousand(rest)}".strip()


def _words(n: int) -> str:
    if n < 1000:
        return _below_thousand(n)
    for scale, name in _SCALES:
        if n >= scale:
            head, rest = divmod(n, scale)
            return f"{_words(head)} {name} {_words(rest)}".strip()
    thousands, rest = divmod(n, 1000)
    words = "seribu" if thousands == 1 else f"{_below_thousand(thousands)} ribu"
    return f"{words} {_words(rest)}".strip()


def terbilang(amount: int | Decimal) -> str:
    """1_250_500 -> 'satu juta dua ratus lima puluh ribu lima ratus'; 0 -> 'nol'; negatives 'minus …'."""
    value = Decimal(amount)
    if value != value.to_integral_value():
        raise ValueError(f"terbilang takes whole rupiah, not {amount}")
    n = int(value)
    if n == 0:
        return "nol"
    if n < 0:
        return "minus " + _words(-n)
    if n >= 10**15:
        raise ValueError(f"{amount} is beyond the triliun scale")
    return _words(n)


def terbilang_rupiah(amount: int | Decimal) -> str:
    """The invoice form: 'Seratus ribu rupiah'."""
    text = f"{terbilang(amount)} rupiah"
    return text[0].upper() + text[1:]
