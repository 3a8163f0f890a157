"""The DOCX in LibreOffice (if installed): 28 characters × 22 lines, 报尾 at the foot."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest

from jianbao.typeset import Bulletin, render_docx
from jianbao.typeset.tests.extract import REFERENCE_JSON

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice absent (scripts/install-system-deps.sh bench)"
)


def test_docx_grid_in_libreoffice(tmp_path: Path) -> None:
    source = tmp_path / "issue.docx"
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    source.write_bytes(render_docx(Bulletin.from_json(data)))
    command = [str(SOFFICE), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(tmp_path), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    pdf = (tmp_path / "issue.pdf").read_bytes()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = document.pages
        body_lines: list[list[str]] = []
        for page in pages:
            rows: dict[int, list[dict[str, object]]] = defaultdict(list)
            for char in page.chars:
                if abs(float(char["size"]) - 16) < 0.1:
                    rows[round(char["top"])].append(char)
            body_lines.append(["".join(str(c["text"]) for c in rows[top]) for top in sorted(rows)])
        last = pages[-1]
        editors_top = max(c["top"] for c in last.chars if c["text"] == "责")
        height = last.height
    body_lines[0] = body_lines[0][2:]  # 第35期 and the organ/date line
    assert max(len(lines) for lines in body_lines) == 22
    full = [
        line
        for lines in body_lines
        for line in lines
        if all(unicodedata.east_asian_width(char) in "WF" for char in line)
    ]
    assert max(len(line) for line in full) == 28
    assert editors_top > height * 0.75
