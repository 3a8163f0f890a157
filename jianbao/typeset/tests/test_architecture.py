"""House rules of the package: no Django, one adapter per library, reproducible output."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from jianbao.typeset import Bulletin, render_docx, render_pdf
from jianbao.typeset.tests.extract import REFERENCE_JSON

PACKAGE = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_adapters_import_docx_and_typst_and_nothing_imports_django() -> None:
    sources = list(PACKAGE.glob("*.py"))
    assert sources
    for path in sources:
        imports = _imports(path)
        assert "django" not in imports, path.name
        assert ("docx" in imports) == (path.name == "docx_adapter.py"), path.name
        assert ("typst" in imports) == (path.name == "typst_adapter.py"), path.name


def test_same_issue_gives_same_bytes() -> None:
    bulletin = Bulletin.from_json(json.loads(REFERENCE_JSON.read_text(encoding="utf-8")))
    assert render_docx(bulletin) == render_docx(bulletin)
    assert render_pdf(bulletin) == render_pdf(bulletin)
