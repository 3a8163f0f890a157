"""Units of 上街区 that appear in the reference issue, with the full names they also go by."""

from __future__ import annotations

from jianbao.accounts.models import UnitKind

# (name, short name, kind, aliases, unit signs off its items)
DEMO_UNITS: list[tuple[str, str, UnitKind, list[str], bool]] = [
    ("区委办公室", "区委办", UnitKind.DISTRICT_OFFICE, ["中共上街区委办公室"], False),
    ("区委宣传部", "", UnitKind.DISTRICT_OFFICE, ["中共上街区委宣传部", "上街区委宣传部"], False),
    ("区委组织部", "", UnitKind.DISTRICT_OFFICE, ["中共上街区委组织部"], False),
    ("区司法局", "", UnitKind.DISTRICT_OFFICE, ["上街区司法局"], False),
    ("区检察院", "", UnitKind.DISTRICT_OFFICE, ["上街区人民检察院", "区人民检察院"], False),
    ("区法院", "", UnitKind.DISTRICT_OFFICE, ["上街区人民法院", "区人民法院"], False),
    ("区妇联", "", UnitKind.DISTRICT_OFFICE, ["上街区妇女联合会", "区妇女联合会"], False),
    ("区总工会", "", UnitKind.DISTRICT_OFFICE, ["上街区总工会"], False),
    ("团区委", "", UnitKind.DISTRICT_OFFICE, ["共青团上街区委员会", "共青团上街区委"], False),
    ("区税务局", "", UnitKind.DISTRICT_OFFICE, ["国家税务总局郑州市上街区税务局"], False),
    ("区科技局", "", UnitKind.DISTRICT_OFFICE, ["上街区科学技术局", "区科学技术局"], False),
    ("区公安局", "", UnitKind.DISTRICT_OFFICE, ["郑州市公安局上街分局", "上街公安分局"], False),
    ("区人社局", "", UnitKind.DISTRICT_OFFICE, ["上街区人力资源和社会保障局"], False),
    ("先进制造业开发区", "", UnitKind.DISTRICT_OFFICE, ["上街区先进制造业开发区"], False),
    ("济源路街道", "", UnitKind.SUBDISTRICT, ["济源路街道办事处"], False),
    ("中心路街道", "", UnitKind.SUBDISTRICT, ["中心路街道办事处"], False),
    ("新安路街道", "", UnitKind.SUBDISTRICT, ["新安路街道办事处"], False),
    ("工业路街道", "", UnitKind.SUBDISTRICT, ["工业路街道办事处"], False),
    ("矿山街道", "", UnitKind.SUBDISTRICT, ["矿山街道办事处"], True),
    ("峡窝镇", "", UnitKind.TOWN, ["上街区峡窝镇", "峡窝镇人民政府"], False),
]
