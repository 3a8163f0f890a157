"""Entries between masthead and footer: items, briefs, editor's notes, sections, contents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jianbao.text.bulletin_headline import FIRST_IS, find_headline, strong_headline
from jianbao.text.bulletin_lines import looks_like_body
from jianbao.text.bulletin_sources import Source, trailing_source
from jianbao.text.bulletin_types import EntryDict, Para, Report
from jianbao.text.normalize import display_width

# A brief's marker: 「△」 in the reference, 「※」「●」 and friends elsewhere.
MARKER = re.compile(r"^(?P<marker>[△▲※●◆■★☆◇□○◎•])\s*")
# A section heading 【工作动态】 (also 〖〗 and full-width square brackets).
SECTION = re.compile(r"^[【〖［](?P<name>[^】〗］]{1,20})[】〗］]\s*")
# An editor's note: 「编者按：」, and 「编后：」「编后语：」 (a note after an item).
NOTE = re.compile(r"^(?P<label>编\s*者\s*按|编后语?)\s*[:：]?\s*")
NOTE_NAMES = ("编者按", "编后", "编后语")
# The heading of a contents list.
CONTENTS = re.compile(r"^(?:目\s*录|本期要目|本期目录|要\s*目|本期导读|本期内容)\s*[:：]?$")
# A line of a contents list: optional number, title, dot leaders or spaces, page number.
CONTENTS_LINE = re.compile(
    r"^(?:\d{1,2}[.．、]\s*|[一二三四五六七八九十]{1,3}、)?(?P<title>.+?)"
    r"(?:\s*[.…·．]{2,}\s*\d{1,3}|\s+\d{1,3})?$"
)
# Sections whose paragraphs are all briefs (numbered or not).
BRIEF_SECTION = re.compile(r"简讯|短讯|快讯|速览|一句话|简要")
# The number of a numbered brief: 「1.」「1、」「（一）」「(1)」「一、」.
NUMBERED = re.compile(
    r"^(?:\d{1,2}\s*[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)\s*"
)
_PUNCTUATION = re.compile(r"[，。、：；！？（(]")
# A space between two hanzi inside running text is a line or page break artefact, not content.
_SPACE_IN_TEXT = re.compile(
    r"(?<=[\u4e00-\u9fff，、；：“”])[ \u3000]+(?=[\u4e00-\u9fff，、；：“”])"
)


@dataclass
class _Draft:
    kind: str
    section: str | None
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    source: Source | None = None
    title_confidence: float = 1.0
    closed: bool = False


@dataclass
class _State:
    report: Report
    entries: list[EntryDict] = field(default_factory=list)
    section: str | None = None
    brief_section: bool = False
    draft: _Draft | None = None
    editor_note: str | None = None
    note_open: bool = False  # the top 编者按 may go on for more paragraphs


def _contents_key(text: str) -> str:
    match = CONTENTS_LINE.match(text)
    title = match.group("title") if match else text
    return re.sub(r"[\s【】〖〗［］]", "", title)


def _skip_contents(paras: list[Para], index: int, report: Report) -> int:
    """Drop a contents list; it ends at running text or at the first title seen twice."""
    report.drop("contents", paras[index].text)
    seen: set[str] = set()
    index += 1
    while index < len(paras):
        text = paras[index].text
        key = _contents_key(text)
        paged = bool(re.search(r"(?:[.…·．]{2,}|\s)\s*\d{1,3}$", text))
        if key in seen or MARKER.match(text) or NOTE.match(text):
            break
        if not paged and (looks_like_body(text) or display_width(text) > 60):
            break
        seen.add(key)
        report.drop("contents", text)
        index += 1
    return index


def _close(state: _State) -> None:
    """Turn the open draft into an entry, with warnings for what is missing or unsure."""
    draft, state.draft = state.draft, None
    if draft is None:
        return
    number = len(state.entries)
    where = f"entries[{number}]"
    kind = draft.kind
    if kind == "item" and draft.title is None:
        kind = "brief" if draft.source else "note"
        state.report.warn(
            f"{where}.title", f"第{number + 1}条没有识别出标题，已作为{_NAMES[kind]}处理，请核对"
        )
    body = "\n".join(paragraph for paragraph in draft.paragraphs if paragraph)
    entry: EntryDict = {
        "kind": kind,
        "section": draft.section,
        "title": draft.title,
        "body": body,
        "source_units": list(draft.source.units) if draft.source else [],
        "source_raw": draft.source.raw if draft.source else None,
    }
    state.entries.append(entry)
    _check(entry, draft, where, number, state.report)


_NAMES = {"item": "信息", "brief": "简讯", "note": "编者按/说明"}


def _check(entry: EntryDict, draft: _Draft, where: str, number: int, report: Report) -> None:
    if draft.title is not None and draft.title_confidence < 1.0:
        report.confidence[f"{where}.title"] = draft.title_confidence
        if draft.title_confidence < 0.8:
            report.warn(f"{where}.title", f"第{number + 1}条的标题按首句识别，请核对")
    if entry["kind"] != "note" and draft.source is None:
        hint = "（综合信息可忽略）" if entry["kind"] == "item" else ""
        report.warn(f"{where}.source_units", f"第{number + 1}条没有来源单位{hint}，请核对")
    elif draft.source is not None and not draft.source.sure:
        report.confidence[f"{where}.source_units"] = 0.6
        report.warn(
            f"{where}.source_units", f"第{number + 1}条的来源「{draft.source.raw}」不确定，请核对"
        )
    if not entry["body"]:
        report.warn(f"{where}.body", f"第{number + 1}条没有正文，请核对")


def _add_paragraph(state: _State, text: str) -> None:
    """Add running text to the open draft; a trailing source closes it."""
    draft = state.draft
    if draft is None:
        return
    found = trailing_source(text)
    if found is not None:
        text, draft.source = found
        draft.closed = True
    draft.paragraphs.append(_SPACE_IN_TEXT.sub("", text))


def _start_item(state: _State, para: Para, following: Para | None) -> None:
    _close(state)
    state.draft = _Draft("item", state.section)
    headline = find_headline(para, following)
    if headline is None:
        _add_paragraph(state, para.text)
        return
    state.draft.title = headline.title
    state.draft.title_confidence = headline.confidence
    state.report.consume("headline_end", headline.consumed)
    if headline.body:
        _add_paragraph(state, headline.body)


def _single(state: _State, kind: str, text: str) -> None:
    """A one-paragraph entry (brief, note): closed at once."""
    _close(state)
    state.draft = _Draft(kind, state.section)
    _add_paragraph(state, text)
    _close(state)


def _section(state: _State, name: str, rest: str, paras: list[Para], index: int) -> int:
    """Open a section (or an editor's note written as 【编者按】); return the next index."""
    _close(state)
    if name in NOTE_NAMES:
        if not rest and index + 1 < len(paras):
            rest, index = paras[index + 1].text, index + 1
        _note(state, name, rest)
        return index + 1
    state.section, state.brief_section = name, bool(BRIEF_SECTION.search(name))
    if rest:
        paras[index] = Para(rest, line=paras[index].line)
        return index
    return index + 1


def _note(state: _State, label: str, text: str) -> None:
    """The 编者按 before the first entry is the issue's editor_note (the renderer prints it at
    the top); one further down belongs to the entries around it and stays a note entry."""
    _close(state)
    issue_note = re.sub(r"\s+", "", label) == "编者按" and not state.entries
    if issue_note and state.editor_note is None and text.strip():
        state.editor_note = _SPACE_IN_TEXT.sub("", text.strip())
        state.note_open = True
        return
    _single(state, "note", text)


def _step(state: _State, paras: list[Para], index: int) -> int:
    """Handle the paragraph at index; return the index of the next one to handle."""
    para, text = paras[index], paras[index].text
    following = paras[index + 1] if index + 1 < len(paras) else None
    note_open, state.note_open = state.note_open, False
    if CONTENTS.match(text):
        return _skip_contents(paras, index, state.report)
    if match := SECTION.match(text):
        state.report.consume("section", match.group(0))
        return _section(state, match.group("name").strip(), text[match.end() :], paras, index)
    if match := NOTE.match(text):
        state.report.consume("label", match.group(0))
        rest = text[match.end() :]
        if not rest.strip() and following is not None:  # 「编者按：」 alone, its text below
            rest, index = following.text, index + 1
        _note(state, match.group("label"), rest)
        return index + 1
    if match := MARKER.match(text):
        rest = text[match.end() :]
        state.report.consume("marker", match.group("marker"))
        if display_width(rest) <= 12 and not _PUNCTUATION.search(rest) and following is not None:
            _close(state)
            state.report.consume("section", rest)
            state.section, state.brief_section = rest, bool(BRIEF_SECTION.search(rest))
        else:
            _single(state, "brief", rest)
        return index + 1
    if state.brief_section:
        match = NUMBERED.match(text)
        if match:
            state.report.consume("marker", match.group(0))
        _single(state, "brief", text[match.end() :] if match else text)
        return index + 1
    if note_open and state.editor_note is not None and _continues_note(para, following):
        state.editor_note += "\n" + _SPACE_IN_TEXT.sub("", text)
        state.note_open = True
    else:
        _item_paragraph(state, para, following)
    return index + 1


def _continues_note(para: Para, following: Para | None) -> bool:
    """A paragraph after the top 编者按 with nothing of an item about it: no headline, no
    source, not the last paragraph."""
    return (
        following is not None
        and strong_headline(para, following) is None
        and FIRST_IS.match(para.text) is None
        and trailing_source(para.text) is None
        and not NUMBERED.match(para.text)
    )


def _item_paragraph(state: _State, para: Para, following: Para | None) -> None:
    """Running text: the next paragraph of the open item, or the start of a new one."""
    draft = state.draft
    if draft is not None and not draft.closed and draft.kind == "item":
        if not draft.paragraphs:  # the body under a headline that stood on its own line
            _add_paragraph(state, para.text)
            return
        only_source = trailing_source(para.text)
        if only_source is not None and not only_source[0]:
            draft.source, draft.closed = only_source[1], True
            return
        run_on = FIRST_IS.match(para.text)  # 「标题一是…」: a headline run into its body
        if (strong_headline(para, following) is None and run_on is None) or NUMBERED.match(
            para.text
        ):
            _add_paragraph(state, para.text)
            return
    _start_item(state, para, following)


def parse_entries(paras: list[Para], report: Report) -> tuple[list[EntryDict], str | None]:
    """Entries in order, and the editor's note (编者按) if the issue has one."""
    state = _State(report)
    paras = list(paras)
    index = 0
    while index < len(paras):
        index = _step(state, paras, index)
    _close(state)
    return state.entries, state.editor_note
