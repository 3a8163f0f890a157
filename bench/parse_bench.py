"""Archive parser benchmark: 1,000 varied issues parsed, against decoding + normalising alone.

Run: .venv/bin/python -m bench.parse_bench [--issues N] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jianbao.text.encoding import decode_bytes
from jianbao.text.extract import parse_file
from jianbao.text.normalize import display_width, normalize_text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE = ROOT / "jianbao" / "text" / "tests" / "fixtures" / "shangjie-xinxi-2024-35.txt"
PROSE = SHARED / "data" / "prose" / "gov-work-reports"
UNITS = ["区委宣传部", "区人社局", "工业路街道", "矿山街道", "区总工会", "团区委", "区税务局",
         "区科技局", "区公安局", "峡窝镇", "开发区管委会", "区委组织部", "区教育局"]  # fmt: skip
SERIES = ["上街信息", "政务信息", "工作简报", "信息快报", "政务动态"]
SECTIONS = ["工作动态", "基层传真", "经验交流"]


@dataclass(frozen=True)
class Sample:
    """One generated issue file."""

    data: bytes
    chars: int


def _sentences() -> list[str]:
    """Sentences of real official prose; the reference issue's when the corpus is absent."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(PROSE.glob("*.txt"))]
    texts = texts or [REFERENCE.read_text(encoding="utf-8")]
    sentences = re.findall(r"[^。！？\s]{12,120}。", "".join(texts).replace("\n", ""))
    return [sentence for sentence in sentences if "（" not in sentence and "(" not in sentence]


def _date(rng: random.Random) -> str:
    year, month, day = rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)
    forms = [f"{year}年{month}月{day}日", f"{year} 年 {month} 月 {day} 日", f"{year}.{month}.{day}",
             f"{year}-{month:02d}-{day:02d}"]  # fmt: skip
    return rng.choice(forms)


def _entries(rng: random.Random, sentences: list[str]) -> list[str]:
    paragraphs: list[str] = []
    # headlines: clauses of 8–28 characters, as a headline is one short sentence
    titles = [clause for sentence in sentences[:3000] for clause in re.split(r"[，；。]", sentence)]
    titles = [title for title in titles if 8 <= len(title) <= 28] or ["区委宣传部创新打造文明实践"]
    for _ in range(rng.randint(4, 12)):
        if rng.random() < 0.2:
            paragraphs.append(f"【{rng.choice(SECTIONS)}】")
        title = rng.choice(titles)
        body = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        source = "、".join(rng.sample(UNITS, rng.choice([0, 1, 1, 1, 2])))
        paragraphs.append(f"{title} {body}" + (f"（{source}）" if source else ""))
    for _ in range(rng.randint(0, 3)):
        paragraphs.append(f"△ {rng.choice(sentences)}（{rng.choice(UNITS)}）")
    return paragraphs


def _wrap(paragraphs: list[str], rng: random.Random) -> str:
    """Lines of 28 cells with a two-cell indent and page numbers, like text copied from a PDF."""
    lines: list[str] = []
    for paragraph in paragraphs:
        line = "\u3000\u3000"
        for char in paragraph:
            if display_width(line.rstrip() + char) > 28:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
        if rng.random() < 0.2:
            lines.append(f"— {len(lines) // 22 + 1} —")
    return "\n".join(lines)


def _issue(rng: random.Random, sentences: list[str], reference: str) -> str:
    if rng.random() < 0.1:
        return reference
    masthead = [
        rng.choice(SERIES),
        f"第 {rng.randint(1, 120)} 期",
        "中共上街区委办公室",
        _date(rng),
    ]
    footer = ["本期送：区县处级领导", "发：峡窝镇、各街道办事处、区直各单位负责同志",
              "责任编辑：王思宇 柴亚文"]  # fmt: skip
    paragraphs = masthead + _entries(rng, sentences) + footer
    layout = rng.random()
    if layout < 0.25:
        return _wrap(paragraphs, rng)
    return ("\n" if layout < 0.5 else "\n\n").join(paragraphs)


def generate(count: int, seed: int) -> list[Sample]:
    """Issues in UTF-8, GB18030 and UTF-16, in three layouts."""
    rng = random.Random(seed)
    sentences = _sentences()
    reference = REFERENCE.read_text(encoding="utf-8")
    samples = []
    for _ in range(count):
        text = _issue(rng, sentences, reference)
        encoding = rng.choices(["utf-8", "gb18030", "utf-16"], weights=[6, 3, 1])[0]
        samples.append(Sample(text.encode(encoding, errors="replace"), len(text)))
    return samples


def _time(samples: list[Sample], work: Callable[[bytes], object], repeat: int = 3) -> float:
    """Best of `repeat` passes: the machine is shared, the minimum is the least disturbed."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for sample in samples:
            work(sample.data)
        best = min(best, time.perf_counter() - start)
    return best


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    """Generate, parse, print the figures."""
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--issues", type=int, default=1000)
    options.add_argument("--seed", type=int, default=35)
    args = options.parse_args()
    samples = generate(args.issues, args.seed)
    chars = sum(sample.chars for sample in samples)
    baseline = _time(samples, lambda data: normalize_text(decode_bytes(data).text))
    parsed = _time(samples, parse_file)
    warned = sum(1 for sample in samples if parse_file(sample.data)["warnings"])
    rate = len(samples)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, {_cpu_model()}, Python {platform.python_version()}")
    print(f"load average at the end: {load}; best of 3 passes each")
    print(f"issues: {rate}, characters: {chars:,} (avg {chars // rate:,}/issue)")
    print(f"decode + normalise: {rate / baseline:,.0f} files/s, {chars / baseline:,.0f} chars/s")
    print(f"decode + parse:     {rate / parsed:,.0f} files/s, {chars / parsed:,.0f} chars/s")
    print(f"parse costs {parsed / baseline:.1f}x decode + normalise; {warned} issues had warnings")


if __name__ == "__main__":
    main()
