"""The audit trail's hash chain: canonical serialisation, hashing and verification (pure Python).

Every event stores `prev_hash` (the hash of the event before it, `GENESIS` for the first) and
`hash` = SHA-256 over the canonical JSON of its fields and `prev_hash`. Removing, altering or
reordering a record breaks the chain at that record; removing the newest records is found by
comparing the last event with the chain head (the sequence and hash recorded with every append).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainRecord:
    """The fields of one audit event that the chain protects."""

    sequence: int
    created_at: datetime
    actor_id: int | None
    actor_name: str
    actor_unit: str
    action: str
    object_type: str
    object_id: str
    outcome: str
    ip_address: str | None
    detail: Any
    prev_hash: str
    hash: str = ""
    pk: int | None = None


def plain_detail(detail: Any) -> Any:
    """`detail` as plain JSON values (what the database gives back), so hashes are reproducible."""
    return json.loads(json.dumps(detail if detail is not None else {}, default=str))


def canonical(record: ChainRecord) -> bytes:
    """The bytes that are hashed: sorted-key compact JSON, the time in UTC with microseconds."""
    moment = record.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload = {
        "sequence": record.sequence,
        "time": moment,
        "actor_id": record.actor_id,
        "actor_name": record.actor_name,
        "actor_unit": record.actor_unit,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "outcome": record.outcome,
        "ip_address": record.ip_address or "",
        "detail": record.detail,
        "prev_hash": record.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(record: ChainRecord) -> str:
    """SHA-256 (hex) of the record's canonical form."""
    return hashlib.sha256(canonical(record)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain breaks, with a one-line reason."""

    sequence: int | None
    pk: int | None
    reason: str


def verify_chain(
    records: Iterable[ChainRecord],
    *,
    head: tuple[int, str] | None,
    progress: Callable[[int], None] | None = None,
) -> ChainProblem | None:
    """The first break in `records` (ordered by sequence), or None when the chain is intact.

    `head` is the (sequence, hash) the chain head recorded with the newest append (None when
    there is no head row: fine for an empty trail only).
    """
    expected_prev = GENESIS
    last_seq = 0
    for count, record in enumerate(records, start=1):
        problem = _link_problem(record, count, expected_prev)
        if problem is not None:
            return problem
        expected_prev, last_seq = record.hash, count
        if progress is not None:
            progress(count)
    return _head_problem(head, last_seq, expected_prev)


def _link_problem(
    record: ChainRecord, expected_seq: int, expected_prev: str
) -> ChainProblem | None:
    reason = ""
    if record.sequence > expected_seq:
        missing = _span(expected_seq, record.sequence - 1)
        reason = f"审计记录 {missing} 已被删除（记录 #{record.sequence} 之前缺失）"
    elif record.sequence < expected_seq:
        reason = f"审计记录 #{record.sequence} 序号重复或顺序错乱"
    elif record.prev_hash != expected_prev:
        reason = f"审计记录 #{record.sequence} 的前序哈希不符（前一条记录被删除或改动）"
    elif chain_hash(record) != record.hash:
        reason = f"审计记录 #{record.sequence}（{record.action}）的内容被改动，哈希不符"
    return ChainProblem(record.sequence, record.pk, reason) if reason else None


def _head_problem(
    head: tuple[int, str] | None, last_seq: int, last_hash: str
) -> ChainProblem | None:
    if head is None:
        return ChainProblem(None, None, "审计链头记录缺失（链尾可能被删除）") if last_seq else None
    if head == (last_seq, last_hash):
        return None
    head_seq = head[0]
    if head_seq > last_seq:
        reason = f"审计记录 {_span(last_seq + 1, head_seq)} 已被删除（链头为 #{head_seq}）"
    else:
        reason = f"审计链头（#{head_seq}）与最后一条记录 #{last_seq} 不符"
    return ChainProblem(head_seq, None, reason)


def _span(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}–#{last}"
