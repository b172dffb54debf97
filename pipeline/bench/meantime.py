"""Modality, date normalization and date attachment against MEANTIME (English Wikinews, NewsReader annotation).

    python -m pipeline.bench.meantime ../shared/peer/meantime [--errors]

Modality. Each EVENT_MENTION gets a gold class from its factuality attributes:
NEG polarity is `denied`; FUTURE time, POSSIBLE or PROBABLE certainty, or a
conditional special case (COND_IF_CLAUSE, COND_MAIN_CLAUSE) is `hypothetical`;
any other mention is `reported` when it sits under another source's reporting
event, else `asserted`. Mentions the annotators left without factuality
(certainty, polarity and time all empty: mostly discontinuous or multi-event
mentions) have no gold class and are left out.

"Under another source's reporting event" is read off MEANTIME's own relations,
not off a parse, so the gold does not lean on the parser the pipeline uses:
- the mention is the target of an SLINK (the NewsReader link from a speech or
  cognitive event to the event its complement states) whose source refers to
  an EVENT of class SPEECH_COGNITIVE ('said', 'claims', also 'believes', as
  the pipeline's speech verbs have 'believe' and 'think'), or is GLINK-linked
  to such a target (in 'said it would take cuts' the SLINK reaches the support
  verb 'take', the GLINK its content 'cuts'), or shares a word with such a target: where one clause of saying
  reports two events the annotators sometimes made the SLINK's target one discontinuous mention of both ('said
  more than 4 billion songs had been downloaded ... and that the store accounts for 70%': a target 'downloaded
  accounts for'), each event also a mention of its own, which the link covers as much as the composite;
- and the reporting event's Arg0 (HAS_PARTICIPANT, compared as REFERS_TO
  entity instances) is not an Arg0 of the mention: 'Apple announced it had
  settled' is Apple's own act, asserted, as the pipeline's `attributed_to`
  rule has it; a reporting event with no annotated speaker still reports. The actors of a composite target and
  its parts are pooled, as those of a GLINK pair: 'the company claims to possess the trademark, and that it sells
  devices' is the company's own claim of its own acts, asserted.
MEANTIME links only the main event of a reported clause, so other events
inside one (a noun, a second verb) stay `asserted` in gold: a system that
marks them `reported` loses precision on `reported` for it.

Where our conventions differ from MEANTIME's on principle, the pipeline keeps
its own and loses the point: 'according to X' credits X (not an event, so no
SLINK, and `asserted` in gold); a purpose or headline infinitive ('released a
program to limit volume', 'Apple to lower prices') and an ability ('can carry
290 passengers') are not deeds done (`asserted` in gold); a speaker's own act
('the company stated it had signed') is asserted, where MEANTIME's annotators
left the speaker out of the act's participants.

MEANTIME is a test set here: modality cues were checked against the errors of the `apple` and `boeing` folders
only; `gm` and `stock` were read as figures. So `--errors` lists the modality errors of `apple` and `boeing` only,
and the macro-F1 and per-class F1 are printed for apple+boeing and for the held-out gm+stock beside the overall line.

The pipeline sees MEANTIME's own tokens and sentences (spaCy pipes up to
`news_entities` on a Doc built from them), gets the gold mentions as candidate
spans, and `news_arguments` and `news_modality` decide each one's modality.
Prints the gold class counts, per-class precision, recall and F1, a confusion
table, the macro-F1 over the classes in gold and that of marking every mention
asserted.

Dates. Every TIMEX3 of type DATE or TIME with text and a calendar value
(year, month, day, week, quarter, season, decade, time of day), other than the
document's CREATION_TIME, is normalized with `dates.normalize(text, anchor=
creation date, sentence)` and compared with the gold value exactly, except that
a gold time's UTC designator `Z` is dropped: `TimeValue` carries no zone, and
all of MEANTIME's Z times but one are written in UTC in the text ('16:00 UTC').
The five files without a CREATION_TIME are normalized against the date their date line (sentence 1, 'May 05,
2008') gives, as a reader of the page would date them: the pipeline's anchor is the publication date.

Attachment. Whether the date stage (`news_event_dates`, `EventDater.governing_date`) picks, for an event
mention, the time expression MEANTIME ties it to. A mention is scored when a TLINK places it in or at the
bounds of a TIMEX3 of type DATE or TIME with text, in the mention's sentence, other than the CREATION_TIME.
The TLINK reltypes that do so, read from the event's side (MEANTIME writes the link either way round):
- event -> timex: IS_INCLUDED, SIMULTANEOUS, DURING, BEGINS, ENDS, BEGUN_BY, ENDED_BY;
- timex -> event: INCLUDES, SIMULTANEOUS, DURING_INV, ENDED_BY, BEGUN_BY, ENDS, BEGINS.
The bounds count both ways because the annotators wrote them both ways: 'suspended since July 24, 2003' and
'cutting 30,000 jobs by 2012' are event -> timex BEGUN_BY and ENDED_BY, 'fighting pancreatic cancer since
2004' and 'ending the day' event -> timex BEGINS and ENDS; either way the expression places the event.
Occurring in the data on same-sentence pairs: event -> timex IS_INCLUDED, SIMULTANEOUS, BEGINS, ENDS,
BEGUN_BY, ENDED_BY (and a single INCLUDES, left out: an event that contains the time is not dated by it);
timex -> event INCLUDES, SIMULTANEOUS, ENDED_BY, BEGINS (and a single IS_INCLUDED, left out likewise).
DURING and DURING_INV do not occur. BEFORE, AFTER, MEASURE ('a four day rally') and links without a
reltype do not date the event and are left out, as are DURATION and SET expressions ('twelve-year lows',
'annual'): the stage dates events with points in time only. DATE expressions without a calendar value
('recently', 'now': PAST_REF, PRESENT_REF) are kept; the stage has no entity for them, and they count as not
found.

The trigger is the mention's last token, as `EventDater.date` takes `span[-1]` of a candidate. The pick is
right when it overlaps the tokens of any of the mention's gold expressions. The misses are split: no
expression the stage can pick overlaps a gold one, so no pick could be right ('expression not found by NER'),
either because spaCy's NER has no DATE or TIME entity there ('recently', 'now') or because the entity it has
is not a point in time to the stage (`DateIndex` keeps what `dates.normalize` reads as one: not 'March 3, two
days', as NER tags 'on March 3, two days before the vote'), the two counted apart on the line after the
accuracy; none picked;
another picked. MEANTIME is not tuning data for this either: `--errors` lists the date and attachment errors of
`apple` and `boeing` only, and each accuracy is printed again for those two folders and for the held-out `gm` and
`stock`, so a closing note can give held-out figures.
"""
from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import dates
from ..event_dates import DateIndex
from ..extraction import build_nlp
from ..modality import class_scores, macro_f1
from ..schema import MODALITIES

