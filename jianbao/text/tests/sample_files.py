"""Where the archive parser tests find their files (no conftest: the suite runs without one)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SHARED = Path(__file__).resolve().parents[4] / "shared"


def reference_text() -> str:
    """The reference issue 《上街信息》第35期 as extracted from its PDF (page artefacts kept)."""
    return (FIXTURES / "shangjie-xinxi-2024-35.txt").read_text(encoding="utf-8")


def reference_json() -> dict[str, Any]:
    """Its exact expected structure."""
    data: dict[str, Any] = json.loads(
        (SAMPLES / "shangjie-xinxi-2024-35.json").read_text(encoding="utf-8")
    )
    return data
