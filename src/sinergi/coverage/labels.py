"""Quote lines in the reader's language: who pays, what the note on a line says, numbers as Indonesians
write them. The rules (pure Python) give each note as a key with its values; this is where it is worded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.dates import format_date
from sinergi.core.money import format_rupiah

PAYERS = {
    "employer": gettext_lazy("employer"),
    "worker": gettext_lazy("worker"),
    "self": gettext_lazy("the participant"),
    "sponsor": gettext_lazy("sponsor"),
    "government": gettext_lazy("central government"),
    "recomposed": gettext_lazy("recomposed from JKK/JKM"),
}


# PP 7/2025's labour-intensive industries (the keys are the rules' and the API's values).
INDUSTRIES = {
    "food": gettext_lazy("food, beverages and tobacco"),
    "textile": gettext_lazy("textiles and garments"),
    "leather": gettext_lazy("leather and leather goods"),
    "footwear": gettext_lazy("footwear"),
    "toys": gettext_lazy("children's toys"),
    "furniture": gettext_lazy("furniture"),
}


def payer_label(payer: str) -> str:
    return str(PAYERS.get(payer, payer))


def _notes() -> dict[str, str]:
    return {
        "capped": _("capped at %(cap)s"),
        "jp_cap": _("basis: the wage up to the JP wage cap of %(cap)s (in force from %(valid_from)s)"),
        "jkp_government": _("paid by the central government; no extra cost; basis at most %(cap)s"),
        "jkp_recomposed_jkk": _("recomposed from the JKK contribution; no extra cost; basis at most %(cap)s"),
        "jkp_recomposed_jkm": _("recomposed from the JKM contribution; no extra cost; basis at most %(cap)s"),
        "flat": _("flat amount"),
        "flat_relief": _("flat amount; %(relief)s: −99%%"),
        "pmi_pre_placement": _("before placement"),
        "pmi_contract": _("%(months)s-month contract"),
        "pmi_extension": _("%(months)s extra months"),
    }


def _value(value) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal) and value == value.to_integral_value() or isinstance(value, int):
        return format_rupiah(value) if not isinstance(value, bool) else str(value)
    return str(value)


def line_note(line) -> str:
    """The note of a quote line in the active language (the rule's own words when it has no key)."""
    key = getattr(line, "note_key", "")
    template = _notes().get(key)
    if template is None:
        return line.note
    params = {}
    for name, value in getattr(line, "note_params", ()):
        params[name] = str(value) if name == "months" else _value(value)
    return template % params


def decimal_text(value: Decimal | None, places: int | None = None) -> str:
    """53967.61 -> 53.967,61 (Indonesian grouping and decimal comma)."""
    if value is None:
        return "–"
    value = Decimal(value)
    if places is None:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def rate_text(rate: Decimal | None) -> str:
    """0.005 -> 0,5%"""
    if rate is None:
        return _("flat")
    return decimal_text(Decimal(rate) * 100) + "%"


def quote_rows(quote) -> dict:
    """What the calculator page shows for a quote: each line and total worded and formatted."""
    lines = [
        {
            "line": ln,
            "payer": payer_label(ln.payer),
            "rate": rate_text(ln.rate),
            "exact": decimal_text(ln.exact),
            "note": line_note(ln),
        }
        for ln in quote.lines
    ]
    totals = [(payer, payer_label(payer), amount) for payer, amount in quote.totals.items()]
    return {"lines": lines, "totals": totals}