# A calendar value: year, decade (199) or century (19); month, week, quarter or season; day or weekend; time of day.
CONCRETE = re.compile(
    r"^\d{2,4}(?:-(?:\d{2}|W\d{2}|Q[1-4]|SP|SU|FA|WI)(?:-(?:\d{2}|WE))?)?(?:T(?:\d{2}(?::\d{2})?Z?|MO|AF|EV|NI))?$"
)
UNCERTAIN = {"POSSIBLE", "PROBABLE"}
CONDITIONAL = {"COND_IF_CLAUSE", "COND_MAIN_CLAUSE"}
# TLINK reltypes by which a time expression dates an event (module docstring), by the link's direction.
DATING_FROM_EVENT = {"IS_INCLUDED", "SIMULTANEOUS", "DURING", "BEGINS", "ENDS", "BEGUN_BY", "ENDED_BY"}
DATING_FROM_TIMEX = {"INCLUDES", "SIMULTANEOUS", "DURING_INV", "ENDED_BY", "BEGUN_BY", "ENDS", "BEGINS"}
POINT_TYPES = {"DATE", "TIME"}
# The topic folders whose errors may be read; the other two are held out and reported as figures only.
READABLE = ("apple", "boeing")
HELD_OUT = ("gm", "stock")
# Detokenizing: MEANTIME keeps PTB quotes (`` '') and splits clitics, as spaCy does.
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "''", "'", "’", "”",
                   "'s", "n't", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "[", "{", "``", "`", "“", "‘", "$", "£", "€", "¥", "#"}
