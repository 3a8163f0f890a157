"""Pages of notifications: the list under the bell, preferences, office webhooks (admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.web import add_form_errors, flash_errors, render_partial
from jianbao.notifications import selectors, services
from jianbao.notifications.forms import PreferenceForm, WebhookForm
from jianbao.notifications.models import NotificationKind, OfficeWebhook

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_admin(user: User) -> None:
    if not user.is_superuser:
        raise PermissionDenied("只有管理员可以设置群机器人。")


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications: unread by default, or all."""
    user = _user(request)
    show_all = request.GET.get("show") == "all"
    qs = selectors.notifications_of(user, unread_only=not show_all)
    context = {
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "show_all": show_all,
        "unread": selectors.unread_count(user),
    }
    return render_partial(request, "notifications/list.html", "results", context)


def _safe_target(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return "/notifications/"


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go to what it is about."""
    user = _user(request)
    notification = selectors.get_notification(user, pk)
    services.do_mark_read(user=user, notification=notification)
    return redirect(_safe_target(request, notification.url))


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and stay on the list."""
    user = _user(request)
    services.do_mark_read(user=user, notification=selectors.get_notification(user, pk))
    return redirect(_safe_target(request, request.POST.get("next", "")))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the user read."""
    count = services.do_mark_all_read(user=_user(request))
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("notifications:list")


def _preference_initial(user: User) -> dict[str, Any]:
    preference = selectors.preference_of(user)
    muted = set(preference.muted_kinds) if preference else set()
    return {
        "inapp_kinds": [k for k in NotificationKind.values if k not in muted],
        "email_kinds": sorted(services.email_kinds_of(preference)),
        "quiet_start": preference.quiet_start if preference else None,
        "quiet_end": preference.quiet_end if preference else None,
    }


def _kind_rows(form: PreferenceForm) -> list[dict[str, Any]]:
    """One row per kind with its two checkboxes (站内, 邮件), as posted or as saved."""
    if form.is_bound:
        data: Any = form.data
        inapp, email = set(data.getlist("inapp_kinds")), set(data.getlist("email_kinds"))
    else:
        inapp, email = set(form.initial["inapp_kinds"]), set(form.initial["email_kinds"])
    return [
        {"value": value, "label": label, "inapp": value in inapp, "email": value in email}
        for value, label in NotificationKind.choices
    ]


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Which kinds a person receives, which also by e-mail, and quiet hours."""
    user = _user(request)
    form = PreferenceForm(request.POST or None, initial=_preference_initial(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_save_preferences(
                user=user,
                muted_kinds=[k for k in NotificationKind.values if k not in data["inapp_kinds"]],
                email_kinds=data["email_kinds"],
                quiet_start=data["quiet_start"],
                quiet_end=data["quiet_end"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, "提醒设置已保存。")
            return redirect("notifications:settings")
    context = {
        "form": form,
        "rows": _kind_rows(form),
        "email_enabled": services.email_enabled(),
        "has_email": bool(user.email),
    }
    return render(request, "notifications/settings.html", context)


def _save_webhook(request: HttpRequest, form: WebhookForm, webhook: OfficeWebhook | None) -> bool:
    if not form.is_valid():
        return False
    try:
        services.do_save_webhook(actor=_user(request), webhook=webhook, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        add_form_errors(request, form, error)
        return False
    messages.success(request, "群机器人设置已保存。")
    return True


@login_required
def webhooks(request: HttpRequest) -> HttpResponse:
    """The office's group robots (admin): list and add."""
    user = _user(request)
    _require_admin(user)
    form = WebhookForm(request.POST or None, initial={"kinds": [NotificationKind.ISSUE_PUBLISHED]})
    if request.method == "POST" and _save_webhook(request, form, None):
        return redirect("notifications:webhooks")
    context = {"webhooks": selectors.webhooks_visible_to(user), "form": form, "editing": None}
    return render(request, "notifications/webhooks.html", context)


@login_required
def webhook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one group robot (admin)."""
    user = _user(request)
    _require_admin(user)
    webhook = selectors.get_webhook(user, pk)
    initial = {
        "name": webhook.name,
        "url": webhook.url,
        "flavour": webhook.flavour,
        "enabled": webhook.enabled,
        "kinds": webhook.kinds,
    }
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save_webhook(request, form, webhook):
        return redirect("notifications:webhooks")
    context = {"webhooks": selectors.webhooks_visible_to(user), "form": form, "editing": webhook}
    return render(request, "notifications/webhooks.html", context)


@login_required
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a group robot (admin)."""
    user = _user(request)
    _require_admin(user)
    services.do_delete_webhook(actor=user, webhook=selectors.get_webhook(user, pk))
    messages.success(request, "群机器人已删除。")
    return redirect("notifications:webhooks")


@login_required
@require_POST
def retry_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a failed delivery again (admin)."""
    user = _user(request)
    if not user.is_superuser:
        raise PermissionDenied("只有管理员可以重发消息。")
    try:
        services.do_retry_delivery(actor=user, delivery=selectors.get_failed_delivery(user, pk))
        messages.success(request, "已重新排队发送。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("home")
