"""The source address of the request being served, for audit events written deep in services.

Set by `AuditContextMiddleware` for each request; empty in the CLI and the worker.
"""

from __future__ import annotations

from contextvars import ContextVar

source_address: ContextVar[str | None] = ContextVar("jianbao_source_address", default=None)
