"""Rupiah helpers for the Django side: formatting and the stored field. Arithmetic lives in rules.money."""

from decimal import Decimal

from django.db import models

from sinergi.rules.money import to_rupiah  # noqa: F401  (re-exported for apps)

# The largest amount of rupiah any input accepts (API schemas, services): far above any wage, bill or
# budget, and well inside the stored DECIMAL(18,0), so what is accepted can always be stored and read.
MAX_RUPIAH = Decimal(10**15)


def format_rupiah(value) -> str:
    """`Rp1.234.567` (Indonesian grouping in every language); negative as `-Rp1.234`."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    whole = abs(amount).quantize(Decimal(1))
    return f"{sign}Rp{int(whole):,}".replace(",", ".")


class RupiahField(models.DecimalField):
    """Whole rupiah, stored exactly (DECIMAL(18,0) holds up to Rp999 quadrillion)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "sinergi.core.money.RupiahField", args, kwargs
