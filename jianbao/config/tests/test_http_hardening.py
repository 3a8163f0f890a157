"""HTTP hardening (issue 15): CSP everywhere with no inline script, HSTS and Secure cookies in
production, `check --deploy` clean in the documented configuration, no public SECRET_KEY."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from jianbao.config.secret_key import resolve_secret_key

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted((ROOT / "jianbao").rglob("templates/**/*.html"))
STRONG_KEY = "k" * 20 + "ZyX-0123456789-abcdefghijklmnopqrstuvwxyz"
PRODUCTION = {
    "SECRET_KEY": STRONG_KEY,
    "JIANBAO_ALLOWED_HOSTS": "jianbao.example.gov.cn",
    "JIANBAO_SECURE_COOKIES": "true",
}


def _python(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    full = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("JIANBAO_", "SECRET_KEY"))},
        "JIANBAO_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "jianbao.config.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        env=full,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_every_page_carries_a_csp_without_inline_script(client: Client) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", policy)
    assert script is not None and script.group(1) == "'self'"
    assert "default-src 'self'" in policy and "object-src 'none'" in policy


def test_no_template_has_inline_script_or_event_handlers() -> None:
    offenders = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        for match in re.finditer(r"\s(on[a-z]+|hx-on[:\w-]*)=", text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert offenders == []


def test_production_refuses_a_public_or_missing_key(tmp_path: Path) -> None:
    for public in ("change-me", "jianbao-local-development-key-change-me-in-production-0123456789"):
        with pytest.raises(ImproperlyConfigured, match="拒绝启动"):
            resolve_secret_key(env_value=public, data_dir=tmp_path, production=True)
    with pytest.raises(ImproperlyConfigured, match="拒绝启动"):
        resolve_secret_key(env_value=None, data_dir=tmp_path, production=True)
    assert resolve_secret_key(env_value=STRONG_KEY, data_dir=tmp_path, production=True)


def test_a_local_run_keeps_a_random_key(tmp_path: Path) -> None:
    first = resolve_secret_key(env_value=None, data_dir=tmp_path, production=False)
    again = resolve_secret_key(env_value=None, data_dir=tmp_path, production=False)
    assert first == again and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    other = resolve_secret_key(env_value=None, data_dir=tmp_path / "other", production=False)
    assert other != first


def test_serve_refuses_to_start_in_production_with_the_public_key(tmp_path: Path) -> None:
    env = {**PRODUCTION, "SECRET_KEY": "change-me"}
    result = _python(
        "from jianbao.cli import main; raise SystemExit(main(['serve']))", env, tmp_path
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip().splitlines() == [result.stderr.strip().splitlines()[0]]
        and "SECRET_KEY" in result.stderr
    )


def test_check_deploy_is_clean_in_the_documented_production_configuration(
    tmp_path: Path,
) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.core.management import call_command; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE); "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = _python(code, PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "31536000 True True"
    assert "no issues" in (result.stdout + result.stderr)
