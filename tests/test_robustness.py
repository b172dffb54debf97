"""Bad input and faults never cost a good story or a written table (run as a user would: the CLI, real files)."""
import codecs
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline.records import Story
from pipeline.extraction import process, text_pieces
from pipeline.store import load_problems

from conftest import ROOT, SAMPLE

SPANISH = ("El gobierno anunció hoy que las tropas se retirarán de la frontera después de las conversaciones con los "
           "representantes del país vecino, según fuentes oficiales del ministerio de defensa, y que la decisión fue "
           "tomada por el presidente.")


def cli(*args, umask=None):
    def preexec():
        if umask is not None:
            os.umask(umask)
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=preexec)


def write_bad_inputs(folder):
    """One file per class of bad or odd input; returns {file: what the run must say about it}."""
    nested = folder / "nested" / "deeper"
    nested.mkdir(parents=True)
    files = {
        "empty.txt": (b"", "error", "empty file"),
        "blank.txt": (b"  \n\n \t\n", "error", "empty file"),
        "binary.txt": (bytes(range(256)) * 8, "error", "binary data"),
        "photo.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "error", "not a .txt"),
        "nested/notes.docx": (b"PK\x03\x04" + bytes(64), "error", "not a .txt"),
        "bad_day.txt": (b"Jul 32, 2019 - World\n\nA headline\n\nNorth Korea fired a missile on Wednesday.\n",
                        "error", "'Jul 32, 2019' is not a real date"),
        "headline_only.txt": (b"Aug 2, 2019 - World\n\nTrump tells Kim to do the right thing\n", "warning", "headline without a body"),
        "spanish.txt": (SPANISH.encode(), "error", "not English"),
        "cp1252.txt": ("Café owners protested in Paris on Monday “against new taxes”, police said.\n".encode("cp1252"),
                       "warning", "decoded as cp1252"),
        "invisible.txt": ("Russia\u200b expelled two\u00ad diplomats\x07 on Tuesday.\n".encode(), "warning", "zero-width"),
        # Repaired silently: nothing to report.
        "bom8.txt": (codecs.BOM_UTF8 + b"North Korea fired two missiles on Wednesday, the military said.\n", None, None),
        "bom16.txt": ("Iran tested a ballistic missile on Monday, state media said.\n".encode("utf-16"), None, None),
        "crlf.txt": (b"Seoul and Tokyo hold talks\r\n\r\nSouth Korea and Japan held talks in Seoul on Friday.\r\n", None, None),
        "nested/deeper/quote.txt": (b'He told reporters: "It is a complete document." The minister met his Chinese '
                                    b"counterpart in Beijing on Monday.\n", None, None),
        "page.html": (b'<!doctype html><html><head><title>Missile test</title><meta property="article:published_time" '
                      b'content="2019-07-31T10:00:00Z"></head><body><nav>Home | World</nav><article><h1>Missile test</h1>'
                      b"<p>North Korea fired two <b>missiles</b> early on Wednesday.</p><p>Japan condemned the launch.</p>"
                      b"</article><footer>(c) 2019</footer></body></html>", None, None),
    }
    records = [
        {"id": "w1", "published": "2019-07-31", "text": "Iran seized a British tanker in the Gulf on Friday."},
        {"id": "w2", "published": "2019-07-31"},
        {"id": ["x"], "published": "2019-07-31", "text": "A list is no id."},
        {"id": "w3", "published": 20190731, "text": "Police arrested three protesters in Hong Kong on Monday."},
        {"id": "w4", "published": "2019-07-31", "text": 123},
    ]
    wire = "\n".join(json.dumps(record) for record in records) + '\n{"id": "w5", "published": "2019-07-3'
    files["wire.jsonl"] = (wire.encode(), "error", None)
    for name, (content, _, _) in files.items():
        (folder / name).write_bytes(content)
    return files