JOINERS = {"-", "/"}  # 'Wal - Mart', 'Rights / Restrictions': MEANTIME splits words at hyphens and slashes


@dataclass
class EventMention:
    m_id: str
    token_indices: list[int]  # 0-based, into MeantimeDocument.words
    pred: str
    pos: str
    tense: str
    aspect: str
    certainty: str
    polarity: str
    time: str
    special_cases: str
    reported_by: str | None = None  # the m_id of another source's reporting event it sits under (module docstring)


@dataclass
class Timex:
    m_id: str
    token_indices: list[int]  # empty for TIMEX3s without text (mostly the begin and end points of durations)
    type: str
    value: str
    function_in_document: str
    anchor_id: str


@dataclass
class TimeLink:
    source: str
    target: str
    reltype: str


@dataclass
class MeantimeDocument:
    name: str
    words: list[str]
    sentence_of: list[int]  # MEANTIME's sentence number of each word: 0 is the headline, 1 the date line
    creation: date | None
    mentions: list[EventMention]
    timexes: list[Timex]
    tlinks: list[TimeLink]
    folder: str = ""  # the topic folder: apple, boeing, gm or stock

    @property
    def readable(self) -> bool:
        return self.folder in READABLE

    @property
    def published(self) -> date | None:
        """The CREATION_TIME, else the date the date line (sentence 1) gives."""
        if self.creation is not None or 1 not in self.sentence_of:
            return self.creation
        value = dates.normalize(self.sentence_text(1), None)
        return value.start if value is not None and value.granularity == "day" else None

    def text_of(self, indices: Sequence[int]) -> str:
        """The words at `indices`, spaced as in running text."""
        spaces = spaces_after(self.words)
        last = indices[-1]
        return "".join(self.words[i] + (" " if spaces[i] and i != last else "") for i in indices)

    def sentence_text(self, sentence: int) -> str:
        return self.text_of([i for i, s in enumerate(self.sentence_of) if s == sentence])


@dataclass(frozen=True)
class ModalityResult:
    document: str
    sentence: str
    mention: str
    gold: str
    predicted: str
    readable: bool = True  # from a folder whose errors may be read


@dataclass(frozen=True)
class TimexResult:
    document: str
    text: str
    gold: str
    predicted: str | None
    readable: bool = True  # from a folder whose errors may be read
    sentence: str = ""

    @property
    def right(self) -> bool:
        return self.predicted == self.gold.removesuffix("Z")


@dataclass(frozen=True)
class AttachmentResult:
    document: str
    sentence: str
    mention: str
    gold: tuple[str, ...]  # the texts of the mention's gold expressions
    predicted: str | None  # the text of the expression `governing_date` picked
    # "right"; no expression the stage can pick overlaps a gold one: "no_entity" (no NER DATE/TIME entity does) or
    # "not_a_point" (one does, but `DateIndex` does not read it as a point in time); "none" picked; "other" picked.
    outcome: str
    readable: bool = True  # from a folder whose errors may be read

    @property
    def right(self) -> bool:
        return self.outcome == "right"


def read_documents(folder: Path) -> list[MeantimeDocument]:
    """Every MEANTIME CAT file under `folder`, recursively, in path order."""
    return [read_document(path) for path in sorted(Path(folder).rglob("*.xml"))]


