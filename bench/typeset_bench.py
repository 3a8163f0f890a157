"""Typesetting benchmark: the reference issue in process against LibreOffice, like with like.

Run: .venv/bin/python -m bench.typeset_bench [--runs 20] [--lo-runs 7] [--no-write]

Two comparisons, each timed in one interleaved loop so that both sides see the same machine load:
1. warm against warm: `render_pdf` (and `render_ofd`) in this process against a LibreOffice kept
   running by unoserver, converting the same issue's DOCX to PDF through unoserver's client;
2. process against process: a whole `jianbao render --format pdf` against a whole
   `soffice --headless --convert-to pdf` (its profile created beforehand).
The command-line figure of earlier runs (in-process DOCX + PDF against a whole soffice) is kept,
labelled as such. LibreOffice and python3-uno come from `scripts/install-system-deps.sh bench`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from bench.ofd_bench import REFERENCE, _variant
from bench.warm_libreoffice import Unavailable, WarmLibreOffice
from jianbao.typeset import Bulletin, render_docx, render_ofd, render_pdf

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
HEADING = "## Typesetting"
UNO_PORTS = (8261, 8262)  # unoserver's XML-RPC port, LibreOffice's UNO port


@dataclasses.dataclass(frozen=True)
class Contender:
    """One side of a race: an action (given the run number) and the CPU clock that pays for it."""

    name: str
    action: Callable[[int], object]
    cpu_clock: Callable[[], float] = time.process_time


@dataclasses.dataclass(frozen=True)
class Timing:
    """Medians of wall and CPU time, in milliseconds."""

    wall: float
    cpu: float


def race(contenders: list[Contender], runs: int) -> dict[str, Timing]:
    """Run the contenders in turn `runs` times (interleaved, so they share the load); medians."""
    walls: dict[str, list[float]] = {contender.name: [] for contender in contenders}
    cpus: dict[str, list[float]] = {contender.name: [] for contender in contenders}
    for run in range(runs):
        for contender in contenders:
            cpu = contender.cpu_clock()
            start = time.perf_counter()
            contender.action(run)
            walls[contender.name].append((time.perf_counter() - start) * 1000)
            cpus[contender.name].append((contender.cpu_clock() - cpu) * 1000)
    return {
        name: Timing(statistics.median(walls[name]), statistics.median(cpus[name]))
        for name in walls
    }


def _children_cpu() -> float:
    """CPU seconds of this process's finished (waited-for) children and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _libreoffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _jianbao() -> list[str]:
    """The `jianbao` command of this venv."""
    script = Path(sys.executable).parent / "jianbao"
    return [str(script)] if script.exists() else [sys.executable, "-m", "jianbao.cli"]


def _run(command: list[str]) -> None:
    """One whole process, which must succeed."""
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def warm(bulletin: Bulletin, runs: int) -> tuple[dict[str, Timing], str]:
    """Warm in-process renderers against a warm LibreOffice (unoserver); LibreOffice's version."""
    render_pdf(bulletin)  # font index, compiler, pdfium: this is the warm comparison
    render_ofd(bulletin)
    render_docx(bulletin)
    contenders = [
        Contender("docx", lambda run: render_docx(_variant(bulletin, run))),
        Contender("pdf", lambda run: render_pdf(_variant(bulletin, run))),
        Contender("ofd", lambda run: render_ofd(_variant(bulletin, run))),
    ]
    docx = render_docx(bulletin)
    try:
        with WarmLibreOffice(port=UNO_PORTS[0], uno_port=UNO_PORTS[1]) as office:
            office.convert(docx)  # LibreOffice loads its Writer and PDF filters once

            def cpu() -> float:
                """Our client's CPU plus unoserver's and LibreOffice's."""
                return time.process_time() + office.cpu_seconds()

            contenders.append(Contender("lo_warm", lambda _: office.convert(docx), cpu))
            contenders.append(
                Contender("lo_warm_call", lambda _: office.convert_call_only(docx), cpu)
            )
            return race(contenders, runs), office.version
    except Unavailable as error:
        print(f"warm LibreOffice unavailable: {error}", file=sys.stderr)
        return race(contenders, runs), ""


@contextmanager
def _workspace(bulletin: Bulletin) -> Iterator[tuple[Path, Path]]:
    """A temporary folder with the issue's JSON and DOCX in it."""
    with tempfile.TemporaryDirectory(prefix="typeset-bench-") as tmp:
        folder = Path(tmp)
        (folder / "issue.docx").write_bytes(render_docx(bulletin))
        yield folder, folder / "issue.docx"


def processes(bulletin: Bulletin, runs: int) -> tuple[dict[str, Timing], str]:
    """A whole `jianbao render --format pdf` against a whole `soffice --convert-to pdf`."""
    soffice = _libreoffice()
    with _workspace(bulletin) as (folder, docx):
        command = [*_jianbao(), "render", "--from-json", str(REFERENCE), "--format", "pdf"]
        contenders = [
            Contender(
                "render_process",
                lambda _: _run([*command, "--out", str(folder / "ours")]),
                _children_cpu,
            )
        ]
        version = ""
        if soffice is not None:
            profile = f"-env:UserInstallation=file://{folder}/profile"
            lo = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
            _run([*lo, str(docx)])  # creates the profile: later runs start as a user's would
            contenders.append(
                Contender("lo_process", lambda _: _run([*lo, str(docx)]), _children_cpu)
            )
            version = subprocess.run(
                [soffice, "--version"], check=False, capture_output=True, text=True, timeout=60
            ).stdout.strip()
        _run([*command, "--out", str(folder / "ours")])  # page cache warm for both sides
        return race(contenders, runs), version


