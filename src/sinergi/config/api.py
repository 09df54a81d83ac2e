"""The one NinjaAPI at /api/v1/: session or token auth, one error shape, a router per domain app."""

import importlib
import importlib.util

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from sinergi import DOMAIN_APPS
from sinergi.core.errors import API_MESSAGES, SinergiError


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are stored hashed (accounts.ApiToken)."""

    def authenticate(self, request, token):
        from sinergi.accounts.services import api_token_authenticate

        user = api_token_authenticate(raw_token=token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return BearerToken().authenticate(request, key)


class CsrfSessionAuth(SessionAuth):
    """Browser session; unsafe methods need the CSRF token like any form."""


api = NinjaAPI(
    title="Sinergi API",
    version="1",
    urls_namespace="api",
    description="Sinergi JSON API. Authenticate with a browser session or `Authorization: Bearer <token>` "
    "(create tokens on your profile page). Errors: `{code, message, field}` in the request's language "
    "(`Accept-Language: id` or `en`).",
    auth=[BearerToken(), HeaderToken(), CsrfSessionAuth()],
)


def _error(request, status, code, message, field=None):
    body = {"code": code, "message": str(message)}
    if field:
        body["field"] = field
    return api.create_response(request, body, status=status)


@api.exception_handler(SinergiError)
def on_sinergi_error(request, exc: SinergiError):
    return _error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("body", "query", "path", "payload", "form")]
    field = ".".join(loc) or None
    detail = first.get("msg", "")
    message = str(API_MESSAGES["invalid_input"]) % {
        "field": field or str(API_MESSAGES["request"]),
        "detail": detail,
    }
    return _error(request, 422, "invalid_input", message, field)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "not_authenticated", API_MESSAGES["not_authenticated"])


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, "forbidden", API_MESSAGES["forbidden"])


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", API_MESSAGES["not_found"])


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", str(exc))


def _mount_routers():
    for app in DOMAIN_APPS:
        module_name = f"{app}.api"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(f"/{app.rsplit('.', 1)[1]}/", router)


_mount_routers()
