"""Demo 通报: the series 《信息工作通报》 and the published 通报 of the month before last, so the
list of published 通报 has an entry and that month shows as frozen (the last month stays open)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.assessment.services_reports import (
    ReportDraft,
    do_publish_report,
    proposed_report_number,
)
from jianbao.bulletins.services import do_create_series
from jianbao.ranking import Period


def build_reports_demo(users: dict[str, User]) -> None:
    """Publish one 通报 as the chief (after the scoring demo computed the ledger)."""
    series = do_create_series(
        actor=users["wangsiyu"],
        title="信息工作通报",
        organ="中共上街区委办公室",
        distribute_to="区直各单位、各街道办事处、峡窝镇",
        editors=["王思宇"],
    )
    last_month_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    before = last_month_end.replace(day=1) - datetime.timedelta(days=1)
    period = Period.month(before.year, before.month)
    issue_date = period.end + datetime.timedelta(days=5)
    draft = ReportDraft(
        series=series,
        number=proposed_report_number(series, issue_date.year),
        issue_date=issue_date,
        title=f"{period.label}政务信息工作情况通报",
        introduction=(
            f"现将{period.label}各单位政务信息报送采用及计分情况通报如下。"
            "请各单位对照排名查找差距，进一步提高信息报送的数量和质量。"
        ),
        period=period,
    )
    do_publish_report(actor=users["qianfa"], draft=draft)
