"""QuickSelect gives the markup of Django's Select, only faster."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html

from jianbao.widgets import QuickSelect

CHOICES: list[Any] = [
    ("", "全部单位"),
    (1, "区委办 <公室>"),
    ("片区", [(2, "东片 & 西片"), (3, "南片")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "3"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_unit", "required": True, "class": "wide"}])
def test_quick_select_renders_what_django_renders(value: Any, attrs: dict[str, Any]) -> None:
    django_select = forms.Select(choices=CHOICES).render("unit", value, attrs)
    quick = QuickSelect(choices=CHOICES).render("unit", value, attrs)
    assert parse_html(quick) == parse_html(django_select)
    assert "&lt;公室&gt;" in quick and "东片 &amp; 西片" in quick  # labels are escaped


def test_a_form_field_with_quick_select_keeps_the_choice() -> None:
    class Form(forms.Form):
        unit = forms.ChoiceField(choices=CHOICES[:2], required=False, widget=QuickSelect)

    html = str(Form({"unit": "1"})["unit"])
    assert '<option value="1" selected>' in html
