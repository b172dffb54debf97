"""The event components one by one: trigger patterns as data, arguments, modality, dates, the choice of events and
one event per occurrence, each passing spans to the next; and the event types' properties read from one file."""
from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest
import spacy

from pipeline.records import sentences
from pipeline.resources import MODELS_DIR, load_event_types, load_events
from pipeline.schema import EVENT_TYPES
from pipeline.triggers import CANDIDATES_KEY, read_patterns

ROOT = Path(__file__).resolve().parent.parent


def candidates(doc):
    return {span.text: span for span in doc.spans[CANDIDATES_KEY]}


def test_event_types_and_their_codes_come_from_one_data_file():
    types = load_event_types()
    assert EVENT_TYPES == list(types)
    assert (types["sanction"].cameo, types["sanction"].plover) == ("163", "SANCTION")
    assert types["statement"].plover is None and types["meeting"].symmetric and types["attack"].state_act
    assert {pattern.label for pattern in read_patterns(MODELS_DIR / "triggers.jsonl")} == set(types)


def test_a_bad_pattern_line_is_named_by_file_and_line(tmp_path):
    good = (MODELS_DIR / "triggers.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "triggers.jsonl"
    path.write_text(good + "\n" + json.dumps({"id": "x", "label": "attack", "confidence": 1, "pattern": [{"POS": "VERB"}]}) + "\n")
    with pytest.raises(ValueError, match=r"triggers.jsonl:2: not a trigger pattern"):
        read_patterns(path)


def test_patterns_name_a_shared_word_list_once(tmp_path):
    """'@statement_verbs' in a pattern stands for that word list of events.json, so that a statement and a blame say
    what they are said with once, and '@labor_strike_words' in the conditions of an attack and a protest what makes a
    strike a walkout; a list that events.json lacks is an error naming the file and line."""
    patterns = {pattern.id: pattern for pattern in read_patterns(MODELS_DIR / "triggers.jsonl")}
    verbs = sorted(load_events().words["statement_verbs"])
    assert patterns["statement/verb-1"].lemmas == verbs == patterns["accusation/verb-blame"].lemmas
    assert "say" in verbs and not any(lemma.startswith("@") for p in patterns.values() for lemma in p.lemmas)
    strikers = sorted(load_events().words["labor_strike_words"])
    assert {"LEMMA": "strike", "_": {"subject_words": {"INTERSECTS": strikers}}} in patterns["attack/noun-3"].never
    assert patterns["protest/noun-4"].pattern[0]["_"]["subject_words"]["INTERSECTS"] == strikers
    assert "@" not in json.dumps([(p.pattern, p.unless, p.never) for p in patterns.values()])
    path = tmp_path / "triggers.jsonl"
    line = {"id": "x", "label": "statement", "confidence": 1,
            "pattern": [{"POS": "VERB", "_": {"trigger_lemmas": {"INTERSECTS": ["@no_such_words"]}}}]}
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(ValueError, match=r"triggers.jsonl:1: not a trigger pattern \(no word list 'no_such_words'"):
        read_patterns(path)


def test_trigger_patterns_propose_firm_and_tentative_candidates(extract):
    doc = extract("Iran test-fired two ballistic missiles. Apple launched a new phone.", date(2016, 3, 10))
    found = candidates(doc)
    assert found["test-fired"].label_ == "missile_test" and not found["test-fired"]._.tentative
    assert found["launched"].label_ == "missile_test" and found["launched"]._.tentative  # no weapon: left to the classifier
    assert [e.event_type for e in doc._.events] == ["missile_test"]


def test_arguments_are_read_for_passives_and_nominal_events(extract):
    doc = extract("Two American journalists were detained by North Korean soldiers. Iran's attack on the tanker drew protests.",
                  date(2009, 3, 20))
    found = candidates(doc)
    detention = found["detained"]._.arguments
    assert (detention.actor, detention.quantity) == ("North Korea", 2)
    attack = found["attack"]._.arguments
    assert attack.actor == "Iran"


@pytest.mark.parametrize("sentence, expected", [
    ("North Korea fired two missiles on Friday.", "asserted"),
    ("North Korea did not fire any missiles on Friday.", "denied"),
    ("North Korea's No. 1 missile unit fired two missiles on Friday.", "asserted"),  # 'No.' is 'number'
    ("North Korea did not fire the two missiles until Friday.", "asserted"),  # it fired then, no sooner
    ("North Korean crews with no radar cover fired two missiles on Friday.", "asserted"),  # the phrase's own 'no'
    ("Neither North Korea nor Iran fired missiles on Friday.", "denied"),
    ("North Korea plans to fire two missiles next week.", "hypothetical"),
    ("North Korea could fire two missiles next week.", "hypothetical"),
    ("North Korea reportedly fired two missiles on Friday.", "reported"),
    ("North Korea fired two missiles on Friday, South Korean officials said.", "reported"),
    ("North Korea's planned missile launch was postponed because of bad weather.", "denied"),
    # a participle beside the main act credits only its own complement
    ("North Korea fired two missiles on Friday, claiming the drills were a threat.", "asserted"),
    # a cause is a fact, not part of the plan it prompts
    ("Seoul will hold an emergency meeting in response to the missile launch on Friday.", "asserted"),
    ("North Korea fired two missiles, three per launcher, on Friday.", "asserted"),  # a rate, not a source
    # what a thing is capable of is no event, as what someone is able to do is none
    ("The Tarsk navy has a new ship capable of firing two missiles at once.", "hypothetical"),
    # an event told as no particular one, subject of a modal, is yet to come; a definite one is there already
    ("Any missile launch by North Korea will bring new sanctions.", "hypothetical"),
    ("The missile launch on Friday will bring new sanctions.", "asserted"),
    ("A missile launch may have prompted the alert on Friday.", "asserted"),  # a modal perfect looks back
])
def test_modality_from_cues_in_the_parse(extract, sentence, expected):
    doc = extract(sentence, date(2019, 8, 3))
    [span] = [s for s in doc.spans[CANDIDATES_KEY] if s.label_ == "missile_test"]
    assert span._.modality == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The minister said trade would top the agenda of next week's Tarsk summit.", "hypothetical"),
    ("Envoys arrived in Tarsk for tomorrow's summit.", "hypothetical"),
    ("The ministers met at Monday's summit in Tarsk.", "asserted"),
    ("The ministers met at this week's summit in Tarsk.", "asserted"),  # the week holds the story's day
])
def test_an_event_whose_time_lies_after_the_story_is_not_told_as_done(extract, sentence, expected):
    """Whatever the clause's cues, a summit dated wholly after the story's day (March 16) has not happened:
    the table never holds an asserted or reported event dated after publication."""
    doc = extract(sentence, date(2019, 3, 16))
    [meeting] = [s for s in doc.spans[CANDIDATES_KEY] if s.label_ == "meeting" and s.text in ("summit", "met")][:1]
    assert meeting._.modality == expected


