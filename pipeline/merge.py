"""Stage 3g: one event per occurrence, as a spaCy component ("news_event_merge"); the `Event` records.

Reads the chosen event mentions (`doc.spans["events"]`, from `news_events`) and writes `doc._.events`, a list of
`records.Event`, built here and only here:

- a saying that only credits another event is no statement of its own: 'The military said the projectile was
  fired' is the launch, attributed to the military (its `attributed_to`, set by `news_arguments`);
- mentions of one occurrence are one event: the same type, compatible actors, targets and dates ('the attack ...
  the bombing ... 28 people were killed in the attack'); the richest mention gives the record, the others add what
  it lacks and their sentences (`Event.mentions`); a speaker's statements in one speech are one statement; of the
  types a story often tells several of, a definite mention ('the rally outside the stadium', 'a guard was killed in
  the incident') tells again the last occurrence of its type the story told that nothing tells apart from it;
- a candidate the classifier passed over that tells a kept event's occurrence again (a speaker's other quotes, 'the
  assault' of a later paragraph) adds its sentence to the event's mentions, and, where its own sentence gives it the
  day the event's sentence did not, that day; nothing else.

    doc = nlp.make_doc(text); doc._.story_id = "s1"; doc._.published = date(2019, 7, 31)

Set `doc._.published` before the pipeline runs (the runner does it through `nlp.pipe(..., as_tuples=True)`);
without it relative dates stay unresolved.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .arguments import prepositional
from .event_dates import DAY_GRAINS
from .events import EVENTS_KEY, SECOND_OCCURRENCES, Calibration
from .records import EVENT_DATE_FIELDS, Event, sentences
from .resources import MODELS_DIR, EventType, DataComponent, english_words, load_event_types, name_key
from .triggers import CANDIDATES_KEY, trigger_text

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)
OCCURRENCE_VERBS = english_words()["occurrence_verbs"]
DEFINITE_DETERMINERS = frozenset(english_words()["definite_determiners"])
OCCURRENCE_NOUNS = frozenset(english_words()["occurrence_nouns"])
WITHIN_OCCURRENCE_PREPOSITIONS = frozenset(english_words()["within_occurrence_prepositions"])
# What the classifier's confidence in a mention is worth when the writer only passes it on.
REPORTED_WEIGHT = 0.85


@Language.factory("news_event_merge", default_config={"resources": None, "calibration": None})
def make_event_merger(nlp: Language, name: str, resources: str | None, calibration: str | None) -> "EventMerger":
    """`resources`: the folder with `event_types.json` (default: the shipped `models/`); `calibration`: a JSON file
    of what the classifier's confidences are worth (`events.Calibration`, written by `make train` beside the trained
    component); None: confidences are left as they are. The calibration in use is saved with the component
    (`calibration.json`) and read back by `from_disk`."""
    return EventMerger(name, Path(resources) if resources else MODELS_DIR, Path(calibration) if calibration else None)


class EventMerger(DataComponent):
    """The `news_event_merge` component."""

    resource_files = ("event_types.json",)
    settings_file = "calibration.json"

    def __init__(self, name: str, resources: Path = MODELS_DIR, calibration: Path | None = None):
        self.calibration = Calibration.from_file(calibration) if calibration is not None else Calibration()
        super().__init__(name, resources)

    def settings_to_dict(self) -> dict:
        return self.calibration.to_dict()

    def settings_from_dict(self, data: dict) -> None:
        self.calibration = Calibration.from_dict(data)

    def load(self, resources: Path) -> None:
        self.types: dict[str, EventType] = load_event_types(resources / "event_types.json")
        self.bare_sayings = {name for name, kind in self.types.items() if kind.bare_saying}

    def __call__(self, doc: Doc) -> Doc:
        chosen = list(doc.spans.get(EVENTS_KEY, []))
        # Only a kept event is a deed a saying can credit: where the classifier passed over the rules' candidate, the
        # saying is all the story tells.
        deeds = {s[-1].i for s in chosen if s.label_ not in self.bare_sayings}
        sayings = {s[-1].i for s in chosen if s.label_ in self.bare_sayings}
        chosen_starts, chosen_types = {span.start for span in chosen}, {span.label_ for span in chosen}
        # Only a candidate of a kept event's type can tell its occurrence again: the others are not read into records.
        passed_over = [span for span in doc.spans.get(CANDIDATES_KEY, [])
                       if span.start not in chosen_starts and span.label_ in chosen_types]
        found = sentences(doc)
        told_again = self.definite_mentions(chosen, doc.spans.get(CANDIDATES_KEY, []))
        events, other_mentions = ([self.record(span, found.of(span.start)) for span in group
                                   if not (span.label_ in self.bare_sayings and only_credits(span[-1], deeds, sayings))]
                                  for group in (chosen, passed_over))
        apart = set(doc.spans[EVENTS_KEY].attrs.get(SECOND_OCCURRENCES, ())) if EVENTS_KEY in doc.spans else set()
        merged = self.with_mentions(self.merge(events, doc._.story_id or "", told_again, apart), other_mentions)
        doc._.events = [self.calibrated(self.with_story_actor(event, doc)) for event in merged]
        return doc

    def calibrated(self, event: Event) -> Event:
        """The event with the confidence its occurrence, merged, is worth (the map is fitted on merged records)."""
        return replace(event, confidence=round(self.calibration(event.confidence), 3))

    def with_mentions(self, events: list[Event], candidates: list[Event]) -> list[Event]:
        """The events with the sentences of the candidates the selection passed over that tell their occurrence again:
        a speaker's other quotes of one speech, 'the attack' of a later paragraph. They are mentions, and add no actor
        or place; but an event its own sentence leaves to the story's date takes the day such a mention's expression
        gives: news tells an occurrence first without its day ('the gunmen who stormed the hotel were identified')
        and gives the day where it tells it in detail ('they stormed the lobby late on Friday'), and the conventions
        date it so. A candidate joins only an event it alone can be, in a sentence no event of its type tells
        already (there it is that event's own word)."""
        told = {(event.event_type, start) for event in events for start, _ in event.mentions}
        more: dict[int, list[tuple[int, int]]] = {}
        dated_by: dict[int, Event] = {}
        for candidate in candidates:
            if (candidate.event_type, candidate.start_char) in told:
                continue
            fits = [number for number, event in enumerate(events) if self.same_occurrence(event, candidate)]
            if len(fits) == 1:
                more.setdefault(fits[0], []).append(candidate.mentions[0])
                if events[fits[0]].date_source == "story_date" and _dated_to_the_day(candidate):
                    dated_by.setdefault(fits[0], candidate)
        found = []
        for number, event in enumerate(events):
            if number in more:
                event = replace(event, mentions=sorted(set(event.mentions + more[number])))
            if number in dated_by:
                event = replace(event, **{name: getattr(dated_by[number], name) for name in EVENT_DATE_FIELDS})
            found.append(event)
        return found

    def with_story_actor(self, event: Event, doc: Doc) -> Event:
        """What the story says of an actor the event's sentence leaves unnamed: an arrest, a launch or a drill is the
        act of the state the story is set in (`doc._.setting_country`, from `news_entities`); an attack is by who
        claimed responsibility in the story (`doc._.claimed_by`, from `news_arguments`). Filled in after the merge, so
        that occurrences stay told apart by the parties the text names."""
        kind = self.types[event.event_type]
        story_actor = None
        if kind.setting_state_acts and event.actor is None:
            story_actor = doc._.setting_country
        elif kind.claimed_actor and event.actor in (None, kind.unnamed_actor):
            story_actor = doc._.claimed_by
        if story_actor is None:
            return event
        return replace(event, actor=story_actor[0], actor_country=story_actor[1], actor_source="story")

    def record(self, span: Span, sentence: Span) -> Event:
        """The event record of a mention."""
        doc, token = span.doc, span[-1]
        kind, arguments, when = self.types[span.label_], span._.arguments, span._.date
        trigger = trigger_text(token)
        end = sentence.start_char + len(sentence.text.rstrip())
        value = when.value
        confidence = span._.confidence * (REPORTED_WEIGHT if span._.modality == "reported" else 1.0)
        return Event(
            event_id="", story_id=doc._.story_id or "", event_type=kind.name, cameo_code=kind.cameo,
            plover_type=kind.plover, trigger=trigger,
            actor=arguments.actor, actor_country=arguments.actor_country,
            actor_source=arguments.actor_source, target=arguments.target,
            target_country=arguments.target_country, weapon=arguments.weapon, quantity=arguments.quantity,
            location=arguments.location, attributed_to=arguments.attributed_to, modality=span._.modality,
            event_date=value.start if value else None, date_end=value.end if value else None,
            date_value=value.value if value else None, date_granularity=value.granularity if value else None,
            date_modifier=value.modifier if value else None, date_text=when.text, date_source=when.source,
            sentence=sentence.text.strip(), start_char=sentence.start_char, end_char=end,
            trigger_start=token.idx + len(token.text) - len(trigger), trigger_end=token.idx + len(token.text),
            confidence=round(confidence, 3), mentions=[(sentence.start_char, end)],
        )

    def definite_mentions(self, chosen: list[Span], candidates: list[Span]) -> set[int]:
        """Where the triggers end (`Event.trigger_end`) of the chosen mentions that refer back to an occurrence told
        before (`tells_again`), of the types a story often tells several of."""
        triggers = {(span.label_, span[-1].i) for span in candidates}
        return {span[-1].idx + len(span[-1].text) for span in chosen
                if self.types[span.label_].many_per_story and tells_again(span, triggers)}

    def merge(self, events: list[Event], story_id: str, told_again: set[int],
              apart: frozenset[int] | set[int] = frozenset()) -> list[Event]:
        """One record per occurrence, numbered in order of the text. A definite mention (`told_again`: where its
        trigger ends) is the last occurrence before it that nothing tells apart from it. `apart`: where the triggers
        end of the mentions the selection kept as a second occurrence of their type in their sentence
        (`events.second_occurrence`), which no other mention of that sentence tells again."""
        merged: list[Event] = []
        for event in events:
            if event.trigger_end in told_again:
                twin = next((m for m in reversed(merged)
                             if self.compatible(m, event) and not _kept_apart(m, event, apart)), None)
            else:
                twin = next((m for m in merged
                             if self.same_occurrence(m, event) and not _kept_apart(m, event, apart)), None)
            if twin is None:
                merged.append(event)
                continue
            better, other = (event, twin) if _richer(event, twin) else (twin, event)
            named = better if _known(better.actor, self.types[better.event_type].unnamed_actor) else other
            merged[merged.index(twin)] = replace(
                better,
                actor=named.actor,
                actor_country=better.actor_country or other.actor_country,
                actor_source=named.actor_source,
                target=better.target or other.target,
                weapon=better.weapon or other.weapon,
                quantity=better.quantity or other.quantity,
                location=better.location or other.location,
                attributed_to=better.attributed_to or other.attributed_to,
                mentions=sorted(set(twin.mentions + event.mentions)),
            )
        for number, event in enumerate(merged, start=1):
            event.event_id = f"{story_id}-E{number:02d}"
        return merged


    def same_occurrence(self, a: Event, b: Event) -> bool:
        """Two mentions of one occurrence: nothing tells them apart, and, where a story often tells several, they share
        a party or the later one names none."""
        if not self.compatible(a, b):
            return False
        kind = self.types[a.event_type]
        actor_a, actor_b = _known(a.actor, kind.unnamed_actor), _known(b.actor, kind.unnamed_actor)
        if kind.bare_saying and not (actor_a and actor_b):
            return False
        if kind.many_per_story:
            # 'the attack began at night', '28 people were killed': a mention that names nobody and no place is the one before
            unspecific = not (actor_b or b.target or b.location)
            if a.start_char != b.start_char and not (actor_a and actor_b) and not (a.target and b.target) and not unspecific:
                return False
        return True

    def compatible(self, a: Event, b: Event) -> bool:
        """Nothing tells the two mentions apart: one type, both told as done, no two actors, no two sets of targets
        (where a story often tells several occurrences), no two dates."""
        if a.event_type != b.event_type or a.modality in ("denied", "hypothetical") or b.modality in ("denied", "hypothetical"):
            return False
        kind = self.types[a.event_type]
        actor_a, actor_b = _known(a.actor, kind.unnamed_actor), _known(b.actor, kind.unnamed_actor)
        if actor_a and actor_b and not same_party(actor_a, actor_b):
            return False
        if kind.many_per_story and a.target and b.target and not set(a.target.split("; ")) & set(b.target.split("; ")):
            return False
        return "story_date" in (a.date_source, b.date_source) or a.date_value == b.date_value

    def score(self, examples, **kwargs) -> dict:
        """Events against the references' `doc._.events`, matched on type and evidence sentence; and rows per matched
        reference event (1.0 when every occurrence is one row)."""
        found = gold = matched = rows = true = 0
        for example in examples:
            if example.reference._.events is None:
                continue
            reference = {(e.event_type, e.start_char) for e in example.reference._.events}
            predicted = [{(e.event_type, start) for start, _ in e.mentions} for e in example.predicted._.events or []]
            covering = [sum(key in keys for keys in predicted) for key in reference]
            found, gold, true = found + len(predicted), gold + len(reference), true + sum(bool(keys & reference) for keys in predicted)
            matched, rows = matched + sum(count > 0 for count in covering), rows + sum(covering)
        precision, recall = (true / found if found else 0.0), (matched / gold if gold else 0.0)
        return {"events_p": precision, "events_r": recall,
                "events_f": 2 * precision * recall / (precision + recall) if matched else 0.0,
                "events_rows_per_event": rows / matched if matched else None}


def only_credits(token: Token, deeds: set[int], sayings: set[int]) -> bool:
    """A bare saying whose complement is another event (`deeds`: the triggers of the chosen events), or that hangs on
    another event's clause as a credit ('..., the army said')."""
    says_event = any(child.dep_ in ("ccomp", "parataxis") and _states(child, deeds) for child in token.children)
    credits = token.dep_ in ("parataxis", "ccomp", "advcl") and token.i > token.head.i and _states(token.head, deeds | sayings)
    return says_event or credits


def tells_again(span: Span, triggers: set[tuple[str, int]]) -> bool:
    """A mention that refers back to an occurrence, as news refers to one it has told: a definite event noun ('the
    attack', 'this rally at the stadium'), or a deed placed within a definite mention of its type ('was killed in the
    shooting') or of an occurrence of any kind ('two guards were wounded in the incident'). `triggers`: (type, trigger
    index) of the story's candidates."""
    token = span[-1]
    if token.pos_ == "NOUN" and _definite(token):
        return True
    within = prepositional(token, WITHIN_OCCURRENCE_PREPOSITIONS)
    return any(_definite(noun) and (noun.lemma_.lower() in OCCURRENCE_NOUNS or (span.label_, noun.i) in triggers)
               for noun in within)


def _definite(noun: Token) -> bool:
    return any(child.dep_ == "det" and child.lower_ in DEFINITE_DETERMINERS for child in noun.children)


def _states(token: Token, triggers: set[int]) -> bool:
    """The clause reports an event: its predicate is a trigger, or it says a trigger noun happened."""
    return token.i in triggers or any(
        child.i in triggers and (child.dep_ in ("dobj", "nsubjpass", "attr") or (child.dep_ == "nsubj" and token.lemma_ in OCCURRENCE_VERBS))
        for child in token.children
    )


def same_party(a: str, b: str) -> bool:
    """Parties that share a member; a person named in full and by surname ('Ronnie de Mel', 'De Mel') is one."""
    names_a, names_b = {name_key(n) for n in a.split("; ")}, {name_key(n) for n in b.split("; ")}
    if names_a & names_b:
        return True
    return any(short != full and f" {short}" in f" {full}" and full.endswith(short)
               for short in names_a | names_b for full in names_a | names_b)


def _kept_apart(a: Event, b: Event, apart: set[int]) -> bool:
    """Two mentions of one sentence one of which the selection kept as a second occurrence there."""
    return a.start_char == b.start_char and a.trigger_end != b.trigger_end and bool({a.trigger_end, b.trigger_end} & apart)


def _dated_to_the_day(event: Event) -> bool:
    """Dated by an expression of its own sentence to a day or a time of day ('on Tuesday', 'late on Friday'): a month
    or a year told of a later mention is as often background of another occurrence as the day of this one."""
    return event.date_source == "expression" and event.date_granularity in DAY_GRAINS


def _known(actor: str | None, unnamed: str | None) -> str | None:
    """An actor that tells occurrences apart: the type's `unnamed_actor` ('unknown' perpetrators, 'protesters') may be
    anyone."""
    return None if actor == unnamed else actor


def _richer(a: Event, b: Event) -> bool:
    def score(event: Event) -> tuple:
        return (event.date_source != "story_date", sum(v is not None for v in (event.actor, event.target, event.weapon, event.quantity, event.location)), event.confidence)

    return score(a) > score(b)
