"""The words for a NIK problem of `sinergi.rules.nik` (a code and its params), in the active language.

Rules import no Django; forms, services and the API turn a problem into text here, through gettext.
The texts are the importer's (`import_checks.nik_checks`) where the problem is the same."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sinergi.core.dates import format_date
from sinergi.rules.nik import NikProblem


def _sex(code: str) -> str:
    return _("female") if code == "F" else _("male")


def nik_problem_text(problem: NikProblem) -> str:
    p = problem.params
    code = problem.code
    if code == "nik_required":
        return _("NIK is required.")
    if code == "nik_excel_number":
        return _(
            "NIK %(value)s arrived as a number: Excel keeps only 15 digits, so the last digit is lost "
            "and cannot be trusted. Format the NIK column as Text and type the NIK again."
        ) % {"value": p.get("raw", "")}
    if code == "nik_too_short":
        return _("NIK has %(length)s digits: too short (a NIK has 16).") % {"length": p.get("length", 0)}
    if code == "nik_too_long":
        return _("NIK has %(length)s digits: too long (a NIK has 16).") % {"length": p.get("length", 0)}
    if code == "nik_not_digits":
        return _("NIK %(value)s must be 16 digits, nothing else.") % {"value": p.get("raw", "")}
    if code == "nik_unknown_district":
        c = p.get("code", "")
        return _("NIK: district code %(code)s is not in the Kemendagri list.") % {
            "code": f"{c[:2]}.{c[2:4]}.{c[4:6]}"
        }
    if code == "nik_day":
        return _("NIK: day %(day)s is impossible (01-31 for men, 41-71 for women).") % {"day": p.get("day")}
    if code == "nik_month":
        return _("NIK: month %(month)s is not 01-12.") % {"month": p.get("month")}
    if code == "nik_birth_date":
        return _("NIK: birth date %(date)s is not a real date.") % {"date": p.get("date")}
    if code == "nik_birth_future":
        return _("NIK: birth date %(date)s is in the future.") % {"date": format_date(p.get("date"))}
    if code == "nik_serial":
        return _("NIK: the serial number (last 4 digits) cannot be 0000.")
    if code == "nik_birth_mismatch":
        return _("The NIK encodes birth date %(encoded)s but %(entered)s was entered.") % {
            "encoded": format_date(p.get("encoded")),
            "entered": format_date(p.get("entered")),
        }
    if code == "nik_sex_mismatch":
        return _("The NIK encodes sex %(encoded)s but %(entered)s was entered.") % {
            "encoded": _sex(p.get("encoded", "")),
            "entered": _sex(p.get("entered", "")),
        }
    return _("The NIK is not valid.")


def nik_problems_text(problems) -> str:
    return "\n".join(nik_problem_text(p) for p in problems)
