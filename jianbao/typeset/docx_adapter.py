"""The only module that imports python-docx: reading DOCX for the archive parser, writing it for
the typesetter."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import docx.table
import docx.text.paragraph
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from lxml import etree

from jianbao.text.limits import LimitError, ParseLimits, check_docx, lxml_out_of_memory
from jianbao.typeset.layout import FooterLines, Layout, Masthead, Paragraph
from jianbao.typeset.wordml import (
    BORDER_ORDER,
    PBDR_ORDER,
    PPR_ORDER,
    RPR_ORDER,
    TBLPR_ORDER,
    TCPR_ORDER,
)


class DocxReadError(ValueError):
    """The file is not a readable Word document."""


@dataclass(frozen=True)
class DocxParagraph:
    """One paragraph of a Word file as plain text, with the bold text it starts with."""

    text: str
    bold_prefix: str
    in_table: bool = False


def _open(data: bytes, limits: ParseLimits) -> DocxDocument:
    """The document, opened only after its zip directory and every XML part passed the checks
    (no DTD or entities, bounded sizes and counts: `jianbao.text.limits.check_docx`)."""
    try:
        check_docx(data, limits)
    except LimitError as error:
        raise DocxReadError(str(error)) from error
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DocxReadError(f"不是有效的 Word（.docx）文件：{error}") from error
    except MemoryError:
        raise
    except Exception as error:  # python-docx raises many types on a damaged package
        if lxml_out_of_memory(error):
            raise MemoryError(str(error)) from error
        raise DocxReadError(f"Word 文件已损坏，无法读取：{type(error).__name__}") from error


def _bold_prefix(paragraph: object) -> str:
    prefix = []
    for run in paragraph.runs:  # type: ignore[attr-defined]
        if not run.text:
            continue
        if run.bold or (run.style is not None and run.style.font.bold):
            prefix.append(run.text)
        else:
            break
    return "".join(prefix)


def read_docx_paragraphs(
    source: str | Path | bytes, limits: ParseLimits | None = None
) -> list[DocxParagraph]:
    """Paragraphs of the body in document order, table cells included, empty ones kept out;
    the file is checked against `limits` (the defaults when none) before it is parsed."""
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as error:
        raise DocxReadError(f"无法读取文件：{error.strerror or error}") from error
    document = _open(data, limits or ParseLimits())
    try:
        return _body_paragraphs(document)
    except (AttributeError, KeyError, ValueError, IndexError, TypeError) as error:
        raise DocxReadError(f"Word 文件结构异常，无法读取：{type(error).__name__}") from error


def _body_paragraphs(document: DocxDocument) -> list[DocxParagraph]:
    paragraphs: list[DocxParagraph] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            if paragraph.text.strip():
                paragraphs.append(DocxParagraph(paragraph.text, _bold_prefix(paragraph)))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        if paragraph.text.strip():
                            paragraphs.append(
                                DocxParagraph(
                                    paragraph.text, _bold_prefix(paragraph), in_table=True
                                )
                            )
    return paragraphs


# --- Writing (the typesetter) -------------------------------------------------------------------
# Writing builds the XML itself where python-docx has no API (East Asian fonts, grid, floats),
# always inserting children in the schema's order: Word refuses a file whose order is wrong.

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
RED = "E60012"

BODY_HALF_POINTS = 32  # 三号 16 pt
PAGE_NUMBER_HALF_POINTS = 28  # 四号 14 pt
FOOTER_HALF_POINTS = 28
LINE_PITCH = 579  # twips: 22 lines in the 225 mm text block
# −0.25 pt letter spacing: 28 characters of 15.75 pt fit the 156 mm line in Word and LibreOffice.
LETTER_SPACING = -5  # twentieths of a point
TEXT_WIDTH = 8845  # twips: 210 mm − 28 mm − 26 mm
LEFT_MARGIN = 1587  # twips: 28 mm
FIRST_LINE_INDENT = 630  # two characters of 15.75 pt, for readers that ignore firstLineChars
MM = 36000  # EMU per millimetre
RULE_GAP = 4  # points between the organ/date line and the red rule
# The page number's 一字线 lies 7 mm below the text block (GB/T 9704 7.5): the footer's bottom is
# 25.35 mm above the page edge (measured in LibreOffice: the dash's ink then starts at 269 mm).
FOOTER_DISTANCE = round(25.29 * MM)


def _child(parent: Any, tag: str, order: list[str], **attributes: str) -> Any:
    """Get or create `w:tag` under `parent` at its schema position, then set `w:` attributes."""
    element = parent.find(qn(f"w:{tag}"))
    if element is None:
        element = OxmlElement(f"w:{tag}")
        later = order[order.index(tag) + 1 :]
        successor = next((c for c in parent if c.tag.rsplit("}", 1)[-1] in later), None)
        if successor is None:
            parent.append(element)
        else:
            successor.addprevious(element)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _fonts(rpr: Any, font: str) -> None:
    """Name `font` in every slot and drop theme fonts, which would otherwise win."""
    rfonts = _child(rpr, "rFonts", RPR_ORDER, ascii=font, hAnsi=font, eastAsia=font, cs=font)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{theme}"), None)


@dataclass(frozen=True)
class _RunStyle:
    """How a run looks: font, size, bold, colour, letter spacing."""

    font: str = BODY_FONT
    half_points: int | None = None
    bold: bool = False
    color: str | None = None
    spacing: int | None = None


def _run(paragraph: Any, text: str, style: _RunStyle) -> None:
    """Append a run of text in `style` (nothing for empty text)."""
    if not text:
        return
    rpr = paragraph.add_run(text)._r.get_or_add_rPr()
    _style_rpr(rpr, style)


def _style_rpr(rpr: Any, style: _RunStyle) -> None:
    """Write `style` into a run properties element."""
    _fonts(rpr, style.font)
    if style.bold:
        _child(rpr, "b", RPR_ORDER)
        _child(rpr, "bCs", RPR_ORDER)
    if style.color:
        _child(rpr, "color", RPR_ORDER, val=style.color)
    if style.spacing is not None:
        _child(rpr, "spacing", RPR_ORDER, val=str(style.spacing))
    if style.half_points:
        _child(rpr, "sz", RPR_ORDER, val=str(style.half_points))
        _child(rpr, "szCs", RPR_ORDER, val=str(style.half_points))


def _ppr(paragraph: Any) -> Any:
    """The paragraph's properties element."""
    return paragraph._p.get_or_add_pPr()


