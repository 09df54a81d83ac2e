"""Masking of personal data (UU 27/2022). Reveals go through `reveal` so each one is audited."""

from django.utils.translation import gettext_lazy as _


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


MASKED_AMOUNT = "Rp •••"


def reveal(*, actor, obj, field: str, value, purpose: str):
    """Return `value` after writing the reveal (who, what, why) to the audit log."""
    from sinergi.core.audit import audit_record

    if not purpose or not purpose.strip():
        from sinergi.core.errors import SinergiError

        raise SinergiError(
            _("State the purpose before revealing personal data."), code="purpose_required", field="purpose"
        )
    audit_record(actor=actor, action="reveal", obj=obj, changes={"field": field}, purpose=purpose.strip())
    return value
