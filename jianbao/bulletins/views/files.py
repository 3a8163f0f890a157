"""Downloads: the frozen files of a published issue, or a rendering of the issue as it stands."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from jianbao.bulletins import selectors
from jianbao.bulletins.models import FileFormat, Issue
from jianbao.bulletins.rendering import CONTENT_TYPES, file_name, render_issue
from jianbao.bulletins.views.common import user_of
from jianbao.bulletins.workflow import IssueState

# The reading page frames the HTML; it needs its inline styles and nothing else.
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _disposition(name: str, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename*=UTF-8''{quote(name)}"


def _rendered(issue: Issue, fmt: str, inline: bool) -> HttpResponse:
    try:
        (rendered,) = render_issue(issue, (fmt,))
    except ValidationError as error:
        message = "；".join(error.messages)
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(rendered.content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = _disposition(file_name(issue, fmt), inline)
    response["Cache-Control"] = "no-store"
    return response


def _secure(response: HttpResponse | FileResponse, fmt: str) -> HttpResponse | FileResponse:
    if fmt == FileFormat.HTML:
        response["Content-Security-Policy"] = HTML_CSP
    return response


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse | FileResponse:
    """DOCX, PDF or HTML: the frozen file once published, a fresh rendering before."""
    if fmt not in FileFormat.values:
        raise Http404("没有这种格式。")
    issue = selectors.get_issue(user_of(request), pk)
    inline = request.GET.get("inline") == "1"
    stored = selectors.issue_files(issue).get(fmt)
    if issue.state == IssueState.PUBLISHED and stored is not None:
        response = FileResponse(stored.file.open("rb"), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = _disposition(file_name(issue, fmt), inline)
        response["X-Content-SHA256"] = stored.sha256
        return _secure(response, fmt)
    return _secure(_rendered(issue, fmt, inline), fmt)


@login_required
def preview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of the issue as it stands now, at any state."""
    issue = selectors.get_issue(user_of(request), pk)
    return _rendered(issue, FileFormat.PDF, inline=True)
