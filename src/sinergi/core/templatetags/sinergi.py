"""Template filters available in every template (registered as builtins)."""

import datetime as dt

from django import template
from django.apps import apps
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sinergi.core.dates import format_datetime
from sinergi.core.jobs import idempotency_token
from sinergi.core.money import format_rupiah
from sinergi.core.privacy import MASKED_AMOUNT, mask_nik, mask_tail

register = template.Library()


@register.filter
def rupiah(value):
    """1234567 -> Rp1.234.567"""
    return format_rupiah(value)


@register.filter
def wage(value, revealed=False):
    """A person's wage: Rp1.234.567 only after an audited reveal (`wages_revealed`), else Rp •••."""
    if value is None or value == "":
        return "–"
    return format_rupiah(value) if revealed else MASKED_AMOUNT


@register.filter
def masknik(value):
    return mask_nik(value)


@register.filter
def masktail(value, keep=4):
    return mask_tail(value, int(keep))


@register.filter
def idate(value, fmt="j F Y"):
    """Indonesian-convention date (7 Agustus 2020), translated month names in English too."""
    if not value:
        return "–"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return formats.date_format(value, fmt)


@register.filter
def idatetime(value):
    """13 November 2026 08.08 WIB"""
    return format_datetime(value)


@register.filter
def dotted(code):
    """Region code 317205 -> 31.72.05"""
    code = str(code or "")
    return ".".join(code[i : i + 2] for i in range(0, len(code), 2))


@register.filter
def number(value):
    """Whole number with Indonesian grouping: 23000 -> 23.000"""
    if value is None or value == "":
        return "–"
    return f"{int(value):,}".replace(",", ".")


@register.filter
def percent(value, digits=1):
    if value is None:
        return "–"
    return f"{float(value):.{int(digits)}f}".replace(".", ",") + "%"


@register.simple_tag
def provisional_badge(status):
    """A badge for a figure DOMAIN.md marks unverified."""
    if status == "U":
        return format_html(
            '<span class="badge badge-warn" title="{}">{}</span>',
            _("Not verified against the official text"),
            _("provisional"),
        )
    return ""


@register.filter
def choice(value, field_path: str):
    """A stored choice value by its label: {{ e.to_status|choice:"planning.Plan.status" }} → "disetujui".
    A value the field does not list (or an unknown field) is shown as it is."""
    if value in (None, ""):
        return value
    try:
        app_label, model_name, field_name = field_path.split(".")
        model_field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    except (ValueError, LookupError):
        return value
    return dict(model_field.flatchoices).get(value, value)


@register.simple_tag
def idempotency_field():
    """A hidden field that makes a job-starting form idempotent: submitted twice (double click, reload,
    retry after a timeout), it starts the job once (sinergi.core.jobs.request_idempotency_key)."""
    return format_html('<input type="hidden" name="idempotency_key" value="{}">', idempotency_token())
