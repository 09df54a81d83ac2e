"""The Python and Polars normalisations agree on every input (so UI and import give the same keys)."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.registry.normalize import PhoneError, name_key, name_keys, normalise_phone, phone_expr
from sinergi.rules.vulnerable import listed_occupation, vulnerability

NAME_CHARS = st.text(alphabet="abcdeghijkmnoprstuyzADJKMOSTUVY .,'-éñ", max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(NAME_CHARS, min_size=1, max_size=20))
def test_name_key_python_equals_polars(names):
    assert name_keys(pl.Series(names, dtype=pl.String)).to_list() == [name_key(n) for n in names]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789+- ()", max_size=18), min_size=1, max_size=20))
def test_phone_python_equals_polars(raws):
    expected = []
    for raw in raws:
        try:
            expected.append(normalise_phone(raw))
        except PhoneError:
            expected.append(None)
    got = (
        pl.DataFrame({"p": raws}, schema={"p": pl.String})
        .select(phone_expr(pl.col("p")).alias("p"))["p"]
        .to_list()
    )
    assert got == expected


def test_spelling_variants_share_a_key():
    assert name_key("Mochammad Soekarno, S.Pd") == name_key("Muhammad Sukarno") == "muhamad sukarno"
    assert name_key("H. Achmad Djunaedi") == name_key("Ahmad Junaedi")
    assert name_key("Tjoet Nyak Dhien") == name_key("Cut Niak Dien")


def test_vulnerability_rules():
    import datetime as dt
    from decimal import Decimal

    day = dt.date(2025, 1, 1)
    assert listed_occupation("Pengayuh Becak Wisata", day) == "pengayuh becak"
    assert listed_occupation("Operator Mesin", day) is None
    assert vulnerability(
        employment_type="informal", occupation="Penggali kubur", declared_income=None, on=day
    ) == (
        True,
        "pekerjaan tercantum: penggali kubur",
    )
    assert vulnerability(
        employment_type="informal", occupation="Pedagang", declared_income=Decimal(1_000_000), on=day
    ) == (True, "informal, penghasilan ≤ Rp1.000.000")
    assert vulnerability(
        employment_type="informal", occupation="Pedagang", declared_income=Decimal(1_000_001), on=day
    ) == (False, "")
    assert vulnerability(
        employment_type="formal", occupation="Pengayuh becak", declared_income=None, on=day
    ) == (
        False,
        "",
    )
