"""The storing side of the archive import: round trip, duplicates, failures, unit names."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from jianbao.accounts.models import Unit, UnitAlias, User
from jianbao.accounts.services import do_create_unit
from jianbao.archive.models import ImportItem, ItemState
from jianbao.archive.services import (
    do_confirm_item,
    do_confirm_ready,
    do_map_unit_name,
    do_set_unattributed,
    import_paths,
)
from jianbao.archive.tests.conftest import write
from jianbao.bulletins.models import Adoption, Entry, EntrySource, Issue, IssueFile, Series
from jianbao.bulletins.selectors import bulletin_json_for_issue, issue_to_bulletin_json
from jianbao.bulletins.services import indexing as indexing_module
from jianbao.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _only_issue() -> Issue:
    (issue,) = Issue.objects.all()
    return issue


@pytest.mark.usefixtures("units", "series")
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_rendered_reference_imports_back_to_the_same_bulletin(
    fmt: str, tmp_path: Path, rendered: dict[str, bytes], reference: dict[str, Any]
) -> None:
    path = write(tmp_path, f"上街信息35.{fmt}", rendered[fmt])
    summary = import_paths(paths=[path], actor=None)
    assert summary.failed == [] and summary.needs_review == []
    assert len(summary.imported) == 1
    issue = _only_issue()
    assert issue.is_archive and issue.state == "published"
    assert issue_to_bulletin_json(issue) == reference
    assert bulletin_json_for_issue(series="上街信息", year=2024, number=35) == reference
    original = IssueFile.objects.get(issue=issue)
    assert original.format == fmt
    assert original.sha256 == hashlib.sha256(rendered[fmt]).hexdigest()
    assert original.file.read() == rendered[fmt]
    # Credits for the scoring and the index for search, like a published issue.
    credited = set(EntrySource.objects.values_list("unit__name", flat=True))
    assert "区委宣传部" in credited and Adoption.objects.filter(issue=issue).count() == 9
    assert SearchDocument.objects.filter(doc_type="archive_entry").count() == 10


def test_the_same_file_twice_adds_nothing(
    tmp_path: Path, reference_text: str, units: dict[str, Unit], series: Series
) -> None:
    path = write(tmp_path, "a.txt", reference_text)
    first = import_paths(paths=[path], actor=None)
    counts = (Issue.objects.count(), Entry.objects.count(), Adoption.objects.count())
    copy = write(tmp_path, "copy/a-copy.txt", reference_text)
    second = import_paths(paths=[path, copy], actor=None)
    assert len(first.imported) == 1
    assert second.imported == [] and len(second.skipped) == 2
    assert "已导入" in second.skipped[0][1]
    assert (Issue.objects.count(), Entry.objects.count(), Adoption.objects.count()) == counts
    assert ImportItem.objects.filter(state=ItemState.IMPORTED).count() == 1
    assert ImportItem.objects.exclude(file="").count() == 1  # a skipped copy is not stored


def test_same_number_in_another_file_is_skipped_with_the_reason(
    tmp_path: Path, reference_text: str, units: dict[str, Unit], series: Series
) -> None:
    import_paths(paths=[write(tmp_path, "a.txt", reference_text)], actor=None)
    edited = reference_text.replace("一是打造夜间模式", "一是打造夜间服务模式")
    summary = import_paths(paths=[write(tmp_path, "b.txt", edited)], actor=None)
    assert summary.skipped == [(str(tmp_path / "b.txt"), "《上街信息》2024年第35期已在库中")]
    assert Issue.objects.count() == 1


def test_a_bad_file_never_stops_the_batch_nor_leaves_half_an_issue(
    tmp_path: Path,
    reference_text: str,
    units: dict[str, Unit],
    series: Series,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = write(tmp_path, "in/1.txt", reference_text.replace("第 35 期", "第 36 期"))
    broken = write(tmp_path, "in/2.docx", b"PK\x03\x04 not really a zip")
    crashing = write(tmp_path, "in/3.txt", reference_text.replace("第 35 期", "第 37 期"))
    last = write(tmp_path, "in/4.txt", reference_text.replace("第 35 期", "第 38 期"))
    calls = {"n": 0}
    real_index = indexing_module.index_entry

    def index_then_crash(entry: Entry) -> Any:
        # Fail in the middle of issue 37: after its issue and entries rows were written.
        if entry.issue.number == 37:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("磁盘已满")
        return real_index(entry)

    monkeypatch.setattr(indexing_module, "index_entry", index_then_crash)
    summary = import_paths(paths=[tmp_path / "in"], actor=None)
    assert [Path(f).name for f, _ in summary.imported] == ["1.txt", "4.txt"]
    failed = dict(summary.failed)
    assert set(failed) == {str(broken), str(crashing)}
    assert "zip" in failed[str(broken)] and "磁盘已满" in failed[str(crashing)]
    assert sorted(Issue.objects.values_list("number", flat=True)) == [36, 38]
    assert Entry.objects.filter(issue__number=37).count() == 0
    assert Entry.objects.count() == 20
    assert first.exists() and last.exists()


def test_source_names_resolve_through_aliases(
    tmp_path: Path, reference_text: str, units: dict[str, Unit], series: Series
) -> None:
    text = reference_text.replace("（区委宣传部）", "（中共上街区委宣传部）")
    import_paths(paths=[write(tmp_path, "a.txt", text)], actor=None)
    entry = Entry.objects.get(title__startswith="区委宣传部")
    assert [s.unit.name for s in entry.sources.all()] == ["区委宣传部"]
    data = issue_to_bulletin_json(_only_issue())
    assert data["entries"][1]["source_units"] == ["区委宣传部"]
    assert data["entries"][1]["source_raw"] == "（中共上街区委宣传部）"  # as printed


def test_an_unknown_unit_is_listed_for_review_never_created(
    tmp_path: Path, reference_text: str, units: dict[str, Unit], series: Series, editor: User
) -> None:
    text = reference_text.replace("（区税务局）", "（区文旅局）")
    before = Unit.objects.count()
    summary = import_paths(paths=[write(tmp_path, "a.txt", text)], actor=None)
    assert summary.imported == [] and len(summary.needs_review) == 1
    assert "区文旅局" in summary.needs_review[0][1]
    assert Unit.objects.count() == before and Issue.objects.count() == 0
    item = ImportItem.objects.get()
    assert item.state == ItemState.NEEDS_REVIEW
    do_map_unit_name(name="区文旅局", unit=units["区税务局"], actor=editor)
    assert UnitAlias.objects.filter(name="区文旅局", unit=units["区税务局"]).exists()
    item.refresh_from_db()
    assert item.state == ItemState.PARSED
    issue = do_confirm_item(item=item, actor=editor)
    assert issue.entries.get(order=8).sources.get().unit == units["区税务局"]


def test_leave_unattributed_per_name_and_the_cli_flag(
    tmp_path: Path, reference_text: str, units: dict[str, Unit], series: Series, editor: User
) -> None:
    text = reference_text.replace("（区税务局）", "（区文旅局）")
    import_paths(paths=[write(tmp_path, "a.txt", text)], actor=None)
    item = ImportItem.objects.get()
    do_set_unattributed(item=item, name="区文旅局", actor=editor)
    issue = do_confirm_item(item=item, actor=editor)
    entry = issue.entries.get(order=8)
    assert entry.sources.count() == 0 and entry.source_line == "（区文旅局）"
    other = text.replace("第 35 期", "第 36 期").replace("区委宣传部", "区委网信办")
    summary = import_paths(
        paths=[write(tmp_path, "b.txt", other)], actor=None, accept_unknown_units=True
    )
    assert len(summary.imported) == 1
    assert not Unit.objects.filter(name__in=["区文旅局", "区委网信办"]).exists()


def test_an_unknown_series_waits_unless_asked_to_create_it(
    tmp_path: Path, reference_text: str, units: dict[str, Unit]
) -> None:
    path = write(tmp_path, "a.txt", reference_text)
    summary = import_paths(paths=[path], actor=None)
    assert "刊物《上街信息》尚未建立" in summary.needs_review[0][1]
    assert not Series.objects.exists()
    again = import_paths(paths=[path], actor=None, create_series=True)
    assert len(again.imported) == 1
    assert Series.objects.get().organ == "中共上街区委办公室"
    # The copy that waited for review gave way to the new run.
    first = ImportItem.objects.order_by("pk").first()
    assert first is not None and first.state == ItemState.SKIPPED and "重新导入" in first.message


@pytest.mark.usefixtures("units")
def test_a_unit_created_elsewhere_unblocks_the_batch_confirm(
    tmp_path: Path, reference_text: str, series: Series, editor: User
) -> None:
    text = reference_text.replace("（区税务局）", "（区文旅局）")
    import_paths(paths=[write(tmp_path, "a.txt", text)], actor=None)
    item = ImportItem.objects.get()
    assert item.state == ItemState.NEEDS_REVIEW
    do_create_unit(name="区文旅局")  # in the unit admin, not on the archive pages
    batch = do_confirm_ready(batch=item.batch, actor=editor)
    item.refresh_from_db()
    assert item.state == ItemState.IMPORTED and batch.state == "done"
