"""The local site server used by the demo and the crawl tests behaves like a modest real server."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ometsuke.localsite import serve_directory


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_validators_304_404_sidecars_and_snapshot_switch(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    (one / "press").mkdir(parents=True)
    (two / "press").mkdir(parents=True)
    (one / "press" / "1.html").write_bytes("宮坂".encode("cp932"))
    (one / "press" / "1.html.headers").write_text("Content-Type: text/html; charset=Shift_JIS\n")
    (two / "press" / "gone.html").write_text("x")
    (two / "press" / "gone.html.headers").write_text("Status: 410\n")
    with serve_directory(one) as site:
        status, headers, body = fetch(site.url + "/press/1")
        assert status == 200 and body.decode("cp932") == "宮坂"
        assert headers["Content-Type"] == "text/html; charset=Shift_JIS"
        status, _, body = fetch(site.url + "/press/1.html", {"If-None-Match": headers["ETag"]})
        assert status == 304 and body == b""
        assert site.requests[-1].headers["If-None-Match"] == headers["ETag"]
        assert fetch(site.url + "/../../etc/passwd")[0] == 404
        site.root = two
        assert fetch(site.url + "/press/1.html")[0] == 404
        assert fetch(site.url + "/press/gone.html")[0] == 410


@pytest.mark.parametrize("path", ["/press/1.html.headers", "/missing/"])
def test_sidecars_and_missing_folders_are_not_served(tmp_path: Path, path: str) -> None:
    (tmp_path / "press").mkdir()
    (tmp_path / "press" / "1.html").write_text("x")
    (tmp_path / "press" / "1.html.headers").write_text("X-A: b\n")
    with serve_directory(tmp_path) as site:
        assert fetch(site.url + path)[0] == 404
