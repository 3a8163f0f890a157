"""The access matrix, generated from the URL configuration (issue 15).

Every URL of every app (walked with `get_resolver()`) and every operation of the JSON API (from
its OpenAPI schema) is requested by every persona, and the outcome must match the RULES table
below. A URL or endpoint without a rule FAILS the test, naming the row to add.

HOW TO ADD A ROW (one line): `"METHOD route": "a o r p u e c l m d",` where the route is the
Django route as `get_resolver()` shows it (e.g. `"GET submissions/<int:pk>/"`) or the API path as
OpenAPI shows it (e.g. `"POST /api/v1/issues/{issue_id}/entries"`), and the ten tokens are the
outcomes for the personas, in this order:

    a anonymous   o outsider (no unit, no role)   r reporter of another unit   p reporter
    u unit approver   e editor   c chief (签发人)   l leader   m admin   d auditor

Outcome tokens: `ok` allowed (2xx, or a redirect that is not to the login page); `bad` got past
access control but the input was refused (400/409/415/422); `denied` a page that answered with a
redirect or a page but recorded an `access.denied` audit event (a refusal shown as a message);
`403` refused; `404` not found or not visible; `login` redirect to the login page; `401` API
without credentials; `405` method not allowed. API writes send a body built from the OpenAPI
schema (required fields filled with the world's ids and short text), so they reach the checks.
Objects the URL names are created once: a submitted item of the reporter's unit with an
attachment, a draft issue with one entry of a series; other ids are missing (so `404` there
means "refused like a missing id"). Each request runs in a savepoint that is rolled back, so the
order of personas never matters. To see the current outcomes of every route as rows, run
`JIANBAO_MATRIX_PRINT=1 pytest jianbao/config/tests/test_access_matrix.py -s` and review them
before pasting: the table is the security decision, not a snapshot.

`admin/` is one rule: only the system administrator gets in; everyone else is sent to its login.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jianbao.accounts.models import AuditEvent, Role, User
from jianbao.accounts.tests.factories import UnitFactory, UserFactory
from jianbao.bulletins.services import do_create_entry, do_create_issue, do_create_series
from jianbao.config.api import api
from jianbao.conftest import mark_second_factor_passed
from jianbao.submissions.services import do_add_attachment
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

PERSONAS = ("a", "o", "r", "p", "u", "e", "c", "l", "m", "d")
MISSING = 999999

# Row shorthands for the common shapes (a row may also spell the ten tokens out).
EVERYONE = "login ok ok ok ok ok ok ok ok ok"
OFFICE = "login 403 403 403 403 ok ok 403 403 403"
OFFICE_MISSING = "login 403 403 403 403 404 404 403 403 403"
ITEM = "login 404 404 ok ok ok ok 404 404 404"
ISSUE = "login 404 404 404 404 ok ok 404 ok 404"
NOBODY_MISSING = "login 404 404 404 404 404 404 404 404 404"
ADMIN_ONLY = "login 403 403 403 403 403 403 403 ok 403"
API_ITEM = "401 404 404 ok ok ok ok 404 404 404"
API_ITEM_WRITE = "401 404 404 bad bad bad bad 404 404 404"
API_ISSUE = "401 404 404 404 404 ok ok 404 ok 404"
API_OFFICE = "401 403 403 403 403 ok ok 403 403 403"
API_OFFICE_WRITE = "401 403 403 403 403 bad bad 403 403 403"
API_OFFICE_MISSING = "401 403 403 403 403 404 404 403 403 403"
API_EVERYONE = "401 ok ok ok ok ok ok ok ok ok"

RULES: dict[str, str] = {
    "GET healthz": "ok ok ok ok ok ok ok ok ok ok",
    "GET ": EVERYONE,
    "GET notifications/": EVERYONE,
    "POST notifications/<int:pk>/open/": NOBODY_MISSING,
    "POST notifications/<int:pk>/read/": NOBODY_MISSING,
    "POST notifications/read-all/": EVERYONE,
    "GET notifications/settings/": EVERYONE,
    "GET notifications/webhooks/": ADMIN_ONLY,
    "GET notifications/webhooks/<int:pk>/": "login 403 403 403 403 403 403 403 404 403",
    "POST notifications/webhooks/<int:pk>/delete/": "login 403 403 403 403 403 403 403 404 403",
    "POST notifications/deliveries/<int:pk>/retry/": "login 403 403 403 403 403 403 403 404 403",
    "GET accounts/login/": "ok ok ok ok ok ok ok ok ok ok",
    "POST accounts/logout/": "login login login login login login login login login login",
    "GET accounts/password/": EVERYONE,
    "GET accounts/password/done/": EVERYONE,
    "GET accounts/otp/verify/": EVERYONE,
    "GET accounts/otp/setup/": EVERYONE,
    "POST accounts/otp/recovery-codes/": EVERYONE,
    "POST accounts/otp/disable/": "login ok ok ok ok ok denied ok denied denied",
    "GET accounts/security/": EVERYONE,
    "POST accounts/session/keepalive/": API_EVERYONE,
    "GET accounts/lockouts/": ADMIN_ONLY,
    "GET accounts/tokens/": EVERYONE,
    "POST accounts/tokens/<int:pk>/revoke/": NOBODY_MISSING,
    "GET accounts/audit/": "login 403 403 403 403 403 403 403 403 ok",
    "GET accounts/audit/export.<str:fmt>": "login 403 403 403 403 403 403 403 403 ok",
    "GET submissions/": "login 403 ok ok ok 403 403 403 403 403",
    "GET submissions/inbox/": OFFICE,
    "POST submissions/inbox/bulk/": OFFICE,
    "GET submissions/new/": "login 403 ok ok 403 403 403 403 403 403",
    "POST submissions/word-preview/": "login 403 bad bad 403 bad bad 403 403 403",
    "POST submissions/pending/<int:pk>/remove/": NOBODY_MISSING,
    "GET submissions/<int:pk>/": ITEM,
    "POST submissions/<int:pk>/edit/": "login 404 404 bad bad bad bad 404 404 404",
    "POST submissions/<int:pk>/transition/": ITEM,
    "GET submissions/<int:pk>/compare/": NOBODY_MISSING,
    "POST submissions/<int:pk>/comments/": ITEM,
    "GET submissions/<int:pk>/attachments/<int:attachment_pk>/": ITEM,
    "POST submissions/<int:pk>/attachments/<int:attachment_pk>/remove/": "login 404 404 denied denied denied denied 404 404 404",  # noqa: E501
    "GET search/": "login 403 ok ok ok ok ok ok 403 403",
    "GET search/status/": ADMIN_ONLY,
    "POST search/status/rebuild/": ADMIN_ONLY,
    "GET issues/": "login 403 ok ok ok ok ok ok ok 403",
    "GET issues/new/": OFFICE,
    "GET issues/series/": "login 403 403 403 403 ok 403 403 ok 403",
    "GET issues/series/new/": "login 403 403 403 403 ok 403 403 ok 403",
    "GET issues/series/<int:pk>/edit/": "login 403 403 403 403 ok 403 403 ok 403",
    "GET issues/<int:pk>/": ISSUE,
    "GET issues/<int:pk>/read/": ISSUE,
    "POST issues/<int:pk>/header/": "login 403 403 403 403 bad bad 403 403 403",
    "POST issues/<int:pk>/footer/": OFFICE,
    "POST issues/<int:pk>/transition/": OFFICE,
    "GET issues/<int:pk>/sign/": OFFICE,
    "POST issues/<int:pk>/correction/": OFFICE,
    "POST issues/<int:pk>/add/": OFFICE,
    "POST issues/<int:pk>/merge/": OFFICE,
    "GET issues/<int:pk>/merge/editor/": OFFICE,
    "POST issues/<int:pk>/entries/new/": "login 403 403 403 403 bad bad 403 403 403",
    "POST issues/<int:pk>/entries/order/": OFFICE,
    "GET issues/<int:pk>/entries/<int:entry_pk>/edit/": OFFICE,
    "POST issues/<int:pk>/entries/<int:entry_pk>/move/": OFFICE,
    "POST issues/<int:pk>/entries/<int:entry_pk>/remove/": OFFICE,
    "GET issues/<int:pk>/preview.pdf": ISSUE,
    "GET issues/<int:pk>/download/<str:fmt>/": ISSUE,
    "GET issues/<int:pk>/page-fit/": "login 404 404 404 404 ok ok 404 403 404",
    "GET proofreading/submissions/<int:pk>/": ITEM,
    "POST proofreading/submissions/<int:pk>/accept/": ITEM,
    "POST proofreading/submissions/<int:pk>/accept-all/": "login 404 404 denied denied ok ok 404 404 404",  # noqa: E501
    "GET proofreading/issues/<int:pk>/": ISSUE,
    "POST proofreading/issues/<int:pk>/entries/<int:entry_pk>/accept/": ISSUE,
    "POST proofreading/ignore/": "login denied denied denied denied ok ok denied ok denied",
    "GET proofreading/settings/": "login 403 403 403 403 ok ok 403 ok 403",
    "GET archive/": OFFICE,
    "POST archive/upload/": "login 403 403 403 403 bad bad 403 403 403",
    "GET archive/batches/<int:pk>/": OFFICE_MISSING,
    "POST archive/batches/<int:pk>/confirm/": OFFICE_MISSING,
    "POST archive/batches/<int:pk>/resume/": OFFICE_MISSING,
    "POST archive/batches/<int:pk>/cancel/": OFFICE_MISSING,
    "GET archive/items/<int:pk>/": OFFICE_MISSING,
    "POST archive/items/<int:pk>/edit/": OFFICE_MISSING,
    "POST archive/items/<int:pk>/unit/": OFFICE_MISSING,
    "POST archive/items/<int:pk>/series/": OFFICE_MISSING,
    "POST archive/items/<int:pk>/confirm/": OFFICE_MISSING,
    "POST archive/items/<int:pk>/skip/": OFFICE_MISSING,
    "GET archive/items/<int:pk>/file/": OFFICE_MISSING,
    "GET commissions/": "login 403 ok ok ok ok ok 403 403 403",
    "GET commissions/export.xlsx": OFFICE,
    "GET commissions/new/": OFFICE,
    "GET commissions/<int:pk>/": NOBODY_MISSING,
    "POST commissions/<int:pk>/link/": NOBODY_MISSING,
    "GET commissions/<int:pk>/answer/": NOBODY_MISSING,
    "POST commissions/<int:pk>/decline/": NOBODY_MISSING,
    "POST commissions/<int:pk>/close/": OFFICE_MISSING,
    "POST commissions/<int:pk>/remind/": OFFICE_MISSING,
    # 批示督办: office, leaders and units read; a unit only what is addressed to it (404).
    "GET instructions/": "login 403 ok ok ok ok ok ok 403 403",
    "GET instructions/mine/": "login 403 403 403 403 403 403 ok 403 403",
    "GET instructions/new/": "login 403 403 403 403 ok ok ok 403 403",
    "GET instructions/<int:pk>/": NOBODY_MISSING,
    "GET instructions/<int:pk>/feedback/": NOBODY_MISSING,
    "POST instructions/<int:pk>/ask/": NOBODY_MISSING,
    "POST instructions/<int:pk>/remind/": NOBODY_MISSING,
    "POST instructions/<int:pk>/close/": NOBODY_MISSING,
    # 紧急信息: reporters start; the office, leaders (送阅件) and the unit read.
    "GET emergency/": "login 403 ok ok ok ok ok ok 403 403",
    "GET emergency/start/": "login 403 ok ok 403 403 403 403 403 403",
    "GET emergency/<int:pk>/": NOBODY_MISSING,
    "GET emergency/<int:pk>/report/": NOBODY_MISSING,
    "POST emergency/<int:pk>/forward/": NOBODY_MISSING,
    "GET emergency/<int:pk>/songyue.pdf": NOBODY_MISSING,
    "GET forwarding/": OFFICE,
    "GET forwarding/<int:pk>/": OFFICE_MISSING,
    "POST forwarding/<int:pk>/outcome/": OFFICE_MISSING,
    "GET forwarding/<int:pk>/package.docx": OFFICE_MISSING,
    "GET distribution/": "login 403 ok ok ok ok ok ok ok 403",
    "GET distribution/issues/": OFFICE,
    "GET distribution/issues/<int:pk>/": OFFICE,
    "POST distribution/issues/<int:pk>/ack/": "login 404 404 404 404 ok ok 404 ok 404",
    "POST distribution/issues/<int:pk>/remind/": OFFICE,
    "GET distribution/issues/<int:pk>/export.xlsx": OFFICE,
    "GET distribution/groups/": "login 403 403 403 403 ok ok 403 ok 403",
    "GET distribution/groups/new/": "login 403 403 403 403 ok ok 403 ok 403",
    "GET distribution/groups/<int:pk>/": "login 403 403 403 403 404 404 403 404 403",
    "POST distribution/groups/<int:pk>/delete/": "login 403 403 403 403 404 404 403 404 403",
    "GET distribution/series/<int:pk>/": "login 403 403 403 403 ok ok 403 ok 403",
    "POST distribution/series/<int:pk>/recipients/<int:entry_pk>/remove/": "login 403 403 403 403 404 404 403 404 403",  # noqa: E501
    "GET assessment/rankings/": "login 403 ok ok ok ok ok ok ok 403",
    "GET assessment/rankings/export.xlsx": "login 403 403 403 403 ok ok 403 ok 403",
    "GET assessment/reports/": "login 403 ok ok ok ok ok ok ok 403",
    "POST assessment/reports/draft.<str:fmt>": "login 403 403 403 403 bad bad 403 bad 403",
    "POST assessment/reports/publish/": "login 403 403 403 403 403 ok 403 ok 403",
    "GET assessment/reports/<int:pk>/file.<str:fmt>": "login 403 404 404 404 404 404 404 404 403",
    "GET assessment/statistics/": "login 403 403 403 403 ok ok ok ok 403",
    "GET assessment/statistics/export.xlsx": "login 403 403 403 403 ok ok ok ok 403",
    "GET assessment/ledger/": "login 403 ok ok ok ok ok ok ok 403",
    "GET assessment/ledger/units/<int:unit_id>/": "login 403 403 ok ok ok ok ok ok 403",
    "POST assessment/ledger/events/<int:event_id>/object/": NOBODY_MISSING,
    "GET assessment/objections/": "login 403 ok ok ok ok ok ok ok 403",
    "POST assessment/objections/<int:pk>/answer/": "login 403 403 403 403 404 404 403 404 403",
    "GET assessment/rules/": "login 403 403 403 403 ok ok ok ok 403",
    "GET assessment/rules/new/": "login 403 403 403 403 403 ok 403 ok 403",
    "GET assessment/classes/": "login 403 403 403 403 ok ok ok ok 403",
    "POST assessment/classes/new/": "login 403 403 403 403 403 ok 403 ok 403",
    "POST assessment/classes/assign/": "login 403 403 403 403 403 ok 403 ok 403",
    "GET assessment/recompute/": "login 403 403 403 403 403 ok 403 ok 403",
    "GET assessment/recompute/<int:pk>/": "login 403 403 403 403 403 404 403 404 403",
    "POST assessment/recompute/<int:pk>/confirm/": "login 403 403 403 403 403 404 403 404 403",
    "GET assessment/adoptions/new/": "login 403 403 403 403 403 403 403 403 403",
    "GET assessment/adoptions/issue/": "login 403 403 403 403 ok ok 403 ok 403",
    "GET assessment/instructions/new/": "login 403 403 403 403 403 403 403 403 403",
    # The user guide (「帮助」) is public: it holds no data. Missing chapters/screenshots are 404.
    "GET help/": "ok ok ok ok ok ok ok ok ok ok",
    "GET help/<slug:slug>/": "404 404 404 404 404 404 404 404 404 404",
    "GET help/screenshots/<path:name>": "404 404 404 404 404 404 404 404 404 404",
    "GET /api/v1/submissions": API_EVERYONE,
    "POST /api/v1/submissions": "401 403 bad bad 403 403 403 403 403 403",
    "GET /api/v1/submissions/{submission_id}": API_ITEM,
    "PATCH /api/v1/submissions/{submission_id}": API_ITEM_WRITE,
    "POST /api/v1/submissions/{submission_id}/transitions": API_ITEM_WRITE,
    "GET /api/v1/submissions/{submission_id}/revisions": API_ITEM,
    "GET /api/v1/submissions/{submission_id}/history": API_ITEM,
    "GET /api/v1/issues": API_EVERYONE,
    "POST /api/v1/issues": API_OFFICE,
    "GET /api/v1/issues/{issue_id}": API_ISSUE,
    "GET /api/v1/issues/{issue_id}/bulletin": API_ISSUE,
    "POST /api/v1/issues/{issue_id}/entries/from-submissions": API_OFFICE_WRITE,
    "POST /api/v1/issues/{issue_id}/entries/merge": API_OFFICE_WRITE,
    "POST /api/v1/issues/{issue_id}/entries": API_OFFICE_WRITE,
    "PATCH /api/v1/issues/{issue_id}/entries/{entry_id}": API_OFFICE,
    "DELETE /api/v1/issues/{issue_id}/entries/{entry_id}": API_OFFICE,
    "PUT /api/v1/issues/{issue_id}/order": API_OFFICE,
    "POST /api/v1/issues/{issue_id}/transitions": API_OFFICE_WRITE,
    "POST /api/v1/issues/{issue_id}/correction": API_OFFICE_WRITE,
    "GET /api/v1/search": "401 403 ok ok ok ok ok ok 403 403",
    "POST /api/v1/proofread": API_EVERYONE,
    "GET /api/v1/proofread/rules": API_EVERYONE,
    "POST /api/v1/archive/batches": "401 bad bad bad bad bad bad bad bad bad",
    "GET /api/v1/archive/batches/{batch_id}": API_OFFICE_MISSING,
    "POST /api/v1/archive/batches/{batch_id}/resume": API_OFFICE_MISSING,
    "POST /api/v1/archive/batches/{batch_id}/cancel": API_OFFICE_MISSING,
    "GET /api/v1/archive/items/{item_id}": API_OFFICE_MISSING,
    "PATCH /api/v1/archive/items/{item_id}": API_OFFICE_MISSING,
    "POST /api/v1/archive/items/{item_id}/units": API_OFFICE_MISSING,
    "POST /api/v1/archive/items/{item_id}/confirm": API_OFFICE_MISSING,
    "GET /api/v1/commissions": API_EVERYONE,
    "POST /api/v1/commissions": API_OFFICE_WRITE,
    "GET /api/v1/commissions/{commission_id}": "401 404 404 404 404 404 404 404 404 404",
    "POST /api/v1/commissions/{commission_id}/answer": "401 404 404 404 404 404 404 404 404 404",
    "GET /api/v1/openapi.json": EVERYONE,
    "GET /api/v1/docs": EVERYONE,
}


@dataclass(frozen=True)
class Route:
    method: str
    route: str  # the key used in RULES
    path: str  # the concrete path requested


class _Rollback(Exception):
    pass


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route, pattern


def _api_routes() -> Iterator[tuple[str, str]]:
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method in operations:
            yield method.upper(), path
    yield "GET", "/api/v1/openapi.json"
    yield "GET", "/api/v1/docs"


@dataclass
class World:
    users: dict[str, User | None]
    ids: dict[str, int]


def _world() -> World:
    unit_a = UnitFactory(name="区委宣传部")
    unit_b = UnitFactory(name="区总工会")
    office = UnitFactory(name="区委办公室")
    reporter = UserFactory(username="m_reporter", unit=unit_a, roles=[Role.REPORTER])
    editor = UserFactory(username="m_editor", unit=office, roles=[Role.EDITOR])
    users: dict[str, User | None] = {
        "a": None,
        "o": UserFactory(username="m_outsider"),
        "r": UserFactory(username="m_reporter_b", unit=unit_b, roles=[Role.REPORTER]),
        "p": reporter,
        "u": UserFactory(username="m_approver", unit=unit_a, roles=[Role.UNIT_APPROVER]),
        "e": editor,
        "c": UserFactory(username="m_chief", unit=office, roles=[Role.CHIEF]),
        "l": UserFactory(username="m_leader", roles=[Role.LEADER]),
        "m": UserFactory(username="m_admin", roles=[Role.ADMIN]),
        "d": UserFactory(username="m_auditor", roles=[Role.AUDITOR]),
    }
    item = make_submission(author=reporter, state=State.DRAFT)
    attachment = do_add_attachment(
        submission=item, actor=reporter, uploaded=SimpleUploadedFile("照片.jpg", b"\xff\xd8j")
    )
    from jianbao.submissions.services import do_transition

    item = do_transition(submission=item, action="submit", actor=reporter)
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    import datetime

    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    entry = do_create_entry(issue=issue, actor=editor, kind="item", title="标题", body="正文。")
    ids = {
        "submission": item.pk,
        "attachment": attachment.pk,
        "series": series.pk,
        "issue": issue.pk,
        "entry": entry.pk,
        "unit": unit_a.pk,
    }
    return World(users=users, ids=ids)


def _fill(route: str, world: World) -> str:
    """The route with its parameters replaced by the world's objects (or a missing id)."""
    ids = world.ids

    by_name = {
        "attachment_pk": ids["attachment"],
        "entry_pk": ids["entry"],
        "entry_id": ids["entry"],
        "unit_id": ids["unit"],
        "submission_id": ids["submission"],
        "issue_id": ids["issue"],
    }
    by_prefix = [
        (("submissions/", "proofreading/submissions/"), ids["submission"]),
        (("issues/series/", "distribution/series/"), ids["series"]),
        (("distribution/issues/",), ids["issue"]),
        (("issues/", "proofreading/issues/"), ids["issue"]),
    ]

    def value(name: str) -> str:
        if name == "fmt":
            return "html" if "download" in route else "csv" if "audit" in route else "pdf"
        if name in by_name:
            return str(by_name[name])
        found = next((pk for prefixes, pk in by_prefix if route.startswith(prefixes)), MISSING)
        return str(found)

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), route)
    path = re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), path)
    return path if path.startswith("/") else "/" + path


