"""The only module that imports typst: compiles the bulletin template to PDF with embedded fonts."""

from __future__ import annotations

import datetime
import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typst

from jianbao.typeset.errors import TypesetError

TEMPLATE = Path(__file__).resolve().parent / "templates" / "bulletin.typ"
_REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
INSTALL_HINT = "请运行 `make run` 或 `scripts/install-system-deps.sh` 安装字体"

# Free stand-ins for the official fonts, as Typst names the families.
FAMILIES: dict[str, str] = {
    "fang": "FandolFang R",  # 仿宋_GB2312
    "kai": "FandolKai",  # 楷体_GB2312
    "hei": "Noto Sans CJK SC",  # 黑体
    "song": "Noto Serif CJK SC",  # 宋体
    "title": "Noto Serif CJK SC",  # 方正小标宋简体 (set bold)
}


@dataclass(frozen=True)
class FontDirs:
    """Where the stand-in fonts live: Fandol in the project's font dir, Noto from Debian."""

    fandol: Path
    noto: Path

    @classmethod
    def from_environment(cls) -> FontDirs:
        """Read `JIANBAO_FONTS_DIR` / `JIANBAO_NOTO_FONTS_DIR` at call time (tests change them)."""
        fandol = os.environ.get("JIANBAO_FONTS_DIR") or str(_REPO_ROOT / "var" / "fonts")
        noto = os.environ.get("JIANBAO_NOTO_FONTS_DIR") or str(DEFAULT_NOTO_DIR)
        return cls(Path(fandol), Path(noto))

    def missing_files(self) -> list[str]:
        """The required font files that are absent, with what they stand in for."""
        required = (
            (self.fandol / "FandolFang-Regular.otf", "仿宋（FandolFang）"),
            (self.fandol / "FandolKai-Regular.otf", "楷体（FandolKai）"),
            (self.noto / "NotoSerifCJK-Regular.ttc", "宋体（Noto Serif CJK，fonts-noto-cjk）"),
            (self.noto / "NotoSerifCJK-Bold.ttc", "小标宋（Noto Serif CJK Bold，fonts-noto-cjk）"),
            (self.noto / "NotoSansCJK-Regular.ttc", "黑体（Noto Sans CJK，fonts-noto-cjk）"),
        )
        return [f"{label}：{path}" for path, label in required if not path.is_file()]


_lock = threading.Lock()
# One font index per font location (~100 ms to build; the fonts it loads stay loaded) and one
# compiler per font location and template (a compile ~20 ms of layout, ~40 ms of PDF writing).
_font_indexes: dict[FontDirs, typst.Fonts] = {}
_compilers: dict[tuple[FontDirs, Path], typst.Compiler] = {}


def _fonts(dirs: FontDirs) -> typst.Fonts:
    """The cached font index for these folders, after checking the fonts exist."""
    fonts = _font_indexes.get(dirs)
    if fonts is not None:
        return fonts
    missing = dirs.missing_files()
    if missing:
        raise TypesetError("缺少排版字体 " + "；".join(missing) + "。" + INSTALL_HINT)
    fonts = typst.Fonts(
        include_system_fonts=False,  # Typst ignores fontconfig anyway; be explicit and fast
        include_embedded_fonts=True,
        font_paths=[str(dirs.fandol), str(dirs.noto)],
    )
    known = set(fonts.families())
    absent = sorted({name for name in FAMILIES.values() if name not in known})
    if absent:
        raise TypesetError(f"字体文件无法识别，缺少字族 {', '.join(absent)}。{INSTALL_HINT}")
    _font_indexes[dirs] = fonts
    return fonts


def _check_template(template: Path) -> None:
    """TypesetError when the template file is missing."""
    if not template.is_file():
        raise TypesetError(f"缺少排版模板 {template}")


def _compiler(dirs: FontDirs, template: Path) -> typst.Compiler:
    """The cached compiler for these fonts and template, after checking the fonts exist."""
    compiler = _compilers.get((dirs, template))
    if compiler is not None:
        return compiler
    fonts = _fonts(dirs)
    _check_template(template)
    compiler = typst.Compiler(template, root=template.parent, font_paths=fonts)
    _compilers[(dirs, template)] = compiler
    return compiler


