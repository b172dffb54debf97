"""Stage 3b: events, as a spaCy component ("news_events").

Decides which trigger candidates (`doc.spans["event_candidates"]`, from `news_triggers`) the story states as
events, using the trained candidate classifier's probabilities where it ran (`doc.spans["event_decisions"]`, see
`event_model.py`); picks the date expression that governs each event and resolves it with `dates.normalize`;
drops sayings that only credit another event; and merges mentions of one occurrence. The result is
`doc._.events`, a list of `records.Event`.

    doc = nlp.make_doc(text); doc._.story_id = "s1"; doc._.published = date(2019, 7, 31)

Set `doc._.published` before the pipeline runs (the runner does it through
`nlp.pipe(..., as_tuples=True)`); without it relative dates stay unresolved.
"""
from __future__ import annotations

import json
import shutil
from bisect import bisect_right
from dataclasses import replace
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import arguments as args
from .dates import anchor_needed, normalize
from .records import Event, TimeValue
from .resources import MODELS_DIR, EventLexicon, load_events, name_key
from .event_model import DECISIONS_KEY, KEEP_LABEL
from .triggers import CANDIDATES_KEY, RESOURCE_FILES, SAYING_TYPES, EventBuilder, compound_start, governing_verb

# doc._.story_id and doc._.published are registered with the entity component (imported through arguments).
if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)

SELECTION_MODES = ("rules", "model", "combined")
# A candidate is read as another type than the rules gave it only when the classifier is at least this sure.
RETYPING_THRESHOLD = 0.5
DATE_MODIFIER_WORDS = {"early", "late", "mid", "earlier", "later"}
PLACING_VERBS = {"take", "happen", "occur", "hold", "come"}
OCCURRENCE_VERBS = PLACING_VERBS | {"begin", "start", "end", "continue", "be", "kill", "leave", "last", "resume"}


@Language.factory("news_events", default_config={"resources": None, "selection": None, "mode": None})
def make_event_extractor(nlp: Language, name: str, resources: str | None, selection: str | None,
                         mode: str | None) -> "EventExtractor":
    """`selection`: a JSON file of how the classifier's probabilities decide (`mode` and a threshold per type;
    written by `make train` beside the trained component); None: the rules alone. `mode` overrides the file's mode
    ('rules', 'model', 'combined')."""
    return EventExtractor(nlp, name, Path(resources) if resources else MODELS_DIR, Path(selection) if selection else None, mode)


class Selection:
    """How the candidate classifier's probabilities decide which events a story states.

    - `rules`: every firm candidate the trigger rules found, less undated background and sayings that only credit
      another event (the rules' own filters; the classifier is not read);
    - `model`: the candidates the classifier scores at or above their type's threshold (`firm` for candidates the
      rules proposed firmly, `tentative` for the others), one per sentence and type; a candidate is read as another
      type when the classifier gives that type at least `RETYPING_THRESHOLD` and its `tentative` threshold;
    - `combined`: the model's events, less those the rules' own filters leave out.
    """

    def __init__(self, mode: str = "rules", firm: dict[str, float] | None = None, tentative: dict[str, float] | None = None):
        if mode not in SELECTION_MODES:
            raise ValueError(f"selection mode must be one of {SELECTION_MODES}, got {mode!r}")
        self.mode, self.firm, self.tentative = mode, firm or {}, tentative or {}

    @classmethod
    def from_file(cls, path: Path) -> "Selection":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["mode"], data["firm"], data["tentative"])

    def to_dict(self) -> dict:
        return {"mode": self.mode, "firm": self.firm, "tentative": self.tentative}

    def threshold(self, event_type: str, proposed_type: str, tentative: bool) -> float:
        """The probability a candidate the rules proposed as `proposed_type` needs to be an event of `event_type`."""
        if event_type != proposed_type:
            return max(self.tentative.get(event_type, 0.5), RETYPING_THRESHOLD)
        return (self.tentative if tentative else self.firm).get(event_type, 0.5)


def decisions(doc: Doc) -> dict[tuple[int, int], dict[str, float]]:
    """Candidate span (start, end) -> {label: the classifier's probability}; empty when it did not run. The label
    `event` keeps the candidate as the type the rules gave it; a type label reads it as that type."""
    if DECISIONS_KEY not in doc.spans:
        return {}
    group = doc.spans[DECISIONS_KEY]
    found: dict[tuple[int, int], dict[str, float]] = {}
    for span, score in zip(group, group.attrs.get("scores", [])):
        found.setdefault((span.start, span.end), {})[span.label_] = float(score)
    return found


