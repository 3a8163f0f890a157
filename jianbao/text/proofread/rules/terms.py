"""Rule `terms`: known wrong forms of fixed official terms, idioms and words (data/terms.tsv)."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from functools import cache

from jianbao.text.proofread import resources as res
from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding

RULE = "terms"

_KIND_LABEL = {"提法": "规范提法", "成语": "成语", "用词": "规范用词"}


@cache
def _index(extra_dir: str) -> dict[str, list[res.TermEntry]]:
    """Entries by first character, longest wrong form first (so 截止到目前 beats 截止目前)."""
    by_first: dict[str, list[res.TermEntry]] = defaultdict(list)
    for entry in res.term_entries():
        by_first[entry.wrong[0]].append(entry)
    return {k: sorted(v, key=lambda e: -len(e.wrong)) for k, v in by_first.items()}


def check(ctx: Context) -> Iterator[Finding]:
    """Occurrences of a wrong form that do not cut through a real word of the sentence."""
    index = _index(os.environ.get(res.EXTRA_DIR_ENV, ""))
    text = ctx.text
    pos = 0
    while pos < len(text):
        entry = next((e for e in index.get(text[pos], ()) if text.startswith(e.wrong, pos)), None)
        if entry is None or not _on_word_boundaries(ctx, pos, pos + len(entry.wrong)):
            pos += 1
            continue
        end = pos + len(entry.wrong)
        label = _KIND_LABEL.get(entry.kind, "规范提法")
        yield Finding(
            start=pos,
            end=end,
            text=entry.wrong,
            suggestion=entry.right,
            rule=RULE,
            severity="error",
            explanation=f"{label}应为「{entry.right}」。",
        )
        pos = end


def _on_word_boundaries(ctx: Context, start: int, end: int) -> bool:
    """False when the match starts or ends inside a multi-character word (预防犯罪 ≠ 防犯)."""
    tokens, token_at = ctx.tokens, ctx.token_at
    _, first_start, _ = tokens[token_at[start]]
    _, _, last_end = tokens[token_at[end - 1]]
    return first_start == start and last_end == end
