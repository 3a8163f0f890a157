"""Assertions shared by the proofreader tests."""

from __future__ import annotations

from jianbao.text.proofread import Finding, proofread


def check(text: str, rule: str | None = None, **kwargs: object) -> list[Finding]:
    """Proofread text, assert every finding's offsets, and keep only rule's findings."""
    findings = proofread(text, **kwargs)  # type: ignore[arg-type]
    for f in findings:
        assert text[f.start : f.end] == f.text, f
        assert f.severity in {"error", "warning", "info"}
        assert f.explanation
    return [f for f in findings if rule is None or f.rule == rule]


def flagged(text: str, rule: str | None = None) -> list[tuple[str, str | None]]:
    """(text, suggestion) of each finding of rule."""
    return [(f.text, f.suggestion) for f in check(text, rule)]
