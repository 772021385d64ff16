"""Sentence-level diffs that read well for Japanese, with noise suppression.

Japanese has no spaces, so word diffs are useless and line diffs flag a whole paragraph for one changed amount.
We split into sentences (`nlp.sentences`: the rule the tagger's contexts use), match them, and inside a changed
sentence mark the changed characters (digit runs and Latin words move as one token, so 1,000,000 → 1,650,000
reads as one replacement).

Volatile parts (更新日 lines, view counters, session tokens, plus per-source `ignore` regexes) are masked before
matching: a change confined to them is reported as noise, not as a change.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from nlp.sentences import split_sentences

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[0-9０-９][0-9０-９,，.．]*|[A-Za-zＡ-Ｚａ-ｚ]+|\s+|.", re.S)

# Whole sentences that only say when the page was updated or how often it was viewed.
VOLATILE_SENTENCES: tuple[str, ...] = (
    r"^\s*[（(【\[]?\s*(?:最終)?(?:更新|掲載|公開)(?:日|日時|日付)?\s*[:：]?\s*[)）】\]]?\s*"
    r"[0-9０-９令和平成年月日/／.\-:： ]+[)）】\]]?\s*$",
    r"^\s*[（(【\[]?[0-9０-９令和平成年月日時分/／.\-:： ]+[)）】\]]?\s*"
    r"(?:最終)?(?:更新|掲載|公開)(?:日|しました)?\s*$",
    r"^\s*(?:最終更新|更新日|更新日時|掲載日|ページ更新日)\s*[:：]",
    r"(?i)^\s*(?:last\s+(?:updated|modified)|updated|page\s+updated)\s*[:：]?",
    r"^\s*(?:アクセス数|閲覧数|訪問者数|表示回数)\s*[:：]?\s*[0-9０-９,，]+\s*(?:回|件|人)?\s*$",
)
# Parts of sentences that change on every fetch.
VOLATILE_PARTS: tuple[str, ...] = (
    r"[（(【\[]\s*(?:最終)?(?:更新|掲載)(?:日|日時)?\s*[:：]?\s*[0-9０-９令和平成年月日時分/／.\-:： ]+[)）】\]]",
    r"[（(【\[]\s*[0-9０-９令和平成年月日時分/／.\-:： ]+\s*(?:最終)?(?:更新|掲載)\s*[)）】\]]",
    r"(?:アクセス数|閲覧数|表示回数)\s*[:：]?\s*[0-9０-９,，]+\s*(?:回|件|人)?",
    r"(?i)\b[0-9,]+\s+(?:views|visits|hits)\b",
    r"(?i)(?:token|sid|session(?:id)?|csrf[\w-]*)=[\w\-.%]+",
    r"\b[0-9a-fA-F]{24,}\b",
)


class PatternError(ValueError):
    """A source's `ignore` pattern is not a valid regular expression."""


@dataclass
class Segment:
    text: str
    changed: bool


@dataclass
class DiffLine:
    """One changed sentence: added, removed, or changed (with the changed characters marked on both sides)."""

    kind: Literal["added", "removed", "changed"]
    part: Literal["title", "published", "body"] = "body"
    old: str | None = None
    new: str | None = None
    old_segments: list[Segment] = field(default_factory=list)
    new_segments: list[Segment] = field(default_factory=list)

    def marked(self) -> str:
        """Plain-text form: changed characters as [-old-]{+new+} (git word-diff style, safe in Markdown)."""
        if self.kind == "added":
            return self.new or ""
        if self.kind == "removed":
            return self.old or ""
        return _inline(self.old or "", self.new or "")

    def added_text(self) -> str:
        """Additions-only form: the new sentence with inserted characters as {+…+}, nothing about deletions."""
        if self.kind == "added":
            return self.new or ""
        return "".join("{+" + s.text + "+}" if s.changed else s.text for s in self.new_segments)


@dataclass
class TextDiff:
    lines: list[DiffLine]
    noise_only: bool = False  # the texts differ, but only in masked volatile parts

    @property
    def changed(self) -> bool:
        return bool(self.lines)

    def additions(self) -> list[DiffLine]:
        """The additions-only view: added sentences and changed sentences that gained text."""
        return [
            line for line in self.lines
            if line.kind == "added" or (line.kind == "changed" and any(s.changed for s in line.new_segments))
        ]

    def as_dict(self) -> dict[str, Any]:
        lines = [asdict(line) | {"marked": line.marked()} for line in self.lines]
        return {"noise_only": self.noise_only, "lines": lines}


def compile_patterns(patterns: Iterable[str], where: str = "ignore") -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise PatternError(f"{where}: bad regular expression {pattern!r}: {error}") from error
    return compiled


_VOLATILE_SENTENCES = compile_patterns(VOLATILE_SENTENCES, "built-in volatile sentence")
_VOLATILE_PARTS = compile_patterns(VOLATILE_PARTS, "built-in volatile part")