def _routes(world: World) -> list[Route]:
    routes = []
    for route, pattern in _walk(get_resolver().url_patterns):
        method = "POST" if _post_only(pattern.callback) else "GET"
        routes.append(Route(method, f"{method} {route}", _fill(route, world)))
    for method, path in _api_routes():
        routes.append(Route(method, f"{method} {path}", _fill(path, world)))
    return routes


def _post_only(view: Any) -> bool:
    """Views wrapped by require_POST answer GET with 405: request those with POST."""
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            try:
                contents = cell.cell_contents
            except ValueError:
                continue
            if contents == ["POST"]:
                return True
        view = getattr(view, "__wrapped__", None)
    return False


def _outcome(response: Any, denied: bool) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response.get("Location", "")
        if "/login/" in location:
            return "login"
        return "denied" if denied else "ok"
    if status in (401, 403, 404, 405):
        return str(status)
    if status in (400, 409, 415, 422):
        return "bad"
    if status >= 500:
        return f"error{status}"
    return "denied" if denied else "ok"


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for key, user in world.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
            mark_second_factor_passed(client, user)
        clients[key] = client
    return clients


def _request(client: Client, route: Route, body: str | None) -> str:
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    try:
        with transaction.atomic():
            denials = AuditEvent.objects.filter(action="access.denied").count()
            call = getattr(client, route.method.lower())
            kwargs: dict[str, Any] = {}
            if body is not None:
                kwargs = {"data": body, "content_type": "application/json"}
            response = call(route.path, **kwargs)
            denied = AuditEvent.objects.filter(action="access.denied").count() > denials
            raise _Rollback(_outcome(response, denied))
    except _Rollback as done:
        outcome = str(done)
    finally:
        for name, value in cookies.items():  # a logout must not log the next request out
            client.cookies[name] = value
    return outcome


