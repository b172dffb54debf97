"""The trained part of event detection: which trigger candidates a story states as events, learned from the corpus.

The trigger rules (`triggers.py`) propose candidates generously; this classifier decides. It is spaCy's own span
categorizer (`spancat`) over the candidate spans (`spacy.preset_spans_suggester.v1` on
`doc.spans["event_candidates"]`): each candidate gets the probability that it is an event of the type the rules
gave it (label `event`), and a probability for each type it might be read as instead, so it can be kept, dropped or
retyped (a condemnation the rules took for a statement, an accusation). Registered here, so that
`spacy train` and a loaded pipeline both find them:

- `news.TriggerFeatures.v1`: the token vectors the classifier reads: the English pipeline's own contextual vectors
  (`doc.tensor`, written by its `tok2vec`, read and never updated), a small embedding trained for events, and what
  the rules know of each candidate (`candidate_vectors`);
- `news.PreparsedCorpus.v1`: the training stories, run once through the frozen part of the pipeline and kept, so
  that each epoch costs only the classifier's own update.

The config is `configs/events.cfg`; `make train` (`python -m pipeline.training`) fits it on the corpus's train split.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.ml.models.tok2vec import build_hash_embed_cnn_tok2vec
from spacy.tokens import Doc, Span
from spacy.training import Corpus, Example
from spacy.util import registry
from thinc.api import Model, concatenate
from thinc.types import Floats2d

from .arguments import CANDIDATES_KEY, governing_verb, mention_at, subject_of, tense_of
from .records import sentences
from .resources import event_lexicon, load_event_types
from .triggers import described_as
from .schema import EVENT_TYPES, MODALITIES

EVENT_KINDS = load_event_types()
DECISIONS_KEY = "event_decisions"  # the classifier's spans: a candidate, a label, a probability
KEEP_LABEL = "event"  # the candidate is an event of the type the rules gave it; any other label is a type to read it as
# A sentence's place in its story: the lead, the second, the next three, the body.
POSITION_BUCKETS = (0, 1, 2, 5)
DEPENDENCY_BUCKETS = (("ROOT",), ("ccomp", "xcomp"), ("conj",), ("advcl",), ("relcl", "acl"), ("nsubj", "nsubjpass"),
                      ("dobj", "pobj", "attr", "dative"), ("compound", "amod", "nmod", "poss"))
ARGUMENT_FIELDS = ("actor", "actor_country", "target", "weapon", "quantity", "location", "attributed_to")
QUOTES = {'"', "“", "”", "''", "``"}
TENSOR_WIDTH = 96  # en_core_web_sm's tok2vec
SPEAKER_LABELS = ("PERSON", "COUNTRY", "ORG")
SPEAKER_WIDTH = len(SPEAKER_LABELS) + 5
FLAG_WIDTH = (len(EVENT_TYPES) * len(MODALITIES) + 1 + len(POSITION_BUCKETS) + 3 + 1 + len(ARGUMENT_FIELDS) + 2
              + len(DEPENDENCY_BUCKETS) + 1 + 3 + 1 + 1 + SPEAKER_WIDTH)
# The flags, then the contextual vectors of the trigger's subject, of its governing verb and the sentence's mean.
CANDIDATE_WIDTH = FLAG_WIDTH + 3 * TENSOR_WIDTH


def candidate_vectors(doc: Doc) -> numpy.ndarray:
    """What the rules know of each candidate, on its trigger's tokens (zeros elsewhere): its type and modality,
    whether it is tentative, its sentence's place in the story, whether earlier candidates had its type (and its actor), which arguments the parse
    gave it, the trigger's part of speech, its role in the parse, the tense of its verb, whether it stands in a
    quotation and whether its sentence holds a date, who speaks or acts (`_speaker`); then what the trigger's span
    cannot see: the contextual
    vectors of who acts (the subject), of the verb that governs a noun trigger, and of the whole sentence."""
    vectors = numpy.zeros((len(doc), CANDIDATE_WIDTH), dtype="f")
    candidates = list(doc.spans.get(CANDIDATES_KEY, []))
    if not candidates:
        return vectors
    story_sentences = sentences(doc)
    dated = {story_sentences.of(ent.start).start for ent in doc.ents if ent.label_ in ("DATE", "TIME")}
    firm_triggers = {span[-1].i for span in candidates if not span._.tentative and not EVENT_KINDS[span.label_].bare_saying}
    seen_types: dict[str, int] = {}  # type -> first sentence number
    seen_actors: set[tuple[str, str | None]] = set()
    for span in candidates:
        number = story_sentences.number_of(span.start)
        row = _candidate_row(span, number, story_sentences.spans[number], dated, seen_types, seen_actors, firm_triggers)
        vectors[span.start:span.end] = row
        seen_types.setdefault(span.label_, number)
        seen_actors.add((span.label_, span._.arguments.actor))
    return vectors


def _candidate_row(span: Span, number: int, sentence: Span, dated: set[int], seen_types: dict[str, int],
                   seen_actors: set[tuple[str, str | None]], firm_triggers: set[int]) -> numpy.ndarray:
    event_type, arguments = span.label_, span._.arguments
    token = span[-1]
    row = numpy.zeros(CANDIDATE_WIDTH, dtype="f")
    row[FLAG_WIDTH:] = _context_vectors(token, sentence)
    at = EVENT_TYPES.index(event_type) * len(MODALITIES) + MODALITIES.index(span._.modality)
    row[at] = 1.0
    at = len(EVENT_TYPES) * len(MODALITIES)
    row[at] = span._.tentative
    at += 1
    row[at + sum(number >= start for start in POSITION_BUCKETS) - 1] = 1.0
    at += len(POSITION_BUCKETS)
    earlier = seen_types.get(event_type)
    row[at:at + 3] = (earlier is not None and earlier < number, earlier == number,
                      (event_type, arguments.actor) in seen_actors)
    at += 3
    row[at] = arguments.actor == "unknown"
    at += 1
    row[at:at + len(ARGUMENT_FIELDS)] = [getattr(arguments, name) is not None for name in ARGUMENT_FIELDS]
    at += len(ARGUMENT_FIELDS)
    row[at:at + 2] = (token.pos_ == "VERB", token.pos_ in ("NOUN", "PROPN"))
    at += 2
    for index, deps in enumerate(DEPENDENCY_BUCKETS):
        row[at + index] = token.dep_ in deps
    at += len(DEPENDENCY_BUCKETS)
    verb = governing_verb(token)
    row[at] = any(child.lower_ == "had" for child in verb.children if child.dep_ in ("aux", "auxpass"))
    tense = tense_of(verb)
    row[at + 1:at + 4] = (tense == "past", tense == "future", tense is None)
    at += 4
    row[at] = sum(t.text in QUOTES for t in sentence.doc[sentence.start:token.i]) % 2 == 1
    row[at + 1] = sentence.start in dated
    at += 2
    row[at:at + SPEAKER_WIDTH] = _speaker(verb, firm_triggers)
    return row


def _speaker(verb, firm_triggers: set[int]) -> list[bool]:
    """Who acts or speaks: an entity of which kind, a pronoun, a commentator the conventions leave out, someone who
    speaks for a state or an organization; and whether what is said is itself an event the rules found (a saying
    that only credits it)."""
    subject, _ = subject_of(verb)
    words = event_lexicon().words
    mention = mention_at(verb.doc, subject) if subject is not None else None
    described = described_as(subject) if subject is not None else set()
    says_event = any(child.dep_ in ("ccomp", "parataxis") and (child.i in firm_triggers or any(
        grandchild.i in firm_triggers for grandchild in child.children)) for child in verb.children)
    return [mention is not None and mention.label_ == label for label in SPEAKER_LABELS] + [
        subject is None, subject is not None and subject.pos_ == "PRON", bool(described & words["commentator_nouns"]),
        bool(described & words["official_nouns"]), says_event]


def _context_vectors(token, sentence: Span) -> numpy.ndarray:
    doc = sentence.doc
    if not doc.tensor.size:
        return numpy.zeros(3 * TENSOR_WIDTH, dtype="f")
    verb = governing_verb(token)
    subject, _ = subject_of(verb)
    parts = [doc.tensor[subject.i] if subject is not None else numpy.zeros(TENSOR_WIDTH, dtype="f"),
             doc.tensor[verb.i], doc.tensor[sentence.start:sentence.end].mean(axis=0)]
    return numpy.concatenate(parts)


def doc_tensor(width: int) -> Model[list[Doc], list[Floats2d]]:
    """The vectors the pipeline's tok2vec wrote to `doc.tensor`: features, not weights (nothing flows back)."""

    def forward(model: Model, docs: list[Doc], is_train: bool):
        vectors = [model.ops.asarray2f(doc.tensor) if doc.tensor.size else model.ops.alloc2f(len(doc), width)
                   for doc in docs]
        return vectors, lambda gradients: []

    return Model("doc_tensor", forward, dims={"nO": width})


