"""Who is told what: each transition tells the people it concerns, never the actor or outsiders."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from jianbao.accounts.models import User
from jianbao.bulletins import rendering
from jianbao.bulletins.services import (
    do_add_submissions,
    do_create_issue,
    do_create_series,
    do_transition_issue,
)
from jianbao.notifications.models import Notification, NotificationKind
from jianbao.notifications.services import do_notify
from jianbao.submissions.services import do_post_comment, do_transition
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db


def kinds_of(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_return_by_the_office_tells_the_author_with_the_reason(
    reporter_a: User, reporter_b: User, editor: User, outsider: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor)
    do_transition(submission=item, action="return", actor=editor, reason="请补充数据来源")
    notice = Notification.objects.get(recipient=reporter_a)
    assert notice.kind == NotificationKind.SUBMISSION_RETURNED
    assert "被退回修改" in notice.title
    assert notice.body == "请补充数据来源"
    assert notice.url == f"/submissions/{item.pk}/"
    assert kinds_of(editor) == [] and kinds_of(reporter_b) == [] and kinds_of(outsider) == []


def test_unit_approver_is_asked_and_the_send_back_reaches_the_reporter(
    reporter_signoff: User, approver_signoff: User, editor: User
) -> None:
    item = make_submission(author=reporter_signoff)
    item = do_transition(submission=item, action="submit", actor=reporter_signoff)
    assert kinds_of(approver_signoff) == [NotificationKind.SUBMISSION_AWAITING_APPROVAL]
    item = do_transition(
        submission=item, action="send_back", actor=approver_signoff, reason="数据请再核实"
    )
    assert item.state == State.SENT_BACK
    notice = Notification.objects.get(recipient=reporter_signoff)
    assert notice.kind == NotificationKind.SUBMISSION_SENT_BACK
    assert notice.body == "数据请再核实"
    assert kinds_of(editor) == []  # the office never saw the item
    # The reporter can revise and submit again.
    item = do_transition(submission=item, action="submit", actor=reporter_signoff)
    assert item.state == State.AWAITING_UNIT_APPROVAL


def test_adoption_tells_the_author(reporter_a: User, editor: User) -> None:
    make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    assert kinds_of(reporter_a) == [NotificationKind.SUBMISSION_ADOPTED]
    assert kinds_of(editor) == []


def test_actor_is_never_notified_and_inactive_users_are_skipped(
    reporter_a: User, reporter_b: User, editor: User
) -> None:
    reporter_b.is_active = False
    reporter_b.save()
    made = do_notify(
        recipients=[editor, reporter_a, reporter_a, reporter_b],
        kind=NotificationKind.ISSUE_PUBLISHED,
        title="测试",
        actor=editor,
    )
    assert [n.recipient for n in made] == [reporter_a]


def test_a_bad_kind_never_fails_the_callers_save(reporter_a: User) -> None:
    assert do_notify(recipients=[reporter_a], kind="no-such-kind", title="x") == []


def test_muted_kinds_are_not_recorded(reporter_a: User, editor: User) -> None:
    from jianbao.notifications.services import do_save_preferences

    do_save_preferences(
        user=reporter_a,
        muted_kinds=[NotificationKind.SUBMISSION_ADOPTED],
        email_kinds=[],
        quiet_start=None,
        quiet_end=None,
    )
    make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    assert kinds_of(reporter_a) == []


def test_comments_reach_the_other_side(
    reporter_a: User, editor: User, editor2: User, reporter_b: User
) -> None:
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    do_post_comment(submission=item, author=reporter_a, body="请问还需要补充照片吗？")
    # Nobody holds a claim: every editor hears of it; the author does not.
    assert kinds_of(editor) == [NotificationKind.COMMENT_POSTED]
    assert kinds_of(editor2) == [NotificationKind.COMMENT_POSTED]
    assert kinds_of(reporter_a) == []
    item = do_transition(submission=item, action="claim", actor=editor)
    do_post_comment(submission=item, author=editor, body="需要两张现场照片。")
    assert kinds_of(reporter_a) == [NotificationKind.COMMENT_POSTED]
    do_post_comment(submission=item, author=reporter_a, body="好的，马上补。")
    assert kinds_of(editor) == [NotificationKind.COMMENT_POSTED] * 2  # the claim holder
    assert len(kinds_of(editor2)) == 1
    assert kinds_of(reporter_b) == []


def test_comments_are_refused_to_others_and_when_empty(
    reporter_a: User, reporter_b: User, editor: User
) -> None:
    from django.core.exceptions import PermissionDenied

    draft = make_submission(author=reporter_a)
    with pytest.raises(PermissionDenied):
        do_post_comment(submission=draft, author=reporter_b, body="你好")
    with pytest.raises(PermissionDenied):  # the office does not see drafts
        do_post_comment(submission=draft, author=editor, body="你好")
    with pytest.raises(ValidationError):
        do_post_comment(submission=draft, author=reporter_a, body="   ")


def test_proof_asks_the_chiefs_and_publishing_tells_reporters_and_leaders(  # noqa: PLR0917
    reporter_a: User,
    editor: User,
    chief: User,
    leader: User,
    outsider: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:
    monkeypatch.setattr(rendering, "render_pdf", lambda bulletin: b"%PDF-1.7\n")
    item = make_submission(
        author=reporter_a, state=State.ADOPTED, editor=editor, title="区委宣传部打造三个模式"
    )
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    do_add_submissions(issue=issue, actor=editor, submissions=[item])
    issue.refresh_from_db()
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    sign = Notification.objects.get(recipient=chief)
    assert sign.kind == NotificationKind.ISSUE_AWAITING_SIGNATURE
    assert sign.url == f"/issues/{issue.pk}/"
    issue = do_transition_issue(issue=issue, action="sign", actor=chief)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        do_transition_issue(issue=issue, action="publish", actor=editor)
    printed = Notification.objects.get(
        recipient=reporter_a, kind=NotificationKind.SUBMISSION_PRINTED
    )
    assert printed.title == "《上街信息》2024年第1期刊发了您的信息「区委宣传部打造三个模式」"
    assert kinds_of(leader) == [NotificationKind.ISSUE_PUBLISHED]
    assert kinds_of(outsider) == []
    assert kinds_of(editor) == []
