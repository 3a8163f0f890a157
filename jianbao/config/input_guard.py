"""Refuses hostile input before any view sees it, in Chinese: one mechanism for pages and the API.

Checked on every request: the URI's length (`JIANBAO_MAX_URI_LENGTH`), NUL and lone surrogates
in query parameters, form fields and JSON bodies, ids in the URL beyond any database's range.
A database error that a bad value still provokes (an integer overflow in SQLite, a value out of
range on PostgreSQL) becomes a 400 with a reason instead of a 500. Pages get a Chinese HTML page,
`/api/` gets `{"detail": "…"}`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.template.loader import render_to_string

from jianbao.bounds import bad_character_reason, id_in_range

logger = logging.getLogger(__name__)
API_PREFIX = "/api/"
OUT_OF_RANGE = "输入的数值或内容长度超出允许范围。"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse(request: HttpRequest, status: int, reason: str) -> HttpResponse:
    """A Chinese refusal: JSON `detail` under /api/, otherwise the 400/414 page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": reason}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    template = "414.html" if status == 414 else "400.html"
    html = render_to_string(template, {"reason": reason, "status": status})
    return HttpResponse(html, status=status)


def _strings(value: Any) -> Iterator[str]:
    """Every string in a parsed JSON document, keys included, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _first_bad(strings: Iterator[str]) -> str | None:
    for text in strings:
        reason = bad_character_reason(text)
        if reason:
            return reason
    return None


def _json_strings(request: HttpRequest) -> Iterator[str]:
    try:
        document = json.loads(request.body)
    except (ValueError, RecursionError):
        return iter(())  # the API answers malformed JSON itself
    return _strings(document)


def _form_strings(request: HttpRequest) -> Iterator[str]:
    for key, values in request.POST.lists():
        yield key
        yield from values


def _query_strings(request: HttpRequest) -> Iterator[str]:
    for key, values in request.GET.lists():
        yield key
        yield from values


def _path_strings(request: HttpRequest) -> Iterator[str]:
    yield request.path_info


def check_request(request: HttpRequest) -> tuple[int, str] | None:
    """The status and Chinese reason to refuse this request with, or None when it may go on."""
    limit = settings.JIANBAO_MAX_URI_LENGTH
    if len(request.path_info) + len(request.META.get("QUERY_STRING", "")) > limit:
        return 414, f"请求地址过长（超过 {limit} 个字符），请缩短检索词或筛选条件。"
    try:
        reason = _first_bad(_query_strings(request)) or _first_bad(_path_strings(request))
        if reason is None and request.method in ("POST", "PUT", "PATCH", "DELETE"):
            content_type = request.content_type or ""
            if content_type in FORM_TYPES:
                reason = _first_bad(_form_strings(request))
            elif request.path.startswith(API_PREFIX):
                reason = _first_bad(_json_strings(request))
    except RequestDataTooBig:
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return 413, f"请求内容过大（超过 {limit_mb} MB）。"
    except SuspiciousOperation:
        return 400, "请求的字段或文件数量过多。"
    return (400, reason) if reason else None


class InputGuardMiddleware:
    """Answers bad input with a Chinese 4xx before (or instead of) the view's 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = check_request(request)
        if refusal is not None:
            return refuse(request, *refusal)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        """An id in the URL beyond any database's range names nothing: 404 before the lookup."""
        if all(id_in_range(value) for value in (*view_args, *view_kwargs.values())):
            return None
        return refuse(request, 404, "不存在或无权查看。")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The last line: a value the database cannot hold is the caller's error, not ours."""
        if isinstance(exception, OverflowError | DataError):
            logger.warning("refused %s %s: %s", request.method, request.path, exception)
            return refuse(request, 400, OUT_OF_RANGE)
        if isinstance(exception, UnicodeEncodeError) and "surrogate" in str(exception):
            return refuse(request, 400, "内容含有无效的 Unicode 字符（孤立的代理项），无法保存。")
        if isinstance(exception, ValueError) and "NUL" in str(exception):
            return refuse(request, 400, "内容含有空字符（NUL），无法保存。")
        if isinstance(exception, RawPostDataException):
            # A form (read above to check its fields) sent to an endpoint that takes JSON.
            return refuse(
                request, 415, "此接口需要 JSON 格式的请求体（Content-Type: application/json）。"
            )
        return None