def _no_indent(ppr: Any, *, left: int = 0, right: int = 0) -> None:
    """No first-line indent; optional left and right indents in twips."""
    _child(
        ppr, "ind", PPR_ORDER, left=str(left), right=str(right), firstLine="0", firstLineChars="0"
    )


def _border(ppr: Any, side: str, *, eighths: int, color: str = "000000", space: int = 1) -> None:
    """A single rule on one side of the paragraph."""
    pbdr = _child(ppr, "pBdr", PPR_ORDER)
    _child(pbdr, side, PBDR_ORDER, val="single", sz=str(eighths), space=str(space), color=color)


def _exact_lines(ppr: Any, twips: int) -> None:
    """Exact line height in twips, no space before or after."""
    _child(ppr, "spacing", PPR_ORDER, before="0", after="0", line=str(twips), lineRule="exact")


def _setup_styles(document: DocxDocument) -> None:
    """Document defaults and Normal: 三号 仿宋, −0.25 pt spacing, justified, 2-character indent."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _style_rpr(rpr, _RunStyle(half_points=BODY_HALF_POINTS, spacing=LETTER_SPACING))
    _child(rpr, "lang", RPR_ORDER, val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    normal = document.styles["Normal"].element
    ppr = normal.get_or_add_pPr()
    # Page fitting: never a paragraph's last line alone at the top of a page (a 「部）」 line);
    # Word and WPS keep two lines together, LibreOffice imports it as widows = orphans = 2.
    _child(ppr, "widowControl", PPR_ORDER, val="1")
    # LibreOffice 7.4 maps overflowPunct inversely (val 0 → hanging punctuation on), and a
    # hanging 。 or 、 at the end of a justified line vanishes from its page: val 1 keeps every
    # mark on the grid there, and is Word's default anyway.
    _child(ppr, "overflowPunct", PPR_ORDER, val="1")
    # No automatic space between Chinese and Latin letters or digits: it breaks the grid.
    _child(ppr, "autoSpaceDE", PPR_ORDER, val="0")
    _child(ppr, "autoSpaceDN", PPR_ORDER, val="0")
    _child(ppr, "spacing", PPR_ORDER, before="0", after="0", line="240", lineRule="auto")
    _child(ppr, "ind", PPR_ORDER, firstLineChars="200", firstLine=str(FIRST_LINE_INDENT))
    _child(ppr, "jc", PPR_ORDER, val="both")
    default_ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _child(default_ppr, "spacing", PPR_ORDER, before="0", after="0", line="240", lineRule="auto")
    # Stock heading styles name theme fonts, which Word resolves to Latin/Japanese faces.
    for style in styles.findall(qn("w:style")):
        heading = style.get(qn("w:styleId"), "").startswith(("Heading", "Title"))
        for rfonts in list(style.iter(qn("w:rFonts"))):
            if any("heme" in name for name in rfonts.attrib):
                _fonts(rfonts.getparent(), HEI_FONT if heading else BODY_FONT)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_section(document: DocxDocument) -> None:
    """A4, GB/T 9704 margins, a line-only grid of 22 lines (LibreOffice misreads linesAndChars)."""
    section = document.sections[0]
    section.page_width, section.page_height = Emu(210 * MM), Emu(297 * MM)
    section.top_margin, section.bottom_margin = Emu(37 * MM), Emu(35 * MM)
    section.left_margin, section.right_margin = Emu(28 * MM), Emu(26 * MM)
    section.header_distance, section.footer_distance = Emu(15 * MM), Emu(FOOTER_DISTANCE)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def _page_number(paragraph: Any) -> None:
    """「— N —」 in 四号 宋体 with a PAGE field."""
    style = _RunStyle(font=SONG_FONT, half_points=PAGE_NUMBER_HALF_POINTS, spacing=0)
    _run(paragraph, "— ", style)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        _style_rpr(run._r.get_or_add_rPr(), style)
        if kind:
            run._r.append(_field_char(kind))
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""
    end = paragraph.add_run()
    _style_rpr(end._r.get_or_add_rPr(), style)
    end._r.append(_field_char("end"))
    _run(paragraph, " —", style)


def _field_char(kind: str) -> Any:
    """A field boundary (begin, separate or end)."""
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _setup_page_numbers(document: DocxDocument) -> None:
    """Odd pages right, even pages left, one character in from the edge (GB/T 9704)."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        ppr = _ppr(paragraph)
        _child(ppr, "snapToGrid", PPR_ORDER, val="0")
        indent = {side: str(PAGE_NUMBER_HALF_POINTS * 10)}
        _no_indent(ppr, left=int(indent.get("left", 0)), right=int(indent.get("right", 0)))
        _child(ppr, "jc", PPR_ORDER, val=side)
        _page_number(paragraph)


