"""Stage 3: events, as a spaCy component ("news_events").

Finds event triggers with the lexicon in `models/events.json`, reads their
arguments off the dependency parse (see `arguments.py`), decides modality,
picks the date expression that governs each event and resolves it with
`dates.normalize`, and merges mentions of one occurrence. The result is
`doc._.events`, a list of `records.Event`.

    nlp.add_pipe("news_events", after="news_entities")
    doc = nlp.make_doc(text); doc._.story_id = "s1"; doc._.published = date(2019, 7, 31)

Set `doc._.published` before the pipeline runs (the runner does it through
`nlp.pipe(..., as_tuples=True)`); without it relative dates stay unresolved.
"""
from __future__ import annotations

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
from .resources import MODELS_DIR, EventLexicon, Gazetteer, TriggerRule, WeaponLexicon, load_events, load_gazetteer, load_weapons

# doc._.story_id and doc._.published are registered with the entity component (imported through arguments).
if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)

# Acts of states: the actor is the country, not the unit or the official (see shared/dev conventions).
STATE_ACTS = {"missile_test", "weapons_test", "nuclear_test", "attack", "sanction", "detention", "release", "expulsion", "military_exercise"}
SYMMETRIC = {"meeting", "talks", "agreement"}
# When several rules fire on one token, the more specific type wins.
PRECEDENCE = ["nuclear_test", "missile_test", "weapons_test", "attack", "denial", "accusation", "threat", "sanction", "detention", "expulsion", "release", "agreement", "talks", "meeting", "military_exercise", "protest", "statement"]
MODAL_AUXILIARIES = {"would", "could", "might", "may", "should", "can", "will", "shall", "must", "'ll", "'d", "wo", "ca"}
NEWS_AGENCY_KINDS = {"news_agency"}
DATE_MODIFIER_WORDS = {"early", "late", "mid", "earlier", "later"}
SAYING_TYPES = {"statement", "accusation", "denial", "threat"}
PLACING_VERBS = {"take", "happen", "occur", "hold", "come"}
OCCURRENCE_VERBS = PLACING_VERBS | {"begin", "start", "end", "continue", "be", "kill", "leave", "last", "resume"}
RESOURCE_FILES = ("events.json", "weapons.json", "countries.tsv", "organizations.tsv", "people.tsv", "locations.tsv")


@Language.factory("news_events", default_config={"resources": None})
def make_event_extractor(nlp: Language, name: str, resources: str | None) -> "EventExtractor":
    return EventExtractor(nlp, name, Path(resources) if resources else MODELS_DIR)