def _check_warnings(warnings: list[Any]) -> None:
    """Turn Typst font warnings into errors."""
    # Typst only warns about a missing font and then falls back: that is a silently wrong PDF.
    for warning in warnings:
        message = str(getattr(warning, "message", warning))
        if "font" in message:
            raise TypesetError(f"排版字体有问题：{message}。{INSTALL_HINT}")


def _timestamp(date: datetime.date | None) -> int:
    """The PDF creation time: midnight UTC of the issue date."""
    # Typst otherwise stamps the current time; midnight UTC of the issue date is stable.
    day = date or datetime.date(2000, 1, 1)
    return int(datetime.datetime.combine(day, datetime.time(), datetime.UTC).timestamp())


# The last PDFs compiled, by their inputs: publishing renders the PDF and then the OFD, which is
# made from the same PDF; the second compile of an identical issue is skipped.
_PDF_CACHE_SIZE = 4
_pdfs: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
_FONTS_INPUT = json.dumps(FAMILIES, ensure_ascii=False)


def _inputs(layout: dict[str, Any], *, probes: bool) -> dict[str, str]:
    """The template's sys.inputs; `probes` turns on the page-fit probes (`measure_pages`)."""
    inputs = {"layout": json.dumps(layout, ensure_ascii=False), "fonts": _FONTS_INPUT}
    if probes:
        inputs["probes"] = "1"
    return inputs


def _failure(error: typst.TypstError, template: Path) -> TypesetError:
    """A Typst error as the typesetter reports it."""
    detail = getattr(error, "message", str(error))
    return TypesetError(f"Typst 排版失败（模板 {template.name}）：{detail}")


def compile_pdf(
    layout: dict[str, Any], *, date: datetime.date | None = None, template: Path = TEMPLATE
) -> bytes:
    """Compile the template with one issue's layout data (see `layout.Layout.to_json`).

    `date` becomes the PDF's creation date, so the same issue always gives the same bytes.
    """
    inputs = _inputs(layout, probes=False)
    timestamp = _timestamp(date)
    dirs = FontDirs.from_environment()
    with _lock:  # one compiler is not meant to be shared by threads at once
        compiler = _compiler(dirs, template)
        try:
            version = template.stat().st_mtime_ns
        except OSError as error:
            raise TypesetError(f"缺少排版模板 {template}") from error
        key = (dirs, template, version, timestamp, inputs["layout"])
        cached = _pdfs.get(key)
        if cached is not None:
            _pdfs.move_to_end(key)
            return cached
        try:
            pdf, warnings = compiler.compile_with_warnings(
                format="pdf", sys_inputs=inputs, timestamp=timestamp
            )
        except typst.TypstError as error:
            raise _failure(error, template) from error
        _check_warnings(list(warnings))
        if not isinstance(pdf, bytes):
            raise TypesetError("Typst 没有生成 PDF")
        _pdfs[key] = pdf
        if len(_pdfs) > _PDF_CACHE_SIZE:
            _pdfs.popitem(last=False)
    return pdf


def measure_pages(layout: dict[str, Any], *, template: Path = TEMPLATE) -> list[dict[str, Any]]:
    """Lay the issue out and return the template's page-fit probes: one per body paragraph end
    and one for the 报尾, each with its page, position (pt) and the page count.

    The query reads the inputs of the compile just before it; that compile writes the pages as
    1-pixel-per-inch images, not as a PDF (~35 ms instead of ~75 ms: no fonts to embed). A
    compiler made for each query would need no compile at all, but holds on to ~1.7 MB each.
    """
    inputs = _inputs(layout, probes=True)
    with _lock:
        compiler = _compiler(FontDirs.from_environment(), template)
        try:
            compiler.compile(format="png", ppi=1, sys_inputs=inputs)
            probes = json.loads(compiler.query("<fit>", field="value"))
        except typst.TypstError as error:
            raise _failure(error, template) from error
    return [probe for probe in probes if isinstance(probe, dict)]
