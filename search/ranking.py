"""Ranking the matches of a search: the score of a paragraph, and finding the best ones among
many matches without scoring them all.

The score (see `score`): for each query word, its BM25 idf times ts_rank of that word (body
occurrences count, a section-title occurrence adds less), summed, raised by up to
CLOSENESS_WEIGHT when the words stand close together (ts_rank_cd) and by PROXIMITY_BOOST when
they form the typed phrase. Ties go to the newest year, then country and reading order.

Scoring reads each candidate's vector, so scoring a million matches cannot fit a request.
Every match stays eligible all the same: the impact tiers of search.indexing put each
paragraph that holds a word twice or more under ``word#2``, ``word#3``… in the GIN index.
`RankedHits` scores only the matches in the highest tiers that hold enough of them:

- a one-word query: every paragraph outside tier N holds the word fewer times than every
  paragraph inside it, so it scores lower; once tier N holds a page's worth, that page is
  exactly the page an exhaustive ranking gives;
- several words: the candidates are the matches in tier N of any of the words, at least
  MIN_CANDIDATES of them. A paragraph holding each word once can still win on closeness, so
  this is approximate; bench/search.py measures how often its top ten agree with the
  exhaustive ranking.

Answers of at most EXHAUSTIVE_BELOW matches are ranked exhaustively.
"""

import math

from django.contrib.postgres.search import SearchQueryField
from django.db import models
from django.db.models import BooleanField, F, FloatField, Func, Value
from django.db.models.functions import Cast

from search.filters import SearchFilters, exact_pattern
from search.indexing import BODY_OFFSET, MAX_POSITION, TIER_BANDS, quote_lexeme
from search.vocabulary import document_frequencies, total_paragraphs
from sections.models import Paragraph

# Weights for D, C, B, A: the paragraph's own text (D) is the signal; a word of its section
# title (A) adds a third of a body occurrence, so a title-only match ranks below the text.
RANK_WEIGHTS = "{1.0, 0.5, 0.5, 0.3}"
# ts_rank and ts_rank_cd normalisation 32 maps a rank into 0..1 (rank / (rank + 1)): more
# occurrences of a word count, with diminishing returns (as BM25's term-frequency saturation).
RANK_NORMALIZATION = 32
# How much closeness of the words (cover density) adds, at most, to the words' own weight.
CLOSENESS_WEIGHT = 1.0
# Paragraphs where the words stand next to each other in the typed order rank higher.
PROXIMITY_BOOST = 1.5
# Only this many words of a long query get their own idf weight; the others share one.
MAX_SCORED_TERMS = 8
# Answers this small are scored in full.
EXHAUSTIVE_BELOW = 2000
# With several words, the tiers must give at least this many candidates to rank.
MIN_CANDIDATES = 400
ORDER = ("-score", "-year", "country", "ordinal", "pk")


class TsQuery(Func):
    """A tsquery literal produced by search.query, cast without any text-search configuration
    (its lexemes are already the analyzer's keys)."""

    template = "%(expressions)s::tsquery"
    output_field = SearchQueryField()

    def __init__(self, literal: str):
        super().__init__(Value(literal))


class Matches(Func):
    """``vector @@ query`` as a boolean expression that can be used in filter()."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()
    conditional = True


class RankCD(Func):
    """``ts_rank_cd(weights, vector, query, normalization)``: cover density rank in 0..1."""

    function = "ts_rank_cd"
    output_field = FloatField()

    def __init__(self, vector, query):
        super().__init__(
            Func(Value(RANK_WEIGHTS), template="%(expressions)s::float4[]"),
            vector,
            query,
            Value(RANK_NORMALIZATION),
        )


class Rank(RankCD):
    """``ts_rank(weights, vector, query, normalization)``: how often the query's words occur,
    in 0..1."""

    function = "ts_rank"


def lexeme_frequencies(parsed) -> dict[str, int]:
    """{lexeme: paragraphs holding it} for every lexeme of the query's terms."""
    terms = [t for reading in parsed.readings for group in reading.groups for t in group]
    return document_frequencies({lexeme for t in terms for lexeme in t.lexemes})


