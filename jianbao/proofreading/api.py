"""`/api/v1/proofread`: findings for any text, with the office's choices applied."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from jianbao.proofreading.selectors import check_text
from jianbao.text.proofread import RULES

router = Router(tags=["proofread"])
MAX_CHARS = 100_000


class ProofreadIn(Schema):
    text: str = Field(..., max_length=MAX_CHARS)
    disabled_rules: list[str] = Field(default_factory=list)


class FindingOut(Schema):
    start: int
    end: int
    text: str
    suggestion: str | None
    rule: str
    severity: str
    explanation: str


class RuleOut(Schema):
    name: str
    label: str
    description: str


@router.post("", response=list[FindingOut], summary="Proofread a text")
def proofread_text(request: HttpRequest, payload: ProofreadIn) -> list[FindingOut]:
    unknown = set(payload.disabled_rules) - set(RULES)
    if unknown:
        raise ValidationError(f"未知的校对规则：{'、'.join(sorted(unknown))}")
    findings = check_text(payload.text, extra_disabled=frozenset(payload.disabled_rules))
    return [FindingOut(**finding.to_dict()) for finding in findings]


@router.get("/rules", response=list[RuleOut], summary="The proofreading rules")
def list_rules(request: HttpRequest) -> list[RuleOut]:
    return [
        RuleOut(name=name, label=info.label, description=info.description)
        for name, info in RULES.items()
    ]
