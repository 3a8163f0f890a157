"""The reference issue parses to exactly its expected structure."""

from __future__ import annotations

import pytest

from jianbao.text.bulletin_parser import bulletin_only, parse_bulletin_text
from jianbao.text.tests.sample_files import SHARED, reference_json, reference_text


def test_reference_equals_sample_json() -> None:
    result = parse_bulletin_text(reference_text())
    assert bulletin_only(result) == reference_json()


def test_reference_key_fields_by_hand() -> None:
    result = parse_bulletin_text(reference_text())
    assert (result["series"], result["year"], result["number"]) == ("上街信息", 2024, 35)
    assert result["total_number"] is None
    assert (result["organ"], result["date"]) == ("中共上街区委办公室", "2024-06-17")
    assert result["marks"] == []
    assert result["editor_note"] is None
    entries = result["entries"]
    assert [entry["kind"] for entry in entries] == ["item"] * 8 + ["brief"] * 2
    assert entries[0]["title"] == "我区多部门联动筑牢未成年人保护防线"
    assert entries[0]["source_units"] == [] and entries[0]["source_raw"] is None
    assert entries[1]["title"] == "区委宣传部创新打造文明实践“三个模式”"
    assert "文明实践中心（所、站）开放时间" in entries[1]["body"]
    assert entries[1]["source_raw"] == "（区委宣传部）"
    # words broken by page breaks are rejoined
    assert "。三是开展环境整治提升。" in entries[3]["body"]
    assert entries[6]["body"].startswith("一是立足民生实事。")
    assert entries[8] == {
        "kind": "brief",
        "section": None,
        "title": None,
        "body": "近日，工信部火炬中心发布了2022年度国家级科技企业孵化器评价结果的通知。"
        "在此次评价中，上街区意谷创业孵化器被评为优秀（A类）国家级科技企业孵化器。",
        "source_units": ["区科技局"],
        "source_raw": "（区科技局）",
    }
    assert result["footer"] == {
        "report_to": None,
        "send_to": "区县处级领导",
        "distribute_to": "峡窝镇、各街道办事处、区直各单位负责同志",
        "extra_to": None,
        "editors": ["王思宇", "柴亚文"],
        "copies": None,
    }
    # the one thing to check: the first item has no source (the office's own 综合 item)
    assert result["warnings"] == [
        {
            "field": "entries[0].source_units",
            "message": "第1条没有来源单位（综合信息可忽略），请核对",
        }
    ]
    assert result["noise"] == []


def test_fixture_is_a_faithful_copy_of_the_shared_sample() -> None:
    shared = SHARED / "samples" / "shangjie-xinxi-2024-35.txt"
    if not shared.exists():
        pytest.skip("../shared is not present in this checkout")
    assert shared.read_text(encoding="utf-8") == reference_text()
