"""Errors of the typesetter that callers (CLI, web, tasks) show to people."""


class TypesetError(RuntimeError):
    """The issue could not be typeset: fonts missing, template broken, renderer failed."""
