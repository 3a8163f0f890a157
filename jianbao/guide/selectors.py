"""Reads of the user guide (Markdown files in JIANBAO_GUIDE_DIR): public, holds no data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from jianbao.guide.rendering import first_heading, render_guide_page

# The order of the chapters in the guide's table of contents; other files follow by name.
ORDER = ("reporter", "editor", "signer", "leader", "admin")
INDEX_FILE = "README.md"
SLUG = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
SCREENSHOT = re.compile(r"^(?:[a-z0-9-]+/)?[a-z0-9-]+\.png$")


@dataclass(frozen=True)
class GuidePage:
    slug: str  # "" for the index
    title: str
    url: str


@dataclass(frozen=True)
class GuideContent:
    page: GuidePage
    html: str


def guide_dir() -> Path:
    return Path(settings.JIANBAO_GUIDE_DIR)


def screenshots_dir() -> Path:
    return guide_dir().parent / "screenshots"


def _url(slug: str) -> str:
    return reverse("guide:page", args=[slug]) if slug else reverse("guide:index")


def _file(slug: str) -> Path | None:
    if slug and not SLUG.match(slug):
        return None
    path = guide_dir() / (f"{slug}.md" if slug else INDEX_FILE)
    return path if path.is_file() else None


def guide_pages() -> list[GuidePage]:
    """The chapters (index first), titled by their first heading."""
    folder = guide_dir()
    if not folder.is_dir():
        return []
    slugs = [p.stem for p in folder.glob("*.md") if p.name != INDEX_FILE and SLUG.match(p.stem)]
    rank = {slug: n for n, slug in enumerate(ORDER)}
    slugs.sort(key=lambda slug: (rank.get(slug, len(ORDER)), slug))
    pages = []
    for slug in ["", *slugs]:
        path = _file(slug)
        if path is not None:
            title = first_heading(path.read_text(encoding="utf-8")) or slug
            pages.append(GuidePage(slug=slug, title=title, url=_url(slug)))
    return pages


def guide_page(slug: str) -> GuideContent | None:
    """One chapter rendered to HTML, or None when there is no such chapter."""
    path = _file(slug)
    if path is None:
        return None
    rendered = render_guide_page(
        path.read_text(encoding="utf-8"), page_url=_page_link, image_url=_image_link
    )
    page = GuidePage(slug=slug, title=rendered.title or slug, url=_url(slug))
    return GuideContent(page=page, html=rendered.html)


def _page_link(target: str) -> str | None:
    name = Path(target).name
    if name == INDEX_FILE:
        return _url("")
    slug = name.removesuffix(".md")
    return _url(slug) if _file(slug) is not None else None


def _image_link(src: str) -> str | None:
    name = src.removeprefix("../screenshots/")
    if name == src or screenshot_file(name) is None:
        return None
    return reverse("guide:screenshot", args=[name])


def screenshot_file(name: str) -> Path | None:
    """A PNG under docs/screenshots/ (one folder deep at most), or None."""
    if not SCREENSHOT.match(name):
        return None
    path = screenshots_dir() / name
    return path if path.is_file() else None
