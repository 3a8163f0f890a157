"""Evaluate the proofreader on ECSpell odw and on clean official prose.

    .venv/bin/python -m bench.proofread_eval                 # test (whole, not-in-train) + prose
    .venv/bin/python -m bench.proofread_eval --split train   # the tuning split
    .venv/bin/python -m bench.proofread_eval --split train --sweep   # confusion threshold sweep
    .venv/bin/python -m bench.proofread_eval --fit           # lone-character fit, grouped LOO
    .venv/bin/python -m bench.proofread_eval --cv            # grouped 5-fold CV, whole checker
    .venv/bin/python -m bench.proofread_eval --derive-pairs  # regenerate data/confusion_pairs.tsv

Thresholds are tuned on odw.train only; odw.test is for reporting.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.text.proofread import RULES, Finding, proofread
from jianbao.text.proofread.context import Context
from jianbao.text.proofread.rules import confusion

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("JIANBAO_SHARED_DATA", ROOT.parent / "shared" / "data"))
ODW = DATA / "csc" / "ecspell-odw"
PROSE = DATA / "prose" / "gov-work-reports"
# ECSpell labels wrong characters only; punctuation, number and source-line findings are judged
# against labels that cannot contain them, so the headline "character rules" figures leave them out.
CHARACTER_RULES = ("traditional", "confusion", "terms", "particles", "repeated_words")
PAIRS_FILE = ROOT / "jianbao" / "text" / "proofread" / "data" / "confusion_pairs.tsv"


@dataclass(frozen=True)
class Pair:
    """One ECSpell sentence pair."""

    source: str
    target: str

    @property
    def errors(self) -> frozenset[int]:
        """Offsets of wrong characters (empty when the lengths differ: counted by sentence only)."""
        if len(self.source) != len(self.target):
            return frozenset()
        return frozenset(
            i for i, (a, b) in enumerate(zip(self.source, self.target, strict=False)) if a != b
        )

    @property
    def has_error(self) -> bool:
        return self.source != self.target


def load_pairs(split: str) -> list[Pair]:
    """Pairs of odw.<split> (format: n_errors TAB source TAB target)."""
    pairs = []
    for line in (ODW / f"odw.{split}").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) == 3:
            pairs.append(Pair(cols[1], cols[2]))
    return pairs


def not_in_train(test: list[Pair], train: list[Pair]) -> list[Pair]:
    """Test pairs whose source or target sentence does not occur in train."""
    seen = {p.source for p in train} | {p.target for p in train}
    return [p for p in test if p.source not in seen and p.target not in seen]


def touches_error(finding: Finding, errors: frozenset[int]) -> bool:
    """A flag is right when its span covers a wrong character (a point: next to one)."""
    if finding.start == finding.end:
        return finding.start in errors or finding.start - 1 in errors
    return any(i in errors for i in range(finding.start, finding.end))


@dataclass
class Tally:
    """Counts for one evaluated set."""

    sentences: int = 0
    error_sentences: int = 0
    flagged: int = 0
    flagged_with_error: int = 0
    detected: int = 0  # error sentences with at least one right flag
    flags: Counter[str] = field(default_factory=Counter)
    right_flags: Counter[str] = field(default_factory=Counter)
    right_suggestions: Counter[str] = field(default_factory=Counter)
    detected_by: Counter[str] = field(default_factory=Counter)
    flagged_chars: int = 0
    right_chars: int = 0

    def add(self, pair: Pair, findings: list[Finding]) -> None:
        """Count one sentence's findings."""
        errors = pair.errors
        self.sentences += 1
        self.error_sentences += pair.has_error
        if findings:
            self.flagged += 1
            self.flagged_with_error += pair.has_error
        rules_right = set()
        chars: set[int] = set()
        for f in findings:
            self.flags[f.rule] += 1
            chars.update(range(f.start, f.end))
            if touches_error(f, errors):
                self.right_flags[f.rule] += 1
                rules_right.add(f.rule)
                if f.suggestion is not None and _applies(pair, f):
                    self.right_suggestions[f.rule] += 1
        self.flagged_chars += len(chars)
        self.right_chars += len(chars & errors)
        if rules_right:
            self.detected += 1
            self.detected_by.update(rules_right)

    def summary(self) -> dict[str, object]:
        """Figures as a JSON-ready dict."""
        flags, right = sum(self.flags.values()), sum(self.right_flags.values())
        char_flags = sum(self.flags[r] for r in CHARACTER_RULES)
        char_right = sum(self.right_flags[r] for r in CHARACTER_RULES)
        return {
            "sentences": self.sentences,
            "error_sentences": self.error_sentences,
            "sentence_precision": _ratio(self.flagged_with_error, self.flagged),
            "sentence_recall": _ratio(self.flagged_with_error, self.error_sentences),
            "detection_recall": _ratio(self.detected, self.error_sentences),
            "clean_flagged_share": _ratio(
                self.flagged - self.flagged_with_error, self.sentences - self.error_sentences
            ),
            "flags": flags,
            "flag_precision": _ratio(right, flags),
            "character_rules_flags": char_flags,
            "character_rules_flag_precision": _ratio(char_right, char_flags),
            "char_precision": _ratio(self.right_chars, self.flagged_chars),
            "per_rule": {
                rule: {
                    "flags": self.flags[rule],
                    "flag_precision": _ratio(self.right_flags[rule], self.flags[rule]),
                    "suggestion_precision": _ratio(self.right_suggestions[rule], self.flags[rule]),
                    "sentences_detected": self.detected_by[rule],
                }
                for rule in RULES
                if self.flags[rule]
            },
        }


