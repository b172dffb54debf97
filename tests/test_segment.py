import json
from datetime import date

import pytest

from pipeline.reading import SourceText, normalize_line_ends, read_source
from pipeline.records import Problem
from pipeline.segment import parse_article, read_stories
from pipeline.segment import stories_of as stories_of_source

from conftest import SAMPLE


def stories_of(paths, **kwargs):
    problems: list[Problem] = []
    return list(read_stories(paths, problems.append, **kwargs)), problems


def test_sample_page_cuts_into_ten_stories_with_their_parts():
    stories, problems = stories_of([SAMPLE])
    assert problems == []
    assert len(stories) == 10
    first = stories[0]
    assert first.headline == 'Trump tells Kim to "do the right thing" after North Korean missile tests'
    assert first.published == date(2019, 8, 2) and first.section == "World" and not first.updated
    assert first.caption.startswith("North Korean leader Kim Jong-un and President Trump attend a meeting")
    assert first.photo_credit == "Dong-A Ilbo/Getty Images"
    assert "Photo:" not in first.text and first.caption not in first.text
    assert [s.published for s in stories[:5]] == [date(2019, 8, 2), date(2019, 8, 1), date(2019, 7, 31), date(2019, 7, 26), date(2019, 7, 25)]


def test_updated_is_a_flag_not_another_date():
    stories, _ = stories_of([SAMPLE])
    third = stories[2]
    assert third.updated is True and third.published == date(2019, 7, 31)


def test_kickers_are_kept_apart_from_headlines():
    stories, _ = stories_of([SAMPLE])
    assert stories[3].kicker == "Expert Voices"
    assert stories[3].headline == "Ignoring North Korean missile tests could hamper nuclear talks"
    scoop = stories[7]
    assert scoop.kicker == "Scoop"
    assert scoop.headline == "Trump's negotiator signals flexibility in North Korea talks"


def test_story_without_a_date_line_is_flagged_not_guessed():
    stories, _ = stories_of([SAMPLE])
    scoop = stories[7]
    assert scoop.published is None
    assert scoop.published_source == "none"
    assert "no_date_line" in scoop.flags
    assert scoop.text.startswith("Steve Biegun, the Trump administration's North Korea negotiator")


def test_axios_markers_are_structure_not_text():
    stories, _ = stories_of([SAMPLE])
    first = stories[0]
    assert [m.label for m in first.markers] == ["Why it matters"]
    assert "Why it matters" not in first.text
    marked = first.markers[0]
    assert first.text[marked.start_char:].startswith("The president has repeatedly downplayed")
    assert stories[9].markers[0].label == "The big picture, per the Times report"
    moon = stories[8]
    assert moon.related == ["In photos: Trump and Kim hold historic meeting"]
    assert "Go deeper" not in moon.text


def test_story_offsets_point_into_the_source_file():
    source = SAMPLE.read_text(encoding="utf-8")
    stories, _ = stories_of([SAMPLE])
    for story in stories:
        chunk = source[story.start_char:story.end_char]
        assert story.headline in chunk
        assert story.text.split("\n\n")[0][:40] in chunk.replace("\n", " ")
    assert source[stories[0].start_char:].startswith("Aug 2, 2019 - World")
    assert source[stories[7].start_char:].startswith("Scoop: Trump's negotiator")
    assert stories[7].line == source[:stories[7].start_char].count("\n") + 1


