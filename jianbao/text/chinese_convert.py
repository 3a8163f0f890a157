"""Traditional/simplified conversion: the only module that imports opencc."""

from __future__ import annotations

import threading
from functools import cache

import opencc

__all__ = ["to_simplified", "to_traditional"]

_lock = threading.Lock()


@cache
def _converter(config: str) -> opencc.OpenCC:
    """One converter per configuration (building one reads OpenCC's dictionaries)."""
    return opencc.OpenCC(config)


def _convert(config: str, text: str) -> str:
    with _lock:  # an OpenCC converter object is not documented as thread-safe
        return str(_converter(config).convert(text))


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified (OpenCC t2s); other text is unchanged."""
    return _convert("t2s", text)


def to_traditional(text: str) -> str:
    """Convert simplified characters to traditional (OpenCC s2t)."""
    return _convert("s2t", text)