def _applies(pair: Pair, f: Finding) -> bool:
    """The suggestion turns the flagged span into the target's text."""
    if len(pair.source) != len(pair.target) or f.suggestion is None:
        return False
    return pair.target[f.start : f.end] == f.suggestion


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def evaluate(pairs: Iterable[Pair], disabled: frozenset[str] = frozenset()) -> dict[str, object]:
    """Run the proofreader on every source sentence and tally the flags."""
    tally = Tally()
    for pair in pairs:
        tally.add(pair, proofread(pair.source, disabled_rules=disabled))
    return tally.summary()


def prose_paragraphs() -> list[tuple[str, list[tuple[int, int]]]]:
    """Clean official prose: each paragraph with its sentence spans (cut on 。！？)."""
    out = []
    for path in sorted(PROSE.glob("*.txt")):
        for line in _paragraphs(path.read_text(encoding="utf-8")):
            spans = [
                m.span() for m in re.finditer(r"[^。！？]+[。！？]?", line) if m.group().strip()
            ]
            if spans:
                out.append((line, spans))
    return out


def _paragraphs(text: str) -> list[str]:
    """Lines, with the web extraction's breaks undone: 「制定了《\n…\n》，」, 「（PM\n2.5）」."""
    out: list[str] = []
    for line in text.splitlines():
        broken_title = out and (
            out[-1].endswith(("《", "“", "（")) or line.startswith(("》", "”", "）"))
        )
        subscript = out and out[-1][-1:].isascii() and out[-1][-1:].isalpha() and line[:1].isdigit()
        if broken_title or subscript:
            out[-1] += line
        else:
            out.append(line)
    return out


