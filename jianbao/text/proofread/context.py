"""Per-call state shared by the rules: the text and its (lazily computed) segmentation."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from jianbao.text import segment


@dataclass
class Context:
    """The text being checked, with its segmentation computed once for all rules."""

    text: str
    ignored_terms: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def tokens(self) -> list[tuple[str, int, int]]:
        """jieba tokens without HMM new-word guessing, so an unknown character stays alone."""
        return segment.cut_with_offsets(self.text, hmm=False)

    @cached_property
    def token_at(self) -> list[int]:
        """For each character offset, the index of the token covering it."""
        index = [0] * len(self.text)
        for i, (_, start, end) in enumerate(self.tokens):
            for pos in range(start, end):
                index[pos] = i
        return index
