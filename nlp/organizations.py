"""Company names found by their legal form (株式会社, (株), ㈱, 有限会社, 合同会社, X, Inc. …).

The legal form is the anchor; Sudachi tokens decide where the name around it begins or ends, so that
particles, punctuation, dates and procurement labels in front of it are not swallowed
(「本日、丸紅株式会社と」 → 丸紅, 「受託候補者 丸紅株式会社」 → 丸紅, 「契約相手方丸紅株式会社」 → 丸紅).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nlp.sudachi import tokenize
from textutil.spans import anchored_matches, take
from textutil.width import fold_width


@dataclass(frozen=True)
class Organization:
    """A company name: `name` without its legal form; surface/start/end cover name and legal form."""

    name: str
    surface: str
    start: int
    end: int
    watched: bool = False
    # Span of the name alone (without the legal form); internal, not part of the JSON shape.
    name_start: int = field(default=-1, compare=False, repr=False)
    name_end: int = field(default=-1, compare=False, repr=False)
    # The 法人番号 when exactly one registered company fits (nlp/resolution.py); None otherwise.
    corporate_number: str | None = None


_JA_FORMS = r"株式会社|有限会社|合同会社|合名会社|合資会社|[(（]\s*[株有同]\s*[)）]|㈱|㈲"
_JA_LEGAL_FORM = re.compile(_JA_FORMS)
# The same forms found by literal first characters, which the regex engine skips to several times faster than
# to a character class: the five X会社 forms by their 会, the bracketed ones by their opening bracket.
_KAISHA = re.compile("会(?=社)")
_KAISHA_FORM = re.compile("株式会社|有限会社|合同会社|合名会社|合資会社")
_OTHER_FORMS = (
    re.compile(r"\(\s*[株有同]\s*[)）]"), re.compile(r"（\s*[株有同]\s*[)）]"), re.compile("㈱"), re.compile("㈲")
)


def _legal_forms(text: str) -> list[tuple[int, int]]:
    """Spans of the Japanese legal forms in text, in order: the matches of _JA_LEGAL_FORM.finditer(text).

    No two forms can overlap (none starts inside another), so the separate scans merge into the same list.
    """
    spans = []
    for hit in _KAISHA.finditer(text):
        start = hit.start() - 2
        if start >= 0 and _KAISHA_FORM.match(text, start):
            spans.append((start, start + 4))
    for pattern in _OTHER_FORMS:
        spans.extend(match.span() for match in pattern.finditer(text))
    spans.sort()
    return spans
_EN_LEGAL_FORM = re.compile(
    r"(?<![A-Za-z0-9&.'\-])"
    r"(?P<name>[A-Z0-9][A-Za-z0-9&'.\-]*(?:[ ](?:[A-Z0-9&][A-Za-z0-9&'.\-]*|of|and|the|for|de))*?)"
    r"(?P<sep>,?[ ]?)"
    # Each form as written in the registry, in capitals (CO., LTD., LIMITED) and romanised (Godo Kaisha); not
    # case-blind, since "the corporation" or "limited" in a sentence are no legal form.
    r"(?P<form>Inc\.|INC\.|(?:Co|CO)\.,?[ ]?(?:Ltd|LTD)\.|Corporation|CORPORATION|Corp\.|CORP\.|Ltd\.|LTD\.|LLC"
    r"|K\.K\.|G\.K\.|Limited|LIMITED|Godo Kaisha|GODO KAISHA|Kabushiki Kaisha|KABUSHIKI KAISHA)"
    r"(?![A-Za-z])"
)

# The positions of Inc.|Co.|Corp|Ltd.|LLC|K.K.|Limited, found by their first letters (see anchor_positions).
_EN_ANCHOR = (
    re.compile(r"I(?=nc\.|NC\.)"), re.compile(r"C(?=o\.|orp|O\.|ORP)"), re.compile(r"L(?=td\.|TD\.|LC|imited|IMITED)"),
    re.compile(r"K(?=\.K\.|abushiki|ABUSHIKI)"), re.compile(r"G(?=\.K\.|odo|ODO)"),
)
_EN_FORM_CHARS = 17  # the longest form after its first letter (Kabushiki Kaisha), and a little more
# A copyright notice's word and years before an English name (Copyright 2016 ITmedia, Inc.) are not part of it.
_LEADING_NUMBERS = re.compile(r"(?:(?:Copyright|COPYRIGHT)[ ]+)?(?:\d+(?:-\d+)?,?[ ]+)+|(?:Copyright|COPYRIGHT)[ ]+")

MAX_NAME_CHARS = 40
_SENTENCE_END = re.compile(r"[。！？!?\n「」『』【】〔〕：:；;]")
# The ideographic comma between ordinary characters: a token of its own, never part of a company name. Not so
# other commas (Sudachi reads 12,000 and "Co., Ltd." as one token) nor brackets (it may read "¥）" as a noun).
_FIRST_PUNCT = re.compile("、")
_LAST_PUNCT = re.compile("(?s:.*)、")


def _lone_comma(text: str, q: int) -> bool:
    """Whether the 、 at q is surely a token of its own: letters, kana, kanji or digits on both sides.

    Next to characters Sudachi does not know (a zero-width space) it may glue the comma into a noun.
    """
    return (q == 0 or text[q - 1].isalnum()) and (q + 1 >= len(text) or text[q + 1].isalnum())

# Words that introduce or follow a company in releases and notices and are never part of its name.
_LABELS_BEFORE = {
    "本日", "今回", "同日", "昨日", "今日", "先日", "今般", "今年", "本年", "昨年", "今年度", "本年度", "来年度",
    "同社", "当社", "弊社", "貴社", "各社", "及び", "並びに", "又は", "および", "ならびに", "または",
    "受託", "委託", "契約", "落札", "受注", "発注", "相手", "候補", "決定", "選定", "入札", "特定",
    "子会社", "親会社", "傘下", "連結子会社", "株主", "出資", "買収", "提携", "協業", "連携",
    "取引先", "納入", "納品", "調達", "購入", "採用", "導入", "旧", "元", "現",
    # Court rulings, filings and forms glue the party's role or the field's name to the company (被告株式会社X,
    # 会社名有限会社X).
    "被告", "原告", "被告人", "被告会社", "原告会社", "申立人", "債務者", "債権者", "会社名", "社名", "商号", "名称",
    "法人名", "事業者名", "発注者", "受注者", "会社",
    "年度", "年", "月", "日", "時", "分",  # 令和8年度株式会社X, 5月14日株式会社X
}
_LABELS_AFTER = {
    "代表取締役", "代表", "取締役", "社長", "会長", "副社長", "本社", "様", "殿", "御中", "社員", "担当",
    "代表者", "所在地", "本店", "提供", "主催", "開発", "製", "発売", "運営", "協力", "調べ", "発表", "広報",
    "所属", "役員", "執行役員", "常務", "専務", "部長", "課長", "従業員", "社", "製品", "は", "が", "と",
    "との", "より", "から", "へ", "に", "を", "の", "で", "等", "など", "ほか", "他", "及び", "並びに",
    "又は", "および", "ならびに", "または", "グループ各社", "関係者", "担当者", "広報部", "広報室",
    "公式", "公式サイト", "サイト", "ホームページ", "ウェブサイト", "HP", "公式HP", "オンラインショップ",
}
_LABEL_SUFFIXES = ("者", "先", "方")
_NAME_SYMBOLS = set("・&＆.．-－'’ｰー")


def _is_latin(text: str) -> bool:
    return bool(text) and all(ch.isascii() and (ch.isalnum() or ch in "&.-'") for ch in fold_width(text))


def _name_like(surface: str, pos: Sequence[str]) -> bool:
    if surface in _NAME_SYMBOLS:
        return True
    if pos[0] == "名詞":
        return True
    if pos[0] == "接頭辞" or (pos[0] == "接尾辞" and pos[1] == "名詞的"):
        return True
    return False


def _is_label(surface: str, labels: set[str], pos: Sequence[str]) -> bool:
    folded = unicodedata.normalize("NFKC", surface)
    if folded in labels:
        return True
    # Role words end in 者/先/方 (受託者, 委託先, 相手方), also when Sudachi splits the suffix off (次点|者).
    if pos[0] == "接尾辞" and folded in _LABEL_SUFFIXES:
        return True
    return pos[1] == "普通名詞" and len(folded) >= 2 and folded.endswith(_LABEL_SUFFIXES)


Tokens = list[tuple[int, int, str, tuple[str, ...]]]


def _tokens(text: str) -> Tokens:
    return [(m.begin(), m.end(), m.surface(), tuple(m.part_of_speech())) for m in tokenize(text)]


def _name_before(segment: str, tokens_of: Callable[[str], Tokens]) -> int | None:
    """Start offset (in segment) of the company name that ends at the end of segment, or None."""
    toks = tokens_of(segment)
    start: int | None = None
    for i in range(len(toks) - 1, -1, -1):
        begin, _end, surface, pos = toks[i]
        if pos[0] == "空白":
            prev_latin = i > 0 and _is_latin(toks[i - 1][2])
            next_latin = i + 1 < len(toks) and _is_latin(toks[i + 1][2])
            if prev_latin and next_latin and start is not None:
                continue
            break
        if not _name_like(surface, pos) or _is_label(surface, _LABELS_BEFORE, pos):
            break
        if pos[1] == "数詞" and start is None:
            break
        start = begin
    if start is None:
        return None
    # Never start a name with a symbol (・, &).
    while start < len(segment) and segment[start] in _NAME_SYMBOLS:
        start += 1
    return start if start < len(segment) else None


def _name_after(segment: str, tokens_of: Callable[[str], Tokens]) -> int | None:
    """End offset (in segment) of the company name that starts at the beginning of segment, or None."""
    toks = tokens_of(segment)
    end: int | None = None
    for i, (_begin, stop, surface, pos) in enumerate(toks):
        if pos[0] == "空白":
            prev_latin = i > 0 and _is_latin(toks[i - 1][2])
            next_latin = i + 1 < len(toks) and _is_latin(toks[i + 1][2])
            if prev_latin and next_latin and end is not None:
                continue
            break
        if surface == "." and i + 1 < len(toks) and _is_latin(toks[i + 1][2]) and end is not None:
            continue
        last = i + 1 == len(toks) or toks[i + 1][3][0] in ("空白", "補助記号", "助詞") or (
            _is_label(toks[i + 1][2], _LABELS_AFTER, toks[i + 1][3])
        )
        if surface == "社" and end is not None and last:
            end = stop  # 株式会社 宝島社: the 社 ends the name itself (not "the company" after it)
            break
        if not _name_like(surface, pos) or (end is not None and _is_label(surface, _LABELS_AFTER, pos)):
            break
        if end is None and _is_label(surface, _LABELS_AFTER, pos):
            break
        end = stop
    if end is None:
        return None
    while end > 0 and segment[end - 1] in _NAME_SYMBOLS - {"ー", "ｰ"}:
        end -= 1
    return end if end > 0 else None


# Katakana and Latin names (デジタルガレージ, NTTデータ, DMM.com) bounded by punctuation or hiragana need no
# Sudachi: no label word is written in katakana, and the bounding character always ends a word.
_PLAIN_NAME = "[\u30a1-\u30faー\uff66-\uff9fA-Za-z\uff21-\uff3a\uff41-\uff5a0-9\uff10-\uff19・&＆.]"
_PLAIN_RUN_END = re.compile(_PLAIN_NAME + "+$")
_PLAIN_RUN_START = re.compile(_PLAIN_NAME + "+")
_PLAIN_BOUNDS = set("、。，．,！？!?「」『』（）()【】〔〕：:；;・/／\n")


def _bounded(ch: str) -> bool:
    return ch in _PLAIN_BOUNDS or "\u3041" <= ch <= "\u309f"


def _plain_run_before(text: str, lower: int, end: int) -> int | None:
    """Start of a katakana/Latin name that ends at `end` and is preceded by punctuation or hiragana."""
    match = _PLAIN_RUN_END.search(text, lower, end)
    if match is None:
        return None
    start = match.start()
    while start < end and text[start] in _NAME_SYMBOLS:
        start += 1
    if start >= end or text[start:end].isdigit() or (start > 0 and not _bounded(text[start - 1])):
        return None
    return start


def _plain_run_after(text: str, start: int, upper: int) -> int | None:
    """End of a katakana/Latin name that starts at `start` and is followed by punctuation or hiragana."""
    match = _PLAIN_RUN_START.match(text, start, upper)
    if match is None:
        return None
    end = match.end()
    if end < len(text) and not _bounded(text[end]):
        return None
    while end > start and text[end - 1] in _NAME_SYMBOLS - {"ー", "ｰ"}:
        end -= 1
    if end <= start or text[start:end].isdigit():
        return None
    return end


_HAS_LETTER = re.compile(r"[^\d\W]")
_SPACES = re.compile(r"\s+")


_CLEAN_NAMES: dict[str, str] = {}


def _clean_name(name: str) -> str:
    """NFKC with spaces collapsed; cached, since the same companies come back page after page."""
    clean = _CLEAN_NAMES.get(name)
    if clean is None:
        if len(_CLEAN_NAMES) >= 8192:
            _CLEAN_NAMES.clear()
        clean = _CLEAN_NAMES[name] = _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip()
    return clean


def find_organizations(
    text: str, tokens_of: Callable[[str], Tokens] = _tokens, *, folded: str | None = None
) -> list[Organization]:
    """Companies named with a legal form, in order; `watched` is left False (the tagger resolves it).

    `tokens_of` turns a short segment into (begin, end, surface, pos) tuples (Sudachi by default); `folded`
    may pass fold_width(text) when the caller already has it.
    """
    if folded is None:
        folded = fold_width(text)
    found: list[Organization] = []
    taken: list[tuple[int, int]] = []

    def add(name_start: int, name_end: int, start: int, end: int) -> None:
        name = _clean_name(text[name_start:name_end])
        if not name or len(name) > MAX_NAME_CHARS or not _HAS_LETTER.search(name):
            return
        if not take(taken, start, end):
            return
        found.append(Organization(name, text[start:end], start, end, name_start=name_start, name_end=name_end))

    for match in anchored_matches(_EN_LEGAL_FORM, folded, _EN_ANCHOR, MAX_NAME_CHARS + 2, _EN_FORM_CHARS):
        start = match.start()
        numbers = _LEADING_NUMBERS.match(folded, start, match.start("form"))
        if numbers is not None:
            start = numbers.end()
            if start >= match.end("name"):
                continue
        add(start, match.end("name"), start, match.end())

    segment_tokens: dict[str, Tokens] = {}

    def cached_tokens(segment: str) -> Tokens:
        tokens = segment_tokens.get(segment)
        if tokens is None:
            tokens = segment_tokens[segment] = tokens_of(segment)
        return tokens

    forms = _legal_forms(text)
    for index, (ls, le) in enumerate(forms):
        # Segment before: back to the previous legal form or sentence boundary, at most 40 characters.
        lower = max(0, ls - MAX_NAME_CHARS, forms[index - 1][1] if index else 0)
        cut = [m.end() for m in _SENTENCE_END.finditer(text, lower, ls)]
        lower = cut[-1] if cut else lower
        name_start = _plain_run_before(text, lower, ls)
        if name_start is None and lower < ls:
            # Sudachi reads only from the last 、 on: it is a token of its own, so the words
            # after it come out as in the whole segment, and the name cannot reach back past it anyway.
            punct = _LAST_PUNCT.match(text, lower, ls)
            seg = punct.end() - 1 if punct and _lone_comma(text, punct.end() - 1) else lower
            offset = _name_before(text[seg:ls], cached_tokens)
            name_start = seg + offset if offset is not None else None
        if name_start is not None:
            add(name_start, ls, name_start, le)
            continue
        upper = min(len(text), le + MAX_NAME_CHARS, forms[index + 1][0] if index + 1 < len(forms) else len(text))
        name = _name_span_after(text, le, upper, cached_tokens)
        if name is not None:
            add(name[0], name[1], ls, name[1])
            continue
        # 丸紅　　株式会社: spaces between the name and the form. Tried last, when no name follows the form, so
        # that 「担当 株式会社丸紅」 stays 株式会社丸紅.
        gap = ls
        while gap > lower and text[gap - 1] in " \u3000":
            gap -= 1
        if gap < ls and gap > lower:
            offset = _name_before(text[lower:gap], cached_tokens)
            if offset is not None and (lower + offset == 0 or not text[lower + offset - 1].isalnum()):
                add(lower + offset, gap, lower + offset, le)
    for ls, le in _corporation_forms(text):
        name = _name_span_after(text, le, min(len(text), le + MAX_NAME_CHARS), cached_tokens)
        if name is not None and not _names_a_law(text, *name):
            add(name[0], name[1], ls, name[1])
    found.sort(key=lambda o: o.start)
    return found


# Juridical persons other than companies, named after their form (独立行政法人情報処理推進機構); they have a
# corporate number like any company.
_CORPORATION_FORM = re.compile(
    "(?:地方独立行政|独立行政|国立研究開発|国立大学|大学共同利用機関|公益社団|公益財団|一般社団|一般財団|学校|社会福祉"
    "|医療|宗教|特定非営利活動|NPO|ＮＰＯ|更生保護|社会医療)法人"
)
_HOUJIN = re.compile("法(?=人)")
_CORPORATION_PREFIX = re.compile(_CORPORATION_FORM.pattern[:-2] + "$")
_CORPORATION_PREFIX_CHARS = 8  # 大学共同利用機関, the longest word before 法人


def _corporation_forms(text: str) -> list[tuple[int, int]]:
    """Spans of the _CORPORATION_FORM matches, found from their 法人 (a literal: scanned for fast)."""
    spans = []
    for hit in _HOUJIN.finditer(text):
        p = hit.start()
        prefix = _CORPORATION_PREFIX.search(text, max(0, p - _CORPORATION_PREFIX_CHARS), p)
        if prefix is not None and (not spans or prefix.start() >= spans[-1][1]):
            spans.append((prefix.start(), p + 2))
    return spans


_LAW_AFTER = re.compile("法(?:$|[（(附第施の]|律|令|案|改正)", re.MULTILINE)


def _names_a_law(text: str, start: int, end: int) -> bool:
    """国立研究開発法人情報通信研究機構法: the name of the law that sets the body up, not the body."""
    return bool(_LAW_AFTER.search(text, start, end)) or text.startswith("法", end)


def _name_span_after(
    text: str, le: int, upper: int, tokens_of: Callable[[str], Tokens]
) -> tuple[int, int] | None:
    """(start, end) of the name that follows a legal form ending at le, looking no further than upper."""
    stop = _SENTENCE_END.search(text, le, upper)
    upper = stop.start() if stop else upper
    skip = le
    while skip < upper and text[skip] in " \u3000":
        skip += 1
    name_end = _plain_run_after(text, skip, upper)
    if name_end is None and skip < upper:
        # Up to the first 、, which the name cannot run past (see above).
        punct = _FIRST_PUNCT.search(text, skip, upper)
        cut = punct.end() if punct and _lone_comma(text, punct.start()) else upper
        offset = _name_after(text[skip:cut], tokens_of)
        name_end = skip + offset if offset is not None else None
    if skip < upper and _is_hiragana(text[skip]):
        kana_end = _hiragana_name_end(text, skip, upper)
        if kana_end is not None and (name_end is None or kana_end > name_end):
            name_end = kana_end
    return (skip, name_end) if name_end is not None else None


_HIRAGANA_RUN = re.compile("[\u3041-\u309fー]+")
_KATAKANA_RUN = re.compile("[\u30a1-\u30faー]+")
_PARTICLE_END = frozenset("はがをにでともへの")
_KANJI_LABELS_AFTER = ("様", "殿", "御中", "公式", "代表", "社長", "本社")


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def _hiragana_name_end(text: str, start: int, upper: int) -> int | None:
    """End of a name written in hiragana after the legal form (株式会社めのや様, 株式会社やまやコミュニケーションズ),
    which Sudachi cuts at the kana it reads as particles (め|の|や). None when the run's end is unclear."""
    run = _HIRAGANA_RUN.match(text, start, upper)
    if run is None:
        return None
    end = run.end()
    katakana = _KATAKANA_RUN.match(text, end, upper)
    if katakana is not None:
        return katakana.end()
    after = text[end] if end < len(text) else "\n"
    if after in _PLAIN_BOUNDS or after.isspace() or text.startswith(_KANJI_LABELS_AFTER, end):
        if after not in "」』" and end - start > 2 and text[end - 1] in _PARTICLE_END:
            end -= 1  # 株式会社こんぷりんは、: the particle is not the name's
        if end - start < 2 or text[start:end] in _FUNCTION_WORDS:
            return None  # 株式会社へ, 株式会社から: no name at all
        return end
    return None


_FUNCTION_WORDS = frozenset(
    "から まで より とは では には とも でも として について における による など および または ならびに "
    "への との での からの までの であり です でした ます こと もの ため".split()
)
