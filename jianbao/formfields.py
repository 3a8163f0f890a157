"""Form fields whose values always fit the database: the pages' side of jianbao/bounds.py.

Django's IntegerField has no upper bound and ModelChoiceField looks a huge id up as it is, which
overflows SQLite (OverflowError) or a PostgreSQL integer column; these fields refuse such values
as invalid input with Chinese messages instead.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from jianbao.bounds import DB_INT_MAX, id_in_range


class BoundedIntegerField(forms.IntegerField):
    """An IntegerField no larger than a PostgreSQL integer unless told otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(*args, **kwargs)


def _check_ids(field: forms.ModelChoiceField[Any], values: list[Any]) -> None:
    for value in values:
        if value not in field.empty_values and not id_in_range(str(value)):
            message = "选项无效：%(value)s 不在可选范围内。"
            raise ValidationError(message, code="invalid_choice", params={"value": value})


class IdChoiceField(forms.ModelChoiceField[Any]):
    """A ModelChoiceField that refuses ids beyond any database's range before looking them up."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str | int):
            _check_ids(self, [value])
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """A ModelMultipleChoiceField that refuses ids beyond any database's range."""

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            _check_ids(self, list(value))
        return super()._check_values(value)  # type: ignore[misc]