@pytest.mark.parametrize("sentence, trigger, expected", [
    # a ranking infinitive happened as far as its own verb did
    ("John Vance became the first Dunmore president to visit Tarsk.", "visit", "asserted"),
    ("The last sitting Dunmore president to visit Tarsk was John Vance.", "visit", "asserted"),  # 'last' on 'sitting'
    ("John Vance will be the first Dunmore president to visit Tarsk.", "visit", "hypothetical"),
    ("Dunmore is looking for a president to visit Tarsk.", "visit", "hypothetical"),
    # what a plan, a wish or a modal would end, halt, stop or lift is under way: only its ending is yet to come
    ("Tarsk sent troops to Dunmore to halt the shelling of the port.", "shelling", "asserted"),
    ("The rebels would end their siege of Dunmore once talks began.", "siege", "asserted"),
    ("Vance urged both sides to stop the fighting in Dunmore.", "fighting", "asserted"),
    ("The rebels plan to begin the shelling of the port.", "shelling", "hypothetical"),  # what is to start
    # 'did X to protest Y': the act is the protest, made as it was done; a plan to protest is still a plan
    ("Farmers in Tarsk blocked the main road for a day to protest the new grain tax.", "protest", "asserted"),
    ("Hundreds of students gathered outside the court to protest the verdict.", "protest", "asserted"),
    ("Farmers in Tarsk plan to protest the new grain tax.", "protest", "hypothetical"),
    ("Farmers in Tarsk will block the road to protest the new grain tax.", "protest", "hypothetical"),
])
def test_what_an_infinitive_or_a_plan_leaves_done(extract, sentence, trigger, expected):
    doc = extract(sentence, date(2019, 3, 16))
    [span] = [s for s in doc.spans[CANDIDATES_KEY] if s.text == trigger]
    assert span._.modality == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The Dunmore council plans to blame hackers for a 2013 attack on its water works.", "asserted"),
    ("Tarsk wants compensation for last week's attack on its embassy.", "asserted"),
    ("The rebels plan an attack on Dunmore next week.", "hypothetical"),
    ("The rebels plan a major attack on Dunmore, the minister said on Monday.", "hypothetical"),
    ("The rebels considered a planned 2015 attack on Dunmore.", "hypothetical"),
])
def test_the_past_deed_a_plan_is_about_happened(extract, sentence, expected):
    """A word of plan makes its object yet to be done, but not a deed its own phrase dates before the story's day
    (March 16): the plan is about what happened then. A deed planned in itself stays planned, whatever its date."""
    doc = extract(sentence, date(2019, 3, 16))
    [attack] = [s for s in doc.spans[CANDIDATES_KEY] if s.label_ == "attack"]
    assert attack._.modality == expected


