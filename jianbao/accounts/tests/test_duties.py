"""三权分立 and the read-only admin: role combinations refused everywhere, admin edits audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client

from jianbao.accounts.duties import role_conflict
from jianbao.accounts.models import AuditEvent, Role, Unit, User
from jianbao.accounts.services import do_create_user
from jianbao.accounts.tests.factories import UserFactory
from jianbao.cli import main
from jianbao.demo.build import DEMO_USERS

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def root(db: None) -> User:
    return UserFactory(username="root", roles=[Role.ADMIN])


@pytest.mark.parametrize(
    ("roles", "reason"),
    [
        ([Role.ADMIN, Role.AUDITOR], "管理员与审计员不能由同一人担任"),
        ([Role.AUDITOR, Role.EDITOR], "审计员不能兼任业务角色"),
        ([Role.ADMIN, Role.CHIEF], "管理员不能兼任业务角色"),
    ],
)
def test_create_user_refuses_combinations(roles: list[Role], reason: str, office: Unit) -> None:
    with pytest.raises(ValidationError, match=reason):
        do_create_user(username="x", password="Xin-mima-2024", unit=office, roles=roles)
    assert not User.objects.filter(username="x").exists()


def test_editor_and_chief_may_be_one_person() -> None:
    assert role_conflict(["editor", "chief"]) is None


def test_the_demo_users_keep_the_separation() -> None:
    for spec in DEMO_USERS:
        assert role_conflict([str(role) for role in spec.roles]) is None, spec.username


def test_createuser_cli_refuses_admin_plus_auditor(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["createuser", "li", "--roles", "admin,auditor", "--password", "Xin-mima-2024"])
    assert status == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "管理员与审计员不能由同一人担任" in err[0]


def test_creating_a_user_is_audited(office: Unit) -> None:
    user = UserFactory(username="newchief", unit=office, roles=[Role.CHIEF])
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.detail["roles"] == ["签发人"]


def _form_data(response: Any) -> dict[str, Any]:
    """The admin change form's current values, as the browser would post them back."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {"_save": "保存"}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(value) or []):
                data[f"{name}_{index}"] = "" if part is None else part
        elif isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = list(value)
        elif value is not None:
            data[name] = value
    return data


def _admin_edit(client: Client, user: User, **changes: Any) -> Any:
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = _form_data(client.get(url))
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = "on" if value is True else value
    return client.post(url, data)


def test_admin_role_grant_is_audited_with_before_and_after(
    login: Login, root: User, editor: User
) -> None:
    response = _admin_edit(login(root), editor, is_chief=True)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="user.roles", object_id=str(editor.pk))
    assert event.actor == root
    assert event.detail["before"] == ["编辑"] and event.detail["after"] == ["编辑", "签发人"]


def test_admin_superuser_grant_is_audited(login: Login, root: User, outsider: User) -> None:
    response = _admin_edit(login(root), outsider, is_superuser=True, is_staff=True)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.superuser", object_id=str(outsider.pk))
    assert (event.detail["before"], event.detail["after"]) == (False, True)


def test_admin_cannot_make_an_auditor_admin(login: Login, root: User, auditor: User) -> None:
    response = _admin_edit(login(root), auditor, is_superuser=True, is_staff=True)
    assert response.status_code == 200
    assert "管理员与审计员不能由同一人担任" in response.content.decode()
    auditor.refresh_from_db()
    assert not auditor.is_superuser


def test_admin_unit_change_is_audited(login: Login, root: User, unit_a: Unit) -> None:
    client = login(root)
    url = f"/admin/accounts/unit/{unit_a.pk}/change/"
    data = _form_data(client.get(url))
    data.update({"requires_approval": "on"})
    data.update({"aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"})
    for key in [k for k in data if k.startswith("aliases-") and k[8].isdigit()]:
        data.pop(key)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="unit.change", object_id=str(unit_a.pk))
    assert event.detail["changes"]["requires_approval"] == {"before": False, "after": True}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/{user}/delete/",
        "/admin/accounts/unit/{unit}/delete/",
        "/admin/bulletins/voidednumber/add/",
        "/admin/bulletins/adoption/add/",
        "/admin/bulletins/series/add/",
    ],
)
def test_admin_cannot_delete_or_add_protected_records(
    login: Login, root: User, editor: User, url: str
) -> None:
    path = url.format(user=editor.pk, unit=editor.unit_id)
    assert login(root).get(path).status_code == 403


def test_the_audit_trail_is_not_in_the_admin(login: Login, root: User) -> None:
    client = login(root)
    assert client.get("/admin/accounts/auditevent/").status_code == 404
    assert client.get("/accounts/audit/").status_code == 403  # the auditor's page only


def test_the_admin_names_everything_in_chinese(login: Login, root: User) -> None:
    page = login(root).get("/admin/").content.decode()
    for name in ("后台任务", "动态验证码", "恢复码", "作废期号", "用户与单位"):
        assert name in page
    for english in ("Tasks Database", "Task Results", "Otp_", "devices", "voided numbers"):
        assert english not in page
    assert "/admin/auth/group/" not in page  # roles are flags on the user; groups are unused
