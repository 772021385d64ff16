"""The tagger: watched officials and vendors, yen amounts, dates and companies in one pass over a text.

Candidates come from one Aho-Corasick automaton over the normalised text (NFKC, lower case, variant kanji
folded), so the cost grows with the text, not with the watch list. A candidate must start and end on a
token boundary (NEC is not in NECTAR, 宮坂 is not in 宮坂学園): punctuation, particles, script changes that
never join words, legal forms and the person's own title settle most cases; Sudachi (mode C, with mode A
inside common-noun compounds) reads only a short window around the rest. All offsets are into the
original text; the normalised form is used for matching only.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick_rs
from sudachipy import SplitMode

from nlp.amounts import Amount, find_amounts
from nlp.normalize import NormalizedText, normalize_key, normalize_text
from nlp.organizations import Organization, find_organizations
from nlp.resolution import Lookup, resolve_organizations
from nlp.sentences import Sentences
from nlp.sudachi import tokenize
from nlp.watchlist import WatchEntry, is_person
from textutil.dates import DateMention, find_dates
from textutil.spans import overlaps
from textutil.width import fold_width

log = logging.getLogger(__name__)

# No real name is longer; the cap keeps every Sudachi window small.
MAX_PATTERN_CHARS = 100
# Family name + honorific (宮坂氏, 宮坂さん) stands for the person of that family the document named before it
# (see _resolve_honorifics). "さん" mostly marks private persons (宮坂さん一家), so it counts only after a full name.
HONORIFICS: tuple[str, ...] = ("氏", "様", "殿", "先生", "さん")
_NAMED_ONLY = ("さん",)
# A reading or an age between a family name and a title: 宮坂（みやさか）副知事, 森田（61）市長.
# Spaces between kana or kanji: where a spaced-out name may hide.
_CJK = "\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff々〆"
_CJK_RUN_END = re.compile(f"[{_CJK}]{{1,12}}$")
_CJK_RUN_START = re.compile(f"[{_CJK}]{{1,12}}")
_SPACED_WORD_CHARS = 12  # no word of a spaced name is longer
_KANJI = re.compile("[\u3400-\u9fff\uf900-\ufaff々]")


_URL = re.compile(r"(?:https?://|www\.)[!-~]+")


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the web addresses in text (ASCII from http:// or www. on), sorted and disjoint."""
    return [m.span() for m in _URL.finditer(text)]


def _is_cjk(ch: str) -> bool:
    return "\u3041" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch in "々〆"


def _spaced_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of kana/kanji words separated by spaces that may be one spaced-out name: a gap
    of two spaces or more, one character between gaps (宮 坂 学), or one space between kanji (丸 紅)."""
    gaps = []
    length = len(text)
    for space in (" ", "\u3000"):  # str.find skips ahead in C; a regex class would test every character
        i = text.find(space, 1)
        while i >= 0:
            if not text[i - 1].isspace():
                j = i + 1
                while j < length and text[j] in " \u3000":
                    j += 1
                if j < length and _is_cjk(text[i - 1]) and _is_cjk(text[j]):
                    gaps.append((i, j))
            i = text.find(space, i + 1)
    gaps = sorted(set(gaps))
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(gaps):
        group = [gaps[i]]
        i += 1
        while (i < len(gaps) and gaps[i][0] - group[-1][1] <= _SPACED_WORD_CHARS
               and _CJK_RUN_START.fullmatch(text, group[-1][1], gaps[i][0])):
            group.append(gaps[i])
            i += 1
        head = _CJK_RUN_END.search(text, max(0, group[0][0] - _SPACED_WORD_CHARS), group[0][0])
        tail = _CJK_RUN_START.match(text, group[-1][1])
        if head is None or tail is None:
            continue
        inner = [b[0] - a[1] for a, b in zip(group, group[1:], strict=False)]
        kanji_pair = len(group) == 1 and _KANJI.match(text[group[0][0] - 1]) and _KANJI.match(text[group[0][1]])
        if 1 in inner or kanji_pair or any(e - s >= 2 for s, e in group):
            runs.append((head.start(), tail.end()))
    return runs
_OPENINGS = (re.compile(r"（[^（）()\n]{1,20}[）)]"), re.compile(r"\([^（）()\n]{1,20}[）)]"))
# 宮坂前副知事, 小池元知事, 現知事: a title may carry a tense prefix.
TITLE_PREFIXES: tuple[str, ...] = ("", "前", "元", "現")

# Character classes as sets: a membership test is several times cheaper than a regex match per character.
_ASCII_WORD = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
# Katakana words are written without separators: a katakana name glued to more katakana is part of another
# word (デジタルガレージシャッター), just as NEC inside NECTAR is.
_KATAKANA = frozenset(
    [chr(c) for c in range(0x30A1, 0x30FB)] + ["ー"] + [chr(c) for c in range(0xFF66, 0xFFA0)]
)
# ... except the words that name a company's group (デジタルガレージグループ, NTTデータグループ).
_GROUP_WORDS = ("グループ", "ホールディングス", "ｸﾞﾙｰﾌﾟ")
_KANA_KANJI_ONLY = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaffー・]+$")


@dataclass(frozen=True)
class Mention:
    """A watched entity found in text; `entity` is the watch entry's canonical name."""

    entity: str
    kind: str
    surface: str
    start: int
    end: int
    context: str


