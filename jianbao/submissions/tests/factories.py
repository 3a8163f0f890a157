"""Submissions brought to any state through the real services."""

from __future__ import annotations

from jianbao.accounts.models import User
from jianbao.submissions.models import Kind, Submission, Urgency
from jianbao.submissions.services import do_create_submission, do_transition
from jianbao.submissions.workflow import Action, State

TITLE = "区委宣传部创新打造文明实践“三个模式”"
BODY = (
    "一是打造夜间模式。延长新时代文明实践中心（所、站）开放时间。\n"
    "二是打造假期模式。开展“我们的节日”系列文化活动。"
)

# The actions that lead from a draft to each state, and who performs them.
_PATHS: dict[State, list[tuple[Action, str]]] = {
    State.DRAFT: [],
    State.SUBMITTED: [(Action.SUBMIT, "author")],
    State.IN_REVIEW: [(Action.SUBMIT, "author"), (Action.CLAIM, "editor")],
    State.RETURNED: [
        (Action.SUBMIT, "author"),
        (Action.CLAIM, "editor"),
        (Action.RETURN, "editor"),
    ],
    State.ARCHIVED: [
        (Action.SUBMIT, "author"),
        (Action.CLAIM, "editor"),
        (Action.ARCHIVE, "editor"),
    ],
    State.ADOPTED: [(Action.SUBMIT, "author"), (Action.CLAIM, "editor"), (Action.ADOPT, "editor")],
}


def make_submission(
    *,
    author: User,
    state: State = State.DRAFT,
    editor: User | None = None,
    title: str = TITLE,
    body: str = BODY,
    kind: str = Kind.ITEM,
    urgency: str = Urgency.NORMAL,
) -> Submission:
    """A submission of the author's unit, moved to `state` by the author and the editor."""
    submission = do_create_submission(
        author=author, title=title, body=body, kind=kind, urgency=urgency
    )
    actors = {"author": author, "editor": editor}
    for action, who in _PATHS[state]:
        reason = "测试理由" if action in {Action.RETURN, Action.ARCHIVE} else ""
        submission = do_transition(
            submission=submission, action=action, actor=actors[who], reason=reason
        )
    return submission
