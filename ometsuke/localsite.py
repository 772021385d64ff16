"""A small threaded HTTP server for a folder of pages, on 127.0.0.1: used by `ometsuke demo` and by the tests.

It behaves like a modest real web server: ETag and Last-Modified validators with 304 answers to conditional
requests, 404 for missing files, `index.html` for folder URLs, and per-file extra headers from a sidecar file
`NAME.headers` ("Header: value" lines, e.g. a Content-Type with a charset; "ETag:" with no value removes it; an
ETag or Last-Modified there is what the server answers 304 to, whatever the file now holds: a lying CMS).
The folder it serves can be switched while it runs (`site.root = other`), which is how the demo moves from one
snapshot of a site to the next.
Every request is recorded (`site.requests`) so tests can check what a crawler sent.
"""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_FIXED_MTIME = 1_767_225_600  # 2026-01-01T00:00:00Z: stable Last-Modified for unchanged files


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    status: int


@dataclass
class LocalSite:
    """A running server; use as a context manager or call close()."""

    root: Path
    server: ThreadingHTTPServer
    thread: threading.Thread
    requests: list[RecordedRequest] = field(default_factory=list)
    delay: float = 0.0  # seconds to wait before each answer: a slow site (progress lines, Ctrl-C mid-crawl)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> LocalSite:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _resolve(root: Path, url_path: str) -> Path | None:
    """Map a URL path to a file under root (never outside it)."""
    relative = unquote(urlsplit(url_path).path).lstrip("/")
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    if not candidate.is_file():
        # Extension-less release URLs (/information/press/2026/07/2026073101) map to NAME.html.
        with_html = candidate.with_name(candidate.name + ".html")
        candidate = with_html if with_html.is_file() else candidate
    return candidate if candidate.is_file() else None


def _sidecar_headers(path: Path) -> dict[str, str]:
    sidecar = path.with_name(path.name + ".headers")
    headers: dict[str, str] = {}
    if sidecar.is_file():
        for line in sidecar.read_text(encoding="utf-8").splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip():
                headers[name.strip()] = value.strip()
    return headers


def _not_modified(request: Mapping[str, str], etag: str, last_modified: str) -> bool:
    """If-None-Match decides when the client sent one (RFC 9110 13.2.2), else If-Modified-Since does."""
    if_none_match = request.get("If-None-Match")
    if if_none_match is not None:
        return bool(etag) and if_none_match == etag
    since = request.get("If-Modified-Since")
    if not since or not last_modified:
        return False
    try:
        return email.utils.parsedate_to_datetime(last_modified) <= email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def served_file(root: Path, url_path: str) -> tuple[int, bytes, dict[str, str]] | None:
    """What the site answers for url_path: (status, body, headers: Content-Type, ETag, Last-Modified and the
    file's sidecar headers); None when no file is there. Tests build in-process spider responses from it."""
    path = _resolve(root, url_path)
    if path is None or path.name.endswith(".headers"):
        return None
    body = path.read_bytes()
    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
    last_modified = email.utils.formatdate(_FIXED_MTIME, usegmt=True)
    content_type = mimetypes.guess_type(path.name)[0] or "text/html"
    headers = {"Content-Type": content_type, "ETag": etag, "Last-Modified": last_modified}
    headers.update(_sidecar_headers(path))
    headers = {name: value for name, value in headers.items() if value}  # an empty sidecar value removes
    status = int(headers.pop("Status", 200))
    return status, body, headers


def _make_handler(site_ref: list[LocalSite]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            return  # keep test and demo output clean; requests are recorded instead

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            site = site_ref[0]
            site.requests.append(RecordedRequest(self.command, self.path, dict(self.headers.items()), status))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            site = site_ref[0]
            if site.delay > 0:
                time.sleep(site.delay)
            served = served_file(site.root, self.path)
            if served is None:
                self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", {"Content-Type": "text/html"})
                return
            status, body, headers = served
            if status != 200:
                self._send(status, body, headers)
                return
            # A sidecar's validators are believed, as a CMS's fixed stamps would be.
            etag, last_modified = headers.get("ETag", ""), headers.get("Last-Modified", "")
            if _not_modified(self.headers, etag, last_modified):
                validators = {"ETag": etag, "Last-Modified": last_modified}
                self._send(304, b"", {name: value for name, value in validators.items() if value})
                return
            self._send(200, body, headers)

    return Handler


def serve_directory(root: Path, host: str = "127.0.0.1", port: int = 0, delay: float = 0.0) -> LocalSite:
    """Start serving root on host:port (0 = a free port) in a background thread, each answer after delay seconds."""
    site_ref: list[LocalSite] = []
    server = ThreadingHTTPServer((host, port), _make_handler(site_ref))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"localsite:{root.name}", daemon=True)
    site = LocalSite(root=Path(root), server=server, thread=thread, delay=delay)
    site_ref.append(site)
    thread.start()
    return site
