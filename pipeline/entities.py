"""Stage 2: entities, as a spaCy component ("news_entities").

Reads the statistical NER and the weapon patterns, and writes normalized
mentions to `doc.spans["news_entities"]`: each span's label is PERSON,
COUNTRY, ORG, WEAPON or LOCATION, with `span._.canonical` (one name per
entity in the story) and `span._.country_code` (ISO 3166 alpha-3); and
`doc._.setting_country`, the (name, code) of the country the story is set in:
the one its countries and places name most, the first named on a tie.

Before the statistical NER, "news_dateline" marks the dateline a wire story
runs into its first sentence ('SEATTLE Jeff Bezos said', 'BEIJING China
said') as a place, so that the NER reads the name after it on its own rather
than as one entity with it ('SEATTLE Jeff Bezos', 'BEIJING China').

    nlp.add_pipe("news_dateline", before="ner")
    nlp.add_pipe("news_entities", after="ner")
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy
from spacy.attrs import ENT_TYPE, IS_TITLE
from spacy.language import Language
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, Span, Token

from .records import text_of  # the module registers doc._.published, which dates capitals
from .resources import (DATELINE_CITIES, MODELS_DIR, Gazetteer, WeaponLexicon, DataComponent, dateline_key,
                        english_words, load_dateline_cities, load_gazetteer, load_weapons, load_word_lists, name_key)

SPAN_KEY = "news_entities"
LEADER_MARKS = set(english_words()["leader_marks"])  # 'U.S.-led': the party before the hyphen leads
# A Reuters instrument code, in brackets after a company's name: 'AAPL.O', 'UBER.UL', '005930.KS'.
TICKER = re.compile(r"[A-Z0-9]{1,8}\.[A-Z]{1,2}")
# A credit line's names end where it says where its journalist filed from ('Curtis Skinner in San Francisco').
CREDIT_PLACE = re.compile(r"\s+(?:in|at|from|for)\s+")
# What separates the names of a credit line: 'Curtis Skinner in San Francisco and Ayla Jean Yackley, Foo Yun Chee'.
CREDIT_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b)\s*")
# A journalist's name: two to four capitalized words, a particle between them ('Ayla Jean Yackley', 'Foo Yun Chee').
CREDITED_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|van|von|der|al|bin|da|dos|la|le)\s+)?[A-Z][\w'’.-]*){1,3}")
# An acronym as news writes one: 'SDF', 'GATT', 'U.N.'.
ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")
# The fewest letters of a dateline: shorter capitals are as often an acronym ('UN').
MIN_DATELINE_LETTERS = 4
# The most words a dateline runs to ('RIO DE JANEIRO', 'NEW YORK / DHAKA'); a story all in capitals is read no further.
MAX_DATELINE_WORDS = 8
# The head words of a body of a state (`state_body_nouns` in `models/words.json`; `is_state_body`).
STATE_BODY_NOUNS = english_words()["state_body_nouns"]
# The model's labels that news's way of writing a person can overrule (`reads_as_person`).
RELABELLED_AS_PERSON = ("ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART")
WEAPON_KEY = "news_weapons"  # every weapon mention, also those that only modify a noun ("missile tests")
RESOURCE_FILES = ("countries.tsv", "organizations.tsv", "people.tsv", "locations.tsv", "city_countries.tsv",
                  "weapons.json", "entity_words.json", DATELINE_CITIES)


# canonical: one name per entity in the story; country_code: ISO 3166 alpha-3; kind: an organization's kind from
# the gazetteer (news_agency, ...); weapon_class: a weapon's class (missile, launcher, nuclear, ...).
for name in ("canonical", "country_code", "kind", "weapon_class"):
    if not Span.has_extension(name):
        Span.set_extension(name, default=None)
if not Doc.has_extension("setting_country"):
    Doc.set_extension("setting_country", default=None)


@Language.factory("news_entities", default_config={"resources": None})
def make_entity_normalizer(nlp: Language, name: str, resources: str | None) -> "EntityNormalizer":
    return EntityNormalizer(name, Path(resources) if resources else MODELS_DIR)


class EntityNormalizer(DataComponent):
    """Turns NER spans and weapon patterns into normalized PERSON, COUNTRY, ORG, WEAPON and LOCATION mentions."""

    resource_files = RESOURCE_FILES

    def load(self, resources: Path) -> None:
        self.gazetteer: Gazetteer = load_gazetteer(resources)
        self.weapons: WeaponLexicon = load_weapons(resources / "weapons.json")
        self.words = load_word_lists(resources / "entity_words.json")
        self.cities = load_dateline_cities(resources / DATELINE_CITIES)
        # Names of three letters and more: 'IS' or 'UN' in capitals is as often a word of a headline.
        names = sorted((name for name in self.gazetteer.organization_names if len(name) > 2), key=len, reverse=True)
        self.organization_names = re.compile(r"(?<![\w-])(?:%s)(?![\w-])" % "|".join(map(re.escape, names)))
        credits = "|".join(map(re.escape, sorted(self.words["credit_words"], key=len, reverse=True)))
        # 'Writing and additional reporting by ...'; the names run to the next credit ('Reporting by Kim Palmer,
        # Writing by Ben Klayman').
        credit = rf"\b(?i:{credits})(?: and (?i:{credits}))* by "
        self.credit_lines = re.compile(rf"{credit}(?P<names>(?:(?!{credit})[^;()\n])+)")

    def __call__(self, doc: Doc) -> Doc:
        mentions: list[Span] = []
        weapons = weapon_spans(doc, self.weapons)
        doc.spans[WEAPON_KEY] = weapons
        taken = set()
        weapon_words = {i for span in weapons for i in range(span.start, span.end)}
        for span in weapons:
            if is_weapon_entity(span, self.weapons, weapon_words):
                mentions.append(span)
                taken.update(range(span.start, span.end))
        mentions.extend(self._make(span, "PERSON", span.text, None) for span in credited_people(doc, self.credit_lines, taken))
        ents = tuple(Span(doc, ent.start, ent.end, label="PERSON") if reads_as_person(ent, self.words["person_nouns"])
                     else ent for ent in doc.ents)
        person_words = _person_words(ents)
        for ent in ents:
            span = self._classify(_trim(ent), person_words)
            if span is None or taken.intersection(range(span.start, span.end)):
                continue
            mentions.append(span)
            taken.update(range(span.start, span.end))
        mentions.extend(self._missed_countries(doc, taken))
        mentions.extend(self._missed_organizations(doc, taken))
        mentions.sort(key=lambda s: s.start)
        self._resolve_people(mentions)
        _resolve_organizations(mentions, self.gazetteer, self.words)
        _resolve_weapons(mentions)
        for span in mentions:
            if span.label_ == "ORG" and (organization := self.gazetteer.organization(span._.canonical)) is not None:
                span._.kind = organization[2]
        doc.spans[SPAN_KEY] = mentions
        doc._.setting_country = self._setting_country(mentions)
        return doc

    def _setting_country(self, mentions: list[Span]) -> tuple[str, str] | None:
        codes = Counter(m._.country_code for m in mentions if m.label_ in ("COUNTRY", "LOCATION") and m._.country_code)
        if not codes:
            return None
        code = codes.most_common(1)[0][0]  # most_common keeps the first counted on a tie
        country = self.gazetteer.by_code.get(code)
        return (country.name, code) if country else None

    # --- spans ------------------------------------------------------------------------------

    def _classify(self, span: Span, person_words: dict[str, set[str]]) -> Span | None:
        if span.label_ == "PERSON":
            span = self._untitled(span)
        text = span.text
        if not text or "/" in text or "\n" in text or not any(c.isalpha() for c in text) or text in self.words["time_zones"]:
            return None
        if TICKER.fullmatch(text):
            return None  # 'Apple Inc (AAPL.O)': a wire story's code of a share
        label = span.label_
        gazetteer = self.gazetteer
        person = gazetteer.person(text)
        organization = gazetteer.organization(text)
        location = gazetteer.location(text)
        country = gazetteer.country(text)
        capital = gazetteer.capital(text, span.doc._.published)
        if (label == "PERSON" and span[-1].lower_ in self.words["facility_words"]
                or label == "ORG" and span[-1].lower_ in self.words["place_name_ends"]):
            return self._make(span, "LOCATION", text, None)  # 'Trump Tower'
        if label == "PERSON" and country is None and organization is None:
            if not any(token.is_title or token.is_upper for token in span):
                return None  # 'trumps', 'full': lower-case words are no names
            if len(span) == 1 and not person and (span[0].tag_ == "NNS" or text.lower() in self.words["title_words"]):
                return None  # 'Aides said', 'the Castros', 'Sgt' cut from its name: a plural or a title names no one
            if not person and self._names_a_city(span) and not self._is_known_person(span, person_words):
                return self._make(span, "LOCATION", text, self._city_country(text))
            return self._make(span, "PERSON", person[0] if person else text, person[1] if person else None)
        if location:
            return self._make(span, "LOCATION", location[0], location[1])
        if capital and label in ("GPE", "LOC", "ORG", "PERSON", "NORP"):
            if self._capital_is_government(span):
                return self._make(span, "COUNTRY", capital.name, capital.code)
            return self._make(span, "LOCATION", text, capital.code)
        if country and label in ("GPE", "NORP", "LOC", "ORG", "PERSON"):
            return self._make(span, "COUNTRY", country.name, country.code)
        if organization is None and label == "ORG":
            # 'Iranian News Agency IRNA', 'KCNA news agency': an acronym the gazetteer knows names the organization
            organization = next((found for token in span if token.is_upper and len(token) > 1 and (found := gazetteer.organization(token.text))), None)
        if organization and label in ("ORG", "PERSON", "GPE", "NORP", "FAC", "WORK_OF_ART", "PRODUCT"):
            canonical, code, _ = organization
            return self._make(span, "ORG", canonical, code or self._modifier_country(span))
        if label == "ORG":
            word = text.lower().replace("’", "'")
            if word in self.words["title_words"] or word in self.words["faiths_and_communities"]:
                return None
            if person or self._is_known_person(span, person_words):
                return self._make(span, "PERSON", person[0] if person else text, person[1] if person else None)
            if self._names_a_city(span):
                return self._make(span, "LOCATION", text, self._city_country(text))
            return self._make(span, "ORG", state_qualified(span, gazetteer), self._modifier_country(span))
        if label in ("GPE", "LOC", "FAC"):
            region = gazetteer.region(text) or gazetteer.city(text)
            if region is None and self._is_known_person(span, person_words):
                return self._make(span, "PERSON", text, None)  # 'Palin' tagged a place, after 'Sarah Palin'
            return self._make(span, "LOCATION", text, region.code if region else None)
        return None

    def _names_a_city(self, span: Span) -> bool:
        """A word the model took for a name that names a city ('in Aleppo', 'Quetta police'), unless it acts or is
        set beside a noun it names: what a city's name does is done by a body or a person that bears it ('Toyota
        said'), and 'his daughter Chelsea' is a person."""
        text = span.text
        return (len(span) == 1 and not text.isupper() and span.root.dep_ not in ("nsubj", "appos")
                and dateline_key(text) in self.cities)

    def _city_country(self, text: str) -> str | None:
        city = self.gazetteer.city(text)
        return city.code if city else None

    def _untitled(self, span: Span) -> Span:
        """A name without the title the model took in with it ('Sergeant Trent Crump', 'Chicago Police
        Superintendent Eddie Johnson'), where two words of it are left; a title a person is known by stays ('King
        Abdullah', `name_titles`)."""
        titles = [token.i for token in span[:-2] if token.lower_.rstrip(".") in self.words["title_words"]]
        if not titles or span[0].lower_ in self.words["name_titles"]:
            return span
        return Span(span.doc, titles[-1] + 1, span.end, label=span.label_)

    @staticmethod
    def _make(span: Span, label: str, canonical: str, country_code: str | None) -> Span:
        made = Span(span.doc, span.start, span.end, label=label)
        made._.canonical = canonical
        made._.country_code = country_code
        return made

    @staticmethod
    def _is_known_person(span: Span, person_words: dict[str, set[str]]) -> bool:
        """'Biegun' tagged ORG, or 'Palin' a place, in a story that names 'Steve Biegun' or 'Sarah Palin' as a
        person; 'Freddie Gray' tagged ORG where the story tags 'Gray' a person."""
        words = name_key(span.text).split()
        if len(words) > 1:
            return words[-1] in person_words
        return bool(person_words.get(" ".join(words), set()) - {span.text})

    def _capital_is_government(self, span: Span) -> bool:
        root = span.root
        if root.dep_ == "compound" and root.head.lemma_.lower() in self.words["place_heads"]:
            return False  # 'Chad's Paris embassy' is the embassy in Paris
        if root.dep_ == "pobj":
            preposition = root.head
            if preposition.lower_ in self.words["locative_prepositions"]:
                return preposition.head.lemma_.lower() in self.words["government_nouns"]
        next_token = span.doc[span.end] if span.end < len(span.doc) else None
        if next_token is not None and next_token.text == ",":
            return False  # "Seoul, South Korea"
        return True

    def _modifier_country(self, span: Span) -> str | None:
        """The country named just before an organization or person: "Iran's Revolutionary Guards"."""
        doc = span.doc
        for token in reversed(doc[max(0, span.start - 6):span.start]):
            if token.lower_ in ("'s", "’s") or token.lower_ in self.words["title_words"]:
                continue
            found = self.gazetteer.country(token.text) or self.gazetteer.country(doc[max(0, token.i - 1):token.i + 1].text)
            if found:
                return found.code
            if not token.is_title or token.is_punct or token.is_sent_start:
                break
        for token in span.root.children:
            if token.dep_ in ("poss", "compound", "amod") and not (span.start <= token.i < span.end):
                found = self.gazetteer.country(doc[token.left_edge.i:token.i + 1].text)
                if found:
                    return found.code
        return leading_state(span, self.gazetteer) if span.label_ == "ORG" else None

    def _missed_countries(self, doc: Doc, taken: set[int]) -> list[Span]:
        """Capitalized country names and capitals the model missed, such as 'anti-Pyongyang', and a country joined to
        a word that makes it the leader ('U.S.-led', one token to the tokenizer)."""
        found = []
        for token in doc:
            country, hyphen, mark = token.text.rpartition("-")
            led = self.gazetteer.country(country) if hyphen and mark.lower() in LEADER_MARKS else None
            if led is not None and token.i not in taken:
                found.append(self._make(doc[token.i:token.i + 1], "COUNTRY", led.name, led.code))
        taken = taken | {span.start for span in found}
        # The capitalized words outside the model's entities, found for the whole document at once.
        values = doc.to_array([IS_TITLE, ENT_TYPE])
        for i in numpy.flatnonzero((values[:, 0] != 0) & (values[:, 1] == 0)).tolist():
            if i in taken:
                continue
            token = doc[i]
            capital = self.gazetteer.capital(token.text, doc._.published)
            country = self.gazetteer.country(token.text) if len(token.text) > 3 else None
            if capital and token.i > 0 and doc[token.i - 1].text == "-":
                found.append(self._make(doc[token.i:token.i + 1], "COUNTRY", capital.name, capital.code))
            elif country:
                found.append(self._make(doc[token.i:token.i + 1], "COUNTRY", country.name, country.code))
        return found

    def _missed_organizations(self, doc: Doc, taken: set[int]) -> list[Span]:
        """Organizations of the gazetteer the model missed or cut ('Islamic' of 'Islamic State' taken for a
        nationality)."""
        found = []
        for match in self.organization_names.finditer(text_of(doc)):
            span = doc.char_span(match.start(), match.end())
            if span is None or taken.intersection(range(span.start, span.end)):
                continue
            canonical, code, _ = self.gazetteer.organization(span.text)
            found.append(self._make(span, "ORG", canonical, code or self._modifier_country(span)))
            taken.update(range(span.start, span.end))
        return found

    # --- one canonical name per entity ------------------------------------------------------

    def _resolve_people(self, mentions: list[Span]) -> None:
        """'Kim Jong-un', 'Kim Jong Un' and 'Kim' in one story are one person, named in the fullest form."""
        people = [span for span in mentions if span.label_ == "PERSON"]
        full_names: dict[str, Span] = {}
        for span in people:
            key = name_key(span._.canonical)
            if len(key.split()) > 1:
                full_names.setdefault(key, span)
        for span in people:
            words = name_key(span._.canonical).split()
            full = next((full for key, full in full_names.items() if _shortens(words, key.split())), None)
            if full is None and len(words) > 1:
                full = full_names[" ".join(words)]
            if full is not None:
                span._.canonical = full._.canonical
                span._.country_code = span._.country_code or full._.country_code
        for span in people:
            if span._.country_code is None:
                span._.country_code = self._modifier_country(span)
        by_name: dict[str, str] = {}
        for span in people:
            if span._.country_code:
                by_name.setdefault(span._.canonical, span._.country_code)
        for span in people:
            span._.country_code = span._.country_code or by_name.get(span._.canonical)


