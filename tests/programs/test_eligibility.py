"""Worker-card eligibility evaluated set-based and explained for one person (DOMAIN.md §3.1)."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.programs import eligibility
from tests.programs.factories import kpj_program, worker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "ceiling"),
    [(2020, Decimal(4703983)), (2022, Decimal(5122025)), (2025, Decimal(6206275))],
)
def test_the_ceiling_is_exact_for_each_program_year(year, ceiling):
    program = kpj_program(year=year)
    ctx = eligibility.program_context(program, on=dt.date(year, 6, 1))
    assert ctx.wage_ceiling == ceiling
    assert "Rp" + f"{int(ceiling):,}".replace(",", ".") in ctx.ceiling_basis
    at = worker(wage=ceiling)
    above = worker(wage=ceiling + 1)
    below = worker(wage=Decimal(1_000_000))
    ids = set(eligibility.eligible_people(program, ctx=ctx).values_list("pk", flat=True))
    assert at.pk in ids and below.pk in ids
    assert above.pk not in ids


def test_2022_uses_the_first_ump_decree_not_the_revised_one():
    program = kpj_program(year=2022)
    ceiling, basis = eligibility.kpj_ceiling_for(program)
    assert ceiling == Decimal(5122025)
    assert "first decree" in basis


def test_domicile_work_place_and_death_are_checked():
    program = kpj_program(year=2025)
    ok = worker(wage=Decimal(5_000_000))
    outside_ktp = worker(wage=Decimal(5_000_000), district="327101")  # Bogor NIK and domicile
    works_outside = worker(wage=Decimal(5_000_000), work_region="3271")
    dead = worker(wage=Decimal(5_000_000), is_deceased=True)
    ids = set(eligibility.eligible_people(program).values_list("pk", flat=True))
    assert ids == {ok.pk}
    assert {outside_ktp.pk, works_outside.pk, dead.pk}.isdisjoint(ids)


def test_a_job_that_ended_does_not_count():
    program = kpj_program(year=2025)
    person = worker(wage=Decimal(5_000_000))
    person.employments.update(end_date=dt.date(2024, 12, 31))
    assert not eligibility.eligible_people(program).filter(pk=person.pk).exists()


def test_explain_names_each_rule_and_the_values():
    program = kpj_program(year=2025)
    person = worker(wage=Decimal(6206276))
    checks = eligibility.explain(program, person)
    by_rule = {c["rule"]: c for c in checks}
    assert by_rule["ktp_province"]["passed"] and by_rule["works_in_region"]["passed"]
    assert not by_rule["kpj_wage_ceiling"]["passed"]
    assert "Rp6.206.276" in by_rule["kpj_wage_ceiling"]["values"]
    assert "Rp6.206.275" in by_rule["kpj_wage_ceiling"]["values"]


def test_age_and_unknown_rules():
    program = kpj_program(year=2025)
    program.rules = [{"rule": "age_between", "min": 18, "max": 35}]
    young = worker(wage=Decimal(1), birth_date=dt.date(1995, 6, 1))
    old = worker(wage=Decimal(1), birth_date=dt.date(1980, 1, 1))
    ids = set(
        eligibility.eligible_people(program, ctx=eligibility.Context(on=dt.date(2025, 6, 1))).values_list(
            "pk", flat=True
        )
    )
    assert young.pk in ids and old.pk not in ids
    from sinergi.core.errors import SinergiError

    with pytest.raises(SinergiError):
        eligibility.validate_rules([{"rule": "bribe"}])