def test_cli_over_every_class_of_bad_input_keeps_the_good_stories(tmp_path, sample_run):
    bad = tmp_path / "inbox"
    bad.mkdir()
    files = write_bad_inputs(bad)
    out = tmp_path / "out"
    result = cli("run", str(bad), str(SAMPLE), str(bad / "wire.jsonl"), "--out", str(out), "--quiet")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith(("error: ", "warning: ")) for line in lines), lines
    for name, (_, severity, message) in files.items():
        path = str(bad / name)
        said = [line for line in lines if line.split(": ")[1].split(":")[0] == path]
        if severity is None:
            assert said == [], name
        elif name != "wire.jsonl":
            assert len(said) == 1 and said[0].startswith(severity) and message in said[0], (name, said)
    wire = str(bad / "wire.jsonl")
    assert f"warning: {wire}: given more than once; read once" in lines
    assert f"error: {wire}:2: missing field 'text'; line skipped" in lines
    assert any(line.startswith(f"error: {wire}:3: field 'id'") for line in lines)
    assert any(line.startswith(f"error: {wire}:4: field 'published' must be a YYYY-MM-DD string") for line in lines)
    assert any(line.startswith(f"error: {wire}:5: field 'text' must be a string") for line in lines)
    assert any(line.startswith(f"error: {wire}:6: invalid JSON") and "cut off" in line for line in lines)

    stories = pipeline.load_stories(out).set_index("story_id")
    events = pipeline.load_events(out)
    _, sample_out = sample_run
    sample_events = pipeline.load_events(sample_out)
    assert set(pipeline.load_stories(sample_out).story_id) <= set(stories.index)
    for column in ("event_id", "event_type", "trigger", "event_date", "actor", "start_char"):
        assert list(events[events.story_id.str.startswith("axios")][column]) == list(sample_events[column]), column
    assert stories.loc["quote", "text"].startswith('He told reporters: "It is a complete document."')
    assert stories.loc["page", "text"] == "North Korea fired two missiles early on Wednesday.\n\nJapan condemned the launch."
    assert stories.loc["page", "headline"] == "Missile test" and str(stories.loc["page", "published"].date()) == "2019-07-31"
    assert stories.loc["cp1252", "text"].startswith("Café owners protested in Paris on Monday “against new taxes”")
    assert stories.loc["invisible", "text"] == "Russia expelled two diplomats  on Tuesday."
    assert stories.loc["bom8", "text"].startswith("North Korea") and stories.loc["bom16", "text"].startswith("Iran tested")
    assert stories.loc["crlf", "headline"] == "Seoul and Tokyo hold talks"
    assert pipeline.load_stories(out).story_id.is_unique and events.event_id.is_unique
    assert pd.isna(stories.loc["w3", "published"]) and "no_publication_date" in list(stories.loc["w3", "flags"])

    problems = load_problems(out)
    assert len(problems) == len(lines)
    assert set(problems.path) >= {str(bad / name) for name, (_, severity, _) in files.items() if severity}
    skipped = problems[problems.severity == "error"]
    assert {"empty", "binary", "unsupported", "not_english", "invalid_json", "invalid_record", "bad_date"} <= set(skipped.kind)
    assert "error(s)" in result.stdout and "problems.parquet" in result.stdout


def test_out_naming_a_file_is_a_clear_error(tmp_path):
    taken = tmp_path / "events.txt"
    taken.write_text("not a folder")
    result = cli("run", str(SAMPLE), "--out", str(taken), "--quiet")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {taken}: exists and is not a folder; give --out a folder (it is created if missing); nothing was run"
    assert taken.read_text() == "not a folder"


def test_a_run_where_every_input_failed_leaves_the_previous_tables(tmp_path, sample_run):
    _, sample_out = sample_run
    out = tmp_path / "out"
    shutil.copytree(sample_out, out)
    before = {path.name: path.read_bytes() for path in out.glob("*.parquet")}
    result = cli("run", str(tmp_path / "data" / "raw-typo"), "--out", str(out), "--quiet")
    assert result.returncode == 1
    assert "no such file or folder" in result.stderr
    assert "nothing written" in result.stdout and "as they were" in result.stdout
    assert {path.name: path.read_bytes() for path in out.glob("*.parquet")} == before
    assert not list(out.glob(".*.tmp"))