def candidate_features() -> Model[list[Doc], list[Floats2d]]:
    def forward(model: Model, docs: list[Doc], is_train: bool):
        return [model.ops.asarray2f(candidate_vectors(doc)) for doc in docs], lambda gradients: []

    return Model("candidate_features", forward, dims={"nO": CANDIDATE_WIDTH})


@registry.architectures("news.TriggerFeatures.v1")
def trigger_features(tensor_width: int, width: int, depth: int, embed_size: int) -> Model[list[Doc], list[Floats2d]]:
    """Token vectors for the candidate classifier: the frozen `doc.tensor`, a small trainable encoder, and the
    trigger rules' view of each candidate."""
    trained = build_hash_embed_cnn_tok2vec(
        width=width, depth=depth, embed_size=embed_size, window_size=1, maxout_pieces=3, subword_features=True,
        pretrained_vectors=None,
    )
    return concatenate(doc_tensor(tensor_width), trained, candidate_features())


class PreparsedCorpus:
    """Training examples whose predicted docs the frozen components annotated once, on the first epoch.

    The frozen components give the same annotations every epoch; spaCy's own corpus would have them run again on
    every batch of every epoch, which costs twenty times the classifier's training.
    """

    def __init__(self, path: Path, exclude: list[str], shuffle: bool = True):
        self.corpus = Corpus(path, shuffle=False)
        self.exclude = exclude
        self.shuffle = shuffle
        self.examples: list[Example] | None = None

    def __call__(self, nlp: Language) -> Iterator[Example]:
        if self.examples is None:
            examples = list(self.corpus(nlp))
            predicted = nlp.pipe((eg.predicted for eg in examples), disable=self.exclude)
            self.examples = [Example(doc, eg.reference) for doc, eg in zip(predicted, examples)]
        order = list(self.examples)
        if self.shuffle:
            random.shuffle(order)
        yield from order


@registry.readers("news.PreparsedCorpus.v1")
def create_preparsed_corpus(path: Path, exclude: list[str]) -> PreparsedCorpus:
    return PreparsedCorpus(path, exclude)
