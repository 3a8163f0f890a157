"""The user guide at /help/: public Markdown chapters with links and screenshots rewritten."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from jianbao.accounts.models import User
from jianbao.guide.selectors import ORDER, SCREENSHOT, guide_pages

REPO_GUIDE = Path(__file__).resolve().parents[3] / "docs" / "guide"


@pytest.fixture
def guide(tmp_path: Path, settings: object) -> Path:
    folder = tmp_path / "guide"
    (tmp_path / "screenshots" / "phone").mkdir(parents=True)
    (tmp_path / "screenshots" / "phone" / "inbox.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    folder.mkdir()
    (folder / "README.md").write_text("# 使用指南\n\n- [编辑](editor.md)\n", encoding="utf-8")
    (folder / "editor.md").write_text(
        "# 编辑\n\n## 认领稿件\n\n见 [首页](README.md) 与 [信息员](reporter.md#报送)。\n\n"
        "![收稿箱](../screenshots/phone/inbox.png)\n\n![不存在](../screenshots/none.png)\n",
        encoding="utf-8",
    )
    (folder / "reporter.md").write_text("# 信息员\n\n## 报送\n", encoding="utf-8")
    settings.JIANBAO_GUIDE_DIR = folder  # type: ignore[attr-defined]
    return folder


@pytest.mark.django_db
def test_anonymous_reads_the_guide_with_links_and_screenshots_rewritten(guide: Path) -> None:
    client = Client()
    page = client.get("/help/editor/").content.decode()
    assert '<h2 id="认领稿件">认领稿件</h2>' in page
    assert 'href="/help/"' in page and 'href="/help/reporter/#报送"' in page
    assert 'src="/help/screenshots/phone/inbox.png"' in page
    assert "（截图：不存在）" in page and "none.png" not in page
    # the table of contents: the index first, then the chapters in the guide's order
    assert page.index('href="/help/reporter/"') < page.index('href="/help/editor/"')
    shot = client.get("/help/screenshots/phone/inbox.png")
    assert shot.status_code == 200 and shot["Content-Type"] == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/help/nothing/",
        "/help/screenshots/../guide/README.md",
        "/help/screenshots/%2e%2e/guide/editor.png",
        "/help/screenshots/none.png",
        "/help/screenshots/a/b/c.png",
    ],
)
def test_missing_chapters_and_files_outside_the_screenshots_are_404(guide: Path, path: str) -> None:
    assert Client().get(path).status_code == 404


@pytest.mark.django_db
def test_every_page_links_the_help_menu(login: object, reporter_a: User) -> None:
    client = login(reporter_a)  # type: ignore[operator]
    page = client.get("/").content.decode()
    assert 'href="/help/"' in page and ">帮助<" in page
    assert ">帮助<" in Client().get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_a_missing_guide_folder_says_so_in_chinese(tmp_path: Path, settings: object) -> None:
    settings.JIANBAO_GUIDE_DIR = tmp_path / "absent"  # type: ignore[attr-defined]
    response = Client().get("/help/")
    assert response.status_code == 404
    assert "未安装使用指南" in response.content.decode()


def test_the_repository_guide_has_every_role_and_only_working_links(settings: object) -> None:
    settings.JIANBAO_GUIDE_DIR = REPO_GUIDE  # type: ignore[attr-defined]
    slugs = [page.slug for page in guide_pages()]
    assert slugs[0] == "" and {"reporter", "editor", "signer", "admin"} <= set(slugs)
    assert [s for s in slugs if s in ORDER] == [s for s in ORDER if s in slugs]
    for path in REPO_GUIDE.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        chapters = re.findall(r"\]\(([^)#:]+\.md)", text)
        assert all((REPO_GUIDE / name).is_file() for name in chapters), (path.name, chapters)
        images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
        names = [src.removeprefix("../screenshots/") for src in images]
        assert all(SCREENSHOT.match(name) for name in names), (path.name, images)


@pytest.mark.django_db
def test_the_repository_guide_renders_every_chapter_with_screenshots_that_exist(
    settings: object,
) -> None:
    """Each role's chapter opens at /help/, names the menus it uses, and every screenshot it
    shows is a file in docs/screenshots that the help pages serve (never 「（截图：…）」)."""
    settings.JIANBAO_GUIDE_DIR = REPO_GUIDE  # type: ignore[attr-defined]
    client = Client()
    chapters = {"": "README", "reporter": "reporter", "editor": "editor", "signer": "signer"}
    chapters |= {"leader": "leader", "admin": "admin"}
    shown = 0
    for slug, name in chapters.items():
        text = (REPO_GUIDE / f"{name}.md").read_text(encoding="utf-8")
        for src in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
            assert (REPO_GUIDE / src).resolve().is_file(), (name, src)
        response = client.get(f"/help/{slug}/" if slug else "/help/")
        page = response.content.decode()
        assert response.status_code == 200 and "（截图：" not in page, name
        for src in re.findall(r'src="(/help/screenshots/[^"]+)"', page):
            assert client.get(src).status_code == 200, (name, src)
            shown += 1
    assert shown >= 10
    menus = (REPO_GUIDE / "README.md").read_text(encoding="utf-8")
    for menu in ("工作台", "收稿箱", "期刊", "收件", "约稿", "批示督办", "紧急信息", "排名通报"):
        assert f"「{menu}」" in menus, menu
    reporter = (REPO_GUIDE / "reporter.md").read_text(encoding="utf-8")
    assert "已选择：文件名" in reporter and "另存为" in reporter
