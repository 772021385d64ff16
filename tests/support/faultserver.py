"""A hostile newsroom on 127.0.0.1: the project's fault-injection HTTP server for crawl tests.

Every fault a government or corporate site has shown us is one path here, and the list page `/news/` links to all of
them, so a single `newsroom` crawl meets every fault: 500, 503 with Retry-After, a response that never comes, a slow
drip, a connection reset, a body shorter than its Content-Length, a redirect loop, a redirect to another host, an
8 MB page (with and without Content-Length), a gzip bomb, random bytes served as text/html, a PDF served as
text/html, an empty 200, a page and a next list page that are only an HTML comment, a Shift_JIS page that declares
UTF-8, malformed HTML, control characters in a page, a page robots.txt disallows, a link to another host, and a
title made of SQL and <script>. Good pages sit beside them so tests can check that nothing good is lost. A second
list, `/news/broken-link.html`, holds a link that is not a valid URL beside a good one.

"Another host" is the same server reached by another name: the site is `127.0.0.1`, the other host `localhost`.
Every request is recorded with its Host header, so a test can prove the crawler never asked the other host for
anything. `gated` paths are held until released (the first `gate_after` requests for them pass), which lets the
crash test kill a crawl that is surely mid-way without guessing at timings.
"""

from __future__ import annotations

import gzip
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from support.documents import japanese_pdf

