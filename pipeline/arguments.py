"""Stage 3b: an event's arguments, read off the dependency parse, as a spaCy component ("news_arguments").

For every trigger candidate (`doc.spans["event_candidates"]`) it sets `span._.arguments`, a `records.Arguments`:
who acted, on whom, with what, how many, where, by whose account. Passives ('was detained by police') and nominal
events ('Iran's attack on ...', 'talks with Seoul') are read as their verbal kin. The helpers below take spaCy
tokens and the story's entity mentions (`doc.spans["news_entities"]`); the other event components use them too.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .dates import names_a_scheduled_time
from .entities import LEADER_MARKS, MAX_DATELINE_WORDS, SPAN_KEY, WEAPON_KEY, is_dateline, is_state_body
from .records import Arguments, sentences
from .resources import (MODELS_DIR, Country, EventType, Gazetteer, DataComponent, english_words, load_event_types,
                        load_events, load_gazetteer, load_word_lists, name_key)

CANDIDATES_KEY = "event_candidates"
ARGUMENT_RESOURCES = ("event_types.json", "events.json", "countries.tsv", "organizations.tsv", "people.tsv", "locations.tsv",
                      "city_countries.tsv")
# A mention of no known type (a span a user or a benchmark puts there) is read as a plain event.
PLAIN_EVENT = EventType("event", "", None, "", state_act=False, symmetric=False, saying=False, quantity=None,
                        tallies_are_events=True, passive_subject_is_target=False)
if not Span.has_extension("arguments"):
    Span.set_extension("arguments", default=None)
if not Doc.has_extension("claimed_by"):
    Doc.set_extension("claimed_by", default=None)  # (name, country code) of who claimed responsibility in the story

ARGUMENT_DEPS = {"dobj", "nsubjpass", "compound", "amod", "nmod", "attr", "oprd", "appos", "dative", "nummod"}
ACTING_LABELS = ("COUNTRY", "ORG", "PERSON")  # the kinds of entity that act
RELATIVE_PRONOUN_TAGS = {"WDT", "WP"}  # 'that', 'which', 'who' as the subject of a relative clause
CLAUSE_DEPS = {"relcl", "ccomp", "advcl", "acl", "parataxis", "xcomp", "csubj"}
_WORDS = english_words()
LIGHT_VERBS = _WORDS["light_verbs"]
CROWD_COUNT_NOUNS = frozenset(_WORDS["crowd_count_nouns"])
OCCASION_PURPOSE_PREPOSITIONS = frozenset(_WORDS["occasion_purpose_prepositions"])
CAUSE_PREFIXES = frozenset(_WORDS["cause_prefixes"])
NUMBER_WORDS = _WORDS["number_words"]
PLACE_NOUNS = _WORDS["place_nouns"]
PLACE_PREPOSITIONS = _WORDS["event_place_prepositions"]
KEEP_PREPOSITION = _WORDS["place_kept_prepositions"]
NARROWING_PREPOSITIONS = _WORDS["place_narrowing_prepositions"]
TITLE_NOUNS = _WORDS["person_title_nouns"]
SPEAKING_FOR_NOUNS = set(_WORDS["speaking_for_nouns"])
CREDITING_VERBS: dict[str, str] = _WORDS["crediting_verbs"]
CONTROLLED_PREPOSITIONS = set(_WORDS["object_control_prepositions"])
CULPABILITY_WORDS = set(_WORDS["culpability_words"])
MUTUAL_FIGHT_NOUNS = set(_WORDS["mutual_fight_nouns"])
CULPABLE_LABELS = set(_WORDS["culpable_labels"])
PERSON_TITLE_WORDS = set(TITLE_NOUNS) | set(load_word_lists(MODELS_DIR / "entity_words.json")["title_words"])
STATE_BODY_KINDS = ("government", "military")  # the gazetteer's kinds of organization that are the state's own
STATE_FORCE_NOUNS = set(_WORDS["state_force_nouns"])
STATE_FORCE_MODIFIERS = set(_WORDS["state_force_modifiers"])
FUTURE_AUXILIARIES = _WORDS["future_auxiliaries"]


@dataclass(frozen=True)
class Party:
    name: str
    country: str | None
    label: str  # PERSON | COUNTRY | ORG | LOCATION | OTHER
    kind: str | None = None  # an organization's kind in the gazetteer (news_agency, ...)

    @classmethod
    def of(cls, mention: Span) -> "Party":
        """The party an entity mention (`news_entities`) names."""
        return cls(mention._.canonical, mention._.country_code, mention.label_, mention._.kind)


def mention_at(doc: Doc, token: Token) -> Span | None:
    """The entity mention covering `token`, if any."""
    return _span_at(doc, SPAN_KEY, token)


def weapon_at(doc: Doc, token: Token) -> Span | None:
    """The weapon mention covering `token`, if any (also weapons that only modify a noun)."""
    return _span_at(doc, WEAPON_KEY, token)


def _span_at(doc: Doc, key: str, token: Token) -> Span | None:
    """The span of one of the doc's span groups covering `token`, by an index built once per doc.

    The index holds positions in the group, not spans, so that the doc can still be copied."""
    indexes = doc.user_data.setdefault("news_span_index", {})
    if key not in indexes:
        indexes[key] = {i: position for position, span in enumerate(doc.spans[key]) for i in range(span.start, span.end)}
    position = indexes[key].get(token.i)
    return doc.spans[key][position] if position is not None else None


def party_of(token: Token, allow_pronoun: bool = True) -> list[Party]:
    """The parties a noun phrase names: its entity, an entity modifying it, its conjuncts, or a pronoun's antecedent."""
    token = antecedent_of_relative(token, token.head)
    parties = _single_party(token, allow_pronoun)
    for conjunct in token.conjuncts:
        if conjunct.i > token.i:
            parties.extend(_single_party(conjunct, allow_pronoun))
    return unique(parties)


