"""Helpers shared by the issue pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianbao.accounts.models import User
from jianbao.bulletins.policy import may_edit_issues


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def render_partial(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], **kw: Any
) -> HttpResponse:
    """htmx requests get the named partial, others the full page."""
    name = f"{template}#{partial}" if is_htmx(request) else template
    return render(request, name, context, **kw)


def error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or "您无权执行此操作。"]


def flash_errors(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    for message in error_messages(error):
        messages.error(request, message)


def add_form_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Put a service's errors on the matching fields, the rest on the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return
    for message in error_messages(error):
        form.add_error(None, message)


def require_office(user: User) -> None:
    """Pages that assemble issues are for the bulletin office only."""
    if not may_edit_issues(user):
        raise PermissionDenied("只有信息科编辑和签发人可以编辑期刊。")