def term_frequencies(parsed, frequencies: dict | None = None) -> dict:
    """Each term's n, the paragraphs holding it, from the archive's term statistics: that of
    its commonest lexeme (its alternatives match together); a phrase's, that of its rarest
    word."""
    terms = [t for reading in parsed.readings for group in reading.groups for t in group]
    frequencies = lexeme_frequencies(parsed) if frequencies is None else frequencies
    return {
        term: min(
            (max((frequencies.get(x, 0) for x in word), default=0) for word in term.keys),
            default=0,
        )
        for term in terms
    }


def term_weights(parsed, frequencies: dict | None = None) -> dict:
    """Each term's idf (BM25's ln(1 + (N - n + 0.5) / (n + 0.5))): a word in few paragraphs
    weighs more than one in most of them."""
    frequencies = term_frequencies(parsed) if frequencies is None else frequencies
    total = max(total_paragraphs(), 1)
    return {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequencies.items()}


def score(reading, weights: dict, vector=None):
    """The score of a paragraph for one reading (see search.query.Reading and the module
    docstring): a rare word outweighs a common one, the text outweighs the title, and the
    phrase beats close words beat scattered words. `vector`: another tsvector than the
    paragraph's."""
    vector = (
        F("search_vector") if vector is None else Func(vector, template="%(expressions)s::tsvector")
    )
    terms = [term for group in reading.groups for term in group]
    scored, rest = terms[:MAX_SCORED_TERMS], terms[MAX_SCORED_TERMS:]
    parts = [Value(weights.get(t, 1.0)) * Rank(vector, TsQuery(t.tsquery())) for t in scored]
    if rest:
        shared = min(weights.get(t, 1.0) for t in rest)
        literal = " | ".join(t.tsquery() for t in rest)
        parts.append(Value(shared) * Rank(vector, TsQuery(literal)))
    closeness = RankCD(vector, TsQuery(reading.tsquery))
    total = sum(parts[1:], parts[0]) * (Value(1.0) + Value(CLOSENESS_WEIGHT) * closeness)
    if not reading.proximity_tsquery:
        return total
    near = Matches(vector, TsQuery(reading.proximity_tsquery))
    return total * models.Case(
        models.When(near, then=Value(PROXIMITY_BOOST)),
        default=Value(1.0),
        output_field=FloatField(),
    )


def scored(parsed, queryset, weights: dict | None = None):
    """The queryset annotated with each paragraph's `score` by its own language's reading of
    the query (the others cannot match it), best first."""
    weights = term_weights(parsed) if weights is None else weights
    scores = [
        models.When(language=reading.language, then=score(reading, weights))
        for reading in parsed.readings
    ]
    return queryset.annotate(
        score=models.Case(*scores, default=Value(0.0), output_field=FloatField())
    ).order_by(*ORDER)


def matching(tsquery: str, filters: SearchFilters, exact_forms=()):
    """Published paragraphs matching the tsquery literal and every filter; with "=form" words,
    only those that print each form exactly (any case)."""
    queryset = Paragraph.objects.filter(Matches(F("search_vector"), TsQuery(tsquery)), filters.q())
    for form in exact_forms:
        queryset = queryset.filter(text__iregex=exact_pattern(form))
    return queryset


