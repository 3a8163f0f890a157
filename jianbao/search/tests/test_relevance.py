"""Relevance order against date order, on whichever database the suite runs."""

from __future__ import annotations

from datetime import date

import pytest

from jianbao.accounts.models import Unit, User
from jianbao.search.models import DocType
from jianbao.search.selectors import SearchFilters, Sort, search
from jianbao.search.services import index_document

FILLER = "区商务局围绕稳增长扩内需，组织开展促消费系列活动，推动商贸企业提质升级。" * 8


def _archive(object_id: int, unit: Unit, day: date, title: str, body: str) -> None:
    index_document(
        doc_type=DocType.ARCHIVE_ENTRY, object_id=object_id, title=title, body=body,
        unit_ids=[unit.pk], unit_names=unit.name, series="上街信息", year=day.year,
        number=object_id, kind="item", date=day, visibility=["office", "published"],
    )  # fmt: skip


@pytest.fixture
def three_reports(unit_a: Unit) -> None:
    _archive(
        1,
        unit_a,
        date(2020, 4, 1),
        "区商务局推进冷链物流体系建设",
        "全区新建冷链物流仓储设施6处，冷链物流企业达到12家，冷链物流配送覆盖所有街道。",
    )
    _archive(2, unit_a, date(2024, 6, 1), "区商务局工作动态", FILLER + "下一步将研究冷链物流布局。")
    _archive(3, unit_a, date(2025, 2, 1), "区商务局开展促消费活动", "谋划冷链物流项目，" + FILLER)


@pytest.mark.django_db
def test_relevance_puts_the_report_about_the_words_first(three_reports: None, editor: User) -> None:
    titles = [hit.title for hit in search(editor, "冷链物流", sort=Sort.RELEVANCE).hits]
    assert titles == ["区商务局推进冷链物流体系建设", "区商务局开展促消费活动", "区商务局工作动态"]


@pytest.mark.django_db
def test_filters_narrow_without_reordering(three_reports: None, unit_a: Unit, editor: User) -> None:
    # Filter tags are part of the index query; they must not weigh in the relevance.
    filters = SearchFilters(kind="item", unit_id=unit_a.pk, date_from=date(2020, 1, 1))
    titles = [hit.title for hit in search(editor, "冷链物流", filters, Sort.RELEVANCE).hits]
    assert titles == ["区商务局推进冷链物流体系建设", "区商务局开展促消费活动", "区商务局工作动态"]


@pytest.mark.django_db
def test_date_order_ignores_relevance(three_reports: None, editor: User) -> None:
    titles = [hit.title for hit in search(editor, "冷链物流", sort=Sort.DATE).hits]
    assert titles == ["区商务局开展促消费活动", "区商务局工作动态", "区商务局推进冷链物流体系建设"]


@pytest.mark.django_db
def test_a_two_character_word_ranks_by_how_much_a_report_is_about_it(
    unit_a: Unit, editor: User
) -> None:
    # One word and the office's visibility exclusion: relevance must still tell reports apart.
    _archive(
        11,
        unit_a,
        date(2021, 5, 1),
        "网格员走访群众",
        "网格员入户走访，网格内问题当日办结，网格台账每周更新。",
    )
    _archive(12, unit_a, date(2024, 5, 1), "区商务局开展促消费活动", "在商圈设立网格服务点。")
    relevant = [hit.title for hit in search(editor, "网格", sort=Sort.RELEVANCE).hits]
    newest = [hit.title for hit in search(editor, "网格", sort=Sort.DATE).hits]
    assert relevant == ["网格员走访群众", "区商务局开展促消费活动"]
    assert newest == ["区商务局开展促消费活动", "网格员走访群众"]


@pytest.mark.django_db
def test_more_of_the_typed_words_in_the_head_rank_higher(unit_a: Unit, editor: User) -> None:
    _archive(21, unit_a, date(2021, 3, 1), "网格台账规范化建设", "网格员每周更新台账。")
    _archive(22, unit_a, date(2023, 3, 1), "网格员走访群众", FILLER + "同步完善台账。")
    _archive(23, unit_a, date(2024, 3, 1), "区商务局工作动态", FILLER + "网格台账同步更新。")
    titles = [hit.title for hit in search(editor, "网格 台账", sort=Sort.RELEVANCE).hits]
    assert titles == ["网格台账规范化建设", "网格员走访群众", "区商务局工作动态"]
