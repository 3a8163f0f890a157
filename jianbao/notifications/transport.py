"""Sending: e-mail through Django's mail backend, webhook JSON over HTTP(S) with a timeout."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from jianbao.notifications.payloads import message_text, webhook_error, webhook_payload


class SendError(Exception):
    """A channel refused or did not answer; the message is retried later."""


def absolute_link(url: str) -> str:
    """The link as people outside the browser need it (JIANBAO_SITE_URL + path), or ''."""
    base = settings.JIANBAO_SITE_URL.rstrip("/")
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{base}{url}" if base else ""


def send_email(*, address: str, title: str, body: str, url: str) -> None:
    """One plain-text mail; SMTP errors and timeouts become `SendError`."""
    text = message_text(title=title, body=body, link=absolute_link(url))
    try:
        connection = get_connection(timeout=settings.JIANBAO_NOTIFY_TIMEOUT_SECONDS)
        EmailMessage(
            subject=f"【简报】{title}"[:200],
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=connection,
        ).send(fail_silently=False)
    except (OSError, ValueError) as error:  # smtplib errors are OSErrors
        raise SendError(f"邮件发送失败：{error}") from error


def post_webhook(*, url: str, flavour: str, title: str, body: str, link_url: str) -> None:
    """POST the robot JSON; a non-2xx answer, an error code or a timeout is a `SendError`."""
    payload = webhook_payload(flavour, title=title, body=body, link=absolute_link(link_url))
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(
            request, timeout=settings.JIANBAO_NOTIFY_TIMEOUT_SECONDS
        ) as response:
            answer = response.read(64 * 1024)
    except urllib.error.HTTPError as error:
        raise SendError(f"群机器人返回 HTTP {error.code}") from error
    except (OSError, ValueError) as error:  # URLError, timeouts, refused connections
        raise SendError(f"群机器人无法连接：{error}") from error
    refused = webhook_error(flavour, answer)
    if refused:
        raise SendError(f"群机器人拒收：{refused}")
