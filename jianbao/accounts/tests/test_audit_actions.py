"""Every action the code records has a Chinese name in the registry (no raw names on the page)."""

from __future__ import annotations

import re
from pathlib import Path

from jianbao.accounts.audit_actions import ACTIONS, readable_detail
from jianbao.bulletins.workflow import IssueAction
from jianbao.submissions.workflow import Action

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_.]+)"')
PREFIXED = re.compile(r'_?audit\(\s*"([a-z_]+)"')


def _recorded_literals() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_literal_action_has_a_chinese_name() -> None:
    missing = sorted(action for action in _recorded_literals() if action not in ACTIONS)
    assert missing == [], f"add these to jianbao/accounts/audit_actions.py: {missing}"


def test_every_workflow_transition_has_a_chinese_name() -> None:
    missing = [f"submission.{a.value}" for a in Action if f"submission.{a.value}" not in ACTIONS]
    missing += [f"issue.{a.value}" for a in IssueAction if f"issue.{a.value}" not in ACTIONS]
    assert missing == []


def test_archive_and_issue_helper_actions_have_chinese_names() -> None:
    families = {
        "jianbao/archive/services": "archive.",
        "jianbao/bulletins/services/entries.py": "issue.",
    }
    missing = []
    for place, prefix in families.items():
        paths = (
            [ROOT.parent / place] if place.endswith(".py") else (ROOT.parent / place).rglob("*.py")
        )
        for path in paths:
            for verb in PREFIXED.findall(path.read_text(encoding="utf-8")):
                if prefix + verb not in ACTIONS:
                    missing.append(prefix + verb)
    assert missing == []


def test_details_read_as_chinese_key_value_text() -> None:
    pairs = readable_detail({"reason": "无权", "enabled": False, "submissions": [3, 4]})
    assert pairs == [("原因", "无权"), ("启用", "否"), ("稿件", "3、4")]