class RankedHits:
    """The ranked matches of a search, for Paginator: its length is the counted total, and a
    slice ranks as few matches as it can (see the module docstring)."""

    def __init__(
        self,
        parsed=None,
        filters: SearchFilters | None = None,
        count: int = 0,
        exhaustive: bool = False,
    ):
        self.parsed = parsed
        self.filters = filters or SearchFilters()
        self._count = count
        # Score every match (bench/search.py compares the tiers' answers with this).
        self.exhaustive = exhaustive
        # How the last slice was ranked: "exhaustive", or the tier band it started from.
        self.ranked_from = None

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            if self.parsed is None or stop is None or stop <= start:
                return []
            return self._page(start, stop)
        if self.parsed is None or not 0 <= index < self._count:
            raise IndexError(index)
        return self._page(index, index + 1)[0]

    def _scored(self, tsquery: str):
        matches = matching(tsquery, self.filters, self.parsed.exact_forms)
        return scored(self.parsed, matches, self.weights)

    def top(self, stop: int) -> list[tuple[int, float]]:
        """(id, score) of the best `stop` matches.

        From the highest tier down: the candidates of tier N are the matches holding some
        query word N times or more. Their best `stop` are the answer when the last of them
        scores above `ceiling(N)`, the most any paragraph outside the tier can score (exact);
        or, for a query of several words, when the tier gives MIN_CANDIDATES (approximate).
        """
        self.lexeme_df = lexeme_frequencies(self.parsed)
        self.frequencies = term_frequencies(self.parsed, self.lexeme_df)
        self.weights = term_weights(self.parsed, self.frequencies)
        if self._count > EXHAUSTIVE_BELOW and not self.exhaustive:
            need = stop if self.parsed.single_word else max(stop, MIN_CANDIDATES)
            for band in reversed(TIER_BANDS):
                candidates = self._scored(self.parsed.tier_tsquery(band))
                best = list(candidates.values_list("pk", "score")[:need])
                exact = len(best) >= stop and best[stop - 1][1] > self.ceiling(band)
                if exact or (len(best) >= need and not self.parsed.single_word):
                    self.ranked_from = band
                    return best[:stop]
        self.ranked_from = "exhaustive"
        return list(self._scored(self.parsed.tsquery).values_list("pk", "score")[:stop])

    def ceiling(self, band: int) -> float:
        """The highest score of a paragraph outside tier `band`: one that holds every word of
        the query band - 1 times (a title occurrence counts as one), in the typed order
        so that closeness and the phrase count in full. The score grows with each
        occurrence, so no paragraph holding each word fewer times scores more."""
        ceilings = []
        for reading in self.parsed.readings:
            if not all(any(self.frequencies.get(t) for t in group) for group in reading.groups):
                continue  # a word of this reading is in no paragraph: it matches none
            words = [alts for group in reading.groups for term in group for alts in term.keys]
            for title in (True, False):
                body = band - 1 - title
                places = {alts: [] for alts in words}
                if title:
                    for position, alts in enumerate(words, start=1):
                        places[alts].append(f"{min(position, BODY_OFFSET - 1)}A")
                for repeat in range(body):
                    for position, alts in enumerate(words):
                        at = BODY_OFFSET + 1 + repeat * len(words) + position
                        places[alts].append(f"{min(at, MAX_POSITION)}D")
                # A lexeme in no paragraph is in no paragraph outside the tier either.
                vector = " ".join(
                    f"{quote_lexeme(lexeme)}:{','.join(spots)}"
                    for alts, spots in places.items()
                    if spots
                    for lexeme in alts
                    if self.lexeme_df.get(lexeme)
                )
                if vector:
                    ceilings.append(score(reading, self.weights, Value(vector)))
        if not ceilings:
            return 0.0
        values = Paragraph.objects.order_by().annotate(
            **{f"c{i}": Cast(c, FloatField()) for i, c in enumerate(ceilings)}
        ).values_list(*(f"c{i}" for i in range(len(ceilings))))[:1]
        return max(max(row) for row in values) if values else 0.0

    def _page(self, start: int, stop: int) -> list:
        best = self.top(stop)[start:]
        rows = Paragraph.objects.select_related("section__report").defer("search_vector")
        by_id = rows.in_bulk([pk for pk, _ in best])
        page = []
        for pk, value in best:
            paragraph = by_id[pk]
            paragraph.score = value
            page.append(paragraph)
        return page
