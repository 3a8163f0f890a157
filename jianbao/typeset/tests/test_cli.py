"""`jianbao render`: files named after the issue, paths printed, one-line errors with status 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jianbao.cli import main
from jianbao.typeset.tests.extract import REFERENCE_JSON


def test_renders_all_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = ["--from-json", str(REFERENCE_JSON)]
    status = main(
        ["render", *source, "--format", "docx,pdf,html", "--out", str(tmp_path / "out"), "--json"]
    )
    assert status == 0
    written = json.loads(capsys.readouterr().out)["written"]
    names = sorted(Path(path).name for path in written)
    assert names == ["上街信息-2024-35.docx", "上街信息-2024-35.html", "上街信息-2024-35.pdf"]
    assert all(Path(path).stat().st_size > 1000 for path in written)
    assert Path(written[1]).read_bytes().startswith(b"%PDF")


def test_plain_output_lists_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = ["--from-json", str(REFERENCE_JSON)]
    assert main(["render", *source, "--format", "html", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "上街信息-2024-35.html")


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["--from-json", "/nonexistent.json"], "cannot read"),
        (["--from-json", str(REFERENCE_JSON), "--format", "odt"], "unknown format"),
        (["--series", "上街信息"], "--year"),
    ],
)
def test_bad_input_exits_1_with_one_line(
    arguments: list[str], reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", *arguments]) == 1
    err = capsys.readouterr().err.strip()
    assert reason in err
    assert "\n" not in err


def test_invalid_bulletin_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"series": "上街信息", "entries": []}), encoding="utf-8")
    assert main(["render", "--from-json", str(bad), "--out", str(tmp_path)]) == 1
    assert "条目" in capsys.readouterr().err