def read_document(path: Path) -> MeantimeDocument:
    root = ET.parse(path).getroot()
    tokens = list(root.iter("token"))
    index_of = {token.get("t_id"): i for i, token in enumerate(tokens)}
    markables, relations = root.find("Markables"), root.find("Relations")

    def anchored(element: ET.Element) -> list[int]:
        return sorted(index_of[anchor.get("t_id")] for anchor in element.iter("token_anchor"))

    reporters = _reporters(markables, relations,
                           {element.get("m_id"): anchored(element) for element in markables.iter("EVENT_MENTION")})

    mentions = [
        EventMention(element.get("m_id"), anchored(element), *(element.get(key, "") for key in (
            "pred", "pos", "tense", "aspect", "certainty", "polarity", "time", "special_cases")),
            reported_by=reporters.get(element.get("m_id")))
        for element in markables.iter("EVENT_MENTION")
    ]
    timexes = [
        Timex(element.get("m_id"), anchored(element), element.get("type", ""), element.get("value", ""),
              element.get("functionInDocument", ""), element.get("anchorTimeID", ""))
        for element in markables.iter("TIMEX3")
    ]
    tlinks = [TimeLink(source, target, link.get("reltype", "")) for source, target, link in _links(relations, "TLINK")]
    words, sentence_of = [token.text for token in tokens], [int(token.get("sentence")) for token in tokens]
    return MeantimeDocument(path.stem, words, sentence_of, _creation_date(timexes), mentions, timexes, tlinks,
                            path.parent.name)


def _creation_date(timexes: list[Timex]) -> date | None:
    for timex in timexes:
        if timex.function_in_document == "CREATION_TIME":
            # One file writes its date DD-MM-YYYY.
            for layout in ("%Y-%m-%d", "%d-%m-%Y"):
                try:
                    return datetime.strptime(timex.value, layout).date()
                except ValueError:
                    continue
    return None


def _links(relations: ET.Element, tag: str) -> Iterator[tuple[str, str, ET.Element]]:
    """(source m_id, target m_id, element) of each relation `tag`; a few relations lack one end and are skipped."""
    for link in relations.iter(tag):
        for source in link.iter("source"):
            for target in link.iter("target"):
                yield source.get("m_id"), target.get("m_id"), link


def _reporters(markables: ET.Element, relations: ET.Element, anchors: dict[str, list[int]]) -> dict[str, str]:
    """Event mention m_id -> the m_id of another source's reporting event it sits under (see the module docstring);
    `anchors`: the token indices of each event mention."""
    instance_of = {source: target for source, target, _ in _links(relations, "REFERS_TO")}
    speech = {event.get("m_id") for event in markables.iter("EVENT") if event.get("class") == "SPEECH_COGNITIVE"}
    speakers: defaultdict[str, set[str]] = defaultdict(set)
    for event, participant, link in _links(relations, "HAS_PARTICIPANT"):
        if link.get("sem_role") == "Arg0":
            speakers[event].add(instance_of.get(participant, participant))
    grammatical: defaultdict[str, set[str]] = defaultdict(set)
    for source, target, _ in _links(relations, "GLINK"):
        grammatical[source].add(target)
        grammatical[target].add(source)
    sharing: defaultdict[str, set[str]] = defaultdict(set)  # mentions that share a token
    for one, tokens in anchors.items():
        for other, other_tokens in anchors.items():
            if one != other and set(tokens) & set(other_tokens):
                sharing[one].add(other)
    reporters: dict[str, str] = {}
    for reporter, reported, _ in _links(relations, "SLINK"):
        if instance_of.get(reporter) not in speech:
            continue
        # The reported clause: the SLINK target, what GLINKs tie to it ('take' and 'cuts'), and the events whose words
        # a composite target is made of ('possess ... sells': the annotators' one mention for the two verbs of 'claims
        # to possess X, and that it sells Y', each also a mention of its own); their actors pooled.
        clause = {reported} | grammatical[reported] | sharing[reported]
        if not speakers[reporter] & set().union(*(speakers[mention] for mention in clause)):
            for mention in clause:
                reporters.setdefault(mention, reporter)
    return reporters


def gold_modality(mention: EventMention) -> str | None:
    """The mention's modality by MEANTIME's factuality; None where the annotators left factuality empty."""
    if not (mention.certainty or mention.polarity or mention.time):
        return None
    if mention.polarity == "NEG":
        return "denied"
    if mention.time == "FUTURE" or mention.certainty in UNCERTAIN or mention.special_cases in CONDITIONAL:
        return "hypothetical"
    return "reported" if mention.reported_by else "asserted"


