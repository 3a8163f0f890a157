"""A small OFD rasteriser for the tests: Pillow draws the embedded fonts and the paths.

It is not a full OFD viewer; it draws what `ofd_reader` reads (text with each character at its
own position in its embedded font, stroked outlines for fake bold, straight and Bézier paths),
which is enough to compare an OFD page with the PDF page rendered by poppler.
"""

from __future__ import annotations

import io
import math
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from jianbao.typeset.ofd_reader import OfdDocument, OfdPage, OfdPath

MM_PER_INCH = 25.4
SUPERSAMPLE = 4


def _bezier(
    start: tuple[float, float],
    c1: tuple[float, float],
    c2: tuple[float, float],
    end: tuple[float, float],
) -> list[tuple[float, float]]:
    points = []
    for step in range(1, 17):
        t = step / 16
        u = 1 - t
        points.append(
            (
                u**3 * start[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * end[0],
                u**3 * start[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * end[1],
            )
        )
    return points


def _polylines(path: OfdPath, scale: float) -> list[list[tuple[float, float]]]:
    """The path as lists of pixel points, one per subpath."""
    lines: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for operator, points in path.segments:
        scaled = [(x * scale, y * scale) for x, y in points]
        if operator in ("M", "S"):
            if len(current) > 1:
                lines.append(current)
            current = list(scaled)
        elif operator == "L":
            current.extend(scaled)
        elif operator == "B" and current:
            current.extend(_bezier(current[-1], *scaled))
        elif operator == "C" and current:
            current.append(current[0])
    if len(current) > 1:
        lines.append(current)
    return lines


def render_page(document: OfdDocument, page: OfdPage, dpi: int = 100) -> Image.Image:
    """One page as a greyscale image at this resolution (drawn 4× larger, then scaled down)."""
    # pdftoppm rounds the page size up; so do we, for pixel-aligned comparison.
    size = (
        math.ceil(page.width * dpi / MM_PER_INCH - 0.01),
        math.ceil(page.height * dpi / MM_PER_INCH - 0.01),
    )
    image = _draw(document, page, dpi * SUPERSAMPLE, (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE))
    return image.resize(size, Image.Resampling.BOX)


def _draw(document: OfdDocument, page: OfdPage, dpi: int, size: tuple[int, int]) -> Image.Image:
    """The page drawn without anti-aliasing at a high resolution."""
    scale = dpi / MM_PER_INCH
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for path in page.paths:
        for line in _polylines(path, scale):
            if path.fill is not None and len(line) > 2:
                draw.polygon(line, fill=_grey(path.fill))
            if path.stroke is not None:
                draw.line(
                    line, fill=_grey(path.stroke), width=max(1, round(path.line_width * scale))
                )
    fonts: dict[tuple[int, int], ImageFont.FreeTypeFont] = {}
    for char in page.chars:
        pixels = max(1, round(char.size * scale))
        key = (char.font_id, pixels)
        if key not in fonts:
            data = document.fonts[char.font_id].data or b""
            fonts[key] = ImageFont.truetype(io.BytesIO(data), pixels)
        stroke = round(char.stroke_width * scale / 2)
        draw.text(
            (char.x * scale, char.baseline * scale),
            char.text,
            font=fonts[key],
            fill=_grey(char.fill),
            anchor="ls",
            stroke_width=stroke,
            stroke_fill=_grey(char.fill),
        )
    return image


def _grey(colour: tuple[int, int, int]) -> int:
    red, green, blue = colour
    return round(0.299 * red + 0.587 * green + 0.114 * blue)


def pdf_pages(pdf: bytes, folder: Path, dpi: int = 100) -> list[Image.Image]:
    """The PDF's pages rendered by poppler's pdftoppm, greyscale."""
    source = folder / "issue.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-png", str(source), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]


def _ink_difference(first: Image.Image, second: Image.Image) -> tuple[int, int]:
    """(changed, ink): summed grey difference and summed ink of both images."""
    changed = sum(
        count * value
        for value, count in enumerate(ImageChops.difference(first, second).histogram())
    )
    ink = sum(count * (255 - value) for value, count in enumerate(first.histogram()))
    ink += sum(count * (255 - value) for value, count in enumerate(second.histogram()))
    return changed, ink


def difference(first: Image.Image, second: Image.Image, band: int = 40) -> tuple[float, float]:
    """(whole page, worst band): ink that differs as a share of the ink on both images.

    0 is the same, 1 nothing in common. Both images are blurred by two pixels first (0.5 mm at
    100 dpi) so that anti-aliasing and hinting of thin strokes do not count; what remains are
    missing, extra or misplaced strokes. The page is also cut into horizontal bands (`band`
    pixels, 10 mm at 100 dpi) and the worst band with ink is reported, so one missing or
    misplaced line cannot hide in a full page.
    """
    width, height = min(first.width, second.width), min(first.height, second.height)
    a = first.crop((0, 0, width, height)).filter(ImageFilter.BoxBlur(2))
    b = second.crop((0, 0, width, height)).filter(ImageFilter.BoxBlur(2))
    changed, ink = _ink_difference(a, b)
    worst = 0.0
    for top in range(0, height, band):
        box = (0, top, width, min(height, top + band))
        part_changed, part_ink = _ink_difference(a.crop(box), b.crop(box))
        if part_ink > 255 * band * 4:  # at least a few characters' worth of ink
            worst = max(worst, 2 * part_changed / part_ink)
    return (2 * changed / ink if ink else 0.0), worst
