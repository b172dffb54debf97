"""The records that flow between the stages, defined once.

segment -> Story; the spaCy components -> Entity and Event (read off the Doc);
the dates stage -> TimeValue; every stage -> Problem. The Parquet schemas in
`schema.py` mirror these dataclasses field for field.

What a story brings to its spaCy Doc is registered here too, for every component
that reads it: `doc._.story_id` and `doc._.published` (a `date` or None), which
the runner sets before the pipeline runs.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

for _name in ("story_id", "published"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
SENTENCES_KEY = "news_sentences"
TEXT_KEY = "news_text"


class Sentences:
    """A parsed doc's sentences, found once and looked up by token: `Doc.sents` walks every token each time it is
    asked, and most stages ask. `sentences(doc)` keeps them with the doc."""

    def __init__(self, doc: Doc):
        starts = numpy.flatnonzero(doc.to_array([SENT_START]).ravel() == 1).tolist() if len(doc) else []
        self.starts: list[int] = [0] + [start for start in starts if start] if len(doc) else []
        self.spans: list[Span] = [doc[start:end] for start, end in zip(self.starts, [*self.starts[1:], len(doc)])]

    def __deepcopy__(self, memo: dict) -> None:
        """`Doc.copy` deep-copies `user_data` (spaCy's training loop copies every example's doc): the copy finds its
        own sentences on first use, as these spans belong to the original doc."""
        return None

    def number_of(self, token_index: int) -> int:
        return bisect_right(self.starts, token_index) - 1

    def of(self, token_index: int) -> Span:
        """The sentence the token at `token_index` is in."""
        return self.spans[self.number_of(token_index)]


def text_of(doc: Doc) -> str:
    """The doc's text, joined once: `Doc.text` joins every token's text each time it is asked."""
    found = doc.user_data.get(TEXT_KEY)
    if found is None:
        found = doc.user_data[TEXT_KEY] = doc.text
    return found


def sentences(doc: Doc) -> Sentences:
    found = doc.user_data.get(SENTENCES_KEY)
    if found is None:
        found = doc.user_data[SENTENCES_KEY] = Sentences(doc)
    return found


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input or with one story, and what the run did about it.

    `error`: something was skipped or written incomplete (the run exits 1); `warning`: handled, worth knowing.
    """

    path: str
    line: int  # 1-based line in the file; 0 for the file as a whole
    kind: str  # one of schema.PROBLEM_KINDS
    message: str  # what is wrong and what was done
    story_id: str | None = None
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{self.severity}: {where}: {self.message}"


@dataclass(frozen=True)
class Marker:
    """An Axios body marker ("Why it matters:") kept as structure, not as text to extract from."""

    label: str
    start_char: int  # offset in Story.text


@dataclass
class Story:
    story_id: str
    source: str  # path of the input file
    text: str  # the body: paragraphs joined by one blank line
    published: date | None = None
    published_source: str = "none"  # date_line | dateline | jsonl | option | none
    updated: bool = False
    section: str | None = None
    kicker: str | None = None
    headline: str | None = None
    caption: str | None = None
    photo_credit: str | None = None
    markers: list[Marker] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # "Go deeper:" links
    flags: list[str] = field(default_factory=list)
    page_title: str | None = None  # a topic page's text before its first story
    start_char: int = 0  # span of the whole story in its source file (decoded, line ends normalized)
    end_char: int = 0
    line: int = 1  # first line of the story in its source file

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass
class Entity:
    story_id: str
    entity_id: str
    text: str
    label: str  # PERSON | COUNTRY | ORG | WEAPON | LOCATION
    canonical: str
    country_code: str | None
    sentence_index: int
    start_char: int  # offsets in Story.text
    end_char: int


@dataclass(frozen=True)
class TimeValue:
    """A normalized point or period in time (TIMEX3-style value)."""

    value: str  # 2019-07-31, 2019-07, 2019-W31, 2019, 2019-SU, 2019-H1, 199, 2019-07-31T14:00, 2019-07-31TMO
    granularity: str  # time | day | week | month | quarter | season | half | year | decade | century
    start: date
    end: date
    modifier: str | None = None  # START | MID | END | APPROX
    rule: str = ""
    anchor: str = "story"  # which anchor resolved it: story | previous_event | none (absolute)


@dataclass(frozen=True)
class Arguments:
    """What the parse says of an event mention (`news_arguments`): who acted, on whom, with what, how many, where,
    by whose account."""

    actor: str | None = None  # "; "-joined; a state act's actor is the state; "unknown" for an unnamed attacker
    actor_country: str | None = None
    actor_source: str | None = None  # 'sentence', or 'story' where the story's setting names the state that acted
    target: str | None = None
    target_country: str | None = None
    weapon: str | None = None
    quantity: int | None = None
    location: str | None = None
    attributed_to: str | None = None
    parties: tuple[str, ...] = ()  # the acting parties as named, before a state act maps them to their state


@dataclass(frozen=True)
class EventDate:
    """The time an event mention is dated by (`news_event_dates`)."""

    value: TimeValue | None
    text: str | None  # the expression, as written
    source: str  # expression | previous_event | story_date | unresolved


@dataclass
class Event:
    event_id: str
    story_id: str
    event_type: str
    cameo_code: str
    plover_type: str
    trigger: str
    actor: str | None
    actor_country: str | None
    actor_source: str | None  # sentence | story (filled in from the rest of the story: arguments.py, merge.py) | None
    target: str | None
    target_country: str | None
    weapon: str | None
    quantity: int | None
    location: str | None
    attributed_to: str | None
    modality: str  # asserted | reported | denied | hypothetical
    event_date: date | None
    date_end: date | None
    date_value: str | None
    date_granularity: str | None
    date_modifier: str | None
    date_text: str | None
    date_source: str  # expression | previous_event | story_date | unresolved
    sentence: str
    start_char: int  # the evidence sentence, offsets in Story.text
    end_char: int
    trigger_start: int
    trigger_end: int
    confidence: float
    mentions: list[tuple[int, int]] = field(default_factory=list)


# The fields of an Event that tell its date, which travel together (a mention that dates its occurrence gives them all).
EVENT_DATE_FIELDS = ("event_date", "date_end", "date_value", "date_granularity", "date_modifier", "date_text", "date_source")
