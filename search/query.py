"""The search box's query language, turned into a PostgreSQL tsquery literal.

Syntax, as in web search engines:

- words: every word must appear (in any inflected form);
- ``"exact phrase"``: the words in this order, with the same gaps (stopwords included);
- ``OR`` (upper case) between two words or phrases: either may appear;
- ``-word`` or ``-"phrase"``: leave out paragraphs that contain it.

Words go through the same analyzer as the documents (``search.kazakh``), so the tsquery
holds stem keys (and, for words typed without Kazakh letters, the folded keys too; see
``search.indexing``) and is cast with ``::tsquery``; PostgreSQL never analyses it again.
The parser never fails: anything it cannot use (a lone ``-``, an unclosed quote, control
characters, punctuation, stopwords) is dropped or read leniently.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from search import kazakh
from search.indexing import MAX_KEY_CHARS, query_lexemes, quote_lexeme

# Enough for any real query; bounds the work a pasted page of text can cause.
MAX_QUERY_CHARS = 1000
MAX_TERMS = 24
MAX_PHRASE_WORDS = 16

# A quoted phrase (the closing quote may be missing), or a run of non-space characters.
_CHUNK = re.compile(r'(-?)"([^"]*)(?:"|$)|(\S+)')
_QUOTES = str.maketrans({c: '"' for c in "“”„«»‟″"})


@dataclass(frozen=True)
class Term:
    """A word or phrase of the query.

    `keys` holds, for each word, the lexemes it may match (several when it was typed without
    Kazakh letters, see search.indexing.query_lexemes); `gaps` the distance from the word
    before (1 = adjacent).
    """

    keys: tuple[tuple[str, ...], ...]
    gaps: tuple[int, ...]

    def tsquery(self) -> str:
        parts = [_alternatives(self.keys[0])]
        for alternatives, gap in zip(self.keys[1:], self.gaps[1:], strict=True):
            parts.append("<->" if gap == 1 else f"<{gap}>")
            parts.append(_alternatives(alternatives))
        text = " ".join(parts)
        return f"({text})" if len(self.keys) > 1 else text


def _alternatives(lexemes: tuple[str, ...]) -> str:
    text = " | ".join(quote_lexeme(lexeme) for lexeme in lexemes)
    return f"({text})" if len(lexemes) > 1 else text


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: ``tsquery`` is empty when there is nothing to search for."""

    text: str
    # Each group is a list of alternatives (joined by OR); groups are joined by AND.
    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    dropped_words: tuple[str, ...] = field(default=())

    @property
    def tsquery(self) -> str:
        """The tsquery literal, e.g. ``'азапта' & ('сот' <-> 'шеш')`` (empty: no query)."""
        if not self.groups:
            return ""
        parts = []
        for group in self.groups:
            alternatives = " | ".join(term.tsquery() for term in group)
            parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
        parts.extend(f"!{term.tsquery()}" for term in self.excluded)
        return " & ".join(parts)

    @property
    def proximity_tsquery(self) -> str:
        """All required words next to each other in query order ("" if under two words).

        Used only to rank: paragraphs where the words form the typed phrase come first.
        """
        if len(self.groups) < 2 or any(len(group) > 1 for group in self.groups):
            return ""
        return " <-> ".join(group[0].tsquery() for group in self.groups)

    @property
    def highlight_keys(self) -> frozenset[str]:
        """Keys whose every form should be marked in results (excluded words never match)."""
        return frozenset(
            lexeme
            for group in self.groups
            for term in group
            for alternatives in term.keys
            for lexeme in alternatives
        )

    def __bool__(self) -> bool:
        return bool(self.groups)


def clean_query_text(text: str | None) -> str:
    """The query with control characters removed, spaces collapsed and length bounded.

    PostgreSQL rejects NUL in text, and other control characters only confuse the display.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)[: MAX_QUERY_CHARS * 4])
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cs", "Co", "Cn")
    )
    text = " ".join(text.split())
    return text[:MAX_QUERY_CHARS].strip()


def _term(text: str) -> tuple[Term | None, list[str]]:
    """The term for a word or phrase, or None and the words that could not be searched."""
    tokens = kazakh.analyze(text)
    keyed = [t for t in tokens if t.key and len(t.key) <= MAX_KEY_CHARS][:MAX_PHRASE_WORDS]
    if not keyed:
        # Only a word that contributed nothing is worth telling the user about.
        return None, [text[t.start : t.end][:40] for t in tokens]
    gaps = [1]
    for previous, token in pairwise(keyed):
        # Stopwords keep their positions, so a phrase's gaps match the indexed positions.
        gaps.append(max(1, token.position - previous.position))
    keys = tuple(_lexemes(token) for token in keyed)
    return Term(keys, tuple(gaps)), []


def _lexemes(token: kazakh.Token) -> tuple[str, ...]:
    """What one query word may match: its stem, its folded forms when typed without Kazakh
    letters, and every reading of a Latin-script word."""
    folded_typing = kazakh.typed_without_kazakh_letters(token.text)
    readings = kazakh.reading_keys(token.text) if folded_typing else [token.key]
    if token.key not in readings:
        readings.insert(0, token.key)
    return tuple(
        dict.fromkeys(lexeme for key in readings for lexeme in query_lexemes(key, folded_typing))
    )


def parse_query(text: str | None) -> ParsedQuery:
    """Parse what the user typed into a `ParsedQuery` (never raises)."""
    text = clean_query_text(text)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    dropped: list[str] = []
    join_next = False
    count = 0
    for match in _CHUNK.finditer(text.translate(_QUOTES)):
        negated_phrase, phrase, word = match.groups()
        if word == "OR":
            # OR joins the next term to the previous group; leading/trailing OR is ignored.
            join_next = bool(groups)
            continue
        negated = bool(negated_phrase)
        if word is not None:
            if word.startswith("-") and len(word) > 1:
                negated, word = True, word[1:]
            phrase = word.strip('"')
        term, lost = _term(phrase)
        dropped.extend(lost)
        if term is None or count >= MAX_TERMS:
            join_next = False
            continue
        count += 1
        if negated:
            if term not in excluded:
                excluded.append(term)
            join_next = False
        elif join_next:
            if term not in groups[-1]:
                groups[-1].append(term)
            join_next = False
        elif [term] not in groups:
            groups.append([term])
    return ParsedQuery(
        text=text,
        groups=tuple(tuple(group) for group in groups),
        excluded=tuple(excluded) if groups else (),
        dropped_words=tuple(dict.fromkeys(w for w in dropped if any(c.isalnum() for c in w)))[:10],
    )
