"""Issues as the office uses them, through HTTP: assemble, proof, sign, publish, correct, void."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins.models import (
    Adoption,
    AdoptionForm,
    Entry,
    Issue,
    IssueFile,
    Series,
    VoidedNumber,
)
from jianbao.bulletins.services import do_create_issue, do_transition_issue
from jianbao.bulletins.tests.conftest import AdoptedFactory, CaptureOnCommit
from jianbao.search.models import DocType, SearchDocument
from jianbao.submissions.models import Kind, Revision, Submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def act(client: Client, issue: Issue, action: str, reason: str = "", **extra: Any) -> Any:
    """Press a state button on the issue editor and follow the redirect."""
    response = client.post(
        reverse("bulletins:transition", args=[issue.pk]),
        {"action": action, "reason": reason, **extra},
        follow=True,
    )
    assert response.status_code == 200
    return response


def streamed(response: Any) -> bytes:
    """The body of a file download."""
    return b"".join(response.streaming_content)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_editor_assembles_chief_signs_editor_publishes(
    login: Login,
    editor: User,
    chief: User,
    series: Series,
    adopted: AdoptedFactory,
    *,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    office, signer = login(editor), login(chief)
    item = adopted()
    parts = [
        adopted(title="区司法局做好未成年人法律援助工作", body="当天受理。", unit_name="区司法局"),
        adopted(title="区检察院加强未成年人保护", body="双排查。", unit_name="区检察院"),
    ]
    brief = adopted(title="", body="意谷孵化器被评为优秀。", kind=Kind.BRIEF, unit_name="区科技局")

    # The editor opens a new issue: the next number is proposed.
    listing = office.get(reverse("bulletins:list"), {"series": series.pk})
    assert "新建一期（第1期）" in listing.content.decode()
    form = office.get(reverse("bulletins:create"), {"series": series.pk}).content.decode()
    assert "下一期为 <b>第1期</b>" in form
    response = office.post(
        reverse("bulletins:create"), {"series": series.pk, "issue_date": "2024-06-17"}
    )
    issue = Issue.objects.get()
    assert response["Location"] == reverse("bulletins:detail", args=[issue.pk])
    assert (issue.year, issue.number, issue.send_to) == (2024, 1, "区县处级领导")

    # The side list offers the adopted submissions; the brief goes last, items before it.
    page = office.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert "待编稿件（4）" in page
    office.post(
        reverse("bulletins:add_submissions", args=[issue.pk]),
        {"submissions": [brief.pk, item.pk]},
    )
    office.post(
        reverse("bulletins:merge", args=[issue.pk]),
        {"submissions": [p.pk for p in parts], "title": "我区多部门联动筑牢未成年人保护防线"},
    )
    entries = list(issue.entries.all())
    assert [e.kind for e in entries] == ["item", "item", "brief"]
    merged = entries[1]
    assert merged.title == "我区多部门联动筑牢未成年人保护防线"
    assert merged.body == "当天受理。\n双排查。"
    assert sorted(s.unit.name for s in merged.sources.all()) == ["区司法局", "区检察院"]

    # The merged item moves to the top; the editor tightens the printed text inline (htmx).
    office.post(
        reverse("bulletins:move_entry", args=[issue.pk, merged.pk]),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert next(iter(issue.entries.values_list("pk", flat=True))) == merged.pk
    response = office.post(
        reverse("bulletins:edit_entry", args=[issue.pk, merged.pk]),
        {
            "kind": "item",
            "title": merged.title,
            "body": "区司法局当天受理。区检察院双排查。",
            "source_mode": "none",
            "version": merged.version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "区司法局当天受理。区检察院双排查。" in response.content.decode()
    assert parts[0].revisions.count() == 1  # the unit's original is untouched
    assert Submission.objects.get(pk=parts[0].pk).body == "当天受理。"

    # Proof freezes the text; the chief signs; the editor publishes.
    act(office, issue, "proof")
    edit = office.post(
        reverse("bulletins:edit_entry", args=[issue.pk, merged.pk]),
        {"kind": "item", "title": "改", "body": "改", "source_mode": "auto", "version": 2},
    )
    assert edit.status_code == 400
    assert "文字已冻结" in edit.content.decode()
    issue.refresh_from_db()
    response = act(signer, issue, "sign", version=issue.version)
    issue.refresh_from_db()
    assert issue.state == "signed" and issue.signed_by == chief and issue.signed_at is not None
    with django_capture_on_commit_callbacks(execute=True):  # the files move in on commit
        response = act(office, issue, "publish", version=issue.version)
    assert "本期现为「已印发」" in " ".join(messages_of(response))

    issue.refresh_from_db()
    assert issue.state == "published" and issue.published_at is not None
    files = {f.format: f for f in IssueFile.objects.filter(issue=issue)}
    assert set(files) == {"docx", "pdf", "html", "ofd"}
    for stored in files.values():
        content = stored.file.open("rb").read()
        assert hashlib.sha256(content).hexdigest() == stored.sha256
        assert len(content) == stored.size
    download = office.get(reverse("bulletins:download", args=[issue.pk, "docx"]))
    assert download["X-Content-SHA256"] == files["docx"].sha256
    assert streamed(download)[:2] == b"PK"

    # Every source submission is published and its unit credited with a 区级 adoption.
    indexed = SearchDocument.objects.filter(
        doc_type=DocType.ENTRY, object_id__in=[e.pk for e in entries]
    )
    assert indexed.count() == 3 and all("published" in d.visibility for d in indexed)
    for submission in [item, *parts, brief]:
        assert Submission.objects.get(pk=submission.pk).state == State.PUBLISHED
    adoptions = {(a.unit.name, a.form, a.level) for a in Adoption.objects.all()}
    assert adoptions == {
        ("区委宣传部", AdoptionForm.SINGLE, "district"),
        ("区司法局", AdoptionForm.MERGED, "district"),
        ("区检察院", AdoptionForm.MERGED, "district"),
        ("区科技局", AdoptionForm.BRIEF, "district"),
    }
    assert all(
        a.outlet == "上街信息" and a.date == datetime.date(2024, 6, 17)
        for a in Adoption.objects.all()
    )


def test_proof_can_go_back_to_draft(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    office = login(editor)
    office.post(
        reverse("bulletins:add_submissions", args=[issue.pk]), {"submissions": [adopted().pk]}
    )
    act(office, issue, "proof")
    act(office, issue, "back_to_draft")
    issue.refresh_from_db()
    assert issue.state == "draft"


def test_empty_issue_cannot_be_signed(
    login: Login, editor: User, chief: User, issue: Issue
) -> None:
    act(login(editor), issue, "proof")
    response = act(login(chief), issue, "sign")
    assert "本期没有任何条目，不能签发。" in messages_of(response)
    issue.refresh_from_db()
    assert issue.state == "proof"


def test_only_a_chief_signs(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    office = login(editor)
    office.post(
        reverse("bulletins:add_submissions", args=[issue.pk]), {"submissions": [adopted().pk]}
    )
    act(office, issue, "proof")
    page = office.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert 'value="sign"' not in page and "等待签发人签发" in page
    response = act(office, issue, "sign")
    assert "只有签发人可以执行「签发」。" in messages_of(response)
    issue.refresh_from_db()
    assert issue.state == "proof" and issue.signed_by is None


def test_publish_needs_a_signed_issue(login: Login, editor: User, issue: Issue) -> None:
    response = act(login(editor), issue, "publish")
    assert "本期当前状态为「编辑中」，不能执行「印发」。" in messages_of(response)


def _published(issue: Issue, editor: User, chief: User, submission: Submission) -> Issue:
    from jianbao.bulletins.services import do_add_submissions

    do_add_submissions(issue=issue, actor=editor, submissions=[submission])
    for action, actor in [("proof", editor), ("sign", chief), ("publish", editor)]:
        issue = do_transition_issue(issue=issue, action=action, actor=actor)
    return issue


def test_published_issue_cannot_be_edited(
    login: Login, editor: User, chief: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    issue = _published(issue, editor, chief, adopted())
    entry = issue.entries.get()
    office = login(editor)
    response = office.post(
        reverse("bulletins:edit_entry", args=[issue.pk, entry.pk]),
        {
            "kind": "item",
            "title": "改",
            "body": "改",
            "source_mode": "auto",
            "version": entry.version,
        },
    )
    assert response.status_code == 400
    assert "已印发的期刊不能修改" in response.content.decode()
    response = office.post(
        reverse("bulletins:footer", args=[issue.pk]), {"send_to": "改"}, follow=True
    )
    assert any("已印发的期刊不能修改" in m for m in messages_of(response))
    response = office.post(
        reverse("bulletins:remove_entry", args=[issue.pk, entry.pk]), follow=True
    )
    assert issue.entries.count() == 1
    response = act(office, issue, "void", reason="不能作废已印发的")
    assert "本期当前状态为「已印发」，不能执行「作废」。" in messages_of(response)


def test_correction_is_a_new_edition_with_notice_and_old_files_kept(
    login: Login,
    editor: User,
    chief: User,
    issue: Issue,
    adopted: AdoptedFactory,
    *,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    issue = _published(issue, editor, chief, adopted())
    old_files = {f.format: (f.sha256, f.file.name) for f in issue.files.all()}
    office = login(editor)
    response = office.post(
        reverse("bulletins:correction", args=[issue.pk]),
        {"notice": "本刊2024年第1期第1条标题有误，特此更正。"},
    )
    correction = Issue.objects.get(corrects=issue)
    assert response["Location"] == reverse("bulletins:detail", args=[correction.pk])
    assert (correction.number, correction.edition, correction.state) == (issue.number, 2, "draft")
    assert correction.entries.count() == 1
    entry = correction.entries.get()
    assert entry.sources.get().submission_id == issue.entries.get().sources.get().submission_id

    office.post(
        reverse("bulletins:edit_entry", args=[correction.pk, entry.pk]),
        {
            "kind": "item",
            "title": "更正后的标题",
            "body": entry.body,
            "source_mode": "auto",
            "version": entry.version,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):  # the files move in on commit
        for action, client in [("proof", office), ("sign", login(chief)), ("publish", office)]:
            act(client, correction, action)
    correction.refresh_from_db()
    assert correction.state == "published"

    # The old edition and its files stay; the new HTML carries the notice; no double credit.
    issue.refresh_from_db()
    assert issue.state == "published"
    assert {f.format: (f.sha256, f.file.name) for f in issue.files.all()} == old_files
    download = office.get(reverse("bulletins:download", args=[correction.pk, "html"]))
    html = streamed(download).decode()
    assert (
        "更正说明：" in html and "本刊2024年第1期第1条标题有误" in html and "更正后的标题" in html
    )
    assert Adoption.objects.count() == 1
    # Search finds the corrected text only.
    indexed = SearchDocument.objects.filter(doc_type=DocType.ENTRY)
    assert list(indexed.values_list("object_id", flat=True)) == [entry.pk]
    page = office.get(reverse("bulletins:read", args=[issue.pk])).content.decode()
    assert "更正版1" in page


def test_voided_number_is_recorded_and_never_reused(
    *,
    login: Login,
    editor: User,
    chief: User,
    series: Series,
    issue: Issue,
    adopted: AdoptedFactory,
) -> None:
    second = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 20))
    assert (issue.number, second.number) == (1, 2)
    office = login(editor)
    office.post(
        reverse("bulletins:add_submissions", args=[second.pk]), {"submissions": [adopted().pk]}
    )
    act(office, second, "proof")
    act(login(chief), second, "sign")
    response = act(office, second, "void")
    assert "「作废」须填写理由。" in messages_of(response)
    act(office, second, "void", reason="重复印发")
    voided = VoidedNumber.objects.get()
    assert (voided.year, voided.number, voided.reason, voided.voided_by) == (
        2024,
        2,
        "重复印发",
        editor,
    )
    assert voided.issue == second
    # The submission of the voided issue can go into another issue.
    third = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 21))
    assert third.number == 3
    page = office.get(reverse("bulletins:detail", args=[third.pk])).content.decode()
    assert "待编稿件（1）" in page
    response = office.post(
        reverse("bulletins:header", args=[third.pk]),
        {"number": 2, "issue_date": "2024-06-21", "version": third.version},
    )
    assert response.status_code == 400
    assert "2024年第2期已作废，期号不能再用。" in response.content.decode()


def test_a_draft_voided_before_sign_off_gives_its_number_back(
    login: Login, editor: User, series: Series, issue: Issue
) -> None:
    act(login(editor), issue, "void", reason="不再编发")
    issue.refresh_from_db()
    assert issue.state == "voided" and not VoidedNumber.objects.exists()
    again = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 21))
    assert again.number == issue.number == 1


def test_next_number_is_per_series_and_year(editor: User, series: Series) -> None:
    from jianbao.bulletins.services import do_create_series

    other = do_create_series(actor=editor, title="上街要情", organ="中共上街区委办公室")
    numbers = [
        do_create_issue(series=s, actor=editor, issue_date=datetime.date(y, 3, 1)).number
        for s, y in [(series, 2024), (series, 2024), (other, 2024), (series, 2025), (series, 2024)]
    ]
    assert numbers == [1, 2, 1, 1, 3]


def test_cumulative_number_counts_across_years(editor: User) -> None:
    from jianbao.bulletins.services import do_create_series

    series = do_create_series(
        actor=editor, title="要情专报", organ="区委办", cumulative_numbering=True
    )
    first = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 12, 1))
    second = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2025, 1, 2))
    assert (first.number, first.total_number) == (1, 1)
    assert (second.number, second.total_number) == (1, 2)


def test_submission_cannot_be_in_two_live_issues(
    login: Login, editor: User, series: Series, issue: Issue, adopted: AdoptedFactory
) -> None:
    item = adopted()
    office = login(editor)
    office.post(reverse("bulletins:add_submissions", args=[issue.pk]), {"submissions": [item.pk]})
    other = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 7, 1))
    page = office.get(reverse("bulletins:detail", args=[other.pk])).content.decode()
    assert "待编稿件（0）" in page
    # Removing the entry frees the submission again.
    entry = issue.entries.get()
    office.post(reverse("bulletins:remove_entry", args=[issue.pk, entry.pk]))
    page = office.get(reverse("bulletins:detail", args=[other.pk])).content.decode()
    assert "待编稿件（1）" in page


def test_stale_entry_save_is_refused_with_409_and_text_kept(
    login: Login, editor: User, editor2: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    login(editor).post(
        reverse("bulletins:add_submissions", args=[issue.pk]), {"submissions": [adopted().pk]}
    )
    entry = issue.entries.get()
    data = {"kind": "item", "title": entry.title, "source_mode": "auto", "version": entry.version}
    first = login(editor).post(
        reverse("bulletins:edit_entry", args=[issue.pk, entry.pk]), {**data, "body": "甲的修改。"}
    )
    assert first.status_code == 302
    second = login(editor2).post(
        reverse("bulletins:edit_entry", args=[issue.pk, entry.pk]),
        {**data, "body": "乙的修改。"},
        HTTP_HX_REQUEST="true",
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "该条目已被 王思宇" in page and "乙的修改。" in page
    assert Entry.objects.get(pk=entry.pk).body == "甲的修改。"


def test_series_are_defined_by_editors(login: Login, editor: User, chief: User) -> None:
    data = {
        "title": "上街信息",
        "organ": "中共上街区委办公室",
        "yearly_numbering": "on",
        "send_to": "区县处级领导",
        "distribute_to": "峡窝镇、各街道办事处、区直各单位负责同志",
        "editors": "王思宇、柴亚文",
        "marks": "内部资料 注意保存",
    }
    assert login(chief).post(reverse("bulletins:series_create"), data).status_code == 403
    response = login(editor).post(reverse("bulletins:series_create"), data)
    assert response.status_code == 302
    series = Series.objects.get()
    assert series.editors == ["王思宇", "柴亚文"] and series.marks == ["内部资料 注意保存"]
    response = login(editor).post(
        reverse("bulletins:series_edit", args=[series.pk]),
        {**data, "copies": "200", "active": "on", "version": series.version},
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.copies == 200
    stale = login(editor).post(
        reverse("bulletins:series_edit", args=[series.pk]), {**data, "version": 1}
    )
    assert stale.status_code == 409


def test_pages_render_for_the_office(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    office = login(editor)
    office.post(
        reverse("bulletins:add_submissions", args=[issue.pk]), {"submissions": [adopted().pk]}
    )
    entry = issue.entries.get()
    for url in [
        reverse("bulletins:list"),
        reverse("bulletins:series_list"),
        reverse("bulletins:create"),
        reverse("bulletins:detail", args=[issue.pk]),
        reverse("bulletins:read", args=[issue.pk]),
        reverse("bulletins:edit_entry", args=[issue.pk, entry.pk]),
    ]:
        assert office.get(url).status_code == 200, url
    partial = office.get(reverse("bulletins:list"), {"year": 2024}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "2024年第1期" in partial.content.decode()
    assert Revision.objects.count() == 1
