"""Query → expected results, and results that must not come back, in Chinese.

Each case names who searches (a demo account), what they type, the filters, the hits that must be
among the results and the hits that must not. A hit is written `kind:title-prefix` where kind is
s (submission), e (printed entry of 《上街信息》第35期) or a (archive entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import reverse

from jianbao.bulletins.models import Entry
from jianbao.search import selectors
from jianbao.search.backends import SearchBackend
from jianbao.search.selectors import SearchFilters, SearchResults, Sort, search
from jianbao.search.tests.conftest import Demo
from jianbao.submissions.models import Submission

PREFIX = {"submission": "s", "entry": "e", "archive_entry": "a"}


@dataclass(frozen=True)
class Case:
    query: str
    expect: list[str] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)
    who: str = "wangsiyu"  # an editor: the office view
    unit: str | None = None
    series: str | None = None
    kind: str | None = None
    state: str | None = None
    doc_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    empty: bool = False


CASES = [
    # Chinese words as people type them.
    Case("集体协商", ["s:区总工会深入推进集体协商", "e:区总工会深入推进集体协商",
                      "a:区总工会召开集体协商"], ["a:区人社局推进劳动合同"]),
    Case("“集体协商”", ["s:区总工会深入推进集体协商", "a:区总工会召开集体协商"],
         ["a:区人社局推进劳动合同"]),
    Case("「要约行动」", ["s:区总工会深入推进集体协商", "e:区总工会深入推进"],
         ["a:区总工会召开集体协商"]),
    Case("要约 行动", ["s:区总工会深入推进集体协商", "a:区总工会召开集体协商"]),
    Case("协商", ["s:区总工会深入推进", "a:区人社局推进劳动合同", "e:矿山街道"]),
    Case("法院", ["e:我区多部门联动", "s:区法院开展", "a:區法院開展"]),
    Case("網格", ["e:矿山街道“社会组织+网格”", "a:峡窝镇推进网格化"], ["s:矿山街道"]),
    Case("网格化", ["a:峡窝镇推进网格化"], ["e:矿山街道"]),
    Case("未成年人", ["e:我区多部门联动", "s:区司法局做好", "s:区检察院多举措"],
         ["e:团区委聚焦"]),
    Case("未成年", ["e:我区多部门联动", "s:区检察院多举措"]),
    Case("孵化器", ["e:近日，工信部火炬中心", "s:近日，工信部火炬中心"]),
    Case("孵化", ["e:近日，工信部火炬中心"]),
    Case("专精特新", ["e:先进制造业开发区", "s:先进制造业开发区"]),
    Case("老厂", ["e:工业路街道", "s:工业路街道"]),
    Case("春蕾计划", ["e:我区多部门联动", "s:区妇联关爱"]),
    Case("矛盾纠纷", ["e:矿山街道", "a:峡窝镇推进网格化"]),
    Case("夜间模式", ["e:区委宣传部创新打造", "s:区委宣传部创新打造"]),
    Case("家长", ["s:区检察院多举措", "e:我区多部门联动"]),
    Case("2024 集体协商", ["e:区总工会深入推进"], ["a:区总工会召开"]),
    Case("意谷", ["e:近日，工信部火炬中心"]),
    # 第34期, published by the bulletins demo through its own services.
    Case("高校毕业生", ["e:区人社局“四个聚焦”"], who="lingdao"),
    Case("消防", ["e:近日，新安路街道"], who="xcb"),
    # Traditional characters find simplified text, and the other way round.
    Case("電詐", ["e:今年以来，我区电诈", "s:今年以来，我区电诈"]),
    Case("區總工會", ["s:区总工会深入推进", "a:区总工会召开"]),
    Case("纠纷调解", ["a:區法院開展"]),
    # Several words narrow; a minus sign excludes.
    Case("文明实践 共享", ["e:区委宣传部创新打造"], ["e:先进制造业开发区"]),
    Case("文明 实践 模式", ["e:区委宣传部创新打造"], ["e:团区委聚焦"]),
    Case("企业 融资", ["e:先进制造业开发区"], ["e:区总工会深入推进"]),
    Case("企业 -融资", ["e:区总工会深入推进"], ["e:先进制造业开发区"]),
    Case("要约 -工会", forbid=["s:区总工会", "e:区总工会", "a:区总工会"], empty=True),
    Case("协商 -“集体合同”", ["e:矿山街道"], ["a:区人社局推进劳动合同", "e:区总工会深入推进"]),
    # Names of units (and their aliases) and of people.
    Case("上街区总工会", ["s:区总工会深入推进", "a:区总工会召开"]),
    Case("中共上街区委宣传部", ["s:区委宣传部创新打造", "e:区委宣传部创新打造"]),
    Case("王思宇", ["e:区委宣传部创新打造", "e:近日，工信部火炬中心"]),
    Case("柴亚文", ["e:先进制造业开发区"]),
    Case("宣传部信息员", ["s:区委宣传部创新打造"]),
    # Single characters where meaningful: with a unit filter.
    Case("税", ["e:区税务局规范涉税", "a:区税务局开展减税"], ["s:区税务局规范"], unit="区税务局"),
    Case("税", ["s:区税务局规范涉税", "e:区税务局规范涉税"], who="swj", unit="区税务局"),
    Case("税", forbid=["a:区税务局开展减税", "e:区税务局规范"], unit="区总工会", empty=True),
    # Filters: unit, series, kind, state, doc type, dates; a filter without words browses.
    Case("", ["s:区总工会深入推进", "a:区总工会召开"], ["e:区委宣传部"], unit="区总工会"),
    Case("集体协商", forbid=["a:区总工会召开", "e:区总工会深入推进"], series="上街要情",
         empty=True),
    Case("调解", ["a:區法院開展"], ["e:矿山街道"], series="上街要情"),
    Case("集体协商", ["a:区总工会召开"], ["e:区总工会深入推进", "s:区总工会深入推进"],
         date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)),
    Case("集体协商", ["e:区总工会深入推进"], ["a:区总工会召开"], date_from=date(2024, 1, 1)),
    Case("集体协商", ["a:区总工会召开"], ["s:区总工会深入", "e:区总工会深入"],
         doc_type="archive_entry"),
    Case("活动", ["a:中心路街道开展"], ["a:区总工会召开", "e:团区委聚焦"], kind="brief"),
    Case("青少年", ["s:团区委聚焦"], ["e:团区委聚焦"], state="submitted"),
    Case("集体协商", ["s:区总工会深入推进"], ["e:区总工会深入推进"], state="returned"),
    # The index follows edits: the reporter's first wording is gone after the editor's change.
    Case("积极探索打造", forbid=["s:区委宣传部", "e:区委宣传部"], empty=True),
    # Who sees what.
    Case("集体协商", ["e:区总工会深入推进", "a:区总工会召开"], ["s:区总工会深入推进"],
         who="xcb"),
    Case("集体协商", ["s:区总工会深入推进", "e:区总工会深入推进"], who="zgh"),
    Case("网格", ["s:矿山街道“社会组织+网格”", "e:矿山街道", "a:峡窝镇"], who="ks"),
    Case("网格", ["e:矿山街道“社会组织+网格”"], ["s:矿山街道"], who="xcb"),
    Case("网格", ["s:矿山街道“社会组织+网格”"], who="ks_shenhe"),
    Case("文明实践", ["e:区委宣传部创新打造"], ["s:区委宣传部创新打造"], who="lingdao"),
    Case("电诈", ["s:今年以来，我区电诈", "e:今年以来"], who="qianfa"),
    Case("电诈", ["e:今年以来，我区电诈"], ["s:今年以来，我区电诈"], who="lingdao"),
    Case("涉税专业服务", ["e:区税务局规范涉税"], ["s:区税务局规范涉税"], who="wangsiyu"),
    Case("“涉税专业服务机构”", ["s:区税务局规范涉税", "e:区税务局规范涉税"], who="swj"),
    Case("文明实践", forbid=["e:区委宣传部创新打造", "s:区委宣传部"], who="fangke", empty=True),
]  # fmt: skip


def _label(results: SearchResults) -> list[str]:
    return [f"{PREFIX[hit.doc_type]}:{hit.title}" for hit in results.hits]


def _run(demo: Demo, case: Case) -> SearchResults:
    unit = demo.units[case.unit].pk if case.unit else None
    filters = SearchFilters(
        unit_id=unit, series=case.series, kind=case.kind, state=case.state,
        doc_type=case.doc_type, date_from=case.date_from, date_to=case.date_to,
    )  # fmt: skip
    return search(demo.users[case.who], case.query, filters)


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[f"{c.who}:{c.query or '-'}" for c in CASES])
def test_query(demo: Demo, case: Case) -> None:
    found = _label(_run(demo, case))
    for wanted in case.expect:
        assert any(label.startswith(wanted) for label in found), f"{wanted} not in {found}"
    for unwanted in case.forbid:
        assert not any(label.startswith(unwanted) for label in found), f"{unwanted} in {found}"
    if case.empty:
        assert found == []


@pytest.mark.django_db
def test_highlight_and_facets(demo: Demo) -> None:
    results = search(demo.users["wangsiyu"], "集体协商")
    assert results.total == 3
    union = next(f for f in results.facets if f.name == "区总工会")
    assert union.count == 3
    hit = results.hits[0]
    assert any(hit.snippet[s:e] == "集体协商" for s, e in hit.snippet_spans)
    assert any(hit.title[s:e] == "集体协商" for s, e in hit.title_spans)


@pytest.mark.django_db
def test_facets_ignore_the_unit_filter(demo: Demo) -> None:
    unit = demo.units["区总工会"].pk
    results = search(demo.users["wangsiyu"], "协商", SearchFilters(unit_id=unit))
    names = {facet.name for facet in results.facets}
    assert {"区总工会", "区人社局", "矿山街道"} <= names
    assert all("区总工会" in hit.unit_names for hit in results.hits)


@pytest.mark.django_db
def test_phrase_facets_ignore_the_unit_filter(demo: Demo) -> None:
    unit = demo.units["区总工会"]
    everywhere = search(demo.users["wangsiyu"], "“协商”")
    narrowed = search(demo.users["wangsiyu"], "“协商”", SearchFilters(unit_id=unit.pk))
    assert narrowed.scanned and len(everywhere.facets) >= 3
    assert narrowed.facets == everywhere.facets
    own = next(facet.count for facet in everywhere.facets if facet.unit_id == unit.pk)
    assert narrowed.total == own == len(narrowed.hits)
    assert all(unit.name in hit.unit_names for hit in narrowed.hits)


@pytest.mark.django_db
def test_phrase_facets_are_marked_partial_when_their_window_is_full(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = demo.users["wangsiyu"]
    few = min(search(user, "“协商”").facets, key=lambda facet: facet.count)
    # A window one larger than that unit's matches: full without the unit filter, not with it.
    monkeypatch.setattr(SearchBackend, "rank_window", few.count + 1)
    monkeypatch.setattr(selectors, "SCAN_WINDOW", few.count + 1)
    narrowed = search(user, "“协商”", SearchFilters(unit_id=few.unit_id))
    assert narrowed.total == few.count and not narrowed.total_capped
    assert narrowed.facets_partial


@pytest.mark.django_db
def test_hits_link_to_the_issue_as_printed_or_to_the_submission(demo: Demo) -> None:
    entry = Entry.objects.filter(issue__state="published").exclude(title="").first()
    submission = Submission.objects.exclude(state="draft").first()
    assert entry is not None and submission is not None
    for title, wanted in [
        (entry.title, reverse("bulletins:read", args=[entry.issue_id]) + f"#entry-{entry.pk}"),
        (submission.title, reverse("submissions:detail", args=[submission.pk])),
    ]:
        urls = [hit.url for hit in search(demo.users["wangsiyu"], title).hits if hit.title == title]
        assert wanted in urls, (title, urls)


@pytest.mark.django_db
def test_sort_by_date(demo: Demo) -> None:
    results = search(demo.users["wangsiyu"], "集体协商", sort=Sort.DATE)
    dates = [hit.date or date.min for hit in results.hits]
    assert dates == sorted(dates, reverse=True)
    assert results.hits[-1].title.startswith("区总工会召开集体协商")


@pytest.mark.django_db
def test_traditional_archive_hit_is_highlighted(demo: Demo) -> None:
    hit = search(demo.users["wangsiyu"], "法院", SearchFilters(series="上街要情")).hits[0]
    assert [hit.title[s:e] for s, e in hit.title_spans] == ["法院"]
