"""A text-based OFD (GB/T 33190-2016) with the same layout as the typeset PDF.

The PDF is the layout: every glyph keeps its font, size, colour and position, every rule stays a
vector path, and the fonts the PDF names are embedded, cut down to the characters used. Units are
millimetres from the top-left corner of the page, as the standard counts them.

Package layout written here:

    OFD.xml                         DocBody: DocInfo (title, organ, date, custom data), DocRoot
    Doc_0/Document.xml              CommonData (MaxUnitID, PageArea, PublicRes, DocumentRes), Pages
    Doc_0/PublicRes.xml             Fonts, each with its FontFile in Doc_0/Res/
    Doc_0/DocumentRes.xml           the RGB colour space every colour refers to
    Doc_0/Res/font_N.otf            subset OpenType fonts
    Doc_0/Pages/Page_N/Content.xml  one Body layer of PathObjects and TextObjects
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from jianbao.typeset.font_files import find_font, subset_font
from jianbao.typeset.pdf_geometry import RGB, Glyph, PdfPage, Shape, read_pdf

NAMESPACE = "http://www.ofdspec.org/2016"
MM_PER_POINT = 25.4 / 72
CREATOR = "Jianbao"
ET.register_namespace("ofd", NAMESPACE)


def _q(name: str) -> str:
    """The qualified name of an OFD element: 「{http://www.ofdspec.org/2016}Page」."""
    return f"{{{NAMESPACE}}}{name}"


def _mm(points: float) -> float:
    return points * MM_PER_POINT


def _num(value: float) -> str:
    """A millimetre value to 0.001 mm without trailing zeros: 「5.644」, 「0」, 「210」."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _microns(points: float) -> int:
    """A position in whole micrometres, so that deltas of rounded positions add up exactly."""
    return round(_mm(points) * 1000)


def _colour(element: ET.Element, tag: str, colour: RGB) -> None:
    ET.SubElement(element, _q(tag), Value=" ".join(str(part) for part in colour))


@dataclass(frozen=True)
class OfdMetadata:
    """DocInfo: what an archive or a document system reads without opening the pages."""

    title: str
    author: str
    date: datetime.date
    subject: str = ""
    keywords: tuple[str, ...] = ()
    custom: tuple[tuple[str, str], ...] = ()  # (name, value), e.g. (「期号」, 「35」)

    @property
    def doc_id(self) -> str:
        """A stable 32-hex-digit identifier: the same issue always gets the same DocID."""
        key = "\n".join(
            (self.title, self.author, self.date.isoformat(), *map("=".join, self.custom))
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class _Ids:
    """Unit IDs: one counter for the whole document, as the standard requires (MaxUnitID)."""

    last: int = 0

    def next(self) -> int:
        self.last += 1
        return self.last


@dataclass
class _Font:
    id: int
    name: str
    family: str
    file_name: str
    characters: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Run:
    """Glyphs on one baseline sharing font, size and paint: one TextObject."""

    glyphs: tuple[Glyph, ...]

    @property
    def first(self) -> Glyph:
        return self.glyphs[0]


def _same_paint(a: Glyph, b: Glyph) -> bool:
    return (a.font, a.size, a.fill, a.stroke_width, a.stroke) == (
        b.font,
        b.size,
        b.fill,
        b.stroke_width,
        b.stroke,
    )


def _runs(glyphs: Sequence[Glyph]) -> list[_Run]:
    """Consecutive glyphs on one baseline, left to right, with the same font and paint."""
    runs: list[list[Glyph]] = []
    for glyph in glyphs:
        current = runs[-1] if runs else None
        if (
            current
            and _same_paint(current[-1], glyph)
            and abs(current[-1].baseline - glyph.baseline) < 0.01
            and glyph.x >= current[-1].x
        ):
            current.append(glyph)
        else:
            runs.append([glyph])
    return [_Run(tuple(run)) for run in runs]


def _deltas(values: Sequence[int]) -> str:
    """DeltaX: gaps between positions in mm, repeats folded with the standard's 「g N v」."""
    gaps = [b - a for a, b in itertools.pairwise(values)]
    parts: list[str] = []
    index = 0
    while index < len(gaps):
        end = index
        while end + 1 < len(gaps) and gaps[end + 1] == gaps[index]:
            end += 1
        count = end - index + 1
        value = _num(gaps[index] / 1000)
        parts.append(f"g {count} {value}" if count > 2 else " ".join([value] * count))
        index = end + 1
    return " ".join(parts)


def _text_object(layer: ET.Element, run: _Run, font: _Font, ids: _Ids) -> None:
    """One TextObject: Boundary around the run, TextCode at the first pen position."""
    first = run.first
    size = _mm(first.size)
    xs = [_microns(glyph.x) for glyph in run.glyphs]
    baseline = _microns(first.baseline)
    pad = round(size * 200)  # a fifth of the size around the glyphs: strokes and overhangs
    left, top = xs[0] - pad, baseline - round(size * 1000) - pad
    width = xs[-1] - xs[0] + round(size * 1000) + 2 * pad
    height = round(size * 1300) + 2 * pad
    attributes = {
        "ID": str(ids.next()),
        "Boundary": " ".join(_num(v / 1000) for v in (left, top, width, height)),
        "Font": str(font.id),
        "Size": _num(size),
    }
    if first.stroke_width:
        attributes["Stroke"] = "true"
        attributes["LineWidth"] = _num(_mm(first.stroke_width))
    element = ET.SubElement(layer, _q("TextObject"), attributes)
    _colour(element, "FillColor", first.fill)
    if first.stroke_width:
        _colour(element, "StrokeColor", first.stroke)
    code = ET.SubElement(
        element,
        _q("TextCode"),
        X=_num((xs[0] - left) / 1000),
        Y=_num((baseline - top) / 1000),
    )
    if len(xs) > 1:
        code.set("DeltaX", _deltas(xs))
    code.text = "".join(glyph.text for glyph in run.glyphs)
    font.characters.update(code.text)


def _path_data(shape: Shape, left: float, top: float) -> str:
    """AbbreviatedData relative to the Boundary's corner: 「M x y L x y B … C」."""
    parts: list[str] = []
    for segment in shape.segments:
        parts.append(segment.operator)
        for x, y in segment.points:
            parts.append(_num(_mm(x) - left))
            parts.append(_num(_mm(y) - top))
    return " ".join(parts)


def _path_object(layer: ET.Element, shape: Shape, ids: _Ids) -> None:
    """One PathObject: a rule or a border stays a vector path in its own colour."""
    points = [point for segment in shape.segments for point in segment.points]
    if not points:
        return
    half = _mm(shape.line_width) / 2 if shape.stroke else 0.0
    left = _mm(min(x for x, _ in points)) - half
    top = _mm(min(y for _, y in points)) - half
    right = _mm(max(x for x, _ in points)) + half
    bottom = _mm(max(y for _, y in points)) + half
    element = ET.SubElement(
        layer,
        _q("PathObject"),
        ID=str(ids.next()),
        Boundary=" ".join(_num(v) for v in (left, top, right - left, bottom - top)),
        LineWidth=_num(_mm(shape.line_width)),
        Stroke="true" if shape.stroke else "false",
        Fill="true" if shape.fill else "false",
    )
    if shape.fill:
        _colour(element, "FillColor", shape.fill)
    if shape.stroke:
        _colour(element, "StrokeColor", shape.stroke)
    ET.SubElement(element, _q("AbbreviatedData")).text = _path_data(shape, left, top)


def _page_xml(
    page: PdfPage, fonts: dict[str, _Font], ids: _Ids, area: tuple[float, float]
) -> bytes:
    """Content.xml of one page: vector shapes under the text, in one Body layer."""
    root = ET.Element(_q("Page"))
    size = (_mm(page.width), _mm(page.height))
    if any(abs(a - b) > 0.01 for a, b in zip(size, area, strict=True)):
        box = ET.SubElement(ET.SubElement(root, _q("Area")), _q("PhysicalBox"))
        box.text = f"0 0 {_num(size[0])} {_num(size[1])}"
    content = ET.SubElement(root, _q("Content"))
    layer = ET.SubElement(content, _q("Layer"), ID=str(ids.next()), Type="Body")
    for shape in page.shapes:
        _path_object(layer, shape, ids)
    for run in _runs(page.glyphs):
        _text_object(layer, run, fonts[run.first.font], ids)
    return _serialise(root)


def _serialise(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _ofd_xml(metadata: OfdMetadata) -> bytes:
    root = ET.Element(_q("OFD"), Version="1.0", DocType="OFD")
    body = ET.SubElement(root, _q("DocBody"))
    info = ET.SubElement(body, _q("DocInfo"))
    ET.SubElement(info, _q("DocID")).text = metadata.doc_id
    ET.SubElement(info, _q("Title")).text = metadata.title
    ET.SubElement(info, _q("Author")).text = metadata.author
    if metadata.subject:
        ET.SubElement(info, _q("Subject")).text = metadata.subject
    ET.SubElement(info, _q("CreationDate")).text = metadata.date.isoformat()
    if metadata.keywords:
        keywords = ET.SubElement(info, _q("Keywords"))
        for word in metadata.keywords:
            ET.SubElement(keywords, _q("Keyword")).text = word
    ET.SubElement(info, _q("Creator")).text = CREATOR
    if metadata.custom:
        custom = ET.SubElement(info, _q("CustomDatas"))
        for name, value in metadata.custom:
            ET.SubElement(custom, _q("CustomData"), Name=name).text = value
    ET.SubElement(body, _q("DocRoot")).text = "Doc_0/Document.xml"
    return _serialise(root)


def _document_xml(
    page_ids: list[int], area: tuple[float, float], max_id: int, colour_space: int
) -> bytes:
    root = ET.Element(_q("Document"))
    common = ET.SubElement(root, _q("CommonData"))
    ET.SubElement(common, _q("MaxUnitID")).text = str(max_id)
    box = ET.SubElement(ET.SubElement(common, _q("PageArea")), _q("PhysicalBox"))
    box.text = f"0 0 {_num(area[0])} {_num(area[1])}"
    ET.SubElement(common, _q("PublicRes")).text = "PublicRes.xml"
    ET.SubElement(common, _q("DocumentRes")).text = "DocumentRes.xml"
    ET.SubElement(common, _q("DefaultCS")).text = str(colour_space)
    pages = ET.SubElement(root, _q("Pages"))
    for number, page_id in enumerate(page_ids):
        ET.SubElement(
            pages, _q("Page"), ID=str(page_id), BaseLoc=f"Pages/Page_{number}/Content.xml"
        )
    return _serialise(root)


def _public_res_xml(fonts: Iterable[_Font]) -> bytes:
    root = ET.Element(_q("Res"), BaseLoc="Res")
    container = ET.SubElement(root, _q("Fonts"))
    for font in fonts:
        element = ET.SubElement(
            container, _q("Font"), ID=str(font.id), FontName=font.name, FamilyName=font.family
        )
        if "Bold" in font.name:
            element.set("Bold", "true")
        ET.SubElement(element, _q("FontFile")).text = font.file_name
    return _serialise(root)


def _document_res_xml(colour_space: int) -> bytes:
    root = ET.Element(_q("Res"), BaseLoc="Res")
    spaces = ET.SubElement(root, _q("ColorSpaces"))
    ET.SubElement(spaces, _q("ColorSpace"), ID=str(colour_space), Type="RGB", BitsPerComponent="8")
    return _serialise(root)


def _fonts(pages: Sequence[PdfPage], ids: _Ids, folders: tuple[Path, ...]) -> dict[str, _Font]:
    """One OFD font per PDF font, in order of first use, with its file found on disk."""
    fonts: dict[str, _Font] = {}
    for page in pages:
        for glyph in page.glyphs:
            if glyph.font not in fonts:
                face = find_font(glyph.font, folders)
                font_id = ids.next()
                fonts[glyph.font] = _Font(
                    font_id, face.postscript_name, face.family, f"font_{font_id}.otf"
                )
    return fonts


def _zip(members: list[tuple[str, bytes]], date: datetime.date) -> bytes:
    """A zip with every member stamped with the issue date: same issue, same bytes."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_ofd(pdf: bytes, *, metadata: OfdMetadata, font_folders: tuple[Path, ...]) -> bytes:
    """The PDF's pages as an OFD package with subset fonts from `font_folders` embedded."""
    pages = read_pdf(pdf)
    ids = _Ids()
    colour_space = ids.next()
    fonts = _fonts(pages, ids, font_folders)
    area = (_mm(pages[0].width), _mm(pages[0].height)) if pages else (210.0, 297.0)
    page_ids = [ids.next() for _ in pages]
    contents = [
        (f"Doc_0/Pages/Page_{n}/Content.xml", _page_xml(page, fonts, ids, area))
        for n, page in enumerate(pages)
    ]
    files = [
        (
            f"Doc_0/Res/{font.file_name}",
            subset_font(find_font(name, font_folders), sorted(font.characters)),
        )
        for name, font in fonts.items()
    ]
    members = [
        ("OFD.xml", _ofd_xml(metadata)),
        ("Doc_0/Document.xml", _document_xml(page_ids, area, ids.last, colour_space)),
        ("Doc_0/PublicRes.xml", _public_res_xml(fonts.values())),
        ("Doc_0/DocumentRes.xml", _document_res_xml(colour_space)),
        *files,
        *contents,
    ]
    return _zip(members, metadata.date)