def unique(parties: list[Party]) -> list[Party]:
    """Each party once, in order of first mention."""
    first: dict[str, Party] = {}
    for party in parties:
        first.setdefault(party.name, party)
    return list(first.values())


def _single_party(token: Token, allow_pronoun: bool) -> list[Party]:
    doc = token.doc
    mention = mention_at(doc, token)
    if mention is not None and is_dateline(mention):
        return []
    if mention is not None and mention.label_ != "WEAPON":
        return [Party.of(mention)]
    if token.pos_ == "PRON" or token.tag_ == "PRP$":
        if not allow_pronoun:
            return []
        return _antecedent(token)
    for child in token.children:  # 'the lawyer, Kim Dong-won, said'
        if child.dep_ == "appos" and (named := mention_at(doc, child)) is not None and named.label_ in ACTING_LABELS:
            return [Party.of(named)]
    for child in token.children:
        if child.dep_ == "amod" and child.lower_ in LEADER_MARKS and child.i < token.i:
            child = next((c for c in child.children if c.dep_ in ("npadvmod", "compound")), child)  # 'the US-led coalition'
        if child.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod") and child.i < token.i:
            found = mention_at(doc, child)
            if found is not None and found.label_ in ACTING_LABELS and not is_dateline(found):
                return [Party.of(found)]
            if child.dep_ == "poss" and child.pos_ == "PRON":
                return _antecedent(child)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            for grandchild in child.children:
                found = mention_at(doc, grandchild)
                if found is not None and found.label_ in ("COUNTRY", "ORG"):
                    return [Party(found._.canonical, found._.country_code, found.label_)]
        if child.dep_ == "prep" and child.lower_ == "for" and token.lower_ in SPEAKING_FOR_NOUNS:
            # 'a spokesman for the State Department', 'a lawyer for Belgium's prosecutor': whom they speak for
            for grandchild in (c for c in child.children if c.dep_ == "pobj"):
                if found := _single_party(grandchild, allow_pronoun):
                    return found
    if token.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"):
        return []
    if token.pos_ == "PROPN" or token.ent_type_ == "NORP" or token.lower_ in TITLE_NOUNS:
        named = _person_called(token)
        phrase = _proper_phrase(token)
        if phrase and not (named is not None and name_key(named.name).endswith(name_key(phrase))):
            return [Party(phrase, None, "OTHER")]  # a name the model missed, in full here: 'Bilawal Bhutto Zardari'
        if named is not None:
            return [named]
        if token.pos_ == "PROPN" and token.lower_ not in TITLE_NOUNS:
            return [Party(token.text, None, "OTHER")]  # 'Leading Democrats': a group the gazetteers do not know
    return []


def _proper_phrase(token: Token) -> str | None:
    """A proper noun with the proper nouns that run into it ('Premier League', 'Mars Inc', 'Bilawal Bhutto Zardari'),
    titles left out; None where none do."""
    start = token.i
    while start > 0 and (word := token.doc[start - 1]).head == token and word.dep_ == "compound" and (
            word.pos_ == "PROPN" and word.lower_.rstrip(".") not in PERSON_TITLE_WORDS) and not _in_dateline(word):
        start -= 1
    return token.doc[start:token.i + 1].text if start < token.i else None


def _in_dateline(token: Token) -> bool:
    """'DENVER Republicans in the state senate': the city the story is filed from runs into its first words, no name."""
    mention = mention_at(token.doc, token)
    return mention is not None and is_dateline(mention)


def _person_called(token: Token) -> Party | None:
    """'said Eitan' after 'Michael Eitan' (or before it, where a quote comes first); 'Muslat' of 'Salim al-Muslat';
    'The president' after 'President Trump'."""
    doc = token.doc
    word = token.lower_
    if "news_people" not in doc.user_data:  # positions in the span group, not spans: the doc stays copyable
        positions = [i for i, s in enumerate(doc.spans[SPAN_KEY]) if s.label_ == "PERSON"]
        doc.user_data["news_people"] = (positions, [doc.spans[SPAN_KEY][i].start for i in positions])
    positions, starts = doc.user_data["news_people"]
    before = bisect_left(starts, token.i)
    order = positions[:before][::-1] + ([] if word in TITLE_NOUNS else positions[before:])
    for position in order:
        span = doc.spans[SPAN_KEY][position]
        parts = span._.canonical.lower().split()
        titled = span.start > 0 and doc[span.start - 1].lower_ == word
        if (word in TITLE_NOUNS and titled) or (word not in TITLE_NOUNS and word in (
                parts[0], parts[-1], parts[-1].rpartition("-")[2])):
            return Party(span._.canonical, span._.country_code, "PERSON")
    return _named_in_full(token)


def _named_in_full(token: Token) -> Party | None:
    """A surname the model tagged as no person ('Ewert said'), where the story names the person in full once ('Brian
    Ewert'): the surname's first mention with capitalized words before it, titles left out ('Mayor Jim Strickland')."""
    doc = token.doc
    for mention in doc:
        if mention.text != token.text:
            continue
        start = mention.i
        while start > max(0, mention.i - 3) and _given_name(doc[start - 1]):
            start -= 1
        if start < mention.i:
            return Party(doc[start:mention.i + 1].text, None, "PERSON")
    return None


def _given_name(token: Token) -> bool:
    return (token.pos_ == "PROPN" and token.is_title and token.lower_.rstrip(".") not in PERSON_TITLE_WORDS
            and token.ent_type_ not in ("GPE", "NORP", "LOC"))


def _antecedent(pronoun: Token) -> list[Party]:
    """The nearest earlier mention of a fitting kind: a person for he/she/his/her, else a country or organization."""
    doc = pronoun.doc
    wanted = ("PERSON",) if pronoun.lower_ in ("he", "she", "his", "her", "him") else ("COUNTRY", "ORG")
    best = None
    for span in doc.spans[SPAN_KEY]:
        if span.start >= pronoun.i:
            break
        is_subject = span.root.dep_ in ("nsubj", "nsubjpass")
        prefer = best is None or is_subject or best.root.dep_ not in ("nsubj", "nsubjpass")
        if span.label_ in wanted and prefer and pronoun.i - span.start < 80:
            best = span
    if best is None:
        return []
    return [Party(best._.canonical, best._.country_code, best.label_)]


