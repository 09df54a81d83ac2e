"""Factories for the programs app, on top of tests/factories.py."""

import datetime as dt

from sinergi.programs.models import Program
from sinergi.registry.models import Employment
from tests.factories import EmployerFactory, MembershipFactory, OrganisationFactory, PersonFactory

KPJ_RULES = [
    {"rule": "ktp_province", "value": "31"},
    {"rule": "works_in_region", "value": "31"},
    {"rule": "kpj_wage_ceiling"},
]


def kpj_program(year=2022, owner=None, code=None, **kw) -> Program:
    return Program.objects.create(
        code=code or f"KPJ{year}",
        name=f"Kartu Pekerja Jakarta {year}",
        kind=Program.Kind.WORKER_CARD,
        owner=owner or OrganisationFactory(region_id="31"),
        region_id="31",
        legal_basis="Pergub DKI Jakarta (uji)",
        year=year,
        start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31),
        rules=KPJ_RULES,
        **kw,
    )


def worker(*, wage, district="317205", work_region="3172", body=None, start=dt.date(2015, 1, 1), **kw):
    """A person with a current job (employer in North Jakarta) and, optionally, a union membership."""
    person = PersonFactory(district=district, **kw)
    employer = EmployerFactory(region_id="3172")
    Employment.objects.create(
        person=person, employer=employer, start_date=start, wage=wage, work_region_id=work_region
    )
    if body is not None:
        MembershipFactory(person=person, body=body, employer=employer)
    return person


def rule_rows(rows, prefix="rules") -> dict:
    """POST data of the rule builder: [(field, operator, value), ...] as a formset."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, (field, op, value) in enumerate(rows):
        data.update(
            {f"{prefix}-{i}-field": field, f"{prefix}-{i}-operator": op, f"{prefix}-{i}-value": value}
        )
    return data
