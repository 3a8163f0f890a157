"""The JSON API under /api/v1/: one NinjaAPI, routers from the apps, errors mapped to 4xx."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from jianbao.accounts.api_docs import LocalSwagger
from jianbao.accounts.audit_hooks import audit_denial
from jianbao.accounts.services import touch_api_token
from jianbao.bulletins.api import router as bulletins_router
from jianbao.config.api_errors import (
    http_error_detail,
    not_found_detail,
    public_errors,
    schema_error_detail,
)
from jianbao.submissions.api import router as submissions_router
from jianbao.versioning import StaleWriteError


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for integrations."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = touch_api_token(key=token, method=request.method or "GET")
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    """`X-API-Key: <token>` for clients that cannot set Authorization."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = touch_api_token(key=key, method=request.method or "GET") if key else None
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Jianbao API",
    version="1",
    description=(
        "政务信息简报系统接口。令牌：`Authorization: Bearer <token>`；"
        "浏览器使用会话登录（需 CSRF）。"
    ),
    auth=[TokenAuth(), TokenHeaderAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
    # The docs are for signed-in users only, with Swagger UI served from our own static files.
    docs=LocalSwagger(),
    docs_decorator=login_required,
)
api.add_router("/submissions", submissions_router)
api.add_router("/issues", bulletins_router)
api.add_router("/search", "jianbao.search.api.router")
api.add_router("/proofread", "jianbao.proofreading.api.router")
api.add_router("/archive", "jianbao.archive.api.router")
api.add_router("/commissions", "jianbao.commissions.api.router")


def _json(request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, payload, status=status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = error.message_dict if hasattr(error, "error_dict") else {}
    return _json(request, 400, {"detail": "；".join(error.messages), "errors": errors})


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    audit_denial(request, error)
    return _json(request, 403, {"detail": str(error) or "您无权执行此操作。"})


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _json(request, 404, {"detail": not_found_detail(error)})


@api.exception_handler(StaleWriteError)
def _stale(request: HttpRequest, error: StaleWriteError) -> HttpResponse:
    return _json(request, 409, error.payload())


@api.exception_handler(SchemaError)
def _schema_error(request: HttpRequest, error: SchemaError) -> HttpResponse:
    detail = schema_error_detail(error.errors)
    return _json(request, 422, {"detail": detail, "errors": public_errors(error.errors)})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return _json(request, error.status_code, {"detail": http_error_detail(error)})
