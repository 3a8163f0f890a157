"""Demo work that waits for people: an issue in proof for the 签发人, an item sent back by the
unit approver, comments between a unit and the office (each makes its notification through the
same services as real use; returns and adoptions earlier in the demo already made theirs)."""

from __future__ import annotations

import datetime

from jianbao.accounts.models import Unit, User
from jianbao.bulletins.models import Series
from jianbao.bulletins.services import do_create_entry, do_create_issue, do_transition_issue
from jianbao.submissions.models import Submission
from jianbao.submissions.services import do_create_submission, do_post_comment, do_transition
from jianbao.submissions.workflow import Action, State

PROOF_ITEMS: list[tuple[str, str, str, str]] = [
    (
        "item",
        "区人社局",
        "区人社局“三个清单”推动稳岗扩就业",
        "一是建立岗位清单。梳理辖区重点企业用工需求，发布岗位680个。"
        "二是建立问题清单。每周收集企业招工、培训中的难题，限时办结。"
        "三是建立服务清单。为企业提供“一对一”用工服务，今年以来帮助320人实现就业。",
    ),
    (
        "brief",
        "峡窝镇",
        "",
        "近日，峡窝镇组织开展“健康义诊进社区”活动，为群众提供免费测血压、测血糖等服务600余人次。",
    ),
]


def _issue_for_signature(users: dict[str, User]) -> None:
    """《上街信息》2024年第36期, assembled and in proof: qianfa's home page asks him to sign it."""
    editor = users["wangsiyu"]
    series = Series.objects.get(title="上街信息")
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 24))
    for kind, unit_name, title, body in PROOF_ITEMS:
        unit = Unit.objects.get(name=unit_name)
        do_create_entry(issue=issue, actor=editor, kind=kind, title=title, body=body, units=[unit])
    issue.refresh_from_db()
    do_transition_issue(issue=issue, action="proof", actor=editor)


def _sent_back_by_the_approver(users: dict[str, User]) -> None:
    reporter, approver = users["ks"], users["ks_shenhe"]
    item = do_create_submission(
        author=reporter,
        title="矿山街道开展老旧小区加装电梯意见征集",
        body="矿山街道在辖区12个老旧小区开展加装电梯意见征集，收集意见建议80余条。",
    )
    item = do_transition(submission=item, action=Action.SUBMIT, actor=reporter)
    do_transition(
        submission=item,
        action=Action.SEND_BACK,
        actor=approver,
        reason="“80余条”请与社区台账核对，并补充已签约加装的楼栋数。",
    )


def _comments(users: dict[str, User]) -> None:
    submitted = Submission.objects.filter(state=State.SUBMITTED, unit__name="工业路街道").first()
    if submitted is not None:
        do_post_comment(
            submission=submitted,
            author=users["gyl"],
            body="现场照片已整理好，如需要请告知，我们另行报送。",
        )
    in_review = Submission.objects.filter(state=State.IN_REVIEW).first()
    if in_review is not None:
        do_post_comment(
            submission=in_review,
            author=users["wangsiyu"],
            body="请补充园区今年新落地项目的投资总额，明天上午前回复。",
        )


def build_notifications_demo(users: dict[str, User]) -> None:
    """Work waiting on every home page: a proof to sign, a sent-back item, comments."""
    _issue_for_signature(users)
    _sent_back_by_the_approver(users)
    _comments(users)
