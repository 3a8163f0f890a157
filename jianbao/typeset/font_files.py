"""The only module that imports uharfbuzz: finds a font file by PostScript name and subsets it.

The PDF names its fonts (「FandolFang-Regular」, 「NotoSerifCJKsc-Bold」); the OFD must carry the
same fonts, so they are looked up in the folders Typst loads and cut down to the characters used
(HarfBuzz subsets a 20 MB CJK collection in ~30 ms; fontTools needs seconds).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

from jianbao.typeset.errors import TypesetError

_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc")
# Shaping tables are of no use to an OFD reader, which places each glyph itself.
_DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG")


@dataclass(frozen=True)
class FontFile:
    """One face of a font file: the file, its index in a collection, its names."""

    path: Path
    index: int
    postscript_name: str
    family: str


def _face_count(path: Path) -> int:
    """How many faces a file holds: a TrueType/OpenType collection says so in its header."""
    with path.open("rb") as handle:
        header = handle.read(12)
    if header[:4] == b"ttcf" and len(header) == 12:
        return int.from_bytes(header[8:12], "big")
    return 1


def _faces(path: Path) -> Iterable[FontFile]:
    blob = hb.Blob.from_file_path(str(path))
    for index in range(_face_count(path)):
        face = hb.Face(blob, index)
        name = face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)
        family = face.get_name(hb.OTNameIdPredefined.FONT_FAMILY) or ""
        if name:
            yield FontFile(path=path, index=index, postscript_name=name, family=family)


_lock = threading.Lock()
_indexes: dict[tuple[Path, ...], dict[str, FontFile]] = {}


def font_index(folders: tuple[Path, ...]) -> dict[str, FontFile]:
    """PostScript name → face for every font file in these folders (cached per process)."""
    with _lock:
        index = _indexes.get(folders)
        if index is None:
            index = {}
            for folder in folders:
                files = sorted(p for p in folder.glob("*") if p.suffix.lower() in _SUFFIXES)
                for path in files:
                    for face in _faces(path):
                        index.setdefault(face.postscript_name, face)
            _indexes[folders] = index
        return index


def find_font(name: str, folders: tuple[Path, ...]) -> FontFile:
    """The face with this PostScript name; TypesetError naming the folders when absent."""
    face = font_index(folders).get(name)
    if face is None:
        where = "、".join(str(folder) for folder in folders)
        raise TypesetError(f"OFD 需要嵌入字体 {name}，但在 {where} 中找不到它的字体文件")
    return face


def subset_font(face: FontFile, characters: Iterable[str]) -> bytes:
    """The face cut down to these characters, as a standalone OpenType file."""
    blob = hb.Blob.from_file_path(str(face.path))
    source = hb.Face(blob, face.index)
    wanted = hb.SubsetInput()
    for character in characters:
        wanted.unicode_set.add(ord(character))
    dropped = wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in _DROPPED_TABLES:
        dropped.add(_tag(tag))
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    subset = hb.subset(source, wanted)
    if subset is None:
        raise TypesetError(f"字体 {face.postscript_name} 无法子集化（{face.path}）")
    return bytes(subset.blob.data)


def _tag(name: str) -> int:
    """An OpenType table tag as HarfBuzz's 32-bit number."""
    return int.from_bytes(name.encode("ascii"), "big")


def font_characters(data: bytes) -> set[int]:
    """The code points an OpenType file maps to glyphs; ValueError when it is not a font."""
    if data[:4] not in (b"OTTO", b"\x00\x01\x00\x00", b"true", b"ttcf"):
        raise ValueError("不是 OpenType/TrueType 字体文件")
    face = hb.Face(hb.Blob(data), 0)
    return set(face.unicodes)
