"""Fixture sites for spider tests: copied to a temporary folder (so tests can add generated PDFs or change pages)
and served by the project's real local HTTP server."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


def copy_site(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target
