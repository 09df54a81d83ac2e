"""No input gets a 500 from /api/: bounded integers, dates and years, typed PATCH bodies, references
checked, every error in the `{code, message, field}` shape in the request's language (issue 12 item 4)."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from sinergi.accounts.services import api_token_create
from sinergi.config.api import api
from tests.factories import EmployerFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(admin_user):
    def make(user=None, language="en"):
        _token, raw = api_token_create(user=user or admin_user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language)

    return make


def _error(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"code", "message"}
    assert body["message"]
    if field is not None:
        assert body.get("field") == field, body
    return body


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/v1/registry/people?page={2**63}", "page"),
        (f"/api/v1/unions/bodies?parent=-4823&page={2**200}", "parent"),
        (f"/api/v1/programs/applications?program={10**20}", "program"),
        (f"/api/v1/coverage/gap?employer={2**66}", "employer"),
        (f"/api/v1/registry/people/{10**30}", "pk"),
        ("/api/v1/meetings/?year=-5", "year"),
        ("/api/v1/meetings/?year=33406185", "year"),
        ("/api/v1/meetings/cadence?page_size=9150&page=101216098209423728", "page"),
        ("/api/v1/core/audit?date_from=0001-01-01", "date_from"),
        ("/api/v1/registry/people?body=abc", "body"),
    ],
)
def test_out_of_range_and_wrong_type_parameters_are_field_errors_not_500(client_for, path, field):
    body = _error(client_for().get(path), 422, field)
    assert body["code"] == "invalid_input"
    assert body["errors"][0]["field"] == field


def test_validation_messages_follow_the_request_language(client_for):
    en = _error(client_for(language="en").get("/api/v1/registry/people?body=abc"), 422, "body")
    assert "Enter a whole number." in en["message"]
    idn = _error(client_for(language="id").get("/api/v1/registry/people?body=abc"), 422, "body")
    assert "Masukkan bilangan bulat." in idn["message"]


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("person", {"name": None}, "name"),
        ("person", {"kk_number": None, "employment_type": None}, "kk_number"),
        ("employer", {"name": None}, "name"),
        ("employer", {"jkk_risk_class": None}, "jkk_risk_class"),
        ("membership", {"member_number": None}, "member_number"),
        ("membership", {"verified": None}, "verified"),
    ],
)
def test_patch_with_null_on_a_required_field_is_a_field_error_and_changes_nothing(
    client_for, kind, payload, field
):
    if kind == "person":
        obj = PersonFactory(domicile_region_id="317205")
        url = f"/api/v1/registry/people/{obj.pk}"
    elif kind == "employer":
        obj = EmployerFactory()
        url = f"/api/v1/registry/employers/{obj.pk}"
    else:
        obj = MembershipFactory(member_number="A-1")
        url = f"/api/v1/unions/memberships/{obj.pk}"
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    response = client_for().patch(url, data=json.dumps(payload), content_type="application/json")
    _error(response, 422, field)
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields} == before


def test_a_nullable_patch_field_still_accepts_null(client_for):
    person = PersonFactory(domicile_region_id="317205", welfare_decile=3)
    response = client_for().patch(
        f"/api/v1/registry/people/{person.pk}",
        data=json.dumps({"welfare_decile": None}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.welfare_decile is None


def test_references_to_nothing_are_refused_on_the_field(client_for):
    c = client_for()
    r = c.post(
        "/api/v1/registry/employers",
        data=json.dumps({"name": "PT Tidak Ada", "region_id": "e"}),
        content_type="application/json",
    )
    _error(r, 400, "region_id")
    r = c.post(
        "/api/v1/unions/bodies",
        data=json.dumps({"name": "SP Uji", "kind": "union", "region_id": "3172", "employer_id": 999_999_999}),
        content_type="application/json",
    )
    assert _error(r, 400, "employer_id")["code"] == "unknown_reference"
    r = c.post(
        "/api/v1/unions/bodies",
        data=json.dumps({"name": "SP Uji", "kind": "", "region_id": "3172"}),
        content_type="application/json",
    )
    _error(r, 400, "kind")
    r = c.post(
        "/api/v1/programs/distributions",
        data=json.dumps(
            {
                "name": "Sembako",
                "region": "999999",
                "event_date": "2026-08-01",
                "place": "Balai",
                "package": "paket",
                "stock_received": 10,
            }
        ),
        content_type="application/json",
    )
    _error(r, 400, "region")


def test_huge_numbers_in_bodies_are_field_errors(client_for):
    c = client_for()
    r = c.post(
        "/api/v1/programs/distributions/1/allocations",
        data=json.dumps({"bodies": [-88050649652814799699968]}),
        content_type="application/json",
    )
    _error(r, 422, "bodies.0")
    r = c.put(
        "/api/v1/programs/1/targets",
        data=json.dumps({"year": 18992248400110898956929231294038016, "annual": 1}),
        content_type="application/json",
    )
    _error(r, 422, "year")


def test_unknown_path_wrong_method_and_server_error_answer_json(client_for, monkeypatch):
    c = client_for(language="id")
    body = _error(c.get("/api/v1/no-such-thing"), 404)
    assert body["code"] == "not_found" and body["message"] == "Tidak ditemukan, atau di luar cakupan Anda."
    r = c.delete("/api/v1/regions/")
    body = _error(r, 405)
    assert body["code"] == "method_not_allowed" and "GET" in r["Allow"]

    from sinergi.registry import selectors

    def boom(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "person_get", boom)
    body = _error(client_for(language="en").get("/api/v1/registry/people/1"), 500)
    assert body["code"] == "server_error"
    assert "a bug" not in body["message"]


def _sinergi_models(annotation, seen):
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _sinergi_models(field.annotation, seen)
    for arg in get_args(annotation):
        _sinergi_models(arg, seen)


def test_every_schema_name_in_openapi_belongs_to_one_class():
    seen = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for model in list(op.models) + list((op.response_models or {}).values()):
                    _sinergi_models(model, seen)
    by_name = {}
    for model in seen:
        if model.__module__.startswith("sinergi."):
            by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    duplicates = {name: classes for name, classes in by_name.items() if len(classes) > 1}
    assert not duplicates


def test_openapi_documents_each_operation_with_its_own_schema_and_error_shape():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    assert "kind" in components["JobOut"]["properties"]  # core's job, not registry's import answer
    assert "JobOut" in json.dumps(schema["paths"]["/api/v1/core/jobs"]["get"]["responses"]["200"])
    payments = schema["paths"]["/api/v1/coverage/payments"]["get"]["responses"]["200"]
    assert "ContributionPaymentOut" in json.dumps(payments)
    imported = schema["paths"]["/api/v1/coverage/payments/import"]["post"]["responses"]["400"]
    ref = imported["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "errors" in components[ref]["properties"]
    assert "errors" in components["ApiErrorOut"]["properties"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for status in ("401", "404", "422"):
                assert status in operation["responses"], (method, path, status)


def test_the_contribution_quote_accepts_a_wage_written_as_officers_write_it(client_for):
    c = client_for()

    def quote(wage):
        response = c.post(
            "/api/v1/coverage/quote",
            data=json.dumps({"segment": "PU", "month": "2026-03", "wage": wage, "risk_class": 1}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return response.json()

    plain = quote(5000000)
    assert Decimal(plain["total"]) > 0
    assert "5000000" in {str(line["basis"]) for line in plain["lines"]}
    for written in ("5.000.000", "Rp 5.000.000", "5000000", "5.000.000,00"):
        assert quote(written) == plain, written
    _error(
        c.post(
            "/api/v1/coverage/quote",
            data=json.dumps({"segment": "PU", "month": "2026-03", "wage": "lima juta"}),
            content_type="application/json",
        ),
        422,
        "wage",
    )


def test_a_not_null_patch_field_may_be_left_out_but_not_sent_as_null():
    from ninja import Schema
    from pydantic import ValidationError

    from sinergi.core.apitypes import Count, NotNull

    class Patch(Schema):
        name: NotNull[str] = None
        size: NotNull[Count] = None

    assert Patch().model_dump(exclude_unset=True) == {}
    assert Patch(name="Budi", size=3).model_dump(exclude_unset=True) == {"name": "Budi", "size": 3}
    for bad in ({"name": None}, {"size": None}, {"size": -1}):
        with pytest.raises(ValidationError):
            Patch(**bad)
