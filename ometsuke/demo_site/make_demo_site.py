"""Writes the demo site's two snapshots. Run from this folder: `python make_demo_site.py` (output is committed)."""
import shutil
from pathlib import Path

root = Path(".")
for snap in ("snapshot1", "snapshot2"):
    shutil.rmtree(root / snap, ignore_errors=True)

GOV_HEAD = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="{charset}"><title>{title}｜架空都</title></head>
<body>
<header><a href="/gov/">架空都（デモ用の架空のサイトです）</a>
<nav><ul><li><a href="/gov/">トップページ</a></li><li><a href="/gov/press/index.html">報道発表</a></li><li><a href="/gov/about.html">都政情報</a></li></ul></nav></header>
<div class="breadcrumb">トップページ &gt; 報道発表 &gt; {title}</div>
<main id="main">
"""
GOV_FOOT = """</main>
<footer><p>架空都庁 〒163-8001 架空都新宿区西新宿二丁目8番1号</p><p>Copyright (C) Kaku Metropolitan Government (fictional demo)</p></footer>
</body></html>
"""

def gov_list(entries):
    items = "\n".join(
        f'<li class="press-item"><span class="date">{d}</span> <a class="press-link" href="{u}">{t}</a></li>' for d, u, t in entries
    )
    return GOV_HEAD.format(charset="utf-8", title="報道発表") + f"<h1>報道発表</h1>\n<ul class=\"press-list\">\n{items}\n</ul>\n" + GOV_FOOT

def gov_release(title, date_line, paragraphs, contact, charset="utf-8"):
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (GOV_HEAD.format(charset=charset, title=title)
            + f"<h1>{title}</h1>\n<p class=\"date\">{date_line}</p>\n{body}\n<div class=\"contact\"><h2>問い合わせ先</h2><p>{contact}</p></div>\n"
            + GOV_FOOT)

CONTRACT = (
    "ワクチン接種予約システムの構築業務委託契約の締結について",
    "令和8年7月31日　デジタルサービス局",
    [
        "架空都は、ワクチン接種予約システムの構築業務について、公募型プロポーザル方式により受託者を選定し、契約を締結しましたのでお知らせします。",
        "1　契約件名　ワクチン接種予約システム構築業務委託",
        "2　契約相手方　株式会社ミライガレージ（東京都渋谷区）",
        "3　契約金額　16,506,875円（税込）",
        "4　契約期間　令和8年8月1日から令和9年3月31日まで",
        "本件は山科副知事が統括するデジタル推進本部の重点事業です。",
    ],
    "デジタルサービス局 デジタル推進課　電話 03-0000-0001",
)
CONTRACT_V2 = (
    CONTRACT[0],
    "令和8年7月31日　デジタルサービス局（令和8年8月5日 更新）",
    CONTRACT[2][:3] + [
        "3　契約金額　16,506,875円（税込）",
        "4　契約期間　令和8年8月1日から令和9年3月31日まで（予約受付は令和8年8月10日開始予定）",
        "本件は山科副知事が統括するデジタル推進本部の重点事業です。",
    ],
    CONTRACT[3],
)
TRAINING = (
    "デジタル人材育成プログラム①の参加者募集",
    "令和8年7月28日",
    [
        "架空都は、都内の中小企業で働く方を対象に、デジタル人材育成プログラム①を実施します。",
        "講師は㈱ソラノ研究所（髙橋 一郎 所長）が務めます。受講料は無料です。",
        "募集人数は1,023人、申込期限は令和8年8月20日です。",
    ],
    "産業労働局 人材育成課　電話 03-0000-0002",
)
TRIP = (
    "副知事の海外出張について",
    "令和8年7月20日",
    [
        "山科学副知事は、スマートシティに関する国際会議に出席するため、下記のとおり出張します。",
        "出張期間は令和8年8月3日から令和8年8月7日までです。",
    ],
    "政策企画局 秘書課　電話 03-0000-0003",
)
LEAK = (
    "ワクチン接種予約システムにおける個人情報の漏えいについて",
    "令和8年8月12日　デジタルサービス局",
    [
        "ワクチン接種予約システムにおいて、予約者の氏名及び電話番号が第三者から閲覧できる状態となっていたことが判明しました。",
        "対象は最大で2,915件です。システムの構築及び運用は株式会社ミライガレージに委託しています。",
        "山科副知事は「委託先の管理体制を含めて検証する」とコメントしました。",
    ],
    "デジタルサービス局 デジタル推進課　電話 03-0000-0001",
)

def write(path, text, encoding="utf-8", headers=None):
    p = root / path
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.encode(encoding))
    if headers:
        p.with_name(p.name + ".headers").write_text("".join(f"{k}: {v}\n" for k, v in headers.items()), encoding="utf-8")

CORP_HEAD = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{title} | 株式会社ミライガレージ</title></head>
<body><header class="site-header"><a href="/corp/">MIRAI GARAGE（デモ用の架空の企業です）</a>
<nav><a href="/corp/">ホーム</a> <a href="/corp/pr/">ニュースリリース</a> <a href="/corp/company.html">会社情報</a></nav></header>
<article class="release">
"""
CORP_FOOT = """</article>
<footer>© 2026 Mirai Garage Inc. (fictional demo)</footer></body></html>
"""
AWARD = (
    "「ソラノ パートナーアワード2026」最優秀賞を受賞",
    "2026年6月10日",
    [
        "株式会社ミライガレージ（本社：東京都渋谷区、代表取締役社長：林田 郁夫、以下：MG）は、ソラノ株式会社が主催する「ソラノ パートナーアワード2026」において最優秀賞を受賞しました。",
        "授賞式では、ソラノ株式会社 取締役の山科 学氏から表彰を受けました。",
        "MGは今後も自治体向けクラウドサービスを拡大します。",
    ],
)
OFFICE = (
    "大阪オフィス開設のお知らせ",
    "2026年5月1日",
    ["株式会社ミライガレージは、2026年5月1日に大阪オフィスを開設しました。", "西日本の自治体及び企業へのサポート体制を強化します。"],
)

