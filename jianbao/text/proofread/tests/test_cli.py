"""`jianbao proofread`: output formats and exit statuses."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from jianbao.cli import main


def test_human_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "item.txt"
    path.write_text("第一行\n重点治理突店经营。\n", encoding="utf-8")
    assert main(["proofread", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2:5\tterms\terror\t突店经营 → 出店经营" in out


def test_json_output_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("家長会".encode())))
    assert main(["proofread", "-", "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert [(f["text"], f["suggestion"], f["start"]) for f in findings] == [("長", "长", 1)]


def test_disable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "item.txt"
    path.write_text("家長会", encoding="utf-8")
    assert main(["proofread", str(path), "--json", "--disable", "traditional"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_missing_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["proofread", str(tmp_path / "absent.txt")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("jianbao proofread: cannot read") and err.count("\n") == 1


def test_undecodable_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("家长会".encode("gbk"))
    assert main(["proofread", str(path)]) == 1
    assert "not UTF-8" in capsys.readouterr().err


def test_unknown_rule_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "item.txt"
    path.write_text("文本", encoding="utf-8")
    assert main(["proofread", str(path), "--disable", "nosuch"]) == 1
    assert "unknown rule" in capsys.readouterr().err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["proofread"])
    assert exit_info.value.code == 2
