"""The 报尾: 报/送/发/增发 lists, 责任编辑 and 共印N份, in any order, found from the end."""

from __future__ import annotations

import re

from jianbao.text.bulletin_masthead import chinese_number, find_date
from jianbao.text.bulletin_types import FooterDict, Para, Report

_LABEL_FIELDS = {
    "报": "report_to",
    "报送": "report_to",
    "本期报": "report_to",
    "抄报": "report_to",
    "送": "send_to",
    "本期送": "send_to",
    "抄送": "send_to",
    "分送": "send_to",
    "发": "distribute_to",
    "本期发": "distribute_to",
    "分发": "distribute_to",
    "印发": "distribute_to",
    "增发": "extra_to",
    "本期增发": "extra_to",
    "增送": "extra_to",
    "本期增送": "extra_to",
    "责任编辑": "editors",
    "本期编辑": "editors",
    "编辑": "editors",
    "签发": "other",
    "审核": "other",
    "审稿": "other",
    "校对": "other",
    "编审": "other",
}


def _spaced(label: str) -> str:
    """A label letter-spaced or not: 「责 任 编 辑」 is 「责任编辑」."""
    return r"\s*".join(label)


_LABELS = sorted(_LABEL_FIELDS, key=len, reverse=True)
# A footer label at the start of a line or after whitespace, with its colon.
LABEL = re.compile(rf"(?:^|(?<=\s))(?P<label>{'|'.join(map(_spaced, _LABELS))})\s*[:：]\s*")
# Inside a footer line any label with a colon starts a new list: values never hold a colon.
LABEL_INLINE = re.compile(rf"(?P<label>{'|'.join(map(_spaced, _LABELS))})\s*[:：]\s*")
# 「（共印120份）」「共印一百二十份」.
COPIES = re.compile(
    r"[（(]?\s*共印\s*(?P<count>\d+|[〇零一二三四五六七八九十百千两]+)\s*份\s*[）)]?"
)
# The imprint line of GB/T 9704: 「中共上街区委办公室    2024年6月17日印发」.
IMPRINT = re.compile(r"印\s*发$")
EDITOR_SEPARATOR = re.compile(r"[\s、，,；;]+")


def empty_footer() -> FooterDict:
    """A footer with nothing in it."""
    return {
        "report_to": None,
        "send_to": None,
        "distribute_to": None,
        "extra_to": None,
        "editors": [],
        "copies": None,
    }


def _is_footer_line(text: str) -> bool:
    return bool(LABEL.match(text) or COPIES.fullmatch(text.strip()) or IMPRINT.search(text))


def _footer_start(paras: list[Para]) -> int:
    """Index of the first footer paragraph, scanning back from the end."""
    start = len(paras)
    index = len(paras) - 1
    while index >= 0:
        text = paras[index].text
        if _is_footer_line(text):
            start = index
        elif not _is_continuation(text, paras, index):
            break
        index -= 1
    return start


def _is_continuation(text: str, paras: list[Para], index: int) -> bool:
    """A short line between footer lines: the wrapped end of the list above it."""
    previous = paras[index - 1].text if index > 0 else ""
    return bool(LABEL.match(previous)) and len(text) <= 30 and "。" not in text


def _store(
    footer: FooterDict, label: str, value: str, report: Report, *, joiner: str = "、"
) -> None:
    name = _LABEL_FIELDS[re.sub(r"\s+", "", label)]
    value = value.strip()
    if name == "editors":
        footer["editors"].extend(part for part in EDITOR_SEPARATOR.split(value) if part)
    elif name == "other":
        report.consume("footer_other", f"{label}：{value}")
    else:
        current = footer[name]  # type: ignore[literal-required]
        footer[name] = f"{current}{joiner}{value}" if current else value  # type: ignore[literal-required]


def _read_line(footer: FooterDict, text: str, report: Report) -> str | None:
    """Store every labelled part of a line; return the label the line ends in."""
    copies = COPIES.search(text)
    if copies:
        footer["copies"] = chinese_number(copies.group("count"))
        text = (text[: copies.start()] + " " + text[copies.end() :]).strip()
    labels = list(LABEL_INLINE.finditer(text))
    if not labels:
        return None
    for match, following in zip(labels, [*labels[1:], None], strict=True):
        end = following.start() if following else len(text)
        _store(footer, match.group("label"), text[match.end() : end], report)
    return labels[-1].group("label")


def parse_footer(paras: list[Para], report: Report) -> tuple[FooterDict, list[Para], str | None]:
    """Read the footer from the end; return it, the paragraphs before it, and an imprint date."""
    footer = empty_footer()
    start = _footer_start(paras)
    last_label: str | None = None
    imprint_date: str | None = None
    for para in paras[start:]:
        report.consume("footer", para.text)
        if IMPRINT.search(para.text) and not LABEL.match(para.text):
            found = find_date(para.text)
            imprint_date = found[0] if found else imprint_date
            continue
        label = _read_line(footer, para.text, report)
        if COPIES.fullmatch(para.text.strip()):
            last_label = None  # 「（共印N份）」 on its own line continues no list
        elif label is None and last_label is not None:
            _store(footer, last_label, para.text, report, joiner="")  # a wrapped list
        last_label = label or last_label
    _check(footer, report)
    return footer, paras[:start], imprint_date


def _check(footer: FooterDict, report: Report) -> None:
    if not any(footer[name] for name in ("report_to", "send_to", "distribute_to")):  # type: ignore[literal-required]
        report.warn("footer", "没有识别出报尾（报、送、发），请核对")
    if not footer["editors"]:
        report.warn("footer.editors", "没有识别出责任编辑，请核对")
    for name in footer["editors"]:
        if len(name) > 4:
            message = f"责任编辑「{name}」可能是几个人名连在一起，请核对"
            report.warn("footer.editors", message)