def spaces_after(words: Sequence[str]) -> list[bool]:
    """Whether a space follows each word, as running text would have it; plain quotes alternate opening and closing."""
    spaces = [True] * len(words)
    open_quote = False
    for i, word in enumerate(words):
        attach_before = word.lower() in NO_SPACE_BEFORE or word in JOINERS
        attach_after = word in NO_SPACE_AFTER or word in JOINERS
        if word == '"':
            attach_before, attach_after = open_quote, not open_quote
            open_quote = not open_quote
        if attach_before and i:
            spaces[i - 1] = False
        if attach_after:
            spaces[i] = False
    if spaces:
        spaces[-1] = False
    return spaces


def parsed_doc(nlp: Language, document: MeantimeDocument, mentions: Sequence[EventMention]) -> Doc:
    """The document's own tokens and sentences through the pipes up to `news_entities`; `mentions` as the candidates."""
    starts = [i == 0 or s != document.sentence_of[i - 1] for i, s in enumerate(document.sentence_of)]
    doc = Doc(nlp.vocab, words=document.words, spaces=spaces_after(document.words), sent_starts=starts)
    doc._.published = document.published
    doc._.story_id = document.name
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == "news_entities":
            break
    # A discontinuous mention ('took ... over') becomes the span from its first word to its last.
    doc.spans["event_candidates"] = [
        Span(doc, m.token_indices[0], m.token_indices[-1] + 1, label="mention") for m in mentions
    ]
    return doc


def predicted_modalities(nlp, doc) -> list[str]:
    """The modality the pipeline gives each span of doc.spans["event_candidates"]: the modality stage's, and the
    dates stage's where it finds the event dated after the document's day."""
    for name in ("news_arguments", "news_modality", "news_event_dates"):
        doc = nlp.get_pipe(name)(doc)
    return [span._.modality for span in doc.spans["event_candidates"]]


def modality_pairs(nlp: Language, documents: Sequence[MeantimeDocument]) -> list[tuple[str, str]]:
    """(gold, predicted) for every mention with a gold class."""
    return [(r.gold, r.predicted) for r in score_documents(nlp, documents, attachment=False)[0]]


def score_documents(nlp: Language, documents: Sequence[MeantimeDocument], attachment: bool = True
                    ) -> tuple[list[ModalityResult], list[AttachmentResult]]:
    """Modality results and attachment results, one parse per document."""
    modalities: list[ModalityResult] = []
    attached: list[AttachmentResult] = []
    for document in documents:
        scored = [m for m in document.mentions if gold_modality(m)]
        doc = parsed_doc(nlp, document, scored)
        modalities.extend(
            ModalityResult(document.name, document.sentence_text(document.sentence_of[m.token_indices[-1]]),
                           document.text_of(m.token_indices), gold_modality(m), predicted, document.readable)
            for m, predicted in zip(scored, predicted_modalities(nlp, doc)))
        if attachment:
            attached.extend(attachment_results(nlp, document, doc))
    return modalities, attached


def gold_attachments(document: MeantimeDocument) -> dict[str, list[Timex]]:
    """Event mention m_id -> the expressions that date it in its sentence (module docstring), in document order."""
    mentions = {m.m_id: m for m in document.mentions}
    timexes = {t.m_id: t for t in document.timexes
               if t.type in POINT_TYPES and t.token_indices and t.function_in_document != "CREATION_TIME"}
    gold: defaultdict[str, list[Timex]] = defaultdict(list)
    for link in document.tlinks:
        if link.source in mentions and link.target in timexes and link.reltype in DATING_FROM_EVENT:
            mention, timex = mentions[link.source], timexes[link.target]
        elif link.source in timexes and link.target in mentions and link.reltype in DATING_FROM_TIMEX:
            mention, timex = mentions[link.target], timexes[link.source]
        else:
            continue
        same_sentence = document.sentence_of[timex.token_indices[0]] == document.sentence_of[mention.token_indices[-1]]
        if same_sentence and timex not in gold[mention.m_id]:
            gold[mention.m_id].append(timex)
    return {m.m_id: gold[m.m_id] for m in document.mentions if gold[m.m_id]}


