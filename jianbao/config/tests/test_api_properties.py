"""Property: the API's write endpoints answer any JSON without a 5xx, and a 4xx writes nothing.

Each endpoint gets arbitrary values for its declared fields (valid ones, huge and negative
integers, NUL, lone surrogates, wrong types, nesting, extra keys) and sometimes hostile ids in its
path. Whenever the answer is a 4xx, every row the endpoint could touch is as it was, and the
answer carries a Chinese `detail`. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.accounts.models import Unit, UnitAlias, User
from jianbao.archive.models import ImportBatch, ImportItem, ItemState
from jianbao.archive.services import do_create_batch
from jianbao.bulletins import rendering
from jianbao.bulletins.models import Entry, EntrySource, Issue, IssueFile, Series
from jianbao.bulletins.services import do_create_entry, do_create_issue, do_create_series
from jianbao.proofreading.models import DisabledRule, IgnoredTerm
from jianbao.submissions.models import Decision, Revision, Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db

# Bounded and reproducible: the same examples every run, no example database, a generous deadline.
settings.register_profile(
    "api-properties",
    max_examples=30,
    deadline=datetime.timedelta(seconds=5),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = settings.get_profile("api-properties")

HOSTILE_INTS = st.sampled_from(
    [0, -1, 2**31 - 1, 2**31, 2**32, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30]
)
INTS = st.one_of(st.integers(-3, 40), HOSTILE_INTS)
HOSTILE_TEXT = st.sampled_from(
    ["", " ", "\x00", "标\x00题", "\ud800", "a\udfffb", "长" * 201, "x" * 3000, "🎉", "null"]
)
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=12),  # surrogates included
    HOSTILE_TEXT,
)
JSON = st.recursive(
    st.none() | st.booleans() | INTS | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def ids(real: str) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(real), st.just(real), INTS)


@dataclass
class Endpoint:
    method: str
    path: str  # {issue}, {entry}, {submission}, {draft}, {item}, {unit}
    persona: str
    fields: dict[str, st.SearchStrategy[Any]] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


VERSION = st.one_of(st.integers(0, 3), HOSTILE_INTS)
TITLE = st.one_of(st.text(max_size=20), st.text(max_size=20), HOSTILE_TEXT)
IDS = st.lists(ids("{submission}"), max_size=3)
SUBMISSION_ACTIONS = st.sampled_from(["claim", "return", "adopt", "archive", "fly"])
ISSUE_ACTIONS = st.sampled_from(["proof", "sign", "publish", "void", "reopen"])
KINDS = st.sampled_from(["item", "brief", "note", "poem"])

ENDPOINTS = [
    Endpoint("post", "/api/v1/submissions", "reporter_a", {
        "title": TITLE, "body": TITLE, "kind": KINDS, "urgency": st.just("urgent"),
        "contact": TITLE, "source_unit_ids": st.lists(ids("{unit}"), max_size=2),
    }),
    Endpoint("patch", "/api/v1/submissions/{draft}", "reporter_a", {
        "version": VERSION, "title": TITLE, "body": TITLE, "kind": KINDS,
        "source_unit_ids": st.lists(ids("{unit}"), max_size=2),
    }),
    Endpoint("post", "/api/v1/submissions/{submission}/transitions", "editor", {
        "action": SUBMISSION_ACTIONS, "reason": TITLE, "version": VERSION,
    }),
    Endpoint("post", "/api/v1/issues", "editor", {
        "series_id": ids("{series}"), "number": INTS,
        "issue_date": st.dates().map(str),
    }),
    Endpoint("post", "/api/v1/issues/{issue}/entries", "editor", {
        "kind": KINDS, "title": TITLE, "body": TITLE, "section": TITLE, "source_line": TITLE,
        "version": VERSION,
    }),
    Endpoint("post", "/api/v1/issues/{issue}/entries/from-submissions", "editor", {
        "submission_ids": IDS, "version": VERSION,
    }),
    Endpoint("post", "/api/v1/issues/{issue}/entries/merge", "editor", {
        "submission_ids": IDS, "title": TITLE, "body": TITLE, "section": TITLE,
        "print_sources": st.booleans(), "version": VERSION,
    }),
    Endpoint("patch", "/api/v1/issues/{issue}/entries/{entry}", "editor", {
        "version": VERSION, "kind": KINDS, "title": TITLE, "body": TITLE, "source_line": TITLE,
    }),
    Endpoint("delete", "/api/v1/issues/{issue}/entries/{entry}", "editor"),
    Endpoint("put", "/api/v1/issues/{issue}/order", "editor", {
        "entry_ids": st.lists(ids("{entry}"), max_size=3), "version": VERSION,
    }),
    Endpoint("post", "/api/v1/issues/{issue}/transitions", "editor", {
        "action": ISSUE_ACTIONS, "reason": TITLE, "version": VERSION,
    }),
    Endpoint("post", "/api/v1/issues/{issue}/correction", "editor", {"notice": TITLE}),
    Endpoint("patch", "/api/v1/archive/items/{item}", "editor", {
        "version": VERSION, "series": TITLE, "year": INTS,
        "number": INTS, "total_number": INTS,
        "date": st.dates().map(str), "organ": TITLE,
        "entries": st.lists(st.fixed_dictionaries({"body": TITLE}), max_size=2),
    }),
    Endpoint("post", "/api/v1/archive/items/{item}/units", "editor", {
        "name": TITLE, "action": st.sampled_from(["map", "create", "leave"]),
        "unit_id": ids("{unit}"),
    }),
    Endpoint("post", "/api/v1/archive/items/{item}/confirm", "editor"),
    Endpoint("post", "/api/v1/proofread", "editor", {
        "text": TITLE, "disabled_rules": st.lists(TEXT, max_size=2),
    }),
]  # fmt: skip


def _payloads(endpoint: Endpoint) -> st.SearchStrategy[Any]:
    """Well-typed bodies (hostile values of the right type), garbled ones, and any JSON at all."""
    typed = st.fixed_dictionaries(endpoint.fields)
    anything = {name: st.one_of(value, JSON) for name, value in endpoint.fields.items()}
    declared = st.fixed_dictionaries({}, optional=anything)
    extra = st.dictionaries(TEXT, JSON, max_size=2)
    garbled = st.builds(lambda a, b: {**b, **a}, declared, extra)
    return st.one_of(typed, typed, garbled, garbled, JSON)


def _path_ids(endpoint: Endpoint) -> st.SearchStrategy[dict[str, Any]]:
    names = [
        n for n in ("issue", "entry", "submission", "draft", "item") if f"{{{n}}}" in endpoint.path
    ]
    return st.fixed_dictionaries({name: ids(f"{{{name}}}") for name in names})


def _fill(value: Any, real: dict[str, str]) -> Any:
    """Replace the placeholders "{issue}" … by the real ids (as numbers) in a generated value."""
    if isinstance(value, str) and value in real:
        return int(real[value])
    if isinstance(value, list):
        return [_fill(v, real) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, real) for k, v in value.items()}
    return value


def snapshot() -> tuple[Any, ...]:
    """Everything a write endpoint may touch (the audit trail aside: refusals are audited)."""
    return (
        list(Submission.objects.order_by("pk").values_list("pk", "version", "state", "title")),
        Revision.objects.count(),
        Decision.objects.count(),
        list(Issue.objects.order_by("pk").values_list("pk", "version", "state", "number")),
        list(Entry.objects.order_by("pk").values_list("pk", "version", "order", "title")),
        EntrySource.objects.count(),
        IssueFile.objects.count(),
        Series.objects.count(),
        Unit.objects.count(),
        UnitAlias.objects.count(),
        ImportBatch.objects.count(),
        list(ImportItem.objects.order_by("pk").values_list("pk", "version", "state")),
        IgnoredTerm.objects.count(),
        DisabledRule.objects.count(),
    )


@pytest.fixture
def world(editor: User, reporter_a: User, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A series, a draft issue with an entry, a draft, a submitted item, an import item."""
    monkeypatch.setattr(rendering, "render_pdf", lambda bulletin: b"%PDF-1.7\n% stand-in\n")
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    entry = do_create_entry(issue=issue, actor=editor, kind="item", title="综合", body="正文。")
    submitted = make_submission(author=reporter_a, state=State.SUBMITTED)
    make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    draft = make_submission(author=reporter_a)
    item = ImportItem.objects.create(
        batch=do_create_batch(actor=editor), original_name="a.txt", sha256="0" * 64,
        state=ItemState.NEEDS_REVIEW,
    )  # fmt: skip
    return {
        "{series}": str(series.pk), "{issue}": str(issue.pk), "{entry}": str(entry.pk),
        "{submission}": str(submitted.pk), "{draft}": str(draft.pk), "{item}": str(item.pk),
        "{unit}": str(reporter_a.unit_id),
    }  # fmt: skip


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def check(client: Client, endpoint: Endpoint, path_ids: dict[str, Any], payload: Any,
          real: dict[str, str]) -> None:  # fmt: skip
    path = endpoint.path
    for name, value in path_ids.items():
        path = path.replace(f"{{{name}}}", str(_fill(value, real)))
    body = json.dumps(_fill(payload, real))  # ASCII: surrogates and NUL travel as \\u escapes
    before = snapshot()
    response = client.generic(endpoint.method.upper(), path, body, "application/json")
    status = response.status_code
    assert status < 500, (path, body[:300], response.content[:300])
    if 400 <= status < 500:
        assert snapshot() == before, (path, body[:300], status)
        detail = response.json()["detail"]
        assert isinstance(detail, str) and _has_chinese(detail), (path, body[:300], detail)


Login = Callable[[User], Client]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_write_endpoints_never_500_and_refusals_write_nothing(
    endpoint: Endpoint, world: dict[str, str], login: Login, request: pytest.FixtureRequest
) -> None:
    client = login(request.getfixturevalue(endpoint.persona))

    @settings(PROFILE)
    @given(path_ids=_path_ids(endpoint), payload=_payloads(endpoint))
    def run(path_ids: dict[str, Any], payload: Any) -> None:
        check(client, endpoint, path_ids, payload, world)

    run()
