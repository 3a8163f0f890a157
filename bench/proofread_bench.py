"""Proofreader speed: start-up time and throughput on one core, against plain jieba segmentation.

    .venv/bin/python -m bench.proofread_bench [--chars 200000] [--runs 3]

Start-up is measured in fresh interpreters (import + first call on a short text: jieba's
dictionary, the official terms, the language model, the data files). Throughput is measured
after start-up on clean official prose (gov-work-reports), one paragraph per call, in this
single-threaded process; the baselines are jieba's accurate mode on the same paragraphs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from bench.proofread_eval import prose_paragraphs

_STARTUP = """
import time
t0, c0 = time.perf_counter(), time.process_time()
from jianbao.text.proofread import proofread
t1 = time.perf_counter()
proofread("区委宣传部创新打造文明实践“三个模式”，持续面向广大学生和家長讲解法律知识。")
t2, c2 = time.perf_counter(), time.process_time()
print(t1 - t0, t2 - t0, c2 - c0)
"""


def startup(runs: int) -> dict[str, float]:
    """Median import time and import-plus-first-call time over fresh interpreters."""
    imports, firsts, walls, cpus = [], [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _STARTUP], capture_output=True, text=True, check=True
        )
        walls.append(time.perf_counter() - started)
        imported, first, cpu = (float(x) for x in out.stdout.split())
        imports.append(imported)
        firsts.append(first)
        cpus.append(cpu)
    return {
        "import_s": round(statistics.median(imports), 3),
        "import_and_first_call_s": round(statistics.median(firsts), 3),
        "import_and_first_call_cpu_s": round(statistics.median(cpus), 3),
        "whole_process_s": round(statistics.median(walls), 3),
    }


def _rate(func: Callable[[str], object], paragraphs: list[str], runs: int) -> float:
    """Best characters per CPU-second over runs.

    CPU time of this (single-threaded) process, not wall time: on a machine shared with other
    jobs, wall time measures their load more than this code.
    """
    chars = sum(len(p) for p in paragraphs)
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for paragraph in paragraphs:
            func(paragraph)
        best = min(best, time.process_time() - started)
    return round(chars / best)


def throughput(max_chars: int, runs: int) -> dict[str, object]:
    """Characters/second of the proofreader, per rule, and of jieba on the same text."""
    from jianbao.text import segment
    from jianbao.text.proofread import RULES, proofread
    from jianbao.text.proofread.context import Context
    from jianbao.text.proofread.engine import CHECKS

    paragraphs, total = [], 0
    for line, _ in prose_paragraphs():
        if total >= max_chars:
            break
        paragraphs.append(line)
        total += len(line)
    proofread(paragraphs[0])  # start-up is not part of throughput

    def only(rule: str) -> Callable[[str], object]:
        return lambda text: list(CHECKS[rule](Context(text)))

    return {
        "characters": total,
        "paragraphs": len(paragraphs),
        "proofread_chars_per_s": _rate(proofread, paragraphs, runs),
        "baseline_jieba_cut_chars_per_s": _rate(segment.cut, paragraphs, runs),
        "baseline_jieba_cut_no_hmm_chars_per_s": _rate(
            lambda t: segment.cut(t, hmm=False), paragraphs, runs
        ),
        "per_rule_chars_per_s (incl. its own segmentation)": {
            rule: _rate(only(rule), paragraphs, 1) for rule in RULES
        },
    }


def machine() -> dict[str, object]:
    """nproc, CPU model and Python version."""
    import os

    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000, help="prose characters to check")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    report = {
        "machine": machine(),
        "startup": startup(args.runs),
        "throughput": throughput(args.chars, args.runs),
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
