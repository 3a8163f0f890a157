"""The DOCX in LibreOffice (if installed), converted to PDF and measured with pdfplumber.

On the reference issue and three differently shaped generated ones, one soffice process
converting all four: every character in order (page numbers aside), 28 characters a full line,
≤ 22 lines a page, nothing in the margins, no line of ≤ 2 characters opening a page, the 报尾 at
the foot of the last page between 156 mm rules, and the page number's dash 7 mm below the text
block (GB/T 9704).

Full-line rule asserted: a line reaching the right edge of the text block holds 27–29
characters, its 2-character first-line indent and the full-width lead gap included: 27 when the
no-break-before rule carries a character with its closing mark (。，、）) to the next line and the
line is justified, or a proportional digit (3, 300) takes more than half a character; 29 when
half-width digits are narrower. Every full line holds 20–30, at least 90 % hold 27–29 and 60 %
exactly 28 (LibreOffice substitutes Noto for 仿宋_GB2312 here, whose proportional digits, and a
source in parentheses kept whole, stretch some lines). A line followed by
one that starts with a digit or Latin letter is exempt: a number (98.5%) is never split, so that
line is stretched, as in every typesetter.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from jianbao.typeset import Bulletin, render_docx
from jianbao.typeset.fitting import page_fit
from jianbao.typeset.layout import lay_out
from jianbao.typeset.tests.extract import REFERENCE_JSON, normalise

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice absent (scripts/install-system-deps.sh test)"
)
MM = 72 / 25.4
LEFT, RIGHT, BOTTOM = 28 * MM, 184 * MM, 262 * MM  # the text block's edges
TOLERANCE = 0.5 * MM


def _issue(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "series": "上街信息",
        "year": 2024,
        "number": 40,
        "total_number": None,
        "organ": "中共上街区委办公室",
        "date": "2024-08-01",
        "marks": [],
        "editor_note": None,
        "entries": [],
        "footer": {
            "send_to": "区县处级领导",
            "distribute_to": "峡窝镇、各街道办事处、区直各单位负责同志",
            "editors": ["王思宇", "柴亚文"],
            "copies": 120,
        },
    }
    data.update(changes)
    return data


_PROSE = (
    "围绕年度重点任务，区直各单位认真落实工作要求，细化责任分工，强化督促检查，"
    "推动各项措施落地见效。截至目前，共解决群众反映的突出问题86件，办结率达98.5%。"
)


def _entry(kind: str, title: str | None, body: str, unit: str, section: str | None = None) -> dict:
    return {
        "kind": kind,
        "section": section,
        "title": title,
        "body": body,
        "source_units": [unit],
        "source_raw": None,
    }


def _long_titles() -> dict[str, Any]:
    title = "区委政法委坚持和发展新时代“枫桥经验”推动矛盾纠纷多元化解工作取得明显成效"
    entries = [_entry("item", title + str(i), _PROSE * 2, "区委政法委") for i in range(5)]
    return _issue(marks=["内部资料", "注意保存"], entries=entries)


def _notes_sections_briefs() -> dict[str, Any]:
    entries = [_entry("item", "重点工作", _PROSE * 3, "区发改委", section="工作动态")]
    entries += [
        _entry("brief", None, _PROSE[: 30 + 7 * i], f"第{i}街道", section="简讯") for i in range(12)
    ]
    return _issue(
        editor_note="本期刊发各单位贯彻落实情况，供参阅。\n请结合实际抓好落实。", entries=entries
    )


def _footer_alone() -> dict[str, Any]:
    # 38 one-line briefs (△ + 25 characters after the 2-character indent) fill pages 1 and 2.
    line = "全区安全生产形势总体平稳各项工作有序推进群众满意度持续提升"[:25]
    entries = [_entry("brief", None, line, "") for _ in range(38)]
    for entry in entries:
        entry["source_units"] = []
    return _issue(entries=entries)


def _cases() -> dict[str, dict[str, Any]]:
    return {
        "reference": json.loads(REFERENCE_JSON.read_text(encoding="utf-8")),
        "long-titles": _long_titles(),
        "notes-sections-briefs": _notes_sections_briefs(),
        "footer-alone": _footer_alone(),
    }


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Bulletin, Path]]:
    """Every case's DOCX converted by one soffice process."""
    folder = tmp_path_factory.mktemp("libreoffice")
    bulletins = {name: Bulletin.from_json(data) for name, data in _cases().items()}
    for name, bulletin in bulletins.items():
        (folder / f"{name}.docx").write_bytes(render_docx(bulletin))
    command = [str(SOFFICE), f"-env:UserInstallation=file://{folder}/profile", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(folder)]
    command += [str(folder / f"{name}.docx") for name in bulletins]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return {name: (bulletin, folder / f"{name}.pdf") for name, bulletin in bulletins.items()}


def _expected_text(bulletin: Bulletin) -> str:
    layout = lay_out(bulletin)
    m = layout.masthead
    parts = [m.marks, m.title, m.number_line, m.organ, m.date]
    parts += [p.lead + p.text for p in layout.paragraphs]
    parts += [*layout.footer.distribution, layout.footer.editors, layout.footer.copies]
    return normalise("".join(parts))


