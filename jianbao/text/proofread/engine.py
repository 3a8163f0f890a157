"""Run the rules over a text and reconcile their findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Final

from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import PRIORITY, RULES, Finding
from jianbao.text.proofread.rules import (
    confusion,
    numbers,
    particles,
    punctuation,
    repeated_words,
    source_line,
    terms,
    traditional,
)

Check = Callable[[Context], Iterable[Finding]]

CHECKS: Final[dict[str, Check]] = {
    "traditional": traditional.check,
    "terms": terms.check,
    "particles": particles.check,
    "repeated_words": repeated_words.check,
    "punctuation": punctuation.check,
    "numbers": numbers.check,
    "source_line": source_line.check,
    "confusion": confusion.check,
}
assert set(CHECKS) == set(RULES) == set(PRIORITY)


def proofread(
    text: str,
    *,
    disabled_rules: set[str] | frozenset[str] = frozenset(),
    ignored_terms: set[str] | frozenset[str] = frozenset(),
) -> list[Finding]:
    """Check text and return findings sorted by position; the text itself is never changed."""
    unknown = set(disabled_rules) - set(RULES)
    if unknown:  # callers holding stored settings keep only known rules (proofreading.selectors)
        raise ValueError(
            f"unknown rule(s) {', '.join(sorted(unknown))} (known: {', '.join(RULES)})"
        )
    ctx = Context(text, frozenset(t for t in ignored_terms if t))
    found: list[Finding] = []
    for name in PRIORITY:
        if name not in disabled_rules:
            found.extend(CHECKS[name](ctx))
    kept = _without_overlaps(found)
    kept = [f for f in kept if not _is_ignored(f, ctx)]
    return sorted(kept, key=lambda f: (f.start, f.end, f.rule))


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop a finding that overlaps one from a higher-priority rule (it is the same problem)."""
    rank = {name: i for i, name in enumerate(PRIORITY)}
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (rank[f.rule], f.start)):
        if not any(_overlaps(finding, other) and other.rule != finding.rule for other in kept):
            kept.append(finding)
    return kept


def _overlaps(a: Finding, b: Finding) -> bool:
    if a.start == a.end or b.start == b.end:  # a point (e.g. a missing mark) overlaps nothing
        return False
    return a.start < b.end and b.start < a.end


def _ignored_spans(ctx: Context) -> Iterator[tuple[int, int]]:
    for term in ctx.ignored_terms:
        pos = ctx.text.find(term)
        while pos != -1:
            yield pos, pos + len(term)
            pos = ctx.text.find(term, pos + 1)


def _is_ignored(finding: Finding, ctx: Context) -> bool:
    """A finding inside (or equal to) a term the editor told us to leave alone."""
    if not ctx.ignored_terms:
        return False
    if finding.text in ctx.ignored_terms:
        return True
    return any(finding.start < e and s < finding.end for s, e in _ignored_spans(ctx))
