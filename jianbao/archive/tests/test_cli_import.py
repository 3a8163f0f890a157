"""`jianbao import PATH...`: summary, exit status, --json, progress on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jianbao.accounts.models import Unit, User
from jianbao.archive.tests.conftest import write
from jianbao.bulletins.models import Issue
from jianbao.cli import main

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("units", "series")]


def test_import_prints_a_summary_and_exits_0(
    tmp_path: Path, reference_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "past"
    write(folder, "2024/35.txt", reference_text)
    write(folder, "2024/36.txt", reference_text.replace("第 35 期", "第 36 期"))
    write(folder, "notes.md", "不是简报")  # not an archive file: not taken from a folder
    assert main(["import", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "导入 2 期，跳过 0 个，待核对 0 个，失败 0 个" in out
    assert "导入" in err and "2/2" in err  # the tqdm bar
    assert main(["import", str(folder)]) == 0
    out, _ = capsys.readouterr()
    assert "导入 0 期，跳过 2 个" in out and "同一文件已导入" in out
    assert Issue.objects.count() == 2


def test_a_failure_exits_1_with_one_line_per_file_and_the_rest_imported(
    tmp_path: Path, reference_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "35.txt", reference_text)
    bad = write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    missing = tmp_path / "missing.pdf"
    review = write(tmp_path, "36.txt", reference_text.replace("第 35 期", "第 36 期")
                   .replace("（区税务局）", "（区文旅局）"))  # fmt: skip
    status = main(["import", str(good), str(bad), str(missing), str(review), "--json"])
    out, err = capsys.readouterr()
    assert status == 1
    summary = json.loads(out)
    assert [row["file"] for row in summary["imported"]] == [str(good)]
    assert summary["imported"][0]["issue"] == "上街信息 2024年第35期"
    assert [row["file"] for row in summary["failed"]] == [str(bad), str(missing)]
    assert "区文旅局" in summary["needs_review"][0]["reason"]
    failure_lines = [line for line in err.splitlines() if line.startswith("失败 ")]
    assert len(failure_lines) == 2 and ".doc" in failure_lines[0]
    assert not Unit.objects.filter(name="区文旅局").exists()


def test_accept_unknown_units_and_an_unknown_user(
    tmp_path: Path, reference_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "35.txt", reference_text.replace("（区税务局）", "（区文旅局）"))
    assert main(["import", str(path), "--user", "nobody"]) == 1
    assert "nobody" in capsys.readouterr().err
    User.objects.filter(username="editor").update(is_active=False)
    # A disabled account imports nothing.
    assert main(["import", str(path), "--user", "editor"]) == 1
    assert "已停用" in capsys.readouterr().err and not Issue.objects.exists()
    User.objects.filter(username="editor").update(is_active=True)
    assert main(["import", str(path), "--accept-unknown-units", "--user", "editor"]) == 0
    assert Issue.objects.get().created_by.username == "editor"  # type: ignore[union-attr]
