"""The cached attribute ruler and lemmatizer set what the model's own pipes set, token by token, on real news."""
import json

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from pipeline.extraction import DEFAULT_MODEL
from pipeline.model_pipes import use_cached_pipes

from conftest import shared_path

# What the model's multi-token patterns and exceptions are for: contractions, colloquial spellings, stray spaces.
ODD_ENGLISH = ("I ain't gonna say it, y'all: let's go. There is nothin' in 'em we'll c'mon about, he said. It does. "
               "Those were the days.  \n\n  Somethin' ol' gotta give, and I do.")


@pytest.fixture(scope="module")
def pipelines():
    ours = spacy.load(DEFAULT_MODEL, exclude=["ner"])
    use_cached_pipes(ours)
    return ours, spacy.load(DEFAULT_MODEL, exclude=["ner"])


def test_the_same_attributes_as_the_models_attribute_ruler_and_lemmatizer(pipelines):
    texts = [ODD_ENGLISH]
    for corpus in ("reuters2016", "voa", "reuters21578"):
        lines = shared_path("corpora", f"{corpus}.jsonl").read_text(encoding="utf-8").splitlines()[:15]
        texts += [json.loads(line)["text"] for line in lines]
    ours, theirs = pipelines
    for cached, model in zip(ours.pipe(texts), theirs.pipe(texts)):
        for attr in (TAG, POS, MORPH, LEMMA, DEP, HEAD):
            assert numpy.array_equal(cached.to_array([attr]), model.to_array([attr])), (attr, cached.text[:80])
    assert ours.pipe_names == ["tok2vec", "tagger", "parser", "cached_attribute_ruler", "cached_lemmatizer"]
    assert ours.get_pipe("cached_attribute_ruler").cache and ours.get_pipe("cached_lemmatizer").lemmas


def test_an_empty_text_passes(pipelines):
    assert len(pipelines[0]("")) == 0


def test_the_same_lemmas_in_memory_zones_after_the_words_of_earlier_zones_are_freed(pipelines):
    """Each zone frees the strings of the words it added: a lemma cached in one zone must still be right in the next,
    where the same words come back (rare words, whose lemmas are not among the model's own strings); and as a zone
    begins, the caches forget the words freed."""
    lines = shared_path("corpora", "reuters2016.jsonl").read_text(encoding="utf-8").splitlines()[100:120]
    texts = [json.loads(line)["text"] for line in lines]
    ours, theirs = pipelines
    for zone_texts in (texts[:10], texts, texts[5:]):
        with ours.memory_zone():
            cached = [[(token.lemma_, token.pos_, token.tag_, str(token.morph)) for token in doc]
                      for doc in ours.pipe(zone_texts)]
        model = [[(token.lemma_, token.pos_, token.tag_, str(token.morph)) for token in doc]
                 for doc in theirs.pipe(zone_texts)]
        assert cached == model
    with ours.memory_zone():
        assert all(key[0] in ours.vocab.strings for key in ours.get_pipe("cached_lemmatizer").lemmas)
        assert all(form in ours.vocab.strings for form in ours.get_pipe("cached_attribute_ruler").words.matching)
