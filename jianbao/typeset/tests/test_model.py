"""The bulletin model reads and writes the bulletin JSON and explains bad data in Chinese."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from jianbao.typeset import Bulletin, BulletinError
from jianbao.typeset.layout import chinese_date, lay_out
from jianbao.typeset.tests.extract import REFERENCE_JSON


def _reference() -> dict[str, Any]:
    return json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))


def test_round_trip_and_extra_keys() -> None:
    data = _reference()
    assert Bulletin.from_json(data).to_json() == data
    data["warnings"] = ["某条缺少来源"]
    bulletin = Bulletin.from_json(data)
    assert bulletin.date == datetime.date(2024, 6, 17)
    assert len(bulletin.entries) == 10
    assert "warnings" not in bulletin.to_json()


def test_correction_notice_only_when_set() -> None:
    data = _reference()
    data["correction_notice"] = "本期第3条数据有误，已更正。"
    bulletin = Bulletin.from_json(data)
    assert bulletin.to_json()["correction_notice"] == "本期第3条数据有误，已更正。"
    first = lay_out(bulletin).paragraphs[0]
    assert (first.style, first.lead) == ("correction", "更正说明：")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("series"), "series"),
        (lambda d: d.update(date="2024-13-01"), "日期"),
        (lambda d: d.update(number="35"), "number"),
        (lambda d: d.update(number=True), "number"),
        (lambda d: d.update(entries=[]), "条目"),
        (lambda d: d["entries"][2].update(kind="story"), "第3条"),
        (lambda d: d["entries"][1].update(title=None), "第2条"),
        (lambda d: d["footer"].update(copies=-1), "印数"),
        (lambda d: d["entries"][0].update(source_units="区委"), "source_units"),
    ],
)
def test_bad_data_raises_chinese_message(change: Any, message: str) -> None:
    data = _reference()
    change(data)
    with pytest.raises(BulletinError, match=message):
        Bulletin.from_json(data)


def test_source_from_units_when_raw_missing() -> None:
    data = _reference()
    data["entries"][1].update(source_raw=None, source_units=["区委组织部", "区人社局"])
    layout = lay_out(Bulletin.from_json(data))
    item = [p for p in layout.paragraphs if p.entry == 1]
    assert item[-1].text.endswith("（区委组织部、区人社局）")


def test_multi_paragraph_item_and_brief_with_title() -> None:
    data = _reference()
    data["entries"][1]["body"] = "第一段。\n\n第二段。"
    data["entries"][8]["title"] = "孵化器获评优秀"
    layout = lay_out(Bulletin.from_json(data))
    item = [p for p in layout.paragraphs if p.entry == 1]
    assert [p.text for p in item] == ["\u3000第一段。", "第二段。（区委宣传部）"]
    assert item[0].lead == "区委宣传部创新打造文明实践“三个模式”"
    brief = [p for p in layout.paragraphs if p.entry == 8]
    assert brief[0].text.startswith("△孵化器获评优秀\u3000近日")


def test_dates_use_arabic_digits_without_zeros() -> None:
    assert chinese_date(datetime.date(2024, 6, 7)) == "2024年6月7日"
    assert lay_out(Bulletin.from_json(_reference())).masthead.date == "2024年6月17日"
