"""`jianbao scores`: compute on JSON files (no database), recompute with audit, show per class."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from jianbao.accounts.models import AuditEvent, User
from jianbao.assessment.models import LedgerEvent
from jianbao.assessment.services import (
    do_freeze_period,
    do_record_adoption,
    do_save_rule_set_version,
)
from jianbao.assessment.services.records import OutsideAdoption
from jianbao.cli import main
from jianbao.scoring.presets import R4, R5
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

FACTS = {
    "units": [{"id": 1, "name": "区司法局", "class": "区直单位"}, {"id": 2, "name": "工人路街道"}],
    "adoptions": [{"id": "a1", "units": [1, 2], "outlet": "衢州政务", "level": "city",
                   "form": "single", "date": "2024-06-03"}],
    "instructions": [{"id": "i1", "units": [1], "level": "city", "leader": "王市长",
                      "date": "2024-06-05"}],
}  # fmt: skip


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    rules, facts = tmp_path / "rules.json", tmp_path / "facts.json"
    rules.write_text(json.dumps(R4, ensure_ascii=False), encoding="utf-8")
    facts.write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    return rules, facts


def test_compute_on_files_as_json(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]):
    rules, facts = files
    args = [
        "scores",
        "compute",
        "--rules",
        str(rules),
        "--facts",
        str(facts),
        "--period",
        "2024-06",
    ]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # 《衢州政务》 2 split between two units, a city leader's instruction 10 for unit 1.
    assert out["totals"] == [{"unit_id": 1, "points": "11.00"}, {"unit_id": 2, "points": "1.00"}]
    assert out["lines"][0]["share_note"] == "与1个单位合报，均分"
    assert main(args) == 0
    assert "合计  区司法局  11.00" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"--period": "2024-13"}, "无法识别的期间"),
        ({"--rules": "/nonexistent.json"}, "cannot read"),
        ({"--facts": "BAD"}, "not UTF-8 JSON"),
    ],
)
def test_compute_bad_input_is_one_line_exit_1(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], change, reason
):
    rules, facts = files
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    options = {"--rules": str(rules), "--facts": str(facts), "--period": "2024-06"}
    options.update({k: (str(bad) if v == "BAD" else v) for k, v in change.items()})
    assert main(["scores", "compute", *[x for kv in options.items() for x in kv]]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and reason in err[0]


def test_compute_refuses_bad_rules(files: tuple[Path, Path], tmp_path: Path, capsys):
    _, facts = files
    rules = tmp_path / "r.json"
    rules.write_text(json.dumps({"name": "x", "multi_outlet": "max"}), encoding="utf-8")
    assert main(["scores", "compute", "--rules", str(rules), "--facts", str(facts),
                 "--period", "2024"]) == 1  # fmt: skip
    assert "multi_outlet" in capsys.readouterr().err


@pytest.fixture
def reported(editor: User, chief: User, reporter_a: User) -> Submission:
    """An adopted item of 区委宣传部, with R5 in force from 2024."""
    do_save_rule_set_version(actor=chief, name="R5", effective_from=date(2024, 1, 1), rules=R5)
    return make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)


@pytest.mark.django_db
def test_recompute_and_show(editor: User, chief: User, reported: Submission, capsys) -> None:
    do_record_adoption(actor=editor, submission=reported, adoption=OutsideAdoption(
        outlet="郑州信息", level="city", form="single", date=date(2024, 6, 3)))  # fmt: skip
    status = main(["scores", "recompute", "--from", "2024-06-01", "--to", "2024-06-30",
                   "--user", "chief"])  # fmt: skip
    assert status == 0
    assert "1 个单位分数有变化" in capsys.readouterr().out
    assert LedgerEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action="scores.recompute_confirm", actor=chief).exists()
    assert main(["scores", "show", "--period", "2024-06", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    first = next(u for u in shown["units"] if u["unit_id"] == reported.unit_id)
    assert first["points"] == "10.00" and first["rank"] == 1 and first["class"] == "其他"
    assert main(["scores", "show", "--period", "2024-06", "--class", "其他"]) == 0
    assert "【其他】" in capsys.readouterr().out
    assert main(["scores", "show", "--period", "2024-06", "--class", "火星"]) == 1
    do_freeze_period(actor=chief, start=date(2024, 6, 1), end=date(2024, 6, 30), reason="6月通报")
    assert main(["scores", "recompute", "--from", "2024-06-01", "--to", "2024-06-30"]) == 1
    assert "已随通报冻结" in capsys.readouterr().err
