"""Declarative program eligibility: each rule compiles to an ORM filter over the registry (so a whole
population is evaluated in one SQL query) and explains itself for one person with the values it saw.

A program's `rules` is a list of dicts, all of which must pass:
  {"rule": "ktp_province", "value": "31"}          NIK issued in, or KTP domicile in, the province
  {"rule": "works_in_region", "value": "31"}       a current job located in the region (work location,
                                                   or the employer's region when none is recorded)
  {"rule": "kpj_wage_ceiling"}                     a current job paying ≤ the KPJ ceiling of the year
  {"rule": "employment", "value": "formal"}        employment type
  {"rule": "union_member"}                         an active union membership
  {"rule": "age_between", "min": 18, "max": 55}    age on the reference date
  {"rule": "completed_level", "track": "jakpreneur", "level": 1}
  {"rule": "vulnerable"}                           registered as a vulnerable worker
Dead and merged records are never eligible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sinergi.core import clock
from sinergi.core.errors import SinergiError
from sinergi.core.money import format_rupiah
from sinergi.programs.models import Enrolment
from sinergi.regions.models import Region
from sinergi.regions.selectors import minimum_wage_for
from sinergi.registry.models import Employment, Person
from sinergi.rules import programs as rules
from sinergi.rules.tables import RuleError
from sinergi.unions.models import Membership

RULE_LABELS = {
    "ktp_province": gettext_lazy("Identity card (KTP) of the province"),
    "works_in_region": gettext_lazy("Works in the region"),
    "kpj_wage_ceiling": gettext_lazy("Wage within the ceiling"),
    "employment": gettext_lazy("Employment type"),
    "union_member": gettext_lazy("Active union member"),
    "age_between": gettext_lazy("Age"),
    "completed_level": gettext_lazy("Completed the previous training level"),
    "vulnerable": gettext_lazy("Vulnerable worker"),
}


def describe_rule(rule: dict) -> str:
    """One rule in words for the program page: its label and what it asks for."""
    kind = rule.get("rule")
    label = str(RULE_LABELS.get(kind, kind))
    if kind in ("ktp_province", "works_in_region"):
        region = Region.objects.filter(code=str(rule.get("value", ""))).first()
        return f"{label}: {region.name if region else rule.get('value')}"
    if kind == "employment":
        return f"{label}: {dict(Person.EmploymentType.choices).get(rule.get('value'), rule.get('value'))}"
    if kind == "age_between":
        low, high = rule.get("min"), rule.get("max")
        if low is not None and high is not None:
            return _("%(label)s: %(min)s to %(max)s years") % {"label": label, "min": low, "max": high}
        if low is not None:
            return _("%(label)s: at least %(n)s years") % {"label": label, "n": low}
        return _("%(label)s: at most %(n)s years") % {"label": label, "n": high}
    if kind == "completed_level":
        return _("%(label)s: %(track)s level %(level)s") % {
            "label": label,
            "track": rule.get("track", "jakpreneur"),
            "level": rule.get("level"),
        }
    return label


@dataclass(frozen=True)
class Context:
    """What rules need besides the rule itself: the reference date and the program's wage ceiling."""

    on: dt.date
    wage_ceiling: Decimal | None = None
    ceiling_basis: str = ""


def reference_date(program, today: dt.date | None = None) -> dt.date:
    today = today or clock.today()
    return min(max(today, program.start_date), program.end_date)


def program_context(program, on: dt.date | None = None) -> Context:
    """The reference date and, when a rule needs it, the wage ceiling from the UMP decree of the year."""
    on = on or reference_date(program)
    ceiling, basis = None, ""
    if any(r.get("rule") == "kpj_wage_ceiling" for r in program.rules or []):
        ceiling, basis = kpj_ceiling_for(program)
    return Context(on=on, wage_ceiling=ceiling, ceiling_basis=basis)


def kpj_ceiling_for(program) -> tuple[Decimal, str]:
    decree = program.ump_decree or rules.KPJ_UMP_DECREE_BY_YEAR.get(program.year)
    ump = minimum_wage_for(region_code=program.region_id[:2], year=program.year, kind="UMP", decree=decree)
    try:
        multiplier = rules.kpj_multiplier(program.year)
        ceiling = rules.kpj_wage_ceiling(ump.amount, program.year)
    except RuleError as exc:
        raise from_rule_error(exc)
    basis = _("%(multiplier)s × UMP %(year)s %(ump)s (%(decree)s) = %(ceiling)s; %(legal)s") % {
        "multiplier": multiplier.value,
        "year": program.year,
        "ump": format_rupiah(ump.amount),
        "decree": ump.decree,
        "ceiling": format_rupiah(ceiling),
        "legal": multiplier.legal_basis,
    }
    return ceiling, basis


