"""Stage 3a: event trigger candidates, as a spaCy component ("news_triggers").

The trigger patterns are data (`models/triggers.jsonl`): one line per pattern, a spaCy `Matcher` token pattern
for the word that states an event of a type, with the parse facts that must hold for the rules to take it
(`pattern`), those that make them doubt it (`unless`) and those under which the word is no such event at all
(`never`: harm a storm or a crash did is no attack, however sure the classifier):

    {"id": "missile_test/verb-1", "label": "missile_test", "confidence": 0.9,
     "pattern": [{"POS": "VERB", "_": {"trigger_lemmas": {"INTERSECTS": ["fire", "launch"]},
                                      "weapon_classes": {"INTERSECTS": ["missile", "rocket"]}}}]}

The facts are token extensions registered here, read off the parse and the entity mentions (see `FACTS`). Every
word a pattern names (its `trigger_lemmas`, in its part of speech) and no `never` rules out is a candidate: firm
where the whole pattern holds and no `unless` does, tentative otherwise (left to the trained classifier;
`firm_only` patterns propose nothing tentative). A trigger lemma '@name' stands for the word list `name` of
`models/events.json`. Where patterns of several types hold at one word, the type listed first in
`models/event_types.json` wins. Candidates go to `doc.spans["event_candidates"]`, labelled with their type, with
`span._.tentative` and `span._.confidence`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy
from spacy.attrs import LEMMA, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span, Token

from . import arguments as args
from .entities import is_age
from .resources import MODELS_DIR, EventType, DataComponent, english_words, event_lexicon, load_event_types, load_events

CANDIDATES_KEY = "event_candidates"
PATTERNS_FILE = "triggers.jsonl"
EVENTS_FILE = "events.json"
TYPES_FILE = "event_types.json"
TRIGGER_POS = {"VERB", "NOUN", "PROPN"}  # the parts of speech a trigger pattern can name
PLACE_ENTITY_TYPES = {"GPE", "LOC", "FAC"}
WILL_AUXILIARIES = args.FUTURE_AUXILIARIES | {"would", "'d"}  # what a warning says will follow, not what may
# Nouns for people, who can make a threat: named by what they are, where they live, their work or side, or what they
# do for a state.
PEOPLE_NOUNS = (set(event_lexicon().words["captive_nouns"]) | set(event_lexicon().words["people_nouns"])
                | set(event_lexicon().words["official_nouns"]) | set(args.TITLE_NOUNS) | args.STATE_FORCE_NOUNS)
# Who threatens where a noun is the subject: people, and the message or recording its author threatens in.
THREAT_MAKER_NOUNS = (PEOPLE_NOUNS | event_lexicon().words["communication_nouns"]
                      | event_lexicon().words["recording_media"])
# Whom or what a call rings up: people, and the lines and counterparts a telephone call reaches.
TELEPHONED_NOUNS = PEOPLE_NOUNS | event_lexicon().words["telephoned_words"]
# What a saying is made with or to: a message, or people ('responded with a statement', 'added to reporters').
MESSAGE_NOUNS = PEOPLE_NOUNS | event_lexicon().words["communication_nouns"]
COMMITTING_AUXILIARIES = WILL_AUXILIARIES | {"should", "shall", "to"}  # what an agreement says its parties will do
CAUSE_PREPOSITIONS = frozenset(english_words()["cause_prepositions"])
OCCASION_PREPOSITIONS = frozenset(english_words()["occasion_prepositions"])
PORTION_NOUNS = frozenset(english_words()["portion_nouns"])
# A period still running or summed up: a count of events over one is an aggregate ('three tests this week', '23
# missiles so far this year'), where a count on a date is not ('two tests on Thursday', 'two tests last week').
RUNNING_PERIOD = re.compile(r"\b(?:so far|this (?:week|month|year)|(?:the )?past|recent|since)\b")


# --- the parse facts the patterns test -----------------------------------------------------------


def trigger_lemmas(token: Token) -> list[str]:
    """The lemma, and for a hyphenated compound the tokenizer split, the joined one: 'test-fired' -> 'test-fire'."""
    lemma = token.lemma_.lower()
    first = compound_start(token)
    return [f"{token.doc[first].lower_}-{lemma}", lemma] if first != token.i else [lemma]


def _objects(token: Token) -> list[Token]:
    objects = args.objects_of(token)
    if token.dep_ == "acl" and token.tag_ == "VBN":
        objects = objects + [token.head]  # 'the statement, released by the Kremlin'
    if token.dep_ == "relcl" and _object_relative(token):
        objects = objects + [token.head]  # 'the deal Iran struck', 'the town that troops shelled'
    return objects + [child for child in token.children if child.dep_ == "nsubjpass"]


def _done_to(token: Token) -> list[Token]:
    """What the verb is done to: its direct objects, its passive subjects and the noun a clause it heads hangs on,
    each as the relative pronoun's antecedent ('the fort that the rebels captured': 'fort')."""
    return [args.antecedent_of_relative(obj, token) for obj in _objects(token)
            if obj.dep_ in ("dobj", "nsubjpass") or obj == token.head]


def _doer(verb: Token) -> Token | None:
    """Who does it: the verb's active subject, or the agent of a passive (None where the passive names none)."""
    subject, passive = args.subject_of(verb)
    return args.agent_of(verb) if passive else subject


def _object_relative(verb: Token) -> bool:
    """A relative clause whose antecedent is its object: its relative pronoun is the object ('the town that troops
    shelled'), or it has a subject of its own and no object ('the deal Iran struck')."""
    relative = args.RELATIVE_PRONOUN_TAGS
    if any(c.dep_ == "dobj" and c.tag_ in relative for c in verb.children):
        return True
    return (any(c.dep_ == "nsubj" and c.tag_ not in relative for c in verb.children)
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children))


def weapon_classes(token: Token) -> list[str]:
    """The classes of the weapons among the word's arguments ('fired two ballistic missiles': missile)."""
    return sorted({span._.weapon_class for span in args.attached_weapons(token)})


