"""A local HTTP receiver standing in for a chat service: apprise's json://127.0.0.1:PORT/… posts land here."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Receiver:
    """Records every POST (path, headers, JSON body); `status` is what it answers."""

    server: ThreadingHTTPServer
    requests: list[Received] = field(default_factory=list)
    status: int = 200

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def messages(self) -> list[dict[str, Any]]:
        return [request.body for request in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_receiver(port: int = 0) -> Receiver:
    """A receiver on a free port (or on `port`: a channel that was down coming back)."""
    receiver: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

        def do_POST(self) -> None:  # noqa: N802 - stdlib naming
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"raw": raw}
            receiver[0].requests.append(Received(self.path, dict(self.headers), body))
            self.send_response(receiver[0].status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    receiver.append(Receiver(server))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver[0]
