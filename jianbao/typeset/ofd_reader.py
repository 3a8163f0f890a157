"""Reads an OFD package back: metadata, fonts, every character with its position, every path.

It understands what `ofd.write_ofd` writes plus the parts of GB/T 33190-2016 a typeset page uses
(several TextCodes, DeltaX/DeltaY with 「g」 repeats, absolute and relative resource paths); it is
the tests' way to compare an OFD with the PDF, and `structure_problems` lists what a reader would
trip over (missing parts, dangling resource IDs, fonts that are not in the package).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from jianbao.typeset.font_files import font_characters

NAMESPACE = "http://www.ofdspec.org/2016"
_NS = {"ofd": NAMESPACE}
RGB = tuple[int, int, int]
_DOC_ID = re.compile(r"^[0-9a-fA-F]{32}$")


class OfdError(ValueError):
    """The package is not an OFD this reader can follow."""


@dataclass(frozen=True)
class OfdChar:
    """One character as placed on the page, in millimetres from the top-left corner."""

    text: str
    x: float
    baseline: float
    font_id: int
    size: float
    fill: RGB
    stroke_width: float  # 0 unless the glyph outline is stroked (fake bold)


@dataclass(frozen=True)
class OfdPath:
    """One PathObject in page millimetres: (operator, points) pairs and its paint."""

    segments: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]
    line_width: float
    stroke: RGB | None
    fill: RGB | None


@dataclass(frozen=True)
class OfdFont:
    """A font resource: its names and the embedded file's bytes (None when missing)."""

    id: int
    name: str
    family: str
    data: bytes | None


@dataclass(frozen=True)
class OfdPage:
    width: float
    height: float
    chars: tuple[OfdChar, ...]
    paths: tuple[OfdPath, ...]


@dataclass
class OfdDocument:
    """The whole package as read: DocInfo fields, custom data, fonts and pages."""

    info: dict[str, str]
    custom: dict[str, str]
    fonts: dict[int, OfdFont]
    pages: list[OfdPage]
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Every page's characters in order, a line end wherever the baseline changes."""
        lines: list[str] = []
        for page in self.pages:
            baseline = None
            for char in page.chars:
                if baseline is None or abs(char.baseline - baseline) > 0.1:
                    lines.append("")
                    baseline = char.baseline
                lines[-1] += char.text
        return "\n".join(lines)


def _numbers(value: str | None) -> list[float]:
    return [float(part) for part in (value or "").split()]


def expand_deltas(value: str | None) -> list[float]:
    """DeltaX/DeltaY with the 「g N v」 repeat form expanded: 「g 3 5.6 2」 → [5.6, 5.6, 5.6, 2]."""
    parts = (value or "").split()
    deltas: list[float] = []
    index = 0
    while index < len(parts):
        if parts[index] == "g":
            if index + 2 >= len(parts):
                raise OfdError(f"DeltaX/DeltaY 中 g 后缺少次数或数值：{value}")
            deltas.extend([float(parts[index + 2])] * int(parts[index + 1]))
            index += 3
        else:
            deltas.append(float(parts[index]))
            index += 1
    return deltas


def _colour(element: ET.Element, tag: str) -> RGB | None:
    found = element.find(f"ofd:{tag}", _NS)
    if found is None:
        return None
    values = [int(float(part)) for part in (found.get("Value") or "0 0 0").split()]
    return (values[0], values[1], values[2]) if len(values) >= 3 else (0, 0, 0)


def _flag(element: ET.Element, name: str, default: bool) -> bool:
    value = element.get(name)
    return default if value is None else value == "true"


