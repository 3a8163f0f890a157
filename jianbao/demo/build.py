"""Builds the demo data through the services, so the demo follows the same rules as real use."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from jianbao.accounts.models import Role, Unit, User
from jianbao.accounts.services import do_create_unit, do_create_user
from jianbao.accounts.two_factor import do_enrol_known_key
from jianbao.demo.bulletins import build_bulletins_demo
from jianbao.demo.commissions import build_commissions_demo
from jianbao.demo.distribution import build_distribution_demo
from jianbao.demo.instructions import build_instructions_demo
from jianbao.demo.notifications import build_notifications_demo
from jianbao.demo.reports import build_reports_demo
from jianbao.demo.scoring import build_scoring_demo
from jianbao.demo.units import DEMO_UNITS
from jianbao.submissions.models import Kind, Submission, Urgency
from jianbao.submissions.services import do_create_submission, do_transition, do_update_submission
from jianbao.submissions.workflow import Action

DEMO_PASSWORD = "Jianbao-demo1"
# Demo only: the chief, the admin and the auditor must sign in with a second factor (TOTP); their
# authenticator key is this published one, so anyone can add it to an app (or compute the code).
DEMO_TOTP_SECRET = "JIANBAODEMOTOTPKEYFORDEMOONLY234"
DEMO_TOTP_USERS = ("admin", "qianfa", "shenji")
REFERENCE_ISSUE = Path(__file__).resolve().parent.parent / "samples" / "shangjie-xinxi-2024-35.json"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    unit: str | None
    roles: tuple[Role, ...]
    purpose: str


DEMO_USERS: list[DemoUser] = [
    DemoUser("admin", "系统管理员", "区委办公室", (Role.ADMIN,), "管理员：用户、单位、设置"),
    DemoUser("wangsiyu", "王思宇", "区委办公室", (Role.EDITOR,), "编辑：收稿、审核、组稿"),
    DemoUser("chaiyawen", "柴亚文", "区委办公室", (Role.EDITOR,), "编辑"),
    DemoUser("qianfa", "李主任", "区委办公室", (Role.CHIEF,), "签发人"),
    DemoUser("lingdao", "张书记", None, (Role.LEADER,), "领导：阅读已刊发简报"),
    DemoUser("shenji", "审计员", None, (Role.AUDITOR,), "审计员：查看审计日志"),
    DemoUser("xcb", "宣传部信息员", "区委宣传部", (Role.REPORTER,), "信息员（区委宣传部）"),
    DemoUser("sfj", "司法局信息员", "区司法局", (Role.REPORTER,), "信息员（区司法局）"),
    DemoUser("jcy", "检察院信息员", "区检察院", (Role.REPORTER,), "信息员（区检察院）"),
    DemoUser("fy", "法院信息员", "区法院", (Role.REPORTER,), "信息员（区法院）"),
    DemoUser("fl", "妇联信息员", "区妇联", (Role.REPORTER,), "信息员（区妇联）"),
    DemoUser("kfq", "开发区信息员", "先进制造业开发区", (Role.REPORTER,), "信息员（开发区）"),
    DemoUser("gyl", "工业路信息员", "工业路街道", (Role.REPORTER,), "信息员（工业路街道）"),
    DemoUser("ks", "矿山信息员", "矿山街道", (Role.REPORTER,), "信息员（矿山街道，需单位审核）"),
    DemoUser(
        "ks_shenhe", "矿山街道主任", "矿山街道", (Role.UNIT_APPROVER,), "单位审核人（矿山街道）"
    ),
    DemoUser("zgh", "总工会信息员", "区总工会", (Role.REPORTER,), "信息员（区总工会）"),
    DemoUser("tqw", "团区委信息员", "团区委", (Role.REPORTER,), "信息员（团区委）"),
    DemoUser("swj", "税务局信息员", "区税务局", (Role.REPORTER,), "信息员（区税务局）"),
    DemoUser("kjj", "科技局信息员", "区科技局", (Role.REPORTER,), "信息员（区科技局）"),
    DemoUser("gaj", "公安局信息员", "区公安局", (Role.REPORTER,), "信息员（区公安局）"),
    DemoUser("fangke", "访客", None, (), "无任何角色（用于验证权限）"),
]

# The office's own 综合 item of the reference issue, as the four units first reported it.
MERGED_ITEM_PARTS: list[tuple[str, str, str]] = [
    (
        "sfj",
        "区司法局做好未成年人法律援助工作",
        "区司法局对未成年人提出的法律援助申请及时审查，做到当天受理、当天审查、当天指派。选择具有3年以上执业经历、熟悉未成年人身心特点的律师担任辩护律师，提升未成年人案件办理质量。",
    ),
    (
        "jcy",
        "区检察院多举措加强未成年人保护",
        "区检察院结合实际案例，持续面向广大学生和家長讲解监护不力、欺凌、性侵害等法律知识。联合多部门举办开放日活动，进一步增强未成年人法治观念和安全意识。对300余名教师进行违法犯罪和行政处罚记录双排查，有力预防未成年人犯罪。",
    ),
    (
        "fy",
        "区法院开展“法说”普法公益讲座",
        "区法院联合郑州交通广播，开展“法说”普法公益项目讲座3期，引导青少年尊法、学法、守法、用法。",
    ),
    (
        "fl",
        "区妇联关爱困境家庭女童",
        "区妇联建立重点人群关注台账，加强走访联系，及时发现解决实际困难。加大关爱援助，对我区困境家庭女童发放“春蕾计划”助学金。",
    ),
]

# Reporter of each source unit of the reference issue, and where its item stands in the demo.
ENTRY_PLAN: dict[str, tuple[str, str]] = {
    "区委宣传部": ("xcb", "adopted_after_edit"),
    "先进制造业开发区": ("kfq", "in_review"),
    "工业路街道": ("gyl", "submitted"),
    "矿山街道": ("ks", "awaiting_unit_approval"),
    "区总工会": ("zgh", "returned"),
    "团区委": ("tqw", "submitted_urgent"),
    "区税务局": ("swj", "draft"),
    "区科技局": ("kjj", "adopted"),
    "区公安局": ("gaj", "archived"),
}


def _reference_entries() -> list[dict[str, Any]]:
    data = json.loads(REFERENCE_ISSUE.read_text(encoding="utf-8"))
    return list(data["entries"])


def _create_units() -> dict[str, Unit]:
    units = {}
    for order, (name, short, kind, aliases, approval) in enumerate(DEMO_UNITS, start=1):
        units[name] = do_create_unit(
            name=name,
            short_name=short,
            kind=kind,
            order=order * 10,
            requires_approval=approval,
            aliases=aliases,
        )
    return units


def _create_users(units: dict[str, Unit]) -> dict[str, User]:
    users = {
        spec.username: do_create_user(
            username=spec.username,
            password=DEMO_PASSWORD,
            display_name=spec.display_name,
            unit=units[spec.unit] if spec.unit else None,
            roles=spec.roles,
        )
        for spec in DEMO_USERS
    }
    for username in DEMO_TOTP_USERS:
        do_enrol_known_key(user=users[username], secret=DEMO_TOTP_SECRET)
    return users


def _submit(users: dict[str, User], username: str, title: str, body: str, **kw: Any) -> Submission:
    submission = do_create_submission(author=users[username], title=title, body=body, **kw)
    return do_transition(submission=submission, action=Action.SUBMIT, actor=users[username])


def _adopt(submission: Submission, editor: User) -> Submission:
    submission = do_transition(submission=submission, action=Action.CLAIM, actor=editor)
    return do_transition(submission=submission, action=Action.ADOPT, actor=editor)


def _build_merged_parts(users: dict[str, User]) -> None:
    editor = users["chaiyawen"]
    for username, title, body in MERGED_ITEM_PARTS:
        _adopt(_submit(users, username, title, body), editor)


def _reporter_original(entry: dict[str, Any]) -> tuple[str, str]:
    """A plausible first draft the editor later tightened into the printed text."""
    title = entry["title"].replace("创新打造", "积极探索打造")
    body = entry["body"].replace("丰富群众夜间生活。", "丰富了广大群众的夜间文化生活。")
    return title, body


def _build_entry(users: dict[str, User], entry: dict[str, Any]) -> None:
    unit_name = entry["source_units"][0]
    username, plan = ENTRY_PLAN[unit_name]
    editor = users["wangsiyu"]
    kind = Kind.BRIEF if entry["kind"] == "brief" else Kind.ITEM
    title, body = entry["title"] or "", entry["body"]
    urgency = Urgency.URGENT if plan == "submitted_urgent" else Urgency.NORMAL
    if plan == "draft":
        do_create_submission(author=users[username], title=title, body=body, kind=kind)
        return
    if plan == "adopted_after_edit":
        original_title, original_body = _reporter_original(entry)
        item = _submit(users, username, original_title, original_body, kind=kind)
        item = do_transition(submission=item, action=Action.CLAIM, actor=editor)
        item = do_update_submission(
            submission=item, actor=editor, expected_version=item.version, title=title, body=body
        )
        do_transition(submission=item, action=Action.ADOPT, actor=editor)
        return
    item = _submit(users, username, title, body, kind=kind, urgency=urgency)
    _advance(item, plan, users)


def _advance(item: Submission, plan: str, users: dict[str, User]) -> None:
    editor = users["wangsiyu"]
    if plan == "awaiting_unit_approval" or plan.startswith("submitted"):
        return
    item = do_transition(submission=item, action=Action.CLAIM, actor=editor)
    if plan == "adopted":
        do_transition(submission=item, action=Action.ADOPT, actor=editor)
    elif plan == "returned":
        do_transition(
            submission=item,
            action=Action.RETURN,
            actor=editor,
            reason="请补充今年以来签订集体合同的企业数和覆盖职工人数，并核对“协商中的遇到的”一句。",
        )
    elif plan == "archived":
        do_transition(
            submission=item,
            action=Action.ARCHIVE,
            actor=editor,
            reason="本期已有同类内容，存档备用。",
        )


@transaction.atomic
def build_demo() -> list[DemoUser]:
    """Create units, users and submissions; returns the demo accounts."""
    units = _create_units()
    users = _create_users(units)
    _build_merged_parts(users)
    for entry in _reference_entries():
        if entry["source_units"]:
            _build_entry(users, entry)
    build_bulletins_demo(users, REFERENCE_ISSUE)
    build_commissions_demo(users, units)
    build_distribution_demo(users, units)
    build_notifications_demo(users)
    build_scoring_demo(users, units)
    build_reports_demo(users)
    build_instructions_demo(users, units)
    return DEMO_USERS
