"""In a real browser: choosing a .docx fills the form before saving; files chosen on a form that
comes back with an error stay chosen and go with the save (Playwright, Debian's chromium)."""

from __future__ import annotations

from typing import Any

from jianbao.accounts.models import Unit, User
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.submissions.models import PendingUpload, Submission
from jianbao.submissions.tests.test_attachments_and_docx import word_file

pytestmark = BROWSER_TEST

WORD = word_file(
    [
        ("区委宣传部创新打造文明实践“三个模式”", "一是打造夜间模式。"),
        ("", "二是打造假期模式。"),
        ("", "（区委宣传部、区总工会）"),
    ]
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(chromium: Any, base: str, user: User) -> tuple[Any, list[str]]:
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    browser_login(page, base, user)
    page.goto(f"{base}/submissions/new/")
    return page, problems


def _selected_units(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#id_source_units option:checked", "options => options.map(o => o.textContent.trim())"
    )


def test_choosing_a_docx_fills_title_body_and_source_before_saving(
    browser: Any,
    live_server: Any,
    reporter_a: User,
    unit_b: Unit,
) -> None:
    page, problems = _page(browser, live_server.url, reporter_a)
    page.set_input_files("#id_docx", {"name": "信息.docx", "mimeType": DOCX_TYPE, "buffer": WORD})
    page.wait_for_selector(".word-preview-ok")
    assert page.input_value("#id_title") == "区委宣传部创新打造文明实践“三个模式”"
    assert page.input_value("#id_body") == "一是打造夜间模式。\n二是打造假期模式。"
    assert sorted(_selected_units(page)) == ["区委宣传部", "区总工会"]
    assert not Submission.objects.exists()  # a preview saves nothing

    # One click unselects or selects one unit, no Ctrl key needed (and the others stay).
    union = "#id_source_units option:has-text('区总工会')"
    page.click(union)
    assert _selected_units(page) == ["区委宣传部"]
    page.click(union)
    assert sorted(_selected_units(page)) == ["区委宣传部", "区总工会"]

    page.fill("#id_title", "文明实践“三个模式”")  # the reporter edits before saving
    page.click("button[value=save]")
    page.wait_for_selector("text=草稿已保存")
    item = Submission.objects.get()
    assert item.title == "文明实践“三个模式”"
    assert item.body == "一是打造夜间模式。\n二是打造假期模式。"
    assert sorted(u.name for u in item.source_units.all()) == ["区委宣传部", "区总工会"]
    assert [a.original_name for a in item.attachments.all()] == ["信息.docx"]
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_a_wrong_word_file_says_so_in_the_form(
    browser: Any,
    live_server: Any,
    reporter_a: User,
) -> None:
    page, _ = _page(browser, live_server.url, reporter_a)
    old = b"\xd0\xcf\x11\xe0 old binary"
    page.set_input_files(
        "#id_docx", {"name": "旧.doc", "mimeType": "application/msword", "buffer": old}
    )
    page.wait_for_selector("#docx-preview .errorlist")
    assert "另存为 .docx" in page.inner_text("#docx-preview")
    assert page.input_value("#id_title") == ""


def test_a_form_error_keeps_the_chosen_attachments_and_the_save_carries_them(
    browser: Any,
    live_server: Any,
    reporter_a: User,
) -> None:
    page, problems = _page(browser, live_server.url, reporter_a)
    page.fill("#id_title", "区委宣传部开展文明实践“夜间模式”")
    page.set_input_files(
        "#id_attachments",
        [
            {"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0 jpeg"},
            {"name": "多余.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"},
        ],
    )
    page.click("button[value=save]")  # no body: the form comes back with an error
    page.wait_for_selector("text=正文不能为空")
    assert "已选择：现场照片.jpg" in page.inner_text(".pending-uploads")
    assert "已选择：多余.pdf" in page.inner_text(".pending-uploads")

    page.click("li:has-text('多余.pdf') >> text=移除")
    page.wait_for_selector("li:has-text('多余.pdf')", state="detached")
    assert [p.original_name for p in PendingUpload.objects.all()] == ["现场照片.jpg"]

    page.fill("#id_body", "延长新时代文明实践中心开放时间。")
    page.click("button[value=save]")
    page.wait_for_selector("text=草稿已保存")
    item = Submission.objects.get()
    assert [a.original_name for a in item.attachments.all()] == ["现场照片.jpg"]
    assert "现场照片.jpg" in page.content()
    assert not PendingUpload.objects.exists()
    assert not [p for p in problems if "Content Security Policy" in p], problems