def evaluate_prose(disabled: frozenset[str] = frozenset(), show: int = 0) -> dict[str, object]:
    """Share of clean prose sentences with any finding (each paragraph checked as a whole)."""
    per_rule: Counter[str] = Counter()
    sentences = flagged = chars = 0
    started = time.perf_counter()
    for line, spans in prose_paragraphs():
        findings = proofread(line, disabled_rules=disabled)
        chars += len(line)
        sentences += len(spans)
        for start, end in spans:
            inside = [f for f in findings if start <= f.start < end]
            flagged += bool(inside)
            per_rule.update({f.rule for f in inside})
            for f in inside[:show]:
                print(
                    f.rule, f.text, "→", f.suggestion, "|", line[max(0, f.start - 12) : f.end + 12]
                )
    return {
        "sentences": sentences,
        "characters": chars,
        "flagged_share": _ratio(flagged, sentences),
        "flagged": flagged,
        "sentences_flagged_by_rule": dict(per_rule),
        "seconds": round(time.perf_counter() - started, 1),
    }


def sweep(pairs: list[Pair], gains: list[float]) -> list[dict[str, object]]:
    """Confusion-rule precision/recall and clean-target false alarms at several LM thresholds."""
    scored_src = [list(confusion.scored(Context(p.source), min(gains))) for p in pairs]
    scored_tgt = [list(confusion.scored(Context(p.target), min(gains))) for p in pairs]
    rows: list[dict[str, object]] = []
    for gain in gains:
        flags = right = detected = clean_flagged = 0
        for pair, src, tgt in zip(pairs, scored_src, scored_tgt, strict=True):
            kept = [f for f, g in src if g >= gain]
            hits = sum(touches_error(f, pair.errors) for f in kept)
            flags += len(kept)
            right += hits
            detected += bool(hits)
            clean_flagged += any(g >= gain for _, g in tgt)
        errors = sum(p.has_error for p in pairs)
        rows.append(
            {
                "min_gain": gain,
                "flags": flags,
                "flag_precision": _ratio(right, flags),
                "detection_recall": _ratio(detected, errors),
                "clean_target_flagged": _ratio(clean_flagged, len(pairs)),
            }
        )
    return rows


@dataclass(frozen=True)
class Row:
    """One lone-character position of odw.train with its candidate options (for --fit)."""

    sentence: int
    original: str  # the character at the position
    clean: bool  # from a corrected target or an error-free sentence
    wrong: bool  # the position holds a wrong character
    options: tuple[tuple[str, float, bool], ...]  # (character, LM gain, sound/shape candidate)


def _fit_rows(pairs: list[Pair]) -> list[Row]:
    from jianbao.text import lm
    from jianbao.text.proofread import confusion_sets

    model = lm.default_model()
    assert model is not None, "the language model is needed to fit the confusion rule"
    rows = []
    for i, pair in enumerate(pairs):
        texts = [(pair.source, False)] + ([(pair.target, True)] if pair.has_error else [])
        for text, is_target in texts:
            ctx = Context(text)
            for index in confusion._suspicious(ctx):
                pos = ctx.tokens[index][1]
                plain = confusion_sets.candidates_without_seen(text[pos])
                options = tuple(
                    (o.char, o.gain, o.char in plain) for o in confusion.options_at(ctx, pos, model)
                )
                if options:
                    wrong = not is_target and pos in pair.errors
                    clean = is_target or not pair.has_error
                    rows.append(Row(i, text[pos], clean, wrong, options))
    return rows


def text_groups(pairs: list[Pair]) -> list[int]:
    """A group number per pair: pairs sharing a source or target text are one group."""
    parent: dict[str, str] = {}

    def root(text: str) -> str:
        while parent.setdefault(text, text) != text:
            parent[text] = parent[parent[text]]
            text = parent[text]
        return text

    for pair in pairs:
        parent[root(pair.source)] = root(pair.target)
    numbers: dict[str, int] = {}
    return [numbers.setdefault(root(p.target), len(numbers)) for p in pairs]