def describes_a_weapon(token: Token) -> bool:
    """The word is part of a weapon's name before its head, or modifies one ('submarine-launched ballistic
    missile', 'shoulder-fired missiles'): it tells what kind of weapon, not that one was fired. A test is an act, never
    a kind of weapon: 'test-fired' is an event however the parser hangs it."""
    if any(lemma.startswith("test-") for lemma in token._.trigger_lemmas):
        return False
    span = args.weapon_at(token.doc, token)
    if span is not None:
        return token.i < span.end - 1
    return token.dep_ in ("amod", "compound") and args.weapon_at(token.doc, token.head) is not None


def object_words(token: Token) -> list[str]:
    return sorted({word for obj in _objects(token) for word in (obj.lemma_.lower(), obj.lower_)})


def context_words(token: Token) -> list[str]:
    """Words that modify the word or its objects: its children, the objects of its prepositions, its objects'
    phrases; "'s" for a possessor; the head of a compound ('missile test' in 'test launch'). A verb's phrase of
    time is left out: 'fired on Monday' fired on no one."""
    words: set[str] = set()
    for child in token.children:
        if token.pos_ == "VERB" and args.tells_a_time(child):
            continue
        words.update((child.lower_, child.lemma_.lower()))
        if child.dep_ == "poss":
            words.add("'s")
        if child.dep_ == "prep":
            words.update(grandchild.lower_ for grandchild in child.children)
    if token.dep_ == "compound":
        words.add(token.head.lemma_.lower())
    for obj in _objects(token):
        for descendant in list(obj.subtree)[:12]:
            words.update((descendant.lower_, descendant.lemma_.lower()))
    return sorted(words)


def modifier_words(token: Token) -> list[str]:
    return sorted({child.lower_ for child in token.children if child.dep_ in ("amod", "compound", "nmod")})


def subject_words(token: Token) -> list[str]:
    """Who or what does it, with their compounds ('insurance shares rallied'): a verb's active subject (a relative
    pronoun's antecedent) and its conjuncts; a noun's possessor ('the yen's rally'), the subject of the verb it is
    the object of ('futures posted a rally') or is on ('miners went on strike'), who it is by ('a strike by dock
    workers') and what it is in or of ('a rally in bond futures': the head only, as 'a rally in Market Square' is
    held by no market)."""
    if token.pos_ == "VERB":
        subjects = [subject] if (subject := args.active_subject(token)) is not None else []
        phrases = []
    else:
        subjects = [child for child in token.children if child.dep_ == "poss"]
        if token.dep_ == "dobj":
            subject, passive = args.subject_of(token.head)
            subjects += [subject] if subject is not None and not passive else []
        elif token.dep_ == "pobj" and token.head.lower_ == "on" and token.head.head.pos_ in ("VERB", "AUX"):
            subjects += [subject] if (subject := args.active_subject(token.head.head)) is not None else []
        phrases = args.prepositional(token, {"by", "in", "of"})
    words = [word for head in subjects for conjunct in [head, *head.conjuncts]
             for word in [conjunct, *(c for c in conjunct.children if c.dep_ == "compound")]] + phrases
    return sorted({form for word in words for form in (word.lower_, word.lemma_.lower())})


def cause_words(token: Token) -> list[str]:
    """What the clause says did the harm: the verb's active subject (a relative pronoun's antecedent: 'a quake that
    killed'), its agent, what it happened in or during ('killed by a storm', 'killed in the crash'), and a clause that
    tells how it came about: its own subject, agent and setting ('killed when a landslide buried their homes',
    'killed when he was struck by lightning', 'when their home was destroyed in the storm'), and its verb where
    nobody did it to anything ('killed when their bus crashed', 'derailed, killing 12'); with their modifiers. The
    verb's conjuncts share their setting and their clauses ('six were killed and dozens hurt after two trains
    collided'); a hyphenated word's first part names its cause ('flood-hit', 'storm-hit')."""
    verb = args.governing_verb(token)
    subject = args.active_subject(verb)
    causes = ([subject] if subject is not None else []) + _agent_and_setting(verb)
    # A conjunct gapped of its verb ('and scores injured') is parsed as a noun with a participle.
    conjuncts = [c for conjunct in verb.conjuncts for c in (conjunct, *conjunct.children) if c.dep_ in ("conj", "acl")]
    causes += [setting for conjunct in conjuncts for setting in _agent_and_setting(conjunct)]
    happenings = [c for clause in (verb, *conjuncts) for c in clause.children if c.dep_ == "advcl" and c.pos_ == "VERB"]
    happenings += [verb.head] if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.pos_ == "VERB" else []
    for happening in happenings:
        causes += [c for c in happening.children if c.dep_ == "nsubj"] + _agent_and_setting(happening)
        if not any(c.dep_ == "dobj" for c in happening.children):
            causes.append(happening)  # 'when their bus crashed'; not 'when troops stormed the hotel'
    words = {word.lemma_.lower() for cause in causes
             for word in [cause, *(c for c in cause.children if c.dep_ in ("compound", "amod"))]}
    first = compound_start(token)
    return sorted(words | ({token.doc[first].lower_} if first != token.i else set()))


def _agent_and_setting(verb: Token) -> list[Token]:
    """A verb's agent, what it happened by, in or during ('struck by lightning', 'destroyed in the storm'), and the
    cause a phrase names ('killed due to heavy flooding', 'died because of the storm')."""
    agent = args.agent_of(verb)
    stated = [next((t for t in child.subtree if t.dep_ == "pobj"), None) for child in verb.children
              if child.dep_ == "prep" and child.lower_ in CAUSE_PREPOSITIONS]
    return ([agent] if agent is not None else []) + args.prepositional(verb, {"by", "in", "during"}) + [
        cause for cause in stated if cause is not None]


def has_complement(token: Token) -> bool:
    """A direct object or a clause ('demonstrating that ...' is no protest)."""
    return any(child.dep_ in ("dobj", "ccomp") for child in token.children)


