"""Benefit quotes from plain inputs (calculator page, API, claims): parse, call the rule, explain.

Input values arrive as strings or numbers; a bad value raises SinergiError with the field, in the
request's language. The rule functions live in sinergi.rules.benefits; nothing here computes money.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sinergi.core.dates import format_date
from sinergi.core.errors import SinergiError
from sinergi.rules import benefits as rules
from sinergi.rules.money import to_rupiah
from sinergi.rules.tables import RuleError

# benefit -> [(field, kind, required, English label)]; kinds: date, money, int, percent, bool, choice:<a|b>
FIELDS: dict[str, list[tuple[str, str, bool, str]]] = {
    "JKM": [
        ("death_date", "date", True, _("Date of death")),
        ("active_at_death", "bool", False, _("Active membership on the date of death")),
        ("work_accident", "bool", False, _("Death caused by a work accident")),
    ],
    "JKK": [
        ("kind", "choice:" + "|".join(rules.JKK_KINDS), True, _("Benefit")),
        ("accident_date", "date", True, _("Accident date")),
        ("claim_date", "date", True, _("Claim date")),
        ("wage", "money", True, _("Monthly wage")),
        ("active_at_accident", "bool", False, _("Active membership on the accident date")),
        ("disability_percent", "percent", False, _("Disability table percentage")),
        ("function_loss_percent", "percent", False, _("Function lost (functional disability)")),
        ("incapacity_months", "int", False, _("Months unable to work")),
        ("medical_cost", "money", False, _("Medical cost")),
    ],
    "JHT": [
        ("reason", "choice:" + "|".join((*rules.JHT_FULL_REASONS, "partial")), True, _("Reason")),
        ("balance", "money", True, _("JHT balance (contributions + returns)")),
        ("claim_date", "date", True, _("Claim date")),
        ("event_date", "date", False, _("Date of leaving work")),
        ("birth_date", "date", False, _("Birth date")),
        ("membership_months", "int", False, _("Membership months")),
        ("partial_purpose", "choice:|housing|other", False, _("Partial withdrawal purpose")),
        ("previous_partial", "bool", False, _("Partial withdrawal taken before")),
    ],
    "JP": [
        ("reason", "choice:old_age|death", True, _("Reason")),
        ("claim_date", "date", True, _("Claim date")),
        ("contribution_months", "int", True, _("Contribution months")),
        ("average_monthly_wage", "money", True, _("Weighted average monthly wage")),
        ("balance", "money", True, _("Accumulated contributions + returns")),
        ("birth_date", "date", False, _("Birth date")),
        ("membership_months", "int", False, _("Membership months")),
        ("density", "percent", False, _("Contribution density (%)")),
        ("survivor", "choice:spouse|child|parent", False, _("Survivor")),
    ],
    "JKP": [
        ("wage", "money", True, _("Last reported wage")),
        ("phk_date", "date", True, _("Dismissal (PHK) date")),
        ("claim_date", "date", True, _("Claim date")),
        ("paid_months_last_24", "int", True, _("Months paid in the last 24")),
        ("consecutive_months_before_phk", "int", True, _("Consecutive months before the PHK")),
        ("reason", "choice:dismissal|resignation", False, _("Reason")),
        ("employer_enrolled_fitting", "bool", False, _("Employer enrolled in the programmes for its size")),
    ],
}
BOOL_DEFAULTS = {"active_at_death": True, "active_at_accident": True, "employer_enrolled_fitting": True}
CHOICE_LABELS = {
    "": _("–"),
    "medical": _("medical care"),
    "home_care": _("home care"),
    "temporary": _("temporary incapacity (STMB)"),
    "disability": _("partial disability"),
    "total_disability": _("total permanent disability"),
    "death": _("death"),
    "age": _("payout age"),
    "resignation": _("resignation"),
    "dismissal": _("dismissal (PHK)"),
    "left_indonesia": _("leaving Indonesia permanently"),
    "pkwt_end": _("end of a fixed-term contract (PKWT)"),
    "bpu_stop": _("BPU participant stopped working"),
    "partial": _("partial withdrawal"),
    "housing": _("housing (30%)"),
    "other": _("other needs (10%)"),
    "old_age": _("old age (pension age)"),
    "spouse": _("widow or widower"),
    "child": _("child"),
    "parent": pgettext_lazy("family relation", "parent"),
}


def field_label(label) -> str:
    return str(label)


def is_indonesian() -> bool:
    return (get_language() or "id").startswith("id")


def _bad(field: str, label: str):
    return SinergiError(
        _("%(field)s: the value is not valid.") % {"field": field_label(label)},
        code="invalid_input",
        field=field,
    )


def parse_inputs(benefit: str, raw: dict) -> dict:
    """Typed keyword arguments for the rule function; missing required fields are named."""
    if benefit not in FIELDS:
        raise SinergiError(_("Unknown benefit."), code="unknown_benefit", field="benefit")
    out: dict = {}
    for name, kind, required, label in FIELDS[benefit]:
        value = raw.get(name)
        if isinstance(value, str):
            value = value.strip()
        if kind == "bool":
            if value in (None, ""):
                out[name] = BOOL_DEFAULTS.get(name, False)
            else:
                out[name] = value is True or str(value).lower() in ("1", "true", "on", "yes", "ya")
            continue
        if value in (None, ""):
            if required:
                raise SinergiError(
                    _("%(field)s is required.") % {"field": field_label(label)}, code="required", field=name
                )
            continue
        try:
            if kind == "date":
                out[name] = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            elif kind == "money":
                amount = (
                    Decimal(str(value).replace(".", "").replace(",", ""))
                    if isinstance(value, str)
                    else Decimal(value)
                )
                if amount < 0 or amount != amount.to_integral_value():
                    raise ValueError
                out[name] = amount
            elif kind == "int":
                number = int(value)
                if number < 0:
                    raise ValueError
                out[name] = number
            elif kind == "percent":
                pct = Decimal(str(value).replace(",", "."))
                if not (0 <= pct <= 100):
                    raise ValueError
                out[name] = pct
            elif kind.startswith("choice:"):
                if str(value) not in kind[7:].split("|"):
                    raise ValueError
                out[name] = str(value)
        except (ValueError, InvalidOperation, TypeError):
            raise _bad(name, label) from None
    if benefit == "JP" and "density" in out:
        out["density"] = out["density"] / 100
    return out


def rule_error(err: RuleError) -> SinergiError:
    return SinergiError(err.message("id" if is_indonesian() else "en"), code=err.code, field=err.field)


def compute(benefit: str, raw: dict) -> rules.Quote:
    """Quote one benefit from raw inputs (BEASISWA needs the family record: see compute_scholarship)."""
    kwargs = parse_inputs(benefit, raw)
    fn = {
        "JKM": rules.quote_jkm,
        "JKK": rules.quote_jkk,
        "JHT": rules.quote_jht,
        "JP": rules.quote_jp,
        "JKP": rules.quote_jkp,
    }[benefit]
    try:
        return fn(**kwargs)
    except RuleError as err:
        raise rule_error(err) from None


def compute_scholarship(*, event: str, event_date, contribution_months: int, children, on=None):
    try:
        return rules.scholarship_plan(
            event=event,
            event_date=event_date,
            contribution_months=contribution_months,
            children=children,
            on=on,
        )
    except RuleError as err:
        raise rule_error(err) from None


def present(quote: rules.Quote) -> dict:
    """The quote as a dict with labels in the current language (what pages and the API show)."""
    return present_stored(quote.as_dict())


VALUE_LABELS = {
    "yes": _("yes"),
    "no": _("no"),
    "none": _("none"),
    "illness / other": _("illness / other"),
    "work accident": _("work accident"),
    "not a work accident": _("not a work accident"),
    "earlier withdrawal": _("earlier withdrawal"),
    "dismissal": _("dismissal (PHK)"),
    "resignation": _("resignation"),
}


_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _value_label(text: str) -> str:
    """Condition values from the rules ("yes", "48 months", ">= 36 months") in the current language."""
    if text in VALUE_LABELS:
        return str(VALUE_LABELS[text])
    text = text.replace(" months", " " + str(_("months")))
    # dates the rules write as ISO ("2024-02-12 .. 2029-02-12") the way officers write them
    text = _ISO_DATE.sub(lambda m: format_date(m.group(0)), text)
    return text.replace(" .. ", " – ")


def present_stored(data: dict) -> dict:
    """A stored quote dict (Claim.quote) with labels in the current language."""
    data = {
        **data,
        "lines": [dict(x) for x in data.get("lines", [])],
        "conditions": [dict(c) for c in data.get("conditions", [])],
    }
    indonesian = is_indonesian()
    for line in data["lines"]:  # a periodic line: `amount` paid over `months`, the monthly amount as data
        months = int(line.get("periodic_months") or 0)
        line["months"] = months or None
        line["monthly_amount"] = to_rupiah(Decimal(line["exact"]) / months) if months else None
    for item in (*data["lines"], *data["conditions"]):
        item["label"] = item["label_id"] if indonesian else item["label_en"]
    for item in data["conditions"]:
        item["value"] = _value_label(item["value"])
        item["required"] = _value_label(item["required"])
    data["refusals"] = [c for c in data["conditions"] if not c["met"]]
    if indonesian and data.get("notes_id"):
        data["notes"] = list(data["notes_id"])
    return data
