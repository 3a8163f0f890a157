"""The user guide inside the application (「帮助」): public pages, no data."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jianbao.guide.selectors import guide_page, guide_pages, screenshot_file


@require_safe
def page(request: HttpRequest, slug: str = "") -> HttpResponse:
    """One chapter of the guide with the table of contents beside it."""
    content = guide_page(slug)
    if content is None:
        if slug:
            raise Http404("没有这一章")
        return render(request, "guide/missing.html", status=404)
    return render(request, "guide/page.html", {"content": content, "pages": guide_pages()})


@require_safe
def screenshot(request: HttpRequest, name: str) -> FileResponse:
    """A screenshot the guide shows (docs/screenshots/…)."""
    path = screenshot_file(name)
    if path is None:
        raise Http404("没有这张截图")
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response
