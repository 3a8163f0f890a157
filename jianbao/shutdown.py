"""A process-wide "please stop" flag: set by the worker on SIGTERM, read by long tasks between
steps so they end at a clean boundary (a whole file parsed, nothing half-written)."""

from __future__ import annotations

import threading

_stop = threading.Event()


class StopRequested(Exception):
    """Raised by a long task that noticed the stop flag between two of its steps."""


def request_stop() -> None:
    """Ask long tasks of this process to stop at their next step boundary."""
    _stop.set()


def stop_requested() -> bool:
    """Whether this process was asked to stop."""
    return _stop.is_set()


def clear_stop() -> None:
    """Forget an earlier request (tests)."""
    _stop.clear()
