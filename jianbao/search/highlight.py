"""Text with marked spans as safe HTML: every piece is escaped, only <mark> is added."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jianbao.text.search_query import marked_pieces


def marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """`text` escaped, with each (start, end) span wrapped in <mark>."""
    return mark_safe(
        "".join(
            f"<mark>{escape(piece)}</mark>" if match else escape(piece)
            for piece, match in marked_pieces(text, spans)
        )
    )
