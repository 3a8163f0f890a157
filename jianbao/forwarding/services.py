"""Writes of 转报: forward items as a DOCX package, record what the higher office adopted."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.assessment.services.records import OutsideAdoption, do_record_adoption
from jianbao.bulletins.models import Adoption, Entry
from jianbao.bulletins.workflow import IssueState
from jianbao.forwarding.models import ForwardItem, ForwardPackage
from jianbao.forwarding.selectors import may_manage
from jianbao.typeset import Bulletin, render_docx
from jianbao.typeset import Entry as TypesetEntry

MAX_ITEMS = 50


def _typeset_entry(entry: Entry) -> TypesetEntry:
    units = tuple(s.unit.short_name or s.unit.name for s in entry.sources.select_related("unit"))
    return TypesetEntry(
        kind="item", title=entry.title or entry.body[:30], body=entry.body,
        section=f"原载{entry.issue}", source_units=units,
    )  # fmt: skip


@transaction.atomic
def do_forward_entries(
    *,
    actor: User,
    entries: list[Entry],
    to_office: str,
    note: str = "",
    now: datetime | None = None,
) -> ForwardPackage:
    """Forward printed items (original text and units) to a higher office as one DOCX."""
    if not may_manage(actor):
        raise PermissionDenied("只有信息科编辑可以转报。")
    to_office = " ".join(to_office.split())
    if not to_office:
        raise ValidationError({"to_office": "请填写报送单位，如「市政府办公室」。"})
    if not entries:
        raise ValidationError({"entries": "请至少选择一条已印发的信息。"})
    if len(entries) > MAX_ITEMS:
        raise ValidationError({"entries": f"一次最多转报 {MAX_ITEMS} 条。"})
    if any(e.issue.state != IssueState.PUBLISHED for e in entries):
        raise ValidationError({"entries": "只能转报已印发的信息。"})
    now = now or timezone.now()
    day = timezone.localdate(now)
    bulletin = Bulletin(
        series="转报信息", year=day.year, number=ForwardPackage.objects.count() + 1,
        organ=entries[0].issue.organ or entries[0].issue.series.organ, date=day,
        entries=tuple(_typeset_entry(e) for e in entries),
    )  # fmt: skip
    content = render_docx(bulletin)
    package = ForwardPackage(
        to_office=to_office[:100], note=note.strip()[:300], created_by=actor, created_at=now,
        sha256=hashlib.sha256(content).hexdigest(),
    )  # fmt: skip
    package.docx.save(f"zhuanbao-{day:%Y%m%d}.docx", ContentFile(content), save=False)
    package.save()
    ForwardItem.objects.bulk_create(
        ForwardItem(package=package, entry=e, order=i) for i, e in enumerate(entries)
    )
    record_audit_event(
        action="forwarding.create",
        actor=actor,
        object_type="forward_package",
        object_id=package.pk,
        detail={"to": to_office, "entries": [e.pk for e in entries], "sha256": package.sha256},
    )
    return package


@transaction.atomic
def do_record_forward_outcome(
    *, actor: User, package: ForwardPackage, entry: Entry, adoption: OutsideAdoption
) -> list[Adoption]:
    """Record that the higher office adopted a forwarded item (an outside adoption, forwarded)."""
    if not package.items.filter(entry=entry).exists():
        raise ValidationError("该条目不在本次转报中。")
    forwarded = OutsideAdoption(**{**adoption.__dict__, "forwarded": True})
    return do_record_adoption(actor=actor, adoption=forwarded, entry=entry)
