"""The reference issue: its three real printed errors are found, nothing else is."""

from __future__ import annotations

import pytest

from jianbao.text.proofread.tests.conftest import SAMPLE
from jianbao.text.proofread.tests.helpers import check

# The sentences around the errors, as printed, and as they should have been.
PARENTS = "持续面向广大学生和家長讲解监护不力、欺凌、性侵害等法律知识。"
STREET = "重点治理辖区环境卫生、占道游商、突店经营、夜市摊点、非机动车停放等。"
UNION = "持续深入企业面对面指导解决协商中的遇到的各种问题，推进企业集体协商工作有序开展。"


def test_traditional_character_in_real_sentence() -> None:
    findings = check(PARENTS)
    assert [(f.rule, f.text, f.suggestion) for f in findings] == [("traditional", "長", "长")]


def test_wrong_fixed_term_in_real_sentence() -> None:
    findings = check(STREET)
    assert [(f.rule, f.text, f.suggestion) for f in findings] == [("terms", "突店经营", "出店经营")]


def test_stray_de_in_real_sentence() -> None:
    findings = check(UNION)
    assert [(f.rule, f.start, f.suggestion) for f in findings] == [
        ("particles", UNION.index("中的") + 1, "")
    ]


@pytest.mark.parametrize(
    "corrected",
    [
        PARENTS.replace("長", "长"),
        STREET.replace("突店", "出店"),
        UNION.replace("中的遇到", "中遇到"),
    ],
)
def test_corrected_sentences_are_clean(corrected: str) -> None:
    assert check(corrected) == []


@pytest.mark.skipif(not SAMPLE.is_file(), reason="shared sample not available")
def test_whole_reference_issue_has_exactly_the_three_errors() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    found = {(f.rule, f.text) for f in check(text)}
    assert found == {("traditional", "長"), ("terms", "突店经营"), ("particles", "的")}
