"""Stage 1a: find the input files and turn their bytes into clean text.

Whatever is on a user's disk comes through here: folders (read recursively), files of any
encoding, HTML pages, binaries, files that vanish or cannot be read. Each problem becomes one
`Problem` naming the file, and the file is skipped or repaired; nothing here raises on bad input.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import import_module
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes
from charset_normalizer.utils import is_multi_byte_encoding

from .records import Problem
from .resources import MODELS_DIR

ProblemHandler = Callable[[Problem], None]

# Suffix -> how the file is read.
INPUT_KINDS = {".txt": "text", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
_JSONL_SUFFIXES = {suffix for suffix, kind in INPUT_KINDS.items() if kind == "jsonl"}

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# Characters that carry no text: zero-width spaces and joiners, word joiner, stray byte-order marks, soft hyphens.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Control characters other than tab and newline stand in for a space (form feeds, NULs, C1 controls).
_CONTROLS = {code: " " for code in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]}
_LINE_SEPARATORS = {0x2028: "\n", 0x2029: "\n\n"}
_CLEAN = str.maketrans({**_CONTROLS, **_INVISIBLE, **_LINE_SEPARATORS})
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad\u2028\u2029]")
_LOOKS_LIKE_HTML = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
# Elements whose text is page furniture, not the article.
_BOILERPLATE = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg",
                "iframe", "button"]
_BLOCKS = ["h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre"]
_PUBLISHED_META = [("property", "article:published_time"), ("name", "article:published_time"), ("name", "date"),
                   ("name", "pubdate"), ("name", "publishdate"), ("name", "dc.date"), ("itemprop", "datePublished")]


@dataclass
class SourceText:
    """A file's text, decoded and cleaned, with what reading it found out. A JSONL file of plain UTF-8 is not held
    whole (`text` None): its lines are read from the file as its stories are extracted."""

    path: Path
    kind: str  # text | jsonl | html
    text: str | None
    digest: str  # SHA-256 of the file's bytes: the same content under any name is the same input

    def lines(self) -> Iterator[tuple[int, str, bool]]:
        """The lines with text, as `text.split("\n")` numbers them (line ends normalized), each with whether the file
        looks cut off there: the last line with text, and no line end after the text."""
        lines = _lines(self.text) if self.text is not None else _file_lines(self.path, self.digest)
        held: tuple[int, str] | None = None  # a line with text, given once the next one comes, or the end
        line = ""
        for number, line in enumerate(lines, start=1):
            if line.strip():
                if held is not None:
                    yield (*held, False)
                held = (number, line)
        if held is not None:
            yield (*held, line != "")  # the text ends without a line end when its last piece is not empty


@dataclass
class HtmlArticle:
    headline: str | None
    published: date | None
    caption: str | None
    paragraphs: list[str]


def iter_input_files(inputs: Iterable[str | Path], report: ProblemHandler) -> Iterator[Path]:
    """Expand files and folders (recursively, in a stable order) into input files, each once; report everything else."""
    seen: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = False
            for child in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in child.relative_to(path).parts) or not child.is_file():
                    continue  # hidden files and folders (.git, .DS_Store) are not news
                found = True
                yield from _input_file(child, seen, report)
            if not found:
                report(Problem(str(path), 0, "missing", "empty folder; skipped"))
        elif path.is_file():
            yield from _input_file(path, seen, report)
        else:
            report(Problem(str(path), 0, "missing", "no such file or folder; skipped"))


def _input_file(path: Path, seen: set[Path], report: ProblemHandler) -> Iterator[Path]:
    if path.suffix.lower() not in INPUT_KINDS:
        report(Problem(str(path), 0, "unsupported", f"not a {_suffix_list()} file; skipped"))
        return
    resolved = path.resolve()
    if resolved in seen:
        report(Problem(str(path), 0, "duplicate", "given more than once; read once", severity="warning"))
        return
    seen.add(resolved)
    yield path


def _suffix_list() -> str:
    return ", ".join(INPUT_KINDS)


def _lines(text: str) -> Iterator[str]:
    """`text.split("\n")`, one line at a time."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def _file_lines(path: Path, digest: str) -> Iterator[str]:
    """The lines of a UTF-8 file as `_lines(normalize_line_ends(text))` gives them, read a line at a time. A file
    whose content is no longer that of `digest` raises ValueError once read."""
    check = hashlib.sha256()
    with path.open("rb") as handle:
        line = ""
        for raw in handle:
            check.update(raw)
            line = normalize_line_ends(raw.decode("utf-8"))
            yield from _lines(line[:-1] if line.endswith("\n") else line)
        if line.endswith("\n"):
            yield ""
    if check.hexdigest() != digest:
        raise ValueError("the file changed while it was read")


