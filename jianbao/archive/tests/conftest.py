"""Fixtures of the archive tests: the reference issue as text, DOCX and PDF, units, a series."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jianbao.accounts.models import Unit, User
from jianbao.accounts.services import do_create_unit
from jianbao.bulletins.models import Series
from jianbao.bulletins.services import do_create_series
from jianbao.demo.units import DEMO_UNITS

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
REFERENCE_JSON = SAMPLES / "shangjie-xinxi-2024-35.json"
REFERENCE_TEXT = (
    Path(__file__).resolve().parents[2] / "text/tests/fixtures/shangjie-xinxi-2024-35.txt"
)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """Background tasks run at once, inside the test."""
    settings.TASKS = IMMEDIATE


@pytest.fixture(scope="session")
def reference() -> dict[str, Any]:
    return json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(reference: dict[str, Any]) -> dict[str, bytes]:
    """The reference issue typeset by our own renderer, once per module (Typst takes a while)."""
    from jianbao.typeset import Bulletin, render_docx, render_pdf

    bulletin = Bulletin.from_json(reference)
    return {"docx": render_docx(bulletin), "pdf": render_pdf(bulletin)}


@pytest.fixture
def units(editor: User) -> dict[str, Unit]:
    """The units of 上街区 with their aliases, as the demo sets them up (the office exists)."""
    made = {}
    for name, short, kind, aliases, approval in DEMO_UNITS:
        existing = Unit.objects.filter(name=name).first()
        made[name] = existing or do_create_unit(
            name=name, short_name=short, kind=kind, aliases=aliases, requires_approval=approval
        )
    return made


@pytest.fixture
def series(editor: User) -> Series:
    return do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    """A file under the test's temporary folder."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path
