"""Stage 1b: cut input texts into stories.

Four kinds of input:
- an aggregated topic page (.txt with date lines such as "Aug 2, 2019 - World"),
- a single article (.txt without date lines),
- an HTML page (.html, or a .txt that is HTML): its article text, never its markup,
- JSONL, one story a line.

Bad input never stops the run: each problem is reported as a `Problem` naming the file and
line, and the good stories of the same file still come out. No text is dropped: every word of
a page ends up in a story's headline, kicker, caption, photo credit, markers, related links,
page title or text, except the date lines themselves.
"""
from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .reading import (ProblemHandler, SourceText, clean_text, foreign_language, html_article, iter_input_files,
                      read_source, segmentation_settings)
from .records import Marker, Problem, Story

_MONTH = rf"(?:{'|'.join(calendar.month_abbr[1:])})[a-z]*\.?"  # 'Aug', 'August', 'Sept.'
_DATE = rf"{_MONTH}\s+\d{{1,2}},\s+\d{{4}}"
DATE_LINE = re.compile(
    rf"^(?P<updated>Updated\s+)?(?P<date>{_DATE})\s+[-\u2013\u2014]\s+(?P<section>[A-Z][\w&' ]{{0,40}})\s*$"
)
# A line that is only a date: "July 31, 2019", "2019-07-31", "Published July 31, 2019 10:35 a.m.".
ARTICLE_DATE_LINE = re.compile(
    rf"^(?:(?:Updated|Published|Posted)\s*:?\s+)?(?P<date>{_DATE}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:\s*(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PHOTO_CREDIT = re.compile(r"(?:^|\s)Photo:\s*(?P<credit>.+)$", re.S)


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_SETTINGS = segmentation_settings()
KICKER_HEADLINE = re.compile(rf"^(?P<kicker>{_alternatives(_SETTINGS['kickers'])}):\s+(?P<headline>\S.*)$")
# Only the closed list of markers: "He told reporters: ..." is text.
MARKER = re.compile(
    rf"^(?P<label>(?:{_alternatives(_SETTINGS['axios_markers'])})"
    rf"(?:,\s+(?:{_alternatives(_SETTINGS['marker_qualifiers'])})\s+[^:\n]{{1,80}})?):\s+(?=\S)"
)
RELATED_MARKERS = frozenset(_SETTINGS["related_markers"])


@dataclass
class _Block:
    """A paragraph of the source: consecutive non-blank lines."""

    lines: list[str]
    start: int  # offset in the file
    line: int  # 1-based line number of its first line
    end: int = 0  # offset in the file just after its last non-blank character

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def as_inputs(inputs: str | Path | Iterable[str | Path]) -> list[Path]:
    """One path (str or Path) or a list of them, as a list: a string is a path, never a sequence of characters."""
    if isinstance(inputs, (str, Path)):
        return [Path(inputs)]
    items = list(inputs)
    wrong = [item for item in items if not isinstance(item, (str, Path))]
    if wrong:
        raise TypeError(f"inputs must be paths (str or pathlib.Path), got {type(wrong[0]).__name__}: {wrong[0]!r}")
    return [Path(item) for item in items]


def read_stories(
    inputs: str | Path | Iterable[str | Path], report: ProblemHandler, published: date | None = None,
    admit: Callable[[SourceText], bool] | None = None, unique: UniqueStories | None = None,
) -> Iterator[Story]:
    """All stories of all inputs, each once. `published` dates single articles that carry no date of their own;
    `admit` decides which inputs are read (an incremental run skips those already in its output); `unique` may know
    stories of earlier runs."""
    unique = unique or UniqueStories(report)
    for path in iter_input_files(as_inputs(inputs), report):
        source = read_source(path, report)
        if source is None or (admit is not None and not admit(source)):
            continue
        try:
            for story in stories_of(source, report, published):
                if checked(story, report) and unique.first(story):
                    yield story
        except Exception as error:  # noqa: BLE001  a fault on one file must not cost the stories of the others
            report(Problem(str(path), 0, "unreadable", f"could not be segmented ({error!r}); rest of the file skipped"))


def stories_of(source: SourceText, report: ProblemHandler, published: date | None) -> Iterator[Story]:
    path = str(source.path)
    if source.kind == "jsonl":
        yield from parse_jsonl(source.lines(), path, report)
    elif source.kind == "html":
        story = parse_html(source.text, path, published)
        if story.text or story.headline:
            yield story
        else:
            report(Problem(path, 0, "html", "HTML page without article text; skipped"))
    elif any(DATE_LINE.match(block.lines[0]) for block in _blocks(source.text)):
        yield from parse_topic_page(source.text, path, report)
    else:
        yield parse_article(source.text, path, published, report)


def checked(story: Story, report: ProblemHandler) -> bool:
    """Whether the story goes on to extraction; what is wrong with it is reported."""
    if not story.text.strip():
        if not story.headline:
            report(Problem(story.source, story.line, "no_body", "story without headline or text; skipped", story.story_id))
            return False
        story.flags.append("empty_body")
        report(Problem(story.source, story.line, "no_body", "headline without a body; written without events",
                       story.story_id, severity="warning"))
        return True
    reason = foreign_language(story.text)
    if reason:
        report(Problem(story.source, story.line, "not_english", f"not English ({reason}); skipped", story.story_id))
        return False
    return True


class UniqueStories:
    """Lets each story through once: the same id, or the same text, from several files or pages is one story."""

    def __init__(self, report: ProblemHandler) -> None:
        self.report = report
        self.ids: dict[str, bytes] = {}
        self.texts: dict[bytes, tuple[str, str]] = {}

    @staticmethod
    def text_key(text: str, headline: str | None) -> bytes:
        content = text if text.strip() else headline or ""
        return hashlib.blake2b(" ".join(content.lower().split()).encode("utf-8"), digest_size=12).digest()

    def remember(self, story_id: str, text: str, headline: str | None, source: str) -> None:
        """A story already written (by an earlier run into the same output)."""
        key = self.text_key(text, headline)
        self.ids[story_id] = key
        self.texts.setdefault(key, (story_id, source))

    def first(self, story: Story) -> bool:
        key = self.text_key(story.text, story.headline)
        if key in self.texts:
            first_id, first_source = self.texts[key]
            self.report(Problem(story.source, story.line, "duplicate",
                                f"story {story.story_id} repeats story {first_id} of {first_source}; skipped", story.story_id))
            return False
        if story.story_id in self.ids:
            if story.published_source == "jsonl":
                self.report(Problem(story.source, story.line, "duplicate",
                                    f"id {story.story_id!r} already used by another story with a different text; skipped",
                                    story.story_id))
                return False
            self._rename(story)
        self.ids[story.story_id] = key
        self.texts[key] = (story.story_id, story.source)
        return True

    def _rename(self, story: Story) -> None:
        """An id the pipeline made from a file name, taken by a different story of another file: number it on."""
        number = 2
        while f"{story.story_id}~{number}" in self.ids:
            number += 1
        renamed = f"{story.story_id}~{number}"
        self.report(Problem(story.source, story.line, "renamed_id",
                            f"id {story.story_id!r} is taken by a different story of another file; written as {renamed!r}",
                            renamed, severity="warning"))
        story.story_id = renamed


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
            current.end = offset + len(content.rstrip())
        else:
            current = None
        offset += len(line)
    return blocks


def parse_date(text: str) -> date:
    """'Jul 31, 2019', 'July 31, 2019', 'Sept. 3, 2019' or '2019-07-31'; ValueError for a date that does not exist."""
    text = re.sub(r"\s+", " ", text.replace(".", "")).strip()
    if ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)
    month, rest = text.split(" ", 1)
    return datetime.strptime(f"{month[:3]} {rest}", "%b %d, %Y").date()


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


