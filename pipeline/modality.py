"""Stage 3c: modality, as a spaCy component ("news_modality").

For every trigger candidate (`doc.spans["event_candidates"]`, with `span._.arguments` from `news_arguments`) it
sets `span._.modality`, one of `schema.MODALITIES`, from cues in the parse around the trigger and its governing
verb:

- `denied`: negation of the trigger or its verb ('did not fire', 'never met', 'no longer meets'; not 'did not fire
  until Friday', which fired then), a negative subject ('no one'), a counterfactive verb above its infinitive
  ('failed to reach', 'refused to sign'), a denial of it by its source ('denied firing', 'denied that it fired',
  'rejected claims that it fired'), or a word that stopped it ('the launch was postponed', 'the now-cancelled
  visit');
- `hypothetical`: a modal or future auxiliary ('would launch', 'will meet'), a conditional or pending clause ('if
  they test', 'until it fires'), a word of plan, attempt, wish or possibility above it ('plans to launch',
  'considering a freeze', 'a possible test', 'the talks are expected', 'the risk of a default'), an infinitive
  not entailed by its verb ('a contract to supply', 'is to be held', 'an event to be held', 'is believed to be
  worth' with no one named as believing it, 'told the workers to leave'; not 'managed to land', nor 'claims to
  own', another's claim, nor 'marched to protest', a protest made by marching); a cause ('due to the
  accidents'), a reason or concession clause and a reduced relative ('the profit reaped') are facts the plan
  builds on, not part of it, and so is an event a plan, a wish or a modal would end ('to halt the shelling',
  'would end its siege once talks begin'): it is under way, only its ending is to come;
- `reported`: the writer passes on another's claim ('reportedly', 'allegedly') or the sentence credits someone
  other than the actor ('..., officials said'; not one the sentence names as the actor: 'the company said it had
  closed the plant'); a speaker's quote of their own side's act is reported too ('"We closed the plant," the chief
  executive said');
- `asserted` otherwise.

The cues of the trigger count, and those of its governing verb, of a predicate's copula ('will be available') and of
the verb it is coordinated with ('will take off ... and land'; a conjunct with its own tense or auxiliary keeps its
own, but not outside a conditional). The cue words are data (`models/events.json`). `python -m
pipeline.bench.meantime` measures the component on MEANTIME's factuality annotation.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .arguments import CANDIDATES_KEY, annotation_pairs, governing_verb, simple_present, tense_of
from .records import Arguments
from .resources import MODELS_DIR, EventLexicon, DataComponent, english_words, load_events
from .schema import MODALITIES

if not Span.has_extension("modality"):
    Span.set_extension("modality", default=None)
# How far up the parse a cue of plan or possibility still governs the event.
CUE_CLIMB = 4
OCCURRENCE_VERBS = english_words()["occurrence_verbs"]
INDEFINITE_DETERMINERS = frozenset(english_words()["indefinite_determiners"])
CLIMB_DEPS = ("xcomp", "ccomp", "acl", "pcomp", "dobj", "advcl", "prep", "pobj", "nsubjpass", "nsubj")


@Language.factory("news_modality", default_config={"resources": None, "spans_key": CANDIDATES_KEY})
def make_modality_reader(nlp: Language, name: str, resources: str | None, spans_key: str) -> "ModalityReader":
    """`resources`: the folder with `events.json` (default: the shipped `models/`); `spans_key`: the span group
    whose spans get `span._.modality`."""
    return ModalityReader(name, Path(resources) if resources else MODELS_DIR, spans_key)


class ModalityReader(DataComponent):
    """The `news_modality` component."""

    resource_files = ("events.json",)

    def __init__(self, name: str, resources: Path = MODELS_DIR, spans_key: str = CANDIDATES_KEY):
        self.spans_key = spans_key
        super().__init__(name, resources)

    def load(self, resources: Path) -> None:
        self.lexicon: EventLexicon = load_events(resources / "events.json")
        self.words = self.lexicon.words

    def __call__(self, doc: Doc) -> Doc:
        for span in doc.spans.get(self.spans_key, []):
            span._.modality = self.modality(span[-1], span._.arguments)
        return doc

    def modality(self, token: Token, arguments: Arguments | None) -> str:
        words = self.scope(token)
        if any(self.negated(word) or self.counterfactual(word) for word in words) or self.prevented(token):
            return "denied"
        if any(self.hypothetical(word) for word in words):
            return "hypothetical"
        if any(child.lower_ in self.words["reporting_adverbs"] for word in words for child in word.children):
            return "reported"
        if arguments is not None and arguments.attributed_to and arguments.attributed_to not in arguments.parties:
            return "reported"
        return "asserted"

    def counterfactual(self, verb: Token) -> bool:
        """'failed to reach a deal', 'refused to sign': the verb's infinitive did not happen; 'denied firing', 'denied
        that it fired', 'rejected claims that it fired': its source says it did not happen."""
        head = verb.head
        if verb.dep_ in ("acl", "ccomp") and head.lower_ in self.words["claim_nouns"] and head.dep_ == "dobj":
            # what a claim says is as the claim is taken: 'denied reports that', 'rejected claims that'
            return head.head.lemma_.lower() in self.words["denial_verbs"] | self.words["rejection_verbs"]
        if verb.dep_ in ("ccomp", "dobj") or verb.dep_ == "xcomp" and verb.tag_ == "VBG":
            return head.lemma_.lower() in self.words["denial_verbs"]  # not what one 'rejected': 'rejected the talks'
        return verb.dep_ == "xcomp" and head.lemma_.lower() in self.words["counterfactive_verbs"] and any(
            c.tag_ == "TO" for c in verb.children)

    def prevented(self, token: Token) -> bool:
        """'the launch was postponed', 'they cancelled the talks', 'a now-cancelled visit', 'the delay in the vote':
        the event was stopped from happening."""
        prevention = self.words["prevention_words"]
        if token.dep_ in ("nsubjpass", "dobj") and token.head.lemma_.lower() in prevention:
            return True
        noun = token.head.head
        if token.dep_ == "pobj" and token.head.dep_ == "prep" and noun.pos_ == "NOUN" and noun.lower_ in prevention:
            return True  # 'the cancellation of the summit', 'a delay in the vote'
        return any(child.dep_ == "amod" and child.lower_.split("-")[-1] in prevention for child in token.children)

    def negated(self, token: Token) -> bool:
        if any(child.lower_ == "until" or any(g.dep_ == "mark" and g.lower_ == "until" for g in child.children)
               for child in token.children if child.dep_ in ("prep", "advcl")):
            return False  # 'did not free the crew until Friday': it happened then, no sooner
        for child in token.children:
            if child.dep_ == "neg" or (child.lower_ in self.words["negation_words"] and not _number_sign(child)):
                return True
            if child.dep_ == "advmod" and any(g.dep_ == "neg" for g in child.children):
                return True  # 'no longer', 'not yet'
            if child.dep_ in ("nsubj", "nsubjpass") and any(g.lower_ in self.words["negative_subject_words"]
                                                            and not _number_sign(g) for g in _determiners_of(child)):
                return True
        return False

    def hypothetical(self, token: Token) -> bool:
        return (self.hypothetical_cue(token) or self._hypothetical_governor(token) or self._unrealized_infinitive(token)
                or self._conditional_conjunct(token))

    def _conditional_conjunct(self, token: Token) -> bool:
        """'if you are China and you release him': a conditional covers every verb coordinated under it, even one
        with its own tense (which keeps its own auxiliaries and negation: see `scope`)."""
        current = token
        while current.dep_ == "conj" and current.head != current:
            current = current.head
            if any(c.dep_ == "mark" and c.lower_ in self.words["conditional_marks"] for c in current.children):
                return True
        return False

    def _unrealized_infinitive(self, token: Token) -> bool:
        """'a contract to supply', 'is to be held', 'Apple to give refunds' (a headline's future); what an implicative
        verb governs happened as far as that verb did ('managed to land', 'will begin to fly'), and a protest or a
        condemnation a past act was done for was made by doing it ('gathered outside the court to protest')."""
        auxiliaries = [child for child in token.children if child.dep_ in ("aux", "auxpass")]
        if token.tag_ not in ("VB", "VBN") or not any(aux.tag_ == "TO" for aux in auxiliaries):
            return False
        if any(aux.lemma_ == "have" for aux in auxiliaries):
            return False  # a perfect infinitive tells what has happened: 'appeared to have conducted a test'
        head = token.head
        if (token.dep_ in ("advcl", "xcomp") and token.lemma_.lower() in self.words["expressive_purposes"]
                and head.tag_ == "VBD" and head.lemma_.lower() not in self.lexicon.hypothetical_governors):
            return False  # the act done says it: 'marched to protest the verdict', 'dumped grain to protest the duties'
        ranked = [head, *head.children] + [g for c in head.children if c.dep_ in ("attr", "dobj", "amod") for g in c.children]
        if token.dep_ in ("acl", "relcl", "advcl") and any(
                word.ent_type_ == "ORDINAL" or word.tag_ == "JJS" or word.lower_ in self.words["ranking_words"]
                for word in ranked):
            # 'the first president to visit Hiroshima', 'became the third American to be killed': as far as the
            # ranking's own verb happened ('will be the first jet to be built' has not); the ranking word may hang
            # on another modifier of the noun ('the last serving envoy to meet')
            return any(self.hypothetical_cue(word) for word in self.scope(head))
        if token.dep_ == "xcomp" and head != token and head.lemma_.lower() in self.words["implicative_verbs"]:
            return any(self.hypothetical(word) for word in self.scope(head))
        # 'claims to possess' is another's claim; 'is said to be worth', with no one saying it, a hedge; 'told the
        # workers to leave', said to someone, a directive
        return head.lemma_.lower() not in self.lexicon.speech_verbs or _sourceless_passive(head) or any(
            c.dep_ in ("dobj", "dative") for c in head.children)


    def hypothetical_cue(self, token: Token) -> bool:
        """A modal auxiliary, a conditional or pending subordinator, a noun's 'possible', 'planned', the simple
        present of a schedule ('meets on June 9'; see `tense_of`), which a speaker's present ('says') is not, or the
        imperative ('Release them now', 'Visit our website'): asked for, not done."""
        if tense_of(token) == "future" and token.lemma_.lower() not in self.lexicon.speech_verbs:
            return True
        if _imperative(token):
            return True
        for child in token.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in self.words["modal_auxiliaries"]:
                return True
            if child.dep_ == "mark" and child.lower_ in self.words["conditional_marks"]:
                return True
            if child.dep_ == "mark" and child.lower_ in self.words["pending_marks"] and simple_present(token):
                return True
            if child.dep_ == "amod" and token.pos_ == "NOUN" and child.lower_ in self.words["hypothetical_modifiers"]:
                return True
            if child.dep_ in ("acl", "relcl") and token.pos_ == "NOUN" and _to_be_done(child):
                return True  # 'a summit to be held in May', 'talks to take place next week'
        return False

    def _hypothetical_governor(self, token: Token) -> bool:
        """A word of plan, attempt or wish above the event ('plans to launch', 'considering a freeze'); what a
        speaker says is reported, not planned."""
        if self._subject_of_a_modal(token):
            return True
        current = token
        for _ in range(CUE_CLIMB):
            if current.dep_ not in CLIMB_DEPS or current.head == current or current.tag_ == "VBD":
                return False  # a finite past verb states its own event: 'called for punishment after Iran fired'
            head = current.head
            if current.dep_ == "dobj" and head.lemma_.lower() in self.words["ending_verbs"]:
                return False  # an event someone plans to end is there: 'sent troops to halt the shelling'
            if current.dep_ in ("prep", "pcomp", "pobj") and self.words["cause_words"] & {current.lower_, head.lower_}:
                return False  # a cause is a fact: 'will refund buyers in response to complaints'; not 'due to meet'
            if current.dep_ == "nsubj" and head.pos_ != "ADJ":
                return False  # 'the deliveries are due', 'the talks were expected'; not the actor of a verb
            if current.dep_ == "advcl" and (found := self._subordinate_hypothetical(current)) is not None:
                return found
            if current.dep_ == "acl" and current.tag_ == "VBN" and not any(c.tag_ == "TO" for c in current.children):
                return False  # 'the profit reaped last year', 'the courts, located in London': what befell the noun
            # 'push for', not 'push into'; the time of what is to come: 'might step down after the summit'; what a noun
            # or adjective of plan or possibility is of: 'the risk of a default', 'a proposal of talks', 'capable of firing'
            aimed = (current.dep_ != "prep" or current.lower_ in self.words["aim_prepositions"] | self.words["time_prepositions"]
                     or current.lower_ == "of" and head.pos_ in ("NOUN", "ADJ"))
            if aimed and current.dep_ in ("dobj", "pobj", "prep") and self._unrealized_infinitive(head):
                return True  # 'a contract to supply tankers', 'rolls out the first to go into service'
            if aimed and head.lemma_.lower() in self.lexicon.hypothetical_governors and self._governs_object(current, head):
                return not (current.dep_ == "ccomp" and head.lemma_.lower() in self.lexicon.speech_verbs)
            if aimed and current.dep_ in ("pcomp", "pobj", "prep") and any(
                    c.dep_ == "aux" and c.lower_ in self.words["modal_auxiliaries"] for c in head.children):
                return True  # 'will stand together on arresting the terrorists'; not 'will be paid from its budget'
            current = head
        return False

    def _subject_of_a_modal(self, token: Token) -> bool:
        """An event noun, told as no particular one, that is the subject of a modal verb ('a visit to Tarsk would mark
        a thaw', 'any attack will bring a response'): what the modal tells of it is yet to come. A definite one is
        there already, and the modal tells what follows from it ('the agreement will see jets delivered'). Not the
        subject of a modal copula either, which describes an event as it is ('an attack like this could be the
        deadliest'), nor of a modal perfect, which looks back ('a raid may have prompted the strike')."""
        if token.dep_ not in ("nsubj", "nsubjpass") or token.pos_ != "NOUN" or token.head.lemma_ == "be":
            return False
        if not any(child.dep_ == "det" and child.lower_ in INDEFINITE_DETERMINERS for child in token.children):
            return False
        auxiliaries = [child.lower_ for child in token.head.children if child.dep_ == "aux"]
        return "have" not in auxiliaries and bool(self.words["modal_auxiliaries"].intersection(auxiliaries))

    def _subordinate_hypothetical(self, clause: Token) -> bool | None:
        """An adverbial clause is hypothetical if conditional ('if they test') or a present-tense time clause of an
        event to come ('will sign the accord when he arrives'); not if a reason or a concession ('as it is the last',
        'although the rebels are said to want'): a fact the main clause builds on; nor if unmarked ('..., warning
        Saddam Hussein that ...'): an act of its own. None: a time clause ('while they negotiate') is as the word of
        plan above it makes it."""
        marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
        if marks & self.words["conditional_marks"]:
            return True
        subordinators = marks | {c.lower_ for c in clause.children if c.dep_ == "advmod"}
        present = simple_present(clause)
        if present and subordinators & self.words["pending_marks"]:
            return True  # 'risks a decade behind bars once a judge sentences him': yet to come, or a habit
        if subordinators & self.words["temporal_marks"] and present and self.hypothetical(clause.head):
            return True
        if not marks or marks & self.words["reason_marks"]:
            return False
        return None

    def _governs_object(self, current: Token, head: Token) -> bool:
        """A direct object is planned under a verb of plan ('plans an attack'), not under a noun or a verb that deals
        with it ('settled the dispute', 'set a record')."""
        return current.dep_ != "dobj" or (head.pos_ == "VERB" and head.lemma_.lower() not in self.words["objects_not_planned"])

    def scope(self, token: Token) -> list[Token]:
        """The words whose cues decide the modality of the event at `token`: the trigger, the verb that governs a noun
        (as object, or as subject of a verb of occurrence: 'the meeting did not take place'), the copula of a predicate
        ('will be available'), the verb a coordinated verb hangs on ('will take off ... and land'); not a verb that
        would end the event ('to halt the shelling'), whose cues are of the ending."""
        if token.dep_ == "prt":
            token = token.head  # 'take off': the verb of a phrasal verb
        words = [token]
        verb = token.head if token.dep_ in ("acomp", "attr", "oprd") else governing_verb(token)
        if token.dep_ == "nsubj" and verb.lemma_.lower() not in OCCURRENCE_VERBS:
            return words  # what is said of an event is not whether it happened: 'the tests do not comprise a violation'
        if token.dep_ == "dobj" and verb.lemma_.lower() in self.words["ending_verbs"]:
            return words  # what is to be ended goes on: 'would end its siege', 'failed to halt the fighting'
        if verb != token:
            words.append(verb)
        current = verb
        while current.dep_ == "conj" and current.head != current and not _finite_or_auxiliated(current):
            current = current.head
            words.append(current)
        return words

    def score(self, examples, **kwargs) -> dict:
        """Accuracy and macro-F1 of `span._.modality` against the references' spans of the same group."""
        pairs = [(r, p) for p, r in annotation_pairs(examples, self.spans_key, "modality") if r is not None]
        return {"modality_acc": sum(g == p for g, p in pairs) / len(pairs) if pairs else None,
                "modality_macro_f": macro_f1(class_scores(pairs)) if pairs else None}