def _current_jobs(on: dt.date):
    return Employment.objects.filter(person_id=OuterRef("pk"), start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def _job_in_region_q(prefix: str) -> Q:
    return Q(work_region__code__startswith=prefix) | Q(
        work_region__isnull=True, employer__region__code__startswith=prefix
    )


def rule_q(rule: dict, ctx: Context) -> Q:
    """The ORM filter (on Person) for one rule."""
    kind = rule.get("rule")
    if kind == "ktp_province":
        v = str(rule["value"])
        return Q(nik__startswith=v) | Q(domicile_region__code__startswith=v)
    if kind == "works_in_region":
        return Q(Exists(_current_jobs(ctx.on).filter(_job_in_region_q(str(rule["value"])))))
    if kind == "kpj_wage_ceiling":
        if ctx.wage_ceiling is None:
            raise SinergiError(_("The program has no wage ceiling."), code="no_ceiling")
        return Q(Exists(_current_jobs(ctx.on).filter(wage__isnull=False, wage__lte=ctx.wage_ceiling)))
    if kind == "employment":
        return Q(employment_type=rule["value"])
    if kind == "union_member":
        return Q(Exists(Membership.objects.filter(person_id=OuterRef("pk"), status=Membership.Status.ACTIVE)))
    if kind == "age_between":
        q = Q()
        if rule.get("max") is not None:  # age ≤ max  ⇔  born after (on − (max+1) years)
            q &= Q(birth_date__gt=_years_before(ctx.on, int(rule["max"]) + 1))
        if rule.get("min") is not None:  # age ≥ min  ⇔  born on or before (on − min years)
            q &= Q(birth_date__lte=_years_before(ctx.on, int(rule["min"])))
        return q
    if kind == "completed_level":
        return Q(
            Exists(
                Enrolment.objects.filter(
                    person_id=OuterRef("pk"),
                    status=Enrolment.Status.COMPLETED,
                    cohort__course__track=rule.get("track", "jakpreneur"),
                    cohort__course__level=int(rule["level"]),
                )
            )
        )
    if kind == "vulnerable":
        return Q(is_vulnerable=True)
    raise SinergiError(
        _("Unknown eligibility rule: %(rule)s") % {"rule": kind}, code="unknown_rule", field="rules"
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def from_rule_error(exc: RuleError) -> SinergiError:
    """A pure rule's error in the request's language (Indonesian by default)."""
    return SinergiError(exc.message(get_language() or "id"), code=exc.code, field=exc.field)


BASE_Q = Q(is_deceased=False, merged_into__isnull=True)


def program_q(program, ctx: Context | None = None) -> Q:
    ctx = ctx or program_context(program)
    q = BASE_Q
    for rule in program.rules or []:
        q &= rule_q(rule, ctx)
    return q


def eligible_people(program, *, base_qs=None, ctx: Context | None = None):
    """Every eligible person (one query; combine with a scoped queryset via `base_qs`)."""
    qs = base_qs if base_qs is not None else Person.objects.all()
    return qs.filter(program_q(program, ctx))


# What each rule needs besides its name, so that a rule typed as JSON is checked as strictly as one
# built in the form: "value" (a region code, or an employment type), "min"/"max" (ages), "level".
_RULE_KEYS = {
    "ktp_province": {"value"},
    "works_in_region": {"value"},
    "kpj_wage_ceiling": set(),
    "employment": {"value"},
    "union_member": set(),
    "age_between": {"min", "max"},
    "completed_level": {"track", "level"},
    "vulnerable": set(),
}
AGE_LIMITS = (0, 120)


def validate_rules(rules_list) -> None:
    """Refuse anything the SQL compiler would choke on: unknown rules, missing or malformed values."""
    if not isinstance(rules_list, list):
        raise SinergiError(_("Eligibility rules must be a list."), code="rules_shape", field="rules")
    for rule in rules_list:
        if not isinstance(rule, dict) or rule.get("rule") not in RULE_LABELS:
            raise SinergiError(
                _("Unknown eligibility rule: %(rule)s") % {"rule": rule}, code="unknown_rule", field="rules"
            )
        kind = rule["rule"]
        label = RULE_LABELS[kind]
        extra = set(rule) - {"rule"} - _RULE_KEYS[kind]
        if extra:
            raise SinergiError(
                _("%(rule)s does not take %(keys)s.") % {"rule": label, "keys": ", ".join(sorted(extra))},
                code="rule_value",
                field="rules",
            )
        bad = SinergiError(
            _("%(rule)s: the value is not valid.") % {"rule": label}, code="rule_value", field="rules"
        )
        if kind in ("ktp_province", "works_in_region"):
            value = str(rule.get("value", ""))
            if not value.isdigit() or len(value) not in ((2,) if kind == "ktp_province" else (2, 4, 6)):
                raise bad
        elif kind == "employment":
            if rule.get("value") not in Person.EmploymentType.values:
                raise bad
        elif kind == "age_between":
            bounds = [rule.get("min"), rule.get("max")]
            if all(b is None for b in bounds):
                raise bad
            for b in bounds:
                if b is not None and (
                    isinstance(b, bool) or not isinstance(b, int) or not AGE_LIMITS[0] <= b <= AGE_LIMITS[1]
                ):
                    raise bad
            if None not in bounds and bounds[0] > bounds[1]:
                raise SinergiError(
                    _("Age: the minimum is above the maximum."), code="rule_value", field="rules"
                )
        elif kind == "completed_level":
            level, track = rule.get("level"), rule.get("track", "jakpreneur")
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 20:
                raise bad
            if not isinstance(track, str) or not track.strip() or len(track) > 60:
                raise bad


def _values(person, rule: dict, ctx: Context) -> str:
    """What the rule looked at, in words, for the officer."""
    kind = rule.get("rule")
    jobs = list(
        person.employments.filter(start_date__lte=ctx.on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.on))
        .select_related("employer")
    )
    if kind == "ktp_province":
        return _("NIK region %(nik)s, domicile %(dom)s") % {
            "nik": person.nik[:2],
            "dom": person.domicile_region_id,
        }
    if kind == "works_in_region":
        if not jobs:
            return _("no current job")
        return "; ".join(f"{j.employer.name}: {j.work_region_id or j.employer.region_id}" for j in jobs)
    if kind == "kpj_wage_ceiling":
        wages = ", ".join(format_rupiah(j.wage) if j.wage is not None else _("no wage") for j in jobs)
        return _("wage %(wages)s; ceiling %(ceiling)s") % {
            "wages": wages or _("no current job"),
            "ceiling": format_rupiah(ctx.wage_ceiling),
        }
    if kind == "employment":
        return person.get_employment_type_display()
    if kind == "union_member":
        return str(person.memberships.filter(status="active").count())
    if kind == "age_between":
        age = (
            ctx.on.year
            - person.birth_date.year
            - ((ctx.on.month, ctx.on.day) < (person.birth_date.month, person.birth_date.day))
        )
        return _("%(age)s years (%(min)s–%(max)s)") % {
            "age": age,
            "min": rule.get("min", ""),
            "max": rule.get("max", ""),
        }
    if kind == "completed_level":
        return _("level %(level)s") % {"level": rule.get("level")}
    if kind == "vulnerable":
        return _("yes") if person.is_vulnerable else _("no")
    return ""


def explain(program, person, ctx: Context | None = None) -> list[dict]:
    """For one person: each rule, whether it passed (the same SQL as the set-based run) and the values."""
    ctx = ctx or program_context(program)
    one = Person.objects.filter(pk=person.pk)
    result = [
        {
            "rule": "alive",
            "label": str(_("Living, not a merged duplicate")),
            "passed": one.filter(BASE_Q).exists(),
            "values": "",
        }
    ]
    for rule in program.rules or []:
        result.append(
            {
                "rule": rule.get("rule"),
                "label": str(RULE_LABELS.get(rule.get("rule"), rule.get("rule"))),
                "passed": one.filter(rule_q(rule, ctx)).exists(),
                "values": str(_values(person, rule, ctx)),
            }
        )
    return result


def current_wage(person, on: dt.date) -> Decimal | None:
    """The wage of the person's current job (the highest, if several) on `on`."""
    wages = [
        j.wage
        for j in person.employments.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
        if j.wage is not None
    ]
    return max(wages) if wages else None
