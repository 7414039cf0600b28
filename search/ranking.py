"""Ranking the matches of a search: the score of a paragraph, and finding the best ones among
many matches without scoring them all.

The score (see `score`): for each query word, its BM25 idf times ts_rank of that word (body
occurrences count, a section-title occurrence adds less), summed, raised by up to
CLOSENESS_WEIGHT when the words stand close together (ts_rank_cd) and by PROXIMITY_BOOST when
they form the typed phrase. Ties go to the newest year, then country and reading order.

Scoring reads each candidate's vector, so scoring a million matches cannot fit a request.
Every match stays eligible all the same: the impact tiers of search.indexing put each
paragraph that holds a word twice or more under ``word#2``, ``word#3``… in the GIN index.
`RankedHits` takes the tiers (word, band) in the order of what they can add to a score, the
word's idf times band / (band + 1), and scores only the matches in the tiers taken so far:

- the answer is exact once the last hit of the page scores above the tiers' *ceiling*: the
  score of a made-up paragraph holding each word once fewer than its tier's band (text and
  title, in the typed order, so closeness and the phrase count in full), which no paragraph
  outside the tiers can beat. For one word this is how every answer ends;
- for several words the ceiling is seldom beaten (a paragraph holding each word once can win
  on closeness), so the answer is the best of MIN_CANDIDATES candidates from the tiers, plus
  the matches of the newest years (ties of score go to the newest year) and, for words
  joined by OR, the paragraphs holding two of them. This is approximate; bench/search.py
  measures how often its top ten agree with the exhaustive ranking.

Answers of at most EXHAUSTIVE_BELOW matches are ranked exhaustively.
"""

import math
from functools import cached_property

from django.contrib.postgres.search import SearchQueryField
from django.db import connection, models
from django.db.models import BooleanField, F, FloatField, Func, SmallIntegerField, Sum, Value
from django.db.models.functions import Cast

from search.filters import SearchFilters, exact_pattern
from search.indexing import BODY_OFFSET, MAX_POSITION, TIER_BANDS, quote_lexeme
from search.models import TermYear
from search.vocabulary import document_frequencies, statistics_current, total_paragraphs
from sections.models import ARCHIVE_INDEX_CONDITION, Paragraph

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
# Answers this small are scored in full: below it one statement scoring every match costs less
# than the ladder's statements. Measured at 1.5M paragraphs (p50, the page's ranking): words in
# 2,000-5,000 paragraphs 6-12 ms faster scored in full, 5,000-7,000 mixed (-9 to +9 ms),
# 7,000-10,000 5-20 ms slower.
EXHAUSTIVE_BELOW = 5000
# With several words, the tiers must give at least this many candidates to rank.
MIN_CANDIDATES = 600
# With several words, the newest year's matches are candidates too when they are this few.
RECENT_CANDIDATES = 1000
# With several words, a word in more paragraphs than this gets no tier-2 candidates.
WIDE_TERM = 20_000
# The most candidate queries one search runs before ranking every match.
MAX_TIER_STEPS = 8
# Words joined by OR: paragraphs holding two of them are candidates when about this few.
PAIR_CANDIDATES = 1000
ORDER = ("-score", "-year", "country", "ordinal", "pk")
# What the tier ladder reads of each candidate: enough to merge rankings in ORDER.
ROW = ("pk", "score", "year", "country", "ordinal")


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


def term_weights(parsed, frequencies: dict | None = None, total: int | None = None) -> dict:
    """Each term's idf (BM25's ln(1 + (N - n + 0.5) / (n + 0.5))): a word in few paragraphs
    weighs more than one in most of them. `total`: N, when the caller has it."""
    frequencies = term_frequencies(parsed) if frequencies is None else frequencies
    total = max(total_paragraphs() if total is None else total, 1)
    return {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequencies.items()}