def governing_verb(token: Token) -> Token:
    """A noun trigger's light verb ('carried out 2 more tests') or the verb it is an argument of."""
    if token.pos_ == "VERB":
        return token
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass", "nsubj", "attr") and head.pos_ in ("VERB", "AUX"):
        return head
    return token


def subject_of(verb: Token) -> tuple[Token | None, bool]:
    """The subject token and whether the clause is passive; climbs to the governing clause when the verb has none.

    A conjunct shares its head's voice ('was arrested and charged', 'fled and was shot and wounded'), and its own
    passive auxiliary makes it passive ('turned himself in and was charged'). A clause the verb governs has a voice of
    its own: the passive subject above an active infinitive or gerund is who does it ('was accused of killing', 'was
    arrested after shooting').
    A gerund in an 'of', 'for', 'from' or 'with' phrase of a verb that has an object is done by the object
    ('accused the driver of shooting', 'arrested him for stabbing', 'stopped them from firing'); a bare participle
    under another clause is passive ('was arrested, first charged with theft', 'were reported arrested')."""
    passive = any(child.dep_ == "auxpass" for child in verb.children)
    bare_participle = verb.tag_ == "VBN" and not any(child.dep_ in ("aux", "auxpass") for child in verb.children)
    shares_voice = True
    current = verb
    for _ in range(4):
        # 'COLUMBUS, Ohio Senator Ann Lee said': the parser may make the dateline a subject beside the speaker
        for child in sorted(current.children, key=lambda c: c.i < MAX_DATELINE_WORDS and _in_dateline(c)):
            if child.dep_ in ("nsubj", "csubj"):
                return child, passive or (bare_participle and not shares_voice)
            if child.dep_ == "nsubjpass":
                return child, passive or shares_voice or bare_participle
        if current.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "prep", "pobj") and current.head != current:
            if current.dep_ == "acl" and current.head.pos_ in ("NOUN", "PROPN"):
                return current.head, current.tag_ == "VBN"
            controller = _object_controller(current)
            if controller is not None:
                return controller, passive
            shares_voice = shares_voice and current.dep_ in ("conj", "prep", "pobj")
            current = current.head
            passive = passive or (shares_voice and any(child.dep_ == "auxpass" for child in current.children))
            continue
        break
    return None, False


def _object_controller(clause: Token) -> Token | None:
    """The object of the verb above a gerund in a phrase of `CONTROLLED_PREPOSITIONS` ('accused him of firing')."""
    preposition = clause.head
    if clause.dep_ != "pcomp" or preposition.lower_ not in CONTROLLED_PREPOSITIONS or preposition.head == preposition:
        return None
    return next((child for child in preposition.head.children if child.dep_ == "dobj"), None)


