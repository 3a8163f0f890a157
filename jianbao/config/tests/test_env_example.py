"""`.env.example` documents every setting the settings module reads from the environment."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_environment_variable_of_the_settings_is_in_env_example() -> None:
    settings_source = (ROOT / "jianbao" / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(
        re.findall(r"""(?:environ\.get|_env_\w+)\(\s*["']([A-Z][A-Z0-9_]+)["']""", settings_source)
    )
    documented = set(
        re.findall(
            r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M
        )
    )
    assert len(read) > 40  # the pattern still finds the settings
    assert sorted(read - documented) == []
