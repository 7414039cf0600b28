"""The search box's query language, turned into a PostgreSQL tsquery literal.

Syntax, as in web search engines:

- words: every word must appear (in any inflected form);
- ``"exact phrase"``: the words in this order, with the same gaps (stopwords included);
- ``OR`` (upper case) between two words or phrases: either may appear;
- ``-word`` or ``-"phrase"``: leave out paragraphs that contain it;
- ``=word``: this form of the word only (``=азаптауға`` finds азаптауға, not азаптау).

Words go through the same analyzers as the documents, each query once per report language
(``search.kazakh`` for Kazakh, ``search.snowball`` for English and Russian): the tsquery is
one alternative per language, ``(kk) | (en) | (ru)``, of that language's keys (for Kazakh
words typed without Kazakh letters, the folded keys too; see ``search.indexing``), and it is
cast with ``::tsquery``; PostgreSQL never analyses it again. Reading the whole query per
language keeps each language's stopwords and phrase gaps its own: "freedom of the press"
needs "freedom" and "press" in English paragraphs, whatever Kazakh makes of "of" and "the".
A Cyrillic word Kazakh ignores as a stopword (және, туралы) is ignored in Russian and English
too: it is no Russian word, and a query of Kazakh stopwords alone searches nothing. A word
with letters a language's reports do not print (Cyrillic in English, әөұүіқғңһ in Russian)
cannot match there, so a Kazakh query spelled with Kazakh letters is read in Kazakh alone.
The parser never fails: anything it cannot use (a lone ``-``, an unclosed quote, control
characters, punctuation, stopwords) is dropped or read leniently.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from itertools import combinations, pairwise

from search import kazakh
from search.indexing import (
    LANGUAGE_MARKS,
    MAX_KEY_CHARS,
    TIER_BANDS,
    analyze,
    lexemes,
    pair_form,
    pair_lexeme,
    query_lexemes,
    quote_lexeme,
    tier_lexeme,
)

# Enough for any real query; bounds the work a pasted page of text can cause.
MAX_QUERY_CHARS = 1000
MAX_TERMS = 24
MAX_PHRASE_WORDS = 16
# A Latin word can have many Kazakh readings (y = ы or й, ı = ы or і…); the first ones are
# the likely ones, and each costs work in every matching paragraph.
MAX_LEXEMES_PER_WORD = 8
# A phrase asks for the hash lexeme of each pair of adjacent words (search.indexing) while
# its words' readings give at most this many pairs; past it, the pair filters too little.
MAX_PAIR_LEXEMES = 8
# Partial matches: past this many choices of "k of n groups", an OR of the groups is used.
MAX_PARTIAL_CHOICES = 20
# Every query is read in each report language; Kazakh first, as the archive's own.
LANGUAGES = ("kk", *LANGUAGE_MARKS)

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
    # The word or phrase as typed, for the page ("contains 2 of your 3 words").
    text: str = field(default="", compare=False)

    @property
    def lexemes(self) -> tuple[str, ...]:
        """Every lexeme this term may match, for term statistics."""
        return tuple(dict.fromkeys(lexeme for alternatives in self.keys for lexeme in alternatives))

    def tier_lexemes(self, band: int, word: int | None = None) -> list[str]:
        """The impact tiers (see search.indexing) of the paragraphs holding any word of this
        term (or word number `word` of a phrase) at least `band` times."""
        lexemes = self.lexemes if word is None else self.keys[word]
        return [tier_lexeme(lexeme, b) for lexeme in lexemes for b in TIER_BANDS if b >= band]

    def tier_tsquery(self, band: int, word: int | None = None) -> str:
        """The paragraphs of `tier_lexemes` as a tsquery."""
        return " | ".join(quote_lexeme(lexeme) for lexeme in self.tier_lexemes(band, word))

    def held(self, present: frozenset[str]) -> "Term | None":
        """This term without the alternatives of its words that no paragraph holds (not in
        `present`), a word keeping them all when none is held; None when no lexeme of the
        term is held. ts_rank_cd counts the position of every lexeme of its query inside a
        cover, so a held lexeme must stay even in a phrase that cannot match."""
        if present.isdisjoint(self.lexemes):
            return None
        keys = tuple(
            tuple(x for x in alternatives if x in present) or alternatives
            for alternatives in self.keys
        )
        return self if keys == self.keys else replace(self, keys=keys)

    def tsquery(self) -> str:
        """The term as a tsquery, as the scores read it."""
        parts = [_alternatives(self.keys[0])]
        for alternatives, gap in zip(self.keys[1:], self.gaps[1:], strict=True):
            parts.append("<->" if gap == 1 else f"<{gap}>")
            parts.append(_alternatives(alternatives))
        text = " ".join(parts)
        return f"({text})" if len(self.keys) > 1 else text

    def match_tsquery(self) -> str:
        """The term as a tsquery for finding its paragraphs: a phrase also asks for the hash
        lexemes of its adjacent word pairs, which every paragraph holding it holds, so that
        the GIN index leaves few others to read (see search.indexing)."""
        pairs = self.pair_tsquery()
        return f"({self.tsquery()} & {pairs})" if pairs else self.tsquery()

    def pair_tsquery(self) -> str:
        """The hash lexemes of a phrase's adjacent word pairs, all required ("" for a word,
        or a phrase with no pair to ask for). A pair whose words' readings give more than
        MAX_PAIR_LEXEMES hashes is left out: it would filter little."""
        filters = []
        for (first, second), gap in zip(pairwise(self.keys), self.gaps[1:], strict=True):
            hashes = {
                pair_lexeme(a, b)
                for a in {pair_form(x) for x in first}
                for b in {pair_form(x) for x in second}
            }
            if gap == 1 and len(hashes) <= MAX_PAIR_LEXEMES:
                filters.append(_alternatives(tuple(sorted(hashes))))
        return " & ".join(filters)


def group_text(group: tuple[Term, ...]) -> str:
    """A required group as the reader typed it ("азаптау", "босқын OR баспана")."""
    return " OR ".join(term.text for term in group)


def _group_tsquery(group: tuple[Term, ...], scoring: bool = False) -> str:
    """The group's terms joined by OR, each as matching (or, `scoring`, as scores) reads it."""
    text = " | ".join(term.tsquery() if scoring else term.match_tsquery() for term in group)
    return f"({text})" if len(group) > 1 else text