def test_jsonl_bad_lines_are_reported_and_good_stories_kept(tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"id": "a1", "published": "2019-07-31", "headline": "Launch", "text": "North Korea fired two missiles on Wednesday."}),
        "{not json",
        json.dumps({"id": "a2", "published": "31/07/2019", "text": "x"}),
        json.dumps({"id": "a1", "published": "2019-07-31", "text": "duplicate"}),
        json.dumps({"published": "2019-07-31", "text": "no id"}),
        json.dumps({"id": "a3", "text": "Undated story."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stories, problems = stories_of([path])
    assert [s.story_id for s in stories] == ["a1", "a2", "a3"]
    assert stories[0].published == date(2019, 7, 31) and stories[0].headline == "Launch"
    assert stories[1].published is None and "no_publication_date" in stories[1].flags  # kept, undated
    assert stories[2].published is None and "no_publication_date" in stories[2].flags
    assert [(p.line, p.path) for p in problems] == [(2, str(path)), (3, str(path)), (4, str(path)), (5, str(path))]
    assert "invalid JSON" in problems[0].message and "YYYY-MM-DD" in problems[1].message
    assert "already used" in problems[2].message and "missing field 'id'" in problems[3].message
    assert all(p.severity == "error" for p in problems)


def test_a_jsonl_file_read_line_by_line_gives_what_its_whole_text_gives(tmp_path):
    """A plain UTF-8 JSONL file is not held whole: its lines are read as its stories are extracted. Line ends of
    every kind, blank lines, a last line cut off or not, and a file that changes while it is read."""
    good = [json.dumps({"id": f"s{n}", "published": "2019-07-31", "text": f"Story {n} caf\u00e9."}, ensure_ascii=False)
            for n in range(3)]
    endings = ["\n", "\r\n", "\r", "\n   \n"]
    for number, ending in enumerate(endings):
        for tail in ["", "\n", "   ", "\n  ", "\r"]:
            text = ending.join([good[0], "", good[1], "{cut", good[2]]) + ending + '{"id": "s9", "te' + tail
            path = tmp_path / f"wire{number}-{len(tail)}{tail.strip() and 'x'}.jsonl"
            path.write_bytes(text.encode("utf-8"))
            streamed = read_source(path, [].append)
            whole = SourceText(path, "jsonl", normalize_line_ends(text), streamed.digest)
            assert streamed.text is None
            read, held = [], []
            assert [vars(s) for s in stories_of_source(streamed, read.append, None)] == \
                   [vars(s) for s in stories_of_source(whole, held.append, None)]
            assert read == held and sum("cut off" in p.message for p in read) == (not tail.endswith(("\n", "\r")))
    changing = tmp_path / "changing.jsonl"
    changing.write_text("\n".join(good) + "\n", encoding="utf-8")
    source = read_source(changing, [].append)
    changing.write_text("\n".join(good[:2]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="changed while it was read"):
        list(source.lines())


def test_unreadable_and_missing_inputs_are_reported(tmp_path):
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"Aug 2, 2019 - World\n\n\xff\xfe broken")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    stories, problems = stories_of([binary, tmp_path / "missing.txt", tmp_path / "notes.csv", empty, SAMPLE])
    assert len(stories) == 11 and stories[0].story_id == "bad:01" and stories[0].headline.endswith("broken")
    messages = [str(p) for p in problems]
    assert f"error: {empty}: empty file (no text); skipped" in messages
    assert any(f"{binary}: not UTF-8: decoded as" in m for m in messages)  # repaired, with a warning
    assert any("missing.txt" in m and "no such file" in m for m in messages)
    assert any("notes.csv" in m and "skipped" in m for m in messages)


def test_single_article_takes_its_date_from_a_dateline_or_the_option():
    text = "July 31, 2019\n\nNorth Korea fires missiles\n\nNorth Korea fired two missiles early on Wednesday."
    story = parse_article(text, "launch.txt", None, print)
    assert story.published == date(2019, 7, 31) and story.published_source == "dateline"
    assert story.headline == "North Korea fires missiles"
    assert story.text == "North Korea fired two missiles early on Wednesday."
    plain = parse_article("North Korea fired two missiles early on Wednesday.", "plain.txt", date(2019, 7, 31), print)
    assert plain.published == date(2019, 7, 31) and plain.published_source == "option"
    undated = parse_article("North Korea fired two missiles early on Wednesday.", "plain.txt", None, print)
    assert undated.published is None and "no_publication_date" in undated.flags
