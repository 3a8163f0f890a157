"""Code run in child processes (`Site.python`, `Site.spawn_python`) by the crash and backup tests:
people, a series, and an issue signed and ready to publish."""

from __future__ import annotations

import hashlib
from pathlib import Path

from jianbao.operations.tests.processes import Site

SEED_PEOPLE = """
from jianbao.accounts.models import Role
from jianbao.accounts.tests.factories import UnitFactory, UserFactory
from jianbao.bulletins.services import do_create_series
office, unit = UnitFactory(name="区委办公室"), UnitFactory(name="区委宣传部")
editor = UserFactory(username="editor", unit=office, roles=[Role.EDITOR])
UserFactory(username="chief", unit=office, roles=[Role.CHIEF])
UserFactory(username="reporter", unit=unit, roles=[Role.REPORTER])
do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室", send_to="区县处级领导",
                 distribute_to="各街道", editors=["王思宇"])
"""

SIGNED_ISSUE = """
import datetime
from jianbao.accounts.models import User
from jianbao.bulletins.models import Series
from jianbao.bulletins.services import do_create_entry, do_create_issue, do_transition_issue
editor, chief = User.objects.get(username="editor"), User.objects.get(username="chief")
issue = do_create_issue(series=Series.objects.get(), actor=editor,
                        issue_date=datetime.date(2024, 6, 17))
for n in range(1, 4):
    do_create_entry(issue=issue, actor=editor, kind="item", title=f"第{n}条信息",
                    body="区委宣传部创新打造文明实践“三个模式”。" * 20)
issue = do_transition_issue(issue=issue, action="proof", actor=editor)
issue = do_transition_issue(issue=issue, action="sign", actor=chief)
print(issue.pk)
"""


def publish_code(issue_id: int) -> str:
    """Publish the issue; prints 「ready」 once everything is imported, 「done」 at the end."""
    return f"""
from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import do_transition_issue, publishing
issue, editor = Issue.objects.get(pk={issue_id}), User.objects.get(username="editor")
print("ready", flush=True)
do_transition_issue(issue=issue, action="publish", actor=editor)
print("done", flush=True)
"""


def seed_signed_issue(site: Site) -> int:
    """People, the series and a signed issue of three entries; the issue's id."""
    return int(site.python(SEED_PEOPLE + SIGNED_ISSUE).split()[-1])


def media_files(site: Site) -> dict[str, str]:
    """Every file under the site's media folder: relative name -> SHA-256."""
    root = site.data_dir / "media"
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


def writer_code(issue_id: int, items: int, publish_after: int) -> str:
    """Create `items` submissions, each with an attachment, in its own transaction, printing
    「item ID」 after each commit; publish the signed issue after `publish_after` of them."""
    return f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import do_transition_issue
from jianbao.submissions.services import do_add_attachment, do_create_submission
reporter, editor = User.objects.get(username="reporter"), User.objects.get(username="editor")
for n in range({items}):
    with transaction.atomic():
        item = do_create_submission(author=reporter, title=f"稿件{{n}}", body="正文。" * 50)
        upload = SimpleUploadedFile(f"附件{{n}}.txt", f"附件内容 {{n}} ".encode() * 2000)
        do_add_attachment(submission=item, actor=reporter, uploaded=upload)
    print("item", item.pk, flush=True)
    if n + 1 == {publish_after}:
        do_transition_issue(issue=Issue.objects.get(pk={issue_id}), action="publish", actor=editor)
        print("published", flush=True)
print("done", flush=True)
"""