HANG_SECONDS = 60.0  # a hung response ends when the server closes, or after this long at most
DRIP_INTERVAL = 0.5  # seconds between the bytes of the slow drip
BIG_PAGE_BYTES = 8 * 1024 * 1024
INJECTION_TITLE = '\'); drop table versions; -- <script>alert("x")</script>'

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="{charset}"><title>{title} | 障害試験市</title></head>
<body><nav><a href="/">トップ</a> <a href="/news/">報道発表</a></nav>
<div id="main"><h1>{title}</h1><p class="date">{date}</p>{body}</div>
<footer>障害試験市役所 〒100-0001</footer></body></html>"""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def page(title: str, body: str, date: str = "令和8年1月5日", charset: str = "utf-8") -> str:
    """A release page in the shape of the real ones (nav, heading, date, main text, footer)."""
    return PAGE.format(charset=charset, title=_escape(title), date=date, body=body)


@dataclass(frozen=True)
class Fault:
    """One entry of the hostile list page: its path, link title and what a crawler should make of it."""

    path: str
    title: str
    expect: str  # "stored" | "error" | "not requested"


# Good pages, and pages that look bad but carry real text, are "stored"; faults that leave nothing usable are
# "error"; pages the crawler must never fetch are "not requested".
FAULTS: tuple[Fault, ...] = (
    Fault("/news/good-1.html", "予算案の公表について", "stored"),
    Fault("/news/good-2.html", "入札結果の公表について", "stored"),
    Fault("/news/injection.html", INJECTION_TITLE, "stored"),
    Fault("/news/sjis-says-utf8.html", "文字コードを偽る発表", "stored"),
    Fault("/news/malformed.html", "壊れたHTMLの発表", "stored"),
    Fault("/news/control-chars.html", "制御文字を含む発表", "stored"),
    Fault("/news/pdf-as-html", "HTMLと称するPDFの発表", "stored"),
    Fault("/news/offsite-attachment.html", "別ホストの添付資料がある発表", "stored"),
    Fault("/news/unknown-charset.html", "存在しない文字コード名の発表", "stored"),
    Fault("/fault/500", "サーバーエラー", "error"),
    Fault("/fault/503", "メンテナンス中", "error"),
    Fault("/fault/404", "存在しない発表", "error"),
    Fault("/fault/hang", "応答しない発表", "error"),
    Fault("/fault/drip", "少しずつ届く発表", "error"),
    Fault("/fault/reset", "接続が切れる発表", "error"),
    Fault("/fault/truncated", "途中で切れる発表", "error"),
    Fault("/fault/loop", "転送が循環する発表", "error"),
    Fault("/fault/offsite-redirect", "他のホストへ転送する発表", "error"),
    Fault("/fault/big", "巨大な発表", "error"),
    Fault("/fault/big-chunked", "長さ不明の巨大な発表", "error"),
    Fault("/fault/random", "バイナリの発表", "error"),
    Fault("/fault/empty", "空の発表", "error"),
    Fault("/fault/comment-only", "コメントだけの発表", "error"),
    Fault("/fault/gzip-bomb", "圧縮爆弾の発表", "error"),
    Fault("/fault/bad-gzip", "壊れた圧縮の発表", "error"),
    Fault("/private/secret.html", "robots.txtで禁止された発表", "not requested"),
    Fault("OTHER/news/elsewhere.html", "他のホストの発表", "not requested"),
)


@dataclass
class FaultRequest:
    method: str
    host: str  # the Host header: "127.0.0.1:PORT" or "localhost:PORT"
    path: str
    at: float


@dataclass
class FaultServer:
    """A running fault server; use as a context manager or call close()."""

    server: ThreadingHTTPServer
    thread: threading.Thread
    requests: list[FaultRequest] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    gated: set[str] = field(default_factory=set)  # paths held until `release` is set…
    gate_after: int = 0  # …except the first gate_after requests for them, whichever paths the crawler picks first
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    passed_gate: int = 0
    extra_pages: dict[str, bytes] = field(default_factory=dict)  # path -> UTF-8 HTML served as 200
    robots_hang: bool = False  # robots.txt never answers (a crawler must time out and go on)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def other_url(self) -> str:
        """The same server under another host name: a crawler of `url` must never come here."""
        return f"http://localhost:{self.port}"

    def absolute(self, path: str) -> str:
        return path.replace("OTHER", self.other_url) if path.startswith("OTHER") else self.url + path

    def requested(self, path: str, host: str | None = None) -> list[FaultRequest]:
        """The requests made for path (on any host, or on the host named)."""
        return [r for r in self.requests if r.path == path and (host is None or r.host.split(":")[0] == host)]

    def hosts_seen(self) -> set[str]:
        return {r.host.split(":")[0] for r in self.requests}

    def let_through(self) -> bool:
        """Whether this request for a gated path is one of the first gate_after, served at once."""
        with self.lock:
            if self.passed_gate < self.gate_after:
                self.passed_gate += 1
                return True
            return False

    def close(self) -> None:
        self.stopping.set()
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def list_page(server: FaultServer) -> str:
    items = []
    for day, fault in enumerate(FAULTS, start=1):
        items.append(
            f'<li><span class="date">2026年1月{day}日</span> '
            f'<a class="release" href="{server.absolute(fault.path)}">{_escape(fault.title)}</a></li>'
        )
    for path in sorted(server.extra_pages):
        items.append(f'<li><span class="date">2026年2月1日</span> <a class="release" href="{path}">{path}</a></li>')
    listing = page("報道発表一覧", f"<ul>{''.join(items)}</ul>", date="")
    return listing.replace("</head>", f'<link rel="next" href="{MAINTENANCE_LIST}"></head>')


# The list's next page: a maintenance notice that is nothing but an HTML comment (lxml finds no document in it).
MAINTENANCE_LIST = "/news/page2.html"
COMMENT_ONLY = "<!-- メンテナンス中です -->".encode()


ROBOTS = "User-agent: *\nDisallow: /private/\n"

# What Word and Excel exports leave in pages: a vertical tab and other C0 controls, after elements an extractor drops.
CONTROL_CHARS = page(
    "制御文字を含む発表",
    "<script>var x;</script>\x0b本文に\x01制御文字\x1fがあります。<!-- c -->\x0b契約金額は3,000円です。",
    charset="Shift_JIS",
)
# 20 MB of spaces inside a page, gzip-compressed to about 20 KB: the size limit must apply to what it unpacks to.
GZIP_BOMB = gzip.compress(page("圧縮爆弾", "<p>" + " " * 20_000_000 + "</p>").encode("utf-8"), compresslevel=9)
SJIS_BODY = "<p>㈱髙島屋が①号館で説明会を開きます。契約金額は1,234,000円です。</p>"
MALFORMED = (
    "<html><head><title>壊れたHTMLの発表</title><body><div id=main><h1>壊れたHTMLの発表"
    "<p>閉じていない段落<p>入れ子が<b>崩れた<i>強調</b>の文</i><table><tr><td>表の中<div>区画</table>"
    "<p>本文は最後まで読めます。<!-- 閉じないコメント"
)


def _make_handler(server_ref: list[FaultServer]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            return  # requests are recorded instead

        @property
        def fault_server(self) -> FaultServer:
            return server_ref[0]

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None,
            length: int | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

        def _html(self, text: str, status: int = 200, headers: dict[str, str] | None = None) -> None:
            self._send(status, text.encode("utf-8"), headers=headers)

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            server = self.fault_server
            path = urlsplit(self.path).path
            server.requests.append(FaultRequest("GET", self.headers.get("Host", ""), path, time.time()))
            if path in server.gated and not server.release.is_set() and not server.let_through():
                server.release.wait(HANG_SECONDS)
                if server.stopping.is_set():
                    return
            try:
                self._route(path)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the crawler gave up on us (timeout, size limit): fine

        def _route(self, path: str) -> None:
            server = self.fault_server
            if path == "/robots.txt" and server.robots_hang:
                server.stopping.wait(HANG_SECONDS)
                self.close_connection = True
            elif path == "/robots.txt":
                self._send(200, ROBOTS.encode(), "text/plain")
            elif path in ("/news/", "/news/index.html"):
                self._html(list_page(server))
            elif path == MAINTENANCE_LIST or path == "/fault/comment-only":
                self._send(200, COMMENT_ONLY)
            elif path in server.extra_pages:
                self._send(200, server.extra_pages[path])
            elif path.startswith("/news/good-"):
                number = path.rsplit("-", 1)[1].split(".")[0]
                text = f"<p>第{number}号の発表です。契約金額は{number}00,000円です。</p>"
                self._html(page(f"お知らせ{number}", text))
            elif path == "/news/injection.html":
                self._html(page(INJECTION_TITLE, f"<p>{_escape(INJECTION_TITLE)}という題の発表です。</p>"))
            elif path == "/news/sjis-says-utf8.html":
                body = page("文字コードを偽る発表", SJIS_BODY, charset="utf-8").encode("cp932")
                self._send(200, body, "text/html; charset=utf-8")
            elif path == "/news/control-chars.html":
                self._send(200, CONTROL_CHARS.encode("cp932"), "text/html; charset=Shift_JIS")
            elif path == "/news/offsite-attachment.html":
                annex = f'<a href="{server.other_url}/files/annex.pdf">別紙（PDF：12KB）</a>'
                own = '<a href="/files/own.pdf">自ホストの別紙（PDF：10KB）</a>'
                body = f"<p>詳細は別紙をご覧ください。</p><p>{annex}</p><p>{own}</p>"
                self._html(page("別ホストの添付資料がある発表", body))
            elif path in ("/files/annex.pdf", "/files/own.pdf"):
                self._send(200, japanese_pdf(["添付資料の本文です。"]), "application/pdf")
            elif path == "/news/pdf-as-html":
                self._send(200, japanese_pdf(["PDFなのにHTMLと名乗る資料", "契約金額は4,500,000円です。"]))
            elif path == "/fault/bad-gzip":
                self._send(200, b"\x1f\x8b\x08\x00" + b"not really gzip" * 50, headers={"Content-Encoding": "gzip"})
            elif path == "/news/unknown-charset.html":
                body = page("存在しない文字コード名の発表", SJIS_BODY, charset="x-sjis-unknown").encode("cp932")
                self._send(200, body, "text/html; charset=x-sjis-unknown")
            elif path == "/fault/gzip-bomb":
                self._send(200, GZIP_BOMB, headers={"Content-Encoding": "gzip"})
            elif path == "/news/broken-link.html":
                links = (
                    '<a class="release" href="http://[broken/x">壊れたリンク</a> '
                    '<a class="release" href="/news/good-2.html">正常</a>'
                )
                self._html(page("壊れたリンクのある一覧", f"<p><span>2026年1月2日</span> {links}</p>"))
            elif path == "/news/malformed.html":
                self._send(200, MALFORMED.encode("utf-8"))
            elif path == "/news/elsewhere.html" or path == "/private/secret.html":
                self._html(page("見られてはいけない頁", "<p>ここは取得されてはいけません。</p>"))
            elif path == "/fault/500":
                self._html(page("Internal Server Error", "<p>エラー</p>"), status=500)
            elif path == "/fault/503":
                self._html(
                    page("Service Unavailable", "<p>メンテナンス中</p>"), status=503, headers={"Retry-After": "1"}
                )
            elif path == "/fault/hang":
                server.stopping.wait(HANG_SECONDS)  # headers never come
                self.close_connection = True
            elif path == "/fault/drip":
                self._drip()
            elif path == "/fault/reset":
                self._reset()
            elif path == "/fault/truncated":
                body = page("途中で切れる発表", "<p>" + "本文" * 500 + "</p>").encode("utf-8")
                self._send(200, body[:200], length=len(body))
                self.close_connection = True
            elif path in ("/fault/loop", "/fault/loop-2"):
                target = "/fault/loop-2" if path == "/fault/loop" else "/fault/loop"
                self._send(302, b"", headers={"Location": target})
            elif path == "/fault/offsite-redirect":
                self._send(302, b"", headers={"Location": f"{server.other_url}/news/elsewhere.html"})
            elif path == "/fault/big":
                self._big(chunked=False)
            elif path == "/fault/big-chunked":
                self._big(chunked=True)
            elif path == "/fault/random":
                self._send(200, random.Random(7).randbytes(64 * 1024))
            elif path == "/fault/empty":
                self._send(200, b"")
            else:
                self._html(page("Not Found", "<p>見つかりません</p>"), status=404)

        def _drip(self) -> None:
            """A valid page sent one byte at a time: it would take minutes, so a crawler must time out."""
            body = page("少しずつ届く発表", "<p>" + "遅い" * 200 + "</p>").encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            for byte in body:
                if self.fault_server.stopping.wait(DRIP_INTERVAL):
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            self.close_connection = True

        def _reset(self) -> None:
            """Close with RST (SO_LINGER 0) after half the headers: what a crashing proxy does."""
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/ht")
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def _big(self, chunked: bool) -> None:
            """An 8 MB page of real text: with Content-Length, or chunked so the size is known only by reading."""
            paragraph = ("<p>" + "巨大な頁の本文です。" * 100 + "</p>\n").encode("utf-8")
            head = page("巨大な発表", "").encode("utf-8").split(b"</div>")[0]
            count = BIG_PAGE_BYTES // len(paragraph) + 1
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(head) + count * len(paragraph)))
            self.end_headers()
            chunks = [head] + [paragraph] * count
            for chunk in chunks:
                if self.fault_server.stopping.is_set():
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.close_connection = True

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        return  # resets and abandoned connections are the point of this server


def serve_faults(
    gated: set[str] | None = None,
    gate_after: int = 0,
    extra_pages: dict[str, bytes] | None = None,
    robots_hang: bool = False,
) -> FaultServer:
    """Start the fault server on a free port of 127.0.0.1 in a background thread.

    gated paths are held until `server.release` is set, except the first gate_after requests for them.
    """
    server_ref: list[FaultServer] = []
    httpd = _Server(("127.0.0.1", 0), _make_handler(server_ref))
    thread = threading.Thread(target=httpd.serve_forever, name="faultserver", daemon=True)
    server = FaultServer(
        server=httpd, thread=thread, gated=set(gated or ()), gate_after=gate_after,
        extra_pages=dict(extra_pages or {}), robots_hang=robots_hang,
    )  # fmt: skip
    server_ref.append(server)
    thread.start()
    return server
