"""Fixtures of the bulletin tests: a series like 《上街信息》 and adopted submissions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from jianbao.accounts.models import Role, Unit, User
from jianbao.accounts.tests.factories import UnitFactory, UserFactory
from jianbao.bulletins import rendering
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import do_create_issue, do_create_series
from jianbao.submissions.models import Kind, Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

FAKE_PDF = b"%PDF-1.7\n% test stand-in\n"
FAKE_OFD = b"PK\x05\x06" + bytes(18)  # an empty zip


@pytest.fixture(autouse=True)
def stub_pdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Typst is fast but needs fonts; only tests asking for `real_pdf` compile a real PDF/OFD."""
    if "real_pdf" not in request.fixturenames:
        monkeypatch.setattr(rendering, "render_pdf", lambda bulletin: FAKE_PDF)
        monkeypatch.setattr(rendering, "render_ofd", lambda bulletin: FAKE_OFD)


@pytest.fixture
def real_pdf() -> None:
    """Marks a test that compiles the real PDF."""


@pytest.fixture
def series(editor: User) -> Series:
    return do_create_series(
        actor=editor,
        title="上街信息",
        organ="中共上街区委办公室",
        send_to="区县处级领导",
        distribute_to="峡窝镇、各街道办事处、区直各单位负责同志",
        editors=["王思宇", "柴亚文"],
    )


@pytest.fixture
def issue(series: Series, editor: User) -> Issue:
    return do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))


AdoptedFactory = Callable[..., Submission]
# pytest-django's `django_capture_on_commit_callbacks`: publishing moves its files into place when
# its transaction commits, which a test's own transaction never does.
CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], object]]]]


@pytest.fixture
def adopted(editor: User, reporter_a: User) -> AdoptedFactory:
    """An adopted submission, by default of 区委宣传部 (`unit_name` picks another unit)."""
    reporters: dict[str, User] = {reporter_a.unit.name: reporter_a}  # type: ignore[union-attr]

    def _make(
        *,
        title: str = "区委宣传部创新打造文明实践“三个模式”",
        body: str = "一是打造夜间模式。",
        kind: str = Kind.ITEM,
        unit_name: str | None = None,
    ) -> Submission:
        name = unit_name or reporter_a.unit.name  # type: ignore[union-attr]
        if name not in reporters:
            unit: Unit = Unit.objects.filter(name=name).first() or UnitFactory(name=name)
            reporters[name] = UserFactory(unit=unit, roles=[Role.REPORTER])
        return make_submission(
            author=reporters[name],
            state=State.ADOPTED,
            editor=editor,
            title=title,
            body=body,
            kind=kind,
        )

    return _make
