"""The ranges and characters every input is held to before it reaches the database.

SQLite stores signed 64-bit integers (a larger Python int overflows when bound), PostgreSQL's
`integer` columns hold 32 bits and refuse NUL in text; neither stores a lone UTF-16 surrogate.
The API schemas, the page forms, the input middleware and the CLI all take their limits from here.
"""

from __future__ import annotations

import re
from typing import Annotated

from annotated_types import Ge, Le  # what pydantic reads its bounds from; cheap to import

DB_BIGINT_MAX = 2**63 - 1  # ids: SQLite INTEGER, PostgreSQL bigint
DB_INT_MAX = 2**31 - 1  # PositiveIntegerField on PostgreSQL: versions, numbers, orders
DB_SMALLINT_MAX = 2**15 - 1  # PositiveSmallIntegerField: years, editions
MAX_OFFSET = DB_INT_MAX  # an offset plus a page never overflows a 64-bit integer
MAX_IDS = 1000  # ids in one request (merge, order, from-submissions)
MAX_QUERY_CHARS = 200  # a search query, on the page, the API and the CLI

Id = Annotated[int, Ge(1), Le(DB_BIGINT_MAX)]
Version = Annotated[int, Ge(0), Le(DB_INT_MAX)]
Number = Annotated[int, Ge(1), Le(DB_INT_MAX)]
Year = Annotated[int, Ge(1), Le(9999)]
Offset = Annotated[int, Ge(0), Le(MAX_OFFSET)]

_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def bad_character_reason(value: str) -> str | None:
    """The Chinese reason a string cannot be stored (NUL, lone surrogate), or None when it can."""
    found = _BAD_CHARACTERS.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "内容含有空字符（NUL），无法保存。"
    return "内容含有无效的 Unicode 字符（孤立的代理项），无法保存。"


def id_in_range(value: object) -> bool:
    """Whether an int (or a string of digits) could name a database row."""
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        if not value.isascii() or not value.lstrip("-").isdigit():
            return True  # not a number: the view decides what it means
        if len(value) > 20:
            return False
        value = int(value)
    if isinstance(value, int):
        return -DB_BIGINT_MAX <= value <= DB_BIGINT_MAX
    return True
