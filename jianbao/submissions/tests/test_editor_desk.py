"""The editor's day in the inbox: the working view, bulk actions, claiming by editing, the word
filter through the search index, urgent items pinned only while they wait."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, User
from jianbao.bulletins.models import EntrySource
from jianbao.bulletins.services import do_create_issue, do_create_series
from jianbao.submissions.models import Submission
from jianbao.submissions.services import do_update_submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
INBOX = "submissions:inbox"


def test_inbox_opens_on_the_working_view(
    login: Login, reporter_a: User, editor: User, editor2: User
) -> None:
    make_submission(author=reporter_a, state=State.SUBMITTED, title="新到的信息")
    make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor2, title="审核中的信息")
    make_submission(author=reporter_a, state=State.ADOPTED, editor=editor, title="已采用的信息")
    make_submission(author=reporter_a, state=State.ARCHIVED, editor=editor, title="存档的信息")
    office = login(editor)
    html = office.get(reverse(INBOX)).content.decode()
    assert "新到的信息" in html and "审核中的信息" in html
    assert "已采用的信息" not in html and "存档的信息" not in html
    assert 'data-state-count="todo">2<' in html
    everything = office.get(reverse(INBOX), {"state": "all"}).content.decode()
    assert "已采用的信息" in everything and "存档的信息" in everything
    mine = office.get(reverse(INBOX), {"state": "mine"}).content.decode()
    assert "审核中的信息" not in mine  # held by editor2
    assert "审核中的信息" in login(editor2).get(reverse(INBOX), {"state": "mine"}).content.decode()


def test_urgent_item_is_pinned_only_until_it_is_settled(
    login: Login, reporter_a: User, editor: User
) -> None:
    urgent = make_submission(
        author=reporter_a, state=State.ADOPTED, editor=editor, title="紧急已采用", urgency="urgent"
    )
    make_submission(author=reporter_a, state=State.SUBMITTED, title="普通的新信息")
    waiting = make_submission(
        author=reporter_a, state=State.SUBMITTED, title="紧急待处理", urgency="urgent"
    )
    html = login(editor).get(reverse(INBOX), {"state": "all"}).content.decode()
    assert html.index("紧急待处理") < html.index("普通的新信息") < html.index("紧急已采用")
    assert Submission.objects.get(pk=urgent.pk).urgency_rank == 0
    assert Submission.objects.get(pk=waiting.pk).urgency_rank == 1


def test_text_filter_goes_through_the_search_index(
    login: Login, reporter_a: User, editor: User
) -> None:
    make_submission(
        author=reporter_a, state=State.SUBMITTED, title="网格化治理见实效", body="社区网格员走访。"
    )
    make_submission(
        author=reporter_a, state=State.SUBMITTED, title="营商环境持续优化", body="企业开办提速。"
    )
    office = login(editor)
    with CaptureQueriesContext(connection) as queries:
        html = office.get(reverse(INBOX), {"q": "网格"}).content.decode()
    assert "网格化治理见实效" in html and "营商环境持续优化" not in html
    scans = [
        q["sql"] for q in queries.captured_queries
        if "submissions_submission" in q["sql"] and "LIKE" in q["sql"].upper()
    ]  # fmt: skip
    assert scans == []  # no substring scan over the submissions table
    api = office.get("/api/v1/submissions", {"q": "营商环境"}).json()
    assert [item["title"] for item in api["items"]] == ["营商环境持续优化"]
    assert api["count"] == 1
    # A lone character has no word in the index: checked as a substring among the candidates.
    assert "营商环境持续优化" in office.get(reverse(INBOX), {"q": "企"}).content.decode()


def test_a_word_in_more_items_than_the_window_lists_the_newest_and_counts_agree(
    login: Login, reporter_a: User, editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jianbao.search.selectors.WORD_FILTER_WINDOW", 3)
    for n in range(5):  # created oldest first; the two newest are already settled
        state = State.SUBMITTED if n < 3 else State.ARCHIVED
        make_submission(author=reporter_a, state=state, editor=editor, title=f"网格化治理第{n}篇")
    office = login(editor)
    html = office.get(reverse(INBOX), {"q": "网格"}).content.decode()
    listed = [n for n in range(5) if f"网格化治理第{n}篇" in html]
    assert listed == [2]  # the waiting ones among the newest 3 matches
    assert 'data-state-count="todo">1<' in html  # the tab counts what the page lists
    assert "较多，下面列出最新的" in html  # and says so
    api = office.get("/api/v1/submissions", {"q": "网格", "state": "submitted"}).json()
    assert api["count"] == len(api["items"]) == 1


def test_one_inbox_page_asks_the_index_once(
    login: Login, reporter_a: User, editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.submissions import selectors

    make_submission(author=reporter_a, state=State.SUBMITTED, title="网格化治理见实效")
    asked = []
    real = selectors.submissions_matching

    def counted(*args: object, **kwargs: object) -> object:
        asked.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(selectors, "submissions_matching", counted)
    html = login(editor).get(reverse(INBOX), {"q": "网格"}).content.decode()
    assert "网格化治理见实效" in html
    assert len(asked) == 1  # counts, tabs, page and the window notice share one answer


def test_reporter_api_text_filter_sees_only_own_unit(
    login: Login, reporter_a: User, reporter_b: User
) -> None:
    make_submission(author=reporter_a, state=State.SUBMITTED, title="网格化治理见实效")
    make_submission(author=reporter_b, state=State.SUBMITTED, title="网格员队伍建设")
    api = login(reporter_a).get("/api/v1/submissions", {"q": "网格"}).json()
    assert [item["title"] for item in api["items"]] == ["网格化治理见实效"]


def test_editing_an_unclaimed_item_claims_it(login: Login, reporter_a: User, editor: User) -> None:
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    office = login(editor)
    page = office.get(reverse("submissions:detail", args=[item.pk])).content.decode()
    assert "保存修改即由您认领" in page
    response = office.post(
        reverse("submissions:edit", args=[item.pk]),
        {"title": "改过的标题", "body": item.body, "kind": "item", "urgency": "normal",
         "version": item.version},
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.claimed_by, item.title) == (State.IN_REVIEW, editor, "改过的标题")
    assert list(item.decisions.values_list("action", flat=True)) == ["create", "submit", "claim"]


def test_editing_an_item_another_editor_holds_is_refused_with_their_name(
    login: Login, reporter_a: User, editor: User, editor2: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor2)
    page = login(editor).get(reverse("submissions:detail", args=[item.pk])).content.decode()
    assert f"已由 <b>{editor2}</b> 认领" in page
    with pytest.raises(Exception, match=str(editor2)):
        do_update_submission(
            submission=item, actor=editor, expected_version=item.version,
            title="抢着改", body=item.body,
        )  # fmt: skip


def _issue(editor: User):
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    return do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))


def test_bulk_claim_archive_and_add_to_issue_report_per_item(
    login: Login, reporter_a: User, editor: User, editor2: User
) -> None:
    new = make_submission(author=reporter_a, state=State.SUBMITTED, title="新稿一")
    new2 = make_submission(author=reporter_a, state=State.SUBMITTED, title="新稿二")
    held = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor2, title="他人稿")
    office = login(editor)
    url = reverse("submissions:bulk")
    response = office.post(url, {"action": "claim", "ids": [new.pk, held.pk]}, follow=True)
    text = response.content.decode()
    assert "成功 1 篇，未成功 1 篇" in text
    assert "「新稿一」：已认领" in text and "「他人稿」：当前状态为「审核中」" in text
    assert Submission.objects.get(pk=new.pk).claimed_by == editor

    refused = office.post(url, {"action": "archive", "ids": [new.pk]}, follow=True)
    assert "批量存档须填写理由" in refused.content.decode()
    office.post(url, {"action": "archive", "ids": [new.pk], "reason": "内容重复"})
    assert Submission.objects.get(pk=new.pk).state == State.ARCHIVED

    issue = _issue(editor)
    done = office.post(
        url, {"action": "add_to_issue", "ids": [new2.pk], "issue": issue.pk}, follow=True
    )
    assert "「新稿二」：已采用并编入" in done.content.decode()
    assert Submission.objects.get(pk=new2.pk).state == State.ADOPTED
    assert EntrySource.objects.filter(entry__issue=issue, submission=new2).exists()
    assert AuditEvent.objects.filter(action="submission.bulk").count() == 3


def test_bulk_actions_are_for_the_office(login: Login, reporter_a: User, outsider: User) -> None:
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    for user in (reporter_a, outsider):
        response = login(user).post(
            reverse("submissions:bulk"), {"action": "claim", "ids": [item.pk]}
        )
        assert response.status_code == 403
    assert Submission.objects.get(pk=item.pk).state == State.SUBMITTED
