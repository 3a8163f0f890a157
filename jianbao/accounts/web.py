"""What every app's views share: htmx partials and how a refused write is shown and audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianbao.accounts.audit_hooks import audit_denial
from jianbao.versioning import StaleWriteError

Refusal = ValidationError | PermissionDenied | StaleWriteError


def render_partial(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], **kw: Any
) -> HttpResponse:
    """htmx requests get the named partial, others the full page."""
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    return render(request, name, context, **kw)


def refusal_messages(request: HttpRequest, error: Refusal) -> list[str]:
    """The Chinese messages of a refused write; a denial also goes into the audit trail."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    if isinstance(error, StaleWriteError):
        return [str(error)]
    audit_denial(request, error)
    return [str(error) or "您无权执行此操作。"]


def flash_errors(request: HttpRequest, error: Refusal) -> None:
    """Show a refused write as error messages on the next page."""
    for message in refusal_messages(request, error):
        messages.error(request, message)


def add_form_errors(request: HttpRequest, form: forms.Form, error: Refusal) -> None:
    """Put a service's errors on the matching fields, the rest on the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return
    for message in refusal_messages(request, error):
        form.add_error(None, message)