def attachment_results(nlp: Language, document: MeantimeDocument, doc: Doc) -> list[AttachmentResult]:
    """Whether `governing_date` picks a gold expression for each mention `gold_attachments` dates; `doc` is the
    document's `parsed_doc` (its candidate spans do not matter)."""
    dater = nlp.get_pipe("news_event_dates")
    index = DateIndex(doc)
    mentions = {m.m_id: m for m in document.mentions}
    results = []
    for m_id, timexes in gold_attachments(document).items():
        token = doc[mentions[m_id].token_indices[-1]]
        sentence = index.sentence_of(token)
        candidates = index.in_sentence(sentence)
        expression, _ = dater.governing_date(token, candidates, saying=False)
        gold_tokens = [set(t.token_indices) for t in timexes]

        def overlaps(span: Span) -> bool:
            return any(tokens & set(range(span.start, span.end)) for tokens in gold_tokens)

        if expression is not None and overlaps(expression):
            outcome = "right"
        elif not any(overlaps(candidate) for candidate in candidates):
            found = any(ent.label_ in ("DATE", "TIME") and overlaps(ent) for ent in sentence.ents)
            outcome = "not_a_point" if found else "no_entity"
        else:
            outcome = "none" if expression is None else "other"
        results.append(AttachmentResult(
            document.name, document.sentence_text(document.sentence_of[token.i]),
            document.text_of(mentions[m_id].token_indices), tuple(document.text_of(t.token_indices) for t in timexes),
            expression.text if expression is not None else None, outcome, document.readable))
    return results


def attachment_accuracy(results: Sequence[AttachmentResult]) -> float:
    return sum(r.right for r in results) / len(results) if results else 0.0


def halves(results: Sequence) -> Iterator[tuple[str, list]]:
    """The results of the folders whose errors are read and those of the held-out ones, each with its label."""
    for label, readable in (("+".join(READABLE) + " (errors read)", True), ("+".join(HELD_OUT) + " (held out)", False)):
        half = [r for r in results if r.readable == readable]
        if half:
            yield label, half


def print_halves(results: Sequence[TimexResult] | Sequence[AttachmentResult]) -> None:
    """The accuracy on the folders whose errors are read and on the held-out ones, beside the overall figure."""
    print("  " + "; ".join(f"{label} {sum(r.right for r in half) / len(half):.3f} (n={len(half)})"
                           for label, half in halves(results)))


def print_attachment(results: Sequence[AttachmentResult], errors: bool) -> None:
    if errors:
        print(f"wrong attachments ({', '.join(READABLE)} only; the other folders are held out):")
        for r in results:
            if not r.right and r.readable:
                print(f"  {r.document}: [{r.outcome}] {r.mention!r} gold={' | '.join(r.gold)!r} "
                      f"got={r.predicted!r}\n      {r.sentence}")
    outcomes = Counter(r.outcome for r in results)
    not_found = outcomes["no_entity"] + outcomes["not_a_point"]
    print(f"attachment accuracy {attachment_accuracy(results):.3f} (n={len(results)}; "
          f"expression not found by NER: {not_found}; no expression picked: {outcomes['none']}; "
          f"another picked: {outcomes['other']})")
    print(f"  not found: no NER DATE/TIME entity {outcomes['no_entity']}; "
          f"a DATE/TIME entity that is not a point in time to the date stage {outcomes['not_a_point']}")
    print_halves(results)


def print_modality(pairs: Sequence[tuple[str, str]]) -> None:
    scores = class_scores(pairs)
    print(f"{'modality':<13} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>6} {'predicted':>9}")
    for s in scores:
        print(f"{s.label:<13} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.gold:>6} {s.predicted:>9}")
    print("confusion (rows gold, columns predicted):")
    print(f"{'':<13}" + "".join(f"{label:>13}" for label in MODALITIES))
    confusion = Counter(pairs)
    for gold in MODALITIES:
        print(f"{gold:<13}" + "".join(f"{confusion[gold, predicted]:>13}" for predicted in MODALITIES))
    print(f"modality macro-F1 {macro_f1(scores):.3f}")
    baseline = class_scores([(gold, "asserted") for gold, _ in pairs])
    print(f"baseline (every mention asserted) macro-F1 {macro_f1(baseline):.3f}")


