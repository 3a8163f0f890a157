"""The audit trail is append-only and hash-chained; `jianbao audit verify` names a break.

The attacker is simulated with the database's own powers: on PostgreSQL the trigger is disabled
(as a superuser could), on SQLite rows are deleted directly (no code path does).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction

from jianbao.accounts.audit_chain import GENESIS
from jianbao.accounts.models import AuditChainHead, AuditEvent, User
from jianbao.accounts.services import record_audit_event
from jianbao.cli import main

pytestmark = pytest.mark.django_db


@contextmanager
def attacker() -> Iterator[None]:
    """Writes that bypass the append-only trigger, as someone with the database's keys would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks for ALTER
            cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS accounts_auditevent_no_update")
            yield


def _events(editor: User, count: int = 5) -> list[AuditEvent]:
    return [
        record_audit_event(
            action="issue.edit", actor=editor, object_type="issue", object_id=n, detail={"n": n}
        )
        for n in range(1, count + 1)
    ]


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["audit", "verify"])
    captured = capsys.readouterr()
    text = captured.out.strip() if status == 0 else captured.err.strip()
    return status, text.splitlines()[-1]


def test_events_are_chained_and_carry_who_from_where(editor: User) -> None:
    first, second = _events(editor, 2)
    assert second.sequence == (first.sequence or 0) + 1
    assert second.prev_hash == first.hash
    assert AuditEvent.objects.get(sequence=1).prev_hash == GENESIS
    assert second.actor_name == "editor" and second.actor_unit == "区委办公室"
    assert second.outcome == "success"
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (second.sequence, second.hash)
    denied = record_audit_event(action="access.denied", actor=editor)
    assert denied.outcome == "denied"


def test_verify_passes_on_an_intact_chain(editor: User, capsys: pytest.CaptureFixture[str]) -> None:
    _events(editor)
    status, line = _verify(capsys)
    assert status == 0
    assert f"审计链完整：{AuditEvent.objects.count()} 条记录" in line


def test_the_database_refuses_to_update_an_event(editor: User) -> None:
    event = _events(editor, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="auth.login")
    assert AuditEvent.objects.get(pk=event.pk).action == "issue.edit"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="DELETE trigger on PostgreSQL")
def test_postgresql_refuses_to_delete_an_event(editor: User) -> None:
    event = _events(editor, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_verify_names_a_removed_record(editor: User, capsys: pytest.CaptureFixture[str]) -> None:
    events = _events(editor)
    with attacker():
        AuditEvent.objects.filter(pk=events[2].pk).delete()
    status, line = _verify(capsys)
    assert status == 1
    n = events[2].sequence or 0
    assert line.endswith(f"审计链校验失败：审计记录 #{n} 已被删除（记录 #{n + 1} 之前缺失）")


def test_verify_names_an_altered_record(editor: User, capsys: pytest.CaptureFixture[str]) -> None:
    events = _events(editor)
    with attacker():
        AuditEvent.objects.filter(pk=events[1].pk).update(detail={"n": 99})
    status, line = _verify(capsys)
    assert status == 1
    assert f"审计记录 #{events[1].sequence}（issue.edit）的内容被改动" in line


def test_verify_finds_the_newest_records_removed(
    editor: User, capsys: pytest.CaptureFixture[str]
) -> None:
    events = _events(editor)
    with attacker():
        AuditEvent.objects.filter(pk__in=[events[3].pk, events[4].pk]).delete()
    status, line = _verify(capsys)
    assert status == 1
    assert f"审计记录 #{events[3].sequence}–#{events[4].sequence} 已被删除" in line


def test_verify_json_reports_the_break(editor: User, capsys: pytest.CaptureFixture[str]) -> None:
    events = _events(editor, 3)
    with attacker():
        AuditEvent.objects.filter(pk=events[0].pk).update(outcome="failure")
    assert main(["audit", "verify", "--json"]) == 1
    out = capsys.readouterr().out
    assert '"ok": false' in out and f'"sequence": {events[0].sequence}' in out


def test_no_code_path_deletes_audit_events() -> None:
    """Grep-level guard: nothing outside tests and migrations deletes or updates audit rows."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("AuditEvent.objects.filter(", "AuditEvent.objects.all()"):
            for chunk in text.split(needle)[1:]:
                statement = chunk.split("\n", 1)[0]
                if ".delete(" in statement or ".update(" in statement:
                    offenders.append(f"{path}: {needle}{statement}")
    assert offenders == []


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain(
    editor: User, capsys: pytest.CaptureFixture[str]
) -> None:
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for n in range(10):
                record_audit_event(action="issue.edit", actor=editor, detail={"w": worker, "n": n})
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    status, _line = _verify(capsys)
    assert status == 0