@pytest.mark.parametrize("sentence, expected, day", [
    ("The Dunmore clerk risks a decade behind bars once a judge sentences him in May.", "hypothetical", date(2019, 5, 1)),
    ("The Dunmore clerk flies home after his uncle is sentenced in May.", "hypothetical", date(2019, 5, 1)),
    ("Tarsk courts hear an appeal whenever a clerk is sentenced.", "hypothetical", date(2019, 3, 16)),
    ("The Dunmore clerk wept when a judge sentenced him in May.", "asserted", date(2018, 5, 1)),
])
def test_the_simple_present_of_a_time_clause_is_yet_to_come(extract, sentence, expected, day):
    """News tells what is to come after a 'when', 'once' or 'after' in the simple present, passive too: not an
    occurrence that has happened, and a month it names lies ahead of the story (March 16)."""
    doc = extract(sentence, date(2019, 3, 16))
    [span] = [s for s in doc.spans[CANDIDATES_KEY] if s.text in ("sentenced", "sentences")]
    assert (span._.modality, span._.date.value.start) == (expected, day)


def test_the_day_of_what_is_yet_to_happen_dates_nothing_that_happened(extract):
    """An undated deed takes the day of the same occasion told just before, unless that day is of what has not
    happened yet: then it is same-day news."""
    doc = extract("The Dunmore clerk flies home after his uncle is sentenced in May. Border guards detained him "
                  "on the bridge.", date(2019, 3, 16))
    found = candidates(doc)
    assert found["sentenced"]._.modality == "hypothetical"
    assert (found["detained"]._.modality, found["detained"]._.date.source) == ("asserted", "story_date")
    doc = extract("Border guards arrested the Dunmore clerk on Tuesday. They detained him on the bridge.", date(2019, 3, 16))
    assert candidates(doc)["detained"]._.date.value.start == date(2019, 3, 12)


def test_event_dates_are_a_stage_of_their_own(extract):
    doc = extract("North Korea fired two missiles on Friday.", date(2019, 8, 3))
    [span] = [s for s in doc.spans[CANDIDATES_KEY] if s.label_ == "missile_test"]
    assert (span._.date.value.start, span._.date.text, span._.date.source) == (date(2019, 8, 2), "Friday", "expression")


def test_an_attribution_is_no_statement_of_its_own(extract):
    doc = extract("The South Korean military said the projectile was fired from a launcher near Wonsan.", date(2019, 8, 3))
    assert "statement" not in [e.event_type for e in doc._.events]