def agent_of(verb: Token) -> Token | None:
    """The 'by' agent of a passive verb, also where two participles share it ('was shot and wounded by police')."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    if verb.tag_ == "VBN":
        for conjunct in (c for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBN"):
            if any(c.dep_ in ("aux", "auxpass") for c in conjunct.children):
                continue  # 'was shot and was then taken to hospital by ambulance': a clause of its own
            shared = agent_of(conjunct)
            if shared is not None:
                return shared
    return None


def objects_of(trigger: Token) -> list[Token]:
    found = []
    for child in trigger.children:
        if child.dep_ in ("dobj", "dative", "attr", "oprd"):
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("for", "on", "of", "to", "with", "against", "into"):
            found.extend(grandchild for grandchild in child.children if grandchild.dep_ == "pobj")
    return found


def parties_within(token: Token) -> list[Party]:
    """Every person, country or organization named inside a phrase ('between President Trump and ... Kim Jong-un')."""
    inside = [s for s in token.doc.spans[SPAN_KEY] if token.left_edge.i <= s.start and s.end - 1 <= token.right_edge.i]
    has_person = any(span.label_ == "PERSON" for span in inside)
    found = [
        Party(span._.canonical, span._.country_code, span.label_)
        for span in inside
        if span.label_ in ("PERSON", "COUNTRY", "ORG")
        # 'North Korean' in 'North Korean leader Kim Jong-un' describes the person
        and not (has_person and span.label_ != "PERSON" and span.root.dep_ in ("amod", "compound", "poss", "nmod"))
    ]
    return unique(found) or party_of(token)


def prepositional(trigger: Token, prepositions: set[str]) -> list[Token]:
    found = []
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in prepositions:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    found.append(grandchild)
                    found.extend(grandchild.conjuncts)
    return found


def free_relative_objects(trigger: Token) -> list[Token]:
    """What a clause that stands as the trigger's object names ('fired what seemed to be a missile', 'launched what
    it called a rocket', 'fired what looked like a missile', 'launched what it described as a rocket'): the parser
    hangs such a clause, opened by 'what', as a complement; the thing is the attribute inside it, or what it is
    likened to."""
    return [token for clause in trigger.children if clause.dep_ == "ccomp" and clause.left_edge.lower_ == "what"
            for token in clause.subtree
            if token.dep_ in ("attr", "oprd") or (token.dep_ == "pobj" and token.head.lower_ in ("like", "as"))]


def argument_tokens(trigger: Token) -> list[Token]:
    """Tokens of the trigger's own arguments (objects, modifiers, 'of'/'with' phrases, what a free relative clause
    as its object names), not of nested clauses."""
    tokens: list[Token] = []
    stack = [child for child in trigger.children if child.dep_ in ARGUMENT_DEPS or child.dep_ == "prep"]
    stack += free_relative_objects(trigger)
    if trigger.dep_ == "acl":
        stack.append(trigger.head)
    seen = {trigger.i}
    while stack:
        token = stack.pop()
        if token.i in seen or (token.dep_ == "prep" and token.lower_ not in ("of", "with", "at", "into", "on", "against")):
            continue
        seen.add(token.i)
        tokens.append(token)
        stack.extend(child for child in token.children if child.dep_ not in CLAUSE_DEPS and child.dep_ != "prep" or child.lower_ in ("of",))
    return tokens


def attached_weapons(trigger: Token) -> list[Span]:
    doc = trigger.doc
    found: list[Span] = []
    for token in argument_tokens(trigger):
        span = weapon_at(doc, token)
        if span is not None and span not in found:
            found.append(span)
    return found


def quantity_of(token: Token) -> int | None:
    for child in token.children:
        if child.dep_ == "nummod":
            text = child.lower_.replace(",", "")
            if text.isdigit():
                return int(text)
            if text in NUMBER_WORDS:
                return NUMBER_WORDS[text]
    if token.tag_ in ("NN", "NNP") and any(child.lower_ in ("a", "an", "one", "its") for child in token.children if child.dep_ in ("det", "poss", "nummod")):
        return 1
    return None


def location_of(trigger: Token) -> str | None:
    doc = trigger.doc
    for child in trigger.children:
        if child.dep_ != "prep" or child.lower_ not in PLACE_PREPOSITIONS:
            continue
        for place in child.children:
            if place.dep_ != "pobj":
                continue
            mention = mention_at(doc, place)
            if mention is not None and mention.label_ in ("LOCATION", "COUNTRY") or place.lemma_.lower() in PLACE_NOUNS:
                if mention is not None and mention.label_ == "LOCATION" and mention._.canonical != mention.text:
                    name = mention._.canonical  # a gazetteer place: 'DMZ' -> 'Demilitarized Zone'
                else:
                    name = doc[place.left_edge.i:_place_phrase_end(place) + 1].text
                    name = name[4:] if name.startswith("the ") and mention is not None else name
                return f"{child.text} {name}" if child.lower_ in KEEP_PREPOSITION else name
    return None


def tells_a_time(child: Token) -> bool:
    """A prepositional phrase of time ('on Monday', 'at dawn'): its preposition says when, not at or on whom."""
    objects = [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
    return child.dep_ == "prep" and bool(objects) and all(obj.ent_type_ in ("DATE", "TIME") for obj in objects)


def _place_phrase_end(place: Token) -> int:
    """Where the words that name a place end: with the phrases that narrow it ('the town of Tarsk in northern Ohio') and
    a place set off by a comma ('Dayton, Ohio'), not a clause, a time or a remark about it ('in the port, which the
    navy guards', 'in the port on Sunday', 'Dunmore, some 40 miles north of the capital')."""
    end = place.i
    for child in place.rights:
        # 'the city of X' narrows a common noun; 'Paris of the 1920s' no name
        of_a_name = place.pos_ == "PROPN" and child.lower_ == "of"
        if child.dep_ == "prep" and child.lower_ in NARROWING_PREPOSITIONS and not of_a_name:
            inner = [c for c in child.children if c.dep_ == "pobj"]
            if not inner or tells_a_time(child):
                break
            end = _place_phrase_end(inner[0])
        elif child.dep_ in ("appos", "conj"):
            named = mention_at(place.doc, child)
            if named is None or named.label_ not in ("LOCATION", "COUNTRY"):
                break
            end = _place_phrase_end(child)
        elif child.dep_ == "cc" or (child.dep_ == "punct" and child.text == ","):
            continue
        elif child.dep_ not in ("compound", "amod", "nmod", "nummod"):
            break
    return end


def attribution_of(trigger: Token, sentence: Span, speech_verbs: frozenset[str]) -> tuple[str | None, Token | None]:
    """Who the sentence credits: 'according to X', 'per X', or the speaker of a verb of saying above or beside the event."""
    source = _credited_source(trigger, sentence)
    if source is None:
        source = _speaker_above(trigger, speech_verbs)
    if source is None:
        source = _trailing_speaker(trigger, sentence, speech_verbs)
    return (_source_name(source), source) if source is not None else (None, None)


def _credited_source(trigger: Token, sentence: Span) -> Token | None:
    """'according to X', 'per X': X is credited with the sentence (the parse often hangs a closing 'per the BBC' on
    the nearest verb), not with what the phrase itself says of X ('according to figures released by NPD': the
    release is no claim of the figures)."""
    for token in sentence:
        if token.lower_ == "according":
            phrase, sources = token, [p for c in token.children if c.lower_ == "to" for p in c.children if p.dep_ == "pobj"]
        elif token.lower_ == "per" and token.dep_ == "prep":
            # 'per the BBC', 'per Reuters'; not the rate in '$50 per barrel'
            phrase, sources = token, [p for p in token.children if p.dep_ == "pobj" and (
                p.ent_type_ or any(c.dep_ in ("det", "poss") for c in p.children))]
        else:
            continue
        if sources and not _within(trigger, phrase):
            return sources[0]
    return None


def _within(token: Token, ancestor: Token) -> bool:
    return token == ancestor or ancestor.is_ancestor(token)


def _speaker_above(trigger: Token, speech_verbs: frozenset[str]) -> Token | None:
    """The speaker of a verb of saying whose complement states the event. A noun that only names something inside a
    phrase of the claim ('the cause of the delay'), a relative clause ('an agreement, which barred ...'), a
    participle that describes a noun ('growing fears') and a subordinate clause ('before the talks began',
    'although the agency corrected it') are the writer's own account of what the claim is about or of its
    circumstances (presupposed, not claimed): not credited."""
    if trigger.pos_ in ("NOUN", "PROPN") and governing_verb(trigger) == trigger:
        return None
    current = trigger
    while current.head != current:
        parent = current.head
        if current.dep_ in ("relcl", "acl", "amod") or _subordinate(current):
            return None
        if parent.lemma_.lower() in speech_verbs and current.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "conj", "dobj"):
            speaker = speaker_of(parent)
            if speaker is not None:
                return speaker
        current = parent
    return None


