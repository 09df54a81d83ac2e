"""The API says what it takes (issue 15 item 4): typed quote bodies, enumerations in OpenAPI, error fields
named as the input names them, periodic benefits as data."""

import datetime as dt
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db
CLAIMS = "/api/v1/claims"


@pytest.fixture
def api(client, make_user):
    client.force_login(make_user("ss_officer", region="3172", org_kind="ss_branch"))

    def post(path, body, language="en"):
        return client.post(path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)

    return post


@pytest.fixture(scope="module")
def schema():
    from sinergi.config.api import api

    return api.get_openapi_schema()


def _body_schema(schema, path, method="post"):
    ref = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _enum(prop) -> list:
    for option in [prop, *prop.get("anyOf", [])]:
        if "enum" in option:
            return option["enum"]
        if option.get("type") == "array" and "enum" in option.get("items", {}):
            return option["items"]["enum"]
    return []


def test_the_claims_quote_body_is_a_typed_schema_with_every_field(schema):
    from sinergi.claims.quotes import FIELDS

    body = _body_schema(schema, "/api/v1/claims/quote/{benefit}")
    assert body.get("type") == "object" and not body.get("additionalProperties")
    names = {name for fields in FIELDS.values() for name, *_rest in fields}
    assert names <= set(body["properties"]), names - set(body["properties"])
    assert set(_enum(body["properties"]["kind"])) >= {"medical", "death"}
    assert set(_enum(body["properties"]["survivor"])) == {"spouse", "child", "parent"}
    benefit = next(p for p in schema["paths"]["/api/v1/claims/quote/{benefit}"]["post"]["parameters"])
    assert set(_enum(benefit["schema"])) == {"JKM", "JKK", "JHT", "JP", "JKP"}
    assert _body_schema(schema, "/api/v1/claims/{pk}/quote")["title"] == body["title"]


def test_coverage_enumerations_appear_in_openapi(schema):
    from sinergi.rules import contributions

    body = _body_schema(schema, "/api/v1/coverage/quote")["properties"]
    assert _enum(body["segment"]) == list(contributions.SEGMENTS)
    assert set(_enum(body["industry"])) == {"", *contributions.LABOUR_INTENSIVE_INDUSTRIES}
    assert _enum(body["risk_class"]) == list(contributions.RISK_CLASSES)
    assert set(_enum(body["programmes"])) == {"JKK", "JKM", "JHT", "JP", "JKP"}


def test_an_unknown_industry_is_refused_on_its_field(api):
    r = api(
        "/api/v1/coverage/quote", {"segment": "PU", "month": "2026-03", "wage": 5000000, "industry": "mining"}
    )
    assert r.status_code == 422 and r.json()["field"] == "industry", r.content
    r = api(
        "/api/v1/coverage/quote",
        {"segment": "pu", "month": "2025-03", "wage": 5000000, "industry": "textile", "risk_class": 1},
    )
    assert r.status_code == 200, r.content


def test_a_bpu_income_error_names_the_wage_input(api):
    r = api("/api/v1/coverage/quote", {"segment": "BPU", "month": "2025-11", "wage": "900.000"})
    assert r.status_code == 400 and r.json()["field"] == "wage", r.content
    r = api("/api/v1/coverage/quote", {"segment": "BPU", "month": "2025-11", "wage": "1.000.000"})
    assert r.status_code == 200 and Decimal(str(r.json()["total"])) == 16800


def test_a_month_no_rule_covers_is_reported_on_month_with_the_earliest_month(api):
    from sinergi.rules.contributions import START

    r = api(
        "/api/v1/coverage/quote",
        {"segment": "PU", "month": "2010-01", "wage": 5000000, "risk_class": 1},
        "id",
    )
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["field"] == "month" and body["code"] == "no_rule_for_date"
    assert "Januari 2010" in body["message"] and "Juli 2015" in body["message"], body
    assert START == dt.date(2015, 7, 1)
    r = api("/api/v1/coverage/quote", {"segment": "PU", "month": "2015-07", "wage": 5000000, "risk_class": 1})
    assert r.status_code == 200, r.content


def test_claims_quotes_take_typed_values_and_refuse_bad_ones_on_their_field(api):
    jkp = {
        "wage": "5.000.000",
        "phk_date": "2025-06-02",
        "claim_date": "2025-07-01",
        "paid_months_last_24": 12,
        "consecutive_months_before_phk": 6,
    }
    r = api(f"{CLAIMS}/quote/jkp", jkp)
    assert r.status_code == 200, r.content
    r = api(f"{CLAIMS}/quote/JKP", {**jkp, "phk_date": "2 Juni 2025"})
    assert r.status_code == 422 and r.json()["field"] == "phk_date", r.content
    r = api(f"{CLAIMS}/quote/JKP", {**jkp, "reason": "bored"})
    assert r.status_code == 422 and r.json()["field"] == "reason", r.content
    r = api(f"{CLAIMS}/quote/JXX", jkp)
    assert r.status_code == 422 and r.json()["field"] == "benefit", r.content
    r = api(f"{CLAIMS}/quote/JKP", {**jkp, "wage": None})
    assert r.status_code == 400 and r.json()["field"] == "wage", r.content


def test_jkp_returns_its_monthly_amounts_and_months_as_data(api):
    r = api(
        f"{CLAIMS}/quote/JKP",
        {
            "wage": 5000000,
            "phk_date": "2025-06-02",
            "claim_date": "2025-07-01",
            "paid_months_last_24": 12,
            "consecutive_months_before_phk": 6,
        },
    )
    assert r.status_code == 200, r.content
    lines = r.json()["lines"]
    periodic = [ln for ln in lines if ln["months"]]
    assert periodic, lines
    total = Decimal(0)
    for line in periodic:
        monthly = Decimal(str(line["monthly_amount"]))
        assert monthly > 0 and line["months"] >= 1
        assert abs(monthly * line["months"] - Decimal(str(line["amount"]))) < line["months"]
        total += Decimal(str(line["amount"]))
    assert total == Decimal(str(r.json()["total"]))
    # JKP 2025 (PP 6/2025): 60% of the capped wage for six months
    assert [(ln["months"], Decimal(str(ln["monthly_amount"]))) for ln in periodic][0][1] > 0


def test_statuses_and_document_types_are_enumerations_in_openapi(schema):
    from sinergi.claims.models import Claim, DocumentType
    from sinergi.coverage.models import Bill, Participation

    claims = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert set(_enum(claims["status"])) == {"", *Claim.Status.values}
    bills = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/coverage/bills"]["get"]["parameters"]}
    assert set(_enum(bills["status"])) == {"", *Bill.Status.values}
    people = schema["paths"]["/api/v1/coverage/participations"]["get"]["parameters"]
    assert set(_enum(next(p["schema"] for p in people if p["name"] == "status"))) == {
        "",
        *Participation.Status.values,
    }
    document = schema["components"]["schemas"]["DocumentOut"]["properties"]["doc_type"]
    assert set(_enum(document)) == set(DocumentType.values)


def test_an_unknown_status_filter_is_a_field_error(api, client):
    r = client.get("/api/v1/claims/?status=lunas", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and r.json()["field"] == "status", r.content