def _alternatives(lexemes: tuple[str, ...]) -> str:
    text = " | ".join(quote_lexeme(lexeme) for lexeme in lexemes)
    return f"({text})" if len(lexemes) > 1 else text


@dataclass(frozen=True)
class Reading:
    """The query as one language's analyzer reads it."""

    language: str
    # Each group is a list of alternatives (joined by OR); groups are joined by AND.
    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()
    # Words past MAX_TERMS, left out of the search.
    unused: tuple[str, ...] = ()

    @property
    def tsquery(self) -> str:
        """This language's tsquery literal for matching, e.g. ``'азапта' & (('сот' <-> 'шеш')
        & '^1f0')`` (a phrase with its word pairs' hash lexemes, see Term.match_tsquery)."""
        return self._tsquery(scoring=False)

    @property
    def rank_tsquery(self) -> str:
        """The same without the word pairs' hash lexemes, for ts_rank_cd: they have no
        positions, and the closeness is of the words."""
        return self._tsquery(scoring=True)

    def _tsquery(self, scoring: bool) -> str:
        parts = [_group_tsquery(group, scoring) for group in self.groups]
        parts.extend(f"!{term.tsquery()}" for term in self.excluded)
        return " & ".join(parts)

    def held(self, present: frozenset[str]) -> "Reading | None":
        """This reading without the lexemes of its required words that no paragraph holds
        (not in `present`, see Term.held): ts_rank_cd gives every paragraph the same value
        for it, at less cost (a lexeme in no paragraph is still looked up in every one). The
        excluded words stay as they are (`present` does not cover them). None when a required
        group holds no lexeme at all, so the reading matches no paragraph."""
        groups = tuple(
            tuple(held for term in group if (held := term.held(present)) is not None)
            for group in self.groups
        )
        if not all(groups):
            return None
        return replace(self, groups=groups)

    def partial_tsquery(self, at_least: int) -> str:
        """Paragraphs holding at least `at_least` of the required groups (a word or phrase, or
        words joined by OR) and none of the excluded ones; "" with fewer than two groups.

        As an OR of the AND of each choice of groups while there are few choices (the GIN
        index answers it), else an OR of the groups (the caller counts the groups matched).
        """
        if len(self.groups) < 2:
            return ""
        # As the scores read the groups: search.engine judges the candidates by the planner's
        # estimate, which the word pairs' hashes would make far too low.
        parts = [_group_tsquery(group, scoring=True) for group in self.groups]
        if at_least > 1 and math.comb(len(parts), at_least) <= MAX_PARTIAL_CHOICES:
            choices = combinations(parts, at_least)
            text = " | ".join("(" + " & ".join(choice) + ")" for choice in choices)
        else:
            text = " | ".join(parts)
        excluded = "".join(f" & !{term.tsquery()}" for term in self.excluded)
        return f"({text}){excluded}"

    def group_tsqueries(self) -> list[str]:
        """One tsquery per required group, to tell which of them a paragraph holds."""
        return [_group_tsquery(group, scoring=True) for group in self.groups]

    @property
    def proximity_tsquery(self) -> str:
        """All required words next to each other in query order ("" if under two words).

        Used only to rank: paragraphs where the words form the typed phrase come first.
        """
        if len(self.groups) < 2 or any(len(group) > 1 for group in self.groups):
            return ""
        return " <-> ".join(group[0].tsquery() for group in self.groups)


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: ``tsquery`` is empty when there is nothing to search for."""

    text: str
    # One reading per language that has something to search for, Kazakh first.
    readings: tuple[Reading, ...] = ()
    dropped_words: tuple[str, ...] = field(default=())
    # Words typed as "=form": the paragraph must print the word in exactly this form (any
    # case), on top of matching its stem.
    exact_forms: tuple[str, ...] = ()

    @property
    def tsquery(self) -> str:
        """The tsquery literal: the readings as alternatives (empty: no query)."""
        return self._either(reading.tsquery for reading in self.readings)

    @property
    def rank_tsquery(self) -> str:
        """The same without the word pairs' hashes (Reading.rank_tsquery): for telling which
        paragraphs hold the words as the scores and partial matches read them."""
        return self._either(reading.rank_tsquery for reading in self.readings)

    @staticmethod
    def _either(readings) -> str:
        parts = list(readings)
        return parts[0] if len(parts) == 1 else " | ".join(f"({part})" for part in parts)

    @property
    def single_term(self) -> bool:
        """One required word or phrase in every reading (excluded words aside)."""
        return all(len(r.groups) == 1 and len(r.groups[0]) == 1 for r in self.readings)

    @property
    def single_word(self) -> bool:
        """One word and nothing else in every reading: then a paragraph's score grows with
        that word's occurrences alone, and the impact tiers find the best matches exactly."""
        return self.single_term and all(
            len(r.groups[0][0].keys) == 1 and not r.excluded for r in self.readings
        )

    @property
    def highlight_keys(self) -> frozenset[str]:
        """Lexemes whose every form should be marked in results (excluded words never match).

        Lexemes carry their language's mark, so one set serves paragraphs of every language.
        """
        return frozenset(
            lexeme
            for reading in self.readings
            for group in reading.groups
            for term in group
            for alternatives in term.keys
            for lexeme in alternatives
        )

    @property
    def unused_words(self) -> tuple[str, ...]:
        """Words left out because the query has more than MAX_TERMS (the page says so)."""
        return self.readings[0].unused if self.readings else ()

    @property
    def terms(self) -> tuple[Term, ...]:
        """The required words and phrases of the first reading, as typed (for labels)."""
        return tuple(term for group in self.readings[0].groups for term in group) if self else ()

    def __bool__(self) -> bool:
        return bool(self.readings)


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


