"""Downloads: the frozen files of a published issue, or a rendering of the issue as it stands."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from jianbao.accounts.services import do_record_download
from jianbao.bulletins import selectors
from jianbao.bulletins.models import FileFormat, Issue, IssueFile
from jianbao.bulletins.rendering import CONTENT_TYPES, file_name, render_issue
from jianbao.bulletins.views.common import user_of
from jianbao.bulletins.workflow import IssueState
from jianbao.distribution.services import do_record_read

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
    """DOCX, PDF, HTML or OFD: the frozen file once published, a fresh rendering before."""
    if fmt not in FileFormat.values:
        raise Http404("没有这种格式。")
    issue = selectors.get_issue(user_of(request), pk)
    inline = request.GET.get("inline") == "1"
    stored = selectors.issue_files(issue).get(fmt)
    do_record_download(
        actor=user_of(request),
        kind="issue_file",
        object_type="issue",
        object_id=issue.pk,
        file_name=file_name(issue, fmt),
    )
    do_record_read(issue=issue, user=user_of(request))  # distribution: first opening
    if issue.state == IssueState.PUBLISHED and stored is not None:
        return _secure(_frozen(issue, stored, inline), fmt)
    return _secure(_rendered(issue, fmt, inline), fmt)


def _frozen(issue: Issue, stored: IssueFile, inline: bool) -> HttpResponse | FileResponse:
    """The published file; if it went missing, the identical re-rendering or a Chinese 503."""
    fmt = stored.format
    try:
        response: HttpResponse | FileResponse = FileResponse(
            stored.file.open("rb"), content_type=CONTENT_TYPES[fmt]
        )
    except OSError:
        # Rendering is deterministic: the same bytes are the published record, anything else not.
        try:
            (rendered,) = render_issue(issue, (fmt,))
        except ValidationError:
            rendered = None
        if rendered is None or rendered.sha256 != stored.sha256:
            message = "本期的已印发文件暂时无法读取，请联系管理员运行 jianbao doctor 检查。"
            return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(rendered.content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = _disposition(file_name(issue, fmt), inline)
    response["X-Content-SHA256"] = stored.sha256
    return response


@login_required
def preview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of the issue as it stands now, at any state."""
    issue = selectors.get_issue(user_of(request), pk)
    return _rendered(issue, FileFormat.PDF, inline=True)
