"""Form widgets built in Python where Django's template per option costs a page real time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

_OPTION = '<option value="{}"{}>{}</option>'


class QuickSelect(forms.Select):
    """A <select> with the markup of Django's, built without a template per option (~50 µs
    each): the inbox's filter by unit, 60 units, took 3.6 ms of every inbox page."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "", _OPTION, ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options)
            )
            if group_name:
                rendered = format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
            groups.append(rendered)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # each group was escaped by format_html
        )
