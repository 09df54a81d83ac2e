"""The one NinjaAPI at /api/v1/: session or token auth, one error shape, a router per domain app."""

import importlib
import importlib.util
import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from sinergi import DOMAIN_APPS
from sinergi.accounts.services import api_token_authenticate
from sinergi.core.errors import API_MESSAGES, SinergiError, validation_message

logger = logging.getLogger("sinergi.api")


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are stored hashed (accounts.ApiToken)."""

    def authenticate(self, request, token):

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


class ErrorItemOut(Schema):
    field: str | None = None
    message: str


class ApiErrorOut(Schema):
    """Every error from /api/: a stable code, a message in the request's language, the field."""

    code: str
    message: str
    field: str | None = None
    errors: list[ErrorItemOut] = []


# Documented on every operation that does not declare the status itself.
ERROR_RESPONSES = {
    "400": "Invalid request (code, message, field)",
    "401": "Not authenticated",
    "403": "Not allowed",
    "404": "Not found, or outside your scope",
    "409": "Conflict with the current state",
    "422": "Invalid input: the field and why, every problem in `errors`",
    "429": "Too many requests; try again later",
}


class SinergiAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "ApiErrorOut", ApiErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        components.setdefault("ErrorItemOut", ErrorItemOut.model_json_schema())
        components["ApiErrorOut"].pop("$defs", None)
        ref = {"$ref": "#/components/schemas/ApiErrorOut"}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        status, {"description": description, "content": {"application/json": {"schema": ref}}}
                    )
        return schema


api = SinergiAPI(
    title="Sinergi API",
    version="1",
    urls_namespace="api",
    description="Sinergi JSON API. Authenticate with a browser session or `Authorization: Bearer <token>` "
    "(create tokens on your profile page). Errors: `{code, message, field}` in the request's language "
    "(`Accept-Language: id` or `en`).",
    auth=[BearerToken(), HeaderToken(), CsrfSessionAuth()],
)


def _error(request, status, code, message, field=None, errors=None):
    body = {"code": code, "message": str(message)}
    if field:
        body["field"] = field
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(SinergiError)
def on_sinergi_error(request, exc: SinergiError):
    return _error(request, exc.status, exc.code, exc.message, exc.field)


def _field(loc) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
        parts = parts[1:]
    if parts and parts[0] == "payload":  # the body parameter's own name
        parts = parts[1:]
    return ".".join(parts) or None


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors = [
        {"field": _field(e.get("loc", ())), "message": str(validation_message(e))} for e in exc.errors or [{}]
    ]
    first = errors[0]
    message = str(API_MESSAGES["invalid_input"]) % {
        "field": first["field"] or str(API_MESSAGES["request"]),
        "detail": first["message"],
    }
    return _error(request, 422, "invalid_input", message, first["field"], errors)


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


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    field = None
    if hasattr(exc, "error_dict"):
        field = next(iter(exc.error_dict), None)
    return _error(request, 400, "invalid_input", " ".join(str(m) for m in exc.messages), field)


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request, exc):
    return _error(request, 400, "invalid_input", API_MESSAGES["bad_body"])


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    # A value the schema let through but the database or date arithmetic cannot hold.
    logger.warning("API input out of range on %s: %s", request.path, exc)
    return _error(request, 400, "out_of_range", API_MESSAGES["out_of_range"])


@api.exception_handler(IntegrityError)
def on_integrity_error(request, exc):
    # Services check references and uniqueness; this is the safety net behind them.
    logger.warning("API integrity error on %s: %s", request.path, exc)
    return _error(request, 409, "conflict", API_MESSAGES["integrity"])


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    logger.exception("API server error on %s", request.path)
    return _error(request, 500, "server_error", API_MESSAGES["server_error"])


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
