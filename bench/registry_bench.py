"""Registry import and look-up at scale, against a bare sqlite3 baseline in the same run.

    .venv/bin/python bench/registry_bench.py [--rows 1000000] [--tiny] [--json]

Generates a 全件-style ZIP of N rows in the official NTA format (30 columns, no header, CRLF, UTF-8; realistic
names with their legal form in front or behind, full-width letters and digits, valid check digits, 47
prefectures) and a 差分 ZIP renaming 1% of them. Then, each in its own process (peak RSS from wait4):
  baseline: the same ZIP member read with csv.reader and inserted by one executemany into a plain 30-column table;
  import:   `ometsuke registry import FILE --json` (streaming, keys, upserts, indexes), then the 差分 file.
Then `registry find` latency (ometsuke.registry.find) for sampled names written other ways (㈱X, X(株),
half-width, spaced, former names), with the share of look-ups whose company is among the candidates. Finally the
re-keying after a NAME_KEY_VERSION bump, worst case (every stored key stale: version 0 stamped, keys aged by
SQL): `registry find` in its own process re-keys the whole registry first; its rows/s (from its progress line),
the command's wall and CPU seconds, its peak RSS, and the minutes the nationwide 5.8 million rows would take.
Targets (issue 13): import ≥ 0.5× the baseline's rows/s; import peak RSS < 300 MB; find median ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textutil.corporate_number import check_digit  # noqa: E402

PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県",
    "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",
    "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県",
    "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県",
    "宮崎県", "鹿児島県", "沖縄県",
]
CITIES = ["中央区", "港区", "北区", "南区", "西区", "東区", "青葉区", "市川市", "松本市", "高崎市", "富士市", "大和市"]
STEMS = [
    "山田", "田中", "髙橋", "齋藤", "渡邊", "東京", "日本", "大和", "中央", "富士", "北海", "未来", "ミライ", "サクラ",
    "アオバ", "テクノ", "システム", "建設", "工業", "商事", "物産", "電機", "ソフト", "ネット", "データ", "総合",
    "エンジニアリング", "サービス", "不動産", "運輸", "食品", "製作所", "設計", "ＮＴＴ", "ＡＢＣ", "ＩＴ", "ジャパン",
    "グローバル", "アーバン", "ライフ", "メディカル", "ケア", "フーズ", "トラスト", "ホーム", "リース", "光", "緑",
    "青山", "丸", "松", "竹", "梅", "鈴木", "佐藤", "伊藤", "小林", "加藤", "吉田", "山本", "中村", "共栄", "協和",
    "三和", "昭和", "平成", "令和", "新生", "信和", "第一", "東洋", "西日本", "東日本", "関西", "九州", "北陸", "四国",
]
FORMS = [("株式会社", "301", 0.55), ("有限会社", "302", 0.2), ("合同会社", "305", 0.1), ("一般社団法人", "399", 0.05),
         ("特定非営利活動法人", "399", 0.05), ("医療法人社団", "399", 0.05)]
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def number(i: int) -> str:
    base = f"{(123_456_789 + i * 7_919) % 10**12:012d}"
    return f"{check_digit(base)}{base}"


def company(rng: random.Random) -> tuple[str, str, str]:
    """(name as registered, bare name, 法人種別)."""
    # Three or four stems of 80: about half a million distinct names for a million rows, so most names have one
    # to a few homonyms, as in the real registry (where a few, like 株式会社サンワ, have hundreds).
    bare = "".join(rng.choice(STEMS) for _ in range(rng.choice((3, 3, 3, 4))))
    roll, total = rng.random(), 0.0
    form, kind = FORMS[0][:2]
    for f, k, share in FORMS:
        total += share
        if roll < total:
            form, kind = f, k
            break
    name = f"{form}{bare}" if rng.random() < 0.6 else f"{bare}{form}"
    return name, bare, kind


def row(seq: int, num: str, process: str, updated: str, name: str, kind: str, rng: random.Random) -> str:
    pref_index = rng.randrange(47)
    street = f"{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号".translate(FULL_DIGITS)
    kana = "".join(rng.choice(KANA) for _ in range(rng.randint(3, 9))) if rng.random() < 0.5 else ""
    return (
        f'{seq},{num},{process},0,{updated},{updated},"{name}",,{kind},"{PREFECTURES[pref_index]}",'
        f'"{rng.choice(CITIES)}","{street}",,{pref_index + 1:02d},{rng.randint(100, 999)},'
        f'{rng.randint(1000000, 9999999)},,,,,,,2015-10-05,1,,,,,"{kana}",0\r\n'
    )


def generate(folder: Path, rows: int, seed: int = 13) -> tuple[Path, Path, list[tuple[str, str, str]], list]:
    """全件 ZIP, 差分 ZIP (1% renamed), a sample of (number, name, bare) and the renames (number, old, new)."""
    rng = random.Random(seed)
    sample: list[tuple[str, str, str]] = []
    renames: list[tuple[str, str, str]] = []
    names: dict[str, tuple[str, str]] = {}
    full, diff = folder / "00_zenkoku_all.zip", folder / "diff.zip"
    with zipfile.ZipFile(full, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("00_zenkoku_all.csv", "w") as member:
        chunk: list[str] = []
        for i in range(rows):
            num = number(i)
            name, bare, kind = company(rng)
            chunk.append(row(i + 1, num, "01", "2026-11-30", name, kind, rng))
            if rng.random() < 0.01:
                names[num] = (name, kind)
            if len(sample) < 400 and rng.random() < 0.001 + 400 / max(rows, 1):
                sample.append((num, name, bare))
            if len(chunk) >= 10_000:
                member.write("".join(chunk).encode("utf-8"))
                chunk = []
        member.write("".join(chunk).encode("utf-8"))
    with zipfile.ZipFile(diff, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("diff.csv", "w") as member:
        for seq, (num, (old, kind)) in enumerate(names.items(), start=1):
            new, _bare, _kind = company(rng)
            renames.append((num, old, new))
            member.write(row(seq, num, "11", "2026-12-01", new, kind, rng).encode("utf-8"))
    return full, diff, sample, renames


BASELINE = r'''
import csv, io, sqlite3, sys, time, zipfile
path, db_path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db_path)
conn.execute("pragma journal_mode = wal"); conn.execute("pragma synchronous = normal")
conn.execute("create table plain (" + ", ".join(f"c{i} text" for i in range(30)) + ")")
start = time.monotonic()
with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as binary:
    reader = csv.reader(io.TextIOWrapper(binary, encoding="utf-8", newline=""))
    with conn:
        conn.executemany("insert into plain values (" + ", ".join("?" * 30) + ")", reader)
rows = conn.execute("select count(*) from plain").fetchone()[0]
print(rows, time.monotonic() - start)
'''


def run_measured(command: list[str], cwd: Path, stderr: Path | None = None) -> tuple[str, float, float, float]:
    """stdout, wall seconds, CPU seconds (user + system) and peak RSS in MB of exactly this child (wait4); its
    stderr into the file `stderr` when given."""
    start = time.monotonic()
    with open(stderr, "w", encoding="utf-8") if stderr else open(os.devnull, "w") as errors:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=errors, text=True)
        out = process.stdout.read() if process.stdout else ""
        _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - start
    if process.returncode:
        raise SystemExit(f"{' '.join(command[:4])} exited {process.returncode}")
    return out, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


NATIONWIDE_ROWS = 5_800_000  # the 全件 file of every prefecture, for the re-keying's extrapolation


def age_keys(database: Path) -> int:
    """Make every stored key stale, as a NAME_KEY_VERSION bump that changes them all would (the worst case):
    version 0 and keys no name_key makes. Returns the rows the re-keying will walk."""
    with sqlite3.connect(database) as conn:
        conn.execute("update corporations set name_key = 'v0:' || name_key")
        conn.execute("update corporation_names set name_key = 'v0:' || name_key")
        conn.execute("update name_key_version set version = 0")
        rows = sum(conn.execute(f"select count(*) from {table}").fetchone()[0]
                   for table in ("corporations", "corporation_names"))
    conn.execute("pragma wal_checkpoint(truncate)")  # the re-keying starts from a checkpointed file
    conn.close()
    return rows


def variants(name: str, bare: str, rng: random.Random) -> str:
    """The name as a document might write it."""
    import unicodedata

    form = name.replace(bare, "")
    choice = rng.randrange(5)
    if choice == 0:
        return name
    if choice == 1:
        return ("㈱" + bare) if form == "株式会社" else (bare + form if name.startswith(form) else form + bare)
    if choice == 2:
        return unicodedata.normalize("NFKC", bare) + ("(株)" if form == "株式会社" else form)
    if choice == 3:
        return form + " " + bare.replace("髙", "高").replace("齋", "斎").replace("邊", "辺")
    return bare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tiny", action="store_true", help="2,000 rows: checks the bench runs (figures mean nothing)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = 2_000 if args.tiny else args.rows
    python = sys.executable
    ometsuke = [str(Path(python).with_name("ometsuke"))]
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as temporary:
        folder = Path(temporary)
        started = time.monotonic()
        full, diff, sample, renames = generate(folder, rows)
        generate_s = time.monotonic() - started
        # The baseline runs before and after the import and the two are averaged: on a shared machine the load
        # drifts. CPU time (user + system, from wait4) is reported beside wall time, as it drifts much less.
        baselines = []
        for run_number in (1, 2):
            if run_number == 2:
                (folder / "ometsuke.toml").write_text('[database]\npath = "registry.db"\n', encoding="utf-8")
                out, import_wall, import_cpu, import_rss = run_measured(
                    [*ometsuke, "registry", "import", str(full), "--json"], folder)
                totals = json.loads(out)
            (folder / "plain.db").unlink(missing_ok=True)
            out, wall, cpu, rss = run_measured([python, "-c", BASELINE, str(full), str(folder / "plain.db")], folder)
            baseline_rows, baseline_s = out.split()
            baselines.append((int(baseline_rows) / float(baseline_s), int(baseline_rows) / cpu, rss))
        baseline_rate = statistics.mean(b[0] for b in baselines)
        baseline_cpu_rate = statistics.mean(b[1] for b in baselines)
        baseline_rss = max(b[2] for b in baselines)
        import_rate = totals["rows"] / totals["seconds"]
        import_cpu_rate = totals["rows"] / import_cpu
        out, _diff_wall, _diff_cpu, diff_rss = run_measured([*ometsuke, "registry", "import", str(diff), "--json"],
                                                           folder)
        diff_totals = json.loads(out)

        from db import open_database
        from ometsuke.registry import find

        db = open_database(folder / "registry.db")
        rng = random.Random(5)
        queries = [(num, variants(name, bare, rng)) for num, name, bare in sample]
        queries += [(num, old) for num, old, _new in renames[:100]]
        find(db, "ウォームアップ")  # first call: compiles the key patterns
        times, found, candidates = [], 0, []
        for num, query in queries:
            start = time.perf_counter()
            result = find(db, query)
            times.append((time.perf_counter() - start) * 1000)
            found += any(c.corporate_number == num for c in result)
            candidates.append(len(result))
        db_mb = (folder / "registry.db").stat().st_size / 2**20
        db.close()
        rekeyed = age_keys(folder / "registry.db")
        out, rekey_wall, rekey_cpu, rekey_rss = run_measured(
            [*ometsuke, "registry", "find", "ＮＴＴデータ", "--json"], folder, stderr=folder / "rekey.log")
        rekey_log = (folder / "rekey.log").read_text(encoding="utf-8")
        rekey_changed = int(re.findall(r"([\d,]+) keys changed", rekey_log)[-1].replace(",", ""))
        rekey_rate = int(re.findall(r"of [\d,]+ rows \(([\d,]+) rows/s\)", rekey_log)[-1].replace(",", ""))
    report = {
        "rows": rows,
        "generate_s": round(generate_s, 1),
        "baseline_rows_per_s": round(baseline_rate),
        "baseline_runs_rows_per_s": [round(b[0]) for b in baselines],
        "baseline_peak_rss_mb": round(baseline_rss, 1),
        "import_rows_per_s": round(import_rate),
        "import_ratio": round(import_rate / baseline_rate, 3),
        "baseline_rows_per_cpu_s": round(baseline_cpu_rate),
        "import_rows_per_cpu_s": round(import_cpu_rate),
        "import_cpu_ratio": round(import_cpu_rate / baseline_cpu_rate, 3),
        "import_wall_s": round(import_wall, 1),
        "import_peak_rss_mb": round(import_rss, 1),
        "imported": totals["imported"], "bad": totals["bad"],
        "diff_rows": diff_totals["rows"], "diff_written": diff_totals["written"],
        "diff_peak_rss_mb": round(diff_rss, 1),
        "database_mb": round(db_mb, 1),
        "find_queries": len(queries),
        "find_median_ms": round(statistics.median(times), 3),
        "find_p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 3),
        "find_found_share": round(found / len(queries), 4),
        "find_median_candidates": statistics.median(candidates),
        "rekey_rows": rekeyed,
        "rekey_changed": rekey_changed,
        "rekey_rows_per_s": rekey_rate,
        "rekey_command_wall_s": round(rekey_wall, 1),
        "rekey_command_cpu_s": round(rekey_cpu, 1),
        "rekey_peak_rss_mb": round(rekey_rss, 1),
        "rekey_nationwide_min": round(NATIONWIDE_ROWS / rekey_rate / 60, 1),
        "targets": {"import_ratio": 0.5, "import_peak_rss_mb": 300, "find_median_ms": 5},
    }
    report["targets_met"] = (report["import_ratio"] >= 0.5 and report["import_peak_rss_mb"] < 300
                             and report["find_median_ms"] <= 5)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for key, value in report.items():
            print(f"{key:>26}: {value}")


if __name__ == "__main__":
    main()