def _determiners_of(subject: Token) -> list[Token]:
    """The subject and the words that say how much of it there is ('no one', 'no country', 'neither side', 'none'):
    a 'no' deeper in the phrase is the phrase's own ('protesters against the no-fly zone', 'men who had no permit')."""
    return [subject, *(child for child in subject.children if child.dep_ in ("det", "predet", "preconj", "cc", "neg"))]


def _number_sign(word: Token) -> bool:
    """'No.' before a rank or a count ('the party's No. 2', 'the world's No. 3 maker') is 'number', not 'no'."""
    doc, at = word.doc, word.i
    return word.lower_ == "no" and at + 2 < len(doc) and doc[at + 1].text == "." and doc[at + 2].like_num


def _to_be_done(verb: Token) -> bool:
    """A passive infinitive ('to be held') or one of occurrence ('to take place'): what is yet to happen to a noun."""
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ in ("aux", "auxpass")}
    return "to" in auxiliaries and ("be" in auxiliaries or verb.lemma_.lower() in OCCURRENCE_VERBS)


def _sourceless_passive(verb: Token) -> bool:
    """A passive without an agent ('is believed', 'are said'): the writer hedges and no source answers for it."""
    return any(c.dep_ == "auxpass" for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children)


def _finite_or_auxiliated(verb: Token) -> bool:
    """A conjunct with its own tense or auxiliary states its own event ('can fly ... and has been named'); a bare one
    shares the first verb's ('will take off ... and land')."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") or any(child.dep_ in ("aux", "auxpass") for child in verb.children)


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of one modality against a gold annotation."""

    label: str
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int


def class_scores(pairs: Sequence[tuple[str, str]]) -> list[ClassScore]:
    """Per modality, from (gold, predicted) pairs."""
    scores = []
    for label in MODALITIES:
        gold = sum(g == label for g, _ in pairs)
        predicted = sum(p == label for _, p in pairs)
        right = sum(g == p == label for g, p in pairs)
        precision = right / predicted if predicted else 0.0
        recall = right / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if right else 0.0
        scores.append(ClassScore(label, precision, recall, f1, gold, predicted))
    return scores


def macro_f1(scores: Sequence[ClassScore]) -> float:
    """Mean F1 over the classes that occur in gold."""
    present = [score.f1 for score in scores if score.gold]
    return sum(present) / len(present) if present else 0.0


def _imperative(token: Token) -> bool:
    """A bare verb that opens its sentence or a quoted clause with no subject and no auxiliary: 'Visit our site',
    '"Release the hostages now," the minister told the rebels'."""
    return (token.tag_ == "VB" and token.dep_ in ("ROOT", "ccomp", "parataxis")
            and all(word.is_punct for word in token.doc[token.left_edge.i:token.i])
            and not any(child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "expl") for child in token.children))
