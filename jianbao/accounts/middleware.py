"""Request middleware: htmx partials, and the source address every audit event records."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jianbao.accounts.request_context import source_address


class HtmxMiddleware:
    """Sets `request.htmx` to True when the request came from htmx."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.htmx = request.headers.get("HX-Request") == "true"  # type: ignore[attr-defined]
        return self.get_response(request)


class AuditContextMiddleware:
    """Makes the client's address available to `record_audit_event` for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = source_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            source_address.reset(token)