def _masthead(document: DocxDocument, masthead: Masthead) -> None:
    """Marks, the big red title, 「第35期」, organ and date on one line over a red rule."""
    if masthead.marks:
        paragraph = document.add_paragraph()
        _no_indent(_ppr(paragraph))
        _run(paragraph, masthead.marks, _RunStyle(font=HEI_FONT, spacing=0))
    title = document.add_paragraph()
    ppr = _ppr(title)
    _exact_lines(ppr, 3 * LINE_PITCH)  # three grid lines, as in the PDF
    _no_indent(ppr)
    _child(ppr, "jc", PPR_ORDER, val="center")
    points = masthead.title_points
    tracking = round(points * 2)  # 0.1 em in twentieths of a point
    title_style = _RunStyle(
        font=TITLE_FONT, half_points=round(points * 2), color=RED, spacing=tracking
    )
    _run(title, masthead.title, title_style)
    number = document.add_paragraph()
    _no_indent(_ppr(number))
    _child(_ppr(number), "jc", PPR_ORDER, val="center")
    _run(number, masthead.number_line, _RunStyle(spacing=0))
    organ = document.add_paragraph()
    ppr = _ppr(organ)
    _border(ppr, "bottom", eighths=16, color=RED, space=RULE_GAP)
    _right_tab(ppr, TEXT_WIDTH)
    _no_indent(ppr)
    _run(organ, masthead.organ, _RunStyle(spacing=0))
    _run(organ, "\t", _RunStyle(spacing=0))
    _run(organ, masthead.date, _RunStyle(spacing=0))
    # One empty grid line between the rule and the body, less what the rule itself takes.
    spacer = _ppr(document.add_paragraph())
    _child(spacer, "snapToGrid", PPR_ORDER, val="0")
    _exact_lines(spacer, LINE_PITCH - (RULE_GAP * 20 + 2 * 20))