class _Package:
    """The zip with path resolution as the standard does it (relative to the referring file)."""

    def __init__(self, content: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile as error:
            raise OfdError("不是 ZIP 格式的 OFD 包") from error
        self.names = set(self.zip.namelist())

    @staticmethod
    def resolve(base_dir: str, location: str) -> str:
        location = location.strip()
        if location.startswith("/"):
            return posixpath.normpath(location.lstrip("/"))
        return posixpath.normpath(posixpath.join(base_dir, location))

    def xml(self, name: str) -> ET.Element:
        if name not in self.names:
            raise OfdError(f"包内缺少 {name}")
        try:
            return ET.fromstring(self.zip.read(name))
        except ET.ParseError as error:
            raise OfdError(f"{name} 不是合法的 XML：{error}") from error

    def read(self, name: str) -> bytes | None:
        return self.zip.read(name) if name in self.names else None


def _text_chars(
    element: ET.Element, left: float, top: float, fonts: dict[int, OfdFont]
) -> Iterator[OfdChar]:
    """The characters of one TextObject, each at its own position."""
    font_id = int(element.get("Font") or 0)
    size = float(element.get("Size") or 0)
    fill = _colour(element, "FillColor") or (0, 0, 0)
    stroked = _flag(element, "Stroke", False)
    line_width = float(element.get("LineWidth") or 0.353) if stroked else 0.0
    for code in element.findall("ofd:TextCode", _NS):
        text = code.text or ""
        x, y = float(code.get("X") or 0), float(code.get("Y") or 0)
        dx, dy = expand_deltas(code.get("DeltaX")), expand_deltas(code.get("DeltaY"))
        for index, character in enumerate(text):
            if index:
                x += dx[index - 1] if index - 1 < len(dx) else 0.0
                y += dy[index - 1] if index - 1 < len(dy) else 0.0
            yield OfdChar(character, left + x, top + y, font_id, size, fill, line_width)


def _path(element: ET.Element, left: float, top: float) -> OfdPath:
    """One PathObject's AbbreviatedData turned to page coordinates."""
    tokens = (element.findtext("ofd:AbbreviatedData", "", _NS) or "").split()
    arity = {"S": 1, "M": 1, "L": 1, "Q": 2, "B": 3, "A": 0, "C": 0}
    segments: list[tuple[str, tuple[tuple[float, float], ...]]] = []
    index = 0
    while index < len(tokens):
        operator = tokens[index]
        if operator not in arity:
            raise OfdError(f"不支持的路径命令 {operator}")
        count = arity[operator]
        values = [float(v) for v in tokens[index + 1 : index + 1 + 2 * count]]
        points = tuple((left + values[i], top + values[i + 1]) for i in range(0, len(values), 2))
        segments.append((operator, points))
        index += 1 + 2 * count
    stroke = _colour(element, "StrokeColor") or (0, 0, 0)
    fill = _colour(element, "FillColor") or (0, 0, 0)
    return OfdPath(
        segments=tuple(segments),
        line_width=float(element.get("LineWidth") or 0.353),
        stroke=stroke if _flag(element, "Stroke", True) else None,
        fill=fill if _flag(element, "Fill", False) else None,
    )


def _page(root: ET.Element, area: list[float], fonts: dict[int, OfdFont]) -> OfdPage:
    box = _numbers(root.findtext("ofd:Area/ofd:PhysicalBox", None, _NS)) or area
    chars: list[OfdChar] = []
    paths: list[OfdPath] = []
    for layer in root.findall("ofd:Content/ofd:Layer", _NS):
        for element in layer:
            boundary = _numbers(element.get("Boundary"))
            left, top = (boundary[0], boundary[1]) if len(boundary) == 4 else (0.0, 0.0)
            if element.tag == f"{{{NAMESPACE}}}TextObject":
                chars.extend(_text_chars(element, left, top, fonts))
            elif element.tag == f"{{{NAMESPACE}}}PathObject":
                paths.append(_path(element, left, top))
    return OfdPage(width=box[2], height=box[3], chars=tuple(chars), paths=tuple(paths))


def _fonts(package: _Package, doc_dir: str, document: ET.Element) -> dict[int, OfdFont]:
    fonts: dict[int, OfdFont] = {}
    for tag in ("PublicRes", "DocumentRes"):
        for location in document.findall(f"ofd:CommonData/ofd:{tag}", _NS):
            res_name = package.resolve(doc_dir, location.text or "")
            res = package.xml(res_name)
            base = package.resolve(posixpath.dirname(res_name), res.get("BaseLoc") or "")
            for font in res.findall("ofd:Fonts/ofd:Font", _NS):
                file_name = font.findtext("ofd:FontFile", "", _NS)
                data = package.read(package.resolve(base, file_name)) if file_name else None
                font_id = int(font.get("ID") or 0)
                fonts[font_id] = OfdFont(
                    font_id, font.get("FontName") or "", font.get("FamilyName") or "", data
                )
    return fonts


def read_ofd(content: bytes) -> OfdDocument:
    """The OFD's metadata, fonts and pages; OfdError when the package cannot be followed."""
    package = _Package(content)
    root = package.xml("OFD.xml")
    body = root.find("ofd:DocBody", _NS)
    if body is None:
        raise OfdError("OFD.xml 缺少 DocBody")
    info_element = body.find("ofd:DocInfo", _NS)
    info: dict[str, str] = {}
    custom: dict[str, str] = {}
    if info_element is not None:
        for child in info_element:
            name = child.tag.split("}")[-1]
            if name == "CustomDatas":
                custom = {c.get("Name") or "": c.text or "" for c in child}
            elif len(child) == 0:
                info[name] = child.text or ""
    doc_name = package.resolve("", body.findtext("ofd:DocRoot", "", _NS) or "")
    document = package.xml(doc_name)
    doc_dir = posixpath.dirname(doc_name)
    fonts = _fonts(package, doc_dir, document)
    area = _numbers(document.findtext("ofd:CommonData/ofd:PageArea/ofd:PhysicalBox", None, _NS))
    pages = [
        _page(package.xml(package.resolve(doc_dir, page.get("BaseLoc") or "")), area, fonts)
        for page in document.findall("ofd:Pages/ofd:Page", _NS)
    ]
    return OfdDocument(info=info, custom=custom, fonts=fonts, pages=pages)


def structure_problems(content: bytes) -> list[str]:
    """What breaks GB/T 33190's structure: missing parts, dangling IDs, fonts not embedded."""
    try:
        document = read_ofd(content)
    except OfdError as error:
        return [str(error)]
    package = _Package(content)
    problems: list[str] = []
    root = package.xml("OFD.xml")
    if root.tag != f"{{{NAMESPACE}}}OFD" or root.get("DocType") != "OFD" or not root.get("Version"):
        problems.append("OFD.xml 根元素应为 ofd:OFD，且带 Version 与 DocType=OFD")
    if not _DOC_ID.match(document.info.get("DocID", "")):
        problems.append("DocInfo 缺少 32 位十六进制 DocID")
    problems.extend(_id_problems(package, root))
    problems.extend(_font_problems(document))
    return problems


def _id_problems(package: _Package, root: ET.Element) -> list[str]:
    """Unique IDs up to MaxUnitID; every Font, DefaultCS and Page reference resolves."""
    problems: list[str] = []
    doc_name = package.resolve("", root.findtext("ofd:DocBody/ofd:DocRoot", "", _NS) or "")
    document = package.xml(doc_name)
    doc_dir = posixpath.dirname(doc_name)
    parts = [document]
    for tag in ("PublicRes", "DocumentRes"):
        parts += [
            package.xml(package.resolve(doc_dir, e.text or ""))
            for e in document.findall(f"ofd:CommonData/ofd:{tag}", _NS)
        ]
    if document.find("ofd:CommonData/ofd:PageArea/ofd:PhysicalBox", _NS) is None:
        problems.append("Document.xml 缺少 CommonData/PageArea/PhysicalBox")
    for page in document.findall("ofd:Pages/ofd:Page", _NS):
        name = package.resolve(doc_dir, page.get("BaseLoc") or "")
        if name not in package.names:
            problems.append(f"页面 {page.get('ID')} 的 {name} 不在包内")
        else:
            parts.append(package.xml(name))
    ids: list[int] = [
        int(e.get("ID") or 0) for part in parts for e in part.iter() if e.get("ID") is not None
    ]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"对象标识重复：{duplicates[:10]}")
    max_id = int(document.findtext("ofd:CommonData/ofd:MaxUnitID", "0", _NS) or 0)
    if ids and max(ids) > max_id:
        problems.append(f"MaxUnitID {max_id} 小于最大对象标识 {max(ids)}")
    fonts = {int(e.get("ID") or 0) for part in parts for e in part.iter(f"{{{NAMESPACE}}}Font")}
    spaces = {
        int(e.get("ID") or 0) for part in parts for e in part.iter(f"{{{NAMESPACE}}}ColorSpace")
    }
    for part in parts:
        for element in part.iter(f"{{{NAMESPACE}}}TextObject"):
            if int(element.get("Font") or -1) not in fonts:
                problems.append(
                    f"文字对象 {element.get('ID')} 引用了不存在的字体 {element.get('Font')}"
                )
            if element.get("Boundary") is None or len(_numbers(element.get("Boundary"))) != 4:
                problems.append(f"文字对象 {element.get('ID')} 缺少 Boundary")
    default_cs = document.findtext("ofd:CommonData/ofd:DefaultCS", None, _NS)
    if default_cs is not None and int(default_cs) not in spaces:
        problems.append(f"DefaultCS 引用了不存在的颜色空间 {default_cs}")
    return problems


def _font_problems(document: OfdDocument) -> list[str]:
    """Each font's file is in the package, opens, and has a glyph for every character set in it."""
    problems: list[str] = []
    used: dict[int, set[str]] = {}
    for page in document.pages:
        for char in page.chars:
            used.setdefault(char.font_id, set()).add(char.text)
    for font_id, characters in used.items():
        font = document.fonts.get(font_id)
        if font is None or font.data is None:
            problems.append(f"字体 {font_id} 的字体文件不在包内")
            continue
        try:
            covered = font_characters(font.data)
        except ValueError as error:
            problems.append(f"字体 {font.name} 无法打开：{error}")
            continue
        missing = sorted(c for c in characters if ord(c) not in covered and not c.isspace())
        if missing:
            problems.append(f"字体 {font.name} 缺少字形：{''.join(missing[:20])}")
    return problems
