"""API tokens: hashed, shown once; malformed, unknown, revoked or expired tokens get 401 in one error shape."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.accounts.models import ApiToken, hash_token
from sinergi.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"


def _get(client, path, token=None, **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(path, **headers)


def test_a_token_is_stored_only_as_its_hash(agency_officer):
    token, raw = api_token_create(user=agency_officer, name="laptop")
    assert raw.startswith("sng_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_token(raw)
    assert raw not in (stored.token_hash, stored.prefix, stored.name)


def test_me_with_a_valid_token(client, agency_officer):
    _token, raw = api_token_create(user=agency_officer, name="laptop")
    response = _get(client, ME, raw)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == agency_officer.username
    assert body["role"] == "agency_officer"
    assert body["scope"]["region_prefixes"] == ["31"]
    assert body["scope"]["is_global"] is False
    assert "reveal_nik" in body["capabilities"] and "manage_users" not in body["capabilities"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer not-a-sinergi-token",
        "Bearer sng_" + "x" * 200,
        "Bearer sng_unknowntoken000000000000000000000000000",
        "Basic dXNlcjpwYXNz",
        "sng_no_scheme",
    ],
)
def test_malformed_or_unknown_tokens_get_401_with_the_one_error_shape(client, agency_officer, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "Log in or send a valid API token."}


def test_revoked_and_expired_tokens_get_401(client, agency_officer):
    _t1, revoked = api_token_create(user=agency_officer, name="old")
    api_token_revoke(user=agency_officer, token_id=_t1.pk)
    t2, expired = api_token_create(user=agency_officer, name="expired")
    ApiToken.objects.filter(pk=t2.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for raw in (revoked, expired):
        response = _get(client, ME, raw)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    # The message follows the request's language.
    response = _get(client, ME, revoked, HTTP_ACCEPT_LANGUAGE="id")
    assert response.json()["message"] == "Silakan masuk atau kirim token API yang sah."


def test_a_token_of_a_deactivated_user_stops_working(client, agency_officer):
    _t, raw = api_token_create(user=agency_officer, name="x")
    agency_officer.is_active = False
    agency_officer.save()
    assert _get(client, ME, raw).status_code == 401


def test_no_credentials_at_all_get_401(client):
    assert client.get(ME).status_code == 401


def test_tokens_api_creates_lists_and_revokes_only_my_tokens(client, agency_officer, make_user):
    other = make_user("agency_officer", region="35")
    other_token, _ = api_token_create(user=other, name="theirs")
    client.force_login(agency_officer)
    created = client.post(
        "/api/v1/accounts/tokens", {"name": "script", "days_valid": 30}, content_type="application/json"
    )
    assert created.status_code == 201
    raw = created.json()["token"]
    assert _get(client.__class__(), ME, raw).json()["username"] == agency_officer.username
    listed = client.get("/api/v1/accounts/tokens").json()
    assert [t["name"] for t in listed] == ["script"]
    assert "token" not in listed[0]
    assert client.get(f"/api/v1/accounts/tokens/{other_token.pk}").status_code == 404
    refused = client.post(f"/api/v1/accounts/tokens/{other_token.pk}/revoke")
    assert refused.status_code == 403
    assert ApiToken.objects.get(pk=other_token.pk).revoked_at is None
    revoked = client.post(f"/api/v1/accounts/tokens/{created.json()['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["usable"] is False


def test_creating_a_token_without_a_name_says_so(client, agency_officer):
    client.force_login(agency_officer)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "  "}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "required",
        "message": "Give the token a name so you can recognise it later.",
        "field": "name",
    }
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "x", "days_valid": 0}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["field"] == "days_valid"
    assert ApiToken.objects.count() == 0


def test_session_writes_to_the_api_need_the_csrf_token(agency_officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(agency_officer)
    response = client.post("/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", ""])
def test_revoking_a_bad_token_id_is_a_message_not_a_server_error(client, bad, django_user_model):
    user = django_user_model.objects.create_user("token.bad", password="Sandi-Uji-Panjang-2026")
    client.force_login(user)
    response = client.post("/accounts/profile/", {"revoke": bad})
    assert response.status_code == 200
    assert 'data-testid="revoke-errors"' in response.content.decode()
    assert "Token itu bukan milik Anda." in response.content.decode()
