"""Acceptance: 《上街信息》2024年第35期 built through the database prints the reference issue."""

from __future__ import annotations

import datetime
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from jianbao.accounts.models import Role, User
from jianbao.accounts.tests.factories import UnitFactory, UserFactory
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.rendering import render_issue
from jianbao.bulletins.selectors import issue_to_bulletin_json
from jianbao.bulletins.services import (
    do_add_submissions,
    do_create_issue,
    do_merge_submissions_into_entry,
    do_transition_issue,
    do_update_entry,
)
from jianbao.bulletins.tests.conftest import CaptureOnCommit
from jianbao.demo.build import MERGED_ITEM_PARTS
from jianbao.submissions.models import Kind, Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State
from jianbao.typeset import Bulletin, render_html

pytestmark = pytest.mark.django_db
REFERENCE = Path(__file__).resolve().parents[2] / "samples" / "shangjie-xinxi-2024-35.json"
MERGED_UNITS = ["区司法局", "区检察院", "区法院", "区妇联"]


def _reference() -> dict[str, Any]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def _adopted(editor: User, unit_name: str, title: str, body: str, kind: str) -> Submission:
    unit = UnitFactory(name=unit_name)
    reporter = UserFactory(unit=unit, roles=[Role.REPORTER])
    return make_submission(
        author=reporter, state=State.ADOPTED, editor=editor, title=title, body=body, kind=kind
    )


def _build_issue_35(editor: User, series: Series) -> Issue:
    reference = _reference()
    issue = do_create_issue(
        series=series, actor=editor, issue_date=datetime.date(2024, 6, 17), number=35
    )
    parts = [
        _adopted(editor, unit, title, body, Kind.ITEM)
        for unit, (_user, title, body) in zip(MERGED_UNITS, MERGED_ITEM_PARTS, strict=True)
    ]
    merged_text = reference["entries"][0]
    entry = do_merge_submissions_into_entry(
        issue=issue, actor=editor, submissions=parts, title=merged_text["title"]
    )
    do_update_entry(
        entry=entry,
        actor=editor,
        expected_version=entry.version,
        kind="item",
        title=merged_text["title"],
        body=merged_text["body"],
        section="",
        source_line="",
    )
    # Briefs first on purpose: items must still land before them.
    ordered = sorted(reference["entries"][1:], key=lambda e: e["kind"] != "brief")
    for data in ordered:
        kind = Kind.BRIEF if data["kind"] == "brief" else Kind.ITEM
        item = _adopted(editor, data["source_units"][0], data["title"] or "", data["body"], kind)
        do_add_submissions(issue=issue, actor=editor, submissions=[item])
    return issue


def _entry_texts(html: str) -> list[str]:
    blocks = re.findall(r'<div class="entry (?:item|brief)">(.*?)</div>', html, flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


def _footer_text(html: str) -> str:
    footer = re.search(r'<footer class="colophon">(.*?)</footer>', html, flags=re.S)
    assert footer is not None
    return unescape(re.sub(r"<[^>]+>", "|", footer.group(1)))


def test_issue_35_from_the_database_prints_the_reference_text(
    editor: User, chief: User, series: Series, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    reference = _reference()
    issue = _build_issue_35(editor, series)

    # The serializer gives back the reference JSON exactly.
    assert issue_to_bulletin_json(issue) == reference

    (rendered,) = render_issue(issue, ("html",))
    html = rendered.content.decode("utf-8")
    assert html == render_html(Bulletin.from_json(reference))
    texts = _entry_texts(html)
    assert len(texts) == 10
    items = [e for e in reference["entries"] if e["kind"] == "item"]
    briefs = [e for e in reference["entries"] if e["kind"] == "brief"]
    assert (len(items), len(briefs)) == (8, 2)
    for text, data in zip(texts, reference["entries"], strict=True):
        source = data["source_raw"] or ""
        if data["kind"] == "brief":
            assert text == "△" + data["body"] + source
        else:
            assert text == data["title"] + "\u3000" + data["body"].replace("\n", "") + source
    footer = _footer_text(html)
    assert "本期送：区县处级领导" in footer
    assert "发：峡窝镇、各街道办事处、区直各单位负责同志" in footer
    assert "责任编辑：王思宇 柴亚文" in footer
    assert "第35期" in html and "中共上街区委办公室" in html and "2024年6月17日" in html

    # The merged item credits all four units though it prints no source.
    merged = issue.entries.first()
    assert merged is not None
    assert [s.unit.name for s in merged.sources.all()] == MERGED_UNITS

    with django_capture_on_commit_callbacks(execute=True):  # the files move in on commit
        for action, actor in [("proof", editor), ("sign", chief), ("publish", editor)]:
            issue = do_transition_issue(issue=issue, action=action, actor=actor)
    stored = issue.files.get(format="html")
    assert stored.file.open("rb").read().decode("utf-8") == html
