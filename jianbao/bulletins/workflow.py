"""The issue workflow: every legal transition, declared once (DESIGN.md section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class IssueState(models.TextChoices):
    DRAFT = "draft", "编辑中"
    PROOF = "proof", "校样"
    SIGNED = "signed", "已签发"
    PUBLISHED = "published", "已印发"
    VOIDED = "voided", "已作废"


class IssueActor(StrEnum):
    """Who may perform a transition on an issue."""

    EDITOR = "editor"  # any editor or chief (the bulletin office)
    CHIEF = "chief"  # 签发人 only


class IssueAction(models.TextChoices):
    PROOF = "proof", "出校样"
    BACK_TO_DRAFT = "back_to_draft", "退回编辑"
    SIGN = "sign", "签发"
    UNSIGN = "unsign", "撤销签发"
    PUBLISH = "publish", "印发"
    VOID = "void", "作废"


@dataclass(frozen=True)
class IssueTransition:
    action: IssueAction
    sources: frozenset[IssueState]
    target: IssueState
    actor: IssueActor
    reason_required: bool = False


def _t(
    action: IssueAction,
    sources: set[IssueState],
    target: IssueState,
    actor: IssueActor,
    *,
    reason: bool = False,
) -> IssueTransition:
    return IssueTransition(action, frozenset(sources), target, actor, reason)


S = IssueState
ISSUE_TRANSITIONS: dict[IssueAction, IssueTransition] = {
    t.action: t
    for t in [
        _t(IssueAction.PROOF, {S.DRAFT}, S.PROOF, IssueActor.EDITOR),
        _t(IssueAction.BACK_TO_DRAFT, {S.PROOF}, S.DRAFT, IssueActor.EDITOR),
        _t(IssueAction.SIGN, {S.PROOF}, S.SIGNED, IssueActor.CHIEF),
        _t(IssueAction.UNSIGN, {S.SIGNED}, S.PROOF, IssueActor.CHIEF, reason=True),
        _t(IssueAction.PUBLISH, {S.SIGNED}, S.PUBLISHED, IssueActor.EDITOR),
        _t(
            IssueAction.VOID, {S.DRAFT, S.PROOF, S.SIGNED}, S.VOIDED, IssueActor.EDITOR, reason=True
        ),
    ]
}

# Entries, header and footer change only while the issue is being edited; a proof is frozen.
EDITABLE_STATES = frozenset({IssueState.DRAFT})
# States whose issue still holds its number (a voided number is recorded and never reused).
LIVE_STATES = frozenset(set(IssueState) - {IssueState.VOIDED})


def issue_actions_from(state: IssueState) -> list[IssueTransition]:
    """The transitions that start in `state`, in declaration order."""
    return [t for t in ISSUE_TRANSITIONS.values() if state in t.sources]
