"""Extraction CPU time of two checkouts over the bench site's generated release pages, in one process.

Machine load on a shared box moves timings by 10% and more between runs, so the old and the new code run in the
same process in interleaved rounds (load hits both alike), and the ratio is taken from the best round of each and
from the median of paired rounds. The baseline is any tree holding `scrapers/` and `nlp/`, e.g.

    mkdir /tmp/base && git archive main scrapers nlp | tar -x -C /tmp/base
    .venv/bin/python bench/extract_ab.py /tmp/base . --pages 300 --rounds 21

Extraction is what a crawl runs per detail page: the charset decision, one parse, `extract_tree(lists=False)`.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.site import generate_site, watch_entries  # noqa: E402


def _load(tree: Path) -> tuple[Callable, Callable, Callable]:
    """decode_bytes, parse_html and extract_tree of the checkout at `tree` (its own copies of the modules)."""
    for name in [m for m in sys.modules if m.split(".")[0] in ("scrapers", "nlp")]:
        del sys.modules[name]
    sys.path.insert(0, str(tree))
    try:
        decode = importlib.import_module("scrapers.extract.decode")
        html = importlib.import_module("scrapers.extract.html")
        page = importlib.import_module("scrapers.extract.page")
    finally:
        sys.path.remove(str(tree))
    return decode.decode_bytes, html.parse_html, page.extract_tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", type=Path, help="the baseline tree (holding scrapers/ and nlp/)")
    parser.add_argument("new", type=Path, help="the tree to compare with it")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args(argv)

    site = Path(tempfile.mkdtemp(prefix="ometsuke-extract-ab-"))
    generate_site(site, args.pages, watch_entries(200))
    pages = [(p.read_bytes(), f"http://127.0.0.1:8000/{p.relative_to(site)}")
             for p in sorted(site.rglob("*.html")) if not p.name.startswith("index")]  # fmt: skip
    sides = {"base": _load(args.base.resolve()), "new": _load(args.new.resolve())}
    texts = {side: [decode(data, "text/html").text for data, _ in pages] for side, (decode, _, _) in sides.items()}

    def one_round(side: str) -> float:
        _, parse, extract = sides[side]
        start = time.process_time()
        for text, (_, url) in zip(texts[side], pages, strict=True):
            extract(parse(text), url, lists=False)
        return time.process_time() - start

    rounds: dict[str, list[float]] = {"base": [], "new": []}
    for _ in range(args.rounds):
        for side in ("base", "new"):
            rounds[side].append(one_round(side))
    count = len(pages)
    paired = [new / base for new, base in zip(rounds["new"], rounds["base"], strict=True)]
    print(json.dumps({
        "pages": count,
        "base_ms_per_page": round(min(rounds["base"]) / count * 1000, 3),
        "new_ms_per_page": round(min(rounds["new"]) / count * 1000, 3),
        "ratio_best": round(min(rounds["new"]) / min(rounds["base"]), 3),
        "ratio_median_paired": round(statistics.median(paired), 3),
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