def _term(text: str, language: str) -> tuple[Term | None, list[str]]:
    """The term for a word or phrase in `language` (`_UNWRITTEN` when that language's
    paragraphs cannot contain it), or None and the words that could not be searched."""
    tokens = analyze(text, language)
    keyed = [t for t in tokens if _searchable(t, language)][:MAX_PHRASE_WORDS]
    lost = [text[t.start : t.end][:40] for t in tokens]
    if not keyed:
        # Only a word that contributed nothing is worth telling the user about.
        return None, lost
    if language in _FOREIGN_LETTERS and any(
        _FOREIGN_LETTERS[language].search(t.text) for t in keyed
    ):
        return _UNWRITTEN, lost
    gaps = [1]
    for previous, token in pairwise(keyed):
        # Stopwords keep their positions, so a phrase's gaps match the indexed positions.
        gaps.append(max(1, token.position - previous.position))
    if language == "kk":
        keys = tuple(_kazakh_lexemes(token) for token in keyed)
    else:
        keys = tuple(lexemes(token.key, language) for token in keyed)
    return Term(keys, tuple(gaps), text=text), []


_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Letters a language's reports do not print: Cyrillic in English, Kazakh letters in Russian.
_FOREIGN_LETTERS = {"en": _CYRILLIC, "ru": re.compile("[әөұүіқғңһӘӨҰҮІҚҒҢҺ]")}
# A word or phrase that cannot occur in a language's paragraphs (never rendered).
_UNWRITTEN = Term(keys=(), gaps=())


def _searchable(token: kazakh.Token, language: str) -> bool:
    if not token.key or len(token.key) > MAX_KEY_CHARS:
        return False
    # A Kazakh stopword in Cyrillic is no Russian or English word either (see the docstring).
    return language == "kk" or not (_CYRILLIC.search(token.text) and kazakh.key(token.text) == "")