def predicate_words(token: Token) -> list[str]:
    """What the verb says its object or its subject is, with the words that negate, qualify or join it: 'pleaded not
    guilty' ('not', 'guilty'), 'called the charges absurd', 'described the claims as false' ('false')."""
    predicates = [c for c in token.children if c.dep_ in ("acomp", "oprd")]
    for holder in (token, *_objects(token)):  # the parser hangs the 'as' phrase on the verb or on its object
        predicates += [g for c in holder.children if c.dep_ == "prep" and c.lower_ == "as"
                       for g in c.children if g.dep_ in ("pobj", "amod", "acomp")]
    words = {word for predicate in predicates for word in (predicate.lower_, predicate.lemma_.lower())}
    words.update(c.lower_ for predicate in predicates for c in predicate.children
                 if c.dep_ in ("neg", "amod", "advmod", "conj"))
    return sorted(words)


def in_passive(token: Token) -> bool:
    """'was met with criticism', 'were met by police': the verb's subject undergoes it."""
    return any(child.dep_ in ("nsubjpass", "auxpass") for child in token.children)


def bare_after(token: Token) -> str:
    """The preposition whose object is the word, a singular noun with no determiner or possessor of its own ('in
    charge of', 'on hold'): a set phrase, where the noun names no act ('in charge of finances' charged no one). An
    empty string for any other word."""
    if token.dep_ != "pobj" or token.tag_ != "NN" or any(c.dep_ in ("det", "poss") for c in token.children):
        return ""
    return token.head.lower_


def object_of(token: Token) -> str:
    """The lemma of the verb whose direct object or passive subject the noun is ('dismissed the charges', 'the
    lawsuit was revived': 'dismiss', 'revive'); an empty string for any other word."""
    if token.dep_ not in ("dobj", "nsubjpass") or token.head.pos_ not in ("VERB", "AUX"):
        return ""
    return token.head.lemma_.lower()


def bare_singular(token: Token) -> bool:
    """A singular common noun with no determiner, possessor or number ('waves of protest', 'feared that protest could
    spread', 'sparked strong protest'): a mass noun, which names an activity in general, not one occurrence of it.
    The parser may hang the article of a compound on its first word ('a counter-protest', 'a sit-in protest')."""
    words = [token, token.doc[compound_start(token)], *(child for child in token.children if child.dep_ == "compound")]
    return token.tag_ == "NN" and not any(child.dep_ in ("det", "poss", "nummod") for word in words
                                          for child in word.children)