def test_tables_follow_the_umask_and_the_same_input_gives_identical_tables(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert cli("run", str(SAMPLE), "--out", str(first), "--quiet", umask=0o027).returncode == 0
    assert cli("run", str(SAMPLE), "--out", str(second), "--quiet", umask=0o002).returncode == 0
    for name in ("stories", "entities", "events", "problems"):
        assert (first / f"{name}.parquet").stat().st_mode & 0o777 == 0o640
        assert (second / f"{name}.parquet").stat().st_mode & 0o777 == 0o664
        assert (first / f"{name}.parquet").read_bytes() == (second / f"{name}.parquet").read_bytes(), name


def test_a_killed_run_leaves_the_previous_tables_intact_and_readable(tmp_path, sample_run):
    _, sample_out = sample_run
    out = tmp_path / "out"
    shutil.copytree(sample_out, out)
    before = {path.name: path.read_bytes() for path in out.glob("*.parquet")}
    sample = pipeline.load_stories(sample_out)
    wire = tmp_path / "wire.jsonl"
    with wire.open("w", encoding="utf-8") as handle:
        for number in range(400):
            story = sample.iloc[number % len(sample)]
            handle.write(json.dumps({"id": f"s{number}", "published": "2019-08-02", "text": f"{story.text} (Item {number}.)"}) + "\n")
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(wire), "--out", str(out), "--quiet"], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob(".events.*.tmp")) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    time.sleep(2)  # well into the stories: rows are being written
    assert run.poll() is None, "the run ended before it could be killed"
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert {path.name: path.read_bytes() for path in out.glob("*.parquet")} == before
    assert len(pipeline.load_events(out)) == len(pipeline.load_events(sample_out))
    assert list(out.glob(".*.tmp")), "the killed run's temporary files are left behind..."
    assert cli("run", str(SAMPLE), "--out", str(out), "--quiet").returncode == 0
    assert not list(out.glob(".*.tmp")), "...and cleared by the next run"


def test_run_takes_a_str_a_path_or_a_list(tmp_path, nlp):
    for number, inputs in enumerate([str(SAMPLE), SAMPLE, [str(SAMPLE)], [SAMPLE.parent]]):
        summary = pipeline.run(inputs, tmp_path / str(number), nlp=nlp)
        assert summary.stories == 10 and not summary.problems, inputs
    with pytest.raises(TypeError, match="inputs must be paths"):
        pipeline.run([1, 2], tmp_path / "x", nlp=nlp)


def test_the_same_stories_from_several_files_are_written_once(tmp_path, nlp):
    copy = tmp_path / "copy" / SAMPLE.name
    copy.parent.mkdir()
    shutil.copy(SAMPLE, copy)
    wire = tmp_path / "a.jsonl"
    wire.write_text(json.dumps({"id": "w1", "published": "2019-07-31", "text": "Iran seized a tanker on Friday."}) + "\n")
    shutil.copy(wire, tmp_path / "b.jsonl")
    summary = pipeline.run([SAMPLE, copy, wire, tmp_path / "b.jsonl"], tmp_path / "out", nlp=nlp)
    assert summary.stories == 11
    duplicates = [p for p in summary.problems if p.kind == "duplicate"]
    assert len(duplicates) == 11 and all("skipped" in p.message for p in duplicates)
    assert {p.path for p in duplicates} == {str(copy), str(tmp_path / "b.jsonl")}


def test_a_story_longer_than_spacy_allows_is_parsed_in_pieces(nlp):
    text = "\n\n".join(f"North Korea fired {n} missiles into the sea on Wednesday, South Korea's military said." for n in range(2, 700))
    story = Story("long", "long.txt", text)
    saved = nlp.max_length
    nlp.max_length = 20_000  # as if this story were over spaCy's million characters
    try:
        problems = []
        [(_, doc)] = list(process(nlp, [story], problems.append))
    finally:
        nlp.max_length = saved
    assert doc.text == text and len(text) > 3 * 20_000
    assert [p.kind for p in problems] == ["split"]
    for event in doc._.events:
        assert text[event.trigger_start:event.trigger_end] == event.trigger
        assert text[event.start_char:event.end_char] == event.sentence
    assert {span.text for span in doc.spans["news_entities"]} >= {"North Korea", "South Korea"}


def test_pieces_end_at_paragraphs_then_sentences_and_join_back():
    text = "First paragraph here. " * 30 + "\n\n" + "Second one goes on and on. " * 30
    pieces = text_pieces(text, 700)
    assert "".join(pieces) == text and all(len(piece) <= 700 for piece in pieces)
    assert pieces[0].endswith("\n\n")
    unbroken = "x" * 1500
    assert "".join(text_pieces(unbroken, 700)) == unbroken


def test_loaders_read_tables_written_before_a_column_was_added(tmp_path, sample_run):
    _, sample_out = sample_run
    table = pq.read_table(sample_out / "stories.parquet").drop_columns(["page_title"])
    pq.write_table(table, tmp_path / "stories.parquet")
    stories = pipeline.load_stories(tmp_path)
    assert stories.page_title.isna().all() and len(stories) == 10
