"""bench/registry_bench.py must not rot: at tiny size it runs end to end and reports every figure (no timing
thresholds: figures on a shared machine are noise; only counts and invariants are checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_registry_bench_runs_at_tiny_size() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "registry_bench.py"), "--tiny", "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["rows"] == report["imported"] == 2000 and report["bad"] == 0
    assert report["diff_rows"] > 0 and report["diff_written"] == 2 * report["diff_rows"]  # record + former name
    assert report["find_found_share"] == 1.0  # every sampled company is among its candidates
    for key in ("baseline_rows_per_s", "import_rows_per_s", "import_ratio", "import_cpu_ratio", "import_peak_rss_mb",
                "find_median_ms", "find_p95_ms"):
        assert isinstance(report[key], int | float) and report[key] > 0, key
    assert len(report["baseline_runs_rows_per_s"]) == 2
    # the re-keying after a version bump walks every stored key (records and former names) and changes them all
    assert report["rekey_rows"] == report["rekey_changed"] == 2000 + report["diff_rows"]
    for key in ("rekey_rows_per_s", "rekey_peak_rss_mb", "rekey_nationwide_min"):
        assert isinstance(report[key], int | float) and report[key] > 0, key
