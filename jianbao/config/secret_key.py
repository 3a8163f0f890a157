"""Where SECRET_KEY comes from: the environment in production, a kept random file locally.

A local run (`make run`) needs nothing: the first start writes a random key to
`<JIANBAO_DATA_DIR>/secret_key` (mode 600) and later starts read it, so sessions survive restarts.
In production mode the key must come from the environment and must not be a public one (the
old built-in default, the `.env.example` placeholder, or anything short): the server refuses to
start otherwise.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Keys anyone can read in this repository: never acceptable in production.
PUBLIC_KEYS = frozenset(
    {
        "jianbao-local-development-key-change-me-in-production-0123456789",
        "change-me",
    }
)
MIN_LENGTH = 50


def resolve_secret_key(*, env_value: str | None, data_dir: Path, production: bool) -> str:
    """The SECRET_KEY to use, or ImproperlyConfigured with a one-line reason."""
    if env_value:
        if production and (env_value in PUBLIC_KEYS or len(env_value) < MIN_LENGTH):
            raise ImproperlyConfigured(
                "生产模式下 SECRET_KEY 是公开的默认值或少于 50 个字符，拒绝启动；请设置随机密钥，"
                "例如 python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return env_value
    if production:
        raise ImproperlyConfigured("生产模式必须通过环境变量 SECRET_KEY 设置随机密钥，拒绝启动。")
    return _kept_random_key(data_dir / "secret_key")


def _kept_random_key(path: Path) -> str:
    try:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= MIN_LENGTH:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(MIN_LENGTH)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    try:
        os.link(temporary, path)  # the first writer wins; the others read its key
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
    finally:
        temporary.unlink()
    return key
