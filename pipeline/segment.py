"""Stage 1: read input files and cut them into stories.

Three kinds of input:
- an aggregated topic page (.txt with date lines such as "Aug 2, 2019 - World"),
- a single article (.txt without date lines),
- JSONL, one story a line.

Bad input never stops the run: each problem is reported through `on_problem`
with the file and line, and the good stories of the same file still come out.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .records import Marker, Story

INPUT_SUFFIXES = (".txt", ".jsonl")

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE_LINE = re.compile(
    rf"^(?P<updated>Updated\s+)?(?P<date>{_MONTH}\s+\d{{1,2}},\s+\d{{4}})\s+[-\u2013\u2014]\s+(?P<section>[A-Z][\w&' ]{{0,40}})\s*$"
)
# A date at the top of a single article: "July 31, 2019", "2019-07-31", "SEOUL, July 31, 2019 (Reuters) -".
ARTICLE_DATE = re.compile(rf"(?P<date>{_MONTH}\s+\d{{1,2}},\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})")
KICKER_HEADLINE = re.compile(r"^(?P<kicker>Scoop|Exclusive|Scooplet|Breaking|Analysis|Exclusive interview):\s+(?P<headline>\S.*)$")
PHOTO_CREDIT = re.compile(r"(?:^|\s)Photo:\s*(?P<credit>.+)$", re.S)
MARKER = re.compile(r"^(?P<label>[A-Z][A-Za-z'’]*(?:,?\s[A-Za-z'’.]+){0,7}):\s+(?=\S)")
RELATED_MARKERS = {"Go deeper", "Go deeper (Axios)", "Read more", "Related"}


@dataclass(frozen=True)
class InputProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


ProblemHandler = Callable[[InputProblem], None]


@dataclass
class _Block:
    """A paragraph of the source: consecutive non-blank lines."""

    lines: list[str]
    start: int  # offset in the file
    line: int  # 1-based line number of its first line

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def iter_input_files(inputs: Iterable[str | Path], on_problem: ProblemHandler) -> Iterator[Path]:
    """Expand files and folders (recursively) into input files, in a stable order."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in INPUT_SUFFIXES)
            if not found:
                on_problem(InputProblem(str(path), 0, f"no {' or '.join(INPUT_SUFFIXES)} files in this folder"))
            yield from found
        elif path.is_file():
            if path.suffix not in INPUT_SUFFIXES:
                on_problem(InputProblem(str(path), 0, f"unsupported file type {path.suffix!r}; expected .txt or .jsonl"))
                continue
            yield path
        else:
            on_problem(InputProblem(str(path), 0, "no such file or folder"))


def read_stories(
    inputs: Iterable[str | Path], on_problem: ProblemHandler, published: date | None = None
) -> Iterator[Story]:
    """All stories of all inputs. `published` dates single articles that carry no date of their own."""
    for path in iter_input_files(inputs, on_problem):
        try:
            raw = path.read_bytes()
        except OSError as err:
            on_problem(InputProblem(str(path), 0, f"cannot read: {err.strerror}"))
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            on_problem(InputProblem(str(path), line, f"not UTF-8 text ({err.reason} at byte {err.start})"))
            continue
        if not text.strip():
            on_problem(InputProblem(str(path), 1, "empty file"))
        elif path.suffix == ".jsonl":
            yield from parse_jsonl(text, str(path), on_problem)
        elif any(DATE_LINE.match(line) for line in text.splitlines()):
            yield from parse_topic_page(text, str(path))
        else:
            yield parse_article(text, str(path), published)


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    offset = 0
    current: _Block | None = None
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        content = line.rstrip("\r\n")
        if content.strip():
            if current is None:
                current = _Block([], offset, number)
                blocks.append(current)
            current.lines.append(content.rstrip())
        else:
            current = None
        offset += len(line)
    return blocks


def _parse_date(text: str) -> date:
    text = re.sub(r"\s+", " ", text.replace(".", "")).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    month, rest = text.split(" ", 1)
    month = month[:3]
    return datetime.strptime(f"{month} {rest}", "%b %d, %Y").date()


def _caption(block: _Block) -> tuple[str | None, str | None] | None:
    """(caption, credit) when the block is a photo caption, else None."""
    match = PHOTO_CREDIT.search(block.text)
    if not match:
        return None
    caption = block.text[: match.start()].strip() or None
    return caption, match.group("credit").strip()


def _is_undated_story_start(blocks: list[_Block], index: int) -> bool:
    """A headline without a date line: a kicker headline ("Scoop: ...") or a one-line title followed by a photo caption."""
    block = blocks[index]
    if len(block.lines) != 1 or DATE_LINE.match(block.lines[0]):
        return False
    line = block.lines[0]
    if KICKER_HEADLINE.match(line):
        return True
    followed_by_caption = index + 1 < len(blocks) and _caption(blocks[index + 1]) is not None
    return followed_by_caption and len(line.split()) <= 20 and not line.rstrip().endswith((".", '"', "”"))


