"""The page spider: one table page watched as a whole document, fetched conditionally every crawl."""

from __future__ import annotations

import shutil

from support.sites import FIXTURES
from support.spider_runner import run_spider

from ometsuke.localsite import serve_directory


def _known(item: dict) -> dict:
    return {"url": item["url"], "etag": item["etag"], "last_modified": item["last_modified"],
            "published": item["published"], "first_seen_at": "2020-01-01T00:00:00+00:00",
            "last_checked_at": "2026-11-01T00:00:00+00:00", "removed_at": None}  # fmt: skip


def test_page_versions_follow_the_site_then_304_then_gone(tmp_path):
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    shutil.copytree(FIXTURES / "procurement_v1", v1)
    shutil.copytree(FIXTURES / "procurement_v2", v2)
    with serve_directory(v1) as site:
        source = {"name": "zuii", "spider": "page", "kind": "government", "urls": [site.url + "/keiyaku/zuii.html"]}
        (first,) = run_spider("page", source, tmp_path=tmp_path)
        assert first["status"] == "ok" and first["title"] == "随意契約の結果"
        assert "公用車管理システム導入業務 丸紅株式会社 3,300,000円" in first["body"]
        assert "ホーム" not in first["body"].split("\n")  # the nav menu is not content
        assert first["published"] == "2026-07-10"

        site.root = v2  # the page changed: old validators no longer match
        (second,) = run_spider("page", source, known=[_known(first)], tmp_path=tmp_path)
        assert second["status"] == "ok" and "株式会社デジタルガレージ 16,506,875円" in second["body"]
        assert second["etag"] != first["etag"] and second["published"] == "2026-07-24"

        # Old and checked recently, but `page` sources are checked on every crawl regardless of age.
        (third,) = run_spider("page", source, known=[_known(second)], tmp_path=tmp_path)
        assert third["status"] == "not_modified"
        assert site.requests[-1].headers["If-None-Match"] == second["etag"]

        (v2 / "keiyaku/zuii.html").unlink()
        (fourth,) = run_spider("page", source, known=[_known(second)], tmp_path=tmp_path)
        assert fourth["status"] == "gone" and fourth["http_status"] == 404
