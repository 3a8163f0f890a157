"""Local stand-ins for an SMTP server and a group-robot webhook, started by tests (no network)."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any


@dataclass
class Sink:
    messages: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Speaks just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        sink: Sink = self.server.sink  # type: ignore[attr-defined]
        envelope: dict[str, Any] = {"to": []}
        self._say("220 sink ESMTP")
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self._say("250-sink\r\n250 8BITMIME")
            elif verb == "MAIL":
                envelope = {"from": command[10:], "to": []}
                self._say("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command[8:])
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 end with .")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                envelope["data"] = data.decode("utf-8", "replace")
                sink.messages.append(envelope)
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 OK")


class _ThreadingTCP(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_sink() -> Iterator[Sink]:
    """An SMTP server on 127.0.0.1 that keeps every message it receives."""
    sink = Sink()
    server = _ThreadingTCP(("127.0.0.1", 0), _SmtpHandler)
    server.sink = sink  # type: ignore[attr-defined]
    sink.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Receiver:
    received: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    answer: dict[str, Any] = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    url: str = ""


class _WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length", "0"))
        receiver.received.append(json.loads(self.rfile.read(length).decode("utf-8")))
        body = json.dumps(receiver.answer).encode()
        self.send_response(receiver.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 that records every robot message posted to it."""
    receiver = Receiver()
    server = HTTPServer(("127.0.0.1", 0), _WebhookHandler)
    server.receiver = receiver  # type: ignore[attr-defined]
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/robot/send?key=test"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
