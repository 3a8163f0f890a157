"""Facts that arrive by phone or paper: outside adoptions (采用), leaders' instructions (批示)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.assessment.facts import item_units
from jianbao.assessment.models import Instruction, LeaderLevel
from jianbao.bulletins.models import Adoption, AdoptionForm, AdoptionLevel, Entry
from jianbao.bulletins.workflow import IssueState
from jianbao.submissions.models import Submission
from jianbao.submissions.workflow import State

EVIDENCE_SUFFIXES = {".jpg", ".jpeg", ".png", ".pdf"}
UNREPORTED = {State.DRAFT, State.AWAITING_UNIT_APPROVAL, State.SENT_BACK}


def check_evidence(evidence: UploadedFile | None) -> None:
    """A scan or photo: JPEG, PNG or PDF, no larger than JIANBAO_MAX_EVIDENCE_BYTES."""
    if evidence is None:
        return
    name = evidence.name or ""
    if PurePath(name).suffix.lower() not in EVIDENCE_SUFFIXES:
        raise ValidationError({"evidence": "佐证材料只能是 JPG、PNG 或 PDF 文件。"})
    limit = settings.JIANBAO_MAX_EVIDENCE_BYTES
    if (evidence.size or 0) > limit:
        raise ValidationError({"evidence": f"佐证材料超过 {limit // (1024 * 1024)} MB。"})


def _item(submission: Submission | None, entry: Entry | None) -> tuple[list[int], str]:
    """The credited units of the item, and how to name it in the audit trail."""
    if submission is None and entry is None:
        raise ValidationError("请选择一条稿件或一条已印发的条目。")
    if entry is not None:
        if entry.issue.state != IssueState.PUBLISHED:
            raise ValidationError("只能对已印发的条目记录。")
        _, by_entry = item_units(set(), {entry.pk})
        units = by_entry.get(entry.pk, [])
        if not units:
            raise ValidationError("该条目没有署名单位，无法计分。")
        return sorted(set(units)), f"entry:{entry.pk}"
    assert submission is not None
    if submission.state in UNREPORTED:
        raise ValidationError("该稿件尚未报送到信息科，不能记录采用或批示。")
    by_submission, _ = item_units({submission.pk}, set())
    return sorted(set(by_submission.get(submission.pk, []))), f"submission:{submission.pk}"


@dataclass(frozen=True)
class OutsideAdoption:
    """What an outside outlet did with our item."""

    outlet: str
    level: str
    form: str
    date: date
    outlet_issue: str = ""
    forwarded: bool = False
    note: str = ""


def _check(adoption: OutsideAdoption) -> str:
    outlet = adoption.outlet.strip().strip("《》").strip()
    if not outlet:
        raise ValidationError({"outlet": "请填写采用载体，如「郑州信息」。"})
    if adoption.level not in AdoptionLevel.values:
        raise ValidationError({"level": "级别无效。"})
    if adoption.form not in AdoptionForm.values:
        raise ValidationError({"form": "采用形式无效。"})
    if adoption.date > timezone.localdate():
        raise ValidationError({"date": "采用日期不能晚于今天。"})
    return outlet


@transaction.atomic
def do_record_adoption(
    *,
    actor: User,
    adoption: OutsideAdoption,
    submission: Submission | None = None,
    entry: Entry | None = None,
    evidence: UploadedFile | None = None,
) -> list[Adoption]:
    """Record that an outside outlet adopted an item: one row per credited unit."""
    outlet = _check(adoption)
    check_evidence(evidence)
    units, label = _item(submission, entry)
    duplicate = Adoption.objects.filter(
        outlet=outlet, outlet_issue=adoption.outlet_issue.strip(), level=adoption.level
    )
    duplicate = (
        duplicate.filter(entry=entry)
        if entry is not None
        else duplicate.filter(submission=submission)
    )
    if duplicate.exists():
        raise ValidationError(f"《{outlet}》{adoption.outlet_issue}对该条的采用已经记录过了。")
    now = timezone.now()
    rows: list[Adoption] = []
    for unit in units:
        row = Adoption(
            submission=submission if submission is not None else _only_submission(entry, unit),
            entry=entry,
            unit_id=unit,
            outlet=outlet,
            outlet_issue=adoption.outlet_issue.strip()[:50],
            level=adoption.level,
            form=adoption.form,
            date=adoption.date,
            forwarded=adoption.forwarded,
            note=adoption.note.strip()[:300],
            recorded_by=actor,
            created_at=now,
        )
        if evidence is not None:
            if rows:
                row.evidence.name = rows[0].evidence.name
            else:
                row.evidence.save(evidence.name or "evidence", evidence, save=False)
        row.save()
        rows.append(row)
    record_audit_event(
        action="scores.adoption_recorded",
        actor=actor,
        object_type="adoption",
        object_id=rows[0].pk,
        detail={"item": label, "outlet": outlet, "level": adoption.level, "units": units},
    )
    return rows


def _only_submission(entry: Entry | None, unit: int) -> Submission | None:
    if entry is None:
        return None
    source = entry.sources.filter(unit_id=unit, submission__isnull=False).first()
    return source.submission if source is not None else None


@transaction.atomic
def do_record_outside_issue(
    *, actor: User, adoption: OutsideAdoption, items: list[tuple[Entry | Submission, str]]
) -> int:
    """Record a whole outside issue at once: every item it carried, each with its form."""
    if not items:
        raise ValidationError("请至少选择一条该期采用的信息。")
    if not adoption.outlet_issue.strip():
        raise ValidationError({"outlet_issue": "整期录入请填写期次，如「2024年第12期」。"})
    count = 0
    for item, form in items:
        one = OutsideAdoption(**{**adoption.__dict__, "form": form})
        if isinstance(item, Entry):
            count += len(do_record_adoption(actor=actor, adoption=one, entry=item))
        else:
            count += len(do_record_adoption(actor=actor, adoption=one, submission=item))
    return count


@transaction.atomic
def do_record_instruction(
    *,
    actor: User,
    leader_name: str,
    leader_level: str,
    day: date,
    text: str = "",
    submission: Submission | None = None,
    entry: Entry | None = None,
    evidence: UploadedFile | None = None,
) -> Instruction:
    """Record a leader's instruction (批示) on an item."""
    leader_name = leader_name.strip()
    if not leader_name:
        raise ValidationError({"leader_name": "请填写批示领导。"})
    if leader_level not in LeaderLevel.values:
        raise ValidationError({"leader_level": "领导级别无效。"})
    if day > timezone.localdate():
        raise ValidationError({"date": "批示日期不能晚于今天。"})
    check_evidence(evidence)
    _, label = _item(submission, entry)
    instruction = Instruction(
        submission=submission, entry=entry, leader_name=leader_name[:50],
        leader_level=leader_level, text=text.strip(), date=day, recorded_by=actor,
        recorded_at=timezone.now(),
    )  # fmt: skip
    if evidence is not None:
        instruction.evidence.save(evidence.name or "evidence", evidence, save=False)
    instruction.save()
    record_audit_event(
        action="scores.instruction_recorded",
        actor=actor,
        object_type="instruction",
        object_id=instruction.pk,
        detail={"item": label, "leader": leader_name, "level": leader_level},
    )
    return instruction
