"""Stage 3f: which candidates are events, as a spaCy component ("news_events").

Decides which trigger candidates (`doc.spans["event_candidates"]`, from `news_triggers`, with their arguments,
modality and date) the story states as events, by the trained candidate classifier's probabilities where it ran
(`doc.spans["event_decisions"]`, see `event_model.py`) and by the rules' own precision filters, and puts them in
`doc.spans["events"]`. A candidate the classifier reads as another type is re-read as that type (its arguments,
modality and date) by the same readers the components use.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span, Token

from .arguments import ARGUMENT_RESOURCES, ArgumentReader, governing_verb, agent_of, in_present_perfect, subject_of
from .event_dates import DateIndex, EventDater
from .event_model import DECISIONS_KEY, EVENT_KINDS, KEEP_LABEL
from .modality import ModalityReader
from .records import Arguments
from .resources import MODELS_DIR, DataComponent, english_words, load_events
from .triggers import CANDIDATES_KEY

EVENTS_KEY = "events"
# The attribute of the `events` span group that lists where the triggers end (character offsets) of the events kept as
# a second occurrence of their type in their sentence (`second_occurrence`), which the merge keeps apart.
SECOND_OCCURRENCES = "second_occurrences"

SELECTION_MODES = ("rules", "model", "combined")
# A candidate is read as another type than the rules gave it only when the classifier is at least this sure.
RETYPING_THRESHOLD = 0.5
# How many events, in order of confidence, make one run of a calibration map before runs are pooled.
CALIBRATION_BIN = 50
SEQUENCE_MARKS = english_words()["sequence_marks"]


@Language.factory("news_events", default_config={"resources": None, "selection": None, "mode": None})
def make_event_selector(nlp: Language, name: str, resources: str | None, selection: str | None,
                        mode: str | None) -> "EventSelector":
    """`selection`: a JSON file of how the classifier's probabilities decide (`mode` and a threshold per type;
    written by `make train` beside the trained component); None: the rules alone, until a selection is given to `use`.
    `mode` overrides the selection's mode ('rules', 'model', 'combined'). The selection in use is saved with the
    component (`selection.json`) and read back by `from_disk`."""
    return EventSelector(name, Path(resources) if resources else MODELS_DIR, Path(selection) if selection else None, mode)


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
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict) -> "Selection":
        return cls(data["mode"], data["firm"], data["tentative"])

    def to_dict(self) -> dict:
        return {"mode": self.mode, "firm": self.firm, "tentative": self.tentative}

    def threshold(self, event_type: str, proposed_type: str, tentative: bool) -> float:
        """The probability a candidate the rules proposed as `proposed_type` needs to be an event of `event_type`."""
        if event_type != proposed_type:
            return max(self.tentative.get(event_type, 0.5), RETYPING_THRESHOLD)
        return (self.tentative if tentative else self.firm).get(event_type, 0.5)


class Calibration:
    """What an event's confidence is worth: the share of events at that confidence that the gold holds, so that of the
    events at confidence 0.8, about eight in ten are right.

    The classifier's probabilities rank the events but are not that share: on the tuning stories the least sure are
    right more often than they say, the surest less often. `fit` learns the map from events scored against the gold
    (isotonic: it keeps the ranking), on stories the classifier was not fitted to; it is written beside the trained
    component as `calibration.json` and read back by `from_file`. With no map, a confidence is what it was.
    """

    def __init__(self, points: list[tuple[float, float]] | None = None):
        self.points = sorted(points or [])

    @classmethod
    def from_file(cls, path: Path) -> "Calibration":
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict) -> "Calibration":
        return cls([(raw, share) for raw, share in data["points"]])

    def to_dict(self) -> dict:
        return {"points": [[round(raw, 4), round(share, 4)] for raw, share in self.points]}

    def __call__(self, confidence: float) -> float:
        """The share right among events of `confidence`, read off the map between its points (flat beyond its ends)."""
        if not self.points:
            return confidence
        return float(numpy.interp(confidence, [raw for raw, _ in self.points], [share for _, share in self.points]))

    @classmethod
    def fit(cls, scored: list[tuple[float, bool]], bin_size: int = CALIBRATION_BIN) -> "Calibration":
        """The map from events' confidences and whether each was right: runs of `bin_size` events in order of
        confidence (the few left over at the top join the last run, as a handful of events all right would promise a
        certainty no run of them shows), then neighbouring runs pooled until the share right never falls as confidence
        rises (pool adjacent violators), each pool a point at its mean confidence."""
        ordered = sorted(scored)
        starts = list(range(0, len(ordered), bin_size))
        if len(starts) > 1 and len(ordered) - starts[-1] < bin_size:
            starts.pop()
        pools: list[list[float]] = []  # [sum of confidences, number right, number of events]
        for start, end in zip(starts, [*starts[1:], len(ordered)]):
            run = ordered[start:end]
            pools.append([sum(c for c, _ in run), sum(right for _, right in run), len(run)])
            while len(pools) > 1 and pools[-2][1] / pools[-2][2] >= pools[-1][1] / pools[-1][2]:
                last = pools.pop()
                pools[-1] = [a + b for a, b in zip(pools[-1], last)]
        return cls([(total / count, right / count) for total, right, count in pools])


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


class EventSelector(DataComponent):
    """The `news_events` component."""

    resource_files = ARGUMENT_RESOURCES
    settings_file = "selection.json"

    def __init__(self, name: str, resources: Path = MODELS_DIR, selection: Path | None = None, mode: str | None = None):
        self.mode = mode
        super().__init__(name, resources)
        self.use(Selection.from_file(selection) if selection is not None else Selection())

    def load(self, resources: Path) -> None:
        words = load_events(resources / "events.json").words
        self.habitual_adverbs, self.position_verbs = words["habitual_adverbs"], words["position_verbs"]
        self.arguments = ArgumentReader("arguments", resources)
        self.modality = ModalityReader("modality", resources)
        self.dater = EventDater("dates", resources)

    def use(self, selection: Selection) -> None:
        """Decide by `selection`, in the component's own `mode` where it was given one."""
        self.selection = Selection(self.mode, selection.firm, selection.tentative) if self.mode else selection

    def settings_to_dict(self) -> dict:
        return self.selection.to_dict()

    def settings_from_dict(self, data: dict) -> None:
        self.selection = Selection.from_dict(data)

    def __call__(self, doc: Doc) -> Doc:
        seconds: list[Span] = []
        chosen = self._choose(doc, seconds)
        if self.selection.mode != "model":
            chosen = [span for span in chosen if not (span._.date.source == "story_date" and self._background(span))]
        doc.spans[EVENTS_KEY] = chosen
        doc.spans[EVENTS_KEY].attrs[SECOND_OCCURRENCES] = [span.end_char for span in seconds if span in chosen]
        return doc

    def _choose(self, doc: Doc, seconds: list[Span]) -> list[Span]:
        """The candidates the selection keeps, each as the type it is read as, in order of the text; those kept as a
        second occurrence of their type in their sentence are added to `seconds`."""
        candidates = list(doc.spans.get(CANDIDATES_KEY, []))
        if self.selection.mode == "rules" or DECISIONS_KEY not in doc.spans:
            return [span for span in candidates if not span._.tentative]
        dates = DateIndex(doc)
        scores = decisions(doc)
        passing: dict[tuple[int, str], list[tuple[float, Span]]] = {}
        for span in candidates:
            sentence_start = dates.sentence_of(span[-1]).start
            # Where the classifier wrote no probability (under 0.05), it counts as 0.
            labels = scores.get((span.start, span.end), {})
            options = {**{t: p for t, p in labels.items() if t != KEEP_LABEL}, span.label_: labels.get(KEEP_LABEL, 0.0)}
            for event_type, score in options.items():
                if score >= self.selection.threshold(event_type, span.label_, span._.tentative):
                    passing.setdefault((sentence_start, event_type), []).append((score, span))
        chosen = []
        for (_, event_type), found in passing.items():
            for number, (score, span) in enumerate(_told_occurrences(found)):
                kept = _kept(span, score) if span.label_ == event_type else self._retyped(span, event_type, score, dates)
                chosen.append(kept)
                if number > 0:
                    seconds.append(kept)
        _date_from_same_sentence(chosen, candidates, dates)
        self._actor_from_same_sentence(chosen, candidates, dates)
        return sorted(chosen, key=lambda span: span.start)

    def _actor_from_same_sentence(self, chosen: list[Span], candidates: list[Span], dates: DateIndex) -> None:
        """As with its date, the one candidate kept of its type in a sentence takes the first actor the others there
        name where it names none ('Vance said the tariffs were unfair and urged calm': the parse hangs 'urged' on
        the reported clause, 'said' names Vance). An event credited to its own actor is no other source's report:
        its modality is read again."""
        actors: dict[tuple[int, str], Arguments] = {}
        for span in candidates:
            if span._.arguments is not None and span._.arguments.actor:
                actors.setdefault((dates.sentence_of(span[-1]).start, span.label_), span._.arguments)
        for span in chosen:
            named = actors.get((dates.sentence_of(span[-1]).start, span.label_))
            if named is None or span._.arguments is None or span._.arguments.actor:
                continue
            span._.arguments = replace(span._.arguments, actor=named.actor, actor_country=named.actor_country,
                                       actor_source=named.actor_source, parties=named.parties)
            if span._.modality == "reported" and self.modality.modality(span[-1], span._.arguments) == "asserted":
                span._.modality = "asserted"

    def _retyped(self, span: Span, event_type: str, score: float, dates: DateIndex) -> Span:
        """The same trigger, read as the classifier's type."""
        retyped = Span(span.doc, span.start, span.end, label=event_type)
        retyped._.tentative, retyped._.confidence = span._.tentative, score
        retyped._.arguments = self.arguments.read(retyped, dates.sentence_of(span[-1]), event_type)
        retyped._.modality = self.modality.modality(span[-1], retyped._.arguments)
        retyped._.date = self.dater.date(retyped, dates)
        return retyped

    def _background(self, span: Span) -> bool:
        """'had been sanctioned', 'has said repeatedly': background the conventions leave out when no date anchors it.
        So is an act told in the simple present after the lead ('Tarsk denies the claims', 'forces that patrol the
        pass'): news tells its occurrences in the past tense, and its present tells a standing position or a habit.
        Not a saying, whose present is the wire's way of telling what was said ('the ministry says'); but a call, a
        plea or a pledge in the perfect ('Vance has called for the tolls to be scrapped', 'Tarsk has pledged to
        rebuild the port') is a position its speaker holds, a platform, not a saying the story reports."""
        token = span[-1]
        for word in (token, governing_verb(token)):
            if any(c.lower_ == "had" for c in word.children if c.dep_ in ("aux", "auxpass")):
                return True
            if any(c.lower_ in self.habitual_adverbs for c in word.children):
                return True
        if EVENT_KINDS[span.label_].bare_saying:
            return token.tag_ == "VBN" and token.lemma_.lower() in self.position_verbs and in_present_perfect(token)
        return (token.tag_ in ("VBZ", "VBP") and token.pos_ == "VERB" and token.sent.start > 0
                and not any(child.dep_ in ("aux", "auxpass") for child in token.children))

    def score(self, examples, **kwargs) -> dict:
        """The chosen events against the references' `doc.spans["events"]` (gold triggers, labelled by type)."""
        # As spaCy's span components name their scores: spans_<key>_p, _r, _f, _per_type.
        return Scorer.score_spans(examples, f"spans_{EVENTS_KEY}", getter=lambda doc, attr: doc.spans.get(attr[len("spans_"):], []),
                                  has_annotation=lambda doc: EVENTS_KEY in doc.spans, **kwargs)


