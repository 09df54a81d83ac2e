"""Request context for logs (request id, user id — never names, NIKs or other personal data) and JSON logs.

`RequestContextMiddleware` takes the proxy's `X-Request-ID` (or makes one), keeps it and the user's
numeric id in context variables for the duration of the request, returns it as `X-Request-ID`, and
times the request for the metrics. `ContextFilter` adds both to every log record; `JsonFormatter`
writes one JSON object per line when `SINERGI_LOG_FORMAT=json`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("sinergi_request_id", default="")
user_id_var: ContextVar[str] = ContextVar("sinergi_user_id", default="")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class ContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "user_id"):
            value = getattr(record, key, "")
            if value:
                entry[key] = value
        for key in ("method", "path", "status", "duration_ms", "view"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


access_log = logging.getLogger("sinergi.request")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        rid_token = request_id_var.set(rid)
        uid_token = user_id_var.set("")
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response["X-Request-ID"] = rid
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        # deferred: settings.LOGGING loads this module before Django's app registry is ready; metrics imports models
        from sinergi.ops.metrics import observe_request

        observe_request(view=view, method=request.method, status=response.status_code, seconds=elapsed)
        access_log.info(
            "%s %s %s",
            request.method,
            view,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path if view == "unmatched" else view,  # view names, not ids in paths
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
                "view": view,
            },
        )
        request_id_var.reset(rid_token)
        user_id_var.reset(uid_token)
        return response


class UserContextMiddleware:
    """After authentication: the user's numeric id (only) for the log records of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(str(user.pk))
        return self.get_response(request)
