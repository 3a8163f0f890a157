"""`jianbao parse`: JSON or a summary per file, exit 1 naming the files that could not be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jianbao.cli import main
from jianbao.text.tests.sample_files import FIXTURES, reference_json

REFERENCE = str(FIXTURES / "shangjie-xinxi-2024-35.txt")
VARIANT = str(FIXTURES / "variant-03-sections-briefs.txt")


def test_one_file_json_is_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", REFERENCE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {key: data[key] for key in reference_json()} == reference_json()
    assert data["input"]["format"] == "text"


def test_several_files_json_is_a_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", REFERENCE, VARIANT, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [item["number"] for item in data] == [35, 36]


def test_summary_without_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", REFERENCE]) == 0
    out = capsys.readouterr().out
    assert "《上街信息》2024年第35期 2024-06-17 中共上街区委办公室" in out
    assert "信息 8 条，简讯 2 条" in out
    assert "entries[0].source_units" in out


def test_bad_file_exits_1_with_one_line_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnothing")
    assert main(["parse", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"jianbao parse: {broken}: ")


def test_good_files_are_printed_and_bad_ones_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["parse", REFERENCE, str(missing), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["series"] == "上街信息"
    assert str(missing) in captured.err
    assert "文件不存在" in captured.err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["parse"])
    assert exit_info.value.code == 2