@dataclass
class TagResult:
    """Everything the tagger found in one text. Offsets index the text that was tagged."""

    mentions: list[Mention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[dict]]:
        """The JSON shape of `ometsuke tag --json` (README "Tagging a page"). Built by hand: `dataclasses.asdict`
        deep-copies every field recursively and cost several times more per page in the crawl."""
        return {
            "mentions": [
                {"entity": m.entity, "kind": m.kind, "surface": m.surface, "start": m.start, "end": m.end,
                 "context": m.context}
                for m in self.mentions
            ],
            "amounts": [{"yen": a.yen, "surface": a.surface, "start": a.start, "end": a.end} for a in self.amounts],
            "organizations": [
                {"name": o.name, "surface": o.surface, "start": o.start, "end": o.end, "watched": o.watched,
                 "corporate_number": o.corporate_number}
                for o in self.organizations
            ],
            "dates": [{"date": d.date, "surface": d.surface, "start": d.start, "end": d.end} for d in self.dates],
        }


class _Pattern(NamedTuple):
    entry: int
    by_title: bool  # family name + title/honorific (宮坂副知事), as opposed to a name form


def _name_forms(entry: WatchEntry) -> set[str]:
    """Normalised keys of an entry's name and aliases, with and without spaces (宮坂 学 / 宮坂学)."""
    keys: set[str] = set()
    family = normalize_key(entry.family).strip() if entry.family else ""
    for form in (entry.name, *entry.aliases):
        key = normalize_key(form).strip()
        if not key:
            continue
        keys.add(key)
        compact = _SPACES.sub("", key)
        keys.add(compact)
        if family and compact.startswith(family) and len(compact) > len(family):
            keys.add(family + " " + compact[len(family):])
    return keys


_SPACES = re.compile(r"\s+")
_VARIANT_BATCH_CHARS = 4000  # well under Sudachi's 49,149-byte input limit


_LONG_KATAKANA_END = re.compile(r"(?<=[\u30a1-\u30fc]{2}[\u30a1-\u30fa])ー(?![\u30a1-\u30fc])")


def _long_vowel_variants(key: str) -> list[str]:
    """コンピューター → コンピュータ: the other spelling of a katakana word's final long vowel.

    Sudachi's normalised form adds the mark (サーバ → サーバー), so names written without it already get
    the long form; this covers a name written with it and a text without (JIS-style spellings).
    """
    if "ー" not in key:
        return []
    shortened = _LONG_KATAKANA_END.sub("", key)
    return [shortened] if shortened != key else []