def is_state_body(name: str) -> bool:
    """An organization's name whose head is a body of a state: its last word, or the word before its 'of' ('Foreign
    Ministry', 'Justice Department', 'U.S. Department of Justice'; `state_body_nouns` in `models/words.json`)."""
    head = name_key(name).partition(" of ")[0].rpartition(" ")[2]
    return head in STATE_BODY_NOUNS


def leading_state(span: Span, gazetteer: Gazetteer) -> str | None:
    """The state whose name or region leads the name of a body of a state ('U.S. Embassy', 'Oregon State Police')."""
    if not is_state_body(span.text):
        return None
    for end in (span.start + 2, span.start + 1):
        leading = span.doc[span.start:end].text
        found = (gazetteer.country(leading) or gazetteer.region(leading)) if end < span.end else None
        if found:
            return found.code
    return None


def state_qualified(span: Span, gazetteer: Gazetteer) -> str:
    """A body of a state with the state news names it by, where the model left the state out: 'Chinese Foreign
    Ministry', "China's Foreign Ministry", 'U.S. Navy' (`state_body_nouns` in `models/words.json`)."""
    doc = span.doc
    if not is_state_body(span.text):
        return span.text
    end = span.start - 1 if span.start > 0 and doc[span.start - 1].lower_ in ("'s", "’s") else span.start
    for start in (end - 2, end - 1):
        if start >= 0 and gazetteer.country(doc[start:end].text):
            return doc[start:span.end].text
    return span.text


