"""Page fitting as a typesetter checks it on the proof (校样): how many pages the PDF takes,
whether the 报尾 stands alone on a page of its own, and which short lines open a page."""

from __future__ import annotations

from dataclasses import dataclass

from jianbao.typeset.layout import lay_out
from jianbao.typeset.model import Bulletin
from jianbao.typeset.typst_adapter import measure_pages

TOP_MARGIN_PT = 37 * 72 / 25.4
LEFT_MARGIN_PT = 28 * 72 / 25.4
LINE_PITCH_PT = 28.95
CHAR_PT = 16.0
# A last line of at most this many characters must not open a page.
SHORT_LINE_CHARS = 2

REMEDIES = (
    "压缩一行：删改某条信息中的几个字，使其少占一行，报尾即可回到上一页；",
    "移出一条：将一条简讯或信息移到下一期。",
)


@dataclass(frozen=True)
class PageFit:
    """What the proof reports about the issue's pages."""

    pages: int
    # The last page holds nothing but the 报尾.
    footer_alone: bool
    # Pages (from 2) that open with a paragraph's last line of ≤ 2 characters.
    short_top_lines: tuple[int, ...]

    @property
    def ok(self) -> bool:
        """True when a typesetter would print it as it is."""
        return not (self.footer_alone or self.short_top_lines)

    def messages(self) -> list[str]:
        """The findings in Chinese, for the proof page."""
        found = []
        if self.footer_alone:
            found.append(
                f"报尾单独占了第{self.pages}页（该页没有正文）。印出来会是一张几乎空白的页面。"
            )
        for page in self.short_top_lines:
            found.append(f"第{page}页开头只有不超过{SHORT_LINE_CHARS}个字的一行（孤行）。")
        return found


def _is_top_line(y: float) -> bool:
    """True when a baseline at `y` (pt from the page top) is on the first grid line."""
    return y < TOP_MARGIN_PT + LINE_PITCH_PT


def page_fit(bulletin: Bulletin) -> PageFit:
    """Lay the issue out once (no PDF written) and report its page fitting (~30–100 ms)."""
    probes = measure_pages(lay_out(bulletin).to_json())
    ends = [p for p in probes if p.get("kind") == "end"]
    footer = next((p for p in probes if p.get("kind") == "footer"), None)
    pages = max((int(p.get("pages", 1)) for p in probes), default=1)
    last_text_page = max((int(p["page"]) for p in ends), default=1)
    footer_alone = footer is not None and int(footer["page"]) > last_text_page
    short = sorted(
        {
            int(p["page"])
            for p in ends
            if int(p["page"]) > 1
            and _is_top_line(float(p["y"]))
            and float(p["x"]) - LEFT_MARGIN_PT <= SHORT_LINE_CHARS * CHAR_PT + 1
        }
    )
    return PageFit(pages=pages, footer_alone=footer_alone, short_top_lines=tuple(short))
