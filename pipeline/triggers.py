"""Stage 3a: event trigger candidates, as a spaCy component ("news_triggers").

Trigger rules (the lexicon in `models/events.json`) propose events at tokens: a verb or noun of one of the types,
with the arguments and modality the parse gives it (`EventBuilder`). The candidates go to
`doc.spans["event_candidates"]`, each span carrying its `records.Event` as `span._.event` and whether it is
tentative (a word of the lexicon whose rule's conditions do not hold) as `span._.tentative`. Candidates are
generous: the trained classifier (`event_model.py`) and the events stage decide which of them the story states as
events.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import arguments as args
from .records import Event
from .resources import MODELS_DIR, EventLexicon, Gazetteer, TriggerRule, WeaponLexicon, load_events, load_gazetteer, load_weapons

CANDIDATES_KEY = "event_candidates"
if not Span.has_extension("event"):
    Span.set_extension("event", default=None)  # the candidate's records.Event
if not Span.has_extension("tentative"):
    Span.set_extension("tentative", default=False)  # proposed for the classifier only (see TriggerFinder.event_at)

# Acts of states: the actor is the country, not the unit or the official (see shared/dev conventions).
STATE_ACTS = {"missile_test", "weapons_test", "nuclear_test", "attack", "sanction", "detention", "release", "expulsion", "military_exercise"}
SYMMETRIC = {"meeting", "talks", "agreement"}
SAYING_TYPES = {"statement", "accusation", "denial", "threat"}
# When several rules fire on one token, the more specific type wins.
PRECEDENCE = ["nuclear_test", "missile_test", "weapons_test", "attack", "denial", "accusation", "threat", "sanction", "detention", "expulsion", "release", "agreement", "talks", "meeting", "military_exercise", "protest", "statement"]
MODAL_AUXILIARIES = {"would", "could", "might", "may", "should", "can", "will", "shall", "must", "'ll", "'d", "wo", "ca"}
NEWS_AGENCY_KINDS = {"news_agency"}
RESOURCE_FILES = ("events.json", "weapons.json", "countries.tsv", "organizations.tsv", "people.tsv", "locations.tsv")


@Language.factory("news_triggers", default_config={"resources": None})
def make_trigger_finder(nlp: Language, name: str, resources: str | None) -> "TriggerFinder":
    return TriggerFinder(nlp, name, Path(resources) if resources else MODELS_DIR)


class EventBuilder:
    """An event of a given type at a trigger token: actor, target, weapon, quantity, location, source, modality."""

    def __init__(self, lexicon: EventLexicon, gazetteer: Gazetteer, weapons: WeaponLexicon):
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.weapons = weapons

    @classmethod
    def from_resources(cls, resources: Path) -> "EventBuilder":
        return cls(load_events(resources / "events.json"), load_gazetteer(resources), load_weapons(resources / "weapons.json"))

    def build(self, token: Token, sentence: Span, event_type: str, confidence: float) -> Event:
        """The event of `event_type` whose trigger is `token`: its arguments and modality read off the parse."""
        verb = governing_verb(token)
        actors, targets = self.parties(token, verb, event_type)
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
        confidence = confidence * (0.85 if modality == "reported" else 1.0)
        trigger = trigger_text(token)
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

    def parties(self, token: Token, verb: Token, event_type: str) -> tuple[list[args.Party], list[args.Party]]:
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

    def _modality(self, token: Token, verb: Token, attributed: str | None, actors: list[args.Party]) -> str:
        if negated(token) or (verb != token and negated(verb)):
            return "denied"
        if self._hypothetical(token) or (verb != token and self._hypothetical(verb)):
            return "hypothetical"
        if any(child.lower_ in args.REPORTING_ADVERBS for child in list(token.children) + list(verb.children)):
            return "reported"
        if attributed and attributed not in {p.name for p in actors}:
            return "reported"
        return "asserted"

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


class TriggerFinder:
    """The `news_triggers` component: trigger rules over every token, candidates to `doc.spans["event_candidates"]`."""

    def __init__(self, nlp: Language, name: str, resources: Path = MODELS_DIR):
        self.name = name
        self._load(resources)

    def _load(self, resources: Path) -> None:
        self.resources = resources
        self.builder = EventBuilder.from_resources(resources)
        self.lexicon = self.builder.lexicon
        self.weapons = self.builder.weapons
        self.gazetteer = self.builder.gazetteer

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for sentence in doc.sents:
            for token in sentence:
                found = self.event_at(token, sentence)
                if found is not None:
                    span = Span(doc, compound_start(token), token.i + 1, label=found[0].event_type)
                    span._.event, span._.tentative = found
                    spans.append(span)
        # 'test' inside 'test-fired' is no trigger of its own: one candidate per stretch of words, the longest.
        doc.spans[CANDIDATES_KEY] = [span for span in spans if not any(
            other is not span and other.start <= span.start and span.end <= other.end and len(other) > len(span)
            for other in spans)]
        return doc

    def event_at(self, token: Token, sentence: Span) -> tuple[Event, bool] | None:
        """The event the trigger rules propose at `token`, and whether it is tentative; None where no rule knows the
        word.

        A word of the lexicon whose rule's conditions fail, or that a precision filter turns down (a saying that only
        colours another clause, a noun with nobody behind it), is still proposed, as tentative: the rules alone
        leave it out, the trained classifier may take it. A tally of tests is no event, ever.
        """
        known = self._rules_for(token)
        if not known:
            return None
        firm = [rule for rule in known if self._conditions_hold(rule, token)]
        rule = min(firm or known, key=lambda r: PRECEDENCE.index(r.event_type))
        if (rule.event_type.endswith("_test") or rule.event_type == "military_exercise") and self._generic(token):
            return None  # a tally of tests ('its ongoing missile tests'): the conventions annotate no aggregates
        event_type, doubts = self._type_and_doubts(token, rule.event_type)
        return self.builder.build(token, sentence, event_type, rule.confidence), not firm or doubts

    def _type_and_doubts(self, token: Token, event_type: str) -> tuple[str, bool]:
        """The type the trigger stands for (a saying of blame is an accusation) and whether a precision filter
        doubts it."""
        actors, _ = self.builder.parties(token, governing_verb(token), event_type)
        if event_type == "statement":
            subject, _ = args.subject_of(token)
            if self._subsidiary(token) or not actors or self._is_news_agency(actors) or (subject is not None and (
                subject.lemma_.lower() in self.lexicon.words["media_nouns"]
                or self.lexicon.rules_for(subject.lemma_.lower(), "NOUN")  # 'the tests ... told Kim': an event says nothing
            )):
                return event_type, True
            if self._complement_has(token, self.lexicon.words["accusation_cues"]):
                return "accusation", False
        # A noun with nobody behind it ('the threat of cyber attacks') is no event.
        doubted = event_type in ("accusation", "denial", "threat", "agreement", "meeting", "talks", "sanction") and not actors and token.pos_ == "NOUN"
        return event_type, doubted

    @staticmethod
    def _trigger_key(token: Token) -> str:
        """The lemma, joining hyphenated compounds the tokenizer splits: 'test-fired' -> 'test-fire'."""
        first = compound_start(token)
        lemma = token.lemma_.lower()
        return f"{token.doc[first].lower_}-{lemma}" if first != token.i else lemma

    def _rules_for(self, token: Token) -> list[TriggerRule]:
        """The trigger rules of the token's word, whether or not their conditions hold."""
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
        return candidates

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

    @staticmethod
    def _subsidiary(token: Token) -> bool:
        """Saying that only colours another clause: 'denied it, calling the claim a fabrication',
        'the ruling, welcoming it', 'who announced', 'called in air support'."""
        if token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp", "acl", "pcomp"):
            return True
        if token.dep_ in ("relcl", "acl"):
            return True
        return any(child.dep_ == "prt" and child.lower_ in ("in", "off", "up", "out") for child in token.children)

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

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in RESOURCE_FILES:
            shutil.copyfile(self.resources / name, path / name)

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> "TriggerFinder":
        self._load(Path(path))
        return self


def governing_verb(token: Token) -> Token:
    """A noun trigger's light verb ('carried out 2 more tests') or the verb it is an argument of."""
    if token.pos_ == "VERB":
        return token
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass", "nsubj", "attr") and head.pos_ in ("VERB", "AUX"):
        return head
    return token


def trigger_text(token: Token) -> str:
    """The trigger as written: 'test-fired', not 'fired'."""
    return token.doc[compound_start(token):token.i + 1].text


def compound_start(token: Token) -> int:
    """Where a hyphenated compound the tokenizer split ends at `token` begins: 'test' of 'test-fired'."""
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_ and not doc[token.i - 2].whitespace_:
        return token.i - 2
    return token.i


def negated(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "no"):
            return True
        if child.dep_ in ("nsubj", "nsubjpass") and any(g.lower_ in ("neither", "nor", "no", "none") for g in child.subtree):
            return True
    return False
