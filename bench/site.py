"""A generated press-release site and watch list for the benchmarks: deterministic, realistic in size and encoding.

The site looks like a government bureau's press room: paginated list pages (`/press/index.html`,
`/press/index-2.html`, … with a `rel="next"` link), each listing dated releases, and release pages of about 14 KB
with a header, navigation, a side menu and a footer around the main text. 30% of the releases are Shift_JIS (CP932
bytes, declared only in `<meta charset>`, as many Japanese servers do), the rest UTF-8. The text mentions watched
officials and vendors, yen amounts and 和暦 dates, so the full pipeline has real work to do.

    .venv/bin/python bench/site.py OUT_DIR --pages 1000      # writes the site, prints a one-line summary
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nlp.watchlist import WatchEntry  # noqa: E402

PER_LIST_PAGE = 100
SJIS_SHARE = 0.3
TARGET_BYTES = 14_000
FOLLOW = "ul.press-list a.release"
NEXT = "a.next"

FAMILIES = (
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 "
    "木村 林 斎藤 清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 "
    "藤田 後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 "
    "原田 松田 竹内 中川 小野 田村 河野 和田 石田 森田 上田 原 柴田 酒井 工藤 横山 宮崎 "
    "宮本 内田 高木 安藤 島田 谷口 大野 高田 丸山 今井 河合 藤本 村田 武田 上野 杉山 増田 "
    "小山 大塚 平野 菅原 久保 松井 千葉 岩崎 桜井 木下 野口 松尾 菊地 野村 新井 渡部 宮坂 "
    "小池 猪瀬 舛添 石原"
).split()
GIVENS = (
    "学 一郎 花子 健一 誠 直樹 浩 隆 修 明美 恵子 裕子 真由美 翔太 大輔 拓也 亮 達也 "
    "健太 和也 由美子 洋子 智子 久美子 幸子 美穂 愛 陽子 正人 秀樹 博 茂 清 進 勇 実 豊 "
    "稔 聡 剛 淳 徹 悟 敏 晃 恵美 千尋 彩 舞 優子 真一 康弘 雅之 孝 弘 勝 昇 光 和夫 "
    "正 百合子 直子 典子 美紀 由紀 京子"
).split()
TITLES = ("副知事", "知事", "局長", "部長", "課長", "区長", "市長", "理事", "委員長", "本部長")
KANA = (
    "ア イ ウ エ オ カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ヌ ネ ノ "
    "ハ ヒ フ ヘ ホ マ ミ ム メ モ ヤ ユ ヨ ラ リ ル レ ロ ワ ガ ギ グ ゲ ゴ ザ "
    "ジ ズ ゼ ゾ ダ デ ド バ ビ ブ ベ ボ パ ピ プ ペ ポ"
).split()
KANJI_STEMS = (
    "東都 日本 大和 関東 首都 中央 新宿 丸の内 東洋 国際 総合 未来 第一 共栄 明和 昭和 "
    "平成 三光 富士 朝日 北斗 光陽 大東 湾岸 武蔵 相模 常盤 桜台 青葉 若葉"
).split()
KANJI_TAILS = (
    "システムズ 情報技術 電算 通信 建設 工業 商事 総研 データ "
    "ネットワーク 設備 物産 エンジニアリング 情報サービス"
).split()
LEGAL = ("株式会社", "有限会社", "合同会社")
TOPICS = (
    "ワクチン接種予約システムの構築", "都税システムの改修", "庁内ネットワークの更新", "防災情報システムの運用保守",
    "区立小学校の改築工事", "道路照明のLED化", "河川護岸の補修工事", "窓口業務の委託", "データ連携基盤の整備",
    "公園施設の維持管理", "上下水道料金システムの更改", "デジタル人材育成研修の実施", "オープンデータサイトの運営",
    "観光案内サイトの多言語化", "電子入札システムの保守",
)
FILLER = (
    "本事業は、都民サービスの向上と業務の効率化を目的として実施するものです。",
    "詳細については、別添資料をご覧ください。なお、資料の内容は変更される場合があります。",
    "契約の相手方は、一般競争入札の結果、最も低い価格を提示した事業者に決定しました。",
    "選定にあたっては、外部有識者を含む評価委員会において提案内容を審査しました。",
    "本件に関するお問い合わせは、下記の担当までお願いいたします。",
    "今後も、関係機関と連携しながら、安全で安心なまちづくりを推進してまいります。",
    "事業の実施状況については、ホームページで随時お知らせします。",
    "なお、本件は令和６年度予算に計上された事業の一部です。",
    "ＩＴ企業出身の人材を積極的に登用し、行政のデジタル化を進めています。",
    "説明会は、新宿区西新宿二丁目の都庁第一本庁舎で開催します。",
)
CP932_ONLY = "①②③㈱髙﨑"  # characters Shift_JIS proper lacks: a CP932 decoder is required


@dataclass(frozen=True)
class SiteInfo:
    root: Path
    pages: int
    list_pages: int
    sjis_pages: int
    bytes: int

    @property
    def start_path(self) -> str:
        return "/press/index.html"


def watch_entries(count: int, seed: int = 7) -> list[WatchEntry]:
    """`count` distinct watch entries: one third officials (family name + titles), two thirds vendors.

    Deterministic for a seed, so the site's text and the watch list agree on who is watched.
    """
    rng = random.Random(seed)
    entries: list[WatchEntry] = []
    names: set[str] = set()
    people = count // 3
    while len(entries) < people:
        family = rng.choice(FAMILIES)
        given = rng.choice(GIVENS)
        if len(names) > len(FAMILIES) * len(GIVENS) * 0.6:  # beyond the common combinations: rarer readings
            given = given + rng.choice(("介", "太", "之", "美", "彦", "郎"))
        name = family + given
        if name in names:
            continue
        names.add(name)
        titles = tuple(sorted(set(rng.sample(TITLES, 2))))
        entries.append(WatchEntry(name=name, kind="official", family=family, titles=titles))
    while len(entries) < count:
        if rng.random() < 0.5:
            stem = "".join(rng.choice(KANA) for _ in range(rng.randint(3, 6)))
        else:
            stem = rng.choice(KANJI_STEMS) + rng.choice(KANJI_TAILS)
            if stem in names:
                stem = stem + "".join(rng.choice(KANA) for _ in range(rng.randint(2, 4)))
        if stem in names:
            continue
        names.add(stem)
        entries.append(WatchEntry(name=stem, kind="vendor"))
    return entries


def watch_toml(entries: list[WatchEntry]) -> str:
    """The entries as `[[watch]]` tables of an ometsuke.toml."""
    out = []
    for e in entries:
        out.append("[[watch]]")
        out.append(f"name = {json.dumps(e.name, ensure_ascii=False)}")
        out.append(f'kind = "{e.kind}"')
        if e.family:
            out.append(f"family = {json.dumps(e.family, ensure_ascii=False)}")
        if e.titles:
            out.append(f"titles = {json.dumps(list(e.titles), ensure_ascii=False)}")
    return "\n".join(out) + "\n"


def _reiwa(day: dt.date) -> str:
    year = day.year - 2018
    return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"


def _amount(rng: random.Random) -> str:
    yen = rng.randint(100_000, 900_000_000)
    style = rng.random()
    if style < 0.5:
        return f"{yen:,}円"
    if style < 0.8:
        return f"{yen // 10_000:,}万円"
    return f"金{yen:,}円（税込）"


def _paragraph(
    rng: random.Random, officials: list[WatchEntry], vendors: list[WatchEntry], day: dt.date, lead: bool
) -> str:
    """One paragraph of release text. The lead paragraph names the vendor and the amount, as a contract release
    does; later ones are mostly routine prose with an occasional official, amount or company."""
    official = rng.choice(officials)
    vendor = rng.choice(vendors)
    unknown = f"{rng.choice(KANJI_STEMS)}{rng.choice(KANJI_TAILS)}{rng.choice(KANA)}{rng.choice(KANA)}"
    notable = [
        f"{_reiwa(day)}、東京都は{rng.choice(TOPICS)}について、{rng.choice(LEGAL)}{vendor.name}と契約を締結しました。",
        f"契約金額は{_amount(rng)}で、履行期間は{_reiwa(day + dt.timedelta(days=rng.randint(30, 400)))}までです。",
        f"本件は{official.family}{official.titles[0]}が所管し、{unknown}株式会社も協力事業者として参加します。",
        f"{official.name}{rng.choice(official.titles)}は記者会見で「着実に進めたい」と述べました。",
    ]
    if lead:
        picked = notable[:2] + rng.sample(FILLER, 2)
    else:
        picked = rng.sample(FILLER, rng.randint(3, 5))
        if rng.random() < 0.3:
            picked.insert(rng.randrange(len(picked)), rng.choice(notable[1:]))
    return "".join(picked)


HEADER = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="{charset}"><title>{title}｜東京都ベンチ局</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/css/common.css"><link rel="stylesheet" href="/css/press.css"></head>
<body><div id="tmp_wrapper"><header id="tmp_header"><p class="logo"><a href="/">東京都ベンチ局</a></p>
<ul class="utility"><li><a href="/about.html">このサイトについて</a></li>
<li><a href="/sitemap.html">サイトマップ</a></li>
<li><a href="/english/">English</a></li><li><a href="/contact.html">お問い合わせ</a></li></ul>
<form action="/search" class="search"><input type="text" name="q" title="サイト内検索"><button>検索</button></form>
</header>
<nav id="tmp_gnavi"><ul><li><a href="/press/index.html">報道発表</a></li><li><a href="/bid/">入札・契約</a></li>
<li><a href="/policy/">政策・計画</a></li><li><a href="/data/">統計・オープンデータ</a></li>
<li><a href="/org/">組織案内</a></li><li><a href="/disaster/">防災情報</a></li></ul></nav>
<div id="tmp_pankuzu"><a href="/">ホーム</a> &gt; <a href="/press/index.html">報道発表</a> &gt; {title}</div>
"""
SIDE = """<aside id="tmp_lnavi"><h2>報道発表</h2><ul>{links}</ul>
<h2>関連リンク</h2><ul><li><a href="/bid/result.html">入札結果</a></li><li><a href="/bid/plan.html">発注予定</a></li>
<li><a href="/policy/dx.html">デジタル改革</a></li><li><a href="/org/chart.html">組織図</a></li></ul></aside>
"""
FOOTER = """<footer id="tmp_footer"><ul><li><a href="/privacy.html">個人情報の取り扱い</a></li>
<li><a href="/accessibility.html">ウェブアクセシビリティ方針</a></li>
<li><a href="/link.html">リンクについて</a></li></ul>
<address>東京都ベンチ局 〒163-8001 東京都新宿区西新宿二丁目8番1号 電話 03-5321-1111（代表）</address>
<p class="copyright">Copyright (C) Tokyo Bench Bureau. All rights reserved.</p></footer></div></body></html>
"""