def credited_people(doc: Doc, credit_lines: re.Pattern, taken: set[int]) -> list[Span]:
    """The journalists a credit line names ('Reporting by Curtis Skinner in San Francisco and Ayla Jean Yackley;
    Editing by Nick Macfie'), which the model, reading no sentence there, takes for organizations, or 'Writing' for
    a name. What it found on their words and on the credit's is left out (`taken`)."""
    found = []
    for line in credit_lines.finditer(text_of(doc)):
        credit = doc.char_span(line.start(), line.start("names"), alignment_mode="expand")
        taken.update(range(credit.start, credit.end) if credit is not None else ())
        names = line.group("names")
        starts = [0, *(separator.end() for separator in CREDIT_SEPARATOR.finditer(names))]
        for start in starts:
            name = CREDITED_NAME.match(names, start)
            after = names[name.end():] if name is not None else ""
            if name is None or after.strip() and not (CREDIT_PLACE.match(after) or CREDIT_SEPARATOR.match(after)):
                continue  # no name, or more than a name and where it was filed from: 'Reuters staff'
            span = doc.char_span(line.start("names") + start, line.start("names") + name.end())
            if span is not None and not taken.intersection(range(span.start, span.end)):
                found.append(span)
                taken.update(range(span.start, span.end))
    return found


