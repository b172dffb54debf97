"""Property-based tests: the segmenter and the date normalizer on arbitrary input never raise and never lose text."""
import re
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.dates import normalize
from pipeline.reading import SourceText, clean_text
from pipeline.segment import ARTICLE_DATE_LINE, DATE_LINE, stories_of

# Pieces of real page layout, so that arbitrary text often looks like a topic page or an article.
LAYOUT = [
    "Aug 2, 2019 - World", "Updated Jul 31, 2019 - Politics & Policy", "Jul 32, 2019 - World", "July 31, 2019",
    "2019-07-31", "Scoop: Trump's negotiator signals flexibility", "Why it matters: ", "The big picture, per AP: ",
    "Go deeper: In photos", "He told reporters: ", "Photo: Getty Images", "North Korea fired two missiles on Wednesday.",
    "Kim Jong-un", "\n", "\n\n", "\n\n\n", " ", "\t", "\r\n", "\u00a0", "\u200b", "\x0c", "\u2028", ":", "-", "—", '"',
]
page_text = st.lists(st.one_of(st.sampled_from(LAYOUT), st.text(max_size=30)), max_size=40).map("".join)


def words(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", text or ""))


def date_line_words(text: str) -> set[str]:
    found = set()
    for line in text.splitlines():
        if DATE_LINE.match(line) or ARTICLE_DATE_LINE.match(line.strip()):
            found |= words(line)
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_text, st.sampled_from(["text", "jsonl"]))
def test_the_segmenter_never_raises_and_loses_no_word(raw, kind):
    problems = []
    text = clean_text(raw, "page.txt", problems.append)
    if kind == "jsonl":
        stories = list(stories_of(SourceText(Path("wire.jsonl"), "jsonl", text, digest=""), problems.append, None))
        assert all(story.text == story.text.strip() for story in stories)
        return
    stories = list(stories_of(SourceText(Path("page.txt"), "text", text, digest=""), problems.append, None))
    kept = set()
    for story in stories:
        for part in (story.headline, story.kicker, story.caption, story.photo_credit, story.page_title, story.text,
                     story.section, *story.related, *(marker.label for marker in story.markers)):
            kept |= words(part)
        for marker in story.markers:  # a marker's offset is where its paragraph starts in the text, or its end
            assert 0 <= marker.start_char <= len(story.text)
            assert marker.start_char in (0, len(story.text)) or story.text[marker.start_char - 2:marker.start_char] == "\n\n"
        source = text[story.start_char:story.end_char]  # a story's offsets span its own lines of the source
        assert words(story.headline) <= words(source) and words(story.text) <= words(source) | {"Photo"}
        assert story.line == text[:story.start_char].count("\n") + 1 or not story.text
    lost = words(text) - kept - date_line_words(text) - {"Photo"}  # 'Photo:' introduces the photo credit
    assert not lost, (lost, stories)


# Expressions that point forward, or name their year (an absolute date may lie anywhere); "this spring" in January
# is the coming spring, and "this Wednesday" on a Tuesday the day of this week still to come.
FORWARD_OR_ABSOLUTE = re.compile(
    r"\b(?:next|coming|upcoming|later|after|following|tomorrow|ahead|from now|until|till|through|up to"
    r"|this (?:spring|summer|fall|autumn|winter|weekend|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
    r"|in \w+ (?:days?|weeks?|months?|years?)|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b|\d{3,4}s?\b|'\d\d", re.IGNORECASE)
EXPRESSIONS = [
    "Monday", "Wednesday", "Sunday", "last", "next", "this", "week", "month", "year", "weekend", "ago", "two days",
    "three weeks", "early", "late", "mid", "on", "in", "January", "Jan.", "March 12", "Dec. 31", "the 1990s", "'58",
    "spring", "summer", "morning", "night", "yesterday", "today", "tonight", "overnight", "10:35 a.m.", "1100 GMT",
    "the same day", "the day before", "earlier", "recently", "Christmas", "Election Day", "quarter", "first", "the",
    "of", "2019", "1987", "a", "few", "several", ",", "-", "last week's", "this past",
]
expressions = st.lists(st.one_of(st.sampled_from(EXPRESSIONS), st.text(max_size=12)), min_size=1, max_size=5).map(" ".join)
anchors = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=1500, deadline=None)
@given(expressions, anchors, st.sampled_from([None, "past", "future"]))
@example("1 Dec. 31", date(1931, 1, 1), None)  # once found: dateparser took the stray '31' for the year
@example("this Wednesday", date(2000, 2, 1), None)  # once found: the coming day of the week, as it should be
def test_normalize_never_raises_and_stays_behind_the_anchor_unless_told_otherwise(expression, anchor, tense):
    value = normalize(expression, anchor, tense=tense)
    if value is None or tense == "future" or FORWARD_OR_ABSOLUTE.search(expression):
        return
    assert value.start <= anchor, (expression, anchor, value)
