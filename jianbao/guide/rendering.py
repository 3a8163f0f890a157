"""Markdown to HTML for the user guide: the only module that imports `markdown` (no Django).

Links between guide files (`editor.md#认领`) and images under `../screenshots/` are rewritten by
the callables the caller passes, so the same Markdown reads correctly on the repository host and
inside the application. An image whose file is missing becomes a short note with its alt text.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["tables", "sane_lists", "attr_list"]


@dataclass(frozen=True)
class Rendered:
    title: str
    html: str


class _LinkRewriter(Treeprocessor):
    def __init__(
        self,
        md: markdown.Markdown,
        *,
        page_url: Callable[[str], str | None],
        image_url: Callable[[str], str | None],
    ) -> None:
        super().__init__(md)
        self.page_url = page_url
        self.image_url = image_url

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "a":
                    self._link(child)
                elif child.tag == "img":
                    self._image(parent, index, child)

    def _link(self, element: etree.Element) -> None:
        href = element.get("href", "")
        target, _, anchor = href.partition("#")
        if not target.endswith(".md") or "://" in target:
            return
        url = self.page_url(target)
        if url is not None:
            element.set("href", url + (f"#{anchor}" if anchor else ""))

    def _image(self, parent: etree.Element, index: int, element: etree.Element) -> None:
        url = self.image_url(element.get("src", ""))
        if url is not None:
            element.set("src", url)
            element.set("loading", "lazy")
            return
        note = etree.Element("span", {"class": "guide-missing-image"})
        note.text = f"（截图：{element.get('alt', '')}）"
        note.tail = element.tail
        parent.remove(element)
        parent.insert(index, note)


class _GuideExtension(Extension):
    def __init__(
        self,
        *,
        page_url: Callable[[str], str | None],
        image_url: Callable[[str], str | None],
    ) -> None:
        super().__init__()
        self.page_url = page_url
        self.image_url = image_url

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        rewriter = _LinkRewriter(md, page_url=self.page_url, image_url=self.image_url)
        md.treeprocessors.register(rewriter, "guide_links", 5)


def render_guide_page(
    text: str,
    *,
    page_url: Callable[[str], str | None],
    image_url: Callable[[str], str | None],
) -> Rendered:
    """The page's first-level heading and its HTML, links and images rewritten."""
    md = markdown.Markdown(
        extensions=[
            *EXTENSIONS,
            "toc",
            _GuideExtension(page_url=page_url, image_url=image_url),
        ],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}},
        output_format="html",
    )
    html = md.convert(text)
    return Rendered(title=first_heading(text), html=html)


def first_heading(text: str) -> str:
    """The text of the first `# ` line, or an empty string."""
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""
