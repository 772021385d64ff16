"""The benchmark's web server: Debian's nginx when installed (so the server is not what is measured), else
ometsuke's threaded stdlib server. Both answer conditional requests with 304 and both let the benchmark count
what was sent (status and body bytes per request), which is how `recrawl.bodies_downloaded` is measured.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format bench '$status $body_bytes_sent $request_uri';
    access_log {work}/access.log bench;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    types {{ text/html html; text/plain txt; }}
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        etag on;
        if_modified_since exact;
    }}
}}
"""


@dataclass
class Hit:
    status: int
    bytes: int
    path: str


@dataclass
class BenchServer:
    """A running server for one site root: `.url`, `.kind` ("nginx" or "threaded"), `.hits()`."""

    kind: str
    url: str
    root: Path
    _process: subprocess.Popen | None = None
    _work: Path | None = None
    _site: object | None = None
    _marks: list[int] = field(default_factory=list)

    def hits(self) -> list[Hit]:
        """Every request served so far, in order."""
        if self._site is not None:
            return [Hit(r.status, 0 if r.status == 304 or r.method == "HEAD" else 1, r.path)
                    for r in self._site.requests]  # type: ignore[attr-defined]
        assert self._work is not None
        found = []
        log = self._work / "access.log"
        if log.exists():
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                parts = line.split(" ", 2)
                if len(parts) == 3 and parts[0].isdigit():
                    found.append(Hit(int(parts[0]), int(parts[1]) if parts[1].isdigit() else 0, parts[2]))
        return found

    def close(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._site is not None:
            self._site.close()  # type: ignore[attr-defined]
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)

    def __enter__(self) -> BenchServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


def start_nginx(root: Path) -> BenchServer | None:
    """nginx on a free port serving root, or None when nginx is missing or will not start."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        return None
    work = Path(tempfile.mkdtemp(prefix="ometsuke-nginx-"))
    port = _free_port()
    # As root, nginx's workers would drop to "nobody", who cannot read a private temporary folder.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, work=work, port=port, root=root.resolve()), encoding="utf-8")
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(work)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if not _wait_for(port, process):
        process.kill()
        process.wait()
        shutil.rmtree(work, ignore_errors=True)
        return None
    return BenchServer(kind="nginx", url=f"http://127.0.0.1:{port}", root=root, _process=process, _work=work)


def start_server(root: Path, prefer: str = "nginx") -> BenchServer:
    """nginx if available (and preferred), else ometsuke's threaded server."""
    if prefer == "nginx":
        server = start_nginx(root)
        if server is not None:
            return server
    from ometsuke.localsite import serve_directory

    site = serve_directory(root)
    return BenchServer(kind="threaded", url=site.url, root=root, _site=site)