# A plain UTF-8 JSONL file is read a megabyte at a time for its digest, and then line by line as its stories are
# extracted: held whole, its text (17 MB for 4,331 Reuters stories) was memory that grew with the input.
_CHUNK_BYTES = 1 << 20


def _streamable_jsonl(path: Path) -> str | None:
    """The digest of a JSONL file that is plain UTF-8 text, readable a line at a time; None for any other (read
    whole, where `decode` reports what is wrong with it)."""
    digest, decoder = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")()
    sample, has_text = "", False
    with path.open("rb") as handle:
        chunk = handle.read(_CHUNK_BYTES)
        if any(chunk.startswith(bom) for bom, _ in _BOMS):
            return None
        try:
            while chunk:
                digest.update(chunk)
                text = decoder.decode(chunk)
                sample += text[:65536 - len(sample)]
                has_text = has_text or bool(text.strip())
                chunk = handle.read(_CHUNK_BYTES)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return digest.hexdigest() if has_text and not _is_binary(sample) else None


def read_source(path: Path, report: ProblemHandler) -> SourceText | None:
    """The file's text, decoded and cleaned; None (reported) when there is no text to read."""
    if path.suffix.lower() in _JSONL_SUFFIXES:
        try:
            digest = _streamable_jsonl(path)
        except OSError:
            digest = None  # read whole below, which reports why it cannot be
        if digest is not None:
            return SourceText(path, "jsonl", None, digest)
    try:
        raw = path.read_bytes()
    except OSError as err:
        report(Problem(str(path), 0, "unreadable", f"cannot read: {err.strerror or err}; skipped"))
        return None
    text = decode(raw, str(path), report)
    if text is None:
        return None
    if not text.strip():
        report(Problem(str(path), 0, "empty", "empty file (no text); skipped"))
        return None
    kind = INPUT_KINDS[path.suffix.lower()]
    if kind == "text" and _LOOKS_LIKE_HTML.match(text):
        kind = "html"
    # JSONL is cleaned field by field, once parsed: a line separator inside a JSON string is no line end.
    text = normalize_line_ends(text) if kind == "jsonl" else clean_text(text, str(path), report)
    return SourceText(path, kind, text, hashlib.sha256(raw).hexdigest())


