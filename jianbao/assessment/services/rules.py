"""Rule-set versions: validated by the engine, never edited in place (a change is a new version)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.assessment.models import RuleSetVersion
from jianbao.scoring import RulesError, rules_from_json, rules_to_json


def validated_rules(data: Any) -> dict[str, Any]:
    """The normalised JSON of a rule set, or a ValidationError with the engine's Chinese reason."""
    try:
        return rules_to_json(rules_from_json(data))
    except RulesError as error:
        raise ValidationError(f"规则有误：{error}") from error


@transaction.atomic
def do_save_rule_set_version(
    *, actor: User | None, name: str, effective_from: date, rules: dict[str, Any], note: str = ""
) -> RuleSetVersion:
    """Save a new version of the rules in force from a date (stored figures do not change until
    an explicit recompute)."""
    name = name.strip()
    if not name:
        raise ValidationError("规则名称不能为空。")
    data = validated_rules({**rules, "name": name})
    if RuleSetVersion.objects.filter(effective_from=effective_from).exists():
        raise ValidationError(f"{effective_from:%Y-%m-%d} 起生效的版本已存在，请换一个生效日期。")
    version = RuleSetVersion.objects.create(
        name=name,
        effective_from=effective_from,
        rules=data,
        note=note.strip(),
        created_by=actor if actor is not None and actor.pk else None,
        created_at=timezone.now(),
    )
    record_audit_event(
        action="scores.rules_saved",
        actor=actor,
        object_type="rule_set_version",
        object_id=version.pk,
        detail={"name": name, "effective_from": effective_from.isoformat()},
    )
    return version
