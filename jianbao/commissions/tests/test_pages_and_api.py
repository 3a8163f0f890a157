"""The commission pages, the API and the XLSX export, through HTTP."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jianbao.accounts.models import AuditEvent, User
from jianbao.commissions.models import Commission, TargetState
from jianbao.commissions.services import do_answer_commission, do_sweep_commissions
from jianbao.commissions.tests.factories import at, make_commission
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_editor_publishes_from_the_form(login: Login, editor: User, reporter_a: User) -> None:
    client = login(editor)
    assert client.get(reverse("commissions:create")).status_code == 200
    response = client.post(
        reverse("commissions:create"),
        {"title": "关于报送基层治理经验的约稿", "description": "每篇800字以内",
         "working_days": 5, "target_mode": "chosen", "units": [reporter_a.unit_id]},
    )  # fmt: skip
    commission = Commission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("commissions:detail", args=[commission.pk])
    page = client.get(response["Location"]).content.decode()
    assert "关于报送基层治理经验的约稿" in page and "待报送" in page


def test_bad_form_input_shows_chinese_errors(login: Login, editor: User) -> None:
    response = login(editor).post(
        reverse("commissions:create"), {"title": "主题", "working_days": 3, "target_mode": "chosen"}
    )
    assert response.status_code == 200
    assert "没有可约稿的单位" in response.content.decode()
    assert not Commission.objects.exists()


def test_unit_sees_days_left_and_answers_with_a_new_item(
    login: Login, editor: User, reporter_a: User
) -> None:
    commission = make_commission(
        editor=editor, units=[reporter_a.unit], issued_on=timezone.localdate()
    )
    client = login(reporter_a)
    page = client.get(reverse("commissions:detail", args=[commission.pk])).content.decode()
    assert "剩余" in page and "个工作日" in page and "报送稿件" in page
    response = client.post(
        reverse("commissions:answer_new", args=[commission.pk]),
        {"title": "宣传部基层治理做法", "body": "一是……\n二是……", "kind": "item"},
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.state == State.SUBMITTED
    assert commission.targets.get().state == TargetState.ANSWERED
    editor_page = login(editor).get(reverse("commissions:detail", args=[commission.pk]))
    assert "宣传部基层治理做法" in editor_page.content.decode()


def test_unit_links_an_existing_item_and_declines_are_refused_after(
    login: Login, editor: User, reporter_a: User
) -> None:
    commission = make_commission(
        editor=editor, units=[reporter_a.unit], issued_on=timezone.localdate()
    )
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    client = login(reporter_a)
    client.post(reverse("commissions:link", args=[commission.pk]), {"submissions": [item.pk]})
    assert commission.targets.get().answers.count() == 1
    response = client.post(
        reverse("commissions:decline", args=[commission.pk]), {"reason": "无"}, follow=True
    )
    assert "不能再答复无此情况" in response.content.decode()


def test_editor_reminds_and_closes(login: Login, editor: User, reporter_a: User) -> None:
    commission = make_commission(
        editor=editor, units=[reporter_a.unit], issued_on=timezone.localdate()
    )
    client = login(editor)
    response = client.post(reverse("commissions:remind", args=[commission.pk]), follow=True)
    assert "已向 1 个未答复单位发送催报提醒" in response.content.decode()
    client.post(reverse("commissions:close", args=[commission.pk]))
    commission.refresh_from_db()
    assert commission.state == "closed"


def test_list_filters_overdue(login: Login, editor: User, reporter_a: User) -> None:
    overdue = make_commission(editor=editor, units=[reporter_a.unit], title="已逾期的约稿")
    make_commission(
        editor=editor, units=[reporter_a.unit], title="新约稿", issued_on=timezone.localdate()
    )
    client = login(editor)
    everything = client.get(reverse("commissions:list")).content.decode()
    assert "已逾期的约稿" in everything and "新约稿" in everything
    only = client.get(reverse("commissions:list") + "?overdue=on").content.decode()
    assert "已逾期的约稿" in only and "新约稿" not in only
    partial = client.get(reverse("commissions:list") + "?overdue=on", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and overdue.title in partial.content.decode()


def test_export_opens_with_openpyxl(
    login: Login, editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit, reporter_b.unit])
    item = make_submission(author=reporter_a, state=State.SUBMITTED, title="=危险公式")
    do_answer_commission(
        commission=commission, actor=reporter_a, submissions=[item], now=at(date(2025, 9, 30))
    )
    do_sweep_commissions(now=at(date(2025, 9, 30)))
    response = login(editor).get(reverse("commissions:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["约稿", "单位报送情况"]
    rows = list(book["单位报送情况"].iter_rows(values_only=True))
    assert rows[0][:5] == ("约稿编号", "主题", "单位", "状态", "按时情况")
    by_unit = {row[2]: row for row in rows[1:]}
    assert by_unit["区委宣传部"][3:5] == ("逾期报送", "逾期报送")
    assert by_unit["区总工会"][3:5] == ("逾期未报", "逾期未报")
    assert by_unit["区委宣传部"][7].startswith("'=危险公式")
    assert AuditEvent.objects.filter(action="download.export").exists()


def test_api_create_list_detail_answer(login: Login, editor: User, reporter_a: User) -> None:
    office = login(editor)
    response = office.post(
        "/api/v1/commissions",
        {"title": "接口约稿", "working_days": 3, "unit_ids": [reporter_a.unit_id]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    unit = login(reporter_a)
    listed = unit.get("/api/v1/commissions").json()
    assert listed["count"] == 1 and listed["items"][0]["targets"][0]["state"] == "pending"
    both = unit.post(
        f"/api/v1/commissions/{pk}/answer",
        {"body": "正文", "decline_reason": "无"},
        content_type="application/json",
    )
    assert both.status_code == 400
    answered = unit.post(
        f"/api/v1/commissions/{pk}/answer",
        {"title": "接口报送", "body": "一是……"},
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["targets"][0]["state"] == "answered"
    detail = office.get(f"/api/v1/commissions/{pk}").json()
    assert len(detail["targets"][0]["submission_ids"]) == 1


def test_api_links_only_my_units_reported_items(
    login: Login, editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(
        editor=editor, units=[reporter_a.unit], issued_on=timezone.localdate()
    )
    foreign = make_submission(author=reporter_b, state=State.SUBMITTED)
    response = login(reporter_a).post(
        f"/api/v1/commissions/{commission.pk}/answer",
        {"submission_ids": [foreign.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "本单位" in response.json()["detail"]
