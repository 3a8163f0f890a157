"""Run a parser in a forked child with a memory cap and a wall-clock limit.

A hostile file can make a parser run for minutes or take gigabytes; in a child process that
costs only the child. The 'fork' context is cheap (a few milliseconds): the child inherits the
parent's imported modules, so nothing is loaded again. The child never touches the parent's
database connections and leaves with `os._exit`, so nothing of the parent's is closed or flushed.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Isolation:
    """The child's budget: seconds of wall-clock time and bytes of address space it may add."""

    timeout_seconds: float
    memory_bytes: int


class IsolatedError(ValueError):
    """The child refused the input, ran out of time or memory, or died; the message is Chinese."""


def _address_space() -> int:
    """This process's current virtual size in bytes (0 when /proc is not there)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _cap_memory(extra: int) -> None:
    """Cap the address space at what the child has now plus `extra` (the parent's own size
    varies: a web worker, the task worker and a test runner start from different sizes)."""
    current = _address_space()
    if not current:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(
    sender: Connection,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    expected: tuple[type[BaseException], ...],
    memory_bytes: int,
) -> None:
    """Run `function` and send ("ok", result) or ("error", message) back; never raise."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _cap_memory(memory_bytes)
        reply: tuple[str, Any] = ("ok", function(*args))
    except MemoryError:
        reply = ("memory", "")
    except expected as error:
        reply = ("error", " ".join(str(error).split()))
    except RecursionError:
        reply = ("error", "文件结构嵌套过深，疑似异常文件")
    except Exception as error:  # a parser bug on a strange file: reported, never raised
        traceback.print_exc()
        reply = ("error", f"解析出错：{type(error).__name__}: {error}")
    try:
        sender.send(reply)
    except MemoryError:
        sender.send(("memory", ""))
    except Exception as error:  # the result itself could not be pickled
        sender.send(("error", f"解析出错：{type(error).__name__}: {error}"))


def _memory_message(limits: Isolation) -> str:
    return f"解析所需内存超过 {limits.memory_bytes // (1024 * 1024)} MB，疑似异常文件"


def run_isolated(
    function: Callable[..., T],
    *args: Any,
    limits: Isolation,
    expected: tuple[type[BaseException], ...] = (ValueError,),
) -> T:
    """`function(*args)` computed in a forked child under `limits`; the child's `expected`
    errors, a timeout, running out of memory or dying all raise `IsolatedError`."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, function, args, expected, limits.memory_bytes), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.timeout_seconds):
            message = _timeout_message(process, limits)
            process.kill()
            raise IsolatedError(message)
        kind, value = receiver.recv()
    except EOFError:  # the child died without a word: killed for its memory, or crashed
        process.join(1)
        if process.exitcode == -signal.SIGKILL:
            raise IsolatedError(_memory_message(limits)) from None
        raise IsolatedError(f"解析进程异常退出（代码 {process.exitcode}），疑似异常文件") from None
    finally:
        receiver.close()
        _reap(process)
    if kind == "memory":
        raise IsolatedError(_memory_message(limits))
    if kind == "error":
        raise IsolatedError(value)
    result: T = value
    return result


def _timeout_message(process: Any, limits: Isolation) -> str:
    if not process.is_alive() and process.exitcode == -signal.SIGKILL:
        return _memory_message(limits)
    return f"解析超过 {limits.timeout_seconds:g} 秒仍未完成，疑似异常文件"


def _reap(process: Any) -> None:
    """Wait for the child briefly; kill it if it is still there."""
    process.join(0.5)
    if process.is_alive():
        process.kill()
        process.join()
    process.close()
