"""Waiting for a benchmark's own `jianbao serve` on 127.0.0.1 to answer."""

from __future__ import annotations

import http.client
import subprocess
import time


def wait_for_server(port: int, server: subprocess.Popen[bytes] | None = None) -> None:
    """Poll /healthz for up to a minute; stop at once if the server process has exited."""
    for _ in range(300):
        if server is not None and server.poll() is not None:
            raise SystemExit("server exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")
