"""Date normalization against TimeML gold (TempEval-3 Platinum and the like).

    python -m pipeline.bench.timeml ../shared/peer/tempeval3-platinum [--errors] [--repeat N]

For every TIMEX3 of type DATE or TIME with a concrete gold value, calls
`normalize(text, anchor=DCT, sentence=...)` and prints the share of values
exactly right (times compared to the minute), then calls per second.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import dates
from . import normalize_rates

CONCRETE = re.compile(r"^\d{2,4}(?:-(?:\d{2}|W\d{2}|Q[1-4]|SP|SU|FA|WI)(?:-(?:\d{2}|WE))?)?(?:T(?:\d{2}(?::\d{2})?|MO|AF|EV|NI))?$")
TIMEX = re.compile(r"<TIMEX3(?P<attrs>[^>]*)>(?P<text>.*?)</TIMEX3>", re.S)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“A-Z0-9])|\n\s*\n")


@dataclass(frozen=True)
class GoldTimex:
    document: str
    text: str
    value: str
    anchor: date
    sentence: str


def load_timeml(folder: Path) -> list[GoldTimex]:
    """The concrete DATE and TIME expressions of every .tml file, each with its sentence and DCT."""
    items: list[GoldTimex] = []
    for path in sorted(folder.glob("*.tml")):
        source = path.read_text(encoding="utf-8")
        dct = re.search(r"<DCT>.*?value=\"(\d{4}-\d{2}-\d{2})", source, re.S)
        body = source.split("<TEXT>", 1)[1].split("</TEXT>", 1)[0]
        body = re.sub(r"<(?!/?TIMEX3)[^>]+>", "", body)
        plain_parts: list[str] = []
        spans: list[tuple[int, int, dict[str, str], str]] = []
        cursor = 0
        length = 0
        for match in TIMEX.finditer(body):
            before = html.unescape(body[cursor:match.start()])
            plain_parts.append(before)
            length += len(before)
            text = html.unescape(re.sub(r"<[^>]+>", "", match.group("text")))
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', match.group("attrs")))
            spans.append((length, length + len(text), attrs, text))
            plain_parts.append(text)
            length += len(text)
            cursor = match.end()
        plain_parts.append(html.unescape(body[cursor:]))
        plain = "".join(plain_parts)
        bounds = [0] + [m.end() for m in SENTENCE_END.finditer(plain)] + [len(plain)]
        for start, end, attrs, text in spans:
            if attrs.get("type") not in ("DATE", "TIME") or not CONCRETE.match(attrs.get("value", "")):
                continue
            s_start = max(b for b in bounds if b <= start)
            s_end = min(b for b in bounds if b >= end)
            sentence = " ".join(plain[s_start:s_end].split())
            items.append(GoldTimex(path.stem, text, attrs["value"], date.fromisoformat(dct.group(1)), sentence))
    return items


def same_value(predicted: str | None, gold: str) -> bool:
    if predicted is None:
        return False
    return predicted[:16] == gold[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench.timeml", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder of TimeML .tml files with a <DCT>")
    parser.add_argument("--errors", action="store_true", help="list every wrong value")
    parser.add_argument("--repeat", type=int, default=200, help="passes over the expressions for the speed figure (default 200)")
    args = parser.parse_args(argv)
    items = load_timeml(args.folder)
    if not items:
        print(f"no TimeML documents with concrete DATE/TIME values in {args.folder}", file=sys.stderr)
        return 2
    right = 0
    for item in items:
        result = dates.normalize(item.text, item.anchor, item.sentence)
        ok = same_value(result.value if result else None, item.value)
        right += ok
        if args.errors and not ok:
            print(f"  {item.document}: {item.text!r} gold={item.value} got={result.value if result else None} ({result.rule if result else '-'}) | {item.sentence[:160]}")
    documents = len({item.document for item in items})
    print(f"accuracy {right / len(items):.3f} ({right}/{len(items)} concrete DATE/TIME values, {documents} documents)")

    cold, warm = normalize_rates([(item.text, item.anchor, item.sentence) for item in items], args.repeat)
    print(f"speed {cold:,.0f} calls/s first pass (empty cache), {warm:,.0f} calls/s over {args.repeat} passes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