class NoiseFilter:
    """Masks volatile text; `key(sentence)` is what gets compared ('' = the sentence is pure noise)."""

    def __init__(self, ignore: Iterable[str] = (), *, builtin: bool = True) -> None:
        self.ignore = compile_patterns(ignore)
        self.builtin = builtin

    def key(self, sentence: str) -> str:
        if self.builtin and any(p.search(sentence) for p in _VOLATILE_SENTENCES):
            return ""
        masked = sentence
        for pattern in (*(_VOLATILE_PARTS if self.builtin else ()), *self.ignore):
            masked = pattern.sub("", masked)
        return masked if masked.strip() else ""


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _merged_opcodes(old: str, new: str) -> list[tuple[str, str, str]]:
    """(tag, old text, new text) runs; digit runs and Latin words are compared as whole tokens."""
    a, b = _tokens(old), _tokens(new)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    merged: list[list[Any]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        last = merged[-1] if merged else None
        # A one-character equal run between two changes fragments the reading: fold it into the change.
        short_gap = tag == "equal" and len("".join(a[i1:i2])) <= 1 and index < len(opcodes) - 1
        if last is not None and last[0] != "equal" and (tag != "equal" or short_gap):
            last[0], last[2], last[4] = "replace", i2, j2
            continue
        merged.append([tag, i1, i2, j1, j2])
    return [(tag, "".join(a[i1:i2]), "".join(b[j1:j2])) for tag, i1, i2, j1, j2 in merged]


def char_segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Mark the changed parts of two versions of one sentence, on each side."""
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for tag, old_text, new_text in _merged_opcodes(old, new):
        if old_text:
            old_segments.append(Segment(old_text, tag != "equal"))
        if new_text:
            new_segments.append(Segment(new_text, tag != "equal"))
    return old_segments, new_segments


def inline_runs(old: str, new: str) -> list[tuple[str, str, str]]:
    """Both sides interleaved: ("equal", text, text) or ("replace"/"insert"/"delete", old text, new text)."""
    return _merged_opcodes(old, new)


def mark_inline(
    old: str,
    new: str,
    *,
    escape: Callable[[str], str] = str,
    deleted: tuple[str, str] = ("[-", "-]"),
    inserted: tuple[str, str] = ("{+", "+}"),
) -> str:
    """One sentence with its changed characters marked: `[-old-]{+new+}` by default, <del>/<ins> for HTML.

    Every renderer (Markdown, Atom, the diff command) marks through this one function with its own escaping.
    """
    out = []
    for tag, old_text, new_text in _merged_opcodes(old, new):
        if tag == "equal":
            out.append(escape(new_text))
            continue
        if old_text:
            out.append(deleted[0] + escape(old_text) + deleted[1])
        if new_text:
            out.append(inserted[0] + escape(new_text) + inserted[1])
    return "".join(out)


def _inline(old: str, new: str) -> str:
    return mark_inline(old, new)


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def diff_texts(old: str | None, new: str | None, *, noise: NoiseFilter | None = None, part: str = "body") -> TextDiff:
    """Sentence diff of two texts; sentences that differ only in volatile parts are not reported."""
    noise = noise or NoiseFilter()
    old_sentences, new_sentences = split_sentences(old or ""), split_sentences(new or "")
    old_kept = [(s, noise.key(s)) for s in old_sentences]
    new_kept = [(s, noise.key(s)) for s in new_sentences]
    old_kept = [(s, k) for s, k in old_kept if k]
    new_kept = [(s, k) for s, k in new_kept if k]
    matcher = SequenceMatcher(None, [k for _, k in old_kept], [k for _, k in new_kept], autojunk=False)
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old_kept[i1:i2], new_kept[j1:j2]
        lines.extend(_pair(olds, news, part))
    raw_differs = (old or "") != (new or "")
    return TextDiff(lines=lines, noise_only=raw_differs and not lines)


def _pair(olds: list[tuple[str, str]], news: list[tuple[str, str]], part: str) -> list[DiffLine]:
    """Pair each new sentence with the most similar unused old one (≥ 0.5), in reading order of the new text."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for j, (_, new_key) in enumerate(news):
        best, best_score = None, 0.5
        for i, (_, old_key) in enumerate(olds):
            if i in used:
                continue
            score = _similar(old_key, new_key)
            if score >= best_score:
                best, best_score = i, score
        if best is not None:
            used.add(best)
            pairs[j] = best
    lines: list[DiffLine] = []
    for i, (sentence, _) in enumerate(olds):
        if i not in used:
            lines.append(DiffLine("removed", part, old=sentence))  # type: ignore[arg-type]
    for j, (sentence, _) in enumerate(news):
        if j in pairs:
            old_sentence = olds[pairs[j]][0]
            old_segments, new_segments = char_segments(old_sentence, sentence)
            lines.append(
                DiffLine("changed", part, old=old_sentence, new=sentence,  # type: ignore[arg-type]
                         old_segments=old_segments, new_segments=new_segments)
            )
        else:
            lines.append(DiffLine("added", part, new=sentence))  # type: ignore[arg-type]
    return lines


def diff_versions(
    old: dict[str, Any] | None, new: dict[str, Any] | None, *, ignore: Iterable[str] = ()
) -> TextDiff:
    """Diff two stored versions (title, published date and body: what their content hash covers, so every change a
    crawl counts shows here); `ignore` are the source's extra volatile-text regexes."""
    noise = NoiseFilter(ignore)
    old = old or {}
    new = new or {}
    title = diff_texts(old.get("title"), new.get("title"), noise=noise, part="title")
    body = diff_texts(old.get("body"), new.get("body"), noise=noise, part="body")
    lines = title.lines + _date_lines(old.get("published"), new.get("published")) + body.lines
    raw_differs = (old.get("title"), old.get("body")) != (new.get("title"), new.get("body"))
    return TextDiff(lines=lines, noise_only=raw_differs and not lines)


def _date_lines(old: str | None, new: str | None) -> list[DiffLine]:
    """The published date as a one-line part of the diff (a changed date of issue is news, never noise)."""
    if (old or None) == (new or None):
        return []
    if old and new:
        old_segments, new_segments = char_segments(old, new)
        return [DiffLine("changed", "published", old=old, new=new, old_segments=old_segments,
                         new_segments=new_segments)]
    return [DiffLine("added", "published", new=new)] if new else [DiffLine("removed", "published", old=old)]


def source_ignore_patterns(source_config: dict[str, Any] | None) -> list[str]:
    """The `ignore` list a source's config carries (a string or a list of strings)."""
    value = (source_config or {}).get("ignore") or []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]