def _trailing_speaker(trigger: Token, sentence: Span, speech_verbs: frozenset[str]) -> Token | None:
    """'..., officials said': a verb of saying after the event that hangs on the root. A participle ('..., claiming
    the evaluation was skewed') is an act of the root's subject beside its main act, and credits only its complement."""
    for child in sentence.root.children:
        if child.dep_ in ("parataxis", "ccomp", "advcl") and child.lemma_.lower() in speech_verbs and child.i > trigger.i:
            if child.dep_ == "advcl" and (child.tag_ == "VBG" or _subordinate(child)):
                continue  # '..., although experts say ...': a concession, not the source of the main clause
            speaker = speaker_of(child)
            if speaker is not None:
                return speaker
    return None


def speaker_of(verb: Token) -> Token | None:
    """Who says what a verb of saying says: its subject, or in the passive its agent ('it was reported by Yonhap');
    a passive without one ('the rebels are said to want') credits its subject, so that the event still reads as
    another's claim."""
    subject, passive = subject_of(verb)
    return (agent_of(verb) or subject) if passive else subject


def _subordinate(clause: Token) -> bool:
    """An adverbial clause opened by a subordinator ('before', 'because', 'although'; 'when', which the parse
    makes an adverb)."""
    return clause.dep_ == "advcl" and any(
        child.dep_ == "mark" or (child.dep_ == "advmod" and child.tag_ == "WRB") for child in clause.children)


def _source_name(token: Token) -> str:
    parties = party_of(token, allow_pronoun=False)
    if parties:
        return "; ".join(party.name for party in parties)
    phrase = token.doc[token.left_edge.i:token.right_edge.i + 1].text
    return phrase if len(phrase) <= 80 else token.text


def in_present_perfect(verb: Token) -> bool:
    """'has called', 'have struck': the verb has 'has' or 'have' as its auxiliary."""
    return any(child.dep_ == "aux" and child.lower_ in ("has", "have") for child in verb.children)


def tense_of(verb: Token) -> str | None:
    """'past', 'future' or None (present or unknown), from the verb's tag and auxiliaries."""
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    if any(aux.lower_ in FUTURE_AUXILIARIES for aux in auxiliaries):
        return "future"
    if any(aux.lower_ == "to" for aux in auxiliaries) and verb.head.lemma_ in ("be", "plan", "schedule", "set", "expect", "due"):
        return "future"
    if verb.tag_ == "VBD" or any(aux.tag_ == "VBD" for aux in auxiliaries):
        return "past"
    if verb.tag_ == "VBN" and any(aux.lemma_ == "have" for aux in auxiliaries):
        return "past"
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.lower_ in ("since", "after"):
        return "past"
    if verb.tag_ in ("VBZ", "VBP") and not auxiliaries and _names_its_schedule(verb):
        return "future"
    if verb.tag_ == "VBG" and [aux.tag_ for aux in auxiliaries] in (["VBZ"], ["VBP"]) and _names_its_schedule(verb):
        return "future"  # the present progressive of an arrangement: 'is travelling to Tarsk on Monday'
    return None


def simple_present(verb: Token) -> bool:
    """The simple present, active ('when he arrives') or passive ('after he is freed')."""
    if verb.tag_ in ("VBZ", "VBP", "VB"):
        return True
    return verb.tag_ == "VBN" and any(child.dep_ == "auxpass" and child.tag_ in ("VBZ", "VBP") for child in verb.children)


def _names_its_schedule(verb: Token) -> bool:
    """Whether a verb in the simple present names a day of its own ('meets on June 9', 'visits Riyadh next week',
    'starts a tour on Friday'): news writes what is planned for a coming day so; a day behind the story or the
    story's own day is no schedule (`dates.names_a_scheduled_time`)."""
    times = [child for child in verb.children if child.dep_ in ("npadvmod", "advmod")]
    times += [pobj for child in verb.children if child.dep_ == "prep" and child.lower_ in ("on", "in", "at")
              for pobj in child.children if pobj.dep_ == "pobj"]
    times = [token for token in times if token.ent_type_ in ("DATE", "TIME")]  # the doc's entities read only for these
    return any(names_a_scheduled_time(ent.text) for token in times for ent in verb.doc.ents if ent.start <= token.i < ent.end)


# --- the component -----------------------------------------------------------------------------


@Language.factory("news_arguments", default_config={"resources": None, "spans_key": CANDIDATES_KEY})
def make_argument_reader(nlp: Language, name: str, resources: str | None, spans_key: str) -> "ArgumentReader":
    """`resources`: the folder with the event types, word lists and gazetteers (default: the shipped `models/`);
    `spans_key`: the span group whose spans get `span._.arguments`."""
    return ArgumentReader(name, Path(resources) if resources else MODELS_DIR, spans_key)