def _told_occurrences(found: list[tuple[float, Span]]) -> list[tuple[float, Span]]:
    """Of the candidates of one type a sentence holds (with their scores), the ones kept: the surest, which the others
    most often tell again ('the bombing that killed 30', 'attacked and burned the village'); and with it the surest
    other that tells a second occurrence (`second_occurrence`)."""
    ranked = sorted(found, key=lambda pair: -pair[0])
    first = ranked[0]
    second = next((pair for pair in ranked[1:] if second_occurrence(first[1], pair[1])), None)
    return [first] if second is None else [first, second]


def second_occurrence(a: Span, b: Span) -> bool:
    """Two candidates of one sentence that tell two occurrences: a deed done in a clause of time ('before', 'after') to
    the doer of the deed it hangs on, by another party ('a gunman killed four before guards shot him', 'stabbed two
    clerks before being wounded by soldiers'): news tells the attacker's end with the attack, and it is an act of its
    own; or coordinated mentions their own days, places or targets tell apart (`_coordinated_apart`)."""
    if a[-1].i == b[-1].i:
        return False
    return _done_to_the_doer(a[-1], b[-1]) or _done_to_the_doer(b[-1], a[-1]) or _coordinated_apart(a, b)


def _coordinated_apart(a: Span, b: Span) -> bool:
    """Coordinated mentions that their own days, places or targets tell apart ('the bombing in Dunmore last month and
    the attacks in Tarsk in November'): a list of occurrences."""
    first, second = sorted((a, b), key=lambda span: span.start)
    if not (second[-1].dep_ == "conj" and second[-1].head == first[-1]) or a._.arguments is None or b._.arguments is None:
        return False
    days = a._.date.source == b._.date.source == "expression" and a._.date.value.value != b._.date.value.value
    places = a._.arguments.location and b._.arguments.location and a._.arguments.location != b._.arguments.location
    targets = a._.arguments.target and b._.arguments.target and a._.arguments.target != b._.arguments.target
    return bool(days or places or targets)