def score_parts(reading, weights: dict, vector=None, present=None) -> tuple:
    """The three factors of a paragraph's score for one reading (see `score`): the words'
    weighted ts_rank, the closeness (ts_rank_cd, 0..1) and the phrase boost (1 or
    PROXIMITY_BOOST). `vector`: a tsvector literal instead of the paragraph's; `present`:
    the query's lexemes that are in some paragraph, when known (the closeness is the same
    without the others, and costs less; ts_rank divides by the query's lexemes, so its
    query keeps them all)."""
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
    held = reading.held(present) if present is not None else None
    closeness = RankCD(vector, TsQuery((held or reading).rank_tsquery))
    near = Value(1.0)
    if reading.proximity_tsquery:
        near = models.Case(
            models.When(
                Matches(vector, TsQuery(reading.proximity_tsquery)), then=Value(PROXIMITY_BOOST)
            ),
            default=Value(1.0),
            output_field=FloatField(),
        )
    return sum(parts[1:], parts[0]), closeness, near


def score(reading, weights: dict, present=None):
    """The score of a paragraph for one reading (see search.query.Reading and the module
    docstring): a rare word outweighs a common one, the text outweighs the title, and the
    phrase beats close words beat scattered words. `present`: see `score_parts`."""
    words, closeness, near = score_parts(reading, weights, present=present)
    total = words * (Value(1.0) + Value(CLOSENESS_WEIGHT) * closeness)
    return total if not reading.proximity_tsquery else total * near


def scored(parsed, queryset, weights: dict | None = None, present=None):
    """The queryset annotated with each paragraph's `score` by its own language's reading of
    the query (the others cannot match it), best first. `present`: see `score_parts`."""
    weights = term_weights(parsed) if weights is None else weights
    scores = [
        models.When(language=reading.language, then=score(reading, weights, present))
        for reading in parsed.readings
    ]
    return queryset.annotate(
        score=models.Case(*scores, default=Value(0.0), output_field=FloatField())
    ).order_by(*ORDER)


class MatchesRow(Matches):
    """``ts_match_vq(vector, query)``: ``@@`` as a function, which no index answers, so it is
    checked on the rows another condition found."""

    function = "ts_match_vq"
    arg_joiner = ", "
    template = "%(function)s(%(expressions)s)"


def matching(tsquery: str, filters: SearchFilters, exact_forms=(), indexed: bool = True):
    """Published paragraphs matching the tsquery literal and every filter; with "=form" words,
    only those that print each form exactly (any case). Through the whole archive's index
    (its condition, ARCHIVE_INDEX_CONDITION, holds for every paragraph); not `indexed`: the
    tsquery is checked on the rows that the caller's other conditions find in the index."""
    match = (Matches if indexed else MatchesRow)(F("search_vector"), TsQuery(tsquery))
    queryset = Paragraph.objects.filter(match, ARCHIVE_INDEX_CONDITION, filters.q())
    for form in exact_forms:
        queryset = queryset.filter(text__iregex=exact_pattern(form))
    return queryset


def _merged(*ranked: list[tuple]) -> list[tuple]:
    """Rows (id, score, year, country, ordinal) of several rankings as one, in ORDER."""
    rows = {row[0]: row for rows in ranked for row in rows}
    return sorted(rows.values(), key=lambda r: (-r[1], -r[2], r[3], r[4], r[0]))


