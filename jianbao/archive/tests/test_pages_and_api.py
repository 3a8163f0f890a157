"""The archive import through HTTP: upload, review, map a unit, confirm; progress; the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import Unit, UnitAlias, User
from jianbao.archive.models import BatchState, ImportBatch, ImportItem, ItemState
from jianbao.archive.services import do_confirm_ready, do_create_batch
from jianbao.bulletins.models import Issue, Series

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def _numbered(text: str, number: int) -> str:
    return text.replace("第 35 期", f"第 {number} 期")


def _review_post(page: Any, item: ImportItem, **changes: str) -> dict[str, str]:
    """The review form as the page renders it, with some fields changed."""
    parsed = item.parsed
    data = {
        "version": str(item.version), "series": parsed["series"], "year": str(parsed["year"]),
        "number": str(parsed["number"]), "date": parsed["date"], "organ": parsed["organ"],
        "total_number": "", "entry-count": str(len(parsed["entries"])),
    }  # fmt: skip
    for index, entry in enumerate(parsed["entries"]):
        data |= {
            f"entry-{index}-kind": entry["kind"], f"entry-{index}-section": entry["section"] or "",
            f"entry-{index}-title": entry["title"] or "", f"entry-{index}-body": entry["body"],
            f"entry-{index}-sources": "、".join(entry["source_units"]),
        }  # fmt: skip
    return data | changes


@pytest.mark.usefixtures("series")
def test_upload_review_map_unit_and_confirm(
    login: Login, editor: User, units: dict[str, Unit], reference_text: str
) -> None:
    client = login(editor)
    text = reference_text.replace("（区税务局）", "（区文旅局）")
    response = client.post(reverse("archive:upload"), {"uploads": [_upload("35.txt", text)]})
    item = ImportItem.objects.get()
    assert response.status_code == 302 and item.state == ItemState.NEEDS_REVIEW
    page = client.get(reverse("archive:item", args=[item.pk]))
    html = page.content.decode()
    assert "区文旅局" in html and "原文" in html and "我区多部门联动" in html
    assert "对应（记为别名）" in html and "disabled" in html
    unit = units["区税务局"]
    client.post(reverse("archive:item_unit", args=[item.pk]),
                {"name": "区文旅局", "action": "map", "unit": unit.pk})  # fmt: skip
    assert UnitAlias.objects.filter(name="区文旅局", unit=unit).exists()
    item.refresh_from_db()
    assert item.state == ItemState.PARSED
    data = _review_post(page, item, **{"entry-1-title": "区委宣传部打造文明实践“三个模式”"})
    response = client.post(reverse("archive:item_edit", args=[item.pk]), data)
    assert response.status_code == 302
    stale = client.post(reverse("archive:item_edit", args=[item.pk]), data)
    assert stale.status_code == 409 and "已被" in stale.content.decode()
    response = client.post(reverse("archive:item_confirm", args=[item.pk]))
    issue = Issue.objects.get()
    assert response["Location"] == reverse("bulletins:detail", args=[issue.pk])
    assert issue.entries.get(order=2).title == "区委宣传部打造文明实践“三个模式”"
    assert issue.entries.get(order=8).sources.get().unit == unit


def test_unknown_series_is_created_only_on_request(
    login: Login, editor: User, units: dict[str, Unit], reference_text: str
) -> None:
    client = login(editor)
    client.post(reverse("archive:upload"), {"uploads": [_upload("35.txt", reference_text)]})
    item = ImportItem.objects.get()
    assert "尚未建立" in item.message and not Series.objects.exists()
    client.post(reverse("archive:item_series", args=[item.pk]))
    item.refresh_from_db()
    assert Series.objects.get().title == "上街信息" and item.state == ItemState.PARSED


@pytest.mark.usefixtures("units", "series")
def test_large_upload_parses_in_the_background_with_progress(
    login: Login, editor: User, reference_text: str
) -> None:
    client = login(editor)
    files = [_upload(f"{n}.txt", _numbered(reference_text, n)) for n in range(1, 6)]
    files.insert(2, SimpleUploadedFile("broken.docx", b"PK\x03\x04 broken"))
    response = client.post(reverse("archive:upload"), {"uploads": files})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("archive:batch", args=[batch.pk])
    # The immediate backend ran the task: every file parsed, progress complete.
    assert (batch.state, batch.processed, batch.total) == (BatchState.DONE, 6, 6)
    poll = client.get(reverse("archive:batch", args=[batch.pk]), headers={"HX-Request": "true"})
    html = poll.content.decode()
    assert poll["HX-Refresh"] == "true" and "可导入 5" in html and "失败 1" in html
    page = client.get(reverse("archive:batch", args=[batch.pk])).content.decode()
    assert "broken.docx" in page and "zip" in page
    client.post(reverse("archive:batch_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert Issue.objects.filter(is_archive=True).count() == 5 and batch.phase == "confirm"
    assert (batch.processed, batch.total) == (5, 5)


def test_a_running_batch_polls_every_second(login: Login, editor: User) -> None:
    batch = do_create_batch(actor=editor, total=10)
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING, processed=4)
    poll = login(editor).get(
        reverse("archive:batch", args=[batch.pk]), headers={"HX-Request": "true"}
    )
    html = poll.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="4"' in html and "40%" in html
    assert "HX-Refresh" not in poll


@pytest.mark.usefixtures("units", "series")
def test_confirm_ready_in_background_skips_duplicates(editor: User, reference_text: str) -> None:
    from jianbao.archive.services import do_upload_files

    files = [(f"{n}.txt", _numbered(reference_text, n).encode()) for n in (1, 2, 3, 4, 4)]
    files[4] = ("4b.txt", _numbered(reference_text, 4).replace("夜间模式", "夜间服务").encode())
    batch = do_upload_files(actor=editor, files=files)
    batch = do_confirm_ready(batch=batch, actor=editor)
    states = list(batch.items.order_by("order").values_list("state", flat=True))
    assert states == ["imported"] * 4 + ["skipped"]
    assert "已在库中" in batch.items.get(original_name="4b.txt").message


@pytest.mark.usefixtures("series")
def test_api_upload_read_update_units_confirm(
    login: Login, editor: User, units: dict[str, Unit], reference_text: str
) -> None:
    client = login(editor)
    text = reference_text.replace("（区税务局）", "（区文旅局）")
    response = client.post("/api/v1/archive/batches", {"files": [_upload("35.txt", text)]})
    assert response.status_code == 201, response.content
    batch = response.json()
    item_id = batch["items"][0]["id"]
    assert batch["counts"]["needs_review"] == 1
    url = f"/api/v1/archive/items/{item_id}"
    item = client.get(url).json()
    assert [p["name"] for p in item["problems"] if p["code"] == "unit"] == ["区文旅局"]
    patch = {"version": item["version"], "series": "上街信息", "year": 2024, "number": 35,
             "date": "2024-06-17", "organ": "中共上街区委办公室"}  # fmt: skip
    updated = client.patch(url, json.dumps(patch), content_type="application/json")
    assert updated.status_code == 200 and updated.json()["version"] == item["version"] + 1
    stale = client.patch(url, json.dumps(patch), content_type="application/json")
    assert stale.status_code == 409
    conflict = stale.json()
    assert conflict["current_version"] == item["version"] + 1
    assert conflict["changed_by"] and conflict["changed_by"] in conflict["detail"]
    refused = client.post(f"{url}/confirm")
    assert refused.status_code == 400 and "区文旅局" in refused.json()["detail"]
    left = client.post(f"{url}/units", json.dumps({"name": "区文旅局", "action": "leave"}),
                       content_type="application/json")  # fmt: skip
    assert left.json()["state"] == "parsed"
    done = client.post(f"{url}/confirm")
    assert done.status_code == 201 and Issue.objects.get().pk == done.json()["issue_id"]
    assert client.get(f"/api/v1/archive/batches/{batch['id']}").json()["counts"]["imported"] == 1


PAGES = ["batches", "batch", "item", "item_file"]
POSTS = ["upload", "batch_confirm", "item_edit", "item_unit", "item_series", "item_confirm",
         "item_skip"]  # fmt: skip


def _url(name: str, batch: ImportBatch, item: ImportItem) -> str:
    if name in ("batches", "upload"):
        return reverse(f"archive:{name}")
    return reverse(f"archive:{name}", args=[batch.pk if name.startswith("batch") else item.pk])


def _api_calls(batch: ImportBatch, item: ImportItem) -> list[tuple[str, str]]:
    base = "/api/v1/archive"
    return [
        ("get", f"{base}/batches/{batch.pk}"),
        ("get", f"{base}/items/{item.pk}"),
        ("patch", f"{base}/items/{item.pk}"),
        ("post", f"{base}/items/{item.pk}/units"),
        ("post", f"{base}/items/{item.pk}/confirm"),
    ]


@pytest.mark.parametrize("who", ["outsider", "leader", "reporter_a"])
def test_everyone_outside_the_office_is_refused(
    who: str, request: pytest.FixtureRequest, login: Login, editor: User
) -> None:
    batch = do_create_batch(actor=editor)
    item = ImportItem.objects.create(
        batch=batch, original_name="a.txt", sha256="0" * 64, state=ItemState.NEEDS_REVIEW
    )
    client = login(request.getfixturevalue(who))
    for name in PAGES:
        assert client.get(_url(name, batch, item)).status_code == 403, name
    for name in POSTS:
        response = client.post(_url(name, batch, item), {"name": "x", "action": "leave"})
        assert response.status_code == 403, name
    body = json.dumps({"version": 1, "name": "x", "action": "leave"})
    for method, url in _api_calls(batch, item):
        kwargs = {} if method == "get" else {"data": body, "content_type": "application/json"}
        assert getattr(client, method)(url, **kwargs).status_code == 403, url
    upload = client.post("/api/v1/archive/batches", {"files": [_upload("a.txt", "上街信息")]})
    assert upload.status_code == 403
    assert ImportItem.objects.get().state == ItemState.NEEDS_REVIEW
    assert ImportBatch.objects.count() == 1
    assert "档案导入" not in client.get("/").content.decode()
