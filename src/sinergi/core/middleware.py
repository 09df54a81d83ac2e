"""A SinergiError that escapes a view becomes a page with the message, not a server error."""

from django.shortcuts import render

from sinergi.core.errors import SinergiError


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
