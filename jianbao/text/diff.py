"""Character-level comparison of two texts, for showing how an editor changed an item."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

OpKind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class DiffOp:
    kind: OpKind
    text: str


def char_diff(old: str, new: str) -> list[DiffOp]:
    """Operations turning `old` into `new` character by character (replace = delete + insert)."""
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(DiffOp("equal", old[i1:i2]))
            continue
        if i2 > i1:
            ops.append(DiffOp("delete", old[i1:i2]))
        if j2 > j1:
            ops.append(DiffOp("insert", new[j1:j2]))
    return ops


def diff_stats(ops: list[DiffOp]) -> tuple[int, int]:
    """Characters inserted and deleted."""
    inserted = sum(len(op.text) for op in ops if op.kind == "insert")
    deleted = sum(len(op.text) for op in ops if op.kind == "delete")
    return inserted, deleted
