"""Masking of personal data (UU 27/2022), in one place.

A person's NIK, birth date, wage, phone and bank account reach a page, API schema, export, report or
audit entry only through this module: `mask_field` masks a value by its field name, `shown` masks it
unless the viewer's role may see it *and* the caller is an audited reveal with a purpose, and
`mask_changes` masks the personal fields of anything written to the audit log. Reveals go through
`reveal`, so each one is audited (who, which field, why).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.errors import SinergiError
from sinergi.core.roles import can


def mask_nik(nik: str | None) -> str:
    """Keep the 6-digit region prefix and the serial; hide the birth date: 317205******0001."""
    if not nik:
        return ""
    nik = str(nik)
    if len(nik) != 16:
        return "*" * len(nik)
    return f"{nik[:6]}******{nik[12:]}"


def mask_tail(value: str | None, keep: int = 4) -> str:
    """Bank accounts, phone numbers, KK numbers: only the last digits show."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]


def mask_date(value) -> str:
    """A birth date keeps its year only: 1985-**-**."""
    if not value:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-**-**"
    text = str(value)
    return f"{text[:4]}-**-**" if len(text) >= 4 and text[:4].isdigit() else "****-**-**"


MASKED_AMOUNT = "Rp •••"


def mask_amount(value) -> str:
    return "" if value in (None, "") else MASKED_AMOUNT


# Field name -> (kind, the capability that lets a role see the full value after an audited reveal).
# Any model field, schema field or audit key with one of these names is personal data.
PERSONAL_FIELDS: dict[str, tuple[str, str]] = {
    "nik": ("nik", "reveal_nik"),
    "claimant_nik": ("nik", "reveal_nik"),
    "member_nik": ("nik", "reveal_nik"),
    "kk_number": ("tail", "reveal_nik"),
    "birth_date": ("date", "reveal_nik"),
    "phone": ("tail", "reveal_nik"),
    "bank_account": ("tail", "pay_claims"),
    "account_number": ("tail", "pay_claims"),
    "wage": ("amount", "see_wages"),
    "declared_wage": ("amount", "see_wages"),
    "coverage_wage": ("amount", "see_wages"),
    "declared_income": ("amount", "see_wages"),
}

_MASKERS = {"nik": mask_nik, "tail": mask_tail, "date": mask_date, "amount": mask_amount}


def is_personal(field: str) -> bool:
    return field in PERSONAL_FIELDS


def mask_field(field: str, value):
    """`value` masked by the rule of `field`; values of non-personal fields come back unchanged."""
    rule = PERSONAL_FIELDS.get(field)
    if rule is None or value in (None, ""):
        return value
    return _MASKERS[rule[0]](value)


def may_see(user, field: str) -> bool:
    """May this role see the full value of `field` at all (after an audited reveal)?"""
    rule = PERSONAL_FIELDS.get(field)
    return rule is None or can(user, rule[1])


def shown(*, user, obj, field: str, value, purpose: str = ""):
    """The value a page, schema or export may show: masked, unless the role may see it and a purpose
    is given, in which case the reveal is audited and the full value returned."""
    if not is_personal(field):
        return value
    if not purpose or not str(purpose).strip() or not may_see(user, field):
        return mask_field(field, value)
    return reveal(actor=user, obj=obj, field=field, value=value, purpose=purpose)


def mask_changes(changes):
    """A copy of an audit `changes` payload with every personal field's values masked (recursively;
    `{"nik": [before, after]}` masks both sides)."""
    if isinstance(changes, dict):
        masked = {}
        for key, value in changes.items():
            if is_personal(str(key)):
                if isinstance(value, (list, tuple)):
                    masked[key] = [mask_field(str(key), v) for v in value]
                elif isinstance(value, (dict,)):
                    masked[key] = mask_changes(value)
                else:
                    masked[key] = mask_field(str(key), value)
            else:
                masked[key] = mask_changes(value)
        return masked
    if isinstance(changes, list):
        return [mask_changes(v) for v in changes]
    return changes


def reveal(*, actor, obj, field: str, value, purpose: str):
    """Return `value` after writing the reveal (who, what, why) to the audit log."""
    # deferred: core.audit imports this module for mask_changes (cycle)
    from sinergi.core.audit import audit_record

    if not purpose or not purpose.strip():
        raise SinergiError(
            _("State the purpose before revealing personal data."), code="purpose_required", field="purpose"
        )
    audit_record(actor=actor, action="reveal", obj=obj, changes={"field": field}, purpose=purpose.strip())
    return value


# --- wages on pages and in the API: one audited reveal per request ---------------------------------

WAGE_PURPOSE = "wage_purpose"  # the POST field (pages) / query parameter `purpose` (API) that reveals


class WageRevealForm(forms.Form):
    wage_purpose = forms.CharField(label=_("Purpose"), max_length=300, strip=True)


def wages_revealed(request, obj=None, *, object_type: str = "", purpose: str | None = None) -> bool:
    """Whether this request shows wages (employment wage, declared income, participation wage and its
    history, a contribution's basis, an application's wages) in full. They are masked ("Rp •••") unless
    the role may see wages (`see_wages`) *and* the request is a reveal with a purpose: a page's POST with
    `wage_purpose` (the reveal form, `core/_wage_reveal.html`), or `purpose` given by an API caller.
    The reveal is audited once per request (who, "wage", which object or list, why); later calls in the
    same request (the person page's profile sections) reuse the answer."""
    cached = getattr(request, "_sinergi_wages_revealed", None)
    if cached is not None:
        return cached
    revealed = False
    if purpose is None and request.method == "POST" and WAGE_PURPOSE in request.POST:
        form = WageRevealForm(request.POST)
        purpose = form.cleaned_data[WAGE_PURPOSE] if form.is_valid() else ""
    purpose = str(purpose or "").strip()[:300]
    if purpose and getattr(request.user, "is_authenticated", False) and may_see(request.user, "wage"):
        # deferred: core.audit imports this module for mask_changes (cycle)
        from sinergi.core.audit import audit_record

        audit_record(
            actor=request.user,
            action="reveal",
            obj=obj,
            object_type=object_type,
            changes={"field": "wage"},
            purpose=purpose,
        )
        revealed = True
    request._sinergi_wages_revealed = revealed
    return revealed


def is_wage_reveal(request) -> bool:
    """A POST that only asks to reveal wages (views with their own POST forms skip their handling)."""
    return request.method == "POST" and WAGE_PURPOSE in request.POST


def wage_shown(value, revealed: bool):
    """A wage for a page: the value when revealed, else the masked amount (None stays None)."""
    if value is None or value == "":
        return None
    return value if revealed else MASKED_AMOUNT
