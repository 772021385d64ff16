"""Build bench/corpus/gold.jsonl from the hand-annotated sources in bench/corpus/src/*.txt.

Source lines are `style<TAB>hard<TAB>annotated text`; annotations are `[surface]{TAG:value}` and may nest:
`[[丸紅]{M:丸紅}株式会社]{O:丸紅}`. Tags: M (mention; value = watch entry name), A (amount; yen),
D (date; ISO), O (organization; name without legal form). Lines starting with # are comments.
The split (dev / heldout) is the source file's stem when it is `heldout`, else `dev`.

    python bench/corpus/build.py        # rewrites gold.jsonl and prints counts
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TAGS = {"M": "mentions", "A": "amounts", "D": "dates", "O": "organizations"}
_CLOSE = re.compile(r"\]\{([MADO]):([^}]*)\}")


def parse_line(annotated: str) -> tuple[str, dict[str, list[dict]]]:
    """Plain text and its annotations (character offsets into the plain text)."""
    out: list[str] = []
    stack: list[int] = []
    spans: dict[str, list[dict]] = {name: [] for name in TAGS.values()}
    length = 0
    i = 0
    while i < len(annotated):
        ch = annotated[i]
        if ch == "[":
            stack.append(length)
            i += 1
            continue
        if ch == "]":
            match = _CLOSE.match(annotated, i)
            if not match or not stack:
                raise ValueError(f"unbalanced ']' at {i}: {annotated}")
            start = stack.pop()
            tag, value = match.group(1), match.group(2)
            surface = "".join(out)[start:length]
            item: dict = {"surface": surface, "start": start, "end": length}
            if tag == "M":
                item["entity"] = value
            elif tag == "A":
                item["yen"] = int(value)
            elif tag == "D":
                item["date"] = value
            else:
                item["name"] = value
            spans[TAGS[tag]].append(item)
            i = match.end()
            continue
        if ch in "{}":
            raise ValueError(f"stray {ch!r} at {i}: {annotated}")
        out.append(ch)
        length += 1
        i += 1
    if stack:
        raise ValueError(f"unclosed '[': {annotated}")
    for items in spans.values():
        items.sort(key=lambda x: (x["start"], x["end"]))
    return "".join(out), spans


def build() -> list[dict]:
    records = []
    for path in sorted((HERE / "src").glob("*.txt")):
        split = "heldout" if path.stem == "heldout" else "dev"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                style, hard, annotated = line.split("\t", 2)
                text, spans = parse_line(annotated)
            except ValueError as error:
                raise SystemExit(f"{path.name}:{number}: {error}") from None
            records.append({"id": f"{path.stem}-{number}", "split": split, "style": style,
                            "hard": hard == "1", "text": text, **spans})
    return records


def main() -> None:
    records = build()
    with (HERE / "gold.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    counts = {name: sum(len(r[name]) for r in records) for name in TAGS.values()}
    hard = sum(r["hard"] for r in records)
    print(json.dumps({"sentences": len(records), "hard": hard, **counts}, ensure_ascii=False), file=sys.stdout)


if __name__ == "__main__":
    main()
