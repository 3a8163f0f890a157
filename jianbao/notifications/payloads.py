"""Pure: the robot-webhook JSON of 企业微信, 钉钉 and 飞书, and how each reports success.

No Django import, so the shapes are tested without a database."""

from __future__ import annotations

import json
from typing import Any

WECOM = "wecom"
DINGTALK = "dingtalk"
FEISHU = "feishu"


def message_text(*, title: str, body: str = "", link: str = "") -> str:
    """The plain text of a message: title, body, then the link when there is one."""
    parts = [f"【简报】{title}"]
    if body:
        parts.append(body)
    if link:
        parts.append(link)
    return "\n".join(parts)


def _markdown(*, title: str, body: str, link: str) -> str:
    lines = [f"**{title}**"]
    if body:
        lines.append(body)
    if link:
        lines.append(f"[查看详情]({link})")
    return "\n\n".join(lines)


def webhook_payload(flavour: str, *, title: str, body: str = "", link: str = "") -> dict[str, Any]:
    """The JSON body a group robot of this flavour accepts."""
    if flavour == WECOM:
        return {
            "msgtype": "markdown",
            "markdown": {"content": _markdown(title=title, body=body, link=link)},
        }
    if flavour == DINGTALK:
        return {
            "msgtype": "markdown",
            "markdown": {"title": title[:60], "text": _markdown(title=title, body=body, link=link)},
        }
    if flavour == FEISHU:
        return {
            "msg_type": "text",
            "content": {"text": message_text(title=title, body=body, link=link)},
        }
    raise ValueError(f"unknown webhook flavour {flavour!r}")


def webhook_error(flavour: str, response_body: bytes) -> str | None:
    """None when the robot accepted the message, else its error (robots answer HTTP 200 with a
    code: 企业微信 and 钉钉 `errcode`, 飞书 `code` or `StatusCode`)."""
    try:
        data = json.loads(response_body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return None  # not JSON: a 2xx status is all there is to go by
    if not isinstance(data, dict):
        return None
    for key in ("errcode", "code", "StatusCode"):
        code = data.get(key)
        if code not in (None, 0, "0"):
            message = data.get("errmsg") or data.get("msg") or data.get("StatusMessage") or ""
            return f"{key}={code} {message}".strip()
    return None
