"""The only module that imports pypdfium2: every glyph and vector path of a PDF, page by page.

Coordinates come out in points from the top-left corner of the page (y grows downwards), the way
OFD counts them; the OFD writer only converts points to millimetres.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium

from jianbao.typeset.errors import TypesetError

RGB = tuple[int, int, int]
# PDF text render modes that stroke the outline (fill+stroke, stroke, and their clipping forms).
_STROKING_MODES = {1, 2, 5, 6}
_FILLING_MODES = {0, 2, 4, 6}


@dataclass(frozen=True)
class Glyph:
    """One printed character: its text, font, size and pen position on the baseline."""

    text: str
    font: str  # PostScript name without the subset prefix: 「FandolFang-Regular」
    size: float
    x: float
    baseline: float
    fill: RGB
    stroke_width: float  # 0 when the outline is not stroked (a stroked outline fakes bold)
    stroke: RGB


@dataclass(frozen=True)
class Segment:
    """One path operator: 「M」 move, 「L」 line, 「B」 cubic Bézier (three points), 「C」 close."""

    operator: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Shape:
    """One vector path (a rule, a table border, a filled box) with how it is painted."""

    segments: tuple[Segment, ...]
    line_width: float
    stroke: RGB | None
    fill: RGB | None


@dataclass(frozen=True)
class PdfPage:
    """A page's size in points, its glyphs in reading order and its vector shapes."""

    width: float
    height: float
    glyphs: tuple[Glyph, ...]
    shapes: tuple[Shape, ...]


def _font_name(text_object: pdfium.FPDF_PAGEOBJECT) -> str:
    """The base font name of a text object without the 「ABCDEF+」 subset tag."""
    font = pdfium.FPDFTextObj_GetFont(text_object)
    buffer = ctypes.create_string_buffer(256)
    pdfium.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
    name = buffer.value.decode("latin-1")
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 else name


def _colour(getter: object, *args: object) -> RGB:
    """Read an RGBA colour through one of pdfium's four-out-parameter getters."""
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    getter(*args, red, green, blue, alpha)  # type: ignore[operator]
    return (red.value, green.value, blue.value)


def _stroke_width(page_object: pdfium.FPDF_PAGEOBJECT) -> float:
    width = ctypes.c_float()
    pdfium.FPDFPageObj_GetStrokeWidth(page_object, width)
    return float(width.value)


@dataclass(frozen=True)
class _Paint:
    """What a text object says about all of its characters."""

    font: str
    visible: bool
    fill: RGB
    stroke_width: float
    stroke: RGB


def _paint(text_object: pdfium.FPDF_PAGEOBJECT) -> _Paint:
    mode = pdfium.FPDFTextObj_GetTextRenderMode(text_object)
    stroked = mode in _STROKING_MODES
    return _Paint(
        font=_font_name(text_object),
        visible=mode in _FILLING_MODES | _STROKING_MODES,  # modes 3 and 7 print nothing
        fill=_colour(pdfium.FPDFPageObj_GetFillColor, text_object),
        stroke_width=_stroke_width(text_object) if stroked else 0.0,
        stroke=_colour(pdfium.FPDFPageObj_GetStrokeColor, text_object),
    )


def _glyphs(page: pypdfium2.PdfPage, height: float) -> list[Glyph]:
    """Every printed character of the page with its font, size, colours and origin."""
    text_page = page.get_textpage()
    handle = text_page.raw
    glyphs: list[Glyph] = []
    x, y = ctypes.c_double(), ctypes.c_double()
    paints: dict[int, _Paint] = {}
    for index in range(pdfium.FPDFText_CountChars(handle)):
        if pdfium.FPDFText_IsGenerated(handle, index):
            continue  # spaces and line ends pdfium adds between words and lines
        code = pdfium.FPDFText_GetUnicode(handle, index)
        text_object = pdfium.FPDFText_GetTextObject(handle, index)
        if not code or not text_object:
            continue
        # The object's address, read from the pointer's own bytes (2.5× faster than a cast).
        key = ctypes.c_void_p.from_buffer(text_object).value or 0
        paint = paints.get(key)
        if paint is None:
            paint = paints[key] = _paint(text_object)
        if not paint.visible:
            continue
        pdfium.FPDFText_GetCharOrigin(handle, index, x, y)
        glyphs.append(
            Glyph(
                text=chr(code),
                font=paint.font,
                size=float(pdfium.FPDFText_GetFontSize(handle, index)),
                x=x.value,
                baseline=height - y.value,
                fill=paint.fill,
                stroke_width=paint.stroke_width,
                stroke=paint.stroke,
            )
        )
    text_page.close()
    return glyphs