class RankedHits:
    """The ranked matches of a search, for Paginator: its length is the counted total, and a
    slice ranks as few matches as it can (see the module docstring)."""

    def __init__(
        self,
        parsed=None,
        filters: SearchFilters | None = None,
        count: int = 0,
        exhaustive: bool = False,
        year_counts: dict | None = None,
        lexeme_df: dict | None = None,
        archive_total: int | None = None,
        statistics_current: bool | None = None,
    ):
        self.parsed = parsed
        self.filters = filters or SearchFilters()
        self._count = count
        # Score every match (bench/search.py compares the tiers' answers with this).
        self.exhaustive = exhaustive
        # Matches per year (the year facet), for the newest year's candidates.
        self.year_counts = year_counts or {}
        # Paragraphs holding each lexeme of the query (lexeme_frequencies), when known.
        self.lexeme_df = lexeme_df
        # How the last slice was ranked: "exhaustive", or the tier band it started from.
        self.ranked_from = None
        if archive_total is not None:
            self.total = archive_total
        # Whether the term statistics by year are current, when the caller has checked.
        self.statistics_current = statistics_current

    @cached_property
    def total(self) -> int:
        """N, the paragraphs of the archive (idf), read once per search."""
        return total_paragraphs()

    def _lexemes_df(self) -> dict:
        """The query's lexeme_frequencies, read once (unless the caller gave them)."""
        if self.lexeme_df is None:
            self.lexeme_df = lexeme_frequencies(self.parsed)
        return self.lexeme_df

    def _statistics_are_current(self) -> bool:
        """statistics_current(), checked once (unless the caller has checked)."""
        if self.statistics_current is None:
            self.statistics_current = statistics_current()
        return self.statistics_current

    @cached_property
    def frequencies(self) -> dict:
        """Each term's n (term_frequencies), from the query's term statistics read once."""
        return term_frequencies(self.parsed, self._lexemes_df())

    @cached_property
    def tier_sizes(self) -> dict[str, int] | None:
        """The paragraphs in each impact tier of the query's lexemes ({"азапт#3": n}, the
        whole archive's) from the term statistics; None while they may be out of date, or
        when they know none of the tiers (then the ladder goes as if it knew no sizes)."""
        if not self._statistics_are_current():
            return None
        lexemes = {x for term in self.frequencies for x in term.tier_lexemes(TIER_BANDS[0])}
        rows = (
            TermYear.objects.filter(topic=0, lexeme__in=lexemes)
            .values("lexeme")
            .annotate(n=Sum("paragraphs"))
            .values_list("lexeme", "n")
        )
        return dict(rows) or None

    def _tier_size(self, bands: dict) -> int:
        """At most how many paragraphs the tiers {term: band} hold (filters left aside)."""
        sizes = self.tier_sizes or {}
        return sum(
            sizes.get(lexeme, 0)
            for term, band in bands.items()
            for lexeme in term.tier_lexemes(band, self.rarest_word(term))
        )

    @cached_property
    def present(self) -> frozenset[str] | None:
        """The query's lexemes in some paragraph, while the term statistics are current
        (score_parts leaves the others out of the closeness)."""
        if not self._statistics_are_current():
            return None
        return frozenset(x for x, n in self._lexemes_df().items() if n)

    @cached_property
    def weights(self) -> dict:
        """Each term's idf (term_weights), for every statement that scores this search."""
        return term_weights(self.parsed, self.frequencies, self.total)

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

    def _scored(self, tsquery: str, years: list[int] | None = None, tiers: bool = False):
        """The query's matches that also match `tsquery` (or are of one of `years`), scored.
        `tiers`: `tsquery` is of impact tiers. With one required word or phrase, nearly every
        paragraph of a tier matches the query: the index finds the tiers alone and the query
        is checked on their rows (as a condition of the index scan it walks every entry of
        its words: 14 ms for "адам құқықтары" at 1.5M paragraphs, where the tiers take 2;
        "адам" 21 ms a search against 35). With several words a tier's paragraphs often
        lack another word, which the index leaves out (measured: words joined by OR were
        a few ms slower checked on the rows)."""
        queryset = matching(
            self.parsed.tsquery,
            self.filters,
            self.parsed.exact_forms,
            indexed=not (tiers and self.parsed.single_term),
        )
        also = models.Q(Matches(F("search_vector"), TsQuery(tsquery))) if tsquery else models.Q()
        if years:
            also |= models.Q(year__in=[Cast(Value(y), SmallIntegerField()) for y in years])
        return scored(self.parsed, queryset.filter(also), self.weights, self.present)

    def _best(self, queryset, limit: int) -> list[tuple]:
        """(id, score, year, country, ordinal) of the best `limit` of a scored queryset."""
        return list(queryset.values_list(*ROW)[:limit])

    def _tier_statement(self, limit: int):
        """The SQL of `_best(_scored(tiers), limit)` with the tiers' tsquery as a parameter:
        the ladder runs it once a step, and compiling the score expressions through the ORM
        each time cost more than some steps' database work."""
        placeholder = "'rights-archive-tiers'"
        queryset = self._scored(placeholder, tiers=True).values_list(*ROW)[:limit]
        sql, params = queryset.query.sql_with_params()
        at = [i for i, p in enumerate(params) if p == placeholder]
        if len(at) != 1:
            return None
        return sql, list(params), at[0]

    def _best_in_tiers(self, statement, literal: str, limit: int) -> list[tuple]:
        if statement is None:
            return self._best(self._scored(literal, tiers=True), limit)
        sql, params, at = statement
        params[at] = literal
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]

    def rarest_word(self, term) -> int | None:
        """For a phrase, the word in fewest paragraphs: its tiers are the phrase's candidates
        (every paragraph holding the phrase N times holds each of its words N times)."""
        if len(term.keys) < 2:
            return None
        counts = [sum(self.lexeme_df.get(x, 0) for x in alts) for alts in term.keys]
        return counts.index(min(counts))

    def newest_years(self, need: int) -> list[int]:
        """The newest years of the matches that hold RECENT_CANDIDATES of them at most: ties
        of score go to the newest year, so their matches are candidates too."""
        low, high = self.filters.year_from, self.filters.year_to
        years = sorted(
            (y for y, n in self.year_counts.items() if n and (low or 0) <= y <= (high or 9999)),
            reverse=True,
        )
        chosen, held = [], 0
        for year in years:
            held += self.year_counts[year]
            if held > max(RECENT_CANDIDATES, need):
                break
            chosen.append(year)
        return chosen

    def _coordination(self) -> list[str]:
        """For words joined by OR: matches holding two of them, which outscore those holding
        one word however often; only pairs expected (as if independent) in at most
        PAIR_CANDIDATES paragraphs, so the candidates stay few."""
        total = max(self.total, 1)
        pairs = []
        for reading in self.parsed.readings:
            for group in reading.groups:
                for i, a in enumerate(group[:4]):
                    for b in group[i + 1 : 4]:
                        expected = self.frequencies.get(a, 0) * self.frequencies.get(b, 0) / total
                        if expected <= PAIR_CANDIDATES:
                            pairs.append(f"({a.match_tsquery()} & {b.match_tsquery()})")
        return pairs

    def top(self, stop: int) -> list[tuple[int, float]]:
        """(id, score) of the best `stop` matches.

        The tiers (term, band) are taken in the order of what they can add to a score, the
        term's idf times band / (band + 1): the high tiers of the rarest word first, a common
        word's only much later. After each, the candidates are the matches in any tier taken
        so far. Their best `stop` are the answer when the last of them scores above
        `ceiling()`, the most a paragraph outside every taken tier can score (exact); or,
        for several words, once there are MIN_CANDIDATES of them (approximate).
        """
        if self._count > EXHAUSTIVE_BELOW and not self.exhaustive:
            need = stop if self.parsed.single_word else max(stop, MIN_CANDIDATES)
            terms = [t for t, n in self.frequencies.items() if n]
            order = sorted(
                (
                    (self.weights[t] * band / (band + 1), i, band)
                    for i, t in enumerate(terms)
                    for band in TIER_BANDS
                    # With several words, the lowest tier of a common word holds tens of
                    # thousands of paragraphs: scoring them costs more than it can change.
                    if self.parsed.single_word or band > 2 or self.frequencies[t] <= WIDE_TERM
                ),
                reverse=True,
            )
            taken: dict = {}
            best: list = []
            # Candidates besides the tiers, scored once: the newest years' matches and, for
            # words joined by OR, the paragraphs holding two of them.
            extras = []
            if not self.parsed.single_word:
                recent, pairs = self.newest_years(need), self._coordination()
                if recent or pairs:
                    extras = self._best(self._scored(" | ".join(pairs), recent), stop)
            statement = self._tier_statement(need)
            # At most MAX_TIER_STEPS queries, however many words: tiers are added in groups,
            # each query once the tiers taken hold twice what the last one held (at first,
            # `need`) when their sizes are known, else in equal groups.
            step = math.ceil(len(order) / MAX_TIER_STEPS)
            wanted, queries = need, 0
            for k, (_, i, band) in enumerate(order, start=1):
                taken[terms[i]] = band
                if k < len(order):
                    if self.tier_sizes is None:
                        if k % step:
                            continue
                    else:
                        held = self._tier_size(taken)
                        if held < wanted or queries == MAX_TIER_STEPS - 1:
                            continue
                        wanted = 2 * held
                queries += 1
                literal = " | ".join(
                    t.tier_tsquery(b, self.rarest_word(t)) for t, b in taken.items()
                )
                tiers = self._best_in_tiers(statement, literal, need)
                best = _merged(tiers[:stop], extras)[:stop]
                if len(best) < stop:
                    continue
                # The ceiling is checked for one word only: with several, closeness and the
                # phrase make it too high to be beaten, and each check is a query.
                bounded = self.parsed.single_word and len(taken) == len(terms)
                if (bounded and best[-1][1] > self.ceiling(taken)) or (
                    len(tiers) >= need and not self.parsed.single_word
                ):
                    self.ranked_from = dict(taken)
                    return [(pk, value) for pk, value, *_ in best]
            if not self.parsed.single_word and len(best) >= stop:
                self.ranked_from = dict(taken)
                return [(pk, value) for pk, value, *_ in best]
        self.ranked_from = "exhaustive"
        return list(self._scored(self.parsed.tsquery).values_list("pk", "score")[:stop])

    def ceiling(self, bands: dict) -> float:
        """The highest score of a paragraph in none of the tiers {term: band}: one that holds
        each word of each term band - 1 times (a title occurrence counts as one), in the
        typed order, so that closeness and the phrase count in full. Each part of the score
        grows with each occurrence, so the product of the parts' highest values (with and
        without the title occurrence) bounds every such paragraph."""
        ceilings = []
        for reading in self.parsed.readings:
            terms = [t for group in reading.groups for t in group]
            if not all(any(self.frequencies.get(t) for t in group) for group in reading.groups):
                continue  # a word of this reading is in no paragraph: it matches none
            words = [(alts, bands.get(t, 1)) for t in terms for alts in t.keys]
            variants = []
            for title in (True, False):
                places = {alts: [] for alts, _ in words}
                for position, (alts, band) in enumerate(words, start=1):
                    if title and band > 1:
                        places[alts].append(f"{min(position, BODY_OFFSET - 1)}A")
                for repeat in range(max(band for _, band in words)):
                    for position, (alts, band) in enumerate(words):
                        if repeat < band - 1 - title:
                            at = BODY_OFFSET + 1 + repeat * len(words) + position
                            places[alts].append(f"{min(at, MAX_POSITION)}D")
                # A lexeme in no paragraph is in no paragraph outside the tiers either.
                vector = " ".join(
                    f"{quote_lexeme(lexeme)}:{','.join(spots)}"
                    for alts, spots in places.items()
                    if spots
                    for lexeme in alts
                    if self.lexeme_df.get(lexeme)
                )
                if vector:
                    variants.append(score_parts(reading, self.weights, Value(vector), self.present))
            if variants:
                ceilings.append(variants)
        if not ceilings:
            return 0.0
        parts = [p for variants in ceilings for v in variants for p in v]
        values = (
            Paragraph.objects.order_by()
            .annotate(**{f"c{i}": Cast(p, FloatField()) for i, p in enumerate(parts)})
            .values_list(*(f"c{i}" for i in range(len(parts))))[:1]
        )
        if not values:
            return 0.0
        row = iter(values[0])
        highest = 0.0
        for variants in ceilings:
            got = [tuple(next(row) for _ in v) for v in variants]
            words_part = max(g[0] for g in got)
            closeness = max(g[1] for g in got)
            near = max(g[2] for g in got)
            highest = max(highest, words_part * (1 + CLOSENESS_WEIGHT * closeness) * near)
        return highest

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
