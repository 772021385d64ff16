"""A stand-in for the 調達ポータル download address on 127.0.0.1: `GET /pps-web-biz/UAB03/OAB0301?fileversion=v001&
filename=NAME` answers the ZIP published under NAME, or 400 as the portal does for a file it does not have. Files can
be published while it runs (`portal.files[name] = bytes`); every file name asked for is recorded in order."""

from __future__ import annotations

import io
import threading
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from support.opendata import awards_csv

PATH = "/pps-web-biz/UAB03/OAB0301"


def day_zip(name: str, rows: list[list[str]]) -> bytes:
    """A day file as published: a ZIP holding one CSV (UTF-8 with BOM, CRLF, every field quoted, no header)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name.removesuffix(".zip") + ".csv", b"\xef\xbb\xbf" + awards_csv(rows).encode("utf-8"))
    return out.getvalue()


@dataclass
class Portal:
    server: ThreadingHTTPServer
    files: dict[str, bytes] = field(default_factory=dict)
    broken: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)  # name -> (status, type, body)
    asked: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{PATH}?fileversion=v001&filename={{file}}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve_portal() -> Portal:
    portal_ref: list[Portal] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            return

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            portal = portal_ref[0]
            parts = urlsplit(self.path)
            name = parse_qs(parts.query).get("filename", [""])[0]
            status, content_type, body = 404, "text/plain", b"not found"
            if parts.path == PATH:
                portal.asked.append(name)
                if name in portal.broken:
                    status, content_type, body = portal.broken[name]
                elif name in portal.files:
                    status, content_type, body = 200, "application/zip", portal.files[name]
                else:
                    status, content_type, body = 400, "application/json", b'{"errorCode":"E0001"}'
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    portal = Portal(server)
    portal_ref.append(portal)
    threading.Thread(target=server.serve_forever, name="portal", daemon=True).start()
    return portal