def test_a_processed_doc_copies_as_training_copies_it(extract):
    """spaCy's training loop copies every example's doc (`Doc.copy`, a deep copy of `user_data`): what the stages keep
    with a doc must copy, and the copy must read its own sentences, not the original's."""
    doc = extract("North Korea fired two missiles on Friday. Seoul said it was watching.", date(2019, 8, 3))
    copied = doc.copy()
    assert [span.doc is copied for span in sentences(copied).spans] == [True, True]
    assert [span.text for span in sentences(copied).spans] == [span.text for span in sentences(doc).spans]


def test_the_components_save_and_load_with_their_data(tmp_path, rules_nlp):
    rules_nlp.to_disk(tmp_path / "pipeline")
    for name in ("news_triggers", "news_arguments", "news_event_merge"):
        assert any((tmp_path / "pipeline" / name).iterdir())
    loaded = spacy.load(tmp_path / "pipeline")
    text = "Iran test-fired two ballistic missiles on Tuesday."
    first, second = rules_nlp.make_doc(text), loaded.make_doc(text)
    for doc in (first, second):
        doc._.published = date(2016, 3, 10)
    first, second = rules_nlp(first), loaded(second)
    assert [(e.event_type, e.actor, e.event_date) for e in first._.events] == [(e.event_type, e.actor, e.event_date) for e in second._.events]


def test_a_saved_pipeline_carries_what_its_classifier_decides_by(tmp_path, nlp):
    """`to_disk` saves the trained selection and calibration with their components and writes no path of this machine
    into the config, so the saved pipeline loads where the repository is not, and decides by what was saved."""
    saved = tmp_path / "pipeline"
    nlp.to_disk(saved)
    assert str(MODELS_DIR) not in (saved / "config.cfg").read_text(encoding="utf-8")
    selection = json.loads((saved / "news_events" / "selection.json").read_text(encoding="utf-8"))
    assert selection == nlp.get_pipe("news_events").selection.to_dict() and selection["mode"] != "rules"
    text = "Pakistan test-launched a cruise missile on Tuesday. India accused Islamabad of stoking tension along the border."
    runs = []
    for pipeline in (nlp, spacy.load(saved)):
        doc = pipeline.make_doc(text)
        doc._.published = date(2016, 3, 10)
        runs.append([(e.event_type, e.event_date, e.confidence) for e in pipeline(doc)._.events])
    assert runs[0] == runs[1] and len(runs[0]) == 2
    (saved / "news_events" / "selection.json").write_text(json.dumps({**selection, "mode": "rules"}), encoding="utf-8")
    assert spacy.load(saved).get_pipe("news_events").selection.mode == "rules"


def test_no_long_functions_or_classes_in_the_pipeline():
    """A newcomer reads the code as a map: no function over 60 lines, no class over 250."""
    too_long = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            limit = 250 if isinstance(node, ast.ClassDef) else 60 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
            if limit and node.end_lineno - node.lineno + 1 > limit:
                too_long.append(f"{path.name}:{node.lineno} {node.name}")
    assert not too_long


def test_each_component_scores_against_a_reference(extract, rules_nlp):
    from spacy.training import Example

    text = "North Korea fired two missiles on Friday. Seoul and Tokyo held talks with Washington on Monday."
    predicted, reference = extract(text, date(2019, 8, 3)), extract(text, date(2019, 8, 3))
    examples = [Example(predicted, reference)]
    pipes = dict(rules_nlp.pipeline)
    assert pipes["news_triggers"].score(examples)["spans_event_candidates_f"] == 1.0
    assert pipes["news_arguments"].score(examples)["arguments_actor_acc"] == 1.0
    assert pipes["news_modality"].score(examples)["modality_acc"] == 1.0
    assert pipes["news_event_dates"].score(examples)["event_dates_acc"] == 1.0
    assert pipes["news_events"].score(examples)["spans_events_f"] == 1.0
    merged = pipes["news_event_merge"].score(examples)
    assert (merged["events_f"], merged["events_rows_per_event"]) == (1.0, 1.0)
    reference._.events = reference._.events[:1]  # a reference that knows only the launch
    assert pipes["news_event_merge"].score([Example(predicted, reference)])["events_p"] == 0.5
