"""Tagger throughput against plain SudachiPy (mode C, line by line) on the same text, in the same run.

    .venv/bin/python bench/tagging_speed.py                    # 1,000 and 100,000 watch entries
    .venv/bin/python bench/tagging_speed.py --entries 1000     # one size only
    .venv/bin/python bench/tagging_speed.py --stages           # also CPU seconds per stage of tag()

Text: documents of about 3,000 characters, paragraphs of 3-4 sentences per line. "dense" uses only the
labelled corpus (bench/corpus/gold.jsonl), where nearly every sentence holds an entity, an amount or a
company: a worst case for the tagger, which runs Sudachi only around candidates. "press" puts each corpus
sentence among five sentences of neutral release prose (bench/corpus/filler.txt), closer to real pages.
Watch lists: the corpus's 24 entries plus generated persons and companies with kanji and katakana names
(fixed seed). Each run tags the documents --copies times (longer runs, steadier timings). Best CPU time of
--repeat runs, Sudachi and tagger alternating. The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import Tagger  # noqa: E402
from nlp.sudachi import dictionary  # noqa: E402
from nlp.watchlist import WatchEntry, load_watch_csv  # noqa: E402

CORPUS = ROOT / "bench" / "corpus"
# Common kanji (a slice of the jōyō list) for family names and company names, so that the automaton sees
# what real lists give it: thousands of distinct first characters.
COMMON_KANJI = (
    "一丁七万丈三上下不与且世丘両並中丸主久乗九乱乳亀了予争事二互五井亜亡交京人仁今介仏仕他付代令以仮仰仲件任"
    "企伊伏休会伝伯伴伸似但位低住佐体何余作佳併使例供依価侵便係保信修俳俵倉個倍倒候借値倫倹偉偏停健側偶偽傍"
    "備催傷傾働像僚僧儀億儒償優元兄充兆先光克免児党入全八公六共兵具典兼内円冊再冒冗写冠冬冷准凍凝凡処凶出"
    "刀刃分切刈刊刑列初判別利到制刷券刺刻則削前剖剛剣剤副剰割創劇力功加劣助努励労効劾勅勇勉動勘務勝募勢勤"
    "勧勲包化北匠匹区医匿十千升午半卑卒卓協南単博占印危即却卵厚原厳去参又及友双反収取受叙口古句叫召可台史"
    "右号司各合吉同名后吏吐向君吟否含吸吹呈呉告周味呼命和咲哀品員哲唆唇唐唯唱商問啓善喚喜喝喪喫営嗣嘆器噴"
    "囚四回因団困囲図固国圏園土圧在地坂均坊坑坪垂型垣埋城域執培基堀堂堅堕堤堪報場塀塁塊塑塔塗塚塩塾境墓増"
    "墜墨墳墾壁壇壊壌士壮声壱売変夏夕外多夜夢大天太夫央失奇奈奉奏契奔奥奨奪奮女奴好如妃妄妊妙妥妨妹妻姉始"
    "姓委姫姻姿威娘娠娯婆婚婦婿媒嫁嫌嫡嬢子孔字存孝季孤学孫宅宇守安完宗官宙定宜宝実客宣室宮宰害宴宵家容宿"
    "寂寄密富寒寛寝察寡寧審寮寸寺対寿封専射将尊尋導小少尚就尺尼尽尾尿局居屈届屋展属層履屯山岐岩岬岳岸峠峡"
    "峰島崇崎崩川州巡巣工左巧巨差己巻市布帆希帝帥師席帯帰帳常帽幅幕幣干平年幸幹幻幼幽幾庁広床序底店府度座"
    "庫庭庶康庸廃廉廊延廷建弁弊式弐弓弔引弘弟弦弧弱張強弾当形彩彫彰影役彼往征径待律後徐徒従得御復循微徳徴"
)
SURNAME_KANJI = (
    "安井伊上宇江岡河木北久熊栗黒小坂崎桜沢志島清杉須関瀬曽高竹谷玉千塚辻土堤"
    "豊長西根野萩橋畑浜原平広福藤舟堀本前松丸水溝宮村森八柳山湯横吉米若和"
)
GIVEN = "昭彦和夫雄一郎二三子美恵奈真由理香健太翔大輔陽菜結衣蓮悠斗誠学浩司博之"
KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
KANA_SUFFIXES = ("システム", "テクノ", "ソリューションズ", "ネット", "データ", "")
KANJI_SUFFIXES = ("工業", "商事", "建設", "電機", "製作所", "情報", "通信", "物産", "産業", "興産")
TITLES = ("部長", "課長", "局長", "議員", "理事", "市長", "区長", "委員長")


def generated_entries(count: int, seed: int = 7) -> list[WatchEntry]:
    """Fictitious persons (1 in 5) and companies: kanji names with a trade suffix (1 in 2) or katakana ones."""
    rng = random.Random(seed)
    entries: list[WatchEntry] = []
    names: set[str] = set()
    while len(entries) < count:
        roll = rng.random()
        if roll < 0.2:
            family = "".join(rng.choice(SURNAME_KANJI) for _ in range(2))
            name = family + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            entry = WatchEntry(name, "official", family, (rng.choice(TITLES),))
        elif roll < 0.6:
            name = "".join(rng.choice(COMMON_KANJI) for _ in range(rng.randint(2, 3))) + rng.choice(KANJI_SUFFIXES)
            entry = WatchEntry(name, "vendor")
        else:
            stem = "".join(rng.choice(KATAKANA) for _ in range(rng.randint(3, 6)))
            name = stem + rng.choice(KANA_SUFFIXES)
            entry = WatchEntry(name, "vendor", aliases=(stem.lower() + " corp",) if rng.random() < 0.2 else ())
        if name not in names:
            names.add(name)
            entries.append(entry)
    return entries


def documents(kind: str, size: int = 3000) -> list[str]:
    """~3,000-character documents of paragraphs (3-4 sentences per line, as extracted page bodies are)."""
    records = [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    labelled = [r["text"] for r in records]
    filler = [line for line in (CORPUS / "filler.txt").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")]
    rng = random.Random(1)
    if kind == "dense":
        sentences = labelled * 3
    else:
        sentences = []
        for sentence in labelled:
            sentences.append(sentence)
            sentences.extend(rng.choice(filler) for _ in range(5))
    rng.shuffle(sentences)
    docs: list[str] = []
    paragraphs: list[str] = []
    length = 0
    while sentences:
        count = rng.randint(3, 4)
        paragraph = "".join(s if s.endswith(("。", "）", "」")) else s + "。" for s in sentences[:count])
        del sentences[:count]
        paragraphs.append(paragraph)
        length += len(paragraph)
        if length >= size or not sentences:
            docs.append("\n".join(paragraphs))
            paragraphs, length = [], 0
    return docs


def best_of_interleaved(repeat: int, first, second) -> tuple[float, float]:
    """Best CPU times of two functions run alternately.

    CPU time of this process (time.process_time), not wall time: on a shared machine wall time mostly
    measures how long the other processes held the cores. Alternating spreads what remains (cache and
    memory-bus contention) over both alike.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, bucket in ((first, times[0]), (second, times[1])):
            start = time.process_time()
            function()
            bucket.append(time.process_time() - start)
    return min(times[0]), min(times[1])