def _sudachi_variants(forms: set[str]) -> dict[str, str]:
    """Sudachi's normalised spelling of kana/kanji names where it differs (サーバ → サーバー).

    Names are tokenized in batches, one per line, since a Sudachi call costs far more than its characters.
    """
    wanted = sorted(form for form in forms if _KANA_KANJI_ONLY.match(form))
    variants: dict[str, str] = {}
    batch: list[str] = []
    size = 0

    def flush() -> None:
        text = "\n".join(batch)
        starts = [0]
        for form in batch:
            starts.append(starts[-1] + len(form) + 1)
        pieces: list[list[str] | None] = [[] for _ in batch]
        for morpheme in tokenize(text):
            if morpheme.surface() == "\n":
                continue
            index = bisect.bisect_right(starts, morpheme.begin()) - 1
            parts = pieces[index]
            if parts is None:
                continue
            # Only spelling variants of nouns (サーバ → サーバー, 附属 → 付属): a name read as a verb or an
            # adverb (ナアル → なる) would turn into a common word.
            if morpheme.part_of_speech()[0] != "名詞":
                pieces[index] = None
                continue
            parts.append(morpheme.normalized_form())
        for form, parts in zip(batch, pieces, strict=True):
            if parts is None:
                continue
            variant = normalize_key("".join(parts))
            if variant and variant != form:
                variants[form] = variant

    for form in wanted:
        batch.append(form)
        size += len(form) + 1
        if size >= _VARIANT_BATCH_CHARS:
            flush()
            batch, size = [], 0
    if batch:
        flush()
    return variants


_DFA_MAX_PATTERNS = 50_000


def _by_end_longest_first(match: tuple[int, int, int]) -> tuple[int, int]:
    return match[2], match[1]
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _matchable(text: str) -> str:
    """Text the automaton can read: lone surrogates (undecodable input) become U+FFFD, one for one."""
    return _LONE_SURROGATE.sub("\ufffd", text)