class ArgumentReader(DataComponent):
    """The `news_arguments` component."""

    resource_files = ARGUMENT_RESOURCES

    def __init__(self, name: str, resources: Path = MODELS_DIR, spans_key: str = CANDIDATES_KEY):
        self.spans_key = spans_key
        super().__init__(name, resources)

    def load(self, resources: Path) -> None:
        self.types = load_event_types(resources / "event_types.json")
        lexicon = load_events(resources / "events.json")
        self.speech_verbs, self.words = lexicon.speech_verbs, lexicon.words
        self.gazetteer: Gazetteer = load_gazetteer(resources)

    def __call__(self, doc: Doc) -> Doc:
        found = sentences(doc)
        for span in doc.spans.get(self.spans_key, []):
            span._.arguments = self.read(span, found.of(span.start), span.label_)
        doc._.claimed_by = self.claimant(doc)
        return doc

    def claimant(self, doc: Doc) -> tuple[str, str | None] | None:
        """Who claimed responsibility in the story ('the group claimed responsibility for the bombing', 'responsibility
        was claimed by the group'), named as the actor of a state act is; None where no one did, or several."""
        claimants: list[Party] = []
        nouns, verbs = self.words["responsibility_nouns"], self.words["claiming_verbs"]
        for token in doc:
            verb = token.head
            if token.lower_ not in nouns or verb.lemma_.lower() not in verbs:
                continue
            subject, passive = subject_of(verb)
            if token.dep_ == "nsubjpass":
                who = agent_of(verb)
            else:
                who = subject if token.dep_ == "dobj" and not passive else None
            claimants.extend(party_of(who) if who is not None else [])
        parties = unique(claimants)
        return (self._acting_name(parties[0], state_act=True), parties[0].country) if len(parties) == 1 else None

    def read(self, span: Span, sentence: Span, event_type: str) -> Arguments:
        """The arguments of the mention `span` (its last token is the trigger) read as an event of `event_type`."""
        token = span[-1]
        kind = self.types.get(event_type, PLAIN_EVENT)
        verb = governing_verb(token)
        actors, targets = parties(token, verb, kind)
        weapons = attached_weapons(token)
        attributed, source = attribution_of(token, sentence, self.speech_verbs)
        crowd = crowd_of(token, verb, kind.unnamed_actor) if kind.crowd_actor and not actors else None
        actor, actor_country, actor_source = self._actor_fields(actors, kind, sentence, self._by_state(token, verb, kind), crowd)
        acting = tuple(p.name for p in actors)
        if (source is not None and source.dep_ == "nsubj" and source == subject_of(verb)[0]
                and verb.lemma_.lower() not in self.speech_verbs):
            acting += (attributed,)  # the speaker tells of their own act: 'the company claims to own the trademark'
        return Arguments(
            actor=actor,
            actor_country=actor_country,
            actor_source=actor_source,
            target="; ".join(p.name for p in targets) or None,
            target_country=targets[0].country if targets else None,
            weapon=weapons[0]._.canonical if weapons else None,
            quantity=_quantity(token, kind, weapons[0] if weapons else None),
            location=location_of(verb) or location_of(token),
            attributed_to=attributed,
            parties=acting,
        )

    def _by_state(self, token: Token, verb: Token, kind: EventType) -> bool:
        """Whether the text tells of an act of a state it does not name: by its forces or offices named by no name
        ('police shot', 'the authorities said'), or a criminal charge ('was charged with murder', 'the charges')."""
        if kind.state_forces_act and state_force(actor_slot(token, verb)):
            return True
        return token.lemma_.lower() in self.words["charging_words"] and token.tag_ in ("VBN", "NN", "NNS")

    def _actor_fields(self, actors: list[Party], kind: EventType, sentence: Span, by_state: bool,
                      crowd: str | None) -> tuple[str | None, str | None, str | None]:
        """The actor, its country and where it was read (`Event.actor_source`: 'sentence', or 'story' for an act of
        a state the text does not name, which is the state the story is set in). `crowd`: who an unnamed crowd is."""
        if not actors:
            setting = sentence.doc._.setting_country
            if by_state and setting is not None:
                return setting[0], setting[1], "story"
            if crowd is not None:
                return crowd, None, "sentence"
            if kind.unnamed_actor:
                return kind.unnamed_actor, None, "sentence"
            if kind.quantity == "people":
                place = self._country_in(sentence)  # 'was arrested in North Korea': the state that holds him
                if place is not None:
                    return place.name, place.code, "sentence"
            return None, None, None
        setting = sentence.doc._.setting_country
        states = [self._acting_state(party, kind.state_act, setting[1] if setting else None) for party in actors]
        names = [state.name if state else party.name for party, state in zip(actors, states)]
        country = actors[0].country or (states[0].code if states[0] else None)
        return "; ".join(dict.fromkeys(names)), country, "sentence"

    def _acting_name(self, party: Party, state_act: bool) -> str:
        state = self._acting_state(party, state_act, None)
        return state.name if state else party.name

    def _acting_state(self, party: Party, state_act: bool, setting: str | None) -> Country | None:
        """The state a party acts for, if any. A state act's actor is the state, not its unit or official (the
        conventions); a body of the state ('Japan's Foreign Ministry', the Pentagon, 'the Justice Department') acts for
        it in every act, as unnamed officials do: where its name names no state, for the state the story is set in
        (`setting`)."""
        state_body = party.label == "ORG" and (party.kind in STATE_BODY_KINDS or is_state_body(party.name))
        code = party.country or (setting if state_body else None)
        if code and (state_body or state_act and party.label in ("ORG", "PERSON")):
            return self.gazetteer.by_code.get(code)
        return None

    def _country_in(self, sentence: Span):
        for token in sentence:
            if token.dep_ == "pobj" and token.head.lower_ in ("in", "inside") and (mention := mention_at(sentence.doc, token)) is not None:
                if mention.label_ == "COUNTRY" or (mention.label_ == "LOCATION" and mention._.country_code):
                    return self.gazetteer.by_code.get(mention._.country_code)
        return None

    def score(self, examples, **kwargs) -> dict:
        """How often the actor read matches the reference's (`span._.arguments` on the same spans)."""
        pairs = [(p, r) for p, r in annotation_pairs(examples, self.spans_key, "arguments") if r is not None]
        return {"arguments_actor_acc": sum(p is not None and p.actor == r.actor for p, r in pairs) / len(pairs) if pairs else None}


def annotation_pairs(examples, spans_key: str, extension: str) -> list[tuple[object, object]]:
    """(predicted, reference) values of a span extension over the spans of one group, paired in order: what the
    scorers of the event components compare."""
    return [(p._.get(extension), r._.get(extension)) for example in examples
            for p, r in zip(example.predicted.spans.get(spans_key, []), example.reference.spans.get(spans_key, []))]


def parties(token: Token, verb: Token, kind: EventType) -> tuple[list[Party], list[Party]]:
    """The actors and the targets of the event at `token`."""
    actors, targets = (_noun_parties if token.pos_ in ("NOUN", "PROPN") else _verb_parties)(token, verb, kind)
    if kind.symmetric and token.lemma_.lower() not in ("visit", "host"):
        actors, targets = unique(actors + targets), []
    return unique(actors), [t for t in unique(targets) if t.name not in {a.name for a in actors}]


