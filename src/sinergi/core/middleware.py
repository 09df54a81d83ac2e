"""A SinergiError that escapes a view becomes a page with the message, not a server error."""

import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from sinergi.core.errors import API_MESSAGES, SinergiError
from sinergi.core.ratelimit import is_trusted_proxy

logger = logging.getLogger("sinergi.api")


class ErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SinergiError) and not request.path.startswith("/api/"):
            return render(
                request,
                "core/error.html",
                {"message": exception.message, "code": exception.code},
                status=exception.status,
            )
        return None


class ApiErrorMiddleware:
    """Under /api/ every error is JSON `{code, message, field}` in the request's language, including the
    404 of an unknown path, the 405 of a wrong method and a 500 that escaped the API's own handlers."""

    CODES = {404: "not_found", 405: "method_not_allowed", 500: "server_error"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return self._json(response.status_code, response)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        logger.exception("Server error on %s", request.path)
        return self._json(500)

    def _json(self, status, original=None):

        code = self.CODES.get(status, "error")
        message = {
            404: API_MESSAGES["not_found"],
            405: API_MESSAGES["method_not_allowed"],
            401: API_MESSAGES["not_authenticated"],
            403: API_MESSAGES["forbidden"],
        }.get(status, API_MESSAGES["server_error"] if status >= 500 else API_MESSAGES["request_refused"])
        response = JsonResponse({"code": code, "message": str(message)}, status=status)
        if original is not None and original.has_header("Allow"):
            response["Allow"] = original["Allow"]
        return response


class TrustedProxyMiddleware:
    """X-Forwarded-Proto and X-Forwarded-For count only when the peer is a trusted proxy
    (SINERGI_TRUSTED_PROXIES); from anyone else they are dropped before SecurityMiddleware reads
    SECURE_PROXY_SSL_HEADER, so HTTPS detection (HSTS, redirects, secure cookies) cannot be spoofed.
    The same under waitress (`sinergi serve` passes the headers through), gunicorn or any WSGI server."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):

        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            request.META.pop("HTTP_X_FORWARDED_FOR", None)
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
            header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
            if header:
                request.META.pop(header[0], None)
        return self.get_response(request)