class EventExtractor:
    def __init__(self, nlp: Language, name: str, resources: Path = MODELS_DIR):
        self.name = name
        self._load(resources)

    def _load(self, resources: Path) -> None:
        self.resources = resources
        self.lexicon: EventLexicon = load_events(resources / "events.json")
        self.gazetteer: Gazetteer = load_gazetteer(resources)
        self.weapons: WeaponLexicon = load_weapons(resources / "weapons.json")

    def __call__(self, doc: Doc) -> Doc:
        events: list[Event] = []
        sentences = list(doc.sents)
        for sentence in sentences:
            for token in sentence:
                event = self._event_at(token, sentence)
                if event is not None:
                    events.append(event)
        self._date(events, doc, sentences)
        _date_from_next_sentence(events, sentences)
        events = [e for e in events if not (e.date_source == "story_date" and self._background(_trigger_token(doc, e)))]
        events = self._drop_attributions(events, doc)
        doc._.events = self._merge(events, doc._.story_id or "")
        return doc

    # --- triggers ---------------------------------------------------------------------------

    @staticmethod
    def _trigger_key(token: Token) -> str:
        """The lemma, joining hyphenated compounds the tokenizer splits: 'test-fired' -> 'test-fire'."""
        first = _compound_start(token)
        lemma = token.lemma_.lower()
        return f"{token.doc[first].lower_}-{lemma}" if first != token.i else lemma

    def _matching_rules(self, token: Token) -> list[TriggerRule]:
        if token.pos_ in ("VERB",):
            pos = "VERB"
        elif token.pos_ in ("NOUN", "PROPN"):
            pos = "NOUN"
        else:
            return []
        if token.ent_type_ in ("DATE", "TIME"):
            return []  # 'March 8' is no march
        key = self._trigger_key(token)
        candidates = self.lexicon.rules_for(key, pos)
        if not candidates and key != token.lemma_.lower():
            candidates = self.lexicon.rules_for(token.lemma_.lower(), pos)
        return [rule for rule in candidates if self._conditions_hold(rule, token)]

    def _conditions_hold(self, rule: TriggerRule, token: Token) -> bool:
        if rule.weapon:
            classes = {self.weapons.weapon_class(span.text) for span in args.attached_weapons(token)}
            if not classes & rule.weapon:
                return False
        objects = args.objects_of(token)
        if token.dep_ == "acl" and token.tag_ == "VBN":
            objects = objects + [token.head]  # 'the statement, released by the Kremlin'
        objects = objects + [child for child in token.children if child.dep_ == "nsubjpass"]
        object_lemmas = {obj.lemma_.lower() for obj in objects} | {obj.lower_ for obj in objects}
        if rule.objects and not object_lemmas & rule.objects:
            return False
        if rule.excluded_objects and object_lemmas & rule.excluded_objects:
            return False
        if rule.needs and not self._context_words(token, objects) & rule.needs:
            return False
        if rule.intransitive and any(child.dep_ in ("dobj", "ccomp") for child in token.children):
            return False
        if rule.excluded_modifiers and {c.lower_ for c in token.children if c.dep_ in ("amod", "compound", "nmod")} & rule.excluded_modifiers:
            return False
        if rule.needs_party and not any(
            args.party_of(t, allow_pronoun=True) for t in objects if t.dep_ in ("dobj", "pobj")
        ):
            return False
        return True

    @staticmethod
    def _context_words(token: Token, objects: list[Token]) -> set[str]:
        words: set[str] = set()
        for child in token.children:
            words.update((child.lower_, child.lemma_.lower()))
            if child.dep_ == "poss":
                words.add("'s")
            if child.dep_ == "prep":
                for grandchild in child.children:
                    words.add(grandchild.lower_)
        if token.dep_ == "compound":
            words.add(token.head.lemma_.lower())
        for obj in objects:
            for descendant in list(obj.subtree)[:12]:
                words.update((descendant.lower_, descendant.lemma_.lower()))
        return words

    # --- one event --------------------------------------------------------------------------

    def _event_at(self, token: Token, sentence: Span) -> Event | None:
        rules = self._matching_rules(token)
        if not rules:
            return None
        rule = min(rules, key=lambda r: PRECEDENCE.index(r.event_type))
        event_type = rule.event_type
        if (event_type.endswith("_test") or event_type == "military_exercise") and self._generic(token):
            return None
        verb = self._governing_verb(token)
        actors, targets = self._parties(token, verb, event_type)
        if event_type == "statement":
            if self._subsidiary(token):
                return None
            subject, _ = args.subject_of(token)
            if not actors or self._is_news_agency(actors):
                return None
            if subject is not None and (
                subject.lemma_.lower() in self.lexicon.words["media_nouns"]
                or self.lexicon.rules_for(subject.lemma_.lower(), "NOUN")  # 'the tests ... told Kim': an event says nothing
            ):
                return None
            if self._complement_has(token, self.lexicon.words["accusation_cues"]):
                event_type = "accusation"
        if event_type in ("accusation", "denial", "threat", "agreement", "meeting", "talks", "sanction") and not actors and token.pos_ == "NOUN":
            return None  # a noun with nobody behind it ('the threat of cyber attacks') is no event
        weapons = args.attached_weapons(token)
        weapon = weapons[0] if weapons else None
        attributed, _ = args.attribution_of(token, sentence, self.lexicon.speech_verbs)
        modality = self._modality(token, verb, attributed, actors)
        doc = token.doc
        spec = self.lexicon.types[event_type]
        actor, actor_country = self._actor_fields(actors, event_type, sentence)
        target = "; ".join(p.name for p in targets) or None
        target_country = targets[0].country if targets else None
        quantity = None
        if event_type in ("missile_test", "weapons_test") and weapon is not None:
            # '2 more tests of an advanced missile' counts on the noun of the test, '2 missiles' on the weapon
            counted_tests = args.quantity_of(token) if token.pos_ == "NOUN" and token.tag_ == "NNS" else None
            quantity = counted_tests or args.quantity_of(weapon.root)
        elif event_type in ("detention", "release", "expulsion"):
            for obj in args.objects_of(token) + [t for t in token.children if t.dep_ == "nsubjpass"]:
                quantity = args.quantity_of(obj) if obj.pos_ != "PROPN" else None
                if quantity:
                    break
        confidence = rule.confidence * (0.85 if modality == "reported" else 1.0)
        trigger = self._trigger_text(token)
        return Event(
            event_id="",
            story_id=doc._.story_id or "",
            event_type=event_type,
            cameo_code=spec["cameo"],
            plover_type=spec["plover"],
            trigger=trigger,
            actor=actor,
            actor_country=actor_country,
            target=target,
            target_country=target_country,
            weapon=weapon._.canonical if weapon is not None else None,
            quantity=quantity,
            location=args.location_of(verb) or args.location_of(token),
            attributed_to=attributed,
            modality=modality,
            event_date=None,
            date_end=None,
            date_value=None,
            date_granularity=None,
            date_modifier=None,
            date_text=None,
            date_source="story_date",
            sentence=sentence.text.strip(),
            start_char=sentence.start_char,
            end_char=sentence.start_char + len(sentence.text.rstrip()),
            trigger_start=token.idx + len(token.text) - len(trigger),
            trigger_end=token.idx + len(token.text),
            confidence=round(confidence, 3),
            mentions=[(sentence.start_char, sentence.start_char + len(sentence.text.rstrip()))],
        )

    @staticmethod
    def _subsidiary(token: Token) -> bool:
        """Saying that only colours another clause: 'denied it, calling the claim a fabrication',
        'the ruling, welcoming it', 'who announced', 'called in air support'."""
        if token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp", "acl", "pcomp"):
            return True
        if token.dep_ in ("relcl", "acl"):
            return True
        return any(child.dep_ == "prt" and child.lower_ in ("in", "off", "up", "out") for child in token.children)

    def _background(self, token: Token) -> bool:
        """'had been sanctioned', 'has said repeatedly': background the conventions leave out when no date anchors it."""
        verb = self._governing_verb(token)
        for word in (token, verb):
            auxiliaries = [c for c in word.children if c.dep_ in ("aux", "auxpass")]
            if any(a.lower_ == "had" for a in auxiliaries):
                return True
            if any(c.lower_ in self.lexicon.words["habitual_adverbs"] for c in word.children):
                return True
        return False

    def _generic(self, token: Token) -> bool:
        """'North Korea's ongoing missile tests': a habit or a tally, not one occurrence."""
        if token.tag_ != "NNS":
            return False
        if any(child.lower_ in self.lexicon.words["generic_modifiers"] for child in token.children):
            return True
        if token.dep_ == "dobj" and token.head.lemma_ in args.LIGHT_VERBS:
            return False  # 'conduct annual joint military exercises'
        has_number = any(child.dep_ == "nummod" for child in token.children)
        following = token.doc[token.i + 1:token.i + 4]
        following = following[:next((t.i - token.i - 1 for t in following if t.is_sent_start), len(following))]
        has_date = any(t.ent_type_ in ("DATE", "TIME") for t in list(token.subtree) + list(following))
        return not has_number and not has_date

    @staticmethod
    def _trigger_text(token: Token) -> str:
        return token.doc[_compound_start(token):token.i + 1].text

    @staticmethod
    def _governing_verb(token: Token) -> Token:
        """A noun trigger's light verb ('carried out 2 more tests') or the verb it is an argument of."""
        if token.pos_ == "VERB":
            return token
        head = token.head
        if token.dep_ in ("dobj", "nsubjpass", "nsubj", "attr") and head.pos_ in ("VERB", "AUX"):
            return head
        return token

    def _parties(self, token: Token, verb: Token, event_type: str) -> tuple[list[args.Party], list[args.Party]]:
        actors: list[args.Party] = []
        targets: list[args.Party] = []
        if token.pos_ == "NOUN":
            for child in token.children:
                if child.dep_ in ("poss", "compound") and child.ent_type_ not in ("DATE", "TIME"):
                    actors.extend(args.party_of(child))
                elif child.dep_ == "amod" and (mention := args.mention_at(token.doc, child)) is not None and mention.label_ == "COUNTRY":
                    actors.append(args.Party(mention._.canonical, mention._.country_code, "COUNTRY"))  # 'Friday's Iranian attack'
            for pobj in args.prepositional(token, {"by", "from"} if event_type in SAYING_TYPES else {"by"}):
                actors.extend(args.party_of(pobj))  # 'stern warnings from Moscow'
            if event_type in SYMMETRIC:
                for preposition in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("with", "between")):
                    actors.extend(args.parties_within(preposition))
            for pobj in args.prepositional(token, {"against", "on", "at"}):
                targets.extend(args.party_of(pobj))
            if (not actors or event_type in SYMMETRIC) and verb != token:
                subject, passive = args.subject_of(verb)
                if subject is not None and not passive and subject != token:
                    actors[:0] = args.party_of(subject)  # 'Annan wrapped up a meeting with Saddam Hussein': Annan first
        else:
            subject, passive = args.subject_of(token)
            agent = args.agent_of(token)
            if passive:
                if agent is not None:
                    actors.extend(args.party_of(agent))
                if subject is not None and event_type not in ("missile_test", "weapons_test", "nuclear_test"):
                    targets.extend(args.party_of(subject))
            elif subject is not None:
                if subject.pos_ == "PRON" and token.dep_ == "relcl" and token.head.pos_ == "NOUN":
                    for preposition in (c for c in token.head.children if c.dep_ == "prep" and c.lower_ in ("with", "between")):
                        actors.extend(args.parties_within(preposition))
                if not actors:
                    actors.extend(args.party_of(subject))
            object_parties = []
            for obj in args.objects_of(token):
                if obj.dep_ == "pobj" and obj.head.lower_ in ("with",) and event_type in SYMMETRIC:
                    actors.extend(args.party_of(obj))
                elif event_type in SYMMETRIC and args.mention_at(token.doc, obj) is None:
                    continue  # 'discussed the Iraq crisis with Blair': the crisis is no party to the meeting
                elif obj.dep_ in ("dobj", "dative") or obj.head.lower_ in ("against", "on", "to", "at", "with", "into"):
                    object_parties.extend(args.party_of(obj))
            if event_type == "statement":
                object_parties = [p for p in object_parties if p.label in ("PERSON", "COUNTRY")]
            targets.extend(object_parties)
        if event_type in SYMMETRIC and token.lemma_.lower() not in ("visit", "host"):
            actors, targets = args.unique(actors + targets), []
        return args.unique(actors), [t for t in args.unique(targets) if t.name not in {a.name for a in actors}]

    def _actor_fields(self, actors: list[args.Party], event_type: str, sentence: Span) -> tuple[str | None, str | None]:
        if not actors:
            if event_type == "attack":
                return "unknown", None  # the conventions' word for an unnamed perpetrator
            if event_type in ("detention", "expulsion", "release"):
                place = self._country_in(sentence)  # 'was arrested in North Korea': the state that holds him
                if place is not None:
                    return place.name, place.code
            return None, None
        if event_type in STATE_ACTS:
            names = []
            for party in actors:
                if party.label in ("ORG", "PERSON") and party.country:
                    country = self.gazetteer.by_code.get(party.country)
                    names.append(country.name if country else party.name)
                else:
                    names.append(party.name)
            return "; ".join(dict.fromkeys(names)), actors[0].country
        return "; ".join(p.name for p in actors), actors[0].country

    def _country_in(self, sentence: Span):
        for token in sentence:
            if token.dep_ == "pobj" and token.head.lower_ in ("in", "inside") and (mention := args.mention_at(sentence.doc, token)) is not None:
                if mention.label_ == "COUNTRY" or (mention.label_ == "LOCATION" and mention._.country_code):
                    return self.gazetteer.by_code.get(mention._.country_code)
        return None

    def _is_news_agency(self, actors: list[args.Party]) -> bool:
        for party in actors:
            organization = self.gazetteer.organization(party.name)
            if organization is None or organization[2] not in NEWS_AGENCY_KINDS:
                return False
        return True

    @staticmethod
    def _complement_has(token: Token, cues: frozenset[str]) -> bool:
        """Whether what the speaker says (not its relative clauses or asides, not a negated claim) uses one of `cues`."""
        for child in token.children:
            if child.dep_ not in ("ccomp", "dobj", "xcomp", "advcl", "prep"):
                continue
            if any(grandchild.dep_ == "neg" for grandchild in child.children):
                continue
            stack = [child]
            while stack:
                current = stack.pop()
                if current.lemma_.lower() in cues or current.lower_ in cues:
                    return True
                stack.extend(c for c in current.children if c.dep_ not in ("relcl", "acl", "appos", "parataxis"))
        return False

    def _modality(self, token: Token, verb: Token, attributed: str | None, actors: list[args.Party]) -> str:
        if self._negated(token) or (verb != token and self._negated(verb)):
            return "denied"
        if self._hypothetical(token) or (verb != token and self._hypothetical(verb)):
            return "hypothetical"
        if any(child.lower_ in args.REPORTING_ADVERBS for child in list(token.children) + list(verb.children)):
            return "reported"
        if attributed and attributed not in {p.name for p in actors}:
            return "reported"
        return "asserted"

    @staticmethod
    def _negated(token: Token) -> bool:
        for child in token.children:
            if child.dep_ == "neg" or child.lower_ in ("never", "no"):
                return True
            if child.dep_ in ("nsubj", "nsubjpass") and any(g.lower_ in ("neither", "nor", "no", "none") for g in child.subtree):
                return True
        return False

    def _hypothetical(self, token: Token) -> bool:
        for child in token.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in MODAL_AUXILIARIES:
                return True
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return True
            if child.dep_ == "mark" and child.lower_ in ("until", "before", "once") and token.tag_ in ("VBZ", "VBP", "VB"):
                return True
            if child.dep_ == "amod" and child.lower_ in self.lexicon.words["hypothetical_modifiers"] and token.pos_ == "NOUN":
                return True
        current = token
        for _ in range(4):
            if current.dep_ not in ("xcomp", "ccomp", "acl", "pcomp", "dobj", "advcl", "prep", "pobj") or current.head == current:
                break
            head = current.head
            marks = {c.lower_ for c in current.children if c.dep_ == "mark"}
            if current.dep_ == "advcl" and marks & {"if", "unless"}:
                return True
            if current.dep_ == "advcl" and not marks:
                break  # '..., warning Saddam Hussein that ...': an act of its own, not what the main verb plans
            if head.lemma_.lower() in self.lexicon.hypothetical_governors and (current.dep_ != "dobj" or head.pos_ == "VERB"):
                # 'plans to launch', 'considering a freeze'; what a speaker says is reported, not planned
                return not (current.dep_ == "ccomp" and head.lemma_.lower() in self.lexicon.speech_verbs)
            elif current.dep_ in ("pcomp", "pobj", "prep") and any(
                c.dep_ == "aux" and c.lower_ in MODAL_AUXILIARIES for c in head.children
            ):
                return True  # 'will stand together on arresting the terrorists'
            current = head
        return False

    # --- which statements are attributions --------------------------------------------------

    def _drop_attributions(self, events: list[Event], doc: Doc) -> list[Event]:
        """'The military said the projectile was fired': the saying credits the launch and is no statement of its own.

        A statement goes when what it says is another event (its complement's predicate is a trigger),
        or when it hangs on another event's clause as a credit ('..., the army said').
        """
        triggers = {_trigger_token(doc, e).i for e in events if e.event_type != "statement"}
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
        verb = self._governing_verb(token)
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