def _noun_parties(token: Token, verb: Token, kind: EventType) -> tuple[list[Party], list[Party]]:
    """'Iran's attack on the tanker', 'stern warnings from Moscow', 'talks between Seoul and Tokyo'."""
    actors: list[Party] = []
    for child in token.children:
        if child.dep_ in ("poss", "compound") and child.ent_type_ not in ("DATE", "TIME") and not _names_a_place(child):
            actors.extend(party_of(child))  # not 'the Tarsk bombing', which tells where
        elif child.dep_ == "amod" and (mention := mention_at(token.doc, child)) is not None and mention.label_ == "COUNTRY":
            actors.append(Party(mention._.canonical, mention._.country_code, "COUNTRY"))  # 'Friday's Iranian attack'
    for pobj in prepositional(token, {"by", "from"} if kind.saying else {"by"}):
        actors.extend(party_of(pobj))
    actors.extend(_credited(token))
    if not actors and kind.claimed_actor:
        actors.extend(_held_to_account(token))
    if not actors and kind.family == "diplomacy":
        actors.extend(_there_for(token))
    if not actors and kind.symmetric:  # 'a meeting of EU ministers': its members meet
        actors.extend(party for member in prepositional(token, {"of"}) for party in party_of(member))
    if kind.symmetric:
        for preposition in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("with", "between")):
            actors.extend(parties_within(preposition))
    targets = [party for pobj in prepositional(token, {"against", "on", "at"}) for party in party_of(pobj)]
    if (not actors or kind.symmetric) and verb != token:
        subject, passive = subject_of(verb)
        if subject is not None and not passive and subject != token:
            actors[:0] = party_of(subject)  # 'Annan wrapped up a meeting with Saddam Hussein': Annan first
    return actors, targets


def _there_for(token: Token) -> list[Party]:
    """Who is somewhere for the occasion: 'flew to Dunmore for a visit', 'a minister who is on a state
    visit', 'was in the capital for meetings with officials'."""
    verb = token.head.head
    if token.dep_ != "pobj" or token.head.lower_ not in OCCASION_PURPOSE_PREPOSITIONS or verb.pos_ not in ("VERB", "AUX"):
        return []
    subject = active_subject(verb)
    return party_of(subject) if subject is not None else []


def _credited(token: Token) -> list[Party]:
    """Who a clause on the event noun says did it: 'an attack claimed by Islamic State', 'an attack the government
    blamed on the rebels' (`crediting_verbs`), 'strikes carried out by Russian jets', 'raids believed to have been
    conducted by the army' (a light verb's agent)."""
    found: list[Party] = []
    for clause in (c for c in token.children if c.dep_ in ("acl", "relcl")):
        clauses = [clause, *(c for c in clause.children if c.dep_ == "xcomp")]
        for verb in clauses:
            preposition = "by" if verb.lemma_.lower() in LIGHT_VERBS else CREDITING_VERBS.get(verb.lemma_.lower())
            if preposition is None:
                continue
            named = [agent_of(verb)] if preposition == "by" else prepositional(verb, {preposition})
            found.extend(party for word in named if word is not None for party in party_of(word))
    return found


def _held_to_account(token: Token) -> list[Party]:
    """Who the text holds to account for the deed a phrase on a word of `CULPABILITY_WORDS` names ('charged with
    murder in the shooting', 'jailed an officer for the killing', 'blamed the rebels for the attack', 'detained a
    guard on suspicion of stabbing an inmate'): the word's object, else its subject (of the verb an adjective completes:
    'is responsible for'); a person or a group only."""
    holder = token
    for _ in range(5):
        if holder.dep_ not in ("pobj", "pcomp", "prep", "conj") or holder.head == holder:
            return []
        holder = holder.head
        if holder.pos_ in ("VERB", "AUX", "ADJ"):
            break
    if holder.pos_ not in ("VERB", "AUX", "ADJ") or holder.lemma_.lower() not in CULPABILITY_WORDS:
        return []  # 'the suspect in the shooting' names no one
    verb = holder.head if holder.pos_ == "ADJ" and holder.dep_ in ("acomp", "oprd") else holder
    doer = next((child for child in verb.children if child.dep_ == "dobj"), None)
    if doer is None:
        doer, _ = subject_of(verb)
    if doer is None:
        return []
    return [party for party in party_of(antecedent_of_relative(doer, verb)) if party.label in CULPABLE_LABELS]


def actor_slot(token: Token, verb: Token) -> Token | None:
    """The word where who acts stands, named or not: a noun event's compound or possessor ('a police raid') or its
    'by' phrase, else its verb's; a verb's agent in the passive ('was shot by police'), else its subject."""
    if token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:
            if child.dep_ in ("poss", "compound"):
                return child
        by = prepositional(token, {"by"})
        if token.lemma_.lower() in MUTUAL_FIGHT_NOUNS:
            by += prepositional(token, {"with", "between"})  # 'a shootout with police': one side is the state's
        if by:
            return by[0]
        if verb == token:
            return None
        token = verb
    subject, agent, passive = voice(token)
    if passive:
        return agent
    return antecedent_of_relative(subject, token) if subject is not None else None  # 'a police officer who shot'


def voice(verb: Token) -> tuple[Token | None, Token | None, bool]:
    """The verb's subject, its 'by' agent, and whether it is passive: with a passive auxiliary, or with an agent
    whatever tag the tagger gave the participle ('a watchman shot by police', 'two tankers hit by gunboats')."""
    subject, passive = subject_of(verb)
    agent = agent_of(verb)
    return subject, agent, passive or agent is not None


def active_subject(verb: Token) -> Token | None:
    """Who or what does what an active verb says, a relative pronoun read as the noun it stands for ('a storm that
    killed'); None in the passive."""
    subject, passive = subject_of(verb)
    return antecedent_of_relative(subject, verb) if subject is not None and not passive else None


