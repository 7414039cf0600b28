"""English and Russian text analyzer for full-text search: Snowball stemmers through PyStemmer.

Plain Python (no Django), used for documents and queries alike, like :mod:`search.kazakh`,
and it gives the same tokens (:class:`search.kazakh.Token`). For each word:

1. a word is a run of letters and digits (combining marks and invisible characters such as
   soft hyphens continue it); an apostrophe between letters (straight or curly) joins
   "Kazakhstan’s" and "O’Brien" into one word; hyphens and other punctuation split;
2. Unicode NFC, curly apostrophes to ``'``, lower case, leftover combining marks (Russian
   stress accents) and invisible characters removed; in Russian, ё is е and Latin
   look-alike letters inside a Cyrillic word are the Cyrillic letters they imitate;
3. stopwords (:mod:`search.snowball_stopwords`) get the empty key but keep their position,
   so phrases keep their gaps; words with a digit are kept whole;
4. everything else is stemmed by the language's Snowball stemmer ("tortured" → "tortur",
   "журналистов" → "журналист").

Bump :data:`ANALYZER_VERSION` whenever a change alters any key; the PyStemmer version is
part of it, since a new Snowball release may stem differently.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

from search.kazakh import Token
from search.snowball_stopwords import STOPWORDS

ANALYZER_VERSION = f"1/{Stemmer.version()}"

# Report language → Snowball algorithm.
ALGORITHMS = {"en": "english", "ru": "russian"}

__all__ = ["ALGORITHMS", "ANALYZER_VERSION", "analyze", "keyed_spans"]

_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_PART = rf"[^\W_](?:[^\W_]|[\u0300-\u036f{_INVISIBLE}])*"
_APOSTROPHES = "'\u2019\u02bc\u2018"
_WORD = re.compile(rf"{_PART}(?:[{_APOSTROPHES}]{_PART})*")
_DROP = frozenset(_INVISIBLE)
_TO_APOSTROPHE = str.maketrans(dict.fromkeys(_APOSTROPHES[1:], "'"))
# Latin letters that look like Cyrillic ones, as PDF text and typing slips mix them in.
_LOOKALIKE = str.maketrans("AaBCcEeHKkMOoPpTXxy", "АаВСсЕеНКкМОоРрТХху")

_stemmers = threading.local()


def _stemmer(language: str) -> Stemmer.Stemmer:
    # PyStemmer's stemmers are not thread-safe: one per thread and language.
    stemmers = _stemmers.__dict__.setdefault("by_language", {})
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(ALGORITHMS[language])
    return stemmers[language]


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _normalize(word: str, language: str) -> str:
    word = unicodedata.normalize("NFC", word).translate(_TO_APOSTROPHE)
    if language == "ru" and any(_is_cyrillic(ch) for ch in word):
        word = word.translate(_LOOKALIKE)
    word = unicodedata.normalize("NFC", word.lower())
    word = "".join(ch for ch in word if ch not in _DROP and not unicodedata.combining(ch))
    return word.replace("ё", "е") if language == "ru" else word


@lru_cache(maxsize=65536)
def _word_key(word: str, language: str) -> str:
    normalized = _normalize(word, language)
    if not normalized or normalized in STOPWORDS[language]:
        return ""
    if any(ch.isdigit() for ch in normalized):
        return normalized
    return _stemmer(language).stemWord(normalized)


def analyze(text: str, language: str) -> list[Token]:
    """Split ``text`` (in language ``en`` or ``ru``) into word tokens with offsets.

    ``start``/``end`` index the original string; ``position`` counts every word, stopwords
    included (their key is ``""``); ``key`` is the Snowball stem of the normalised word.
    """
    return [
        Token(text[start:end], start, end, position, key)
        for position, (start, end, key) in enumerate(keyed_spans(text, language))
    ]


def keyed_spans(text: str, language: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) of each word of ``text``, as `analyze` gives them, without tokens."""
    if language not in ALGORITHMS:
        raise ValueError(f"no Snowball stemmer for language {language!r}")
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), _word_key(match.group(), language)
