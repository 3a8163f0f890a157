"""A warm LibreOffice for the typesetting bench: unoserver started once, driven by its client.

unoserver's server imports `uno`, which only Debian's python3 has (package python3-uno, installed by
`scripts/install-system-deps.sh bench`); our venv runs its XML-RPC client (`unoserver.client`),
as the unoserver documentation describes. The server runs from a directory holding only the
unoserver package of our venv, so Debian's python3 sees nothing else of it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import xmlrpc.client
from importlib import metadata
from pathlib import Path
from types import TracebackType

PYTHONS_WITH_UNO = ("/usr/bin/python3", "python3")
STARTUP_SECONDS = 180.0  # unoserver itself waits 7 s; a loaded machine needs far more
TICKS = os.sysconf("SC_CLK_TCK")


class Unavailable(Exception):
    """The warm LibreOffice cannot run here; the message says why."""


def python_with_uno() -> str | None:
    """A Python interpreter that can `import uno` (Debian's python3 with python3-uno)."""
    for candidate in PYTHONS_WITH_UNO:
        path = shutil.which(candidate)
        if path is None:
            continue
        check = subprocess.run(
            [path, "-c", "import uno"], check=False, capture_output=True, timeout=60
        )
        if check.returncode == 0:
            return path
    return None


def _shim(folder: Path) -> None:
    """Link our venv's unoserver package and its metadata into `folder`."""
    distribution = metadata.distribution("unoserver")
    package = Path(str(distribution.locate_file("unoserver")))
    info = Path(str(distribution.locate_file(f"unoserver-{distribution.version}.dist-info")))
    for source in (package, info):
        (folder / source.name).symlink_to(source, target_is_directory=True)


def _tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, ...
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        times[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        total += times.get(pid, 0.0)
        pending.extend(children.get(pid, []))
    return total


class WarmLibreOffice:
    """unoserver + LibreOffice listening on two local ports, for the length of a `with` block."""

    def __init__(self, *, port: int, uno_port: int) -> None:
        self.port = port
        self.uno_port = uno_port
        self.version = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="typeset-bench-uno-")

    def __enter__(self) -> WarmLibreOffice:
        python = python_with_uno()
        if python is None:
            raise Unavailable("no python3 with `uno`: run `scripts/install-system-deps.sh bench`")
        try:
            from unoserver import client  # noqa: F401  (the venv side must have it too)
        except ImportError as error:
            raise Unavailable(
                "unoserver is not installed in the venv: pip install -e .[dev]"
            ) from error
        tmp = Path(self._tmp.name)
        (tmp / "shim").mkdir()
        _shim(tmp / "shim")
        command = [
            python,
            "-m",
            "unoserver.server",
            f"--port={self.port}",
            f"--uno-port={self.uno_port}",
            f"--user-installation={tmp / 'profile'}",
            "--quiet",
        ]
        environment = {**os.environ, "PYTHONPATH": str(tmp / "shim")}
        self._process = subprocess.Popen(
            command,
            env=environment,
            cwd=tmp,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.version = self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> str:
        """Poll the XML-RPC server until it answers; LibreOffice's version."""
        deadline = time.monotonic() + STARTUP_SECONDS
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", allow_none=True)
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise Unavailable(f"unoserver exited with status {self._process.returncode}")
            try:
                info = proxy.info()
            except OSError:
                time.sleep(0.5)
                continue
            if not isinstance(info, dict):
                raise Unavailable("unoserver answered info() with no dictionary")
            return f"LibreOffice {info['libreoffice_version']} via unoserver {info['unoserver']}"
        raise Unavailable(f"unoserver did not answer within {STARTUP_SECONDS:.0f} s")

    def convert(self, docx: bytes) -> bytes:
        """DOCX bytes to PDF bytes through unoserver's client, as an application would call it."""
        from unoserver.client import UnoClient

        pdf = UnoClient(port=str(self.port)).convert(indata=docx, convert_to="pdf")
        if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF-"):
            raise RuntimeError("unoserver returned no PDF")
        return pdf

    def convert_call_only(self, docx: bytes) -> bytes:
        """The same conversion as one bare XML-RPC call, without the client's info() handshake."""
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", allow_none=True)
        # unoserver 3's convert(inpath, indata, outpath, convert_to, filtername, filter_options,
        # update_index, infiltername, password), with the client's defaults
        result = proxy.convert(None, docx, None, "pdf", None, [], True, None, None)
        pdf = result.data if isinstance(result, xmlrpc.client.Binary) else b""
        if not pdf.startswith(b"%PDF-"):
            raise RuntimeError("unoserver returned no PDF")
        return pdf

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by unoserver and LibreOffice (all their processes)."""
        return _tree_cpu_seconds(self._process.pid) if self._process is not None else 0.0

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop unoserver (it stops LibreOffice), and remove the profile."""
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
        if process is not None:
            with contextlib.suppress(ProcessLookupError):  # a LibreOffice left in our own session
                os.killpg(process.pid, signal.SIGKILL)
        self._tmp.cleanup()
