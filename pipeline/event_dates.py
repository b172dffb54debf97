"""Stage 3e: the date of each event, as a spaCy component ("news_event_dates").

For every trigger candidate (`doc.spans["event_candidates"]`) it picks the DATE or TIME expression that governs
the event in the parse and resolves it with `dates.normalize` against the story's publication date
(`doc._.published`) or, for expressions that point at an earlier time ('the same day'), against the previous
resolved expression. The result is `span._.date`, a `records.EventDate`: the value, the expression and where the
date came from (`expression`, `previous_event`, `story_date` where no expression governs, `unresolved`). An event the
modality stage took for done whose date lies wholly after the story's day is planned: it becomes `hypothetical`; a
deed a plan is about, whose own phrase dates it before the story's day, happened: it becomes `asserted`.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date
from functools import cached_property
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import arguments as args
from .dates import UNTAGGED_EXPRESSIONS, anchor_needed, normalize, resolve_from, widened
from .modality import ModalityReader
from .records import EventDate, TimeValue, sentences, text_of
from .resources import MODELS_DIR, EventType, DataComponent, english_words, load_event_types

if not Span.has_extension("date"):
    Span.set_extension("date", default=None)
DATE_MODIFIER_WORDS = {"early", "late", "mid", "earlier", "later"}
PLACING_VERBS = english_words()["placing_verbs"]
SIMULTANEITY_MARKS = english_words()["simultaneity_marks"]
OCCURRENCE_VERBS = english_words()["occurrence_verbs"]
COUNTED_BACK_MARKS = english_words()["counted_back_marks"]
COUNTED_UNITS = english_words()["counted_units"]
SPEAKING_OCCASIONS = english_words()["speaking_occasions"]
OCCASION_PREPOSITIONS = english_words()["occasion_prepositions"]
UNDATING_OPENERS = english_words()["undating_openers"]
PLACE_RELATIVES = english_words()["place_relatives"]
# How many sentences after its anchor an undated mention of the same occasion may take the anchor's date.
ANCHOR_REACH = 3
# How many sentences open a story (its lead), the dated deed of which dates the story's undated deeds.
LEAD_SENTENCES = 2
DAY_GRAINS = ("day", "time")
# Where a noun stands in the clause that puts it out or has it act (the participle after it then shares that time).
HELD_NOUN_ROLES = ("dobj", "nsubj", "nsubjpass")
PARAGRAPH_BREAK = "\n\n"
# The words at which the NER glues a date to what follows it ('in May to six years', 'Jan. 6 and a Feb. 7').
GLUE_POS = ("ADP", "CCONJ", "SCONJ")
# How many days before publication a day is still the news at hand: the day a clock time falls on
# (`_last_recent_day`), the day of the lead's deed that dates the story's undated deeds (`_date_from_lead`).
RECENT_DAYS = 7
# Any date will do to tell a point in time ('last month') from a duration ('a week') or a count.
PROBE_ANCHOR = date(2000, 6, 15)


@Language.factory("news_event_dates", default_config={"resources": None, "spans_key": args.CANDIDATES_KEY})
def make_event_dater(nlp: Language, name: str, resources: str | None, spans_key: str) -> "EventDater":
    """`resources`: the folder with `event_types.json` and `events.json` (default: the shipped `models/`);
    `spans_key`: the span group whose spans get `span._.date`."""
    return EventDater(name, Path(resources) if resources else MODELS_DIR, spans_key)


class EventDater(DataComponent):
    """The `news_event_dates` component."""

    resource_files = ("event_types.json", "events.json")

    def __init__(self, name: str, resources: Path = MODELS_DIR, spans_key: str = args.CANDIDATES_KEY):
        self.spans_key = spans_key
        super().__init__(name, resources)

    def load(self, resources: Path) -> None:
        self.types: dict[str, EventType] = load_event_types(resources / "event_types.json")
        self.modality = ModalityReader("modality", resources)  # what is planned in itself (`past_deed_of_a_plan`)
        self.communication_nouns = self.modality.words["communication_nouns"]

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(self.spans_key, []))
        dates = DateIndex(doc)
        for span in spans:
            span._.date = self.date(span, dates)
        self._date_from_next_sentence(spans, dates)
        self._date_from_earlier_mention(spans, dates)
        self._date_from_lead(spans, dates)
        self._day_within_period(spans)
        for span in spans:
            if _ahead_of_the_story(span):
                span._.modality = "hypothetical"
            elif self.past_deed_of_a_plan(span, dates):
                span._.modality = "asserted"
        return doc

    def past_deed_of_a_plan(self, span: Span, dates: "DateIndex") -> bool:
        """A deed named by a noun under a word of plan, whose own phrase dates it before the story's day ('plans to
        blame hackers for a 2013 attack', 'wants compensation for last week's attack'): the plan is yet to be carried
        out, the deed it is about happened. Not a deed planned in itself ('a planned attack', 'a summit to be held')."""
        token, value, published = span[-1], span._.date.value, span.doc._.published
        if (span._.modality != "hypothetical" or token.pos_ != "NOUN" or span._.date.source != "expression"
                or value is None or published is None or value.end >= published or self.modality.hypothetical_cue(token)):
            return False
        phrase = range(token.left_edge.i, token.right_edge.i + 1)
        return any(with_modifier(ent).text == span._.date.text and ent.start in phrase and ent.end - 1 in phrase
                   for ent in dates.around(token))

    def is_saying(self, event_type: str) -> bool:
        return event_type in self.types and self.types[event_type].saying

    def date(self, span: Span, dates: "DateIndex") -> EventDate:
        """The date of the event at `span`, read as an event of the span's label. An expression that counts from an
        earlier time ('two days later', 'the same day') counts from the story's previous point in time, resolved."""
        doc = span.doc
        published: date | None = doc._.published
        token = span[-1]
        sentence = dates.sentence_of(token)
        expression, governor = self.governing_date(token, dates.around(token), self.is_saying(span.label_))
        value, source, text = None, "story_date", None
        if expression is not None:
            written = with_modifier(expression).text
            needs = anchor_needed(written)
            previous = dates.resolved_before(expression) if needs == "previous_event" else None
            from_previous = previous is not None
            tense = self.direction(span, governor)
            if from_previous:
                value = resolve_from(written, previous, sentence.text, tense)
            elif needs != "previous_event" and (published is not None or needs == "none"):
                value = normalize(written, published, sentence.text, tense=tense)
                if value is not None and value.rule == "clock":
                    value, from_previous = _clock_on_last_day(value, written, expression, dates, sentence.text, tense)
            if value is not None:
                source = "previous_event" if from_previous else "expression"
            if value is not None or published is None:
                text = written
        counted = _counted_back(token, expression)
        if counted is not None and published is not None:
            measure, main = counted
            value = widened(normalize(f"{measure} ago", self.date_of_clause(main, dates, published)))
            source, text = "expression", f"{measure} after"
        if value is None and published is not None:
            value = TimeValue(published.isoformat(), "day", published, published, None, "story_date")
        elif value is None:
            source = "unresolved"
        return EventDate(value, text, source)

    def date_of_clause(self, verb: Token, dates: "DateIndex", published: date) -> date:
        """The day a clause's own expression gives it, else the story's: what a measure counts back from."""
        sentence = dates.sentence_of(verb)
        expression, _ = self.governing_date(verb, dates.around(verb), saying=False)
        if expression is None or anchor_needed(expression.text) == "previous_event":
            return published
        value = normalize(with_modifier(expression).text, published, sentence.text, tense="past")
        return value.start if value is not None else published

    @staticmethod
    def direction(span: Span, governor: Token) -> str | None:
        """Which way a date without its year or week points: behind the story for what happened (the conventions: a
        bare weekday is the last such day on or before publication), as the verb's tense says for what has not: the
        simple present of what has not happened is yet to come ('flies home after his uncle is freed in May')."""
        if span._.modality in ("asserted", "reported", "denied"):
            return "past"
        return args.tense_of(governor) or ("future" if args.simple_present(governor) else None)

    def governing_date(self, token: Token, sentence_ents: list[Span], saying: bool) -> tuple[Span | None, Token]:
        """The DATE or TIME expression of the event's clause, and the verb whose tense tells its direction.

        First one the trigger (or its light verb) governs; for a saying, one on its medium ('in a Monday tweet') or
        on the clause that puts out the statement or recording it is ('posted a recording on Sunday threatening');
        then one right beside a noun trigger's phrase ('his agreement ... in Singapore last year'); then, for a
        participle set off after its main clause, that clause's ('spoke on Monday, urging calm'); then, for a verb
        reported by a verb of saying, the date of the report ('said on Jan. 6 it had tested').
        """
        verb = args.governing_verb(token)
        if not sentence_ents:
            return None, verb
        # 'now' only where nothing says more; a clock time before the day it falls on ('flew Tuesday at 18:00 UTC')
        sentence_ents = sorted(sentence_ents, key=lambda ent: (_is_present(ent), not _is_clock_time(ent)))
        holders = [token, *_verbless_clauses_of(token, verb)]
        holders += [verb] if verb != token else []
        if verb.dep_ in ("relcl", "acl"):
            holders.append(verb.head)  # 'Sunday's meeting ... at which they agreed', 'the Feb. 23 accord signed by'
        holders.extend(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")  # 'attacked and destroyed ... on Monday'
        if token.dep_ == "appos":
            holders.append(token.head)  # "at this year's Developers Conference (DevCon)": one occasion, two names
        if token.pos_ == "NOUN":
            holders.extend(c for c in token.children if c.dep_ == "acl")  # 'the raid carried out on Monday'
            if token.dep_ == "compound":
                holders.append(token.head)  # "Tuesday's hostage-taking", 'the 2014 missile launch'
        if token.dep_ in ("nsubj", "nsubjpass") and token.head == verb:  # 'the trial is set to begin on Wednesday'
            holders.extend(c for c in verb.children if c.dep_ == "xcomp" and c.lemma_ in OCCURRENCE_VERBS)
        holders.extend(c for c in verb.children if c.dep_ == "advcl" and _marked_simultaneous(c))  # 'arrested as he left on Friday'
        for holder in holders:
            for ent in sentence_ents:
                if governed_by(ent.root, holder):
                    return ent, verb
        if saying:
            for ent in sentence_ents:
                if self.dates_a_medium(ent) or _dates_speaking_occasion(ent, verb):
                    return ent, verb  # wherever the parser hung the tweet or the debate
            issued = _date_of_issuing_clause(verb, sentence_ents)
            if issued is not None:
                return issued
        beside = _date_beside(token, sentence_ents) if token.pos_ == "NOUN" else _date_beside_verb(verb, sentence_ents)
        beside = (beside or _date_of_when_clause(verb, sentence_ents) or _date_opening_the_sentence(verb, sentence_ents)
                  or _date_of_opening_phrase(verb, sentence_ents) or _date_of_place_clause(verb, sentence_ents))
        if beside is not None:
            return beside, verb
        main = _main_clause_of_participle(verb)
        if main is not None:  # ', urging calm': the participle's time is its main clause's
            expression, governor = self.governing_date(main, sentence_ents, saying)
            if expression is not None:
                return expression, governor
        return _date_of_governing_clause(token, verb, sentence_ents)

    def dates_a_medium(self, ent: Span) -> bool:
        """'in a Monday tweet', 'in a statement issued on Sunday', 'in an interview aired on Friday': the expression
        dates what carries the saying, or the clause that puts it out."""
        head = _word_it_dates(ent)
        if head.dep_ == "acl" and head.pos_ == "VERB":
            head = head.head
        return head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() in self.communication_nouns

    def _date_from_next_sentence(self, spans: list[Span], dates: "DateIndex") -> None:
        """A deed the lead does not date takes the date the next sentence gives the same side's deed.

        'KCNA says Kim oversaw the test-fire of a rocket launcher. ... Pyongyang had fired 2 missiles in the incident
        early Wednesday': the conventions date the lead by its neighbour's expression. Firm candidates only vouch.
        """
        def deed(span: Span) -> bool:
            return not self.is_saying(span.label_) and span._.arguments is not None and bool(span._.arguments.actor_country)

        dated: dict[int, list[Span]] = {}
        for span in spans:
            if span._.date.source == "expression" and deed(span) and not span._.tentative:
                dated.setdefault(dates.sentence_of(span[-1]).start, []).append(span)
        for span in spans:
            if span._.date.source != "story_date" or not deed(span):
                continue
            following = dates.sentence_of(span[-1]).end
            country = span._.arguments.actor_country
            anchor = next((s for s in dated.get(following, []) if s._.arguments.actor_country == country
                           and _dates_alike(s, span)), None)
            if anchor is not None:
                span._.date = anchor._.date

    def _date_from_earlier_mention(self, spans: list[Span], dates: "DateIndex") -> None:
        """An event its own sentence does not date takes the date of the same occasion told a little earlier: the
        speaker's statement dated in the lead is the same speech ('said on Sunday ... . He said he believed ...'), a
        deed of the same kind by the same side the same battle or rally ('attacked the hotel on Friday night ... . They
        then seized hostages'). The conventions date such events by that anchor."""
        anchors: list[tuple[int, Span]] = []  # (sentence number, firm candidate dated by an expression)
        for span in spans:
            number = bisect_right(dates.starts, span[-1].i) - 1
            if span._.date.source == "expression" and not span._.tentative:
                anchors.append((number, span))
            elif span._.date.source == "story_date" and span._.arguments is not None:
                anchor = next((a for n, a in reversed(anchors) if number - n <= ANCHOR_REACH and self._same_occasion(a, span)), None)
                if anchor is not None:
                    span._.date = anchor._.date
                    if not span._.tentative:
                        anchors.append((number, span))  # the story goes on telling the same occasion

    def _date_from_lead(self, spans: list[Span], dates: "DateIndex") -> None:
        """A deed the story tells with no date at all takes the day of the deed its lead dates: news is written around
        one occurrence, told first with its day ('Gunmen stormed a market on Tuesday ...') and then in more detail
        without it ('Police later detained two suspects'). Sayings keep the publication date: a reaction with no
        date of its own is same-day news in the conventions. Only a firm deed of the first two sentences dated to a day
        (or a time of day) of the week before publication leads: a lead that recalls an old shooting ('a reporter who
        was shot on March 3, 2015') does not date the march held for him."""
        lead_end = dates.starts[LEAD_SENTENCES] if len(dates.starts) > LEAD_SENTENCES else len(dates.doc)
        published = dates.doc._.published
        anchor = next((s for s in spans if s[-1].i < lead_end and not s._.tentative and not self.is_saying(s.label_)
                       and s._.date.source == "expression" and s._.date.value.granularity in DAY_GRAINS
                       and _is_recent(s._.date.value.start, published)), None)
        if anchor is None:
            return
        for span in spans:
            if span._.date.source == "story_date" and not self.is_saying(span.label_) and _dates_alike(anchor, span):
                span._.date = anchor._.date

    def _day_within_period(self, spans: list[Span]) -> None:
        """An event dated only by a week or a month ('last week's attack', 'February's launch', 'shot ... this week')
        takes the day the story gives the same occasion elsewhere, where that day lies within the period: news names
        the day once, in the lead or the detail, and refers back to it loosely. Where the story dates two such
        occasions to different days, which one is meant is not told, and the period stays; so it does for a year
        ('earlier this year'), which as often recalls another occasion as it refers back to this one."""
        days = [s for s in spans if not s._.tentative and s._.date.source == "expression"
                and s._.date.value is not None and s._.date.value.granularity in DAY_GRAINS]
        for span in spans:
            value = span._.date.value
            if span._.date.source != "expression" or value is None or value.granularity not in ("week", "month"):
                continue
            within = {anchor._.date.value.value: anchor for anchor in days
                      if value.start <= anchor._.date.value.start and anchor._.date.value.end <= value.end
                      and anchor.label_ == span.label_ and self._same_occasion(anchor, span)}
            if len(within) == 1:
                span._.date = next(iter(within.values()))._.date

    def _same_occasion(self, anchor: Span, span: Span) -> bool:
        kind, other = self.types.get(span.label_), self.types.get(anchor.label_)
        if kind is None or other is None or kind.family != other.family or not _dates_alike(anchor, span):
            return False
        if kind.saying:
            return bool(span._.arguments.actor) and span._.arguments.actor == anchor._.arguments.actor
        mine, theirs = span._.arguments.actor_country, anchor._.arguments.actor_country
        return mine is None or theirs is None or mine == theirs

    def score(self, examples, **kwargs) -> dict:
        """How often `span._.date` has the value of the reference's span of the same group."""
        pairs = [(p, r) for p, r in args.annotation_pairs(examples, self.spans_key, "date")
                 if r is not None and r.value is not None]
        right = sum(p is not None and p.value is not None and p.value.value == r.value.value for p, r in pairs)
        return {"event_dates_acc": right / len(pairs) if pairs else None}


def _dates_alike(anchor: Span, span: Span) -> bool:
    """Whether the anchor's day may be the span's: the day of what is yet to happen ('flies home after his uncle is
    freed in May') is not the day of what happened."""
    return anchor._.modality != "hypothetical" or span._.modality == "hypothetical"


class DateIndex:
    """The story's sentences and its point-in-time expressions, grouped by sentence once (`Token.sent` and
    `Span.ents` scan the doc on every call)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        found = sentences(doc)
        self.sentences, self.starts = found.spans, found.starts

    @cached_property
    def points(self) -> list[Span]:
        """The story's points in time, in text order; found on first use (a caller may want sentences only)."""
        doc = self.doc
        named = [point for ent in doc.ents if ent.label_ in ("DATE", "TIME") for point in _points_of(ent)]
        return sorted(named + _untagged_expressions(doc),
                      key=lambda span: span.start)

    @cached_property
    def by_sentence(self) -> dict[int, list[Span]]:
        grouped: dict[int, list[Span]] = {start: [] for start in self.starts}
        for point in self.points:
            grouped[self.starts[bisect_right(self.starts, point.start) - 1]].append(point)
        return grouped

    def resolved_before(self, expression: Span) -> TimeValue | None:
        """The value of the last point in time the story names before `expression` that it can count from."""
        earlier = [value for ent, value in zip(self.points, self.values) if ent.start < expression.start and value]
        return _anchor_for(with_modifier(expression).text, earlier)

    @cached_property
    def values(self) -> list[TimeValue | None]:
        """The points' values in text order, found on first use: each resolved against the one before it where it
        counts from it (TimeML's anchorTimeID), else against the publication date."""
        published: date | None = self.doc._.published
        values: list[TimeValue | None] = []
        for ent in self.points:
            text = with_modifier(ent).text
            needs = anchor_needed(text)
            if needs == "previous_event":
                previous = _anchor_for(text, [value for value in values if value])
                value = resolve_from(text, previous) if previous is not None else None
            else:
                sentence = self.sentence_of(ent[0]).text
                value = normalize(text, published, sentence) if published or needs == "none" else None
                if value is not None and value.rule == "clock":
                    day = _last_recent_day(_anchor_for(text, [earlier for earlier in values if earlier]), published)
                    value = normalize(text, day, sentence) if day is not None else value
            values.append(value)
        return values

    def sentence_of(self, token: Token) -> Span:
        return self.sentences[bisect_right(self.starts, token.i) - 1]

    def in_sentence(self, sentence: Span) -> list[Span]:
        return self.by_sentence[sentence.start]

    def around(self, token: Token) -> list[Span]:
        """The points in time of the token's sentence that stand in its paragraph: where the segmenter runs a byline
        or a heading into the sentence ('By A. Writer | AP June 9 at 7:40 PM' and a blank line), their times
        stamp the page, they date nothing the sentence tells."""
        text = self.doc.text
        return [ent for ent in self.in_sentence(self.sentence_of(token))
                if PARAGRAPH_BREAK not in text[min(ent.start_char, token.idx):max(ent.end_char, token.idx)]]


def _ahead_of_the_story(span: Span) -> bool:
    """An event told as done whose time lies wholly after the story's day ('next week's summit', 'tomorrow's
    talks'): what has not come yet is planned, not done."""
    value, published = span._.date.value, span.doc._.published
    return (span._.modality in ("asserted", "reported") and value is not None and published is not None
            and value.start > published)


def _clock_on_last_day(value: TimeValue, written: str, expression: Span, dates: "DateIndex", sentence: str,
                       tense: str | None) -> tuple[TimeValue, bool]:
    """'Shortly after 9 p.m., a guard was stabbed': a clock time whose sentence names no day falls on
    the day the story told last (TimeML's anchorTimeID), not on the publication day; the value and whether it moved."""
    day = _last_recent_day(dates.resolved_before(expression), expression.doc._.published)
    if day is None:
        return value, False
    return normalize(written, day, sentence, tense=tense) or value, True


def _is_recent(day: date, published: date | None) -> bool:
    """A day of the week the story was published in: the news it is written around, not a past one it recalls."""
    return published is None or 0 <= (published - day).days <= RECENT_DAYS


def _last_recent_day(previous: TimeValue | None, published: date | None) -> date | None:
    """The day of the time told last where it is a day of the week before publication: a clock time with no day is
    told of the news at hand, not of background told earlier ('2 p.m.' heading an update in a live story)."""
    if previous is None or published is None or previous.granularity not in DAY_GRAINS:
        return None
    return previous.start if _is_recent(previous.start, published) else None


def _points_of(ent: Span) -> list[Span]:
    """The entity where it names a time; where the NER left out the word that makes a unit a time ('This [week]'s
    attack'), the entity with it; where the NER glued a date to what follows it ('on June 17, two days before the
    launch', 'sentenced in May to six years', 'said on Monday that Sunday's march'), the longest date before the
    comma or joining word, and the date after it where there is one; where it glued a date to the noun before it ('lodged
    [a complaint last week]', 'told [Vance last year]'), the date after the noun; else none."""
    if _names_a_time(ent.text):
        return [ent]
    doc = ent.doc
    if ent.text.isalpha() and ent.start > 0 and doc[ent.start - 1].pos_ in ("DET", "ADJ") and _names_a_time(doc[ent.start - 1:ent.end].text):
        return [Span(doc, ent.start - 1, ent.end, label=ent.label_)]
    joints = [token.i for token in ent[1:] if token.text == "," or token.pos_ in GLUE_POS or token.lower_ == "that"]
    for joint in reversed(joints):  # the longest date the glue leaves
        if _names_a_time(doc[ent.start:joint].text):
            rest = joint + 1
            if rest < ent.end and doc[rest].pos_ == "DET":  # 'and a Feb. 7'
                rest += 1
            after = Span(doc, rest, ent.end, label=ent.label_)
            return [Span(doc, ent.start, joint, label=ent.label_), *([after] if after and _names_a_time(after.text) else [])]
    for start in range(ent.start + 1, ent.end):
        phrase, noun = doc[ent.start:start], doc[start - 1]
        if (noun.pos_ in ("NOUN", "PROPN") and not _names_a_time(f"last {noun.lemma_}")  # not 'the first two [weeks]'
                and not any(token.pos_ in (*GLUE_POS, "VERB", "NUM") for token in [*phrase, doc[start]])
                and _names_a_time(doc[start:ent.end].text)):
            return [Span(doc, start, ent.end, label=ent.label_)]
    return []


def _anchor_for(expression: str, earlier: list[TimeValue]) -> TimeValue | None:
    """The time told before that an anaphor counts from: the last one, or for one that names a day ('earlier in the
    day', 'the same day', 'a day earlier') the last that is a day: 'in 2003' or 'last month' told in between is
    background, no day to count from. None where the story told none (the story's own day then stands)."""
    if not earlier:
        return None
    probe = resolve_from(expression, TimeValue(PROBE_ANCHOR.isoformat(), "day", PROBE_ANCHOR, PROBE_ANCHOR, None, "probe"))
    if probe is None or probe.granularity not in DAY_GRAINS:
        return earlier[-1]
    return next((value for value in reversed(earlier) if value.granularity in DAY_GRAINS), None)


def _untagged_expressions(doc: Doc) -> list[Span]:
    """Time expressions the NER left untagged ('recently', '16:08 UTC'), where no DATE or TIME entity covers them."""
    tagged = {i for ent in doc.ents if ent.label_ in ("DATE", "TIME") for i in range(ent.start, ent.end)}
    found = []
    for match in UNTAGGED_EXPRESSIONS.finditer(text_of(doc)):
        span = doc.char_span(match.start(), match.end(), label="TIME", alignment_mode="expand")
        if span is not None and not tagged.intersection(range(span.start, span.end)):
            found.append(span)
    return found


def _counted_back(token: Token, expression: Span | None) -> tuple[str, Token] | None:
    """The measure and the main clause of an event told as what happened that long before its main clause: 'came a
    day after the ministry accused the rebels', 'occurred four days after the arrest'. Unless the event's own clause names
    its time, the event lies the measure before the main clause's time (not after the story's last one)."""
    for node in dict.fromkeys((token, args.governing_verb(token))):
        if node.dep_ in ("pobj", "pcomp"):
            mark = node.head
        elif node.dep_ == "advcl":
            mark = next((c for c in node.children if c.dep_ == "mark"), None)
        else:
            continue
        if mark is None or mark.lower_ not in COUNTED_BACK_MARKS:
            continue
        measure = next((c for c in (*mark.children, *node.children)
                        if c.dep_ == "npadvmod" and c.lemma_.lower() in COUNTED_UNITS), None)
        if measure is None or (expression is not None and mark.i <= expression.root.i <= node.right_edge.i):
            return None
        if measure.left_edge == measure:  # 'days after' (about a week), 'weeks after' (a few weeks)
            unit = measure.lemma_.lower()
            return ("a week" if unit == "day" else f"a few {unit}s"), mark.head
        return token.doc[measure.left_edge.i:measure.i + 1].text, mark.head
    return None


def _date_beside(token: Token, sentence_ents: list[Span]) -> Span | None:
    """An expression right after the noun's phrase, with at most a preposition between; or one that stands between
    the noun and its article ('the Sept. 9, 2004, attacks', 'a March 3 raid'), however the parser hung it."""
    doc, right = token.doc, token.right_edge.i
    for ent in sentence_ents:
        between = doc[right + 1:ent.start]
        if 0 <= ent.start - right - 1 <= 1 and all(t.is_punct or t.pos_ in ("ADP", "CCONJ") for t in between):
            return ent
        before = doc[ent.end:token.i]
        if (ent.end <= token.i and len(before) <= 1 and all(t.text == "," for t in before)
                and (ent[0].pos_ == "DET" or (ent.start > 0 and doc[ent.start - 1].pos_ == "DET"))):
            return ent
    return None


def _date_beside_verb(verb: Token, sentence_ents: list[Span]) -> Span | None:
    """An expression right after the verb (at most a preposition between) or right before it: 'said on Monday there
    were', 'said Monday troops had', 'the minister on Sunday criticized'. News puts the date of the main clause
    there, where the parser often hangs it on the reported clause or the subject."""
    doc = verb.doc
    for ent in sentence_ents:
        between = doc[verb.i + 1:ent.start] if ent.start > verb.i else doc[ent.end:verb.i]
        if len(between) <= (1 if ent.start > verb.i else 0) and all(t.pos_ == "ADP" for t in between):
            return ent
    return None


def _verbless_clauses_of(token: Token, verb: Token) -> list[Token]:
    """'The delivery, originally due in May, was delayed until June': an adjective phrase set off by commas is a
    verbless clause about the noun it follows, dated apart from the verb (see `governed_by`), whether the parser
    hangs it on the noun or, set between the subject and its verb, on the verb."""
    clauses = [c for c in token.children if c.dep_ == "amod" and c.i > token.i and _verbless_clause(c)]
    if token.dep_ in ("nsubj", "nsubjpass") and token.head == verb:
        clauses += [c for c in verb.children if c.dep_ == "advcl" and token.i < c.i < verb.i and _verbless_clause(c)]
    return clauses


def _verbless_clause(token: Token) -> bool:
    """An adjective heading a phrase set off by commas (', originally due in May,'): a clause with its own time."""
    doc, before, after = token.doc, token.left_edge.i - 1, token.right_edge.i + 1
    return (token.pos_ == "ADJ" and token.dep_ in ("amod", "advcl") and before >= 0 and doc[before].text == ","
            and after < len(doc) and doc[after].text in (",", ";", "."))


def _main_clause_of_participle(verb: Token) -> Token | None:
    """The main verb of the sentence a trailing participial clause follows ('the minister spoke on Monday, urging
    calm', 'the court ruled on Friday, ordering a retrial'): a present participle with no subject of its own, set
    off by a comma after its main clause, tells what that clause's subject did then: the nearest verb before it up
    the parse. None for any other verb."""
    doc, before = verb.doc, verb.left_edge.i - 1
    if verb.tag_ != "VBG" or before < 0 or doc[before].text != "," or any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        return None
    # past a parse that hangs the participle on a later verb ('urging that troops would leave')
    return next((head for head in verb.ancestors if head.i < verb.i and head.pos_ in ("VERB", "AUX")), None)


def _marked_simultaneous(clause: Token) -> bool:
    return any(c.dep_ in ("mark", "advmod") and c.lower_ in SIMULTANEITY_MARKS for c in clause.children)


def _date_of_when_clause(verb: Token, sentence_ents: list[Span]) -> Span | None:
    """'On Tuesday night, when shots rang out at a rally', 'started on May 3, when workers walked out': a 'when'
    clause hung on a time expression happens at that time."""
    if verb.dep_ not in ("relcl", "advcl") or not _marked_simultaneous(verb):
        return None
    return next((ent for ent in sentence_ents if ent.start <= verb.head.i < ent.end), None)


def _date_of_place_clause(verb: Token, sentence_ents: list[Span]) -> Span | None:
    """'were detained on Friday outside a rally in the capital, where the senator promised ...': a 'where' clause on
    the place of its main clause tells what went on there at that time, the main clause's date."""
    if verb.dep_ != "relcl" or not any(c.lower_ in PLACE_RELATIVES for c in verb.children if c.dep_ == "advmod"):
        return None
    main = verb.head
    while main.pos_ not in ("VERB", "AUX") and main.head != main:
        main = main.head
    return next((ent for ent in sentence_ents if governed_by(ent.root, main) and not ent.start > verb.left_edge.i), None)


def _date_opening_the_sentence(verb: Token, sentence_ents: list[Span]) -> Span | None:
    """'Yesterday the minister urged ...': an expression that opens the sentence places its main clause."""
    if verb.dep_ != "ROOT" or not sentence_ents:
        return None
    first = sentence_ents[0]
    opening = verb.doc[verb.left_edge.i:first.start]  # the root's subtree starts its sentence
    if any(child.dep_ in ("ccomp", "parataxis") and child.i < verb.i and child.left_edge.i <= first.start
           for child in verb.children):
        return None  # the reported clause opens the sentence, and the time is its own
    return first if all(t.is_punct or t.is_space or t.pos_ == "ADP" for t in opening) else None


def _word_it_dates(ent: Span) -> Token:
    """The word a time expression hangs on, past its preposition ('a tweet on Monday', 'a Monday tweet': 'tweet')."""
    head = ent.root.head
    return head.head if head.pos_ == "ADP" and head.head != head else head


def _dates_speaking_occasion(ent: Span, verb: Token) -> bool:
    """'accused him of being lax at a debate on Sunday', 'at an October meeting': the date of a gathering the verb puts
    its speaker at (the parser often hangs the gathering on a gerund the verb governs) dates the saying."""
    noun = _word_it_dates(ent)
    if noun.lemma_.lower() not in SPEAKING_OCCASIONS or noun.dep_ != "pobj" or noun.head.lower_ not in OCCASION_PREPOSITIONS:
        return False
    current = noun.head
    while current != verb and current.head != current:
        current = current.head
        if current != verb and current.pos_ in ("VERB", "AUX") and current.tag_ != "VBG":
            return False  # the gathering of another clause ('will review ... during a summit next week')
    return current == verb


def _date_of_opening_phrase(verb: Token, sentence_ents: list[Span]) -> Span | None:
    """'Speaking at a conference earlier this month, the chief said', 'In a speech she made Wednesday, she linked ...
    and blamed': a phrase or a subjectless clause that opens the sentence, set off by a comma, sets the scene of its
    main clause (and the verbs joined to it), and its date dates that clause; not one that spans time up to it or
    names a source ('Since taking office in 2017,', 'According to papers filed on Monday,')."""
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    if verb.dep_ != "ROOT":
        return None
    doc, start = verb.doc, verb.left_edge.i
    opening = next((c for c in verb.children if c.i < verb.i and c.dep_ in ("advcl", "prep", "npadvmod")
                    and doc[start:c.left_edge.i].text.strip(" \n\"'“‘-") == ""), None)
    if opening is None or opening.right_edge.i + 1 >= len(doc) or doc[opening.right_edge.i + 1].text != ",":
        return None
    if opening.dep_ == "advcl" and any(c.dep_ in ("nsubj", "nsubjpass") for c in opening.children):
        return None  # a fronted clause of its own ('X did Y on Wednesday, a spokeswoman said')
    if {opening.lower_, *(c.lower_ for c in opening.children if c.dep_ == "mark")} & UNDATING_OPENERS:
        return None
    inside = (ent for ent in sentence_ents if opening.left_edge.i <= ent.start and ent.end <= opening.right_edge.i + 1)
    return next((ent for ent in inside if _verbs_between(ent.root, opening) <= 1), None)


def _verbs_between(token: Token, top: Token) -> int:
    """How many verbs lie on the way up from `token` to `top`: a date deep in clauses nested in the opening phrase
    ('In the port, where the army said it lifted a curfew that began on Monday,') is theirs."""
    count = 0
    while token != top and token.head != token:
        token = token.head
        count += token != top and token.pos_ in ("VERB", "AUX")
    return count


def _date_of_issuing_clause(verb: Token, sentence_ents: list[Span]) -> tuple[Span, Token] | None:
    """'posted a recording on Sunday threatening to shell the airport', 'A statement condemning the raid was put out
    on Friday': what a statement or a recording says is said when the clause that holds it puts it out."""
    if verb.dep_ != "acl" or verb.tag_ != "VBG" or verb.head.dep_ not in HELD_NOUN_ROLES:
        return None
    clause = verb.head.head
    return next(((ent, clause) for ent in sentence_ents if governed_by(ent.root, clause)), None)


def _date_of_governing_clause(token: Token, verb: Token, sentence_ents: list[Span]) -> tuple[Span | None, Token]:
    """A verb reported by a verb of saying takes the report's date; a noun only the date of the clause it sits in."""
    current = verb
    carried = token.pos_ == "VERB" or (verb != token and verb.lemma_ in args.LIGHT_VERBS)
    climb = ("ccomp", "xcomp", "conj", "advcl", "pcomp", "prep") if carried else ("pobj", "prep", "pcomp", "advcl", "xcomp", "dative")
    while current.dep_ in climb and current.head != current:
        current = current.head
        for ent in sentence_ents:
            if governed_by(ent.root, current):
                return ent, current
    return None, verb


def _names_a_time(expression: str) -> bool:
    """The expression resolves to a time of its own or of the time told before ('that day'); 'now' and 'currently',
    found among the untagged expressions, do not: they stand for the story's day."""
    return normalize(expression, PROBE_ANCHOR) is not None or anchor_needed(expression) == "previous_event"


def _is_clock_time(ent: Span) -> bool:
    """'18:00 UTC', '10:35 a.m.': a time on the clock, not a part of the day ('night')."""
    value = normalize(ent.text, PROBE_ANCHOR) if ent.label_ == "TIME" else None
    return value is not None and value.value.partition("T")[2][:1].isdigit()


def _is_present(ent: Span) -> bool:
    """'now', 'currently': they date what they govern by the story's day, and yield to an expression that says more
    ('will now receive the aircraft next month')."""
    return not _names_a_time(ent.text)


def governed_by(token: Token, holder: Token) -> bool:
    """True when `token` hangs on `holder` through prepositions and nouns only, no other verb or verbless clause
    in between.

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
        if _verbless_clause(current):
            return False
    return False


def with_modifier(ent: Span) -> Span:
    """'early on Wednesday' where the model tagged only 'Wednesday'."""
    doc, start = ent.doc, ent.start
    if start >= 2 and doc[start - 1].lower_ in ("on", "in") and doc[start - 2].lower_ in DATE_MODIFIER_WORDS:
        return doc[start - 2:ent.end]
    if start >= 1 and doc[start - 1].lower_ in DATE_MODIFIER_WORDS:
        return doc[start - 1:ent.end]
    return ent
