"""Headlines: the bold lead sentence of an item, told apart from its body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jianbao.text.bulletin_lines import HEADLINE_SPACE, STRUCTURAL_START, looks_like_body
from jianbao.text.bulletin_types import Para
from jianbao.text.normalize import display_width

# Punctuation a headline never contains (it is one sentence, at most with commas).
_NOT_IN_TITLE = re.compile(r"[。！？；;]")
# The first sentence of a paragraph, when no space or bold run marks the headline.
FIRST_SENTENCE = re.compile(r"^(?P<title>[^。！？]{4,60}?)(?P<end>[。！？])(?=.)")
# A headline run into its body without a space: the body often opens with 「一是」.
FIRST_IS = re.compile(r"^(?P<title>[^。！？，]{6,60}?)一是")
_TITLE_MAX = 80
_PAIRS: tuple[tuple[str, str], ...] = (
    ("“", "”"),
    ("（", "）"),
    ("《", "》"),
    ("「", "」"),
    ("(", ")"),
)


@dataclass(frozen=True)
class Headline:
    """A headline, the body text after it, and how the headline was recognised."""

    title: str
    body: str
    how: str  # bold | space | standalone | sentence
    consumed: str = ""  # the sentence-end punctuation after a headline, dropped from the title

    @property
    def confidence(self) -> float:
        """How sure we are that this is the headline."""
        return {"bold": 1.0, "space": 1.0, "standalone": 0.85, "sentence": 0.6}[self.how]


def _balanced(text: str) -> bool:
    return all(text.count(left) == text.count(right) for left, right in _PAIRS)


def _good_title(title: str) -> bool:
    return (
        4 <= display_width(title) <= _TITLE_MAX
        and not _NOT_IN_TITLE.search(title)
        and not title.endswith(("，", "、", "：", ":"))
        and _balanced(title)
    )


def _from_bold(para: Para) -> Headline | None:
    bold = para.bold.strip()
    if len(bold) < 4 or not para.text.startswith(bold):
        return None
    title, end = bold, ""
    if title[-1] in "。！？":
        title, end = title[:-1].rstrip(), title[-1]
    if not title or display_width(title) > _TITLE_MAX * 1.5:
        return None
    return Headline(title, para.text[len(bold) :].strip(), "bold", end)


def _from_space(text: str) -> Headline | None:
    match = HEADLINE_SPACE.search(text)
    if match is None:
        return None
    title, body = text[: match.start()], text[match.end() :]
    if not body or not _good_title(title):
        return None
    return Headline(title, body, "space")


def is_standalone_title(para: Para, following: Para | None) -> bool:
    """A short line alone in its paragraph, followed by running text: a headline on its own."""
    text = para.text
    return (
        following is not None
        and _good_title(text)
        and display_width(text) <= 60
        and "，" not in text
        and not STRUCTURAL_START.match(text)
        and looks_like_body(following.text)
    )


def strong_headline(para: Para, following: Para | None) -> Headline | None:
    """A headline marked unmistakably (bold run, separating space, line of its own), or None."""
    headline = _from_bold(para) or _from_space(para.text)
    if headline is not None:
        return headline
    if is_standalone_title(para, following):
        return Headline(para.text, "", "standalone")
    return None


def find_headline(para: Para, following: Para | None) -> Headline | None:
    """The headline of a paragraph that starts an item, the first sentence as a last resort."""
    headline = strong_headline(para, following)
    if headline is not None:
        return headline
    first_is = FIRST_IS.match(para.text)
    if first_is is not None and _good_title(first_is.group("title")):
        return Headline(first_is.group("title"), para.text[first_is.end("title") :], "sentence")
    match = FIRST_SENTENCE.match(para.text)
    if match is None or not _balanced(match.group("title")):
        return None
    rest = para.text[match.end() :].strip()
    return Headline(match.group("title"), rest, "sentence", match.group("end"))
