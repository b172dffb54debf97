"""The annotated corpus: drawn as documented, split before fitting, clean under check_gold.py, no texts kept."""
import json
import subprocess
import sys

from pipeline import corpus

from conftest import ROOT, shared_path


def test_the_draw_reproduces_the_split_and_keeps_a_third_for_test():
    corpora = shared_path("corpora")
    rows = corpus.draw_from_config(corpora)
    assert rows == list(corpus.load_split().values())
    test = [row for row in rows if row["split"] == "test"]
    assert len(test) >= 80 and len(test) >= len(rows) / 3
    assert {row["corpus"] for row in test} == {"voa.jsonl", "reuters2016.jsonl", "reuters21578.jsonl"}


def test_annotations_keep_offsets_not_texts_and_export_clean_gold(tmp_path):
    shared_path("corpora")
    annotations = corpus.load_annotations()
    assert len(annotations) >= 250 and sum(len(a["events"]) for a in annotations.values()) >= 1000
    for annotation in annotations.values():
        assert set(annotation) == {"id", "text_sha1", "entities", "events"}
        assert all(isinstance(event["evidence"], list) for event in annotation["events"])
    counts = corpus.export(tmp_path, corpus.default_corpora_dir())
    assert counts["train"] + counts["test"] == len(annotations)
    checker = shared_path("dev", "check_gold.py")
    for name in ("train", "test"):
        result = subprocess.run([sys.executable, str(checker), str(tmp_path / f"{name}.json")], capture_output=True, text=True)
        assert result.returncode == 0 and " 0 errors" in result.stdout, result.stdout[-500:]
    stories = json.loads((tmp_path / "train.json").read_text(encoding="utf-8"))
    assert all(event["evidence"] in story["text"] for story in stories for event in story["events"])


def test_no_story_repeats_a_dev_story_or_crosses_the_split():
    corpora = shared_path("corpora")
    split = corpus.load_split()
    texts = corpus.corpus_stories(corpora, list(split), split)
    keys = {}
    for story_id, row in split.items():
        key = corpus.text_key(texts[story_id]["text"])
        assert key not in keys, (story_id, keys.get(key))
        keys[key] = story_id
    dev = json.loads(shared_path("dev", "gold.json").read_text(encoding="utf-8"))
    assert not {corpus.text_key(story["text"]) for story in dev} & set(keys)


def test_evaluate_prints_the_sets_side_by_side_and_lists_no_errors_of_held_out_sets():
    shared_path("corpora")
    result = subprocess.run([sys.executable, "-m", "pipeline", "evaluate", "--errors"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0]
    assert all(name in header for name in ("train", "test", "dev", "sample"))
    assert "(no error listing for test: it is held out)" in result.stdout
    assert "(no error listing for dev: it is held out)" in result.stdout
    assert "== errors on train" in result.stdout
