"""Takes a screenshot of each main page with Playwright in headless chromium, at the office's
1366×768 (docs/screenshots/NAME.png) and at a phone's 390×844 (docs/screenshots/phone/NAME.png).

Usage: .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--sizes desk,phone]
       [--port 8130] [--only inbox,help]
Builds a fresh demo database in a temporary folder and serves it on a private port (--port, or
JIANBAO_SCREENSHOT_PORT), so it never touches your own data.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, ViewportSize, sync_playwright

from jianbao.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("JIANBAO_SCREENSHOT_PORT", "8130"))
BASE = f"http://127.0.0.1:{PORT}"
# name → (viewport, sub-folder of --out, phone-like touch screen)
SIZES: dict[str, tuple[ViewportSize, str, bool]] = {
    "desk": ({"width": 1366, "height": 768}, "", False),
    "phone": ({"width": 390, "height": 844}, "phone", True),
}
REFERENCE_TEXT = ROOT / "jianbao" / "text" / "tests" / "fixtures" / "shangjie-xinxi-2024-35.txt"

# (file name, demo user or None for anonymous, path, a text that must be on the page)
PAGES: list[tuple[str, str | None, str, str]] = [
    ("login", None, "/accounts/login/", "登录"),
    ("inbox", "wangsiyu", "/submissions/inbox/", "收稿箱"),
    ("unit-list", "ks_shenhe", "/submissions/", "待我审核"),
    ("submission-form", "xcb", "/submissions/new/", "写信息"),
    ("submission-detail", "wangsiyu", "/submissions/{xcb_item}/", "校对提示（"),
    ("issue-list", "wangsiyu", "/issues/", "上街信息"),
    ("issue-editor", "wangsiyu", "/issues/{draft_issue}/", "校对提示（"),
    ("issue-reading", "lingdao", "/issues/{published_issue}/read/", "上街信息"),
    ("search", "wangsiyu", "/search/?q=集体协商", "集体协商"),
    ("proofreading-settings", "wangsiyu", "/proofreading/settings/", "校对设置"),
    ("archive-batches", "wangsiyu", "/archive/", "档案导入"),
    ("archive-batch-interrupted", "wangsiyu", "/archive/batches/{interrupted_batch}/", "继续处理"),
    ("uri-too-long", "wangsiyu", "/search/?q=" + "文" * 3000, "请求地址过长"),
    ("account-security", "qianfa", "/accounts/security/", "双因素认证"),
    ("api-tokens", "wangsiyu", "/accounts/tokens/", "只读"),
    ("login-lockouts", "admin", "/accounts/lockouts/", "登录锁定"),
    ("api-docs", "wangsiyu", "/api/v1/docs", "Jianbao API"),
    # issue 18: the 工作台 of each role, the second-wave pages and the user guide
    ("home-reporter", "xcb", "/", "工作台"),
    ("home-editor", "wangsiyu", "/", "工作台"),
    ("home-chief", "qianfa", "/", "待签发"),
    ("home-leader", "lingdao", "/", "工作台"),
    ("notifications", "xcb", "/notifications/", "消息"),
    ("commissions", "wangsiyu", "/commissions/", "约稿"),
    ("rankings", "wangsiyu", "/assessment/rankings/", "排名"),
    ("statistics", "wangsiyu", "/assessment/statistics/", "统计"),
    ("ledger", "xcb", "/assessment/ledger/", "计分"),
    ("distribution", "lingdao", "/distribution/", "收件"),
    ("audit-log", "shenji", "/accounts/audit/", "审计日志"),
    ("help", "xcb", "/help/", "使用指南"),
    ("merge-editor", "wangsiyu", "/issues/{draft_issue}/merge/editor/?{merge_query}", "综合"),
    ("issue-sign", "qianfa", "/issues/{proof_issue}/sign/", "确认签发"),
    ("instructions", "wangsiyu", "/instructions/", "批示督办"),
    ("instructions-mine", "lingdao", "/instructions/mine/", "我的批示"),
    ("emergency", "wangsiyu", "/emergency/", "紧急信息"),
    ("emergency-thread", "wangsiyu", "/emergency/{emergency_thread}/", "紧急信息："),
    ("forwarding", "wangsiyu", "/forwarding/", "转报上级"),
    ("rules", "wangsiyu", "/assessment/rules/", "计分规则"),
    ("rules-edit", "qianfa", "/assessment/rules/new/", "新建计分规则版本"),
    ("unit-classes", "qianfa", "/assessment/classes/", "调整单位分类"),
    ("objections", "wangsiyu", "/assessment/objections/", "异议"),
    ("adoption-issue", "wangsiyu", "/assessment/adoptions/issue/", "整期录入外部采用"),
    ("notification-settings", "xcb", "/notifications/settings/", "提醒设置"),
]


def wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/accounts/login/", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


# The demo's password and the published demo TOTP key of admin, qianfa and shenji
# (jianbao/demo/build.py: DEMO_PASSWORD, DEMO_TOTP_SECRET).
DEMO_PASSWORD = "Jianbao-demo1"
DEMO_TOTP_SECRET = "JIANBAODEMOTOTPKEYFORDEMOONLY234"


def totp(secret: str, *, steps_ahead: int = 0) -> str:
    """The RFC 6238 code (SHA-1, 30 s, 6 digits) an authenticator app shows for `secret`."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int(time.time()) // 30 + steps_ahead
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def log_in(page: Page, username: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    for steps_ahead in (0, 1):  # a code is accepted once: a second sign-in uses the next one
        if "/accounts/otp/verify/" not in page.url:
            return
        page.fill("#id_code", totp(DEMO_TOTP_SECRET, steps_ahead=steps_ahead))
        page.click("#otp-submit")
        page.wait_for_load_state("networkidle")


def demo_ids(env: dict[str, str]) -> dict[str, int | str]:
    """Primary keys of the demo objects the pages show."""
    code = (
        "import django;django.setup();"
        "from jianbao.submissions.models import Submission as S;"
        "from jianbao.bulletins.models import Issue as I;"
        "print(S.objects.filter(unit__name='区委宣传部').order_by('pk').first().pk);"
        "print(I.objects.filter(state='draft').order_by('pk').first().pk);"
        "print(I.objects.filter(state='published').order_by('pk').first().pk);"
        "print(I.objects.filter(state='proof').order_by('pk').first().pk);"
        "from jianbao.emergency.models import EmergencyThread as E;"
        "print(E.objects.order_by('pk').first().pk);"
        "from jianbao.accounts.models import User;"
        "from jianbao.bulletins.selectors import adoptable_submissions as A;"
        "w=User.objects.get(username='wangsiyu');"
        "print('&'.join(f'submissions={s.pk}' for s in A(w)[:2]));"
        # A batch whose worker died after the first of three files: the page offers resume/cancel.
        "from pathlib import Path;"
        "from jianbao.accounts.models import User;"
        "from jianbao.archive.services import staging, recovery;"
        "u=User.objects.get(username='wangsiyu');"
        f"t=Path({str(REFERENCE_TEXT)!r}).read_text();"
        "b=staging.do_create_batch(actor=u,total=3);"
        "items=[staging.do_stage_file(batch=b,name=f'上街信息-{n}.txt',"
        "data=t.replace('第 35 期',f'第 {n} 期').encode(),actor=u,order=n) for n in (40,41,42)];"
        "staging.do_parse_item(item=items[0]);"
        "staging.bump_progress(b);"
        "recovery.mark_batches_interrupted(batch_ids=[b.pk],reason='后台处理进程已退出');"
        "print(b.pk)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    item, draft, published, proof, thread, merge, batch = out.stdout.split()
    return {
        "merge_query": merge,
        "xcb_item": int(item),
        "draft_issue": int(draft),
        "published_issue": int(published),
        "proof_issue": int(proof),
        "emergency_thread": int(thread),
        "interrupted_batch": int(batch),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--sizes", default="desk,phone", help="desk, phone or both (comma)")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--only", default="", help="page names (comma); all when empty")
    args = parser.parse_args()
    sizes = [size for size in args.sizes.split(",") if size]
    if unknown := set(sizes) - set(SIZES):
        parser.error(f"unknown size {sorted(unknown)}: use {', '.join(SIZES)}")
    only = {name for name in args.only.split(",") if name}
    if unknown := only - {page[0] for page in PAGES}:
        parser.error(f"unknown page {sorted(unknown)}")
    global BASE  # noqa: PLW0603 (log_in and wait_for_server read it)
    BASE = f"http://127.0.0.1:{args.port}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "JIANBAO_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "jianbao.config.settings",
        }
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "jianbao", "demo"], env=env, check=True, capture_output=True
        )
        ids = demo_ids(env)
        server = subprocess.Popen(
            [sys.executable, "-m", "jianbao", "serve", "--port", str(args.port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_server()
            shoot(out, ids, sizes=sizes, only=only)
        finally:
            server.terminate()
            server.wait(timeout=20)
    return 0


def shoot(out: Path, ids: dict[str, int | str], *, sizes: list[str], only: set[str]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        signed_in: dict[str, Any] = {}  # each user signs in once (TOTP codes are single-use)
        for name, user, path, expected in PAGES:
            if only and name not in only:
                continue
            for size in sizes:
                viewport, folder, touch = SIZES[size]
                context = browser.new_context(
                    viewport=viewport,
                    is_mobile=touch,
                    has_touch=touch,
                    locale="zh-CN",
                    storage_state=signed_in.get(user or ""),
                )
                page = context.new_page()
                if user and user not in signed_in:
                    log_in(page, user)
                    signed_in[user] = context.storage_state()
                target = out / folder / f"{name}.png"
                take(page, path.format(**ids), expected, target)
                context.close()
        browser.close()


def take(page: Page, path: str, expected: str, target: Path) -> None:
    """One full-page screenshot, after checking the page shows `expected` and fits the screen."""
    page.goto(BASE + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # let htmx panels that load on page load settle
    if expected not in page.content():
        raise SystemExit(f"{target.name}: expected text {expected!r} not on {path}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.viewport_size["width"]:  # type: ignore[index]
        print(f"warning: {path[:60]} is {width}px wide at {page.viewport_size}", file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    print(f"wrote {target}")


if __name__ == "__main__":
    sys.exit(main())