def antecedent_of_relative(word: Token, verb: Token) -> Token:
    """The noun a relative pronoun stands for in the relative clause of `verb` ('a storm that killed', 'the town,
    which the militants seized'); any other word as it is."""
    return verb.head if word.tag_ in RELATIVE_PRONOUN_TAGS and verb.dep_ == "relcl" else word


def state_force(token: Token | None) -> bool:
    """'police', 'the authorities', 'security forces', 'troops', 'Denver police officers': the state's own
    forces or offices, by no name but perhaps their place's; not 'rebel forces', 'its troops' or a 'chief executive
    officer'."""
    if token is None or token.pos_ != "NOUN" or token.lemma_.lower() not in STATE_FORCE_NOUNS:
        return False
    return all(child.dep_ not in ("amod", "compound", "poss") or child.lower_ in STATE_FORCE_MODIFIERS
               or _names_a_place(child) for child in token.children)


def crowd_of(token: Token, verb: Token, crowd_noun: str) -> str | None:
    """Who an unnamed crowd is, as the text calls them: the plural noun that does the deed ('bus drivers
    demonstrated', 'teachers held rallies', 'a march by students', 'hundreds of nurses protested'), with the words
    before it ('climate change activists'); else the `crowd_noun` of the cause the event noun names ('anti-government
    protests': 'anti-government protesters'). None where the text says no more than that people gathered."""
    if token.pos_ == "NOUN":
        by = prepositional(token, {"by"})
        light_verb = verb != token and verb.lemma_ in LIGHT_VERBS  # 'teachers held rallies', 'nurses staged a sit-in'
        doer = by[0] if by else active_subject(verb) if light_verb else None
    else:
        doer = actor_slot(token, verb)
    while doer is not None and doer.lower_ in CROWD_COUNT_NOUNS:  # 'hundreds of nurses', 'a group of teachers'
        doer = next(iter(prepositional(doer, {"of"})), None)
    if (doer is not None and doer.tag_ == "NNS" and not state_force(doer)
            and not any(child.dep_ == "conj" for child in doer.children)):  # not 'students and teachers marched'
        modifiers = [c.left_edge.i for c in doer.children
                     if c.dep_ in ("amod", "compound") and c.i < doer.i and not c.is_upper]  # not a dateline's city
        named = doer.doc[min(modifiers, default=doer.i):doer.i + 1]
        return named.text if named[0].pos_ == "PROPN" or named[0].ent_type_ else named.text[:1].lower() + named.text[1:]
    if token.pos_ != "NOUN":
        return None
    cause = next((c.left_edge for c in token.children if c.dep_ in ("amod", "compound") and c.i < token.i
                  and c.left_edge.lower_ in CAUSE_PREFIXES and c.left_edge.nbor().text == "-"), None)
    if cause is None:
        return None
    end = cause.i
    while not token.doc[end].whitespace_ and end + 1 < token.i:  # the whole hyphenated word: 'anti-war', 'pro-Kremlin'
        end += 1
    cause_text = token.doc[cause.i:end + 1].text
    return f"{cause_text[:1].lower()}{cause_text[1:]} {crowd_noun}"  # 'Anti-war' opening a sentence


def _names_a_place(token: Token) -> bool:
    mention = mention_at(token.doc, token)
    return mention is not None and mention.label_ == "LOCATION"


def _verb_parties(token: Token, verb: Token, kind: EventType) -> tuple[list[Party], list[Party]]:
    """'North Korea fired ...', 'was detained by police' (the agent acts, the subject is the target)."""
    actors: list[Party] = []
    targets: list[Party] = []
    subject, agent, passive = voice(token)
    if passive:
        actors.extend(party_of(agent) if agent is not None else _in_named_deed(token, kind))
        if subject is not None and kind.passive_subject_is_target:
            targets.extend(party_of(subject))
    elif subject is not None:
        if subject.pos_ == "PRON" and token.dep_ == "relcl" and token.head.pos_ == "NOUN":
            for preposition in (c for c in token.head.children if c.dep_ == "prep" and c.lower_ in ("with", "between")):
                actors.extend(parties_within(preposition))
        if not actors:
            actors.extend(party_of(subject))
    elif kind.claimed_actor:
        actors.extend(_held_to_account(token))  # 'detained him on suspicion of stabbing an inmate'
    for obj in objects_of(token):
        if obj.dep_ == "pobj" and obj.head.lower_ == "with" and kind.symmetric:
            actors.extend(party_of(obj))
        elif kind.symmetric and mention_at(token.doc, obj) is None:
            continue  # 'discussed the Iraq crisis with Blair': the crisis is no party to the meeting
        elif obj.dep_ in ("dobj", "dative") or obj.head.lower_ in ("against", "on", "to", "at", "with", "into"):
            found = party_of(obj)
            targets.extend(p for p in found if kind.target_labels is None or p.label in kind.target_labels)
    return actors, targets


def _in_named_deed(token: Token, kind: EventType) -> list[Party]:
    """Who did the deed a passive verb's 'in' or 'during' phrase names as an event of its own type: 'were killed in an
    Islamic State attack', 'died in a Russian air strike' (the noun's own actors)."""
    deeds = {span[-1].i for span in token.doc.spans.get(CANDIDATES_KEY, []) if span.label_ == kind.name}
    return [party for setting in prepositional(token, {"in", "during"}) if setting.i in deeds
            for party in _noun_parties(setting, setting, kind)[0]]


def _quantity(token: Token, kind: EventType, weapon: Span | None) -> int | None:
    if kind.quantity == "weapons" and weapon is not None:
        # '2 more tests of an advanced missile' counts on the noun of the test, '2 missiles' on the weapon
        counted_tests = quantity_of(token) if token.pos_ == "NOUN" and token.tag_ == "NNS" else None
        return counted_tests or quantity_of(weapon.root)
    if kind.quantity == "people":
        for obj in objects_of(token) + [t for t in token.children if t.dep_ == "nsubjpass"]:
            quantity = quantity_of(obj) if obj.pos_ != "PROPN" else None
            if quantity:
                return quantity
    return None
