"""`ometsuke serve`: a real Datasette on 127.0.0.1 with the canned queries answering over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from support.net import free_port
from test_digest_data import build

pytest.importorskip("datasette")


def get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("serve")
    db, _ = build(tmp_path)
    db.close()
    config = tmp_path / "ometsuke.toml"
    config.write_text('[database]\npath = "ometsuke.db"\n', encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([str(Path(sys.executable).parent / "ometsuke"), "serve", "--port", str(port),
                                "--config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get(base + "/-/versions.json")
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "datasette did not start"
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def query(base: str, name: str, **params: str) -> list[dict]:
    qs = urllib.parse.urlencode({**params, "_shape": "array"})
    return get(f"{base}/ometsuke/{name}.json?{qs}")


def test_canned_queries_answer(server: str) -> None:
    mentions = query(server, "mentions_of_entity", entity="宮坂学")
    assert {row["surface"] for row in mentions} == {"宮坂副知事"}
    assert {row["url"].rsplit("/", 1)[1] for row in mentions} == {"contract.html", "press.html"}
    pairs = query(server, "co_occurrences")
    assert [(row["official"], row["vendor"], row["documents"]) for row in pairs] == [("宮坂学", "デジタルガレージ", 1)]
    amounts = query(server, "amounts_by_vendor")
    assert [(row["vendor"], row["total_yen"]) for row in amounts] == [("デジタルガレージ", 16_506_875)]
    assert isinstance(query(server, "new_organizations_this_week"), list)


def test_tables_carry_descriptions(server: str) -> None:
    meta = get(server + "/-/metadata.json")
    tables = meta["databases"]["ometsuke"]["tables"]
    assert tables["mentions"]["columns"]["start"] == "Character offset into versions.body"
    assert tables["search_index"]["hidden"] is True