def _compound_start(token: Token) -> int:
    """Where a hyphenated compound the tokenizer split ends at `token` begins: 'test' of 'test-fired'."""
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_ and not doc[token.i - 2].whitespace_:
        return token.i - 2
    return token.i


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
    if actor_a and actor_b and actor_a != actor_b and not (set(actor_a.split("; ")) & set(actor_b.split("; "))):
        return False
    if a.event_type == "statement" and not (actor_a and actor_b):
        return False
    if a.event_type in ("attack", "protest", "detention", "release", "expulsion"):
        if a.target and b.target and not set(a.target.split("; ")) & set(b.target.split("; ")):
            return False
        if a.start_char != b.start_char and not (actor_a and actor_b) and not (a.target and b.target):
            return False
    if a.date_source == "story_date" or b.date_source == "story_date":
        return True
    return a.date_value == b.date_value


def _known(actor: str | None) -> str | None:
    """An actor that tells occurrences apart: 'unknown' perpetrators may be anyone."""
    return None if actor == "unknown" else actor


def _richer(a: Event, b: Event) -> bool:
    def score(event: Event) -> tuple:
        return (event.date_source != "story_date", sum(v is not None for v in (event.actor, event.target, event.weapon, event.quantity, event.location)), event.confidence)

    return score(a) > score(b)