def _body(paragraphs: Iterable[str]) -> tuple[str, list[Marker], list[str]]:
    """The story text, its markers (label and offset) and its related links, from its paragraphs."""
    kept: list[str] = []
    markers: list[Marker] = []
    related: list[str] = []
    offset = 0
    for paragraph in paragraphs:
        paragraph = re.sub(r"\s*\n\s*", " ", paragraph.replace("\u00a0", " ")).strip()
        marker = MARKER.match(paragraph)
        if marker:
            markers.append(Marker(marker.group("label"), offset))
            if marker.group("label") in RELATED_MARKERS:
                related.append(paragraph[marker.end():].strip())
                continue
            paragraph = paragraph[marker.end():]
        kept.append(paragraph)
        offset += len(paragraph) + 2
    text = "\n\n".join(kept)
    # A related link after the last paragraph marks the end of the text.
    markers = [Marker(m.label, min(m.start_char, len(text))) for m in markers]
    return text, markers, related


def _dated(story: Story, match: re.Match[str], how: str, source: str, line: int, report: ProblemHandler) -> None:
    """Date the story from a date line or dateline; a date that does not exist is reported and left out."""
    try:
        story.published, story.published_source = parse_date(match.group("date")), how
    except ValueError:
        story.flags.append("bad_date_line")
        report(Problem(source, line, "bad_date", f"{match.group('date')!r} is not a real date; story kept without a "
                                                 "publication date (its relative dates stay unresolved)", story.story_id))


def parse_topic_page(text: str, source: str, report: ProblemHandler) -> Iterator[Story]:
    """Cut an aggregated topic page into stories, newest first as on the page."""
    blocks = _blocks(text)
    starts: list[int] = []
    for index, block in enumerate(blocks):
        # A story's own headline sits right after its date line, so an undated start needs a body before it.
        if DATE_LINE.match(block.lines[0]) or (starts and index > starts[-1] + 1 and _is_undated_story_start(blocks, index)):
            starts.append(index)
    page_title = "\n\n".join(block.text for block in blocks[: starts[0]]) or None if starts else None
    stem = Path(source).stem
    for number, (first, last) in enumerate(zip(starts, starts[1:] + [len(blocks)]), start=1):
        yield _page_story(blocks[first:last], f"{stem}:{number:02d}", source, page_title, report)