def print_modality_splits(results: Sequence[ModalityResult]) -> None:
    """Macro-F1 and per-class F1 on the folders the cues were read on and on the held-out ones, apart."""
    for label, half in halves(results):
        scores = class_scores([(r.gold, r.predicted) for r in half])
        print(f"  {label}: macro-F1 {macro_f1(scores):.3f} (n={len(half)}; F1 "
              + ", ".join(f"{s.label} {s.f1:.3f}" for s in scores) + ")")


def print_modality_errors(results: Sequence[ModalityResult]) -> None:
    """The wrong modalities of the readable folders only."""
    print(f"wrong modalities ({', '.join(READABLE)} only; the other folders are held out):")
    for r in results:
        if r.gold != r.predicted and r.readable:
            print(f"  {r.document}: {r.mention!r} gold={r.gold} got={r.predicted}\n      {r.sentence}")


def timex_results(documents: Sequence[MeantimeDocument]) -> list[TimexResult]:
    """Each concrete DATE or TIME expression other than the creation time, normalized against the publication date,
    or, for one that counts from the time told before ('the same day', 'two days later'), against the value of the
    document's previous expression, as the date stage resolves them (`DateIndex`, TimeML's anchorTimeID)."""
    results = []
    for document in documents:
        previous: dates.TimeValue | None = None
        for timex in sorted((t for t in document.timexes if t.type in POINT_TYPES and t.token_indices
                             and t.function_in_document != "CREATION_TIME"), key=lambda t: t.token_indices[0]):
            text = document.text_of(timex.token_indices)
            sentence = document.sentence_text(document.sentence_of[timex.token_indices[0]])
            if dates.anchor_needed(text) == "previous_event" and previous is not None:
                result = dates.resolve_from(text, previous, sentence)
            else:
                result = dates.normalize(text, document.published, sentence)
            previous = result or previous
            if CONCRETE.match(timex.value):
                results.append(TimexResult(document.name, text, timex.value, result.value if result else None,
                                           document.readable, sentence))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench.meantime", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder of MEANTIME CAT .xml files (read recursively)")
    parser.add_argument("--errors", action="store_true",
                        help="list the wrongly normalized dates, wrong attachments and wrong modalities of the apple "
                             "and boeing folders (MEANTIME is a test set: gm and stock are held out and print as "
                             "figures only)")
    args = parser.parse_args(argv)
    documents = read_documents(args.folder)
    if not documents:
        print(f"no MEANTIME documents in {args.folder}", file=sys.stderr)
        return 2

    gold = Counter(label for document in documents for m in document.mentions if (label := gold_modality(m)))
    left_out = sum(len(document.mentions) for document in documents) - sum(gold.values())
    print(f"{len(documents)} documents; gold modality: " + ", ".join(f"{label} {gold[label]:,}" for label in MODALITIES)
          + f" ({sum(gold.values()):,} mentions; {left_out} without factuality left out)")

    timexes = timex_results(documents)
    if args.errors:
        print(f"wrong dates ({', '.join(READABLE)} only; the other folders are held out):")
        for item in timexes:
            if not item.right and item.readable:
                print(f"  {item.document}: {item.text!r} gold={item.gold} got={item.predicted}\n      {item.sentence}")
    right = sum(item.right for item in timexes)
    print(f"timex accuracy {right / len(timexes) if timexes else 0.0:.3f} (n={len(timexes)})")
    print_halves(timexes)

    modalities, attached = score_documents(build_nlp(selection="rules"), documents)
    if args.errors:
        print_modality_errors(modalities)
    print_modality([(r.gold, r.predicted) for r in modalities])
    print_modality_splits(modalities)
    print_attachment(attached, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
