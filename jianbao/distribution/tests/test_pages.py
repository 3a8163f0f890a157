"""Distribution through HTTP: 收件, reading and 签收, the ledger, 催阅, export, list pages."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jianbao.accounts.models import AuditEvent, User
from jianbao.bulletins.models import Issue, Series
from jianbao.distribution import services
from jianbao.distribution.models import Line, Receipt, SeriesRecipient
from jianbao.distribution.tests.conftest import Publish
from jianbao.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def delivered(
    editor: User, series: Series, leaders: list[User], immediate_tasks: None, publish: Publish
) -> Issue:
    group = services.do_save_group(actor=editor, name="区县处级领导", members=leaders)
    services.do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind="group", group=group, paper=True
    )
    return publish()


def test_reading_records_the_first_read_and_offers_the_acknowledgement(
    login: Login, delivered: Issue, leaders: list[User]
) -> None:
    client = login(leaders[0])
    inbox = client.get(reverse("distribution:inbox")).content.decode()
    assert "上街信息" in inbox and "未阅" in inbox and "纸质件份号" in inbox
    page = client.get(reverse("bulletins:read", args=[delivered.pk])).content.decode()
    assert 'id="acknowledge"' in page and "阅后请签收" in page
    assert Receipt.objects.get(issue=delivered, recipient=leaders[0]).first_read_at is not None

    response = client.post(
        reverse("distribution:acknowledge", args=[delivered.pk]), {"back": "read"}
    )
    assert response["Location"] == reverse("bulletins:read", args=[delivered.pk])
    page = client.get(response["Location"]).content.decode()
    assert "签收本期" in page and 'id="acknowledge"' not in page
    again = client.post(reverse("distribution:acknowledge", args=[delivered.pk]), follow=True)
    assert "已于" in again.content.decode()


def test_opening_the_pdf_counts_as_reading(
    login: Login, delivered: Issue, leaders: list[User]
) -> None:
    login(leaders[1]).get(reverse("bulletins:download", args=[delivered.pk, "pdf"]))
    assert Receipt.objects.get(issue=delivered, recipient=leaders[1]).first_read_at is not None


def test_the_office_sees_counts_filters_and_reminds(
    login: Login, editor: User, delivered: Issue, leaders: list[User]
) -> None:
    services.do_acknowledge(issue=delivered, user=leaders[0])
    client = login(editor)
    page = client.get(reverse("distribution:ledger", args=[delivered.pk])).content.decode()
    assert "已签收 <b>1/3</b>" in page and "已阅 <b>1/3</b>" in page
    assert "催阅（2 人未签收）" in page and "印数 40" in page
    partial = client.get(
        reverse("distribution:ledger", args=[delivered.pk]),
        {"state": "signed"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in partial and "张书记" in partial and "李区长" not in partial

    response = client.post(reverse("distribution:remind", args=[delivered.pk]), follow=True)
    assert "已向 2 位未签收的分发对象发送催阅提醒" in response.content.decode()
    assert Notification.objects.filter(kind=NotificationKind.ISSUE_READ_REMINDER).count() == 2
    again = client.post(reverse("distribution:remind", args=[delivered.pk]), follow=True)
    assert "分钟后再催" in again.content.decode()
    overview = client.get(reverse("distribution:distributed")).content.decode()
    assert "1/3" in overview


def test_the_ledger_exports_as_xlsx_and_is_recorded_as_a_download(
    login: Login, editor: User, delivered: Issue, leaders: list[User]
) -> None:
    services.do_acknowledge(issue=delivered, user=leaders[2])
    response = login(editor).get(reverse("distribution:export", args=[delivered.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["签收登记"].iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "报尾行", "姓名")
    assert {row[2] for row in rows[1:]} == {"张书记", "李区长", "王部长"}
    assert sorted(row[5] for row in rows[1:]) == [1, 2, 3]  # 份号
    assert [row[9] for row in rows[1:]].count("已签收") == 1
    summary = dict(book["汇总"].iter_rows(values_only=True))
    assert summary["印数"] == 40 and summary["已签收"] == 1
    event = AuditEvent.objects.filter(action="download.export").last()
    assert event is not None and "签收登记" in event.detail["file"]


def test_the_list_pages_add_and_remove_recipients_and_groups(
    login: Login, editor: User, series: Series, leaders: list[User], unit_a: object
) -> None:
    client = login(editor)
    response = client.post(
        reverse("distribution:group_create"),
        {"name": "区县处级领导", "members": [u.pk for u in leaders]},
    )
    assert response.status_code == 302
    group = services.RecipientGroup.objects.get(name="区县处级领导")
    assert group.members.count() == 3
    url = reverse("distribution:series", args=[series.pk])
    assert client.post(url, {"line": "send", "kind": "group", "group": group.pk}).status_code == 302
    refused = client.post(url, {"line": "send", "kind": "unit"})
    assert refused.status_code == 400 and "请选择一个启用的单位" in refused.content.decode()
    page = client.get(url).content.decode()
    assert "区县处级领导" in page and "报尾印：区县处级领导" in page
    entry = SeriesRecipient.objects.get(series=series)
    client.post(reverse("distribution:series_remove", args=[series.pk, entry.pk]))
    assert not SeriesRecipient.objects.filter(series=series).exists()
    client.post(reverse("distribution:group_delete", args=[group.pk]))
    assert not services.RecipientGroup.objects.exists()


def test_the_workbench_shows_the_inbox_panel(
    login: Login, delivered: Issue, leaders: list[User], editor: User
) -> None:
    home = login(leaders[0]).get("/").content.decode()
    assert 'id="inbox"' in home and "收件" in home
    assert 'id="inbox"' not in login(editor).get("/").content.decode()
