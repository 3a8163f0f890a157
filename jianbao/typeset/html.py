"""A standalone HTML reading page of an issue: same structure as the print, every text escaped."""

from __future__ import annotations

from html import escape
from itertools import groupby

from jianbao.typeset.layout import FooterLines, Layout, Masthead, Paragraph

_CSS = """
:root { --red: #e60012; --ink: #111; --pitch: 1.81em; }
* { box-sizing: border-box; }
html { background: #f3f1ec; color: var(--ink); }
body { margin: 0; padding: 2rem 1rem; }
.bulletin {
  max-width: 46rem; margin: 0 auto; padding: 3rem 3.5rem; background: #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, .15);
  font: 1.125rem/var(--pitch) "仿宋_GB2312", "仿宋", FangSong, STFangsong, FandolFang,
    "Noto Serif CJK SC", "Source Han Serif SC", serif;
}
.masthead { text-align: center; border-bottom: 2px solid var(--red); padding-bottom: .4rem;
  margin-bottom: var(--pitch); }
.masthead .marks { text-align: left; margin: 0; font-family: "黑体", SimHei, "Noto Sans CJK SC",
  sans-serif; }
.masthead h1 { margin: .2em 0 .1em; color: var(--red); line-height: 1.3;
  font-size: clamp(1.6rem, 12vw, 3.6rem); white-space: nowrap;
  letter-spacing: .1em; font-weight: bold; font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S",
  "Noto Serif CJK SC", "Source Han Serif SC", "宋体", serif; }
.masthead .number { margin: 0; }
.masthead .meta { display: flex; justify-content: space-between; gap: .5em; margin: 0;
  white-space: nowrap; font-size: clamp(.8rem, 3.6vw, 1em); }
.entries p { margin: 0; text-indent: 2em; text-align: justify; }
.entries strong { font-weight: bold; }
.entries .section { margin: 0; font-size: 1em; font-weight: normal;
  font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; }
.entries .editor-note, .entries .correction { font-family: "楷体_GB2312", "楷体", KaiTi, STKaiti,
  FandolKai, serif; }
.entries .editor-note strong, .entries .correction strong { font-weight: normal;
  font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; }
.entries table.data { width: 100%; border-collapse: collapse; font-size: .875em;
  line-height: 1.5; margin: .5em 0; }
.entries table.data th, .entries table.data td { border: 1px solid var(--ink); padding: .2em .4em;
  text-align: center; }
.entries table.data th { font-weight: normal; font-family: "黑体", SimHei, "Noto Sans CJK SC",
  sans-serif; }
.colophon { margin-top: calc(2 * var(--pitch)); border-top: 1px solid var(--ink);
  border-bottom: 1px solid var(--ink); font-size: .875em; line-height: 1.8; padding: .3em 1em; }
.colophon p { margin: 0; }
.colophon .editors { display: flex; justify-content: space-between;
  border-top: 1px solid var(--ink); margin: .3em -1em 0; padding: .3em 1em 0; }
/* Phone width (390 px): the title stays on one line, the 报尾 wraps under its labels. */
@media (max-width: 600px) {
  body { padding: .5rem 0; }
  .bulletin { padding: 1.2rem 1rem; font-size: 1rem; }
  .colophon { font-size: .8em; padding: .3em .5em; }
  .colophon .editors { flex-wrap: wrap; margin: .3em -.5em 0; padding: .3em .5em 0; }
}
/* A browser cannot print the official layout (28 × 22 grid, page numbers, 报尾 at the foot):
   the printout points to the PDF edition instead. */
@media print {
  @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
  html, body { background: #fff; padding: 0; }
  .bulletin { display: none; }
  body::before { display: block; font: 16pt/1.8 "仿宋_GB2312", FangSong, FandolFang, serif;
    content: "请打印PDF版本：网页版不按公文版式排版，请在简报系统中下载本期 PDF 版本后打印。"; }
}
"""


def _masthead(masthead: Masthead) -> str:
    """The 版头 as a header element."""
    marks = f'<p class="marks">{escape(masthead.marks)}</p>' if masthead.marks else ""
    return (
        f'<header class="masthead">{marks}<h1>{escape(masthead.title)}</h1>'
        f'<p class="number">{escape(masthead.number_line)}</p>'
        f'<p class="meta"><span class="organ">{escape(masthead.organ)}</span>'
        f'<span class="date">{escape(masthead.date)}</span></p></header>'
    )


def _paragraph(paragraph: Paragraph) -> str:
    """One paragraph; the lead in <strong>."""
    if paragraph.style == "section":
        return f'<h2 class="section">{escape(paragraph.text)}</h2>'
    if paragraph.style == "table":
        head, *rows = paragraph.rows
        cells = "".join(f"<th>{escape(cell)}</th>" for cell in head)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
        )
        return f'<table class="data"><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'
    lead = f"<strong>{escape(paragraph.lead)}</strong>" if paragraph.lead else ""
    return f'<p class="{paragraph.style}">{lead}{escape(paragraph.text)}</p>'


def _entries(paragraphs: tuple[Paragraph, ...]) -> str:
    """The body, each entry wrapped in a div with its kind."""
    parts: list[str] = []
    for index, group in groupby(paragraphs, key=lambda p: (p.entry, p.style == "section")):
        items = list(group)
        inner = "".join(_paragraph(p) for p in items)
        if index[0] < 0 or index[1]:
            parts.append(inner)
        else:
            kind = "brief" if items[0].style == "brief" else "item"
            parts.append(f'<div class="entry {kind}">{inner}</div>')
    return f'<main class="entries">{"".join(parts)}</main>'


def _footer(footer: FooterLines) -> str:
    """The 报尾 as a footer element (nothing when empty)."""
    if footer.empty:
        return ""
    lines = "".join(f"<p>{escape(line)}</p>" for line in footer.distribution)
    if footer.editors or footer.copies:
        lines += (
            f'<p class="editors"><span>{escape(footer.editors)}</span>'
            f"<span>{escape(footer.copies)}</span></p>"
        )
    return f'<footer class="colophon">{lines}</footer>'


def page(layout: Layout, *, title: str) -> str:
    """The whole HTML document."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<article class="bulletin">{_masthead(layout.masthead)}'
        f"{_entries(layout.paragraphs)}{_footer(layout.footer)}</article>\n</body>\n</html>\n"
    )