def _kazakh_lexemes(token: kazakh.Token) -> tuple[str, ...]:
    """What one query word may match: its stem, its folded forms when typed without Kazakh
    letters, and every reading of a Latin-script word."""
    folded_typing = kazakh.typed_without_kazakh_letters(token.text)
    readings = kazakh.reading_keys(token.text) if folded_typing else [token.key]
    if token.key not in readings:
        readings.insert(0, token.key)
    readings.extend(_final_vowel_readings(token, readings[0]))
    found = dict.fromkeys(
        lexeme for key in readings for lexeme in query_lexemes(key, folded_typing)
    )
    return tuple(found)[:MAX_LEXEMES_PER_WORD]


_BACK_OR_FRONT_Y = ("ы", "і")
_KAZAKH_VOWELS = frozenset("аәеиоөуұүыіэюяё")


def _final_vowel_readings(token: kazakh.Token, key: str) -> list[str]:
    """The other reading of a final -ы/-і after a consonant: a possessive ending (мақсаты:
    мақсат) or the stem's own last letter (Алматы, Абай атындағы…). The analyzer must pick
    one, so Алматы is keyed алмат and Алматыда алматы; a query word searches both."""
    word = kazakh.normalize(token.text)
    if key.endswith(_BACK_OR_FRONT_Y) and len(key) > 3 and key[-2] not in _KAZAKH_VOWELS:
        return [key[:-1]]
    if word in (key + "ы", key + "і") and key[-1:] not in _KAZAKH_VOWELS:
        return [word]
    return []


# What the user typed, in order: "OR", or a word or phrase (negated or not).
_OR = None


def _chunks(text: str) -> list[tuple[bool, str] | None]:
    chunks = []
    for match in _CHUNK.finditer(text.translate(_QUOTES)):
        negated_phrase, phrase, word = match.groups()
        if word == "OR":
            chunks.append(_OR)
            continue
        negated = bool(negated_phrase)
        if word is not None:
            if word.startswith("-") and len(word) > 1:
                negated, word = True, word[1:]
            phrase = word.strip('"')
        chunks.append((negated, phrase))
    return chunks


def _read(chunks: list[tuple[bool, str] | None], language: str) -> tuple[Reading, list[str]]:
    """The query read in `language`, and the words that gave it nothing to search."""
    # A group left empty held only words this language cannot contain.
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    dropped: list[str] = []
    beyond: list[str] = []  # words past MAX_TERMS
    join_next = False
    count = 0
    for chunk in chunks:
        if chunk is _OR:
            # OR joins the next term to the previous group; leading/trailing OR is ignored.
            join_next = bool(groups)
            continue
        negated, phrase = chunk
        term, lost = _term(phrase, language)
        dropped.extend(lost)
        if term is not None and count >= MAX_TERMS:
            beyond.append(phrase)
        if term is None or count >= MAX_TERMS:
            join_next = False
            continue
        count += 1
        unwritten = term is _UNWRITTEN
        if negated:
            if not unwritten and term not in excluded:
                excluded.append(term)
            join_next = False
        elif join_next:
            if not unwritten and term not in groups[-1]:
                groups[-1].append(term)
            join_next = False
        elif unwritten:
            groups.append([])
        elif [term] not in groups:
            groups.append([term])
    if not all(groups):
        # A required word this language cannot contain: none of its paragraphs match.
        groups = []
    reading = Reading(
        language,
        groups=tuple(tuple(group) for group in groups),
        excluded=tuple(excluded) if groups else (),
        unused=tuple(beyond),
    )
    return reading, dropped


# "=азаптауға": this form only, not the word's other forms.
_EXACT = re.compile(r"(?<![^\s(])=([^\W_][\w'’-]*)")


def parse_query(text: str | None) -> ParsedQuery:
    """Parse what the user typed into a `ParsedQuery` (never raises)."""
    text = clean_query_text(text)
    exact = tuple(dict.fromkeys(form.lower() for form in _EXACT.findall(text)))[:MAX_TERMS]
    chunks = _chunks(_EXACT.sub(r"\1", text))
    readings, dropped = [], None
    for language in LANGUAGES:
        reading, lost = _read(chunks, language)
        if reading.groups:
            readings.append(reading)
        # A word is reported only when no language could search it.
        lost_here = set(lost)
        dropped = lost if dropped is None else [w for w in dropped if w in lost_here]
    return ParsedQuery(
        text=text,
        readings=tuple(readings),
        exact_forms=exact if readings else (),
        dropped_words=tuple(dict.fromkeys(w for w in dropped if any(c.isalnum() for c in w)))[:10],
    )
