"""The index follows every write in the same transaction; rebuild restores it from the database."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from jianbao.accounts.models import Unit, User
from jianbao.search.backends import get_backend
from jianbao.search.models import DocType, SearchDocument
from jianbao.search.selectors import search
from jianbao.search.services import index_document, index_row, rebuild_index, remove_document
from jianbao.submissions.services import do_create_submission, do_transition, do_update_submission
from jianbao.submissions.workflow import Action

pytestmark = pytest.mark.django_db

BODY = "区总工会召开集体协商“要约行动”推进会，部署下一阶段工作。"


def _titles(user: User, query: str) -> list[str]:
    return [hit.title for hit in search(user, query).hits]


def _fulltext_rows() -> int:
    # SQLite keeps one search_rows row per FTS row; PostgreSQL one search_tsv row per document.
    table = "search_rows" if connection.vendor == "sqlite" else "search_tsv"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return int(cursor.fetchone()[0])


def test_create_edit_and_transition_are_findable_at_once(
    reporter_b: User, reporter_a: User, editor: User
) -> None:
    item = do_create_submission(author=reporter_b, title="集体协商推进会", body=BODY)
    assert _titles(reporter_b, "集体协商") == ["集体协商推进会"]
    assert _titles(editor, "集体协商") == []  # a draft stays in its unit
    item = do_update_submission(
        submission=item, actor=reporter_b, expected_version=item.version,
        title="工资协商推进会", body="区总工会部署工资专项协商。",
    )  # fmt: skip
    assert _titles(reporter_b, "集体协商") == []
    assert _titles(reporter_b, "工资专项") == ["工资协商推进会"]
    do_transition(submission=item, action=Action.SUBMIT, actor=reporter_b)
    assert _titles(editor, "工资专项") == ["工资协商推进会"]
    assert _titles(reporter_a, "工资专项") == []


def test_state_filter_follows_transitions(reporter_b: User, editor: User) -> None:
    item = do_create_submission(author=reporter_b, title="集体协商推进会", body=BODY)
    item = do_transition(submission=item, action=Action.SUBMIT, actor=reporter_b)
    do_transition(submission=item, action=Action.CLAIM, actor=editor)
    hit = search(editor, "集体协商").hits[0]
    assert (hit.state, hit.state_label) == ("in_review", "审核中")


def test_generic_documents_and_removal(unit_a: Unit, leader: User, reporter_a: User) -> None:
    index_document(
        doc_type=DocType.ARCHIVE_ENTRY, object_id=7, title="网格化管理经验", body="划分网格42个。",
        unit_ids=[unit_a.pk], unit_names="区委宣传部", series="上街信息", year=2019, number=3,
        state="published", kind="item", date=datetime.date(2019, 3, 1),
        visibility=["office", "published"],
    )  # fmt: skip
    assert _titles(leader, "网格") == ["网格化管理经验"]
    assert search(leader, "网格").hits[0].source_label == "上街信息 2019年第3期"
    assert remove_document(doc_type=DocType.ARCHIVE_ENTRY, object_id=7)
    assert _titles(leader, "网格") == []
    assert _fulltext_rows() == 0
    assert not remove_document(doc_type=DocType.ARCHIVE_ENTRY, object_id=7)


def test_changing_the_date_moves_the_row(unit_a: Unit, leader: User) -> None:
    for day in (datetime.date(2019, 3, 1), datetime.date(2024, 5, 1)):
        index_document(
            doc_type=DocType.ENTRY, object_id=9, title="夜间模式", body="文明实践夜间模式。",
            unit_ids=[unit_a.pk], unit_names="区委宣传部", date=day,
            visibility=["published"],
        )  # fmt: skip
    assert _fulltext_rows() == 1
    results = search(leader, "夜间模式")
    assert results.total == 1
    assert results.hits[0].date == datetime.date(2024, 5, 1)


def test_rebuild_restores_a_lost_index(reporter_b: User, editor: User) -> None:
    item = do_create_submission(author=reporter_b, title="集体协商推进会", body=BODY)
    do_transition(submission=item, action=Action.SUBMIT, actor=reporter_b)
    get_backend().delete(index_row(SearchDocument.objects.get()))
    SearchDocument.objects.all().delete()
    assert _titles(editor, "集体协商") == []
    seen: list[tuple[int, int]] = []
    assert rebuild_index(progress=lambda done, total: seen.append((done, total))) == 1
    assert seen[-1] == (1, 1)
    assert _titles(editor, "集体协商") == ["集体协商推进会"]


def test_rebuild_drops_orphans(unit_a: Unit, leader: User) -> None:
    index_document(
        doc_type=DocType.ENTRY, object_id=999, title="孤儿条目", body="已删除的期。",
        unit_ids=[unit_a.pk], unit_names="区委宣传部", visibility=["published"],
    )  # fmt: skip
    rebuild_index()
    assert not SearchDocument.objects.filter(object_id=999).exists()
    assert _fulltext_rows() == 0