def _done_to_the_doer(deed: Token, response: Token) -> bool:
    """`response` is a verb in a clause of time on `deed` (or a conjunct it shares a subject with) whose victim is
    `deed`'s doer (a pronoun, a definite noun such as 'the suspect', or no one named: 'before being killed by
    police'), done by a party it names."""
    doer_of_deed, deed_is_passive = subject_of(deed)
    if deed.pos_ != "VERB" or response.pos_ != "VERB" or deed_is_passive or doer_of_deed is None:
        return False
    deeds = {deed, *(c for c in deed.children if c.dep_ == "conj")} | ({deed.head} if deed.dep_ == "conj" else set())
    if response.dep_ == "advcl" and response.head in deeds:
        timed = any(c.dep_ == "mark" and c.lower_ in SEQUENCE_MARKS for c in response.children)
    else:
        timed = (response.dep_ == "pcomp" and response.head.lower_ in SEQUENCE_MARKS and response.head.head in deeds)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in response.children)
    doer = agent_of(response) if passive else next((c for c in response.children if c.dep_ == "nsubj"), None)
    if not timed or doer is None or doer.pos_ == "PRON":
        return False
    victims = [c for c in response.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
    if not victims:
        return passive
    victim = victims[0]
    return (victim.pos_ == "PRON" and victim.lower_ not in ("it", "itself")) or (
        victim.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "the" for c in victim.children))


def _kept(span: Span, score: float) -> Span:
    """A candidate kept as the type the rules gave it: its confidence is now the classifier's, which a reader can
    filter on (the rules' own confidence is a prior per pattern, the same for every story)."""
    span._.confidence = score
    return span


def _date_from_same_sentence(chosen: list[Span], candidates: list[Span], dates: DateIndex) -> None:
    """One candidate is kept per sentence and type: the others of its type there tell the same occurrence ('a raid in
    which troops stormed a camp on Monday'), so the one kept takes the first of their dates where it has none."""
    dated = {(dates.sentence_of(span[-1]).start, span.label_): span._.date for span in reversed(candidates)
             if span._.date is not None and span._.date.source == "expression"}
    for span in chosen:
        if span._.date.source == "story_date":
            span._.date = dated.get((dates.sentence_of(span[-1]).start, span.label_), span._.date)
