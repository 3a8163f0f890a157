"""The 通报: XLSX checked with openpyxl, DOCX text with python-docx, a real PDF; publishing
freezes the period (recompute refused), a correction is a new edition, files keep their SHA-256."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import date

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, Unit, UnitKind, User
from jianbao.assessment.models import ReportPublication, ScoringFreeze
from jianbao.assessment.services import do_preview_recompute
from jianbao.assessment.services_reports import ReportDraft, do_publish_report
from jianbao.assessment.tests.rankings_data import adoption, points, unit
from jianbao.bulletins.models import Series
from jianbao.bulletins.services import do_create_series
from jianbao.ranking import TIE_RULE, Period

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
JUNE = Period.month(2024, 6)


@pytest.fixture
def figures() -> dict[str, Unit]:
    units = {
        "区司法局": unit("区司法局", order=1),
        "区财政局": unit("区财政局", order=2),
        "区统计局": unit("区统计局", order=3),
        "矿山街道": unit("矿山街道", kind=UnitKind.SUBDISTRICT),
    }
    points(units["区司法局"], date(2024, 6, 3), "37")
    adoption(units["区司法局"], date(2024, 6, 3), level="city", outlet="郑州信息")
    points(units["区财政局"], date(2024, 6, 12), "12.5")
    adoption(units["区财政局"], date(2024, 6, 12))
    points(units["矿山街道"], date(2024, 6, 20), "5")
    adoption(units["矿山街道"], date(2024, 6, 20))
    return units


@pytest.fixture
def report_series(editor: User) -> Series:
    return do_create_series(
        actor=editor, title="信息工作通报", organ="中共上街区委办公室", distribute_to="各单位"
    )


def form_data(series: Series, **extra: object) -> dict[str, object]:
    return {
        "series": series.pk,
        "number": 6,
        "issue_date": "2024-07-05",
        "title": "2024年6月政务信息工作情况通报",
        "introduction": "现将6月份各单位信息报送采用情况通报如下。",
        "period": "2024-06",
        **extra,
    }


def draft(series: Series, **extra: object) -> ReportDraft:
    values: dict[str, object] = {
        "series": series, "number": 6, "issue_date": date(2024, 7, 5),
        "title": "2024年6月政务信息工作情况通报", "introduction": "现将情况通报如下。",
        "period": JUNE, **extra,
    }  # fmt: skip
    return ReportDraft(**values)  # type: ignore[arg-type]


def test_xlsx_has_a_sheet_per_class_with_values_headers_and_widths(
    figures: dict[str, Unit], editor: User, login: Login
) -> None:
    response = login(editor).get(reverse("assessment:rankings_xlsx"), {"period": "2024-06"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    # A class without units (镇) has no sheet; 其他 holds the office the editor belongs to.
    assert book.sheetnames == ["区直单位", "街道", "其他", "未被采用单位", "说明"]
    office = book["区直单位"]
    rows = list(office.iter_rows(values_only=True))
    assert rows[0] == (
        "名次", "单位", "得分", "中央采用", "省级采用", "市级采用", "区级采用", "采用合计", "备注",
    )  # fmt: skip
    assert rows[1] == (1, "区司法局", 37, 0, 0, 1, 0, 1, None)
    assert rows[2][:3] == (2, "区财政局", 12.5)
    assert rows[3][:3] == (3, "区统计局", 0)
    assert not any(
        isinstance(cell.value, str) and cell.value.startswith("=")
        for row in office.iter_rows()
        for cell in row
    )
    assert office.column_dimensions["B"].width == 30
    missing = list(book["未被采用单位"].iter_rows(values_only=True))
    assert ("区直单位", "区统计局") in missing
    assert TIE_RULE in [row[1] for row in book["说明"].iter_rows(values_only=True)]


def test_docx_draft_names_ranking_units_not_adopted_and_introduction(
    figures: dict[str, Unit], report_series: Series, editor: User, login: Login
) -> None:
    response = login(editor).post(
        reverse("assessment:report_draft", args=["docx"]), form_data(report_series)
    )
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "信息工作通报" in text and "第6期" in text
    assert "2024年6月政务信息工作情况通报" in text
    assert "现将6月份各单位信息报送采用情况通报如下。" in text
    assert "未被采用信息的单位——区直单位：区统计局" in text
    table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert table[0] == ["名次", "单位", "得分", "采用条数", "其中市级以上"]
    assert table[1] == ["1", "区司法局", "37", "1", "1"]
    assert table[2] == ["2", "区财政局", "12.5", "1", "0"]
    assert not ReportPublication.objects.exists()  # a draft writes nothing


def test_pdf_draft_is_a_real_pdf(
    figures: dict[str, Unit], report_series: Series, editor: User, login: Login
) -> None:
    response = login(editor).post(
        reverse("assessment:report_draft", args=["pdf"]), form_data(report_series)
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_draft_with_bad_input_is_a_chinese_400(
    report_series: Series, editor: User, login: Login
) -> None:
    response = login(editor).post(
        reverse("assessment:report_draft", args=["docx"]),
        form_data(report_series, period="六月"),
    )
    assert response.status_code == 400
    assert "无法识别" in response.content.decode()


def test_publish_freezes_the_period_and_keeps_files_with_their_hashes(
    figures: dict[str, Unit], report_series: Series, chief: User
) -> None:
    publication = do_publish_report(actor=chief, draft=draft(report_series))
    assert (publication.edition, publication.number, publication.year) == (1, 6, 2024)
    assert publication.snapshot[0]["lines"][0]["unit"] == "区司法局"
    assert publication.snapshot[0]["lines"][0]["points"] == "37"
    formats = {f.format: f for f in publication.files.all()}
    assert set(formats) == {"xlsx", "docx", "pdf"}
    for stored in formats.values():
        content = stored.file.read()
        assert hashlib.sha256(content).hexdigest() == stored.sha256
    assert ScoringFreeze.objects.filter(start=JUNE.start, end=JUNE.end).exists()
    assert AuditEvent.objects.filter(action="report_published").exists()
    with pytest.raises(ValidationError, match="冻结"):
        do_preview_recompute(actor=chief, start=date(2024, 6, 1), end=date(2024, 6, 30))
    with pytest.raises(ValidationError, match="冻结"):
        do_preview_recompute(actor=chief, start=date(2024, 1, 1), end=date(2024, 12, 31))


def test_later_figures_leave_the_snapshot_alone_and_a_correction_is_a_new_edition(
    figures: dict[str, Unit], report_series: Series, chief: User
) -> None:
    first = do_publish_report(actor=chief, draft=draft(report_series))
    points(figures["区统计局"], date(2024, 6, 28), "50")  # e.g. an accepted objection's correction
    first.refresh_from_db()
    assert first.snapshot[0]["lines"][0]["unit"] == "区司法局"
    second = do_publish_report(
        actor=chief, draft=draft(report_series, number=99, issue_date=date(2024, 7, 10))
    )
    assert (second.edition, second.number, second.corrects) == (2, 6, first)
    assert second.snapshot[0]["lines"][0]["unit"] == "区统计局"
    pdf = {f.format: f for f in second.files.all()}
    document = docx.Document(pdf["docx"].file.open("rb"))
    assert "更正说明" in "\n".join(p.text for p in document.paragraphs)


def test_only_the_chief_publishes_and_numbers_are_not_reused(
    figures: dict[str, Unit], report_series: Series, chief: User, editor: User
) -> None:
    with pytest.raises(PermissionDenied):
        do_publish_report(actor=editor, draft=draft(report_series))
    do_publish_report(actor=chief, draft=draft(report_series))
    with pytest.raises(ValidationError, match="已被使用"):
        do_publish_report(actor=chief, draft=draft(report_series, period=Period.month(2024, 5)))
    with pytest.raises(ValidationError, match="尚未结束"):
        do_publish_report(
            actor=chief, draft=draft(report_series, number=7, period=Period.month(2099, 1))
        )


def test_publish_through_the_page_then_units_download_the_frozen_files(
    figures: dict[str, Unit], report_series: Series, chief: User, login: Login
) -> None:
    response = login(chief).post(reverse("assessment:report_publish"), form_data(report_series))
    assert response.status_code == 302 and response["Location"] == reverse("assessment:reports")
    publication = ReportPublication.objects.get()
    from jianbao.accounts.models import Role
    from jianbao.accounts.tests.factories import UserFactory

    clerk = UserFactory(username="sifa", unit=figures["区司法局"], roles=[Role.REPORTER])
    client = login(clerk)
    listing = client.get(reverse("assessment:reports")).content.decode()
    assert "2024年6月政务信息工作情况通报" in listing
    stored = publication.files.get(format="xlsx")
    download = client.get(reverse("assessment:report_file", args=[publication.pk, "xlsx"]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(body).hexdigest() == stored.sha256
    page = login(chief).get(reverse("assessment:rankings"), {"period": "2024-06"})
    assert "计分已冻结" in page.content.decode()
