"""The HTML digest in a real browser (headless Chromium): scraped markup never runs, the page renders at phone size.

Skipped when Debian's `chromium` is not installed (`apt-get install -y chromium`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_digest_data import DAY, build

from ometsuke.digest import build_digest, render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-extensions", "--window-size=390,1200"]  # an iPhone-sized viewport
HOSTILE = (
    "<script>document.body.dataset.pwned='script'</script>"
    "<img src=x onerror=\"document.body.dataset.pwned='img'\">"
)


def _page(tmp_path: Path) -> Path:
    db, _ = build(tmp_path)
    db.execute("update versions set title = ? where title = '古いお知らせ'", [HOSTILE + "古いお知らせ"])
    db.conn.commit()
    path = tmp_path / "digest.html"
    path.write_text(render(build_digest(db, DAY, language="en"), "html"), encoding="utf-8")
    return path


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120, check=True)


def test_scraped_script_and_event_handlers_never_run(tmp_path: Path) -> None:
    page = _page(tmp_path)
    dom = _chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", page.as_uri()).stdout
    assert "<h1>ometsuke digest 2026-11-27 (JST)</h1>" in dom  # the page did render
    assert "pwned" not in dom.split("<body")[1].split(">")[0]  # no data-pwned attribute was set on <body>
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;document.body.dataset.pwned" in dom  # shown as text instead


def test_screenshot_at_phone_width(tmp_path: Path) -> None:
    page = _page(tmp_path)
    shot = tmp_path / "digest.png"
    _chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width == 390