def _is_page_number(char: dict[str, Any]) -> bool:
    return float(char["top"]) > BOTTOM + TOLERANCE


def _rows(page: Any) -> list[list[dict[str, Any]]]:
    """The page's text lines (page number aside), top to bottom, each left to right."""
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for char in page.chars:
        if not _is_page_number(char):
            rows[round(float(char["bottom"]))].append(char)
    return [sorted(rows[key], key=lambda c: float(c["x0"])) for key in sorted(rows)]


def _count(row: list[dict[str, Any]]) -> int:
    """The line's characters, its first-line indent included."""
    return round((float(row[0]["x0"]) - LEFT) / 15.75) + len(row)


def _full_lines(body: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Lines reaching the right edge, unless the next starts with a half-width character."""
    full = []
    for index, row in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        half = following and unicodedata.east_asian_width(str(following[0]["text"])) in "NaH"
        if float(row[-1]["x1"]) > RIGHT - 16 and not half:
            full.append(row)
    return full


def _body(number: int, rows: list[list[dict[str, Any]]], date: str) -> list[list[dict[str, Any]]]:
    """The 三号 body lines: on page 1, those below the organ/date line."""
    body = [row for row in rows if abs(float(row[0]["size"]) - 16) < 0.1]
    if number == 1:
        texts = ["".join(str(c["text"]) for c in row) for row in body]
        body = body[next(i for i, t in enumerate(texts) if t.endswith(date)) + 1 :]
    return body


def _dash_ink_top(page: Any) -> float:
    """Where the page number's first dash begins to be inked, in pt from the page top."""
    dash = next(c for c in page.chars if c["text"] == "—")
    box = (dash["x0"], dash["top"], dash["x1"], dash["bottom"])
    image = page.crop(box).to_image(resolution=400).original.convert("L")
    width, height = image.size
    inked = [y for y in range(height) if any(image.getpixel((x, y)) < 128 for x in range(width))]
    return float(dash["top"]) + inked[0] * 72 / 400


def _check(bulletin: Bulletin, pdf_path: Path) -> list[dict[str, Any]]:
    """Assert the page rules; return the last page's rules."""
    text: list[str] = []
    full_lines: list[int] = []
    date = lay_out(bulletin).masthead.date
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            rows = _rows(page)
            text += ["".join(str(c["text"]) for c in row) for row in rows]
            body = _body(number, rows, date)
            assert len(body) <= 22, f"page {number}: {len(body)} lines"
            if number > 1 and body:
                assert len(body[0]) > 2, f"page {number} opens with {body[0][0]['text']}…"
            for row in rows:
                assert min(float(c["x0"]) for c in row) >= LEFT - TOLERANCE
                assert max(float(c["x1"]) for c in row) <= RIGHT + TOLERANCE
                assert max(float(c["bottom"]) for c in row) <= BOTTOM + TOLERANCE
            full = _full_lines(body)
            full_lines += [_count(r) for r in full]
            assert abs(_dash_ink_top(page) - BOTTOM - 7 * MM) < 0.3 * MM, f"page {number}"
        last = pdf.pages[-1]
        rules = [r for r in [*last.lines, *last.rects] if float(r["width"]) > 100 * MM]
    assert normalise("".join(text)) == _expected_text(bulletin)
    assert all(20 <= count <= 30 for count in full_lines), sorted(full_lines)
    assert sum(27 <= count <= 29 for count in full_lines) >= 0.9 * len(full_lines), full_lines
    assert sum(count == 28 for count in full_lines) >= 0.6 * len(full_lines), full_lines
    return rules


@pytest.mark.parametrize("name", ["reference", "long-titles", "notes-sections-briefs"])
def test_docx_in_libreoffice_keeps_the_grid(
    converted: dict[str, tuple[Bulletin, Path]], name: str
) -> None:
    bulletin, pdf = converted[name]
    rules = _check(bulletin, pdf)
    assert len(rules) == 3
    assert all(abs(float(r["width"]) - 156 * MM) < TOLERANCE for r in rules)
    assert all(abs(float(r["x0"]) - LEFT) < TOLERANCE for r in rules)
    assert abs(max(float(r["bottom"]) for r in rules) - BOTTOM) < 1.5 * MM


def test_footer_on_a_page_of_its_own_is_at_its_foot_and_reported(
    converted: dict[str, tuple[Bulletin, Path]],
) -> None:
    bulletin, pdf = converted["footer-alone"]
    rules = _check(bulletin, pdf)
    assert abs(max(float(r["bottom"]) for r in rules) - BOTTOM) < 1.5 * MM
    with pdfplumber.open(pdf) as document:
        last = document.pages[-1]
        assert not [c for c in last.chars if abs(float(c["size"]) - 16) < 0.1]
    # The proof reports the same from the PDF's layout.
    fit = page_fit(bulletin)
    assert fit.footer_alone and fit.pages == len(document.pages)