class Tagger:
    """Build once per watch list (the automaton), then call `tag(text)` for every document."""

    def __init__(self, entries: Sequence[WatchEntry], lookup: Lookup | None = None) -> None:
        """`lookup`: the registry's candidates for a company name, to resolve organisations to corporate numbers
        (nlp/resolution.py); without it only watched vendors with a `corporate_number` are resolved."""
        self.entries: list[WatchEntry] = list(entries)
        self.lookup = lookup
        patterns: dict[str, set[_Pattern]] = {}
        self._vendor_keys: dict[str, list[int]] = {}
        self._vendor_cache: dict[str, list[int]] = {}
        self._by_name = {e.name: i for i, e in enumerate(self.entries)}
        self._family_index: tuple[dict[str, list[int]], frozenset[str], int] | None = None

        def add(key: str, pattern: _Pattern) -> None:
            if len(key) > MAX_PATTERN_CHARS:
                log.warning("watch entry %r: a name form of %d characters is ignored",
                            self.entries[pattern.entry].name, len(key))
            elif key:
                patterns.setdefault(key, set()).add(pattern)

        titles: dict[str, str] = {}
        name_forms: list[tuple[int, set[str]]] = []
        for index, entry in enumerate(self.entries):
            forms = _name_forms(entry)
            name_forms.append((index, forms))
            for key in forms:
                add(key, _Pattern(index, False))
            if not is_person(entry.kind):
                for form in (entry.name, *entry.aliases):
                    compact = _SPACES.sub("", normalize_key(form))
                    if compact:
                        self._vendor_keys.setdefault(compact, []).append(index)
            if entry.family:
                family = normalize_key(entry.family).strip()
                for title in (*entry.titles, *HONORIFICS):
                    if title not in titles:
                        titles[title] = normalize_key(title).strip()
                    for prefix in TITLE_PREFIXES if title in entry.titles else ("",):
                        tail = prefix + titles[title]
                        add(family + tail, _Pattern(index, True))
                        add(family + " " + tail, _Pattern(index, True))
        variants = _sudachi_variants({key for _, forms in name_forms for key in forms})
        for index, forms in name_forms:
            for key in forms:
                if key in variants:
                    add(variants[key], _Pattern(index, False))
                for variant in _long_vowel_variants(key):
                    add(variant, _Pattern(index, False))
        keys = list(patterns)
        # Per pattern: the (entry, by_title) pairs it stands for, and the titles that may follow it when it is
        # a person's full name (森田誠市長): one str.startswith then rules most candidates out at once.
        entry_follow = [
            tuple(dict.fromkeys(t for t in (*entry.titles, *HONORIFICS) if t)) if entry.family else ()
            for entry in self.entries
        ]
        self._values: list[tuple[tuple[_Pattern, ...], tuple[str, ...]]] = []
        for key in keys:
            found = tuple(sorted(patterns[key]))
            if len(found) == 1:
                follow = () if found[0].by_title else entry_follow[found[0].entry]
            else:
                follow = tuple(dict.fromkeys(t for p in found if not p.by_title for t in entry_follow[p.entry]))
            self._values.append((found, follow))
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        if keys:
            # A DFA is the fastest search (one table look-up per byte) but costs build time and memory that
            # grow with the patterns; past a few tens of thousands the library's own choice is kept.
            implementation = ahocorasick_rs.Implementation.DFA if len(keys) <= _DFA_MAX_PATTERNS else None
            self._automaton = ahocorasick_rs.AhoCorasick(
                [_matchable(key) for key in keys], implementation=implementation
            )
        self._has_patterns = bool(keys)
        log.debug("tagger built: %d entries, %d patterns", len(self.entries), len(patterns))

    def __reduce__(self) -> tuple[type[Tagger], tuple[list[WatchEntry], Lookup | None]]:
        """Pickled as its watch list (the Rust automaton cannot be pickled): unpickling builds it again."""
        return Tagger, (self.entries, self.lookup)

    # -- public -------------------------------------------------------------------------------------------

    def tag(self, text: str) -> TagResult:
        """Mentions, amounts, organizations and dates in text (any length)."""
        sentences = Sentences(text)
        boundaries = _Boundaries(text, sentences)
        normalized = normalize_text(text) if self._has_patterns and text else None
        # The width-folded copy comes from the runs normalisation found: one regex pass over the page less.
        folded = normalized.folded() if normalized is not None else fold_width(text)
        mentions = self._find_mentions(text, sentences, boundaries, normalized)
        organizations = find_organizations(text, folded=folded)
        mentions, organizations = self._resolve_organizations(text, sentences, mentions, organizations)
        if self.lookup is not None and organizations:
            organizations = resolve_organizations(text, organizations, self.lookup)
        return TagResult(
            mentions=mentions,
            amounts=find_amounts(text, folded=folded),
            organizations=organizations,
            dates=find_dates(text, folded=folded),
        )

    # -- mentions -------------------------------------------------------------------------------------------

    def _find_mentions(
        self, text: str, sentences: Sentences, boundaries: _Boundaries, normalized: NormalizedText | None = None
    ) -> list[Mention]:
        if not self._has_patterns or not text:
            return []
        if normalized is None:
            normalized = normalize_text(text)
        norm = normalized.norm
        matches = self._matches(norm)
        spaced = self._spaced_spans(text)
        if not matches and not spaced and "（" not in text and "(" not in text:
            return []
        values = self._values
        identity = normalized.segments is None
        norm_length, text_length = len(norm), len(text)
        spans: list[tuple[int, int, int]] = []
        # The character tests first (word characters glued on either side), on every occurrence.
        for index, ns, ne in matches:
            if norm[ns] in _ASCII_WORD and ns > 0 and norm[ns - 1] in _ASCII_WORD:
                continue
            if norm[ne - 1] in _ASCII_WORD and ne < norm_length and norm[ne] in _ASCII_WORD:
                continue
            if identity:
                start, end = ns, ne
            else:
                start, end = normalized.span(ns, ne)
                if start >= end:
                    continue
            if text[start] in _KATAKANA and start > 0 and text[start - 1] in _KATAKANA:
                continue
            if (text[end - 1] in _KATAKANA and end < text_length and text[end] in _KATAKANA
                    and not text.startswith(_GROUP_WORDS, end)):
                continue
            spans.append((start, end, index))
        if spaced:
            plain = {(start, end) for start, end, _ in spans}
            spans.extend(span for span in spaced if span[:2] not in plain)
        if "://" in text or "www." in text:
            urls = _url_spans(text)  # sanrio in http://www.sanrio.co.jp/ is an address, not a mention
            spans = [span for span in spans if not overlaps(urls, span[0], span[1])]
        # Longest first; a shorter candidate inside an accepted one is dropped (宮坂学副知事 is one mention), so
        # it is dropped before its token boundaries are checked (NTT inside NTTデータ needs no Sudachi).
        # Accepted spans are pairwise disjoint or identical (two entries with one name), so one sorted list
        # of distinct spans answers "overlaps an accepted one?" by bisection.
        spans.sort(key=lambda c: (c[0] - c[1], c[0]))
        accepted: list[tuple[int, int, tuple[_Pattern, ...]]] = []
        taken: list[tuple[int, int]] = []
        taken_set: set[tuple[int, int]] = set()
        for start, end, index in spans:
            span = (start, end)
            known = span in taken_set
            if not known and overlaps(taken, start, end):
                continue
            if not boundaries.is_boundary(start, span):
                continue
            found, follow = values[index]
            if not (follow and self._followed_by_title(text, start, end, follow, boundaries)) and not (
                boundaries.is_boundary(end, span)
            ):
                continue
            if not known:
                bisect.insort(taken, span)
                taken_set.add(span)
            accepted.append((start, end, found))
        accepted.extend(self._parenthetical_titles(text, taken))
        accepted.sort(key=lambda c: c[0])
        accepted = self._resolve_honorifics(text, accepted)
        mentions: list[Mention] = []
        for start, end, found in accepted:
            if len(found) == 1:
                mentions.append(self._mention(text, sentences, found[0].entry, start, end))
                continue
            seen: set[int] = set()
            for pattern in found:
                if pattern.entry in seen:
                    continue
                seen.add(pattern.entry)
                mentions.append(self._mention(text, sentences, pattern.entry, start, end))
        return mentions

    def _spaced_spans(self, text: str) -> list[tuple[int, int, int]]:
        """Names with runs of spaces (宮坂　　学) or spaced character by character (宮 坂 学, 丸 紅): matched on the
        run with its spaces taken out, and reported with them (offsets stay in the original text).

        Only runs with a gap of two spaces or more, or a lone character between gaps, are read: one space
        between words is the plain match's business (宮坂 学 is a key of its own), and most pages have no other.
        """
        if " " not in text and "\u3000" not in text:
            return []
        found: list[tuple[int, int, int]] = []
        for start, end in _spaced_runs(text):
            chars = [i for i in range(start, end) if not text[i].isspace()]
            compact = normalize_key("".join(text[i] for i in chars))
            if len(compact) != len(chars):
                continue
            for index, ns, ne in self._matches(compact):
                first, last = chars[ns], chars[ne - 1] + 1
                if last - first > ne - ns:  # the match spans a gap
                    found.append((first, last, index))
        return found

    def _resolve_honorifics(
        self, text: str, accepted: list[tuple[int, int, tuple[_Pattern, ...]]]
    ) -> list[tuple[int, int, tuple[_Pattern, ...]]]:
        """Family name + honorific (クック氏) → the person of that family the document named in full before it.

        When it named two people of that family (watched or not: Sudachi reads 加藤|邦子 as family and given
        name), the honorific is no one's; when it named none, it is the one watched person of that family (for
        氏, 様, 殿, 先生; never for さん, which mostly marks private persons), or no one if several share it.
        """
        if not any(found[0].by_title and text.endswith(HONORIFICS, start, end) for start, end, found in accepted):
            return accepted  # nothing to resolve (most pages)
        named: dict[str, set[int]] = {}
        full_spans: list[tuple[int, int]] = []
        person_at: dict[int, bool] = {}
        kept: list[tuple[int, int, tuple[_Pattern, ...]]] = []
        for start, end, found in accepted:
            honorific = (
                next(h for h in HONORIFICS if text.endswith(h, start, end))
                if text.endswith(HONORIFICS, start, end) else None
            )
            if honorific is None or not all(p.by_title for p in found):
                kept.append((start, end, found))
                for p in found:
                    family = self.entries[p.entry].family
                    if not p.by_title and family:
                        named.setdefault(normalize_key(family).strip(), set()).add(p.entry)
                        full_spans.append((start, end))
                continue
            family_name = self.entries[found[0].entry].family or ""
            earlier = named.get(normalize_key(family_name).strip(), set())
            if self._other_person_named(text, family_name, start, full_spans, person_at):
                continue  # 加藤邦子さん … 加藤さん: someone the watch list does not know
            if len(earlier) == 1:
                entry = next(iter(earlier))
                kept.append((start, end, (_Pattern(entry, True),)))
            elif not earlier and honorific not in _NAMED_ONLY and len({p.entry for p in found}) == 1:
                kept.append((start, end, found))
        return kept

    def _other_person_named(
        self, text: str, family: str, before: int, full_spans: list[tuple[int, int]], person_at: dict[int, bool]
    ) -> bool:
        """Whether text[:before] names in full a person of this family who is not a watched name found there.

        `person_at` caches, per position, whether a family name there starts a full name (one Sudachi call each).
        """
        if not family:
            return False
        q = text.find(family, 0, before)
        while q >= 0:
            after = q + len(family)
            inside_watched = any(s <= q < e for s, e in full_spans)
            if not inside_watched and after < before and not _certain_break(text[after - 1], text[after]):
                person = person_at.get(q)
                if person is None:
                    tokens = list(tokenize(text[q:min(len(text), after + 6)]))
                    person = person_at[q] = (
                        len(tokens) > 1 and tokens[0].end() == len(family)
                        and tokens[1].part_of_speech()[2:4] == ("人名", "名")
                    )
                if person:
                    return True
            q = text.find(family, after, before)
        return False

    def _parenthetical_titles(
        self, text: str, taken: list[tuple[int, int]]
    ) -> list[tuple[int, int, tuple[_Pattern, ...]]]:
        """宮坂（みやさか）副知事: a family name, a short parenthetical, then that person's own title."""
        if "（" not in text and "(" not in text:
            return []
        families, title_starts, longest = self._families()
        if not families:
            return []
        found: list[tuple[int, int, tuple[_Pattern, ...]]] = []
        for opening in _OPENINGS:
            for paren in opening.finditer(text):
                p0, p1 = paren.span()
                if p1 < len(text) and text[p1] in title_starts:
                    self._title_after(text, p0, p1, families, longest, taken, found)
        return found

    def _title_after(self, text: str, p0: int, p1: int, families: dict[str, list[int]], longest: int,
                     taken: list[tuple[int, int]], found: list[tuple[int, int, tuple[_Pattern, ...]]]) -> None:
        """The family name before the parenthetical text[p0:p1] followed by that person's title, if any."""
        for size in range(min(longest, p0), 0, -1):
            entries = families.get(normalize_key(text[p0 - size:p0]))
            if not entries:
                continue
            start = p0 - size
            if start > 0 and not _certain_break(text[start - 1], text[start]):
                return  # the end of a longer word (大宮坂), not a family name
            for index in entries:
                title = next((t for t in self.entries[index].titles if text.startswith(t, p1)), None)
                if title and not overlaps(taken, start, p1 + len(title)):
                    found.append((start, p1 + len(title), (_Pattern(index, True),)))
                    return
            return

    def _families(self) -> tuple[dict[str, list[int]], frozenset[str], int]:
        """Watched people with titles by normalised family name, the first characters of their titles, and the
        longest family name (built once)."""
        if self._family_index is None:
            families: dict[str, list[int]] = {}
            starts: set[str] = set()
            for index, entry in enumerate(self.entries):
                if entry.family and entry.titles:
                    families.setdefault(normalize_key(entry.family).strip(), []).append(index)
                    starts.update(title[0] for title in entry.titles if title)
            self._family_index = (families, frozenset(starts), max(map(len, families), default=0))
        return self._family_index

    def _matches(self, norm: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) of every pattern occurrence in norm, ordered by end, longest first.

        That is the order a classic Aho-Corasick walk reports them in, which the mention order of two
        entries sharing one span follows. The automaton (Rust, a DFA for ordinary lists) reads the text
        in one pass at a few nanoseconds per byte, whatever the size of the watch list.
        """
        assert self._automaton is not None
        try:
            found = self._automaton.find_matches_as_indexes(norm, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate: not UTF-8, so replaced one for one
            found = self._automaton.find_matches_as_indexes(_matchable(norm), overlapping=True)
        found.sort(key=_by_end_longest_first)
        return found

    def _followed_by_title(
        self, text: str, start: int, end: int, follow: tuple[str, ...], boundaries: _Boundaries
    ) -> bool:
        """A full name directly followed by the person's own title (森田誠市長) is a match even when Sudachi
        glues the given name to the title (森田|誠市|長)."""
        if not text.startswith(follow, end):
            return False
        for title in follow:
            if text.startswith(title, end) and boundaries.is_boundary(end + len(title), (start, end)):
                return True
        return False

    def _mention(self, text: str, sentences: Sentences, index: int, start: int, end: int) -> Mention:
        entry = self.entries[index]
        s0, s1 = sentences.around(start, end)
        return Mention(entry.name, entry.kind, text[start:end], start, end, text[s0:s1])

    # -- organizations ---------------------------------------------------------------------------------------

    def _vendor_indices(self, name: str) -> list[int]:
        """Watch entries (organisations) whose name or alias is this company name; cached per name."""
        cache = self._vendor_cache
        found = cache.get(name)
        if found is None:
            if len(cache) >= 8192:
                cache.clear()
            found = cache[name] = self._vendor_keys.get(_SPACES.sub("", normalize_key(name)), [])
        return found

    def _resolve_organizations(
        self, text: str, sentences: Sentences, mentions: list[Mention], organizations: list[Organization]
    ) -> tuple[list[Mention], list[Organization]]:
        """Mark companies that are watched vendors, and keep mentions and companies consistent.

        A vendor mention that is only the front of a longer company name (NTT in NTTデータ株式会社) is a
        different company and is dropped; a company whose name merely starts earlier than a watched name
        that ends it (受託者デジタルガレージ) is trimmed to the watched name.
        """
        by_name = self._by_name
        resolved: list[Organization] = []
        dropped: set[int] = set()
        extra: list[Mention] = []
        # Mentions are sorted by start and pairwise disjoint or identical, so their ends are sorted too: the
        # mentions inside or overlapping a company name are a contiguous run found by bisection.
        starts = [m.start for m in mentions]
        ends = [m.end for m in mentions]
        for org in organizations:
            ns, ne = org.name_start, org.name_end
            indices = self._vendor_indices(org.name)
            first, stop = bisect.bisect_left(starts, ns), bisect.bisect_left(starts, ne)
            inside = [
                (i, m) for i, m in zip(range(first, stop), mentions[first:stop], strict=True)
                if not is_person(m.kind) and m.end <= ne and (m.start, m.end) != (ns, ne)
            ]
            if not indices and inside:
                tail = [(i, m) for i, m in inside if m.end == ne]
                if tail and org.name_start == org.start:
                    # Suffix form (X株式会社) whose name starts earlier than the watched name ending it.
                    m = tail[0][1]
                    ns = m.start
                    org = Organization(m.entity, text[ns:org.end], ns, org.end, name_start=ns, name_end=ne)
                    indices = [by_name[m.entity]]
                else:
                    dropped.update(i for i, m in inside if m.end < ne or m.start > ns)
            if indices:
                entry = self.entries[indices[0]]
                org = Organization(entry.name, org.surface, org.start, org.end, watched=True,
                                   name_start=ns, name_end=ne, corporate_number=entry.corporate_number)
                covered = any(
                    by_name.get(mentions[i].entity) in indices
                    for i in range(bisect.bisect_right(ends, ns), stop)
                )
                if not covered:
                    extra.append(self._mention(text, sentences, indices[0], ns, ne))
            resolved.append(org)
        kept = [m for i, m in enumerate(mentions) if i not in dropped] + extra
        kept.sort(key=lambda m: (m.start, m.end))
        return kept, resolved


# Characters next to which Sudachi always puts a token boundary: no need to tokenize to know.
_HARD_BREAKS = frozenset(" \t\r\n\u3000、。，．,.・：:；;！!？?「」『』（）()［］[]【】〔〕〈〉《》\"'“”‘’/／|｜")


_PARTICLES = frozenset("はがをにでともへやの")
_LEGAL_FORMS = r"株式会社|有限会社|合同会社|合名会社|合資会社|[(（][株有同][)）]|㈱|㈲"
_LEGAL_FORM_AFTER = re.compile(_LEGAL_FORMS)
_LEGAL_FORM_BEFORE = re.compile(f"(?:{_LEGAL_FORMS})$")
# First and last characters of the legal forms: most positions are ruled out without running the regexes.
_LEGAL_FORM_FIRST = frozenset("株有合(（㈱㈲")
_LEGAL_FORM_LAST = frozenset("社)）㈱㈲")


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def _certain_break(left: str, right: str) -> bool:
    """Whether Sudachi is sure to split between left and right, so that it need not run.

    Punctuation and spaces always split. Hiragana next to katakana or Latin, and hiragana followed by anything
    else, split too; kanji followed by hiragana does only for particles (学は), since 学ぶ is one word.
    """
    if left in _HARD_BREAKS or right in _HARD_BREAKS:
        return True
    if _is_hiragana(left):
        return not _is_hiragana(right)
    if _is_hiragana(right):
        return right in _PARTICLES or not ("\u3400" <= left <= "\u9fff" or "\uf900" <= left <= "\ufaff")
    return False


def _certain_break_regex() -> re.Pattern[str]:
    """The positions q where _certain_break(text[q - 1], text[q]) holds, as one zero-width regex.

    It finds the edge of the phrase around a candidate in C instead of a Python loop over characters.
    Lookbehinds see the text before `pos`; a match at `endpos` may rely on a lookbehind only, so callers
    ignore matches there.
    """
    hard = "".join(re.escape(ch) for ch in sorted(_HARD_BREAKS))
    hira = "\u3041-\u309f"
    kanji = "\u3400-\u9fff\uf900-\ufaff"
    particles = "".join(sorted(_PARTICLES))
    return re.compile(
        f"(?<=[{hard}])|(?=[{hard}])"  # punctuation or a space on either side
        f"|(?<=[{hira}])(?![{hira}])"  # hiragana, then anything else
        f"|(?<![{hira}])(?=[{particles}])"  # a particle after a non-hiragana
        f"|(?<![{hira}{kanji}])(?=[{hira}])"  # hiragana after katakana, Latin, digits…
    )


_CERTAIN_BREAK = _certain_break_regex()


class _Boundaries:
    """Sudachi token boundaries around candidates, from small cached windows of the sentence.

    A position is a boundary when mode C puts one there, or when mode A does inside a mode-C token that is
    not a proper noun (a compound of common words may be split; 富士通Japan or NECTAR may not). Only a
    window of WINDOW characters either side of the candidate is tokenized: Sudachi's lattice is local.
    """

    WINDOW = 16

    def __init__(self, text: str, sentences: Sentences) -> None:
        self.text = text
        self.sentences = sentences
        self._cache: dict[tuple[int, int], tuple[set[int], list[int], list]] = {}

    def is_boundary(self, pos: int, span: tuple[int, int]) -> bool:
        """Whether pos is a token boundary, judged in a window around span (the candidate)."""
        text = self.text
        if pos <= 0 or pos >= len(text):
            return True
        left_ch, right_ch = text[pos - 1], text[pos]
        if _certain_break(left_ch, right_ch):
            return True
        # A legal form right before or after is the edge of a company name (株式会社|デジタルガレージ).
        if right_ch in _LEGAL_FORM_FIRST and _LEGAL_FORM_AFTER.match(text, pos):
            return True
        if left_ch in _LEGAL_FORM_LAST and _LEGAL_FORM_BEFORE.search(text, max(0, pos - 6), pos):
            return True
        s0, s1 = self.sentences.around(span[0], span[1])
        if pos <= s0 or pos >= s1:
            return True
        w0 = max(s0, min(span[0], pos) - self.WINDOW)
        w1 = min(s1, max(span[1], pos) + self.WINDOW)
        # Shrink the window to the phrase around the candidate: Sudachi splits at certain breaks anyway.
        # One character beyond the break stays in, so the words at the phrase's ends are read as in the full
        # text (at the very end of its input Sudachi may join words it would otherwise split).
        left = min(span[0], pos)
        if left - 1 > w0:
            last = -1
            for hit in _CERTAIN_BREAK.finditer(text, w0 + 1, left):
                q = hit.start()
                if q < left:
                    last = q
            if last >= 0:
                w0 = last - 1
        right = max(span[1], pos)
        if right + 1 < w1:
            hit = _CERTAIN_BREAK.search(text, right + 1, w1)
            if hit is not None and hit.start() < w1:
                w1 = hit.start() + 1
        key = (w0, w1)
        cached = self._cache.get(key)
        if cached is None:
            morphemes = list(tokenize(text[w0:w1]))
            begins = [w0 + m.begin() for m in morphemes]
            edges = set(begins) | {w0 + m.end() for m in morphemes}
            cached = self._cache[key] = (edges, begins, morphemes)
        edges, begins, morphemes = cached
        if pos in edges:
            return True
        i = bisect.bisect_right(begins, pos) - 1
        if i < 0:
            return True
        morpheme = morphemes[i]
        if morpheme.part_of_speech()[1] == "固有名詞":
            return False
        return pos in {w0 + m.begin() for m in morpheme.split(SplitMode.A)}
