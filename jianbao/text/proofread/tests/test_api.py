"""The public API: options, offsets, rule catalogue, source lines, a missing language model."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from jianbao.text import lm
from jianbao.text.proofread import RULES, check_source_line, proofread
from jianbao.text.proofread.rules import confusion
from jianbao.text.proofread.tests.helpers import check

TEXT = "持续面向广大学生和家長讲解法律知识，重点治理突店经营等问题。"


def test_rules_catalogue_has_chinese_labels() -> None:
    assert set(RULES) == {
        "traditional",
        "confusion",
        "terms",
        "particles",
        "repeated_words",
        "punctuation",
        "numbers",
        "source_line",
    }
    assert all(info.label and info.description for info in RULES.values())


def test_disabled_rules() -> None:
    assert {f.rule for f in check(TEXT)} == {"traditional", "terms"}
    assert {f.rule for f in check(TEXT, disabled_rules={"terms"})} == {"traditional"}


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="nosuch"):
        proofread(TEXT, disabled_rules={"nosuch", "terms"})


def test_ignored_terms() -> None:
    assert {f.text for f in check(TEXT, ignored_terms={"突店经营"})} == {"長"}
    assert {f.text for f in check(TEXT, ignored_terms={"家長"})} == {"突店经营"}


def test_text_is_never_changed_and_findings_are_sorted() -> None:
    text = "  家長会，，(区教育局)\n\n二0二四年"
    before = str(text)
    findings = check(text)
    assert text == before
    assert [f.start for f in findings] == sorted(f.start for f in findings)


def test_empty_and_non_chinese_text() -> None:
    assert proofread("") == []
    assert check("Hello, world. 3.14 and (x, y).") == []


def test_finding_to_dict() -> None:
    finding = check("家長")[0]
    assert finding.to_dict() == {
        "start": 1,
        "end": 2,
        "text": "長",
        "suggestion": "长",
        "rule": "traditional",
        "severity": "error",
        "explanation": finding.explanation,
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("（区委宣传部）", []),
        ("（区委组织部、区人社局）", []),
        ("(区委宣传部)", [("(区委宣传部)", "（区委宣传部）")]),
        ("（区委宣传部", [("（区委宣传部", "（区委宣传部）")]),
        ("区委宣传部）", [("区委宣传部）", "（区委宣传部）")]),
        ("（区委宣传部)", [("（区委宣传部)", "（区委宣传部）")]),
        ("  (区科技局) ", [("(区科技局)", "（区科技局）")]),
        ("", []),
    ],
)
def test_check_source_line(raw: str, expected: list[tuple[str, str]]) -> None:
    findings = check_source_line(raw)
    assert [(f.text, f.suggestion) for f in findings] == expected
    for f in findings:
        assert raw[f.start : f.end] == f.text
        assert f.rule == "source_line"


def test_missing_language_model_skips_confusion(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(lm, "default_model", lambda: None)
    confusion._warn_missing_model.cache_clear()
    with caplog.at_level(logging.WARNING):
        findings = check("街道办事处积级开展志愿服务活动，家長。")
    assert [f.rule for f in findings] == ["traditional"]
    assert "no language model" in caplog.text


def test_load_missing_model_file_returns_none(tmp_path: Path) -> None:
    assert lm.load(tmp_path / "absent.lm") is None


def test_no_django_import() -> None:
    code = (
        "import sys, jianbao.text.proofread as p; p.proofread('家長'); "
        "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
