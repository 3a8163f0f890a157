"""`field__any_of=[…]`: membership in a long list of integers, sent as one parameter.

A search filters by up to 2,000 ids at a time. As `__in`, each id is a separate placeholder that
Django prepares, the driver splices into the SQL text and the server parses (~3 ms for 2,000 on
PostgreSQL); as one array (PostgreSQL) or one JSON text (SQLite) it costs next to nothing. The
array goes as its text form: the driver's adaptation of a Python list took ~1.5 ms per 400 ids.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Field, Lookup


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def _ids(self) -> list[int]:
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        array = "{" + ",".join(map(str, self._ids())) + "}"
        return f"{lhs} = ANY(%s::bigint[])", [*params, array]

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self._ids())]
