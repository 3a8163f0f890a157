"""Chinese reasons for the API's schema (422) and protocol (4xx) errors from django-ninja."""

from __future__ import annotations

from typing import Any

from ninja.errors import HttpError

FIELD_NAMES = {
    "body": "请求内容",
    "path": "地址参数",
    "query": "查询参数",
    "form": "表单",
    "file": "文件",
    "files": "文件",
}

_MESSAGES = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "model_type": "应为对象",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间",
    "extra_forbidden": "不是可接受的字段",
    "json_invalid": "不是有效的 JSON",
    "string_unicode": "含有无效的字符",
    "recursion_loop": "嵌套过深",
}

_BOUNDED = {
    "greater_than_equal": ("ge", "不能小于 {}"),
    "greater_than": ("gt", "应大于 {}"),
    "less_than_equal": ("le", "不能大于 {}"),
    "less_than": ("lt", "应小于 {}"),
    "string_too_long": ("max_length", "长度不能超过 {} 个字符"),
    "string_too_short": ("min_length", "长度不能少于 {} 个字符"),
    "too_long": ("max_length", "最多 {} 项"),
    "too_short": ("min_length", "至少 {} 项"),
}

_HTTP = {
    400: "请求内容不是有效的 JSON。",
    401: "未登录或令牌无效。",
    403: "您无权执行此操作。",
    404: "不存在或无权查看。",
    405: "不支持此请求方法。",
    413: "请求内容过大。",
    429: "请求过于频繁，请稍后再试。",
}


def _where(loc: list[Any] | tuple[Any, ...]) -> str:
    """`body.source_unit_ids.0` → 「source_unit_ids 第 1 项」; the part name when nothing else."""
    parts: list[str] = []
    for item in loc[1:]:
        if item in ("payload", "filters", "params"):
            continue
        if isinstance(item, int):
            parts.append(f"第 {item + 1} 项")
        else:
            parts.append(str(item))
    if not parts and loc:
        return FIELD_NAMES.get(str(loc[0]), str(loc[0]))
    return " ".join(parts)


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind in _BOUNDED:
        key, template = _BOUNDED[kind]
        limit = (error.get("ctx") or {}).get(key)
        if limit is not None:
            return template.format(limit)
    return _MESSAGES.get(kind, "取值无效")


def schema_error_detail(errors: list[dict[str, Any]]) -> str:
    """One Chinese sentence naming every field that failed and why (first five)."""
    reasons = [f"{_where(e.get('loc', ()))}：{_message(e)}" for e in errors[:5]]
    more = f"等 {len(errors)} 处" if len(errors) > 5 else ""
    return f"请求数据有误：{'；'.join(reasons)}{more}。"


def public_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors without the echoed input (which may be huge) and in Chinese."""
    return [
        {"loc": list(e.get("loc", ())), "type": e.get("type"), "msg": _message(e)}
        for e in errors[:50]
    ]


def _chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


def http_error_detail(error: HttpError) -> str:
    """ninja's English protocol messages in Chinese; our own Chinese messages pass through."""
    message = str(error)
    return message if _chinese(message) else _HTTP.get(error.status_code, "请求有误。")


def not_found_detail(error: Exception) -> str:
    """Our own Chinese 404 reason, or the generic one for Django's English 「No X matches」."""
    message = str(error)
    return message if _chinese(message) else _HTTP[404]