def _release_page(
    index: int, day: dt.date, rng: random.Random, officials: list[WatchEntry], vendors: list[WatchEntry],
    charset: str,
) -> tuple[str, str]:
    """(title, html) of one release of about TARGET_BYTES in its encoding."""
    title = f"{rng.choice(TOPICS)}に係る契約の締結について（第{index}号）"
    months = "".join(
        f'<li><a href="/press/{day.year}/{m:02d}/">{day.year}年{m}月の報道発表</a></li>' for m in range(1, 13)
    )
    head = HEADER.format(charset=charset, title=title) + SIDE.format(links=months)
    main = [
        f'<main id="tmp_contents"><h1>{title}</h1><p class="date">{_reiwa(day)}</p>'
        '<p class="bureau">デジタルサービス局</p>'
    ]
    width = 3 if charset == "utf-8" else 2
    size = len(head.encode("utf-8")) + len(FOOTER)
    while size < TARGET_BYTES - 400:
        paragraph = f"<p>{_paragraph(rng, officials, vendors, day, lead=len(main) == 1)}</p>"
        if charset != "utf-8" and rng.random() < 0.3:
            venue = f"<p>会場は{CP932_ONLY[rng.randrange(3)]}号館です。</p>"
            paragraph = paragraph.replace("株式会社", "㈱", 1) + venue
        main.append(paragraph)
        size += len(paragraph) * width
    main.append('<h2>問い合わせ先</h2><p>デジタルサービス局 戦略部 電話 03-5388-2111</p>')
    main.append("</main>")
    return title, head + "\n".join(main) + FOOTER


