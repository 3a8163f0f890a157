"""Demo issues of 《上街信息》: a published 第34期 and the draft 第35期 of the reference issue."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from jianbao.accounts.models import Unit, User
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import (
    do_add_submissions,
    do_create_entry,
    do_create_issue,
    do_create_series,
    do_merge_submissions_into_entry,
    do_transition_issue,
    do_update_entry,
)
from jianbao.submissions.models import Submission
from jianbao.submissions.workflow import State

MERGED_UNITS = ("区司法局", "区检察院", "区法院", "区妇联")

# Issue 34 as the office wrote it before the demo's reporters existed: (kind, unit, title, body).
ISSUE_34: list[tuple[str, str, str, str]] = [
    (
        "item",
        "区人社局",
        "区人社局“四个聚焦”助力高校毕业生就业",
        "一是聚焦岗位供给。梳理辖区企业用工需求，发布就业岗位1200余个。二是聚焦精准服务。"
        "建立未就业毕业生实名台账，逐人提供政策解读和职业指导。三是聚焦技能提升。"
        "开展电工、焊工等职业技能培训12期，培训480人次。四是聚焦权益保障。"
        "加强对招聘活动的监管，严厉打击虚假招聘等违法行为。",
    ),
    (
        "item",
        "中心路街道",
        "中心路街道扎实推进老旧小区改造",
        "坚持“先民生后提升”，对辖区8个老旧小区实施管网更新、屋面防水、外墙保温等改造，"
        "同步增设充电桩、休闲座椅和适老化扶手。改造过程中召开居民议事会20余次，"
        "收集意见建议60余条，做到改不改、改什么、怎么改由群众说了算。",
    ),
    (
        "item",
        "济源路街道",
        "济源路街道“党建+网格”提升基层治理效能",
        "将辖区划分为36个网格，选派机关干部下沉担任网格指导员，"
        "建立“网格发现、社区吹哨、部门报到”工作机制。今年以来，"
        "累计排查化解各类矛盾纠纷130余件，办结群众诉求210余件。",
    ),
    (
        "brief",
        "新安路街道",
        "",
        "近日，新安路街道组织开展夏季消防安全专项检查，"
        "检查沿街门店、“九小场所”150余家，督促整改隐患40余处。",
    ),
]


def _create_series(editor: User) -> Series:
    return do_create_series(
        actor=editor,
        title="上街信息",
        organ="中共上街区委办公室",
        send_to="区县处级领导",
        distribute_to="峡窝镇、各街道办事处、区直各单位负责同志",
        editors=["王思宇", "柴亚文"],
    )


def _publish(issue: Issue, editor: User, chief: User) -> Issue:
    for action, actor in (("proof", editor), ("sign", chief), ("publish", editor)):
        issue = do_transition_issue(issue=issue, action=action, actor=actor)
    return issue


def _build_issue_34(series: Series, editor: User, chief: User) -> Issue:
    issue = do_create_issue(
        series=series, actor=editor, issue_date=datetime.date(2024, 6, 7), number=34
    )
    for kind, unit_name, title, body in ISSUE_34:
        do_create_entry(
            issue=issue,
            actor=editor,
            kind=kind,
            title=title,
            body=body,
            units=[Unit.objects.get(name=unit_name)],
        )
    return _publish(issue, editor, chief)


def _adopted(unit_name: str) -> list[Submission]:
    return list(Submission.objects.filter(state=State.ADOPTED, unit__name=unit_name).order_by("pk"))


def _build_issue_35(series: Series, editor: User, reference: dict[str, Any]) -> Issue:
    """The draft of the reference issue with the items the demo has adopted so far."""
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    printed = reference["entries"][0]
    parts = [item for name in MERGED_UNITS for item in _adopted(name)]
    entry = do_merge_submissions_into_entry(
        issue=issue, actor=editor, submissions=parts, title=printed["title"]
    )
    do_update_entry(
        entry=entry,
        actor=editor,
        expected_version=entry.version,
        kind="item",
        title=printed["title"],
        body=printed["body"],
        section="",
        source_line="",
    )
    others = [item for name in ("区委宣传部", "区科技局") for item in _adopted(name)]
    do_add_submissions(issue=issue, actor=editor, submissions=others)
    return issue


def build_bulletins_demo(users: dict[str, User], reference_path: Path) -> None:
    """Create 《上街信息》, publish 2024年第34期 and open the draft of 第35期."""
    editor, chief = users["wangsiyu"], users["qianfa"]
    reference = json.loads(reference_path.read_text(encoding="utf-8"))
    series = _create_series(editor)
    _build_issue_34(series, editor, chief)
    _build_issue_35(series, editor, reference)
