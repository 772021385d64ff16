"""Run one ometsuke spider for real (Scrapy, Twisted, HTTP) and collect its items as JSON lines.

Scrapy's reactor cannot restart inside one process, so tests call `run_spider(...)`, which runs this file in a
subprocess: `python spider_runner.py SPEC.json OUT.jsonl`. The project's pipelines (tagging, SQLite) are not used;
a collecting pipeline writes each PageItem as one JSON line. Settings are the project's (robots.txt obeyed,
AutoThrottle) with delays shortened for a server on 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


class CollectPipeline:
    """Writes every item the spider yields to the file named by the OMETSUKE_TEST_OUT setting."""

    def open_spider(self, spider: Any = None) -> None:
        from scrapy.utils.project import get_project_settings  # noqa: F401 - keeps import cost in the child

    def process_item(self, item: Any, spider: Any = None) -> Any:
        out = Path(self.out_path)
        with out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(dataclasses.asdict(item), ensure_ascii=False) + "\n")
        return item

    @classmethod
    def from_crawler(cls, crawler: Any) -> CollectPipeline:
        pipeline = cls()
        pipeline.out_path = crawler.settings.get("OMETSUKE_TEST_OUT")
        return pipeline


def run_spider(
    spider: str,
    source: dict[str, Any],
    known: list[dict[str, Any]] | None = None,
    tmp_path: Path | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 120,
) -> list[dict[str, Any]]:
    """Crawl in a subprocess and return the items (as dicts) in the order they were yielded."""
    import tempfile

    folder = Path(tmp_path or tempfile.mkdtemp(prefix="ometsuke-spider-"))
    spec = folder / f"spec-{source['name']}.json"
    out = folder / f"items-{source['name']}.jsonl"
    out.unlink(missing_ok=True)
    spec.write_text(
        json.dumps({"spider": spider, "source": source, "known": known or [], "settings": settings or {}}),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(Path(__file__)), str(spec), str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"spider run failed ({result.returncode}):\n{result.stderr[-4000:]}")
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def _main(spec_path: str, out_path: str) -> int:
    sys.path.insert(0, str(REPO))
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.setdict(
        {
            "ITEM_PIPELINES": {"tests.support.spider_runner.CollectPipeline": 100},
            "OMETSUKE_TEST_OUT": out_path,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "RANDOMIZE_DOWNLOAD_DELAY": False,
            "RETRY_ENABLED": False,
            "LOG_LEVEL": "WARNING",
            "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
            **spec["settings"],
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings, install_root_handler=True)
    spider_class = SpiderLoader.from_settings(settings).load(spec["spider"])
    process.crawl(spider_class, source=spec["source"], known=spec["known"], run_id=1)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1], sys.argv[2]))