def loo_fit(pairs: list[Pair], gains: list[float], bonuses: list[float]) -> list[dict[str, object]]:
    """Lone-character thresholds on train, the seen-pair bonus counted leave-one-group-out."""
    seen: Counter[tuple[str, str]] = Counter()
    by_group: dict[int, Counter[tuple[str, str]]] = {}
    groups = text_groups(pairs)
    for pair, group in zip(pairs, groups, strict=True):
        mine = Counter((pair.source[i], pair.target[i]) for i in pair.errors)
        seen.update(mine)
        by_group.setdefault(group, Counter()).update(mine)
    # A sentence's seen pairs leave out its whole group: odw.train repeats each corrected
    # sentence with different errors (1,720 pairs, 925 distinct targets), so leaving out one
    # pair would still let its siblings vouch for it — unlike a test sentence not in train.
    own = [by_group[group] for group in groups]
    rows = _fit_rows(pairs)
    results: list[dict[str, object]] = []
    for gain in gains:
        for bonus in bonuses:
            right = wrong = 0
            clean: set[int] = set()
            for row in rows:
                best = None
                for char, g, plain in row.options:
                    key = (row.original, char)
                    loo_seen = seen[key] - own[row.sentence][key] > 0
                    if plain or loo_seen:
                        score = g + (bonus if loo_seen else 0.0)
                        best = score if best is None else max(best, score)
                if best is None or best < gain:
                    continue
                right += row.wrong
                wrong += not row.wrong
                if row.clean:
                    clean.add(row.sentence)
            results.append(
                {
                    "min_gain": gain,
                    "seen_bonus": bonus,
                    "right": right,
                    "wrong": wrong,
                    "precision": _ratio(right, right + wrong),
                    "clean_sentences_flagged": _ratio(len(clean), len(pairs)),
                }
            )
    return results


@dataclass
class CrossTally:
    """Character-rule flags on held-out sentences: right ones, wrong ones on clean sentences
    (error-free sources and corrected targets) and wrong ones inside error sentences."""

    right: int = 0
    wrong_clean: int = 0
    wrong_in_error: int = 0
    detected: int = 0
    error_sentences: int = 0
    clean_sentences: int = 0

    def precision(self, prevalence: float | None = None) -> float | None:
        """Flag precision as measured, or as if `prevalence` of all sentences held an error."""
        if prevalence is None:
            return _ratio(self.right, self.right + self.wrong_clean + self.wrong_in_error)
        per_error = (self.right / self.error_sentences, self.wrong_in_error / self.error_sentences)
        per_clean = self.wrong_clean / self.clean_sentences
        right = prevalence * per_error[0]
        wrong = prevalence * per_error[1] + (1 - prevalence) * per_clean
        return round(right / (right + wrong), 4) if right + wrong else None


def _character_findings(text: str) -> list[Finding]:
    return [f for f in proofread(text) if f.rule in CHARACTER_RULES]


def cross_validate(pairs: list[Pair], folds: int = 5) -> CrossTally:
    """Every train sentence checked with the seen pairs learnt from the other folds only.

    Folds split by text group (see text_groups), so a held-out sentence is "not in train" the
    way odw.test's unseen sentences are. The current confusion Settings apply.
    """
    from jianbao.text.proofread import confusion_sets

    groups = text_groups(pairs)
    tally = CrossTally()
    original = confusion_sets._seen
    try:
        for fold in range(folds):
            learnt: dict[str, set[str]] = {}
            for pair, group in zip(pairs, groups, strict=True):
                if group % folds != fold:
                    for i in pair.errors:
                        learnt.setdefault(pair.source[i], set()).add(pair.target[i])
            table = {char: frozenset(mates) for char, mates in learnt.items()}
            confusion_sets._seen = lambda table=table: table  # type: ignore[assignment]
            confusion_sets.candidates.cache_clear()
            for pair, group in zip(pairs, groups, strict=True):
                if group % folds == fold:
                    _tally_held_out(tally, pair)
    finally:
        confusion_sets._seen = original
        confusion_sets.candidates.cache_clear()
    return tally


