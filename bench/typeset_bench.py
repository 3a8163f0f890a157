"""Typesetting benchmark: the reference issue to DOCX and PDF in process, against LibreOffice.

Run: .venv/bin/python -m bench.typeset_bench [--runs 20] [--lo-runs 5] [--no-write]
LibreOffice comes from `scripts/install-system-deps.sh bench`; without it only our figures print.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from jianbao.typeset import Bulletin, render_docx, render_pdf

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "jianbao" / "samples" / "shangjie-xinxi-2024-35.json"
DOCS = ROOT / "docs" / "benchmarks.md"
HEADING = "## Typesetting"


def _median_ms(action: Callable[[int], object], runs: int) -> float:
    """Median wall time of `runs` calls, in milliseconds."""
    timings = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _variant(bulletin: Bulletin, run: int) -> Bulletin:
    """The issue with another number, so Typst's memoisation cannot replay the previous compile."""
    return dataclasses.replace(bulletin, number=bulletin.number + run + 1)


def _libreoffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice_ms(docx: bytes, runs: int) -> tuple[float, str] | None:
    """Median wall time of `soffice --headless --convert-to pdf`, after one warm-up run."""
    soffice = _libreoffice()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="typeset-bench-") as tmp:
        source = Path(tmp) / "issue.docx"
        source.write_bytes(docx)
        profile = f"-env:UserInstallation=file://{tmp}/profile"  # our own profile, created once
        command = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", tmp]

        def convert(_: int) -> None:
            """One LibreOffice conversion."""
            subprocess.run([*command, str(source)], check=True, capture_output=True, timeout=300)

        convert(0)
        median = _median_ms(convert, runs)
        version = subprocess.run(
            [soffice, "--version"], check=False, capture_output=True, text=True, timeout=60
        ).stdout.strip()
    return median, version


def _cpu_model() -> str:
    """The CPU model from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _machine(libreoffice: str) -> list[str]:
    """Machine, Python and package lines for the report."""
    packages = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("python-docx", "typst", "pdfplumber")
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"- Machine: {os.cpu_count()} cores, {_cpu_model()}, load average {load} at start",
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- Packages: {packages}; {libreoffice or 'LibreOffice not installed'}",
    ]


def measure(runs: int, lo_runs: int) -> dict[str, float | str | None]:
    """All figures in milliseconds."""
    bulletin = Bulletin.from_json(json.loads(REFERENCE.read_text(encoding="utf-8")))
    start = time.perf_counter()
    render_pdf(bulletin)  # builds the font index and compiles once
    cold_pdf = (time.perf_counter() - start) * 1000
    render_docx(bulletin)
    docx_ms = _median_ms(lambda run: render_docx(_variant(bulletin, run)), runs)
    pdf_ms = _median_ms(lambda run: render_pdf(_variant(bulletin, run)), runs)
    pdf_same_ms = _median_ms(lambda _: render_pdf(bulletin), runs)
    lo = _libreoffice_ms(render_docx(bulletin), lo_runs)
    return {
        "docx": docx_ms,
        "pdf": pdf_ms,
        "pdf_same": pdf_same_ms,
        "pdf_cold": cold_pdf,
        "lo": lo[0] if lo else None,
        "lo_version": lo[1] if lo else "",
    }


def report(figures: dict[str, float | str | None], runs: int, lo_runs: int) -> str:
    """The Markdown section for docs/benchmarks.md."""
    docx, pdf = float(figures["docx"] or 0), float(figures["pdf"] or 0)
    lines = [
        HEADING,
        "",
        "《上街信息》第35期 (10 entries, ~3,000 characters, 5 A4 pages) typeset in process by",
        "`jianbao.typeset`, against LibreOffice converting the same DOCX to PDF. Produced by",
        f"`.venv/bin/python -m bench.typeset_bench` (medians of {runs} runs; LibreOffice: median",
        f"of {lo_runs} runs after one warm-up, `soffice --headless --convert-to pdf`).",
        "",
        "| step | median |",
        "|---|---:|",
        f"| DOCX (python-docx), a different issue number each run | {docx:.1f} ms |",
        f"| PDF (Typst, reused compiler and font index), a different issue number each run "
        f"| {pdf:.1f} ms |",
        f"| PDF, the identical issue again (Typst memoisation) | {figures['pdf_same']:.1f} ms |",
        f"| PDF, first render in a process (font index + compile) | {figures['pdf_cold']:.0f} ms |",
        f"| **DOCX + PDF** | **{docx + pdf:.1f} ms** |",
    ]
    if figures["lo"] is not None:
        lo = float(figures["lo"])
        lines += [
            f"| LibreOffice DOCX → PDF (command line) | {lo:.0f} ms |",
            "",
            f"DOCX + PDF together are **{lo / (docx + pdf):.0f}×** faster than LibreOffice's "
            "conversion alone (target ≥ 20×).",
        ]
    else:
        lines += ["", "LibreOffice is not installed: run `scripts/install-system-deps.sh bench`."]
    lines += [
        "",
        "Figures move with the load of the (shared) machine, recorded below: compare runs made",
        "at a similar load only.",
        "",
        *_machine(str(figures["lo_version"])),
        "",
    ]
    return "\n".join(lines)


def write_section(section: str, path: Path = DOCS) -> None:
    """Replace our section of docs/benchmarks.md (or add it), leaving other sections alone."""
    if not path.exists():
        path.write_text("# Benchmarks\n\n" + section, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    start = text.find(HEADING + "\n")
    if start < 0:
        path.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        return
    end = text.find("\n## ", start + len(HEADING))
    rest = text[end + 1 :] if end >= 0 else ""
    path.write_text(text[:start] + section + ("\n" + rest if rest else ""), encoding="utf-8")


def main() -> None:
    """Measure, print, and update docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lo-runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    figures = measure(args.runs, args.lo_runs)
    section = report(figures, args.runs, args.lo_runs)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOCS}")


if __name__ == "__main__":
    main()