class EventExtractor:
    def __init__(self, nlp: Language, name: str, resources: Path = MODELS_DIR, selection: Path | None = None,
                 mode: str | None = None):
        self.name = name
        self.selection_path = selection
        self.mode = mode
        self._load(resources)

    def _load(self, resources: Path) -> None:
        self.resources = resources
        self.builder = EventBuilder.from_resources(resources)
        self.lexicon: EventLexicon = self.builder.lexicon
        path = self.selection_path
        self.selection = Selection.from_file(path) if path is not None and path.exists() else Selection()
        if self.mode:
            self.selection = Selection(self.mode, self.selection.firm, self.selection.tentative)

    def __call__(self, doc: Doc) -> Doc:
        sentences = list(doc.sents)
        events = self._select(doc, sentences)
        self._date(events, doc, sentences)
        _date_from_next_sentence(events, sentences)
        if self.selection.mode != "model":
            events = [e for e in events if not (e.date_source == "story_date" and self._background(_trigger_token(doc, e)))]
            events = self._drop_attributions(events, doc)
        doc._.events = self._merge(events, doc._.story_id or "")
        return doc

    # --- which candidates are events --------------------------------------------------------

    def _select(self, doc: Doc, sentences: list[Span]) -> list[Event]:
        candidates = list(doc.spans.get(CANDIDATES_KEY, []))
        scores = decisions(doc)
        if self.selection.mode == "rules" or DECISIONS_KEY not in doc.spans:
            return [span._.event for span in candidates if not span._.tentative]
        starts = [sentence.start for sentence in sentences]
        best: dict[tuple[int, str], tuple[float, Span]] = {}
        for span in candidates:
            sentence_start = starts[bisect_right(starts, span.start) - 1]
            # Where the classifier wrote no probability (under 0.05), it counts as 0.
            labels = scores.get((span.start, span.end), {})
            options = {**{t: p for t, p in labels.items() if t != KEEP_LABEL}, span.label_: labels.get(KEEP_LABEL, 0.0)}
            for event_type, score in options.items():
                key = (sentence_start, event_type)
                threshold = self.selection.threshold(event_type, span.label_, span._.tentative)
                if score >= threshold and score > best.get(key, (-1.0, None))[0]:
                    best[key] = (score, span)
        events = []
        for (sentence_start, event_type), (score, span) in best.items():
            event = span._.event
            if event.event_type != event_type:  # retyped: the same trigger, read as the classifier's type
                event = self.builder.build(span[-1], sentences[starts.index(sentence_start)], event_type, score)
            events.append(event)
        return sorted(events, key=lambda e: (e.start_char, e.trigger_start))

    def _background(self, token: Token) -> bool:
        """'had been sanctioned', 'has said repeatedly': background the conventions leave out when no date anchors it."""
        verb = governing_verb(token)
        for word in (token, verb):
            auxiliaries = [c for c in word.children if c.dep_ in ("aux", "auxpass")]
            if any(a.lower_ == "had" for a in auxiliaries):
                return True
            if any(c.lower_ in self.lexicon.words["habitual_adverbs"] for c in word.children):
                return True
        return False

    # --- which statements are attributions --------------------------------------------------

    def _drop_attributions(self, events: list[Event], doc: Doc) -> list[Event]:
        """'The military said the projectile was fired': the saying credits the launch and is no statement of its own.

        A statement goes when what it says is another event (its complement's predicate is a trigger the rules
        proposed firmly, chosen or not), or when it hangs on another event's clause as a credit ('..., the army said').
        """
        firm = [span._.event for span in doc.spans.get(CANDIDATES_KEY, []) if not span._.tentative]
        triggers = {_trigger_token(doc, e).i for e in events + firm if e.event_type != "statement"}
        statements = {_trigger_token(doc, e).i for e in events if e.event_type == "statement"}

        def is_event(token: Token, including: set[int] = frozenset()) -> bool:
            """The clause reports an event: its predicate is a trigger, or it says a trigger noun happened."""
            return token.i in triggers or token.i in including or any(
                child.i in triggers and (
                    child.dep_ in ("dobj", "nsubjpass", "attr") or (child.dep_ == "nsubj" and token.lemma_ in OCCURRENCE_VERBS)
                )
                for child in token.children
            )

        kept = []
        for event in events:
            if event.event_type == "statement":
                token = _trigger_token(doc, event)
                says_event = any(child.dep_ in ("ccomp", "parataxis") and is_event(child) for child in token.children)
                credits_event = token.dep_ in ("parataxis", "ccomp", "advcl") and token.i > token.head.i and is_event(token.head, statements)
                if says_event or credits_event:
                    continue
            kept.append(event)
        return kept

    # --- dates ------------------------------------------------------------------------------

    def _date(self, events: list[Event], doc: Doc, sentences: list[Span]) -> None:
        """Date each event by its governing expression, else by the story; record the expression and its source."""
        published: date | None = doc._.published
        previous: TimeValue | None = None
        # Token.sent and Span.ents scan the doc on every call: group the dates by sentence once.
        by_start = {sentence.start_char: sentence for sentence in sentences}
        starts = list(by_start)
        dates_by_sentence: dict[int, list[Span]] = {start: [] for start in starts}
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME") and _is_date(ent):
                dates_by_sentence[starts[bisect_right(starts, ent.start_char) - 1]].append(ent)
        for event in events:
            saying = event.event_type in SAYING_TYPES
            token = _trigger_token(doc, event)
            expression, governor = self._governing_date(token, dates_by_sentence[event.start_char], saying)
            value, source = None, "story_date"
            if expression is not None:
                text = _with_modifier(expression).text
                needs = anchor_needed(text)
                from_previous = needs == "previous_event" and previous is not None
                anchor = previous.start if from_previous else published
                if anchor is not None or needs == "none":
                    value = normalize(text, anchor, by_start[event.start_char].text, tense=args.tense_of(governor))
                if value is not None:
                    source, previous = ("previous_event" if from_previous else "expression"), value
                if value is not None or published is None:
                    event.date_text = text
            if value is None and published is not None:
                value = TimeValue(published.isoformat(), "day", published, published, None, "story_date")
            elif value is None:
                source = "unresolved"
            event.date_source = source
            if value is not None:
                event.event_date, event.date_end = value.start, value.end
                event.date_value, event.date_granularity, event.date_modifier = value.value, value.granularity, value.modifier

    def _governing_date(self, token: Token, sentence_ents: list[Span], saying: bool) -> tuple[Span | None, Token]:
        """The DATE or TIME expression of the event's clause.

        First one the trigger (or its light verb) governs; then one right beside the
        trigger's phrase ('his agreement ... in Singapore last year'); then, for a verb
        reported by a verb of saying, the date of the report ('said on Jan. 6 it had tested').
        """
        verb = governing_verb(token)
        if not sentence_ents:
            return None, verb
        holders = [token, verb] if verb != token else [token]
        if verb.dep_ in ("relcl", "acl"):
            holders.append(verb.head)  # 'Sunday's meeting ... at which they agreed', 'the Feb. 23 accord signed by'
        holders.extend(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")  # 'attacked and destroyed ... on Monday'
        for holder in holders:
            for ent in sentence_ents:
                if _governed_by(ent.root, holder):
                    return ent, verb
        if saying:
            for ent in sentence_ents:
                if ent.root.head.lemma_.lower() in self.lexicon.words["communication_nouns"]:
                    return ent, verb  # 'denied ... in a Monday tweet', wherever the parser hung the tweet
        phrase = token if token.pos_ == "NOUN" else None
        if phrase is not None:
            right = phrase.right_edge.i
            for ent in sentence_ents:
                between = token.doc[right + 1:ent.start]
                if 0 <= ent.start - right - 1 <= 1 and all(t.is_punct or t.pos_ in ("ADP", "CCONJ") for t in between):
                    return ent, verb
        current = verb
        carried = token.pos_ == "VERB" or (verb != token and verb.lemma_ in args.LIGHT_VERBS)
        # A verb reported by a verb of saying takes the report's date; a noun only the date of the clause it sits in.
        climb = ("ccomp", "xcomp", "conj", "advcl", "pcomp", "prep") if carried else ("pobj", "prep", "pcomp", "advcl", "xcomp")
        while current.dep_ in climb and current.head != current:
            current = current.head
            for ent in sentence_ents:
                if _governed_by(ent.root, current):
                    return ent, current
        return None, verb

    # --- one event per occurrence -----------------------------------------------------------

    @staticmethod
    def _merge(events: list[Event], story_id: str) -> list[Event]:
        merged: list[Event] = []
        for event in events:
            twin = next((m for m in merged if _same_occurrence(m, event)), None)
            if twin is None:
                merged.append(event)
                continue
            better, other = (event, twin) if _richer(event, twin) else (twin, event)
            combined = replace(
                better,
                actor=_known(better.actor) or other.actor,
                actor_country=better.actor_country or other.actor_country,
                target=better.target or other.target,
                weapon=better.weapon or other.weapon,
                quantity=better.quantity or other.quantity,
                location=better.location or other.location,
                attributed_to=better.attributed_to or other.attributed_to,
                mentions=sorted(set(twin.mentions + event.mentions)),
            )
            merged[merged.index(twin)] = combined
        for number, event in enumerate(merged, start=1):
            event.event_id = f"{story_id}-E{number:02d}"
        return merged

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in RESOURCE_FILES:
            shutil.copyfile(self.resources / name, path / name)

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> "EventExtractor":
        self._load(Path(path))
        return self


def _date_from_next_sentence(events: list[Event], sentences: list[Span]) -> None:
    """A deed the lead does not date takes the date the next sentence gives the same side's deed.

    'KCNA says Kim oversaw the test-fire of a rocket launcher. ... Pyongyang had fired 2 missiles in the incident early
    Wednesday': the conventions date the lead by its neighbour's expression.
    """
    starts = [sentence.start_char for sentence in sentences]
    dated_deeds: dict[int, list[Event]] = {}
    for event in events:
        if event.date_source == "expression" and event.event_type not in SAYING_TYPES:
            dated_deeds.setdefault(event.start_char, []).append(event)
    for event in events:
        if event.date_source != "story_date" or not event.actor_country or event.event_type in SAYING_TYPES:
            continue
        position = bisect_right(starts, event.start_char)
        following = starts[position] if position < len(starts) else None
        anchor = next((e for e in dated_deeds.get(following, []) if e.actor_country == event.actor_country), None)
        if anchor is not None:
            event.event_date, event.date_end, event.date_value = anchor.event_date, anchor.date_end, anchor.date_value
            event.date_granularity, event.date_modifier, event.date_text = anchor.date_granularity, anchor.date_modifier, anchor.date_text
            event.date_source = "expression"


def _trigger_token(doc: Doc, event: Event) -> Token:
    """The token the trigger rule fired on: the last of 'test-fire'."""
    return doc.char_span(event.trigger_end - 1, event.trigger_end, alignment_mode="expand")[0]


def _governed_by(token: Token, holder: Token) -> bool:
    """True when `token` hangs on `holder` through prepositions and nouns only, no other verb in between.

    A relative clause that only places the holder in time ('which took place ... in June') does not count as another verb.
    """
    if token.dep_ == "poss" and token.head != holder:
        return False  # 'Tuesday's election' dates the election, not what is said about it
    current = token
    for _ in range(6):
        if current.head == current:
            return False
        if current.dep_ == "relcl" and current.lemma_ in PLACING_VERBS:
            current = current.head
            while current.dep_ in ("pobj", "prep", "conj", "appos") and current.head != current and current != holder:
                current = current.head
            if current == holder:
                return True
            continue
        current = current.head
        if current == holder:
            return True
        if current.pos_ in ("VERB", "AUX") and not (current.dep_ == "relcl" and current.lemma_ in PLACING_VERBS):
            return False
    return False


def _with_modifier(ent: Span) -> Span:
    """'early on Wednesday' where the model tagged only 'Wednesday'."""
    doc, start = ent.doc, ent.start
    if start >= 1 and doc[start - 1].lower_ in ("on", "in") and start >= 2 and doc[start - 2].lower_ in DATE_MODIFIER_WORDS:
        return doc[start - 2:ent.end]
    if start >= 1 and doc[start - 1].lower_ in DATE_MODIFIER_WORDS:
        return doc[start - 1:ent.end]
    return ent


def _is_date(ent: Span) -> bool:
    """A point or period in time ('last month'), not a duration ('a week') or a count."""
    return normalize(ent.text, date(2000, 6, 15)) is not None


def _same_occurrence(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type or a.modality in ("denied", "hypothetical") or b.modality in ("denied", "hypothetical"):
        return False
    actor_a, actor_b = _known(a.actor), _known(b.actor)
    if actor_a and actor_b and not _same_party(actor_a, actor_b):
        return False
    if a.event_type == "statement" and not (actor_a and actor_b):
        return False
    if a.event_type in ("attack", "protest", "detention", "release", "expulsion"):
        if a.target and b.target and not set(a.target.split("; ")) & set(b.target.split("; ")):
            return False
        unspecific = not (actor_b or b.target or b.location)  # 'the attack began at night', '28 people were killed'
        if a.start_char != b.start_char and not (actor_a and actor_b) and not (a.target and b.target) and not unspecific:
            return False
    if a.date_source == "story_date" or b.date_source == "story_date":
        return True
    return a.date_value == b.date_value


def _same_party(a: str, b: str) -> bool:
    """Parties that share a member; a person named in full and by surname ('Ronnie de Mel', 'De Mel') is one."""
    names_a, names_b = {name_key(n) for n in a.split("; ")}, {name_key(n) for n in b.split("; ")}
    if names_a & names_b:
        return True
    return any(short != full and f" {short}" in f" {full}" and full.endswith(short)
               for short in names_a | names_b for full in names_a | names_b)


def _known(actor: str | None) -> str | None:
    """An actor that tells occurrences apart: 'unknown' perpetrators may be anyone."""
    return None if actor == "unknown" else actor


def _richer(a: Event, b: Event) -> bool:
    def score(event: Event) -> tuple:
        return (event.date_source != "story_date", sum(v is not None for v in (event.actor, event.target, event.weapon, event.quantity, event.location)), event.confidence)

    return score(a) > score(b)