def measure(runs: int, lo_runs: int) -> dict[str, object]:
    """All timings, the versions, and the load average before and after."""
    bulletin = Bulletin.from_json(json.loads(REFERENCE.read_text(encoding="utf-8")))
    load_before = os.getloadavg()
    start = time.perf_counter()
    render_pdf(bulletin)
    first_pdf = (time.perf_counter() - start) * 1000
    warm_timings, warm_version = warm(bulletin, runs)
    process_timings, lo_version = processes(bulletin, lo_runs)
    return {
        "timings": {**warm_timings, **process_timings},
        "first_pdf": first_pdf,
        "lo_version": lo_version,
        "warm_version": warm_version,
        "load": (load_before, os.getloadavg()),
    }


def _ratio(baseline: Timing | None, ours: Timing | None) -> str:
    """「N× wall, M× CPU」, or a dash when a side is missing."""
    if baseline is None or ours is None:
        return "–"
    return f"**{baseline.wall / ours.wall:.1f}×** wall, {baseline.cpu / ours.cpu:.1f}× CPU"


def _row(label: str, timing: Timing | None) -> str:
    """A table row with the wall and CPU medians."""
    if timing is None:
        return f"| {label} | not measured | – |"
    return f"| {label} | {timing.wall:.1f} ms | {timing.cpu:.1f} ms |"


def _loads(load: tuple[tuple[float, ...], tuple[float, ...]]) -> str:
    """「a, b, c before; d, e, f after」."""
    before, after = (", ".join(f"{value:.2f}" for value in values) for values in load)
    return f"{before} before, {after} after"


def _machine(figures: dict[str, object]) -> list[str]:
    """Machine, Python and package lines for the report."""
    packages = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("python-docx", "typst", "pypdfium2", "unoserver")
        if _installed(name)
    )
    office = figures["warm_version"] or figures["lo_version"] or "LibreOffice not installed"
    return [
        f"- Machine: {os.cpu_count()} cores, {_cpu_model()}; load average (1, 5, 15 min) "
        f"{_loads(figures['load'])}",  # type: ignore[arg-type]
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- Packages: {packages}; {office}",
    ]


def _installed(name: str) -> bool:
    """Whether a distribution is installed."""
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def _cpu_model() -> str:
    """The CPU model from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def report(figures: dict[str, object], runs: int, lo_runs: int) -> str:
    """The Markdown section for docs/benchmarks.md."""
    timings: dict[str, Timing] = figures["timings"]  # type: ignore[assignment]
    get = timings.get
    docx, pdf = get("docx"), get("pdf")
    both = Timing(docx.wall + pdf.wall, docx.cpu + pdf.cpu) if docx and pdf else None
    lines = [
        HEADING,
        "",
        "《上街信息》第35期 (10 entries, ~3,000 characters, 5 A4 pages). Produced by",
        f"`.venv/bin/python -m bench.typeset_bench --runs {runs} --lo-runs {lo_runs}`: medians;",
        "each comparison runs its contenders in turn in one loop, so both sides see the same load.",
        "CPU is user + system time of every process doing the work (for unoserver: our client,",
        "the unoserver server and LibreOffice; for a whole process: it and its children).",
        "",
        "| step | wall | CPU |",
        "|---|---:|---:|",
        _row("DOCX in process (python-docx), warm, another issue number each run", docx),
        _row("**PDF in process (Typst), warm**, another issue number each run", pdf),
        _row("OFD in process (PDF + conversion + font subsets), warm, same", get("ofd")),
        _row(
            "**LibreOffice kept warm by unoserver**: the issue's DOCX → PDF via its client",
            get("lo_warm"),
        ),
        _row(
            "LibreOffice kept warm, the bare conversion call (no client handshake)",
            get("lo_warm_call"),
        ),
        _row("**`jianbao render --format pdf`**, a whole process", get("render_process")),
        _row(
            "**`soffice --headless --convert-to pdf`**, a whole process (profile exists)",
            get("lo_process"),
        ),
        f"| PDF, the first render in a process (font index + compile) | "
        f"{figures['first_pdf']:.0f} ms | – |",
        "",
        "Ratios, each against the baseline it names:",
        "",
        "- warm against warm (baseline: LibreOffice kept running by unoserver, converting the "
        f"same DOCX): the PDF in process is {_ratio(get('lo_warm'), pdf)} faster (goal ≥ 10×); "
        f"the OFD {_ratio(get('lo_warm'), get('ofd'))}. Against the bare conversion call: the PDF "
        f"{_ratio(get('lo_warm_call'), pdf)}.",
        f"- process against process (baseline: a whole `soffice --convert-to pdf` process): "
        f"`jianbao render` is {_ratio(get('lo_process'), get('render_process'))} faster.",
        f"- earlier figure, not like with like (baseline: a whole `soffice` command-line process, "
        f"against warm in-process DOCX + PDF): {_ratio(get('lo_process'), both)}.",
        "",
        "The machine is shared: figures move with its load, recorded below; compare runs made at",
        "a similar load only (ratios from one run are more stable than the absolute times).",
        "",
        *_machine(figures),
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
    parser.add_argument("--runs", type=int, default=20, help="warm comparison runs")
    parser.add_argument("--lo-runs", type=int, default=7, help="whole-process comparison runs")
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
