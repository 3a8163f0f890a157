"""Sign-in security in a real browser (Playwright driving Debian's headless chromium): TOTP
enrolment and login computing the code from the device key, and the session-expiry warning that
keeps unsaved text across a new sign-in."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from jianbao.accounts.models import User
from jianbao.accounts.two_factor import current_code
from jianbao.conftest import BROWSER_TEST, PASSWORD, browser_login

pytestmark = BROWSER_TEST


def test_chief_enrols_an_authenticator_then_signs_in_with_a_code(
    browser: Any, live_server: Any, chief: User
) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/otp/setup/")
    assert "必须启用双因素认证" in page.content()
    assert page.locator("#otp-qr svg").count() == 1  # the QR code is drawn by the server
    secret = page.inner_text("#otp-secret")
    device = TOTPDevice.objects.get(user=chief, confirmed=False)
    from jianbao.accounts.two_factor import secret_base32

    assert secret == secret_base32(device)
    page.fill("#id_code", current_code(device))
    page.click("#otp-submit")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    page.click("text=我已保存，继续")
    page.goto(f"{base}/accounts/security/")
    assert "已启用" in page.content()
    page.close()

    # A second sign-in asks for a code; the code of the next period is typed (the current one
    # was used by the enrolment and is accepted once).
    again = browser.new_page()
    again.goto(f"{base}/accounts/login/")
    again.fill("#id_username", "chief")
    again.fill("#id_password", PASSWORD)
    again.click("button[type=submit]")
    again.wait_for_url("**/accounts/otp/verify/**")
    device.refresh_from_db()
    again.fill("#id_code", current_code(device, steps_ahead=1))
    again.click("#otp-submit")
    again.wait_for_load_state("networkidle")
    assert "/accounts/otp/" not in again.url and "/accounts/login/" not in again.url
    again.goto(f"{base}/accounts/tokens/")
    assert "API 令牌" in again.content()


def test_the_shared_browser_login_helper_passes_the_second_factor(
    browser: Any, live_server: Any, auditor: User
) -> None:
    page = browser.new_page()
    browser_login(page, live_server.url, auditor)
    page.goto(f"{live_server.url}/accounts/security/")
    assert "双因素认证" in page.content() and "已启用" in page.content()


def test_expiry_warning_and_unsaved_text_kept_across_sign_in(
    browser: Any, live_server: Any, reporter_a: User, settings: Any
) -> None:
    settings.JIANBAO_SESSION_IDLE_MINUTES = 0.15  # 9 s
    settings.JIANBAO_SESSION_WARN_SECONDS = 8
    base = live_server.url
    page = browser.new_page()
    browser_login(page, base, reporter_a)
    page.goto(f"{base}/submissions/new/")
    page.wait_for_selector("#session-warning", state="visible", timeout=5000)
    assert "继续工作" in page.inner_text("#session-warning")
    page.click("#session-continue")
    page.wait_for_selector("#session-warning", state="hidden", timeout=5000)

    page.fill("#id_title", "超时前写的标题")
    page.fill("#id_body", "超时前写了一半的正文。")
    page.wait_for_url("**/accounts/login/**", timeout=20000)  # the page gives up the session
    settings.JIANBAO_SESSION_IDLE_MINUTES = 30
    page.fill("#id_username", "reporter_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#draft-restored", timeout=5000)
    assert page.input_value("#id_body") == "超时前写了一半的正文。"
    assert page.input_value("#id_title") == "超时前写的标题"


def test_api_docs_render_from_local_assets_under_the_csp(
    browser: Any, live_server: Any, reporter_a: User
) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    browser_login(page, live_server.url, reporter_a)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15000)  # the operations, drawn by Swagger UI
    assert "Jianbao API" in page.inner_text("body")
    assert outside == []  # no CDN, nothing from outside the server
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]
