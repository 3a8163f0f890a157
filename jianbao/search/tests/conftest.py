"""The demo district, built once per test module, plus printed and archive entries of 《上街信息》.

`build_demo` makes the submissions and the published 第34期 through the services, so indexing
follows the real writes. The reference issue (第35期, a draft in the demo) is indexed as if
published, and a few older archive items cover what it lacks (traditional text, single
characters, several series and years), through `index_document`, the interface the bulletins and
archive code call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from jianbao.accounts.models import Unit, User
from jianbao.demo.build import REFERENCE_ISSUE, build_demo
from jianbao.search.models import DocType
from jianbao.search.services import index_document


@dataclass(frozen=True)
class ArchiveItem:
    series: str
    year: int
    number: int
    day: date
    unit: str
    title: str
    body: str
    kind: str = "item"


ARCHIVE_ITEMS = [
    ArchiveItem(
        "上街信息", 2023, 12, date(2023, 3, 10), "区总工会",
        "区总工会召开集体协商工作推进会",
        "会议总结2022年集体协商工作，部署工资集体协商“春季要约”行动，推动企业建立工资正常增长机制。",
    ),
    ArchiveItem(
        "上街信息", 2023, 20, date(2023, 5, 8), "区人社局",
        "区人社局推进劳动合同规范签订",
        "组织劳资双方开展沟通协商，指导企业依法签订集体合同和劳动合同，维护职工合法权益。",
    ),
    ArchiveItem(
        "上街信息", 2023, 31, date(2023, 8, 21), "峡窝镇",
        "峡窝镇推进网格化管理提升基层治理水平",
        "全镇划分网格42个，配备专职网格员，实现矛盾纠纷早发现、早处置。",
    ),
    ArchiveItem(
        "上街信息", 2022, 5, date(2022, 2, 14), "区税务局",
        "区税务局开展减税降费政策宣讲",
        "深入企业宣讲组合式税费支持政策，帮助小微企业享受留抵退税红利。",
    ),
    ArchiveItem(
        "上街要情", 2023, 3, date(2023, 11, 2), "区法院",
        "區法院開展涉企糾紛調解工作",
        "區人民法院設立商事調解室，今年以來調解涉企糾紛86件。",
    ),
    ArchiveItem(
        "上街要情", 2021, 7, date(2021, 9, 30), "中心路街道",
        "中心路街道开展“我们的节日”中秋活动", "组织辖区居民开展猜灯谜、做月饼等活动。",
        kind="brief",
    ),
]  # fmt: skip


@dataclass(frozen=True)
class Demo:
    users: dict[str, User]
    units: dict[str, Unit]


def _index_reference_issue(units: dict[str, Unit]) -> None:
    issue = json.loads(REFERENCE_ISSUE.read_text(encoding="utf-8"))
    # Ids far above the demo's real entries (of 第34期), which the bulletins code indexes itself.
    for order, entry in enumerate(issue["entries"], start=100_001):
        unit_names = entry["source_units"] or ["区司法局", "区检察院", "区法院", "区妇联"]
        index_document(
            doc_type=DocType.ENTRY, object_id=order, title=entry["title"] or "",
            body=entry["body"], unit_ids=[units[name].pk for name in unit_names],
            unit_names="、".join(unit_names), series=issue["series"], year=issue["year"],
            number=issue["number"], state="published", kind=entry["kind"],
            date=date.fromisoformat(issue["date"]), visibility=["office", "published"],
            extra_text=" ".join(issue["footer"]["editors"]),
        )  # fmt: skip


def _index_archive(units: dict[str, Unit]) -> None:
    for object_id, item in enumerate(ARCHIVE_ITEMS, start=200_001):
        index_document(
            doc_type=DocType.ARCHIVE_ENTRY, object_id=object_id, title=item.title,
            body=item.body, unit_ids=[units[item.unit].pk], unit_names=item.unit,
            series=item.series, year=item.year, number=item.number, state="published",
            kind=item.kind, date=item.day, visibility=["office", "published"],
        )  # fmt: skip


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Demo]:
    """The demo data inside one transaction that is rolled back after the module."""
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        # Module scope runs before the per-test settings: publishing 第34期 writes its files,
        # which must not land in the developer's var/media.
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("search-demo-media"),
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_demo()
            units = {unit.name: unit for unit in Unit.objects.all()}
            _index_reference_issue(units)
            _index_archive(units)
            yield Demo(users={u.username: u for u in User.objects.all()}, units=units)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def disk_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a migrated on-disk SQLite database, to copy (see disk_db)."""
    from jianbao.search.tests.disk_db import migrated_database

    return migrated_database(tmp_path_factory.mktemp("disk-sqlite") / "data")