def _body(blocks: list[_Block]) -> tuple[str, list[Marker], list[str]]:
    paragraphs: list[str] = []
    markers: list[Marker] = []
    related: list[str] = []
    offset = 0
    for block in blocks:
        paragraph = re.sub(r"\s*\n\s*", " ", block.text.replace("\u00a0", " ")).strip()
        marker = MARKER.match(paragraph)
        if marker and marker.group("label") in RELATED_MARKERS:
            related.append(paragraph[marker.end():].strip())
            continue
        if marker:
            markers.append(Marker(marker.group("label"), offset))
            paragraph = paragraph[marker.end():]
        paragraphs.append(paragraph)
        offset += len(paragraph) + 2
    return "\n\n".join(paragraphs), markers, related


def parse_topic_page(text: str, source: str) -> Iterator[Story]:
    """Cut an aggregated topic page into stories, newest first as on the page."""
    blocks = _blocks(text)
    starts: list[int] = []
    for index, block in enumerate(blocks):
        # A story's own headline sits right after its date line, so an undated start needs a body before it.
        if DATE_LINE.match(block.lines[0]) or (starts and index > starts[-1] + 1 and _is_undated_story_start(blocks, index)):
            starts.append(index)
    stem = Path(source).stem
    for number, (first, last) in enumerate(zip(starts, starts[1:] + [len(blocks)]), start=1):
        story_blocks = blocks[first:last]
        story = Story(story_id=f"{stem}:{number:02d}", source=source, text="")
        story.start_char, story.end_char, story.line = story_blocks[0].start, story_blocks[-1].end, story_blocks[0].line
        head = story_blocks[0]
        date_line = DATE_LINE.match(head.lines[0])
        if date_line:
            story.published = _parse_date(date_line.group("date"))
            story.published_source = "date_line"
            story.updated = bool(date_line.group("updated"))
            story.section = date_line.group("section").strip()
            story.kicker = " ".join(head.lines[1:]).strip() or None
            rest = story_blocks[1:]
        else:
            story.flags.append("no_date_line")
            rest = story_blocks
        if rest and len(rest[0].lines) == 1 and _caption(rest[0]) is None:
            headline = rest[0].lines[0].strip()
            kicker = KICKER_HEADLINE.match(headline)
            if kicker:
                story.kicker = story.kicker or kicker.group("kicker")
                headline = kicker.group("headline").strip()
            story.headline = headline
            rest = rest[1:]
        if rest and (caption := _caption(rest[0])) is not None:
            story.caption, story.photo_credit = caption
            rest = rest[1:]
        story.text, story.markers, story.related = _body(rest)
        if not story.text:
            story.flags.append("empty_body")
        yield story


def parse_article(text: str, source: str, published: date | None) -> Story:
    """A single article: an optional date line or dateline at the top, an optional headline, the body."""
    blocks = _blocks(text)
    story = Story(story_id=Path(source).stem, source=source, text="")
    if blocks:
        story.start_char, story.end_char = blocks[0].start, blocks[-1].end
    first_line = blocks[0].lines[0] if blocks else ""
    found = ARTICLE_DATE.search(first_line[:120])
    if published is not None:
        story.published, story.published_source = published, "option"
    elif found:
        story.published, story.published_source = _parse_date(found.group("date")), "dateline"
    else:
        story.flags.append("no_publication_date")
    if blocks and (DATE_LINE.match(first_line) or (found and len(first_line.split()) <= 6)):
        blocks = blocks[1:]
    if len(blocks) > 1 and len(blocks[0].lines) == 1 and len(blocks[0].text.split()) <= 20 and not blocks[0].text.endswith("."):
        story.headline = blocks[0].text.strip()
        blocks = blocks[1:]
    story.text, story.markers, story.related = _body(blocks)
    return story


def parse_jsonl(text: str, source: str, on_problem: ProblemHandler) -> Iterator[Story]:
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            on_problem(InputProblem(source, number, f"invalid JSON: {err.msg} (column {err.colno})"))
            continue
        problem = _check_record(record, seen)
        if problem:
            on_problem(InputProblem(source, number, problem))
            continue
        story_id = str(record["id"])
        seen.add(story_id)
        published = record.get("published")
        story = Story(
            story_id=story_id,
            source=source,
            text=record["text"].replace("\u00a0", " ").strip(),
            published=date.fromisoformat(published) if published else None,
            published_source="jsonl" if published else "none",
            headline=record.get("headline"),
            line=number,
        )
        if published is None:
            story.flags.append("no_publication_date")
        yield story


def _check_record(record: object, seen: set[str]) -> str | None:
    if not isinstance(record, dict):
        return "expected a JSON object with id, published, text"
    for key in ("id", "text"):
        if key not in record:
            return f"missing field {key!r}"
    if not isinstance(record["text"], str) or not record["text"].strip():
        return "field 'text' must be a non-empty string"
    if str(record["id"]) in seen:
        return f"duplicate id {record['id']!r}"
    published = record.get("published")
    if published is not None:
        try:
            date.fromisoformat(str(published))
        except ValueError:
            return f"field 'published' must be YYYY-MM-DD, got {published!r}"
    headline = record.get("headline")
    if headline is not None and not isinstance(headline, str):
        return "field 'headline' must be a string"
    return None