def _shortens(words: list[str], full: list[str]) -> bool:
    """A name is a short form of a fuller one: its first or last word ('Kim', 'Clinton'), or the words it ends with
    ('de Mistura' of 'Staffan de Mistura', 'Suu Kyi' of 'Aung San Suu Kyi')."""
    if len(words) >= len(full):
        return False
    return full[-len(words):] == words or len(words) == 1 and words[0] == full[0]


def _trim(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    while end > start and (doc[end - 1].text in ("'s", "’s", "'", "’") or doc[end - 1].is_space or doc[end - 1].is_punct):
        end -= 1
    while start < end and (doc[start].lower_ in ("the", "mr", "mrs", "ms", "dr", "sir", "mr.", "mrs.", "ms.", "dr.") or doc[start].is_punct):
        start += 1  # 'Mrs Clinton' is Clinton
    opened = [token.i for token in doc[start:end] if token.text == "("]
    if opened and not any(token.text == ")" for token in doc[opened[-1]:end]):
        end = opened[-1]  # 'National League for Democracy (NLD': the model ran into the acronym after the name
    # "Moon Jae" + "-in": the model cuts hyphenated given names; 'US-led' is the US, leading something.
    while (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_
           and doc[end + 1].is_lower and len(doc[end + 1]) <= 3 and doc[end + 1].lower_ not in LEADER_MARKS):
        end += 2
    return Span(doc, start, end, label=span.label_) if end > start else span


def is_age(token: Token) -> bool:
    """A number news gives after a person's name as their age ('Madison Carver, 41,')."""
    return token.text.isdigit() and 0 < int(token.text) < 120


def reads_as_person(ent: Span, person_nouns: frozenset[str]) -> bool:
    """A name the model took for an organization or a place that news writes as a person's: with an age after it
    ('Madison Carver, 41,') or before it ('a 29-year-old Denver Hale'), or in apposition to a noun of a person ('her
    husband, Lincoln Fairbanks'; `person_nouns`)."""
    if ent.label_ not in RELABELLED_AS_PERSON:
        return False
    doc = ent.doc
    after = doc[ent.end:ent.end + 3]
    if len(after) == 3 and after[0].text == "," and is_age(after[1]) and after[2].text in (",", ".", ")"):
        return True
    if doc[max(0, ent.start - 5):ent.start].text.replace(" ", "").lower().endswith("year-old"):
        return True
    root = ent.root
    appositions = [root.head] if root.dep_ == "appos" else []
    appositions += [child for child in root.children if child.dep_ == "appos"]
    return any(noun.lemma_.lower() in person_nouns for noun in appositions)


def _person_words(ents: tuple[Span, ...]) -> dict[str, set[str]]:
    """Each word of the story's PERSON names -> the names it is part of ('biegun' -> {'Steve Biegun'})."""
    words: dict[str, set[str]] = {}
    for ent in ents:
        if ent.label_ == "PERSON":
            for word in name_key(ent.text).split():
                words.setdefault(word, set()).add(ent.text)
    return words


def weapon_spans(doc: Doc, weapons: WeaponLexicon) -> list[Span]:
    """Every weapon mention the weapon patterns find, with its canonical name and class."""
    spans = []
    for match in weapons.mentions(text_of(doc)):
        span = doc.char_span(match.start(), match.end(), label="WEAPON", alignment_mode="expand")
        if span is None:
            continue
        canonical = weapon_canonical(span.text, weapons)
        span._.canonical = canonical
        span._.weapon_class = weapons.weapon_class(span.text)
        spans.append(span)
    return spans


def is_weapon_entity(span: Span, weapons: WeaponLexicon, weapon_words: set[int]) -> bool:
    """A weapon mention, unless it names no weapon of its own ('missile tests', 'the ABM treaty', 'nuclear program'),
    no kind of weapon ('weapons') or a person ('a suicide bomber')."""
    words = " ".join(span.text.lower().split())
    if words in weapons.not_kinds or words in weapons.people:
        return False
    root = span.root
    following = span.doc[span.end] if span.end < len(span.doc) else None
    if following is not None and following.lemma_.lower() in weapons.not_weapon_heads:
        return False
    if following is not None and following.is_title and not following.is_sent_start and span[-1].is_title:
        return False  # a name goes on: 'Rodong Sinmun' is a newspaper
    if any(token.ent_type_ in ("ORG", "LAW", "EVENT") for token in span):
        return False
    generic = span.text.lower().rstrip("s") in weapons.generic_heads
    modifier = root.dep_ in ("compound", "amod", "nmod") and root.head.i >= span.end
    return not (generic and modifier and root.head.i not in weapon_words)  # 'tear gas and pepper spray' is two


def weapon_canonical(text: str, weapons: WeaponLexicon) -> str:
    """One name per weapon: a named system as written, any other in lower case and in the singular, without what
    only says how many or where it was made."""
    text = re.sub(r"\s+", " ", text.strip())
    if not any(pattern.search(text) for pattern, _ in weapons.systems):
        text = text.lower()
    words = text.split(" ")
    if len(words) > 2 and words[0].lower() == "multiple" and words[1].lower() not in ("rocket", "launch", "rocket-launcher"):
        words = words[1:]  # 'multiple short-range projectiles' names short-range projectiles
    while len(words) > 1 and words[0].lower().endswith("-made"):
        words = words[1:]  # 'Chinese-made Silkworm missiles': where it was made is no part of its name
    last = words[-1]
    if last.lower() not in ("arms", "explosives", "weapons") and len(last) > 3:
        if last.lower().endswith("ies"):
            last = last[:-3] + "y"
        elif last.lower().endswith("ives"):
            last = last[:-3] + "fe"  # 'knives'
        elif re.search(r"(?:sses|shes|ches|xes)$", last.lower()):
            last = last[:-2]
        elif last.endswith("s") and not last.endswith("ss"):
            last = last[:-1]
    return " ".join(words[:-1] + [last])


def _resolve_organizations(mentions: list[Span], gazetteer: Gazetteer, words: dict) -> None:
    """An organization's acronym or shortened name in a story that names it in full is that organization, named in
    full as people are: 'SDF' after 'Syrian Democratic Forces', 'the Commission' after 'the European Commission',
    'Apple' after 'Apple Inc'. An organization the gazetteer names is left as it is ('Islamic State' is no short
    form of what the model ran into it); so is a mention two of the story's organizations fit ('EC' of the European
    Commission and the European Council)."""
    link_words, designators = set(words["name_link_words"]), set(words["company_designators"])
    organizations = [span for span in mentions if span.label_ == "ORG"]
    full_names = {span._.canonical: span for span in organizations
                  if len(span._.canonical.split()) > 1 and span._.canonical[0].isupper() and "," not in span._.canonical}
    ending_at = {span.end: span for span in organizations}
    definitions: dict[str, str | None] = {}
    for span in organizations:
        name = span._.canonical
        if gazetteer.organization(name) is not None:
            continue
        if ACRONYM.fullmatch(name):
            if name not in definitions:
                definitions[name] = _defined_acronym(span.doc, name, ending_at, link_words)
            defined = definitions[name]
            fits = {defined} if defined else {full for full in full_names if name.replace(".", "") in _initials(full, link_words)}
        else:
            fits = {full for full in full_names
                    if _shortened_organization(name_key(name).split(), name_key(full).split(), link_words, designators)}
        if len(fits) == 1:
            fit = fits.pop()
            full = full_names.get(fit)
            span._.canonical = full._.canonical if full is not None else fit
            span._.country_code = span._.country_code or (full._.country_code if full is not None else None)


def _shortened_organization(words: list[str], full: list[str], link_words: set[str], designators: set[str]) -> bool:
    """The last words of a fuller name ('Post' of 'Washington Post') or of the name's head, before what it is of or
    for ('the Observatory' of the 'Syrian Observatory for Human Rights'), or a company's name without its designator
    ('Apple' of 'Apple Inc')."""
    if len(words) >= len(full):
        return False
    head = full[:next((i for i, word in enumerate(full) if i and word in link_words), len(full))]
    return (full[-len(words):] == words or len(words) < len(head) and head[-len(words):] == words
            or full[:len(words)] == words and set(full[len(words):]) <= designators)


def _defined_acronym(doc: Doc, acronym: str, ending_at: dict[int, Span], link_words: set[str]) -> str | None:
    """The name a story gives an acronym in brackets after: an organization's mention ('Kurdistan Workers Party
    (PKK)'), or the words whose initials it is, whatever the model took them for ('the General Agreement on Tariffs
    and Trade (GATT)')."""
    letters = acronym.replace(".", "")
    for token in doc:
        if token.text != acronym or token.i < 2 or doc[token.i - 1].text != "(":
            continue
        if (named := ending_at.get(token.i - 1)) is not None and named._.canonical != acronym:
            return named._.canonical
        end = token.i - 2 if doc[token.i - 2].lower_ in ("'s", "’s") else token.i - 1
        for start in range(end - 1, max(end - 2 * len(letters) - 2, -1), -1):
            first = doc[start]
            if first.lower_ == "the":
                break
            if first.is_title and letters in _initials(doc[start:end].text, link_words):
                return doc[start:end].text
            if first.is_sent_start:
                break
    return None


def _initials(name: str, link_words: set[str]) -> set[str]:
    """The acronyms a name may have: the first letters of its words, with and without its small words (`link_words`);
    an acronym among them gives all its letters ('U.S. Navy' is USN)."""
    words = [word for word in re.split(r"[\s-]+", name) if word[:1].isalpha()]
    def letters(kept: list[str]) -> str:
        return "".join(word.replace(".", "") if ACRONYM.fullmatch(word) else word[0] for word in kept).upper()
    return {letters(words), letters([word for word in words if word.lower() not in link_words])}


def _resolve_weapons(mentions: list[Span]) -> None:
    """A bare 'the projectiles' after 'short-range projectiles' names the same weapon."""
    weapons = [span for span in mentions if span.label_ == "WEAPON"]
    specific: dict[str, str] = {}
    for span in weapons:
        words = span._.canonical.split()
        if len(words) > 1:
            specific.setdefault(words[-1].lower(), span._.canonical)
    for span in weapons:
        words = span._.canonical.split()
        if len(words) == 1 and words[0].lower() in specific:
            span._.canonical = specific[words[0].lower()]


@Language.factory("news_dateline", default_config={"resources": None, "min_letters": MIN_DATELINE_LETTERS})
def make_dateline_marker(nlp: Language, name: str, resources: str | None, min_letters: int) -> "DatelineMarker":
    """`resources`: the folder with `dateline_cities.txt` (default: the shipped `models/`); `min_letters`: the fewest
    letters of a dateline, as shorter capitals are as often an acronym ('UN')."""
    return DatelineMarker(name, Path(resources) if resources else MODELS_DIR, min_letters)


class DatelineMarker(DataComponent):
    """The `news_dateline` component: a story's opening run of words in capitals that names a city is its dateline,
    set as a GPE entity that the statistical NER then keeps and reads around."""

    resource_files = (DATELINE_CITIES,)

    def __init__(self, name: str, resources: Path = MODELS_DIR, min_letters: int = MIN_DATELINE_LETTERS):
        self.min_letters = min_letters
        super().__init__(name, resources)

    def load(self, resources: Path) -> None:
        self.cities = load_dateline_cities(resources / DATELINE_CITIES)

    def __call__(self, doc: Doc) -> Doc:
        dateline = self.dateline(doc)
        if dateline is not None:
            doc.set_ents([dateline], default="unmodified")
        return doc

    def dateline(self, doc: Doc) -> Span | None:
        """The longest run of capitals opening the story that names a city, or several ('NEW YORK/DHAKA'), with
        words after it."""
        start = next((token.i for token in doc if not token.is_space), len(doc))
        end = start
        while end < min(len(doc), start + MAX_DATELINE_WORDS) and (
                doc[end].text == "/" or doc[end].is_upper and any(c.isalpha() for c in doc[end].text)):
            end += 1
        for last in range(end, start, -1):
            text = doc[start:last].text
            if last < len(doc) and sum(c.isalpha() for c in text) >= self.min_letters and all(
                    dateline_key(part) in self.cities for part in text.split("/")):
                return Span(doc, start, last, label="GPE")
        return None

    def score(self, examples, **kwargs) -> dict:
        """spaCy's entity precision, recall and F1 (`ents_p`, `ents_r`, `ents_f`)."""
        return get_ner_prf(examples)


def is_dateline(span: Span) -> bool:
    """'BAGHDAD A suicide bomber killed': the city a wire story is filed from, run into its first sentence, does
    nothing in it."""
    text = span.text
    return span.start == 0 and span.label_ in ("GPE", "COUNTRY", "LOCATION") and text.isupper() and sum(
        c.isalpha() for c in text) >= MIN_DATELINE_LETTERS