def _point(matrix: pdfium.FS_MATRIX, x: float, y: float, height: float) -> tuple[float, float]:
    """A path point moved to page space and turned to top-down coordinates."""
    page_x = matrix.a * x + matrix.c * y + matrix.e
    page_y = matrix.b * x + matrix.d * y + matrix.f
    return (page_x, height - page_y)


def _segments(
    path: pdfium.FPDF_PAGEOBJECT, matrix: pdfium.FS_MATRIX, height: float
) -> list[Segment]:
    """The path's segments in page space, Bézier control points grouped with their end point."""
    segments: list[Segment] = []
    pending: list[tuple[float, float]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(pdfium.FPDFPath_CountSegments(path)):
        segment = pdfium.FPDFPath_GetPathSegment(path, index)
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        point = _point(matrix, x.value, y.value, height)
        kind = pdfium.FPDFPathSegment_GetType(segment)
        if kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            pending.append(point)
            if len(pending) == 3:
                segments.append(Segment("B", tuple(pending)))
                pending = []
        elif kind == pdfium.FPDF_SEGMENT_MOVETO:
            segments.append(Segment("M", (point,)))
        else:
            segments.append(Segment("L", (point,)))
        if pdfium.FPDFPathSegment_GetClose(segment):
            segments.append(Segment("C", ()))
    return segments


def _shape(path: pdfium.FPDF_PAGEOBJECT, parent: pdfium.FS_MATRIX, height: float) -> Shape | None:
    """One path object as a shape, or None when it paints nothing."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium.FPDFPath_GetDrawMode(path, fill_mode, stroke)
    if not fill_mode.value and not stroke.value:
        return None  # a clipping path or an invisible one
    local = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(path, local)
    matrix = _multiply(local, parent)
    segments = _segments(path, matrix, height)
    if not segments:
        return None
    # The stroke width is in user space: scale it like the path (uniform scaling in practice).
    scale = (abs(matrix.a * matrix.d - matrix.b * matrix.c)) ** 0.5 or 1.0
    return Shape(
        segments=tuple(segments),
        line_width=_stroke_width(path) * scale,
        stroke=_colour(pdfium.FPDFPageObj_GetStrokeColor, path) if stroke.value else None,
        fill=_colour(pdfium.FPDFPageObj_GetFillColor, path) if fill_mode.value else None,
    )


def _multiply(first: pdfium.FS_MATRIX, then: pdfium.FS_MATRIX) -> pdfium.FS_MATRIX:
    """The matrix applying `first`, then `then` (PDF row-vector convention)."""
    return pdfium.FS_MATRIX(
        first.a * then.a + first.b * then.c,
        first.a * then.b + first.b * then.d,
        first.c * then.a + first.d * then.c,
        first.c * then.b + first.d * then.d,
        first.e * then.a + first.f * then.c + then.e,
        first.e * then.b + first.f * then.d + then.f,
    )


def _shapes(
    objects: list[pdfium.FPDF_PAGEOBJECT], parent: pdfium.FS_MATRIX, height: float
) -> list[Shape]:
    """Every painted path among these objects, looking inside form XObjects."""
    shapes: list[Shape] = []
    for page_object in objects:
        kind = pdfium.FPDFPageObj_GetType(page_object)
        if kind == pdfium.FPDF_PAGEOBJ_PATH:
            shape = _shape(page_object, parent, height)
            if shape is not None:
                shapes.append(shape)
        elif kind == pdfium.FPDF_PAGEOBJ_FORM:
            local = pdfium.FS_MATRIX()
            pdfium.FPDFPageObj_GetMatrix(page_object, local)
            count = pdfium.FPDFFormObj_CountObjects(page_object)
            inner = [pdfium.FPDFFormObj_GetObject(page_object, i) for i in range(count)]
            shapes.extend(_shapes(inner, _multiply(local, parent), height))
    return shapes


def read_pdf(content: bytes) -> list[PdfPage]:
    """The glyphs and shapes of every page of a PDF."""
    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError as error:
        raise TypesetError(f"无法读取 PDF：{error}") from error
    pages: list[PdfPage] = []
    try:
        for page in document:
            width, height = page.get_size()
            handle = page.raw
            objects = [
                pdfium.FPDFPage_GetObject(handle, i)
                for i in range(pdfium.FPDFPage_CountObjects(handle))
            ]
            identity = pdfium.FS_MATRIX(1, 0, 0, 1, 0, 0)
            pages.append(
                PdfPage(
                    width=width,
                    height=height,
                    glyphs=tuple(_glyphs(page, height)),
                    shapes=tuple(_shapes(objects, identity, height)),
                )
            )
            page.close()
    finally:
        document.close()
    return pages
