"""转报: a DOCX package of printed items, and the higher office's adoption recorded as forwarded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, User
from jianbao.assessment.facts import collect_facts
from jianbao.assessment.services.records import OutsideAdoption
from jianbao.bulletins.models import Adoption
from jianbao.forwarding.models import ForwardPackage
from jianbao.forwarding.services import do_forward_entries, do_record_forward_outcome
from jianbao.instructions.tests.factories import printed_entry

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
ADOPTED = OutsideAdoption(
    outlet="郑州信息", level="city", form="single", date=date(2025, 9, 30), outlet_issue="第12期"
)


def test_forward_and_record_the_outcome(editor: User, reporter_a: User) -> None:
    entry = printed_entry(units=[reporter_a.unit])
    package = do_forward_entries(actor=editor, entries=[entry], to_office="市政府办公室")
    assert package.docx.read()[:2] == b"PK" and len(package.sha256) == 64
    do_record_forward_outcome(actor=editor, package=package, entry=entry, adoption=ADOPTED)
    adoption = Adoption.objects.get(entry=entry)
    assert adoption.forwarded and adoption.unit_id == reporter_a.unit_id
    facts = collect_facts(start=date(2025, 9, 30), end=date(2025, 9, 30))
    assert [a.forwarded for a in facts.adoptions] == [True]
    assert AuditEvent.objects.filter(action="forwarding.create").exists()


def test_refusals(editor: User, reporter_a: User) -> None:
    entry = printed_entry(units=[reporter_a.unit])
    with pytest.raises(PermissionDenied):
        do_forward_entries(actor=reporter_a, entries=[entry], to_office="市政府办公室")
    with pytest.raises(ValidationError, match="报送单位"):
        do_forward_entries(actor=editor, entries=[entry], to_office=" ")
    package = do_forward_entries(actor=editor, entries=[entry], to_office="市政府办公室")
    other = printed_entry(units=[reporter_a.unit], title="另一条")
    with pytest.raises(ValidationError, match="不在本次转报中"):
        do_record_forward_outcome(actor=editor, package=package, entry=other, adoption=ADOPTED)


def test_pages_are_for_the_office_only(
    client: Client, login: Login, editor: User, reporter_a: User, outsider: User
) -> None:
    entry = printed_entry(units=[reporter_a.unit])
    as_office = login(editor)
    response = as_office.post(
        reverse("forwarding:list"), {"to_office": "市政府办公室", "entries": [entry.pk]}
    )
    package = ForwardPackage.objects.get()
    assert response["Location"] == reverse("forwarding:detail", args=[package.pk])
    urls = [
        ("get", reverse("forwarding:list")),
        ("get", reverse("forwarding:detail", args=[package.pk])),
        ("post", reverse("forwarding:outcome", args=[package.pk])),
        ("get", reverse("forwarding:download", args=[package.pk])),
    ]
    for method, url in urls:
        assert getattr(login(outsider), method)(url).status_code == 403, url
        assert getattr(login(reporter_a), method)(url).status_code == 403, url
        assert getattr(client, method)(url).status_code == 302, url
    assert as_office.get(urls[3][1]).status_code == 200
