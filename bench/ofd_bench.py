"""OFD benchmark: the reference issue to OFD beside the PDF it is converted from.

Run: .venv/bin/python -m bench.ofd_bench [--runs 20]
Prints a Markdown table (it does not edit docs/benchmarks.md; the typesetting bench owns that).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from jianbao.typeset import Bulletin, render_ofd, render_pdf
from jianbao.typeset.font_files import find_font, subset_font
from jianbao.typeset.pdf_geometry import read_pdf
from jianbao.typeset.typst_adapter import FontDirs

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "jianbao" / "samples" / "shangjie-xinxi-2024-35.json"


def _median_ms(action: Callable[[int], object], runs: int) -> float:
    """Median wall time of `runs` calls, in milliseconds."""
    timings = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _variant(bulletin: Bulletin, run: int) -> Bulletin:
    """Another issue number each run, so Typst's memoisation cannot replay the previous compile."""
    return dataclasses.replace(bulletin, number=bulletin.number + run + 1)


def measure(runs: int) -> dict[str, float]:
    """PDF and OFD medians and the OFD's steps, in milliseconds; sizes in bytes."""
    bulletin = Bulletin.from_json(json.loads(REFERENCE.read_text(encoding="utf-8")))
    start = time.perf_counter()
    render_ofd(bulletin)  # font index, Typst compiler, pdfium
    cold = (time.perf_counter() - start) * 1000
    pdf = render_pdf(bulletin)
    dirs = FontDirs.from_environment()
    folders = (dirs.fandol, dirs.noto)
    pages = read_pdf(pdf)
    used: dict[str, set[str]] = {}
    for page in pages:
        for glyph in page.glyphs:
            used.setdefault(glyph.font, set()).add(glyph.text)

    def subset_all(_: int) -> None:
        for name, characters in used.items():
            subset_font(find_font(name, folders), characters)

    return {
        "pdf": _median_ms(lambda run: render_pdf(_variant(bulletin, run)), runs),
        # Other issue numbers than the PDF row: the typesetter keeps its last PDFs, and the OFD
        # must pay for its own.
        "ofd": _median_ms(lambda run: render_ofd(_variant(bulletin, run + 10_000)), runs),
        "read_pdf": _median_ms(lambda _: read_pdf(pdf), runs),
        "subset": _median_ms(subset_all, runs),
        "cold": cold,
        "pdf_bytes": len(pdf),
        "ofd_bytes": len(render_ofd(bulletin)),
    }


def report(figures: dict[str, float], runs: int) -> str:
    """The Markdown table."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    ratio = figures["ofd"] / figures["pdf"]
    return "\n".join(
        [
            "| step (《上街信息》第35期, 5 pages) | median |",
            "|---|---:|",
            f"| PDF (Typst), a different issue number each run | {figures['pdf']:.1f} ms |",
            f"| OFD (PDF + conversion + font subsets + zip), same | {figures['ofd']:.1f} ms |",
            f"| of which: reading the PDF's glyphs and paths | {figures['read_pdf']:.1f} ms |",
            f"| of which: subsetting the fonts (HarfBuzz) | {figures['subset']:.1f} ms |",
            f"| OFD, first in a process (font index, compiler) | {figures['cold']:.0f} ms |",
            f"| sizes: PDF / OFD | {figures['pdf_bytes'] / 1024:.0f} KB / "
            f"{figures['ofd_bytes'] / 1024:.0f} KB |",
            "",
            f"The OFD takes {ratio:.1f}× the PDF's time ({runs} runs, load average {load}).",
        ]
    )


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(report(measure(args.runs), args.runs))


if __name__ == "__main__":
    main()