WRITES = ("POST /api", "PATCH /api", "PUT /api")


def _api_body(route: Route, world: World, schema: dict[str, Any]) -> str:
    """A JSON body with every required field of the operation's schema filled in."""
    method, path = route.route.split(" ", 1)
    operation = schema["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    media: dict[str, Any] = content.get("application/json") or next(iter(content.values()), {})
    return json.dumps(_sample(media.get("schema", {}), schema, world, "body"))


def _sample(node: dict[str, Any], schema: dict[str, Any], world: World, name: str) -> Any:
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        node = node["anyOf"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {key: _sample(props[key], schema, world, key) for key in node.get("required", [])}
    if kind == "array":
        return [_sample(node.get("items", {}), schema, world, name.rstrip("s"))]
    scalars: dict[str, Any] = {
        "integer": world.ids.get(name.removesuffix("_id"), 1),
        "boolean": False,
    }
    return scalars.get(str(kind), node["enum"][0] if "enum" in node else "测试")


def _expected(rule: str) -> list[str]:
    tokens = rule.split()
    assert len(tokens) == len(PERSONAS), f"a rule needs {len(PERSONAS)} outcomes: {rule!r}"
    return tokens


@pytest.mark.django_db
def test_every_url_and_endpoint_answers_every_persona_as_the_rules_say() -> None:
    world = _world()
    clients = _clients(world)
    schema = api.get_openapi_schema()
    problems: list[str] = []
    printed: list[str] = []
    for route in _routes(world):
        body = _api_body(route, world, schema) if route.route.startswith(WRITES) else None
        actual = [_request(clients[p], route, body) for p in PERSONAS]
        printed.append(f'    "{route.route}": "{" ".join(actual)}",')
        rule = RULES.get(route.route)
        if rule is None:
            problems.append(
                f"no rule for {route.route!r}: add a row to RULES in {__name__}, e.g.\n"
                f'    "{route.route}": "{" ".join(actual)}",'
            )
            continue
        expected = _expected(rule)
        wrong = [
            f"{persona}: expected {want}, got {got}"
            for persona, want, got in zip(PERSONAS, expected, actual, strict=True)
            if want != got
        ]
        if wrong:
            problems.append(f"{route.route} ({route.path}): " + "; ".join(wrong))
    if os.environ.get("JIANBAO_MATRIX_PRINT"):
        print("\n".join(printed))
    stale = set(RULES) - {route.route for route in _routes(world)} - {"admin"}
    problems.extend(f"rule for a URL that no longer exists: {key!r}" for key in sorted(stale))
    assert not problems, f"{len(problems)} access-matrix mismatches:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_only_the_system_admin_enters_the_django_admin() -> None:
    world = _world()
    clients = _clients(world)
    for persona in PERSONAS:
        response = clients[persona].get("/admin/")
        if persona == "m":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], persona
