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
    "out_of_range": _("A value is out of the range Sinergi accepts."),
    "integrity": _("This conflicts with existing data or refers to a record that does not exist."),
    "server_error": _(
        "Something went wrong on our side. The error has been recorded; please try again later."
    ),
    "method_not_allowed": _("This method is not allowed here."),
    "request_refused": _("The request was refused."),
    "rate_limited": _("Too many requests from your address. Try again in a few minutes."),
    "bad_body": _(
        "The request body cannot be read; send it as JSON or as multipart form data with a boundary."
    ),
}

# Field messages for API input errors, by pydantic error type (the request's language, not pydantic's English).
_VALIDATION_MESSAGES = {
    "missing": _("This field is required."),
    "string_type": _("Enter text."),
    "string_too_long": _("Enter at most %(max_length)s characters."),
    "string_too_short": _("Enter at least %(min_length)s characters."),
    "int_type": _("Enter a whole number."),
    "int_parsing": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "float_type": _("Enter a number."),
    "float_parsing": _("Enter a number."),
    "decimal_type": _("Enter a number."),
    "decimal_parsing": _("Enter a number."),
    "bool_type": _("Enter true or false."),
    "bool_parsing": _("Enter true or false."),
    "date_type": _("Enter a date as YYYY-MM-DD."),
    "date_parsing": _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": _("Enter a date as YYYY-MM-DD."),
    "datetime_type": _("Enter a date and time (ISO 8601)."),
    "datetime_parsing": _("Enter a date and time (ISO 8601)."),
    "datetime_from_date_parsing": _("Enter a date and time (ISO 8601)."),
    "greater_than_equal": _("Enter a value of at least %(ge)s."),
    "greater_than": _("Enter a value greater than %(gt)s."),
    "less_than_equal": _("Enter a value of at most %(le)s."),
    "less_than": _("Enter a value less than %(lt)s."),
    "list_type": _("Enter a list."),
    "dict_type": _("Enter an object."),
    "model_type": _("Enter an object."),
    "model_attributes_type": _("Enter an object."),
    "json_invalid": _("The request body is not valid JSON."),
    "literal_error": _("Choose one of: %(expected)s."),
    "enum": _("Choose one of: %(expected)s."),
    "uuid_parsing": _("Enter a valid identifier."),
}
_INVALID = _("This value is not valid.")


def validation_message(error: dict):
    """A translated message for one pydantic error dict (type, ctx), falling back to a generic one."""
    template = _VALIDATION_MESSAGES.get(error.get("type", ""))
    if template is None:
        if error.get("type") == "value_error" and error.get("msg"):
            return str(error["msg"]).removeprefix("Value error, ")
        return _INVALID
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return str(template) % ctx if "%(" in str(template) else template
    except (KeyError, ValueError):
        return _INVALID


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

    def add_to_form(self, form, aliases: dict[str, str] | None = None) -> None:
        """Show this refusal on the form field it names (`aliases` maps a service's field name to the
        form's, used when the form has that field), or above the form when the form has neither."""
        alias = (aliases or {}).get(self.field or "")
        field = alias if alias in form.fields else self.field
        form.add_error(field if field in form.fields else None, str(self.message))


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


def check_exists(model, pk, *, field: str) -> None:
    """Refuse a reference to a row that does not exist (a clear 400 on the field, not a database error)."""
    if pk in (None, ""):
        return
    if not model._default_manager.filter(pk=pk).exists():
        raise SinergiError(
            _("There is no %(what)s %(id)s.") % {"what": model._meta.verbose_name, "id": pk},
            code="unknown_reference",
            field=field,
        )


def check_choice(value, choices, *, field: str) -> None:
    """Refuse a value outside a model's choices, naming the accepted ones."""
    if value not in choices:
        raise SinergiError(
            _VALIDATION_MESSAGES["literal_error"] % {"expected": ", ".join(str(c) for c in choices)},
            code="bad_choice",
            field=field,
        )