def _tally_held_out(tally: CrossTally, pair: Pair) -> None:
    found = _character_findings(pair.source)
    right = sum(touches_error(f, pair.errors) for f in found) if pair.has_error else 0
    tally.right += right
    if pair.has_error:
        tally.error_sentences += 1
        tally.detected += bool(right)
        tally.wrong_in_error += len(found) - right
        tally.clean_sentences += 1  # the corrected target is a clean sentence too
        tally.wrong_clean += len(_character_findings(pair.target))
    else:
        tally.clean_sentences += 1
        tally.wrong_clean += len(found)


def cv_grid(gains: list[float], bonuses: list[float]) -> list[dict[str, object]]:
    """cross_validate over a grid of the lone-character threshold and the seen-pair bonus."""
    pairs = load_pairs("train")
    rows: list[dict[str, object]] = []
    saved = (confusion.SETTINGS.min_gain, confusion.SETTINGS.seen_bonus)
    try:
        for gain in gains:
            for bonus in bonuses:
                confusion.SETTINGS.min_gain, confusion.SETTINGS.seen_bonus = gain, bonus
                tally = cross_validate(pairs)
                rows.append(
                    {
                        "min_gain": gain,
                        "seen_bonus": bonus,
                        **vars(tally),
                        "flag_precision": tally.precision(),
                        "flag_precision_at_5pct_errors": tally.precision(0.05),
                        "detection_recall": _ratio(tally.detected, tally.error_sentences),
                    }
                )
                print(json.dumps(rows[-1]), file=sys.stderr)
    finally:
        confusion.SETTINGS.min_gain, confusion.SETTINGS.seen_bonus = saved
    return rows


def derive_pairs() -> None:
    """Write data/confusion_pairs.tsv from odw.train (never from test or gov-cn-documents)."""
    counts: Counter[tuple[str, str]] = Counter()
    for pair in load_pairs("train"):
        for i in pair.errors:
            counts[(pair.source[i], pair.target[i])] += 1
    lines = [
        "# (wrong, right, count) character substitutions observed in ECSpell odw.train ONLY (MIT,",
        "# aopolin-lv/ECSpell); regenerate with `python -m bench.proofread_eval --derive-pairs`.",
    ]
    lines += [f"{a}\t{b}\t{n}" for (a, b), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    PAIRS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "test"], default="test")
    parser.add_argument("--sweep", action="store_true", help="confusion threshold sweep")
    parser.add_argument("--fit", action="store_true", help="leave-one-out fit on train")
    parser.add_argument("--cv", action="store_true", help="grouped 5-fold cross-validation")
    parser.add_argument("--no-prose", action="store_true", help="skip the clean-prose run")
    parser.add_argument("--disable", default="", help="comma-separated rules to switch off")
    parser.add_argument("--derive-pairs", action="store_true")
    parser.add_argument("--show-prose", action="store_true", help="print prose findings")
    args = parser.parse_args(argv)
    if args.derive_pairs:
        derive_pairs()
        return 0
    disabled = frozenset(r for r in args.disable.split(",") if r)
    pairs = load_pairs(args.split)
    if args.fit:
        rows = loo_fit(load_pairs("train"), [4.5, 5.0, 5.25, 5.5, 6.0], [0.0, 0.5, 1.0, 2.0])
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if args.cv:
        grid = cv_grid([4.75, 5.0, 5.25, 5.5, 6.0], [0.0, 0.5, 1.0, 2.0])
        print(json.dumps(grid, ensure_ascii=False, indent=1))
        return 0
    if args.sweep:
        gains = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0]
        print(json.dumps(sweep(pairs, gains), ensure_ascii=False, indent=1))
        return 0
    report: dict[str, object] = {args.split: evaluate(pairs, disabled)}
    if args.split == "test":
        unseen = not_in_train(pairs, load_pairs("train"))
        report["test_not_in_train"] = evaluate(unseen, disabled)
    if not args.no_prose:
        report["prose"] = evaluate_prose(disabled, show=9 if args.show_prose else 0)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
