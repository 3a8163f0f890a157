"""The submission workflow: every legal transition, declared once (DESIGN.md section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    AWAITING_UNIT_APPROVAL = "awaiting_unit_approval", "待单位审核"
    # Sent back by the unit approver: like RETURNED for the reporter, but the office never saw it.
    SENT_BACK = "sent_back", "单位审核退回"
    SUBMITTED = "submitted", "已报送"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "退回修改"
    ARCHIVED = "archived", "存档（未采用）"
    ADOPTED = "adopted", "已采用"
    PUBLISHED = "published", "已刊发"


class Actor(StrEnum):
    """Who may perform a transition; checked against the user and the item's unit."""

    REPORTER = "reporter"  # a reporter of the item's unit
    UNIT_APPROVER = "unit_approver"  # an approver of the item's unit
    EDITOR = "editor"  # any editor (or chief)
    CLAIM_HOLDER = "claim_holder"  # the editor holding the claim, or a chief
    SYSTEM = "system"  # only the system, e.g. when an issue is published


class Action(models.TextChoices):
    CREATE = "create", "创建"
    SUBMIT = "submit", "报送"
    APPROVE = "approve", "审核同意"
    SEND_BACK = "send_back", "审核退回"
    WITHDRAW = "withdraw", "撤回"
    CLAIM = "claim", "认领"
    RELEASE = "release", "放弃认领"
    RETURN = "return", "退回修改"
    ARCHIVE = "archive", "存档（未采用）"
    REOPEN = "reopen", "重新审核"
    ADOPT = "adopt", "采用"
    PUBLISH = "publish", "刊发"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State
    actor: Actor
    reason_required: bool = False


def _t(
    action: Action, sources: set[State], target: State, actor: Actor, *, reason: bool = False
) -> Transition:
    return Transition(action, frozenset(sources), target, actor, reason)


# SUBMIT's target becomes AWAITING_UNIT_APPROVAL where the unit signs off (see `target_state`).
TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
        _t(
            Action.SUBMIT,
            {State.DRAFT, State.RETURNED, State.SENT_BACK},
            State.SUBMITTED,
            Actor.REPORTER,
        ),
        _t(Action.APPROVE, {State.AWAITING_UNIT_APPROVAL}, State.SUBMITTED, Actor.UNIT_APPROVER),
        _t(
            Action.SEND_BACK,
            {State.AWAITING_UNIT_APPROVAL},
            State.SENT_BACK,
            Actor.UNIT_APPROVER,
            reason=True,
        ),
        _t(
            Action.WITHDRAW,
            {State.AWAITING_UNIT_APPROVAL, State.SUBMITTED},
            State.DRAFT,
            Actor.REPORTER,
        ),
        _t(Action.CLAIM, {State.SUBMITTED}, State.IN_REVIEW, Actor.EDITOR),
        _t(Action.RELEASE, {State.IN_REVIEW}, State.SUBMITTED, Actor.CLAIM_HOLDER),
        _t(Action.RETURN, {State.IN_REVIEW}, State.RETURNED, Actor.CLAIM_HOLDER, reason=True),
        _t(Action.ARCHIVE, {State.IN_REVIEW}, State.ARCHIVED, Actor.CLAIM_HOLDER, reason=True),
        _t(Action.REOPEN, {State.ARCHIVED}, State.IN_REVIEW, Actor.EDITOR),
        _t(Action.ADOPT, {State.IN_REVIEW}, State.ADOPTED, Actor.CLAIM_HOLDER),
        _t(Action.PUBLISH, {State.ADOPTED}, State.PUBLISHED, Actor.SYSTEM),
    ]
}

# Who may change the text in which state.
EDITABLE_BY_REPORTER = frozenset({State.DRAFT, State.RETURNED, State.SENT_BACK})
EDITABLE_BY_EDITOR = frozenset({State.IN_REVIEW})


def target_state(transition: Transition, *, unit_requires_approval: bool) -> State:
    """Where a transition leads for an item of a unit with or without sign-off."""
    if transition.action == Action.SUBMIT and unit_requires_approval:
        return State.AWAITING_UNIT_APPROVAL
    return transition.target


def actions_from(state: State) -> list[Transition]:
    """The transitions that start in `state`, in declaration order."""
    return [t for t in TRANSITIONS.values() if state in t.sources]
