"""Contribution rules: DOMAIN.md worked examples to the rupiah, the JP cap chain, reliefs, errors and
properties. Pure: no database."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.rules import contributions as c
from sinergi.rules.money import to_rupiah
from sinergi.rules.tables import RuleError

NOV_2025 = dt.date(2025, 11, 1)


def _amounts(q):
    return {(ln.programme, ln.payer): ln.amount for ln in q.lines}


def test_we1_pu_worker_at_dki_ump_2025_class_ii():
    q = c.quote(segment="PU", month=NOV_2025, wage=5396761, risk_class=2)
    exact = {(ln.programme, ln.payer): ln.exact for ln in q.lines}
    assert _amounts(q) == {
        ("JKK", "employer"): 29143,
        ("JKM", "employer"): 16190,
        ("JHT", "employer"): 199680,
        ("JHT", "worker"): 107935,
        ("JP", "employer"): 107935,
        ("JP", "worker"): 53968,
        ("JKP", "government"): 11000,
        ("JKP", "recomposed"): 7000,
    }
    assert exact[("JKK", "employer")] == Decimal("29142.5094")
    assert exact[("JKM", "employer")] == Decimal("16190.283")
    assert exact[("JP", "worker")] == Decimal("53967.61")
    assert q.totals == {"employer": 352948, "worker": 161903}
    assert q.total == 514851
    unrounded_employer = sum(ln.exact for ln in q.lines if ln.payer == "employer")
    assert unrounded_employer == Decimal("352948.1694")
    # JKP is shown but costs nobody anything extra, and is flagged unverified
    assert all(not ln.payable and ln.provisional for ln in q.lines if ln.programme == "JKP")


def test_we4_bpu_at_minimum_income():
    base = c.quote(segment="BPU", month=NOV_2025, wage=1000000)
    assert _amounts(base) == {("JKK", "self"): 10000, ("JKM", "self"): 6800}
    assert base.total == 16800
    with_jht = c.quote(segment="BPU", month=NOV_2025, wage=1000000, programmes=["JKK", "JKM", "JHT"])
    assert _amounts(with_jht)[("JHT", "self")] == 20000
    assert with_jht.total == 36800


def test_we4_income_below_minimum_is_rejected_with_field_and_both_languages():
    with pytest.raises(RuleError) as err:
        c.quote(segment="BPU", month=NOV_2025, wage=999999)
    assert err.value.code == "income_below_minimum"
    assert err.value.field == "income"
    assert "1.000.000" in err.value.message("en") and "Penghasilan" in err.value.message("id")


def test_we5_pekalongan_budget_from_the_package():
    monthly = c.package_monthly(dt.date(2023, 1, 1))
    assert monthly == 16800
    assert 423 * monthly == 7106400
    assert 423 * monthly * 12 == 85276800
    assert 500 * monthly * 12 == 100800000


@pytest.mark.parametrize(
    "start,cap",
    [
        (dt.date(2015, 7, 1), 7000000),
        (dt.date(2016, 3, 1), 7335300),
        (dt.date(2017, 3, 1), 7703500),
        (dt.date(2018, 3, 1), 8094000),
        (dt.date(2019, 3, 1), 8512400),
        (dt.date(2020, 3, 1), 8939700),
        (dt.date(2021, 3, 1), 8754600),
        (dt.date(2022, 3, 1), 9077600),
        (dt.date(2023, 3, 1), 9559600),
        (dt.date(2024, 3, 1), 10042300),
        (dt.date(2025, 3, 1), 10547400),
    ],
)
def test_jp_cap_chain_reproduces_every_published_value(start, cap):
    assert c.JP_WAGE_CAP.value_at(start) == cap


def test_jp_cap_applies_from_march_february_uses_previous_year():
    assert c.JP_WAGE_CAP.value_at(dt.date(2025, 2, 28)) == 10042300
    assert c.JP_WAGE_CAP.value_at(dt.date(2025, 3, 1)) == 10547400
    feb = c.quote(segment="PU", month=dt.date(2025, 2, 1), wage=20000000, risk_class=1)
    mar = c.quote(segment="PU", month=dt.date(2025, 3, 1), wage=20000000, risk_class=1)
    assert _amounts(feb)[("JP", "employer")] == 200846  # 2% × 10,042,300
    assert _amounts(mar)[("JP", "employer")] == 210948  # 2% × 10,547,400
    assert _amounts(mar)[("JP", "worker")] == 105474


def test_2026_cap_is_carried_forward_and_flagged_provisional():
    row = c.JP_WAGE_CAP.at(dt.date(2026, 3, 1))
    assert row.value == 10547400 and row.status == "U"
    q = c.quote(segment="PU", month=dt.date(2026, 4, 1), wage=5000000, risk_class=1)
    assert q.provisional


def test_jkp_rate_before_and_after_pp_6_2025():
    before = c.quote(segment="PU", month=dt.date(2024, 6, 1), wage=5000000, risk_class=1)
    after = c.quote(segment="PU", month=dt.date(2025, 6, 1), wage=5000000, risk_class=1)
    assert sum(ln.rate for ln in before.lines if ln.programme == "JKP") == Decimal("0.0046")
    assert sum(ln.rate for ln in after.lines if ln.programme == "JKP") == Decimal("0.0036")
    assert before.totals == after.totals  # no extra cost either way


def test_bpu_jkk_is_capped_and_jp_is_not_available():
    q = c.quote(segment="BPU", month=NOV_2025, wage=30000000)
    assert _amounts(q)[("JKK", "self")] == 207000
    with pytest.raises(RuleError) as err:
        c.quote(segment="BPU", month=NOV_2025, wage=2000000, programmes=["JKK", "JKM", "JP"])
    assert err.value.code == "jp_not_available" and err.value.field == "programmes"


def test_pmi_packages_and_extra_months():
    assert c.quote(segment="PMI", month=NOV_2025, contract_months=24).total == 370000
    assert c.quote(segment="PMI", month=NOV_2025, contract_months=12, pre_placement=False).total == 189000
    assert (
        c.quote(segment="PMI", month=NOV_2025, contract_months=6, extension_months=3).total
        == 37500 + 108000 + 40500
    )
    with pytest.raises(RuleError) as err:
        c.quote(segment="PMI", month=NOV_2025, contract_months=18)
    assert err.value.field == "contract_months"


def test_pp_49_2020_jkm_relief():
    pu = c.quote(segment="PU", month=dt.date(2020, 9, 1), wage=4000000, risk_class=1)
    assert _amounts(pu)[("JKM", "employer")] == 120  # 0.30% × 1% × 4,000,000
    bpu = c.quote(segment="BPU", month=dt.date(2020, 9, 1), wage=1000000)
    assert _amounts(bpu)[("JKM", "self")] == 68
    assert c.quote(segment="BPU", month=dt.date(2021, 2, 1), wage=1000000).total == 16800


def test_pp_7_2025_jkk_discount_only_for_listed_industries_feb_to_jul_2025():
    def jkk(month, industry):
        q = c.quote(segment="PU", month=month, wage=5000000, risk_class=3, industry=industry)
        return _amounts(q)[("JKK", "employer")]

    assert jkk(dt.date(2025, 3, 1), "textile") == 22250  # 0.89% × 50% × 5,000,000
    assert jkk(dt.date(2025, 3, 1), "") == 44500
    assert jkk(dt.date(2025, 1, 1), "textile") == 44500
    assert jkk(dt.date(2025, 8, 1), "textile") == 44500
    with pytest.raises(RuleError) as err:
        jkk(dt.date(2025, 3, 1), "mining")
    assert err.value.field == "industry"


@pytest.mark.parametrize(
    "kwargs,code,field",
    [
        ({"segment": "PU", "wage": 5000000, "risk_class": 6}, "unknown_risk_class", "risk_class"),
        ({"segment": "PU", "wage": 5000000, "risk_class": None}, "unknown_risk_class", "risk_class"),
        ({"segment": "PU", "wage": -5, "risk_class": 1}, "invalid_amount", "wage"),
        ({"segment": "PU", "wage": "abc", "risk_class": 1}, "invalid_amount", "wage"),
        ({"segment": "XX", "wage": 1}, "unknown_segment", "segment"),
        (
            {"segment": "BPU", "wage": 1000000, "programmes": ["JKK"]},
            "base_programmes_required",
            "programmes",
        ),
        (
            {"segment": "PU", "wage": 5000000, "risk_class": 1, "month": dt.date(2014, 1, 1)},
            "no_rule_for_date",
            "date",
        ),
    ],
)
def test_out_of_range_input_gives_a_clear_error(kwargs, code, field):
    kwargs.setdefault("month", NOV_2025)
    with pytest.raises(RuleError) as err:
        c.quote(**kwargs)
    assert err.value.code == code
    assert err.value.field == field
    assert err.value.message("id") and err.value.message("en")


months = st.dates(min_value=dt.date(2015, 7, 1), max_value=dt.date(2027, 2, 1)).map(
    lambda d: d.replace(day=1)
)
wages = st.integers(min_value=1, max_value=200_000_000)


@given(month=months, wage=wages, risk=st.sampled_from(c.RISK_CLASSES), jp=st.booleans())
def test_payer_parts_sum_to_the_line_total(month, wage, risk, jp):
    progs = ["JKK", "JKM", "JHT"] + (["JP"] if jp else [])
    q = c.quote(segment="PU", month=month, wage=wage, risk_class=risk, programmes=progs)
    assert sum(q.totals.values()) == q.total
    for programme in {ln.programme for ln in q.lines if ln.payable}:
        parts = [ln for ln in q.lines if ln.programme == programme and ln.payable]
        assert sum(ln.amount for ln in parts) == sum(to_rupiah(ln.exact) for ln in parts)
    assert all(abs(ln.amount - ln.exact) <= Decimal("0.5") for ln in q.lines)


@given(month=months, wage=wages)
def test_jp_basis_never_exceeds_the_cap_in_force(month, wage):
    q = c.quote(segment="PU", month=month, wage=wage, risk_class=1)
    cap = c.JP_WAGE_CAP.value_at(month)
    for ln in q.lines:
        if ln.programme == "JP":
            assert ln.basis == min(wage, cap)
            assert ln.basis <= cap


@given(year=st.integers(min_value=2016, max_value=2026), day=st.integers(min_value=1, max_value=28))
def test_cap_changes_only_in_march(year, day):
    feb = c.JP_WAGE_CAP.value_at(dt.date(year, 2, day))
    jan = c.JP_WAGE_CAP.value_at(dt.date(year, 1, day))
    prev_mar = c.JP_WAGE_CAP.value_at(dt.date(year - 1, 3, 1)) if year > 2016 else c.JP_CAP_INITIAL
    assert jan == feb == prev_mar


@given(month=months, income=st.integers(min_value=1_000_000, max_value=100_000_000))
def test_bpu_billing_parameters_agree_with_the_quote(month, income):
    p = c.billing_parameters(month)
    q = c.quote(segment="BPU", month=month, wage=income, programmes=["JKK", "JKM", "JHT"])
    a = _amounts(q)
    sql_round = lambda basis, ppm: (basis * ppm + 500000) // 1000000  # noqa: E731
    assert a[("JKK", "self")] == min(sql_round(income, p["bpu_jkk_ppm"]), p["bpu_jkk_max"])
    assert a[("JKM", "self")] == p["bpu_jkm_flat"]
    assert a[("JHT", "self")] == sql_round(income, p["bpu_jht_ppm"])


@given(month=months, wage=wages, risk=st.sampled_from(c.RISK_CLASSES))
def test_pu_billing_parameters_agree_with_the_quote(month, wage, risk):
    p = c.billing_parameters(month)
    a = _amounts(c.quote(segment="PU", month=month, wage=wage, risk_class=risk))
    sql_round = lambda basis, ppm: (basis * ppm + 500000) // 1000000  # noqa: E731
    assert a[("JKK", "employer")] == sql_round(wage, p["jkk_ppm"][risk])
    assert a[("JKM", "employer")] == sql_round(wage, p["jkm_ppm"])
    assert a[("JHT", "employer")] == sql_round(wage, p["jht_employer_ppm"])
    assert a[("JHT", "worker")] == sql_round(wage, p["jht_worker_ppm"])
    assert a[("JP", "employer")] == sql_round(min(wage, p["jp_cap"]), p["jp_employer_ppm"])
    assert a[("JP", "worker")] == sql_round(min(wage, p["jp_cap"]), p["jp_worker_ppm"])


def test_billing_parameters_refuse_a_month_no_table_covers():
    with pytest.raises(RuleError):
        c.billing_parameters(dt.date(2015, 1, 1))


def test_rules_module_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, sinergi.rules.contributions; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
