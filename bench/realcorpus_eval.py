"""Scores of the extractor on the labelled real corpus (issue 11), as JSON: one part at a time.

    .venv/bin/python bench/realcorpus_eval.py --part dev        # the development part (tuned on)
    .venv/bin/python bench/realcorpus_eval.py --part heldout    # the held-out part: measure once, at the end

Labels are tests/labels/*.json; pages are read from ../shared (or $OMETSUKE_SHARED). Totals: list_entries_right
(labelled sample entries found with the right date), list_counts_ok (lists whose entry count is within
tolerance), menu_links_taken (menu/ranking/paging links taken as entries), and for article pages titles_right,
dates_right, passages_found, menu_leaks. `--files` adds the per-file scores with what was missed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from support.realcorpus import SHARED, score_part, shared_present  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("dev", "heldout"), required=True)
    parser.add_argument("--files", action="store_true", help="also print every file's score and misses")
    args = parser.parse_args()
    if not shared_present():
        print(f"error: the real corpus is not at {SHARED} (set OMETSUKE_SHARED)", file=sys.stderr)
        return 1
    scores = score_part(args.part)
    print(json.dumps(scores if args.files else scores["totals"], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
