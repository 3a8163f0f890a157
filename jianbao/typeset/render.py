"""The public API of the typesetter: one bulletin in, DOCX bytes, PDF bytes or an HTML page out.

python-docx (DOCX) and pdfium/HarfBuzz (OFD) are imported by the renderer that needs them, not
here: `jianbao render --format pdf` then starts in half the time.
"""

from __future__ import annotations

from jianbao.typeset.html import page
from jianbao.typeset.layout import lay_out, number_line
from jianbao.typeset.model import Bulletin
from jianbao.typeset.typst_adapter import FontDirs, compile_pdf


def _title(bulletin: Bulletin) -> str:
    """「上街信息 第35期」 for document metadata."""
    return f"{bulletin.series} {number_line(bulletin)}"


def render_docx(bulletin: Bulletin) -> bytes:
    """The issue as a Word document naming the official fonts."""
    from jianbao.typeset.docx_adapter import write_docx  # noqa: PLC0415 (python-docx: when needed)

    layout = lay_out(bulletin)
    return write_docx(layout, title=_title(bulletin), author=bulletin.organ, date=bulletin.date)


def render_pdf(bulletin: Bulletin) -> bytes:
    """The issue as a PDF with embedded stand-in fonts; TypesetError when fonts are missing."""
    return compile_pdf(lay_out(bulletin).to_json(), date=bulletin.date)


def render_html(bulletin: Bulletin) -> str:
    """The issue as a standalone reading page."""
    return page(lay_out(bulletin), title=_title(bulletin))


def render_ofd(bulletin: Bulletin) -> bytes:
    """The issue as a text-based OFD (GB/T 33190): the PDF's layout, its fonts subset inside."""
    from jianbao.typeset.ofd import OfdMetadata, write_ofd  # noqa: PLC0415 (pdfium, HarfBuzz)

    number = [("期号", str(bulletin.number))]
    if bulletin.total_number is not None:
        number.append(("总期号", str(bulletin.total_number)))
    metadata = OfdMetadata(
        title=_title(bulletin),
        author=bulletin.organ,
        date=bulletin.date,
        subject=bulletin.series,
        custom=(("刊名", bulletin.series), ("年份", str(bulletin.year)), *number),
    )
    dirs = FontDirs.from_environment()
    return write_ofd(render_pdf(bulletin), metadata=metadata, font_folders=(dirs.fandol, dirs.noto))