def _body_paragraph(document: DocxDocument, paragraph: Paragraph) -> None:
    """One paragraph of the body in its style; the lead is bold."""
    if paragraph.style == "table":
        _data_table(document, paragraph.rows)
        return
    target = document.add_paragraph()
    ppr = _ppr(target)
    if paragraph.style == "section":
        _child(ppr, "keepNext", PPR_ORDER)
        _no_indent(ppr)
        _run(target, paragraph.text, _RunStyle(font=HEI_FONT))
    elif paragraph.style in ("editor-note", "correction"):
        _run(target, paragraph.lead, _RunStyle(font=HEI_FONT))
        _run(target, paragraph.text, _RunStyle(font=KAI_FONT))
    else:
        _run(target, paragraph.lead, _RunStyle(bold=True))
        _run(target, paragraph.text, _RunStyle())


def _data_table(document: DocxDocument, rows: tuple[tuple[str, ...], ...]) -> None:
    """A ruled table (a 通报's ranking): 四号, centred cells, header row in 黑体 repeated."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    borders = _child(table._tbl.tblPr, "tblBorders", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _child(borders, side, BORDER_ORDER, val="single", sz="4", space="0", color="000000")
    for number, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        if number == 0:
            _child(row._tr.get_or_add_trPr(), "tblHeader", ["cantSplit", "tblHeader"])
        style = _RunStyle(font=HEI_FONT if number == 0 else BODY_FONT, half_points=28, spacing=0)
        for cell, value in zip(row.cells, values, strict=True):
            ppr = _ppr(cell.paragraphs[0])
            _child(ppr, "snapToGrid", PPR_ORDER, val="0")
            _exact_lines(ppr, 20 * 20)
            _no_indent(ppr)
            _child(ppr, "jc", PPR_ORDER, val="center")
            _run(cell.paragraphs[0], value, style)


# The 报尾 rules are as wide as the text block (156 mm). LibreOffice 7.4 floats a table that wide
# only when it is positioned from the page edge (from the margin it must be narrower).
_FOOTER_WIDTH = TEXT_WIDTH


def _floating_table(document: DocxDocument, rows: int) -> Any:
    """A one-column table pinned to the bottom of the text block, with rules above and below."""
    table = document.add_table(rows=rows, cols=1)
    tbl_pr = table._tbl.tblPr
    _child(
        tbl_pr,
        "tblpPr",
        TBLPR_ORDER,
        leftFromText="0",
        rightFromText="0",
        vertAnchor="margin",
        horzAnchor="page",
        tblpX=str(LEFT_MARGIN),
        tblpYSpec="bottom",
    )
    _child(tbl_pr, "tblOverlap", TBLPR_ORDER, val="never")
    _child(tbl_pr, "tblW", TBLPR_ORDER, w=str(_FOOTER_WIDTH), type="dxa")
    borders = _child(tbl_pr, "tblBorders", TBLPR_ORDER)
    for side in ("top", "bottom"):
        _child(borders, side, BORDER_ORDER, val="single", sz="8", space="0", color="000000")
    _child(tbl_pr, "tblLayout", TBLPR_ORDER, type="fixed")
    margins = _child(tbl_pr, "tblCellMar", TBLPR_ORDER)
    for side in ("left", "right"):
        _child(margins, side, BORDER_ORDER, w="0", type="dxa")
    for column in table._tbl.tblGrid.findall(qn("w:gridCol")):
        column.set(qn("w:w"), str(_FOOTER_WIDTH))
    return table


def _footer_block(document: DocxDocument, footer: FooterLines) -> None:
    """The 报尾 at the foot of the last page between rules."""
    if footer.empty:
        return
    style = _RunStyle(half_points=FOOTER_HALF_POINTS, spacing=0)
    lines: list[tuple[str, str]] = [(line, "") for line in footer.distribution]
    if footer.editors or footer.copies:
        lines.append((footer.editors, footer.copies))
    table = _floating_table(document, len(lines))
    inset = FOOTER_HALF_POINTS * 10  # one character in from both rules' ends
    for index, (row, (left, right)) in enumerate(zip(table.rows, lines, strict=True)):
        cell = row.cells[0]
        tc_pr = cell._tc.get_or_add_tcPr()
        _child(tc_pr, "tcW", TCPR_ORDER, w=str(_FOOTER_WIDTH), type="dxa")
        if index and index == len(footer.distribution):  # a thinner rule above 责任编辑
            top = _child(tc_pr, "tcBorders", TCPR_ORDER)
            _child(top, "top", BORDER_ORDER, val="single", sz="6", space="0", color="000000")
        paragraph = cell.paragraphs[0]
        ppr = _ppr(paragraph)
        if right:
            _right_tab(ppr, _FOOTER_WIDTH - inset)
        _child(ppr, "snapToGrid", PPR_ORDER, val="0")
        _exact_lines(ppr, 28 * 20)
        _no_indent(ppr, left=inset, right=inset)
        _child(ppr, "jc", PPR_ORDER, val="left")
        _run(paragraph, left, style)
        _run(paragraph, "\t" + right if right else "", style)
    # A document may not end with a table; this anchor paragraph is 1 pt high.
    anchor = _ppr(document.add_paragraph())
    _child(anchor, "snapToGrid", PPR_ORDER, val="0")
    _exact_lines(anchor, 20)


def _right_tab(ppr: Any, position: int) -> None:
    """A right-aligned tab stop at `position` twips."""
    tabs = _child(ppr, "tabs", PPR_ORDER)
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:pos"), str(position))
    tabs.append(tab)


def _drop_stock_parts(document: DocxDocument) -> None:
    """Remove template parts that would contradict our fonts or show someone else's page."""
    # The stock thumbnail shows an unrelated English page in file browsers; stylesWithEffects
    # repeats the theme fonts for Word 2010.
    for rels, suffix in (
        (document.part.package.rels, "/thumbnail"),
        (document.part.rels, "/stylesWithEffects"),
    ):
        for key, rel in list(rels.items()):
            if rel.reltype.endswith(suffix):
                del rels[key]


