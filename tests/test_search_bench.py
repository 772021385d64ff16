"""bench/search_scale.py must not rot: at a tiny size it runs end to end and its own answer checks pass.

No timing thresholds (a shared machine); the checks are that both searches give as many hits per query and that
every new hit is its document's newest matching version, inside the filters, newest first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_search_scale_runs_and_its_answers_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search_scale.py"), str(tmp_path), "--documents", "300",
         "--rounds", "1", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["problems"] == []
    assert report["documents"] == 310 and report["versions"] == 910  # 300 generated + 10 of the small source
    assert len(report["queries"]) == 20 and len(report["filters"]) == 8
    assert sum(1 for row in report["queries"].values() if row["hits"]) >= 15
    assert {row["hits"] for row in report["filters"] if "source-small" in row["query"]} == {10, 0}
    for key in ("before_median_ms", "after_median_ms", "median_ratio", "max_ratio"):
        assert report[key] > 0, key