def corp_release(title, date, paragraphs):
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return CORP_HEAD.format(title=title) + f"<h1>{title}</h1>\n<p class=\"release-date\">{date}</p>\n{body}\n" + CORP_FOOT

def corp_list(entries):
    items = "\n".join(f'<li class="news-item"><time>{d}</time><a class="news-link" href="{u}">{t}</a></li>' for d, u, t in entries)
    return CORP_HEAD.format(title="ニュースリリース") + f"<h1>ニュースリリース</h1>\n<ul class=\"news-list\">\n{items}\n</ul>\n" + CORP_FOOT

SJIS = {"Content-Type": "text/html; charset=Shift_JIS"}
for snap in ("snapshot1", "snapshot2"):
    entries = []
    if snap == "snapshot2":
        entries.append(("令和8年8月12日", "/gov/press/2026/08/2026081201.html", LEAK[0]))
    entries += [
        ("令和8年7月31日", "/gov/press/2026/07/2026073101.html", CONTRACT[0]),
        ("令和8年7月28日", "/gov/press/2026/07/2026072801.html", TRAINING[0]),
    ]
    if snap == "snapshot1":
        entries.append(("令和8年7月20日", "/gov/press/2026/07/2026072001.html", TRIP[0]))
    write(f"{snap}/gov/press/index.html", gov_list(entries))
    write(f"{snap}/gov/press/2026/07/2026073101.html", gov_release(*(CONTRACT if snap == "snapshot1" else CONTRACT_V2)))
    write(f"{snap}/gov/press/2026/07/2026072801.html", gov_release(*TRAINING, charset="Shift_JIS"), "cp932", SJIS)
    if snap == "snapshot1":
        write(f"{snap}/gov/press/2026/07/2026072001.html", gov_release(*TRIP))
    else:
        write(f"{snap}/gov/press/2026/08/2026081201.html", gov_release(*LEAK))
    write(f"{snap}/corp/pr/index.html", corp_list([
        ("2026年6月10日", "/corp/pr/2026/06/award.html", AWARD[0]),
        ("2026年5月1日", "/corp/pr/2026/05/office.html", OFFICE[0]),
    ]))
    write(f"{snap}/corp/pr/2026/06/award.html", corp_release(*AWARD))
    write(f"{snap}/corp/pr/2026/05/office.html", corp_release(*OFFICE))
    write(f"{snap}/robots.txt", "User-agent: *\nDisallow: /private/\n")