def decode(raw: bytes, path: str, report: ProblemHandler) -> str | None:
    """Bytes to text: a byte-order mark decides, then UTF-8, then charset-normalizer's best guess (with a warning)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as err:
                report(Problem(str(path), 0, "encoding", f"starts with a {encoding} byte-order mark but is not {encoding} "
                                                         f"({err.reason} at byte {err.start}); skipped"))
                return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if _is_binary(text):
            report(Problem(path, 0, "binary", "binary data, not text; skipped"))
            return None
        return text
    if b"\x00" in raw:
        report(Problem(path, 0, "binary", "binary data, not text; skipped"))
        return None
    best = from_bytes(raw).best()
    if best is None or _is_binary(str(best)):
        report(Problem(path, 0, "binary", "not text in any encoding charset-normalizer knows; skipped"))
        return None
    encoding, text = best.encoding, str(best)
    if not is_multi_byte_encoding(encoding):
        # Single-byte code pages read short texts alike; English news exports are Windows-1252 (Latin-1's superset).
        try:
            encoding, text = "cp1252", raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    report(Problem(path, 0, "encoding", f"not UTF-8: decoded as {encoding}", severity="warning"))
    return text


def _is_binary(text: str) -> bool:
    """Text where control characters are common is a binary file read as text."""
    sample = text[:65536]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\r\f")
    return controls > max(8, len(sample) // 100)


def normalize_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str, path: str, report: ProblemHandler, line: int = 0) -> str:
    """Line ends normalized to \\n; control characters replaced by spaces; zero-width characters removed (reported)."""
    text = normalize_line_ends(text)
    found = len(_NEEDS_CLEANING.findall(text))
    if found:
        report(Problem(path, line, "characters", f"{found} control or zero-width character(s) removed or replaced by spaces",
                       severity="warning"))
        text = text.translate(_CLEAN)
    return text


def html_article(markup: str) -> HtmlArticle:
    """The article in an HTML page: its headline, its publication date, its paragraphs; no markup."""
    soup = BeautifulSoup(markup, "html.parser")
    headline = _meta(soup, ("property", "og:title")) or _first_text(soup, "h1") or _first_text(soup, "title")
    published = None
    for attribute, name in _PUBLISHED_META:
        published = published or _iso_date(_meta(soup, (attribute, name)))
    time = soup.find("time", attrs={"datetime": True})
    published = published or (_iso_date(time["datetime"]) if time else None)
    for element in soup(_BOILERPLATE):
        element.decompose()
    caption = _first_text(soup, "figcaption")
    for figure in soup(["figure", "figcaption"]):
        figure.decompose()
    container = soup.find("article") or soup.find("main") or soup.body or soup
    paragraphs = []
    for block in container.find_all(_BLOCKS):
        if block.find_parent(_BLOCKS) is None:
            text = " ".join(block.get_text(" ").split())
            if text:
                paragraphs.append(text)
    if not paragraphs:
        paragraphs = [" ".join(line.split()) for line in container.get_text("\n").split("\n") if line.strip()]
    if paragraphs and headline and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    return HtmlArticle(headline, published, caption, paragraphs)


def _meta(soup: BeautifulSoup, key: tuple[str, str]) -> str | None:
    tag = soup.find("meta", attrs={key[0]: re.compile(rf"^{re.escape(key[1])}$", re.IGNORECASE)})
    content = tag.get("content") if tag else None
    return " ".join(content.split()) or None if isinstance(content, str) else None


def _first_text(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find(name)
    return " ".join(tag.get_text(" ").split()) or None if tag else None


def _iso_date(value: str | None) -> date | None:
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value or "")
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


# -- language ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def segmentation_settings() -> dict:
    return json.loads((MODELS_DIR / "segmentation.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _function_words() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """English function words, and each other language's function words that English does not share (spaCy's lists)."""
    english = _stop_words("en")
    return english, {code: _stop_words(code) - english for code in segmentation_settings()["other_languages"]}


def _stop_words(code: str) -> frozenset[str]:
    """spaCy's stop-word list of a language, read from its file alone: importing `spacy.lang.fr` would compile the
    whole French tokenizer's exceptions first, seconds of every run's start for a list of words."""
    languages = Path(import_module("spacy.lang").__path__[0])
    spec = spec_from_file_location(f"newsevents_stop_words_{code}", languages / code / "stop_words.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


_WORD = re.compile(r"[^\W\d_]+")
_LATIN_LETTERS = re.compile(r"[A-Za-z\u00C0-\u024F]")


def foreign_language(text: str) -> str | None:
    """Why a text is not English ("mostly Spanish function words", "not in the Latin alphabet"), or None.

    Function words decide: another language's own function words outnumber English ones. Texts too short
    to tell, and tables of figures (which have few function words of any language), count as English.
    """
    settings = segmentation_settings()
    words = _WORD.findall(text.lower())
    if len(words) < settings["min_words_for_language"]:
        return None
    letters = sum(len(word) for word in words)
    if len(_LATIN_LETTERS.findall(text)) < letters / 2:
        return "most of its letters are not in the Latin alphabet"
    english, others = _function_words()
    english_share = sum(word in english for word in words) / len(words)
    share, code = max((sum(word in vocabulary for word in words) / len(words), code) for code, vocabulary in others.items())
    if share >= settings["min_foreign_share"] and share > english_share:
        return f"{share:.0%} of its words are function words of language '{code}', {english_share:.0%} of English"
    return None