def _page_story(story_blocks: list[_Block], story_id: str, source: str, page_title: str | None,
                report: ProblemHandler) -> Story:
    story = Story(story_id=story_id, source=source, text="", page_title=page_title)
    story.start_char, story.end_char, story.line = story_blocks[0].start, story_blocks[-1].end, story_blocks[0].line
    head = story_blocks[0]
    date_line = DATE_LINE.match(head.lines[0])
    if date_line:
        _dated(story, date_line, "date_line", source, head.line, report)
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
        if kicker and not story.kicker:
            story.kicker = kicker.group("kicker")
            headline = kicker.group("headline").strip()
        story.headline = headline
        rest = rest[1:]
    if rest and (caption := _caption(rest[0])) is not None:
        story.caption, story.photo_credit = caption
        rest = rest[1:]
    story.text, story.markers, story.related = _body(block.text for block in rest)
    return story


def parse_article(text: str, source: str, published: date | None, report: ProblemHandler) -> Story:
    """A single article: an optional date line at the top, an optional headline, the body."""
    blocks = _blocks(text)
    story = Story(story_id=Path(source).stem, source=source, text="")
    if blocks:
        story.start_char, story.end_char, story.line = blocks[0].start, blocks[-1].end, blocks[0].line
    first_line = blocks[0].lines[0] if blocks else ""
    date_line = DATE_LINE.match(first_line) or ARTICLE_DATE_LINE.match(first_line.strip())
    if published is not None:
        story.published, story.published_source = published, "option"
    elif date_line:
        _dated(story, date_line, "dateline", source, 1, report)
    else:
        story.flags.append("no_publication_date")
    if date_line:
        blocks = [_Block(blocks[0].lines[1:], blocks[0].start, blocks[0].line + 1, blocks[0].end)] + blocks[1:]
        blocks = [block for block in blocks if block.lines]
    if len(blocks) > 1 and len(blocks[0].lines) == 1 and len(blocks[0].text.split()) <= 20 and not blocks[0].text.endswith("."):
        story.headline = blocks[0].text.strip()
        blocks = blocks[1:]
    story.text, story.markers, story.related = _body(block.text for block in blocks)
    return story


def parse_html(markup: str, source: str, published: date | None) -> Story:
    """An HTML page's article as a story: headline, publication date and caption from the page, paragraphs as text."""
    article = html_article(markup)
    story = Story(story_id=Path(source).stem, source=source, text="", headline=article.headline, caption=article.caption)
    story.end_char = len(markup)
    if published is not None:
        story.published, story.published_source = published, "option"
    elif article.published is not None:
        story.published, story.published_source = article.published, "html_meta"
    else:
        story.flags.append("no_publication_date")
    story.text, story.markers, story.related = _body(article.paragraphs)
    return story


def parse_jsonl(lines: Iterable[tuple[int, str, bool]], source: str, report: ProblemHandler) -> Iterator[Story]:
    """The stories of a JSONL file's lines (`SourceText.lines`)."""
    for number, line, cut_off in lines:
        try:
            record = json.loads(line, strict=False)  # control characters in strings are cleaned below
        except json.JSONDecodeError as err:
            truncated = " (the file looks cut off here)" if cut_off else ""
            report(Problem(source, number, "invalid_json", f"invalid JSON: {err.msg} (column {err.colno}){truncated}; line skipped"))
            continue
        story = _jsonl_story(record, source, number, report)
        if story is not None:
            yield story


def _jsonl_story(record: object, source: str, number: int, report: ProblemHandler) -> Story | None:
    def problem(message: str, story_id: str | None = None) -> None:
        report(Problem(source, number, "invalid_record", message, story_id))

    if not isinstance(record, dict):
        problem(f"expected a JSON object with id, published and text, got {type(record).__name__}; line skipped")
        return None
    for key in ("id", "text"):
        if key not in record:
            problem(f"missing field {key!r}; line skipped")
            return None
    story_id = record["id"]
    if isinstance(story_id, bool) or not isinstance(story_id, (str, int)) or not str(story_id).strip():
        problem(f"field 'id' must be a non-empty string or an integer, got {story_id!r}; line skipped")
        return None
    story_id = str(story_id)
    body = record["text"]
    if not isinstance(body, str):
        problem(f"field 'text' must be a string, got {type(body).__name__}; line skipped", story_id)
        return None
    story = Story(story_id=story_id, source=source, text=clean_text(body, source, report, number).strip(), line=number)
    headline = record.get("headline")
    if isinstance(headline, str):
        story.headline = clean_text(headline, source, report, number).strip() or None
    elif headline is not None:
        problem(f"field 'headline' must be a string, got {type(headline).__name__}; headline left out", story_id)
    published = record.get("published")
    if published is None:
        story.flags.append("no_publication_date")
        return story
    try:
        if not isinstance(published, str) or not ISO_DATE.fullmatch(published):
            raise ValueError
        story.published, story.published_source = date.fromisoformat(published), "jsonl"
    except ValueError:
        story.flags.append("no_publication_date")
        problem(f"field 'published' must be a YYYY-MM-DD string, got {published!r}; story kept without a publication date",
                story_id)
    return story