def stage_seconds(tagger: Tagger, docs: list[str], repeat: int) -> dict[str, float]:
    """Best CPU seconds of each stage of Tagger.tag over docs (the same calls tag() makes, timed one by one).

    A profile without a profiler's overhead: where the tagger's time goes, for the closing note of a change.
    """
    from nlp.amounts import find_amounts
    from nlp.normalize import normalize_text
    from nlp.organizations import find_organizations
    from nlp.sentences import Sentences
    from nlp.tagger import _Boundaries
    from textutil.dates import find_dates

    clock = time.process_time
    best: dict[str, float] = {}
    for _ in range(repeat):
        spent = dict.fromkeys(("normalize_fold", "mentions", "organizations", "resolve", "amounts", "dates"), 0.0)
        for text in docs:
            sentences = Sentences(text)
            boundaries = _Boundaries(text, sentences)
            t0 = clock()
            normalized = normalize_text(text)
            folded = normalized.folded()
            t1 = clock()
            mentions = tagger._find_mentions(text, sentences, boundaries, normalized)
            t2 = clock()
            organizations = find_organizations(text, folded=folded)
            t3 = clock()
            tagger._resolve_organizations(text, sentences, mentions, organizations)
            t4 = clock()
            find_amounts(text, folded=folded)
            t5 = clock()
            find_dates(text, folded=folded)
            t6 = clock()
            for name, seconds in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True):
                spent[name] += seconds
        for name, seconds in spent.items():
            best[name] = min(best.get(name, seconds), seconds)
    return {name: round(seconds, 4) for name, seconds in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, action="append", help="watch-list sizes (default 1000, 100000)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=5, help="how many times the documents are tagged per run")
    parser.add_argument("--stages", action="store_true", help="also the CPU seconds of each stage of tag()")
    args = parser.parse_args()
    sizes = args.entries or [1000, 100_000]

    base = load_watch_csv(CORPUS / "watch.csv")
    plain_tokenizer = dictionary().tokenizer()  # mode C, all fields: "plain SudachiPy"

    def sudachi(docs: list[str]) -> None:
        for doc in docs:
            for line in doc.splitlines():
                for _ in plain_tokenizer.tokenize(line):
                    pass

    report: dict[str, object] = {"repeat": args.repeat}
    for size in sizes:
        entries = base + generated_entries(size - len(base))
        start = time.perf_counter()
        tagger = Tagger(entries)
        build = time.perf_counter() - start  # wall time: what a user waits for
        row: dict[str, object] = {"build_seconds": round(build, 2)}
        for kind in ("dense", "press"):
            docs = documents(kind) * args.copies
            chars = sum(map(len, docs))
            sudachi_s, tagger_s = best_of_interleaved(
                args.repeat, lambda d=docs: sudachi(d), lambda d=docs, t=tagger: [t.tag(doc) for doc in d]
            )
            mentions = sum(len(tagger.tag(doc).mentions) for doc in docs)
            row[kind] = {
                "documents": len(docs), "chars": chars, "mentions": mentions,
                "sudachi_chars_per_s": round(chars / sudachi_s), "tagger_chars_per_s": round(chars / tagger_s),
                "speedup": round(sudachi_s / tagger_s, 2),
            }
            if args.stages:
                row[kind]["stage_seconds"] = stage_seconds(tagger, docs, args.repeat)  # type: ignore[index]
        report[f"entries_{size}"] = row
        print(f"{size} entries: {json.dumps(row, ensure_ascii=False)}", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