# Substitutes Word and LibreOffice look up when an office lacks an official font (charset 86 is
# GB2312, so a missing font is replaced by a Chinese one, not a Latin one).
_FONT_TABLE = (
    (TITLE_FONT, "宋体", "roman"),
    (BODY_FONT, "仿宋", "modern"),
    (HEI_FONT, "SimHei", "modern"),
    (KAI_FONT, "楷体", "modern"),
    (SONG_FONT, "SimSun", "auto"),
)


def _declare_fonts(document: DocxDocument) -> None:
    """Add the official fonts to word/fontTable.xml with Chinese alternates."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(part.blob)
    for name, alternate, family in _FONT_TABLE:
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("altName", alternate), ("charset", "86"), ("family", family)):
            etree.SubElement(font, qn(f"w:{tag}")).set(qn("w:val"), value)
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _stable_zip(content: bytes, date: datetime.date) -> bytes:
    """Stamp every member with the issue date: the same issue gives the same bytes (hashable)."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member.filename))
    return buffer.getvalue()


def write_docx(layout: Layout, *, title: str, author: str, date: datetime.date) -> bytes:
    """The issue as a Word document in the official layout, naming the official fonts."""
    document = docx.Document()
    _setup_styles(document)
    _setup_section(document)
    _setup_page_numbers(document)
    _masthead(document, layout.masthead)
    for paragraph in layout.paragraphs:
        _body_paragraph(document, paragraph)
    _footer_block(document, layout.footer)
    _drop_stock_parts(document)
    _declare_fonts(document)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.comments, properties.revision = "", 1
    issued = datetime.datetime.combine(date, datetime.time())
    properties.created, properties.modified = issued, issued
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue(), date)