def phrase_holder(token: Token) -> list[str]:
    """What holds the prepositional phrase of a noun or a gerund, or of the first of its conjuncts: the first verb
    above it and that verb's object, however the parser hung the phrase ('pleaded guilty to the charges': 'plead';
    'jailed for six years on charges': 'jail'; 'faces trial on charges': 'face', 'trial'; 'accused of beating and
    robbing him': 'accuse'), and the noun the phrase hangs on ('Tarsk paid under its settlement of the suit':
    'settlement'). Empty for a word in no such phrase."""
    while token.dep_ == "conj":
        token = token.head
    if token.dep_ not in ("pobj", "pcomp"):
        return []
    holder = token.head.head  # the word the preposition hangs on
    nouns = [holder] if holder.pos_ == "NOUN" else []
    verb = next((head for head in token.ancestors if head.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return sorted({noun.lemma_.lower() for noun in nouns})
    return sorted({word.lemma_.lower() for word in (verb, *nouns, *(c for c in verb.children if c.dep_ == "dobj"))})


def held_as_setting(token: Token) -> bool:
    """Custody or an arrest as the setting of what another word tells: the object of a bare 'in' or 'under' ('in
    police custody', 'under house arrest') hung on a verb that neither puts nor keeps anyone there nor says they are
    there ('died in police custody', 'lived under house arrest', 'an illness that went untreated while in custody'),
    or on a death ('a death in custody'). 'was remanded in custody' and 'remains under house arrest' tell a
    detention (holding_verbs in models/events.json)."""
    if token.dep_ != "pobj" or token.head.lower_ not in ("in", "under") or any(
            child.dep_ in ("det", "poss") for child in token.children):
        return False
    holder = token.head.head
    if holder.pos_ in ("VERB", "AUX"):
        return holder.lemma_.lower() not in event_lexicon().words["holding_verbs"]
    return holder.lemma_.lower() == "death"


def sentenced_to_no_custody(token: Token) -> bool:
    """Every penalty the verb's 'to' phrase names holds no one ('sentenced to 18 months' probation', 'to a fine plus
    150 hours of community service'; a measure's 'of' phrase names its penalty): noncustodial_penalties in
    models/events.json. 'sentenced to 14 years in a Dunmore prison' or 'to jail plus probation' detains someone."""
    penalties = [penalty for named in args.prepositional(token, {"to"}) for penalty in (named, *named.conjuncts)]
    penalties = [next(iter(args.prepositional(penalty, {"of"})), penalty) for penalty in penalties]
    return bool(penalties) and all(penalty.lemma_.lower() in event_lexicon().words["noncustodial_penalties"]
                                   for penalty in penalties)


def has_party_object(token: Token) -> bool:
    """Someone met or visited, not 'visited nine sites'."""
    return any(args.party_of(t, allow_pronoun=True) for t in _objects(token) if t.dep_ in ("dobj", "pobj"))


def visits_a_site(token: Token) -> bool:
    """What is visited or toured is a site: a place or a building a common noun names ('visited a command center',
    'toured the flooded areas', 'a gun shop he visited'), no party and no people: an inspection or an errand, not a
    meeting. A city or a country named ('visited Tarsk', 'the city of Dunmore') is a party its leaders host, and
    people, or the place they are named by, are met ('visited Dunmore officials', 'visiting family', 'visited a
    refugee shelter')."""
    objects = _done_to(token)
    for obj in objects:
        named_by = {obj.lemma_.lower(), *(c.lemma_.lower() for c in obj.children if c.dep_ == "compound")}
        if (obj.pos_ != "NOUN" or named_by & PEOPLE_NOUNS
                or any(args.party_of(named) for named in (obj, *args.prepositional(obj, {"of"})))):
            return False
    return bool(objects)


def visits_kin(token: Token) -> bool:
    """Whom the verb's direct object names is the subject's kin ('was detained while visiting family', 'visits her
    parents in Tarsk'; kin_nouns in models/events.json): a private visit, no party met. Kin who come along ('visited
    Tarsk with his wife') leave the visit what it is."""
    return any(child.dep_ == "dobj" and child.lemma_.lower() in event_lexicon().words["kin_nouns"]
               for child in token.children)


def done_to_a_whole_class(token: Token) -> bool:
    """Whom the verb is done to is a whole class of people, not some of them: counted in millions ('deport 11 million
    migrants', 'deporting millions of workers') or, under a gerund or an infinitive, a bare plural ('his support for
    deporting undocumented migrants'): a policy proposed or argued over, not a deed done. A finite verb with a bare
    plural ('Tarsk deported migrants on Monday') or a count ('deported 40 migrants') tells one."""
    objects = [obj for obj in _objects(token) if obj.dep_ in ("dobj", "nsubjpass")]
    for obj in objects:
        counted_in_millions = obj.lower_ == "millions" or any(c.lower_ in ("million", "millions") for c in obj.children)
        bare_plural = obj.tag_ == "NNS" and not any(c.dep_ in ("det", "nummod", "poss") for c in obj.children)
        if not (counted_in_millions or (bare_plural and token.tag_ in ("VB", "VBG"))):
            return False
    return bool(objects)


def frees_someone(token: Token) -> bool:
    """Someone released or freed: a person or a people named, a personal pronoun, or a noun for people ('the
    hostages', 'two sailors'), not 'released a video' or 'released its figures'."""
    if event_lexicon().words["captive_nouns"].intersection(token._.object_words):
        return True
    for obj in _objects(token):
        personal = obj.tag_ == "PRP" and "Neut" not in obj.morph.get("Gender")  # 'him', 'them', not 'it'
        if obj.ent_type_ in ("PERSON", "NORP") or personal or any(party.label == "PERSON" for party in args.party_of(obj)):
            return True
    return False


def captures_a_thing(token: Token) -> bool:
    """What is captured is a thing, no one: a common noun for no people, no party and no ship or plane that holds
    them (crewed_craft in models/events.json): 'captured the headlines', 'capturing data', 'the eruption was captured
    by a satellite', 'captured the enemy's defences', 'the Tarsk fort the rebels captured'. 'captured two
    soldiers', 'captured a seventh', 'pirates captured a tanker' detain someone."""
    objects = _done_to(token)
    holding = PEOPLE_NOUNS | event_lexicon().words["crewed_craft"]
    return bool(objects) and all(
        obj.pos_ == "NOUN" and obj.ent_type_ not in ("ORDINAL", "CARDINAL")
        and not {obj.lemma_.lower(), obj.lower_} & holding and not args.party_of(obj) for obj in objects)


def seizes_a_place(token: Token) -> bool:
    """What is seized or captured is a place ('captured the air base', 'the town, which the militants seized'), or a
    part of places or their control ('seized part of the border zone', 'a third of its territory', 'control
    of the port'): a battle won, not people or a ship held."""
    for obj in _objects(token):
        if obj.dep_ not in ("dobj", "nsubjpass") and obj != token.head:  # the head: 'the territory seized in 2014'
            continue
        obj = args.antecedent_of_relative(obj, token)
        if obj.lemma_.lower() in PORTION_NOUNS:
            obj = next(iter(args.prepositional(obj, {"of"})), obj)
        if obj.ent_type_ in PLACE_ENTITY_TYPES or obj.lemma_.lower() in args.PLACE_NOUNS:
            return True
    return False


def warns_of_force(token: Token) -> bool:
    """A warning that threatens: it is addressed to a party ('warned Iran against'), warns of force or a cost
    ('warned of retaliation'), or of what will follow, in a clause of 'will' or 'would' or a condition ('warned that
    it would respond', 'warned he would quit unless'); not a warning of a danger or a possibility ('warned that the
    plan could fail', 'warned of starvation', 'warned residents to stay away')."""
    if has_party_object(token):
        return True
    warned_of = args.prepositional(token, {"of", "about"})
    if event_lexicon().words["force_warnings"].intersection(t.lower_ for t in warned_of):
        return True
    for clause in (c for c in token.children if c.dep_ == "ccomp"):
        auxiliaries = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
        conditions = {m.lower_ for c in clause.children if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"}
        if auxiliaries & WILL_AUXILIARIES or conditions & event_lexicon().words["conditional_marks"]:
            return True
    return False


def warns_the_public(token: Token) -> bool:
    """Who is warned is the public: people named by what they are to a place or a service ('warned residents that the
    roads would stay shut', 'warned travellers to avoid the border') or a nationality's people ('warned Americans
    abroad to keep alert'), no state or side: advice of a danger, not a threat. 'warned Tarsk', 'warned Dunmore
    officials' threaten."""
    warned = [child for child in token.children if child.dep_ == "dobj"]
    public = event_lexicon().words["public_nouns"]
    return bool(warned) and all({obj.lemma_.lower(), obj.lower_} & public
                                or (obj.ent_type_ == "NORP" and obj.tag_ in ("NNS", "NNPS")) for obj in warned)


def binds_to_a_course(token: Token) -> bool:
    """An agreement binds its parties to something: a deed ('agreed to attend'), a thing agreed ('agreed a
    ceasefire', 'agreed on a truce', 'the plan agreed last year', 'a truce was agreed') or what they will do ('agreed
    that neither would support'); 'experts agree that', 'agreed with the decision' and a bare 'Carson agreed' share
    a view."""
    if token.dep_ in ("acl", "amod") or in_passive(token):
        return True
    for child in token.children:
        if child.dep_ in ("xcomp", "dobj") or (child.dep_ == "prep" and child.lower_ in ("to", "on", "upon")):
            return True
        if child.dep_ == "ccomp" and {c.lower_ for c in child.children if c.dep_ == "aux"} & COMMITTING_AUXILIARIES:
            return True
    return False


def beside_a_guilty_plea(token: Token) -> bool:
    """The sentence tells a plea of guilty ('Vance pleaded guilty to fraud and agreed to give evidence', 'in
    exchange for her guilty plea, prosecutors agreed to drop two counts'): what a defendant or the prosecutors agree
    to beside it is a term of the plea bargain, a step in a criminal case, no agreement between parties."""
    return any(word.lower_ == "guilty" and word.head.lemma_.lower() in ("plea", "plead") for word in token.sent)


def talks_between_parties(token: Token) -> bool:
    """Talks have two sides, each a party: one spoke with or to another ('spoke by phone with Lavrov') or two spoke
    ('Lavrov and Kerry had spoken'). Speaking to the press ('speaking to MSNBC by telephone', 'told Reuters, speaking
    by phone') or with people who are no party ('spoke with his captors') is no talks."""
    others = args.prepositional(token, {"with", "to"})
    subject, _ = args.subject_of(token)
    if subject is not None:
        others += subject.conjuncts
    media = event_lexicon().words["media_nouns"]
    return any(other.lemma_.lower() not in media and any(party.kind != "news_agency" for party in args.party_of(other))
               for other in others)


def threatened_by_a_thing(token: Token) -> bool:
    """What threatens is a thing, not a party: 'violence threatens to undermine the truce', 'a precedent that threatens
    everyone's liberties', 'corruption threatens the party', 'a feud threatening to split the cabinet', 'the scandal
    wrecked his campaign and threatened his career', 'farms threatened by the blaze': a danger told, not a threat
    made. A party, a person, a noun for people ('a man threatened') or a pronoun makes one, as does the message or
    video its author threatens in ('a video threatening more attacks'); a passive with no agent names no one."""
    subject = _doer(token)
    if subject is None:
        return False
    subject = args.antecedent_of_relative(subject, token)
    if subject.pos_ != "NOUN" or args.party_of(subject):
        return False
    return not {subject.lower_, subject.lemma_.lower()} & THREAT_MAKER_NOUNS


def hosts_a_saying(token: Token) -> bool:
    """A gathering a speaker speaks at ('Vance said at a rally in Tarsk', 'told supporters at a victory rally', 'at a
    rally in Dunmore, she urged ...'): news names it as the occasion of what is said (a campaign stop), not as a
    protest it reports."""
    if token.dep_ != "pobj" or token.head.lower_ not in OCCASION_PREPOSITIONS:
        return False
    verb = token.head.head
    return verb.lemma_.lower() in event_lexicon().words["statement_verbs"] and verb.pos_ == "VERB"


def held_by_a_person(token: Token) -> bool:
    """A gathering a person holds: its possessor or a name before it is a person ('his rally', 'a Vance rally'), or
    a person is the subject of the verb it is the object of ('Ann Lee held a rally in Tarsk'). News names a
    candidate's or a leader's own rally as a stop on their campaign, not as a protest against anything."""
    holders = [child for child in token.children if child.dep_ in ("poss", "compound")]
    if token.dep_ == "dobj" and (subject := args.active_subject(token.head)) is not None:
        holders.append(subject)
    return any(party.label == "PERSON" for holder in holders for party in args.party_of(holder))


def rings_someone(token: Token) -> bool:
    """A call to someone that says nothing of them ('called his counterpart on Saturday', 'called the police', 'called
    an emergency line'): a telephone call, not a saying. What a saying calls someone ('called Vance a liar') or calls
    on them to do ('called on Tarsk to withdraw') is said of them."""
    if token._.predicate_words or any(c.dep_ in ("oprd", "acomp", "attr", "xcomp", "ccomp") for c in token.children):
        return False
    objects = [child for child in token.children if child.dep_ == "dobj"]
    if len(objects) != 1:
        return False  # 'called Dunmore the plan' parsed as two objects: what it calls the one is the other
    [obj] = objects
    # The object itself, not a name inside it: 'called Tarsk's move a provocation' says what the move is.
    mention = args.mention_at(token.doc, obj)
    return ((mention is not None and mention.label_ in args.ACTING_LABELS)
            or bool({obj.lemma_.lower(), obj.lower_} & TELEPHONED_NOUNS))


def tells_a_deed(token: Token) -> bool:
    """What the verb is done with or by is a deed or a thing, not a message: 'added a session', 'added windows',
    'responded by suing', 'responded with force'; news tells acts with these verbs as well as sayings. A clause, a
    message, a party or a person ('added that', 'responded with a statement') makes it a saying."""
    if any(child.dep_ in ("ccomp", "xcomp", "parataxis") for child in token.children):
        return False
    if any(child.dep_ == "prep" and child.lower_ == "by" and any(g.dep_ == "pcomp" for g in child.children)
           for child in token.children):
        return True  # 'replied by closing the border'
    things = [child for child in token.children if child.dep_ == "dobj"] + args.prepositional(token, {"with"})
    return any(thing.pos_ == "NOUN" and thing.lemma_.lower() not in MESSAGE_NOUNS and not args.party_of(thing)
               for thing in things)


def has_actor(token: Token) -> bool:
    """Someone behind a noun: 'Iran's threat', 'warnings from Moscow', 'talks with Seoul', the verb's subject."""
    for child in token.children:
        if child.dep_ in ("poss", "compound") and child.ent_type_ not in ("DATE", "TIME") and args.party_of(child):
            return True
        if child.dep_ == "amod" and (mention := args.mention_at(token.doc, child)) is not None and mention.label_ == "COUNTRY":
            return True
    if any(args.party_of(pobj) for pobj in args.prepositional(token, {"by", "from", "with", "between"})):
        return True
    verb = args.governing_verb(token)
    if verb != token:
        subject, passive = args.subject_of(verb)
        return subject is not None and not passive and subject != token and bool(args.party_of(subject))
    return False


def subsidiary(token: Token) -> bool:
    """A saying that only colours another clause: 'denied it, calling the claim a fabrication', 'who announced',
    'called in air support'."""
    if token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp", "acl", "pcomp"):
        return True
    if token.dep_ in ("relcl", "acl"):
        return True
    return any(child.dep_ == "prt" and child.lower_ in ("in", "off", "up", "out") for child in token.children)


def speaker_kind(token: Token) -> str:
    """Who speaks: 'media' (a paper, a broadcaster, a monitoring group, by its name's noun or what it is called:
    'TRT, the state broadcaster'; a police officer by rank: 'Officer Dana Kerr', or a police spokesperson: 'police
    spokesman Tom Vance'; who carries news rather than makes it), 'commentator' (an outside analyst or expert: the
    conventions make no event of commentary), 'private' (someone whose age the story gives, as news does of the
    private people it quotes), 'none' (nobody named), 'news_agency' (every speaker is one), or 'party'."""
    subject, passive = args.subject_of(token)
    words = event_lexicon().words
    described = described_as(subject) if subject is not None else set()
    if described & words["media_nouns"]:
        return "media"
    named = set(speaker_words(token))
    if described & words["commentator_nouns"] or studies_for_a_living(named):
        return "commentator"
    if "former" in described and described & words["adviser_nouns"]:
        return "commentator"  # 'the mayor's former aide' speaks for no one now
    if subject is not None and _age_given(subject):
        return "private"
    if described & words["police_rank_nouns"] and not words["company_office_words"].intersection(
            t.lower_ for t in subject.subtree):
        return "media"  # police telling what happened at a scene carry its news
    if (described & words["spokesperson_nouns"] and words["police_force_nouns"] & named
            and any(child.dep_ == "ccomp" for child in token.children)):
        return "media"  # and so do those who speak for the police, in what they tell ('a sheriff's spokeswoman said')
    speaker = args.agent_of(token) if passive else subject
    parties = args.party_of(speaker) if speaker is not None else []
    if not parties:
        return "none"
    return "news_agency" if all(party.kind == "news_agency" for party in parties) else "party"


def speaker_words(token: Token) -> list[str]:
    """The words of the phrase that names who speaks (the subject, or the agent of a passive) and of those joined to
    it: its compounds, appositions and phrases ('a spokesman for the Dunmore hospital', 'Ann Lee, a doctor at the
    clinic'), not the clauses that tell more of them ('Ann Lee, who lives near the hospital')."""
    speaker = _doer(token)
    if speaker is None:
        return []
    words: set[str] = set()
    stack = [speaker]
    while stack:
        current = stack.pop()
        words.update((current.lower_, current.lemma_.lower()))
        stack.extend(child for child in current.children if child.dep_ not in ("relcl", "acl", "advcl", "ccomp"))
    return sorted(words)


def studies_for_a_living(named: set[str]) -> bool:
    """The words that name a speaker (`speaker_words`) make them one of a think tank's ('a fellow at the Dunmore
    Center for Policy Studies') or of a unit of a university or a college ('director of a program at Tarsk
    University', 'dean of the Vance College School of Law'): an academic commenting, not the university speaking ('a
    spokeswoman for Tarsk University')."""
    words = event_lexicon().words
    return bool(named & words["think_tank_words"]) or bool(
        named & words["university_words"] and named & words["academic_units"])


def _age_given(subject: Token) -> bool:
    """'Javer Ruiz, 53, told ...', 'a 45-year-old resident said', 'Ann Lee, a 29-year-old student, said': news gives
    the age of the private people it quotes."""
    appositives = [child for child in subject.children if child.dep_ == "appos"]
    return any(is_age(appositive) for appositive in appositives) or any(
        modifier.dep_ == "amod" and modifier.lower_ == "old"
        and any(word.lower_ in ("year", "years") for word in modifier.subtree)  # '45-year-old'
        for noun in (subject, *appositives) for modifier in noun.children)


def described_as(subject: Token) -> set[str]:
    """The nouns a subject is called by: 'analyst', 'Kim, a professor at ...', 'security expert Lee'."""
    described = {subject.lemma_.lower()} | {t.lemma_.lower() for t in subject.children if t.dep_ in ("appos", "compound", "amod", "nmod")}
    for appositive in (t for t in subject.children if t.dep_ == "appos"):
        described |= {t.lemma_.lower() for t in appositive.children if t.dep_ in ("compound", "amod")}
    return described


def calls_untrue(token: Token) -> bool:
    """A saying whose reported clause calls something untrue: 'Tarsk said the story was a lie', 'said the rumours
    were not accurate'. News tells the rejection of a claim this way as well as with 'denied', and the conventions
    make a rejection of a claim a denial."""
    words = event_lexicon().words
    for clause in (child for child in token.children if child.dep_ == "ccomp"):
        negated = any(child.dep_ == "neg" for child in clause.children)
        for predicate in (child for child in clause.children if child.dep_ in ("acomp", "attr")):
            denied = negated or any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in predicate.children)
            lemma = predicate.lemma_.lower()
            if (lemma in words["falsity_words"] and not denied) or (lemma in words["truth_words"] and denied):
                return True
    return False


def declines_comment(token: Token) -> bool:
    """A saying whose reported clause is that its speaker has no comment, or will not or cannot comment ('Vance said
    his office would offer no comment', 'Tarsk said it cannot comment while the audit runs'): it says nothing of
    the matter."""
    for clause in (child for child in token.children if child.dep_ == "ccomp"):
        if clause.lemma_.lower() == "comment" and any(child.dep_ == "neg" for child in clause.children):
            return True
        if any(child.dep_ == "dobj" and child.lemma_.lower() == "comment"
               and any(g.dep_ == "det" and g.lower_ == "no" for g in child.children) for child in clause.children):
            return True
    return False


def joined_to(token: Token) -> str:
    """The lemma of the verb a conjunct shares its subject with ('accused the council of waste and said the toll was
    unfair': 'accuse' for 'said'); '' for a verb with a subject of its own or no conjunct."""
    sharer = _shares_subject_with(token)
    return sharer.lemma_.lower() if sharer is not None else ""


def _shares_subject_with(token: Token) -> Token | None:
    """The verb a conjunct with no subject of its own takes its subject from, up its chain of conjuncts."""
    while token.dep_ == "conj" and not any(child.dep_ in ("nsubj", "nsubjpass") for child in token.children):
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


def joined_to_a_present_state(token: Token) -> bool:
    """A saying in the simple present joined to a verb of its speaker's in the present, simple or perfect, that is no
    saying ('Tarsk wants the tariffs gone and says talks are futile', 'the rebels have long struck at the army and say
    they do not target civilians'): the speaker's standing position, background the text does not date."""
    bare = token.tag_ == "VB" and not any(child.dep_ in ("aux", "mark") for child in token.children)  # 'and say'
    if token.tag_ not in ("VBZ", "VBP") and not bare:
        return False
    sharer = _shares_subject_with(token)
    return sharer is not None and (sharer.tag_ in ("VBZ", "VBP") or args.in_present_perfect(sharer)) and (
        sharer.lemma_.lower() not in event_lexicon().words["statement_verbs"])


def blame_words(token: Token) -> list[str]:
    """The words of what a speaker says: its complements, not their relative clauses or asides, not a negated claim."""
    words: set[str] = set()
    for child in token.children:
        if child.dep_ not in ("ccomp", "dobj", "xcomp", "advcl", "prep") or any(g.dep_ == "neg" for g in child.children):
            continue
        stack = [child]
        while stack:
            current = stack.pop()
            words.update((current.lemma_.lower(), current.lower_))
            stack.extend(c for c in current.children if c.dep_ not in ("relcl", "acl", "appos", "parataxis"))
    return sorted(words)


def is_tally(token: Token) -> bool:
    """A plural that counts several occurrences rather than tells one: 'North Korea's ongoing missile tests' (nothing
    makes it one occurrence), 'three missile tests this week' (a count over a period: an aggregate, as '23 missiles so
    far this year' in the conventions)."""
    if token.tag_ != "NNS":
        return False
    if any(child.lower_ in event_lexicon().words["generic_modifiers"] for child in token.children):
        return True
    following = token.doc[token.i + 1:token.i + 6]
    following = following[:next((t.i - token.i - 1 for t in following if t.is_sent_start), len(following))]
    nearby = list(token.subtree) + list(following)
    dates = [t for t in list(token.subtree) + list(following[:3]) if t.ent_type_ in ("DATE", "TIME")]
    counted = any(child.dep_ == "nummod" for child in token.children)
    if counted and (args.quantity_of(token) or 0) > 1 and RUNNING_PERIOD.search(" ".join(t.lower_ for t in nearby)):
        return True
    if token.dep_ == "dobj" and token.head.lemma_ in args.LIGHT_VERBS:
        return False  # 'conduct annual joint military exercises'
    return not counted and not dates


FACTS = {f.__name__: f for f in (trigger_lemmas, weapon_classes, describes_a_weapon, object_words, context_words,
                                 modifier_words, subject_words, cause_words, has_complement, predicate_words,
                                 in_passive, bare_after, phrase_holder, has_party_object, frees_someone, has_actor,
                                 subsidiary, speaker_kind, blame_words, calls_untrue, is_tally, warns_of_force,
                                 held_as_setting, visits_a_site, done_to_a_whole_class, warns_the_public, object_of,
                                 seizes_a_place, binds_to_a_course, threatened_by_a_thing, talks_between_parties,
                                 hosts_a_saying, held_by_a_person, rings_someone, tells_a_deed, speaker_words,
                                 declines_comment, joined_to, sentenced_to_no_custody, captures_a_thing, bare_singular,
                                 joined_to_a_present_state, beside_a_guilty_plea, visits_kin)}
FACTS_KEY = "news_trigger_facts"


def _once_per_token(name: str, read) -> Callable[[Token], object]:
    """The fact read once per token and kept with the doc: the matcher asks for it once per pattern that tests it."""
    def getter(token: Token):
        facts = token.doc.user_data.setdefault(FACTS_KEY, {})
        key = (name, token.i)
        if key not in facts:
            facts[key] = read(token)
        return facts[key]
    return getter


for _name, _read in FACTS.items():
    if not Token.has_extension(_name):
        Token.set_extension(_name, getter=_once_per_token(_name, _read))
for _name, _default in (("tentative", False), ("confidence", 0.0)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


# --- the patterns and the component --------------------------------------------------------------


@dataclass(frozen=True)
class TriggerPattern:
    """One line of `triggers.jsonl`."""

    id: str
    label: str
    confidence: float
    pattern: list[dict]
    unless: list[dict] = field(default_factory=list)
    never: list[dict] = field(default_factory=list)
    firm_only: bool = False

    @property
    def lemmas(self) -> list[str]:
        return self.pattern[0]["_"]["trigger_lemmas"]["INTERSECTS"]

    @property
    def word_pattern(self) -> list[dict]:
        """The pattern without its conditions: the word in its part of speech."""
        word = {key: value for key, value in self.pattern[0].items() if key != "_"}
        return [{**word, "_": {"trigger_lemmas": {"INTERSECTS": self.lemmas}}}]


def read_patterns(path: Path, word_lists: dict[str, frozenset[str]] | None = None) -> list[TriggerPattern]:
    """The patterns of a `triggers.jsonl`. A word written '@name' in any of a pattern's word lists (its trigger
    lemmas, its conditions) stands for the word list `name` of `word_lists` (default: the `lexicons` of the shipped
    `events.json`), so that patterns sharing their words ('@statement_verbs': what a statement and a blame are said
    with; '@labor_strike_words': who strikes for pay, never with arms) name them once."""
    word_lists = event_lexicon().words if word_lists is None else word_lists
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                pattern = TriggerPattern(**_with_word_lists(json.loads(line), word_lists))
                if len(pattern.pattern) != 1 or not pattern.lemmas:
                    raise ValueError("one token, with the words it names under _.trigger_lemmas.INTERSECTS")
            except (TypeError, KeyError, ValueError) as err:
                raise ValueError(f"{path}:{number}: not a trigger pattern ({err})") from err
            patterns.append(pattern)
    return patterns


def _with_word_lists(spec: object, word_lists: dict[str, frozenset[str]]) -> object:
    """The spec with every '@name' of its lists replaced by the words of the list `name`."""
    if isinstance(spec, dict):
        return {key: _with_word_lists(value, word_lists) for key, value in spec.items()}
    if not isinstance(spec, list):
        return spec
    expanded = []
    for item in spec:
        if not (isinstance(item, str) and item.startswith("@")):
            expanded.append(_with_word_lists(item, word_lists))
        elif item[1:] in word_lists:
            expanded.extend(sorted(word_lists[item[1:]]))
        else:
            raise ValueError(f"no word list {item[1:]!r} in events.json")
    return expanded


@Language.factory("news_triggers", default_config={"resources": None})
def make_trigger_finder(nlp: Language, name: str, resources: str | None) -> "TriggerFinder":
    """`resources`: the folder with `triggers.jsonl`, `event_types.json` and `events.json` (default: the shipped
    `models/`)."""
    return TriggerFinder(nlp, name, Path(resources) if resources else MODELS_DIR)


class TriggerFinder(DataComponent):
    """The `news_triggers` component: trigger candidates to `doc.spans["event_candidates"]`."""

    resource_files = (PATTERNS_FILE, TYPES_FILE, EVENTS_FILE)

    def __init__(self, nlp: Language, name: str, resources: Path = MODELS_DIR):
        self.vocab = nlp.vocab
        super().__init__(name, resources)

    def load(self, resources: Path) -> None:
        self.types: dict[str, EventType] = load_event_types(resources / TYPES_FILE)
        self.patterns = {p.id: p for p in read_patterns(resources / PATTERNS_FILE, load_events(resources / EVENTS_FILE).words)}
        # A matcher per pattern and role: a word is tested only against the patterns that name it, since a matcher
        # reads every predicate of every pattern it holds.
        self.words: dict[str, Matcher] = {}
        self.holds: dict[str, Matcher] = {}
        self.doubts: dict[str, Matcher] = {}
        self.exclusions: dict[str, Matcher] = {}
        self.by_lemma: dict[str, list[TriggerPattern]] = {}
        for pattern in self.patterns.values():
            if pattern.label not in self.types:
                raise ValueError(f"{resources / PATTERNS_FILE}: pattern {pattern.id} has unknown type {pattern.label!r}")
            for role, specs in ((self.words, [pattern.word_pattern]), (self.holds, [pattern.pattern]),
                                (self.doubts, [[condition] for condition in pattern.unless]),
                                (self.exclusions, [[condition] for condition in pattern.never])):
                if specs:
                    role[pattern.id] = Matcher(self.vocab)
                    role[pattern.id].add(pattern.id, specs)
            for lemma in pattern.lemmas:
                self.by_lemma.setdefault(lemma, []).append(pattern)
        self.precedence = {name: rank for rank, name in enumerate(self.types)}
        # The lemmas a word must have for a pattern to name it (the last part of 'test-fire'), in the cases a lemma
        # comes in, and the parts of speech: the words worth a look are found for a whole document at once.
        last_parts = {lemma.rsplit("-", 1)[-1] for lemma in self.by_lemma}
        self.lemma_hashes = numpy.array(sorted({self.vocab.strings.add(form) for lemma in last_parts
                                                for form in (lemma, lemma.capitalize(), lemma.upper())}), dtype="uint64")
        self.pos_ids = numpy.array(sorted(POS_IDS[pos] for pos in TRIGGER_POS), dtype="uint64")

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        values = doc.to_array([LEMMA, POS]).reshape(len(doc), 2)
        named_words = numpy.isin(values[:, 0], self.lemma_hashes) & numpy.isin(values[:, 1], self.pos_ids)
        for i in numpy.flatnonzero(named_words).tolist():
            token = doc[i]
            named = [p for lemma in trigger_lemmas(token) for p in self.by_lemma.get(lemma, [])]
            span = self.candidate_at(token, list({p.id: p for p in named}.values())) if named else None
            if span is not None:
                spans.append(span)
        # 'test' inside 'test-fired' is no trigger of its own: one candidate per stretch of words, the longest.
        doc.spans[CANDIDATES_KEY] = [span for span in spans if not any(
            other is not span and other.start <= span.start and span.end <= other.end and len(other) > len(span)
            for other in spans)]
        return doc

    def candidate_at(self, token: Token, named: list[TriggerPattern]) -> Span | None:
        """The candidate at `token`, among the patterns that name its word: the most specific type whose pattern
        holds there without doubt (firm), else the most specific type whose word it is (tentative); None where it is
        a tally the type never counts."""
        word = token.doc[token.i:token.i + 1]
        known = [pattern for pattern in named if self.words[pattern.id](word) and not self.any_holds(self.exclusions, pattern, word)]
        firm = [pattern for pattern in known if self.holds[pattern.id](word) and not self.any_holds(self.doubts, pattern, word)
                and not (self.types[pattern.label].saying and self.event_speaks(token))]
        choices = firm or [pattern for pattern in known if not pattern.firm_only]
        if not choices:
            return None
        chosen = min(choices, key=lambda pattern: self.precedence[pattern.label])
        if not self.types[chosen.label].tallies_are_events and token._.is_tally:
            return None  # the conventions annotate no aggregates
        span = Span(token.doc, compound_start(token), token.i + 1, label=chosen.label)
        span._.tentative, span._.confidence = not firm, chosen.confidence
        return span

    @staticmethod
    def any_holds(conditions: dict[str, Matcher], pattern: TriggerPattern, word: Span) -> bool:
        """Whether one of the pattern's conditions of a role (`self.doubts`: its `unless`, `self.exclusions`: its
        `never`) holds at the word."""
        return pattern.id in conditions and bool(conditions[pattern.id](word))

    def event_speaks(self, token: Token) -> bool:
        """'the tests ... told Kim': the subject of the saying is itself a word of an event; an event says nothing."""
        subject, _ = args.subject_of(token)
        return subject is not None and subject.pos_ == "NOUN" and any(lemma in self.by_lemma for lemma in subject._.trigger_lemmas)

    def score(self, examples, **kwargs) -> dict:
        """Candidates against the references' `doc.spans["event_candidates"]` (gold triggers, labelled by type)."""
        # As spaCy's span components name their scores: spans_<key>_p, _r, _f, _per_type.
        return Scorer.score_spans(examples, f"spans_{CANDIDATES_KEY}", getter=lambda doc, attr: doc.spans.get(attr[len("spans_"):], []),
                                  has_annotation=lambda doc: CANDIDATES_KEY in doc.spans, **kwargs)


def trigger_text(token: Token) -> str:
    """The trigger as written: 'test-fired', not 'fired'."""
    return token.doc[compound_start(token):token.i + 1].text


def compound_start(token: Token) -> int:
    """Where a hyphenated compound the tokenizer split ends at `token` begins: 'test' of 'test-fired'."""
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_ and not doc[token.i - 2].whitespace_:
        return token.i - 2
    return token.i
