"""The annotated corpus: drawn as documented, split before fitting, clean under check_gold.py, no texts kept."""
import json
import math
import subprocess
import sys
from datetime import date

from pipeline import corpus
from pipeline.resources import load_event_types

from conftest import ROOT, shared_path


def test_the_draw_reproduces_the_split_and_keeps_each_rounds_share_for_test():
    corpora = shared_path("corpora")
    rows = corpus.draw_from_config(corpora)
    assert rows == list(corpus.load_split().values())
    test = [row for row in rows if row["split"] == "test"]
    config = json.loads(corpus.DRAW_CONFIG.read_text(encoding="utf-8"))
    declared = sum(math.ceil(draw_round.get("test_fraction", config["test_fraction"]) * count)
                   for draw_round in config["rounds"] for count in corpus.round_counts(draw_round).values())
    # Only the stories that repeat an earlier text are left out of what the rounds declare.
    assert 0.95 * declared <= len(test) <= declared and len(test) >= 80
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


def test_cluster_candidates_group_events_of_one_family_period_and_party_across_stories():
    def story(story_id: str, *events: tuple[str, str, str]) -> dict:
        return {"id": story_id, "events": [{"type": kind, "date": day, "actor": actor, "target": None}
                                           for kind, day, actor in events]}

    stories = [story("a", ("missile_test", "2019-07-31", "North Korea"), ("meeting", "2019-06-30", "Donald Trump")),
               story("b", ("weapons_test", "2019-08-01", "Pyongyang"), ("missile_test", "2019-07-25", "North Korea")),
               story("c", ("missile_test", "2019-07", "North Korea"), ("missile_test", "2019", "North Korea")),
               story("d", ("missile_test", "2019-07-31", "Iran"), ("statement", "2019-07-31", "North Korea"))]
    groups = corpus.cluster_candidates(stories)
    assert [("a", 0), ("b", 0), ("b", 1), ("c", 0)] in groups and len(groups) == 1
    assert corpus.gold_period("2019-02") == (date(2019, 2, 1), date(2019, 2, 28)) and corpus.gold_period(None) is None


def test_cluster_gold_names_real_events_of_one_family_once_each_across_stories():
    splits = corpus.gold_splits(shared_path("corpora"))
    families = {name: kind.cluster_family or name for name, kind in load_event_types().items()}
    for split, stories in splits.items():
        events = {(story["id"], index): event for story in stories for index, event in enumerate(story["events"])}
        groups = corpus.load_cluster_gold(split)
        members = [member for group in groups for member in group]
        assert len(members) == len(set(members)) and set(members) <= set(events), split
        for group in groups:
            assert len({story_id for story_id, _ in group}) >= 2, group
            assert len({families[events[member]["type"]] for member in group}) == 1, group


def test_agreement_scores_a_second_annotation_as_the_pipeline_is_scored(tmp_path):
    from pipeline.evaluate import agreement

    first = json.loads(shared_path("dev", "gold.json").read_text(encoding="utf-8"))
    second = json.loads(json.dumps(first))
    events = [event for story in second for event in story["events"]]
    dropped = second[0]["events"].pop()
    retyped = next(event for story in second[1:] for event in story["events"] if event["type"] != "denial")
    retyped["type"] = "denial"
    monthly = next(event for story in second for event in story["events"] if len(event["date"]) == 10 and event is not retyped)
    monthly["date"] = monthly["date"][:7]
    report = agreement(first, second)
    total = report.event_total
    assert (total.true_positive, total.false_positive, total.false_negative) == (len(events) - 2, 1, 2), dropped
    assert report.dates_right == len(events) - 3
    assert report.entity_total.f1 == 1.0
    (tmp_path / "first.json").write_text(json.dumps(first), encoding="utf-8")
    (tmp_path / "second.json").write_text(json.dumps(second), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline", "corpus", "agreement", str(tmp_path / "first.json"),
                             str(tmp_path / "second.json")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "all events" in result.stdout and "denial" in result.stdout, result.stderr


def test_the_second_annotation_of_train_stories_agrees_with_the_corpus():
    from pipeline.evaluate import agreement

    corpora = shared_path("corpora")
    first, second = corpus.annotation_pairs(corpora)
    split = corpus.load_split()
    assert len(first) >= 30 and [s["id"] for s in first] == [s["id"] for s in second]
    assert {split[s["id"]]["split"] for s in second} == {"train"}
    report = agreement(first, second)
    # Measured 0.92 (30 stories, 171 events): the conventions can be applied consistently.
    assert report.event_total.f1 >= 0.85 and report.date_accuracy >= 0.9


def test_a_round_may_loosen_the_draws_filter_for_itself_only():
    config = {"min_words": 80, "max_words": 800, "min_topic_words": 3}
    loosened = {"reuters2016.jsonl": 120, "min_topic_words": 2, "test_fraction": 0.0}
    assert corpus.round_filter(config, loosened) == {"min_words": 80, "max_words": 800, "min_topic_words": 2}
    assert corpus.round_filter(config, {"reuters2016.jsonl": 90}) == config
    assert corpus.round_counts(loosened) == {"reuters2016.jsonl": 120}
