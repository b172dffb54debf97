"""The English model's two rule-based pipes, answered once per distinct token rather than token by token.

What they set is a function of a few attributes of each token, so each distinct combination is worked out once, by
the pipe itself, and set on every token that has it with one `Doc.from_array`. The same attributes come out;
`tests/test_model_pipes.py` checks them token by token on real news against the model's own pipes.

The model's `attribute_ruler` maps fine-grained tags to parts of speech and morphology and fixes lemma exceptions,
with 179 Matcher patterns tried at every token: a tenth of the model's time, as much as all our components. Almost
all its patterns look at one token only, and at only a few of its attributes (TAG, LOWER, DEP, IS_SPACE), so what
they set is a function of those values: `cached_attribute_ruler` works it out with the ruler's own matcher the first
time a combination of values is seen, keeps it, and sets it on every token with the same values at once
(`Doc.from_array`). The few patterns over several tokens run as they are, in the same order of precedence (a later
pattern wins).

The model's `lemmatizer` (rule mode) lemmatizes each token in Python; its lemma is a function of the token's text,
part of speech and morphology (its own cache is keyed by them), so `cached_lemmatizer` asks it once per distinct
triple and sets the lemmas of a whole document at once.

Both keep working across spaCy's memory zones (`extraction.py` runs batches in them): what they keep names no string
a zone may free (a lemma is kept as text, not as the hash of a string), and as a zone begins they forget the words
whose strings the last one freed, so their caches keep to the words the vocabulary keeps instead of growing with the
input.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import numpy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

def use_cached_pipes(nlp: Language) -> None:
    """The model's attribute ruler and lemmatizer replaced by their cached equivalents, where they are spaCy's own.
    The cached pipes save what they took over with the pipeline (`to_disk`), so a saved pipeline loads without them."""
    if isinstance(nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None, AttributeRuler):
        nlp.add_pipe("cached_attribute_ruler", before="attribute_ruler", config={"source": "attribute_ruler"})
        nlp.remove_pipe("attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    if isinstance(lemmatizer, Lemmatizer):
        nlp.add_pipe("cached_lemmatizer", before="lemmatizer", config={"source": "lemmatizer", "mode": lemmatizer.mode})
        nlp.remove_pipe("lemmatizer")


# What the cache can set for many tokens at once; a pattern that sets anything else (DEP on stray whitespace) is
# applied token by token.
ARRAY_ATTRS = (TAG, POS, MORPH, LEMMA)


@Language.factory("cached_attribute_ruler", default_config={"source": "attribute_ruler"})
def make_cached_attribute_ruler(nlp: Language, name: str, source: str) -> "CachedAttributeRuler":
    """Takes over the patterns of the pipeline's attribute ruler `source`, which can then be removed; where there is
    none (a saved pipeline being loaded), `from_disk` reads the patterns."""
    ruler = nlp.get_pipe(source) if source in nlp.component_names else AttributeRuler(nlp.vocab)
    return CachedAttributeRuler(ruler, name)


class CachedAttributeRuler:
    def __init__(self, ruler: AttributeRuler, name: str = "cached_attribute_ruler"):
        self.name = name
        self.ruler = ruler
        self._index()

    def to_disk(self, path, *, exclude=()) -> None:
        self.ruler.to_disk(path, exclude=exclude)

    def from_disk(self, path, *, exclude=()) -> "CachedAttributeRuler":
        self.ruler.from_disk(path, exclude=exclude)
        self._index()
        return self

    def _index(self) -> None:
        ruler = self.ruler
        self.single = Matcher(ruler.vocab)
        self.multi = Matcher(ruler.vocab)
        conditions: list[dict] = []
        for number, entry in enumerate(ruler.patterns):
            single = all(len(pattern) == 1 for pattern in entry["patterns"])
            (self.single if single else self.multi).add(str(number), entry["patterns"])
            conditions += [pattern[0] for pattern in entry["patterns"]] if single else []
        self.key_attrs = [IDS[key] for key in sorted({key for condition in conditions for key in condition})]
        self.words = _LowerForms(ruler.vocab, [condition["LOWER"] for condition in conditions if "LOWER" in condition])
        self.cache: dict[tuple, tuple[int, ...]] = {}  # values of key_attrs -> numbers of the patterns that match
        self.merges: dict[tuple[int, ...], dict] = {}  # those numbers -> what they set, later patterns winning

    @contextmanager
    def memory_zone(self, mem=None) -> Iterator[None]:
        """Called by `Language.memory_zone` as a zone begins: the forms tried on the patterns' expressions (one per
        distinct word) whose strings the last zone freed are forgotten. The rest of the cache holds only forms the
        patterns name or match."""
        self.words.forget_freed()
        yield

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = doc.to_array(self.key_attrs).reshape(len(doc), -1)
        if IDS["LOWER"] in self.key_attrs:
            column = self.key_attrs.index(IDS["LOWER"])
            keys[:, column] = self.words.named(keys[:, column])
        keys, first, inverse = numpy.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        matched = [self._single_matches(doc, tuple(key), int(at)) for key, at in zip(keys, first)]
        merged = [self._merged(numbers) for numbers in matched]
        by_token = self._multi_matches(doc)
        slow = set(by_token) | set(numpy.flatnonzero(numpy.array(  # what arrays cannot set (DEP of stray spaces)
            [bool(set(attrs) - set(ARRAY_ATTRS)) for attrs in merged])[inverse]).tolist())
        values = doc.to_array(ARRAY_ATTRS)
        for column, attr in enumerate(ARRAY_ATTRS):
            sets = numpy.array([attr in attrs for attrs in merged])[inverse]
            new = numpy.array([attrs.get(attr, 0) for attrs in merged], dtype=values.dtype)[inverse]
            values[:, column] = numpy.where(sets, new, values[:, column])
        doc.from_array(ARRAY_ATTRS, values)
        for i in sorted(slow):  # matched by a pattern over several tokens, or setting what arrays cannot
            for number in sorted(matched[inverse[i]] + tuple(by_token.get(i, ()))):
                set_token_attrs(doc[i], self.ruler.attrs[number])
        return doc

    def _single_matches(self, doc: Doc, key: tuple, at: int) -> tuple[int, ...]:
        if key not in self.cache:
            found = self.single(doc[at:at + 1], allow_missing=True)
            self.cache[key] = tuple(sorted(int(self.ruler.vocab.strings[match_id]) for match_id, _, _ in found))
        return self.cache[key]

    def _multi_matches(self, doc: Doc) -> dict[int, list[int]]:
        by_token: dict[int, list[int]] = {}
        for match_id, start, end in self.multi(doc, allow_missing=True):
            number = int(self.ruler.vocab.strings[match_id])
            by_token.setdefault(doc[start:end][self.ruler.indices[number]].i, []).append(number)
        return by_token

    def _merged(self, numbers: tuple[int, ...]) -> dict:
        if numbers not in self.merges:
            self.merges[numbers] = {key: value for number in numbers for key, value in self.ruler.attrs[number].items()}
        return self.merges[numbers]


class _LowerForms:
    """The lower-case forms single-token patterns name (`{"LOWER": "was"}`, `{"LOWER": {"IN": [...]}}`) or match
    (`{"LOWER": {"REGEX": ...}}`): any other form matches none of them, so all others can share one cache key (0)
    and the cache holds a few thousand keys, not one per word of the language."""

    def __init__(self, vocab, conditions: list):
        self.vocab = vocab
        names: set[str] = set()
        self.patterns: list[re.Pattern] = []
        for condition in conditions:
            if isinstance(condition, str):
                names.add(condition)
            elif set(condition) <= {"IN", "REGEX"}:
                names.update(condition.get("IN", []))
                self.patterns += [re.compile(condition["REGEX"])] if "REGEX" in condition else []
            else:  # an operator whose words cannot be listed: every form keeps its own key
                self.patterns.append(re.compile(""))
        self.hashes = numpy.array(sorted(vocab.strings.add(name) for name in names), dtype="uint64")
        self.matching: dict[int, bool] = {}  # forms the patterns' expressions were tried on

    def named(self, lowers: numpy.ndarray) -> numpy.ndarray:
        """The forms, with those no pattern names or matches replaced by 0."""
        kept = numpy.isin(lowers, self.hashes)
        others = numpy.unique(lowers[~kept])
        matching = others[[self._matches(int(form)) for form in others]] if len(others) else others
        return numpy.where(kept | numpy.isin(lowers, matching), lowers, 0)

    def forget_freed(self) -> None:
        self.matching = {form: found for form, found in self.matching.items() if form in self.vocab.strings}

    def _matches(self, form: int) -> bool:
        if form not in self.matching:
            text = self.vocab.strings[form]
            self.matching[form] = any(pattern.search(text) for pattern in self.patterns)
        return self.matching[form]


@Language.factory("cached_lemmatizer", default_config={"source": "lemmatizer", "mode": "rule"})
def make_cached_lemmatizer(nlp: Language, name: str, source: str, mode: str) -> "CachedLemmatizer":
    """Takes over the pipeline's lemmatizer `source` (spaCy's rule or lookup lemmatizer), which can then be removed;
    where there is none (a saved pipeline being loaded), a lemmatizer of `mode` whose tables `from_disk` reads."""
    if source in nlp.component_names:
        return CachedLemmatizer(nlp.get_pipe(source), name)
    return CachedLemmatizer(nlp.create_pipe("lemmatizer", name=source, config={"mode": mode}), name)


class CachedLemmatizer:
    def __init__(self, lemmatizer: Lemmatizer, name: str = "cached_lemmatizer"):
        self.name = name
        self.lemmatizer = lemmatizer
        self.lemmas: dict[tuple, str] = {}  # (ORTH, POS, MORPH) -> the lemma
        _index_as_sets(lemmatizer)

    def to_disk(self, path, *, exclude=()) -> None:
        self.lemmatizer.to_disk(path, exclude=exclude)

    def from_disk(self, path, *, exclude=()) -> "CachedLemmatizer":
        self.lemmatizer.from_disk(path, exclude=exclude)
        _index_as_sets(self.lemmatizer)
        self.lemmas.clear()
        return self

    @contextmanager
    def memory_zone(self, mem=None) -> Iterator[None]:
        """Called by `Language.memory_zone` as a zone begins: the lemmas of words whose strings the last zone freed
        are forgotten, so that the cache does not grow with the input. The model's lemmatizer (which spaCy, no longer
        finding it in the pipeline, does not tell of zones) is asked only what this cache lacks: its own cache, by
        word and part of speech, serves a zone's words in other morphologies and is emptied (kept to the words the
        vocabulary keeps, it still grew by a megabyte every 400 stories)."""
        strings = self.lemmatizer.vocab.strings
        self.lemmas = {key: lemma for key, lemma in self.lemmas.items() if key[0] in strings}
        self.lemmatizer.cache = {}
        yield

    def __call__(self, doc: Doc) -> Doc:
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        todo = numpy.flatnonzero(values[:, 3] == 0) if not self.lemmatizer.overwrite else numpy.arange(len(doc))
        if not len(todo):
            return doc
        keys, first, inverse = numpy.unique(values[todo, :3], axis=0, return_index=True, return_inverse=True)
        # The lemma's string is added to each document's vocabulary again: a zone may have freed it.
        add = doc.vocab.strings.add
        lemmas = numpy.array([add(self._lemma(doc, tuple(key), int(todo[at]))) for key, at in zip(keys, first)],
                             dtype=values.dtype)
        values[todo, 3] = lemmas[inverse.ravel()]
        doc.from_array([LEMMA], values[:, 3:])
        return doc

    def _lemma(self, doc: Doc, key: tuple, at: int) -> str:
        if key not in self.lemmas:
            self.lemmas[key] = self.lemmatizer.lemmatize(doc[at])[0]
        return self.lemmas[key]


class _WordIndex(list):
    """The words of a part of speech in the lemmatizer's `lemma_index` table: the list the table holds (and saves),
    whose membership is tested in a set. The rule lemmatizer tests each form its suffix rules make against the list
    (57,528 nouns, 20,993 verbs): a lemma took about a millisecond, and a new word comes to the cache with every batch
    (a memory zone frees the rare ones)."""

    def __init__(self, words: list[str]):
        super().__init__(words)
        self.members = frozenset(words)

    def __contains__(self, word: object) -> bool:
        return word in self.members


def _index_as_sets(lemmatizer: Lemmatizer) -> None:
    if lemmatizer.lookups.has_table("lemma_index"):
        table = lemmatizer.lookups.get_table("lemma_index")
        for key, words in list(table.items()):
            table[key] = _WordIndex(words)