def _list_page(number: int, total: int, entries: list[tuple[str, str, dt.date]]) -> str:
    items = "\n".join(
        f'<li><span class="date">{_reiwa(day)}</span> <a class="release" href="{href}">{title}</a></li>'
        for href, title, day in entries
    )
    nxt = f'<p class="pager"><a class="next" rel="next" href="/press/index-{number + 1}.html">次へ</a></p>' \
        if number < total else ""
    body = (f'<main id="tmp_contents"><h1>報道発表一覧（{number}/{total}ページ）</h1>'
            f'<ul class="press-list">\n{items}\n</ul>{nxt}</main>')
    return HEADER.format(charset="utf-8", title="報道発表一覧") + SIDE.format(links="") + body + FOOTER


def generate_site(root: Path, pages: int, watch: list[WatchEntry], seed: int = 11) -> SiteInfo:
    """Write `pages` releases and their paginated list pages under root (newest first, as press rooms list)."""
    rng = random.Random(seed)
    officials = [e for e in watch if e.kind == "official"] or [WatchEntry("宮坂学", "official", "宮坂", ("副知事",))]
    vendors = [e for e in watch if e.kind == "vendor"] or [WatchEntry("デジタルガレージ", "vendor")]
    root.mkdir(parents=True, exist_ok=True)
    (root / "press").mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /search\n", encoding="utf-8")
    first_day = dt.date(2026, 11, 1)
    listed: list[tuple[str, str, dt.date]] = []
    total_bytes = sjis = 0
    for index in range(pages):
        day = first_day - dt.timedelta(days=index // 8)
        shift_jis = rng.random() < SJIS_SHARE
        charset, encoding = ("Shift_JIS", "cp932") if shift_jis else ("utf-8", "utf-8")
        title, html = _release_page(pages - index, day, rng, officials, vendors, charset)
        relative = f"press/{day.year}/{day.month:02d}/{pages - index:06d}.html"
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = html.encode(encoding)
        path.write_bytes(data)
        total_bytes += len(data)
        sjis += shift_jis
        listed.append(("/" + relative, title, day))
    list_pages = max(1, -(-pages // PER_LIST_PAGE))
    for number in range(1, list_pages + 1):
        chunk = listed[(number - 1) * PER_LIST_PAGE: number * PER_LIST_PAGE]
        name = "index.html" if number == 1 else f"index-{number}.html"
        (root / "press" / name).write_text(_list_page(number, list_pages, chunk), encoding="utf-8")
    return SiteInfo(root=root, pages=pages, list_pages=list_pages, sjis_pages=sjis, bytes=total_bytes)


def release_texts(root: Path, limit: int | None = None) -> list[str]:
    """Decoded main text of the site's releases (for the tagging benchmark): the <p> paragraphs, one per line."""
    import re

    texts: list[str] = []
    for path in sorted((root / "press").glob("*/*/*.html")):
        data = path.read_bytes()
        html = data.decode("cp932") if b'charset="Shift_JIS"' in data[:200] else data.decode("utf-8")
        main = html[html.index('<main id="tmp_contents">'):html.index("</main>")]
        texts.append("\n".join(re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", main)))
        if limit and len(texts) >= limit:
            break
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args(argv)
    info = generate_site(args.out, args.pages, watch_entries(args.entries))
    print(json.dumps({"root": str(info.root), "pages": info.pages, "list_pages": info.list_pages,
                      "sjis_pages": info.sjis_pages, "mb": round(info.bytes / 1e6, 2)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
