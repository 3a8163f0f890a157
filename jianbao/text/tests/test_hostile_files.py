"""Hostile files at the pure level: every corpus case is refused with its Chinese message, in
time, by the parser running in an isolated child; the child's limits never hurt the caller."""

from __future__ import annotations

import os
import time

import pytest

from jianbao.text.extract import ExtractError, extract_and_parse, extract_file, parse_file
from jianbao.text.isolation import IsolatedError, Isolation, run_isolated
from jianbao.text.limits import MB, LimitError, ParseLimits, check_docx
from jianbao.text.tests.hostile_files import (
    CORPUS,
    Hostile,
    document_xml,
    docx_external_entity,
    docx_of,
    docx_paragraphs,
    good_docx,
    paragraphs_xml,
    pdf_document,
)
from jianbao.typeset.docx_adapter import DocxReadError, read_docx_paragraphs

# The defaults, but counting elements stops sooner: the corpus stays fast.
LIMITS = ParseLimits(docx_max_elements=100_000, timeout_seconds=10)
ISOLATION = Isolation(timeout_seconds=LIMITS.timeout_seconds, memory_bytes=512 * MB)


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_corpus_case_is_refused_in_time_by_the_isolated_parser(case: Hostile) -> None:
    data = case.make()
    started = time.monotonic()
    with pytest.raises(IsolatedError, match=case.message) as refused:
        run_isolated(extract_and_parse, data, case.name, LIMITS, limits=ISOLATION)
    assert time.monotonic() - started < LIMITS.timeout_seconds
    assert "Traceback" not in str(refused.value) and "解析出错" not in str(refused.value)


@pytest.mark.parametrize(
    "case", [case for case in CORPUS if "docx" in case.name], ids=lambda case: case.name
)
def test_docx_cases_are_refused_in_process_too(case: Hostile) -> None:
    with pytest.raises(ExtractError, match=case.message):
        extract_file(case.make(), case.name, limits=LIMITS)


def test_honest_files_parse_the_same_isolated_or_not() -> None:
    for data, name in [(good_docx(), "good.docx"), (pdf_document(2), "two.pdf")]:
        text, parsed = run_isolated(extract_and_parse, data, name, LIMITS, limits=ISOLATION)
        assert parse_file(data, name) == parsed
        assert text == extract_file(data).text
    assert "区委宣传部" in run_isolated(extract_file, good_docx(), limits=ISOLATION).text


def test_paragraph_limit_names_the_number() -> None:
    small = ParseLimits(max_paragraphs=50)
    assert len(read_docx_paragraphs(docx_paragraphs(50), small)) == 50
    with pytest.raises(DocxReadError, match="文件段落数超过 50，疑似异常文件"):
        read_docx_paragraphs(docx_paragraphs(51), small)


def test_size_limits_are_checked_before_parsing() -> None:
    with pytest.raises(ExtractError, match="文件大小超过 1 KB"):
        extract_file(pdf_document(3), limits=ParseLimits(max_file_bytes=1024))
    with pytest.raises(ExtractError, match="文本文件超过 100 字节"):
        extract_file("上街信息".encode() * 20, limits=ParseLimits(max_text_bytes=100))
    with pytest.raises(ExtractError, match="PDF 页数超过 2"):
        extract_file(pdf_document(3), limits=ParseLimits(pdf_max_pages=2))
    with pytest.raises(ExtractError, match="文件数超过 2"):
        extract_file(good_docx(), limits=ParseLimits(docx_max_members=2))


def test_entities_in_any_part_are_refused_and_never_read() -> None:
    styles = document_xml("", '<!DOCTYPE w:styles [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
    hostile = docx_of(document_xml(paragraphs_xml(["正文"])), {"word/styles.xml": styles.encode()})
    with pytest.raises(DocxReadError, match=r"word/styles\.xml 含有文档类型定义"):
        read_docx_paragraphs(hostile)
    with pytest.raises(DocxReadError) as refused:
        read_docx_paragraphs(docx_external_entity("file:///etc/passwd"))
    assert "root:" not in str(refused.value)


def test_xml_part_size_is_limited() -> None:
    big = document_xml(paragraphs_xml(["正文" * 50] * 400)).encode()
    with pytest.raises(LimitError, match=r"document\.xml 超过 1 KB"):
        check_docx(docx_of(big), ParseLimits(docx_max_xml_bytes=1024))


def _allocate_gigabytes() -> int:
    hog = [bytearray(64 * MB) for _ in range(32)]
    return len(hog)


def test_a_child_over_its_memory_cap_gives_the_message_not_the_caller() -> None:
    with pytest.raises(IsolatedError, match="解析所需内存超过 128 MB"):
        run_isolated(
            _allocate_gigabytes, limits=Isolation(timeout_seconds=10, memory_bytes=128 * MB)
        )
    assert sum(len(chunk) for chunk in [bytearray(MB)] * 4) == 4 * MB  # the caller is fine


def _sleep() -> None:
    time.sleep(30)


def test_a_child_over_its_time_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(IsolatedError, match=r"解析超过 0\.3 秒仍未完成"):
        run_isolated(_sleep, limits=Isolation(timeout_seconds=0.3, memory_bytes=64 * MB))
    assert time.monotonic() - started < 2


def _die() -> None:
    os._exit(3)  # a parser extension's abort: the child ends without a reply


def _unexpected() -> None:
    raise KeyError("lost")


def test_a_crashing_child_is_reported_in_chinese() -> None:
    with pytest.raises(IsolatedError, match="解析进程异常退出"):
        run_isolated(_die, limits=ISOLATION)
    with pytest.raises(IsolatedError, match="解析出错：KeyError"):
        run_isolated(_unexpected, limits=ISOLATION)
