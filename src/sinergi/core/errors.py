"""One error type for services: a stable code, a translatable message a person can act on, the field."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The API's own messages (config/api.py), kept here so they live in the core catalogue.
API_MESSAGES = {
    "not_authenticated": _("Log in or send a valid API token."),
    "forbidden": _("You do not have access to this."),
    "not_found": _("Not found, or outside your scope."),
    "invalid_input": _("Invalid input for %(field)s: %(detail)s"),
    "request": _("request"),
}


class SinergiError(Exception):
    """Raised by services and selectors; views show `message`, the API returns {code, message, field}.

    `message` should be a gettext_lazy string so it renders in the request's language.
    """

    status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str = "invalid",
        field: str | None = None,
        status: int | None = None,
    ):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(SinergiError):
    status = 403

    def __init__(self, message, *, code="forbidden", field=None):
        super().__init__(message, code=code, field=field)


class Conflict(SinergiError):
    """The request is valid but the state forbids it (already paid, already handed over, locked)."""

    status = 409

    def __init__(self, message, *, code="conflict", field=None):
        super().__init__(message, code=code, field=field)


class NotFound(SinergiError):
    status = 404

    def __init__(self, message, *, code="not_found", field=None):
        super().__init__(message, code=code, field=field)
