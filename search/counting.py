"""How many paragraphs a search matches, and its facets: exact up to EXACT_BELOW, estimated
from a fixed sample of the archive above.

A search for one word (not a phrase, no exact form, no country or section filter) is
answered exactly by `statistics_counts` from the term statistics by year and topic
(search.models.TermYear, kept by search.vocabulary with every import and publication):
a few hundred rows, however many paragraphs hold the word. Every other count is one SQL
statement over the paragraph table, written out here. A GIN index over (search_vector,
year, country), of the whole archive or of a sample, answers the words and the filters
together, so a count reads the heap rows of the counted matches only.

1. `most_matches` bounds the answer from the term statistics. When the bound is at most
   COUNT_ALL_BELOW, every match is counted: exact totals and facets; so it is when the
   words' independent guess (`expected_matches`) is at most COUNT_ALL_BELOW and the bound
   at most twice that (a wrong guess reads twice COUNT_ALL_BELOW rows at worst).
2. Otherwise a probe counts the buckets that should hold about SAMPLE_MATCHES matches, so
   that the probe is the sample and one statement answers: for one word at its statistics'
   count, for several at what they would match if they stood in paragraphs independently
   (`expected_matches`) when that is over GUESS_ABOVE, and never below a quarter of the
   bound, which caps what words that stand together cost. Otherwise (a smaller guess, or a
   country or section filter, which the statistics know nothing of) the probe is sized for
   PROBE_MATCHES at the bound. A sample is buckets 0..k-1 for k one of
   sections.models.SAMPLE_STOPS (the first that holds 85 % of the buckets wanted), read from
   the partial GIN indexes of its ranges of buckets (SAMPLE_RANGES): a tally walks only its
   sample's entries of the words.
3. If the facets' matches (every filter but years, topic and language, which the facets
   leave out) look like at most COUNT_ALL_BELOW, they are counted exactly, total included.
   Otherwise they are counted in enough buckets to hold about SAMPLE_MATCHES matches and
   scaled up: the page says "about". A larger sample than the probe's counts only the
   buckets the probe lacks, and adds the probe's counts.
4. A total (all filters) that the sample puts at or under EXACT_BELOW × EXACT_MARGIN is
   counted exactly, so a total of up to EXACT_BELOW is exact; a larger one that the facets'
   sample holds too few matches of is counted again on a sample of its own, sized for it
   (its buckets beyond the facets', added to theirs; counted exactly if that one puts it
   under the margin), so an estimated total rests
   on about 4,000 matches or more (a relative error of about 1.6 %), most on about
   SAMPLE_MATCHES or more.

Counts of large answers are cached for settings.SEARCH_COUNTS_CACHE_SECONDS, keyed by the
query, the filters and a fingerprint of the archive that every import, publication or
deletion changes.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from search.filters import TOPIC_TABLE, SearchFilters, exact_pattern
from search.models import TermYear
from search.vocabulary import (
    ArchiveState,
    country_paragraphs,
    lexeme_parts,
    statistics_current,
)
from sections.models import SAMPLE_BUCKETS, SAMPLE_RANGES, SAMPLE_STOPS, Paragraph

PARAGRAPH_TABLE = Paragraph._meta.db_table
EXACT_BELOW = 10_000
# A total that a sample puts at up to EXACT_BELOW times this is counted exactly: a sample's
# estimate of a total of EXACT_BELOW (from 4,000 matches or more, a relative error of about
# 1.6 %) is six errors short of it, so every total up to EXACT_BELOW is exact.
EXACT_MARGIN = 1.1
PROBE_MATCHES = 1500
SAMPLE_MATCHES = 5000
# Answers up to this many are counted whole, facets and all. Half as much again as
# EXACT_BELOW, so that a probe (which may hold only a few dozen matches) seldom takes an
# answer under EXACT_BELOW for more, and its facets are exact too.
COUNT_ALL_BELOW = 15_000
# A sample holding this share of SAMPLE_MATCHES is enough (4,000: a relative error of about
# 1.6 %): the next indexed sample is twice as large, and would read twice the rows.
ENOUGH = 0.8
# A sample is sized for SAMPLE_MATCHES, but an indexed one expected to hold this share of
# them (4,250: well above ENOUGH) is taken rather than the next one, twice its size.
CLOSE_ENOUGH = 0.85
CACHE_COUNTS_ABOVE = 5000
# The probe is sized as if at least a quarter of the bound matched: words that often stand
# together match far more than their independent shares promise.
UNDERESTIMATE = 4
# Several words' independent guess sizes the probe only above this: a smaller answer may
# well be counted whole after the probe (COUNT_ALL_BELOW).
GUESS_ABOVE = 2 * COUNT_ALL_BELOW


@dataclass
class Counts:
    """The total and facets of a search. `sampled`: the facets are estimates; `approximate`:
    the total is too."""

    total: int = 0
    year_counts: dict[int, int] = field(default_factory=dict)
    topic_counts: dict[str, int] = field(default_factory=dict)
    language_counts: dict[str, int] = field(default_factory=dict)
    sampled: bool = False
    approximate: bool = False
    # Read from the term statistics by year (statistics_counts): they were current.
    from_statistics: bool = False


@dataclass
class _Tally:
    """Matches counted in some sample buckets, grouped as the facets need them."""

    buckets: int
    base: int = 0  # matches of the facets' filters
    total: int = 0  # matches of every filter
    years: Counter = field(default_factory=Counter)
    topics: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)

    @property
    def scale(self) -> float:
        return SAMPLE_BUCKETS / self.buckets

    def __add__(self, more: "_Tally") -> "_Tally":
        """This tally and one of the next buckets (disjoint), as one of all their buckets."""
        return _Tally(
            self.buckets + more.buckets,
            self.base + more.base,
            self.total + more.total,
            self.years + more.years,
            self.topics + more.topics,
            self.languages + more.languages,
        )


class MatchCounter:
    """Counts one search: its tsquery, "=form" words and filters."""

    def __init__(self, tsquery: str, exact_forms: tuple[str, ...], filters: SearchFilters):
        self.filters = filters
        self.params = {"tsquery": tsquery, **filters.sql_params()}
        self.exact_sql = ""
        for i, form in enumerate(exact_forms):
            self.params[f"form_{i}"] = exact_pattern(form)
            self.exact_sql += f" AND p.text ~* %(form_{i})s"

    def counts(self, at_most: int, expected: int | None = None, exact: bool = False) -> Counts:
        """The counts; `at_most`: an upper bound of the matches (`most_matches`), which
        saves the probe when the answer is small; `expected`: the matches expected of the
        facets' filters (`expected_matches`), when the statistics can tell; `exact`: they
        are the answer (one word), not a guess."""
        if at_most <= COUNT_ALL_BELOW or (
            expected is not None and expected <= COUNT_ALL_BELOW and at_most <= 2 * COUNT_ALL_BELOW
        ):
            return self._exact()
        if expected is not None and (exact or expected >= GUESS_ABOVE):
            target, guess = SAMPLE_MATCHES, min(at_most, max(expected, at_most / UNDERESTIMATE))
        else:
            target, guess = PROBE_MATCHES, at_most
        probe = self.tally(self._sample(SAMPLE_BUCKETS * target / guess))
        if probe.buckets == SAMPLE_BUCKETS or probe.base * probe.scale <= COUNT_ALL_BELOW:
            return self._exact(probe if probe.buckets == SAMPLE_BUCKETS else None)
        wanted = self._sample(probe.buckets * SAMPLE_MATCHES / probe.base)
        facets = probe
        if probe.base < SAMPLE_MATCHES * ENOUGH and wanted > probe.buckets:
            facets = self._more(probe, wanted)
        if facets.buckets == SAMPLE_BUCKETS:
            return self._counts(facets, facets.total, sampled=False, approximate=False)
        estimate = facets.total * facets.scale
        if estimate > EXACT_BELOW * EXACT_MARGIN and facets.total < SAMPLE_MATCHES * ENOUGH:
            # The facets' sample holds too few of the total's matches: one of its own.
            buckets = self._sample(facets.buckets * SAMPLE_MATCHES / facets.total)
            if buckets == SAMPLE_BUCKETS:
                return self._counts(facets, self.total(SAMPLE_BUCKETS), True, False)
            if buckets > facets.buckets:
                more = self.total(buckets, since=facets.buckets)
                estimate = (facets.total + more) * SAMPLE_BUCKETS / buckets
        if estimate <= EXACT_BELOW * EXACT_MARGIN:
            return self._counts(facets, self.total(SAMPLE_BUCKETS), True, False)
        return self._counts(facets, round(estimate), True, True)

    def _more(self, tally: _Tally, stop: int) -> _Tally:
        """The tally of buckets 0..stop-1, given one of 0..tally.buckets-1: the whole archive
        is counted through its own index, a sample only in the buckets `tally` lacks."""
        if stop == SAMPLE_BUCKETS:
            return self.tally(SAMPLE_BUCKETS)
        return tally + self.tally(stop, since=tally.buckets)

    def _sample(self, buckets: float) -> int:
        """The sample of about `buckets` buckets that has an index of its own: buckets
        0..stop-1 for the first of SAMPLE_STOPS that holds CLOSE_ENOUGH of them, or the whole
        archive."""
        return next(
            (stop for stop in SAMPLE_STOPS if stop >= buckets * CLOSE_ENOUGH), SAMPLE_BUCKETS
        )

    def _exact(self, tally: "_Tally | None" = None) -> Counts:
        exact = tally or self.tally(SAMPLE_BUCKETS)
        return self._counts(exact, exact.total, sampled=False, approximate=False)

    def _counts(self, tally: _Tally, total: int, sampled: bool, approximate: bool) -> Counts:
        scale = tally.scale

        def scaled(counter: Counter) -> dict:
            return {key: round(n * scale) for key, n in counter.most_common()}

        return Counts(
            total=total,
            year_counts=dict(sorted(scaled(tally.years).items(), reverse=True)),
            topic_counts=scaled(tally.topics),
            language_counts=scaled(tally.languages),
            sampled=sampled,
            approximate=approximate,
        )

    def _where(self, stop: int, since: int = 0) -> str:
        """The condition of the matches in buckets since..stop-1: the whole archive, or
        ranges of SAMPLE_RANGES, each its partial index's predicate as sample_range writes
        it (the planner reads those indexes and checks nothing more)."""
        if stop == SAMPLE_BUCKETS and since == 0:
            # The predicate of the whole archive's index (ARCHIVE_INDEX_CONDITION).
            sample = "p.sample >= 0"
        else:
            ranges = [(low, high) for low, high in SAMPLE_RANGES if since <= low and high <= stop]
            if not ranges or ranges[0][0] != since or ranges[-1][1] != stop:
                raise ValueError(f"no sample index for buckets {since}..{stop - 1}")
            sample = " OR ".join(
                f"(p.sample < {high} AND p.sample + 0 >= {low})" if low else f"(p.sample < {high})"
                for low, high in ranges
            )
        return f"p.search_vector @@ %(tsquery)s::tsquery AND ({sample}){self.exact_sql}"

    def tally(self, stop: int, since: int = 0) -> _Tally:
        """Facet counts of the matches in sample buckets since..stop-1, in one statement.

        Each facet applies every filter but its own (the year facet ignores the year range,
        the topic facet the topic, the language facet the language), so one can see what
        another choice would give.
        """
        f = self.filters
        years, topic, language = f.year_sql("m"), f.topic_sql("m"), f.language_sql("m")
        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT p.year, p.language, p.topics, count(*) AS n
                  FROM {PARAGRAPH_TABLE} p
                 WHERE {self._where(stop, since)} AND {f.base_sql()}
                 GROUP BY p.year, p.language, p.topics
            )
            SELECT 'year', m.year::text, sum(m.n) FROM m
             WHERE TRUE {topic} {language} GROUP BY m.year
            UNION ALL
            SELECT 'topic', t.slug, sum(m.n) FROM m CROSS JOIN unnest(m.topics) AS mt(topic_id)
              JOIN {TOPIC_TABLE} t ON t.id = mt.topic_id
             WHERE TRUE {years} {language} GROUP BY t.slug
            UNION ALL
            SELECT 'language', m.language, sum(m.n) FROM m
             WHERE TRUE {years} {topic} GROUP BY m.language
            UNION ALL
            SELECT 'total', '', coalesce(sum(m.n), 0) FROM m WHERE TRUE {years} {topic} {language}
            UNION ALL
            SELECT 'base', '', coalesce(sum(m.n), 0) FROM m
        """
        tally = _Tally(stop - since)
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            for kind, key, n in cursor.fetchall():
                n = int(n)
                if kind == "year":
                    tally.years[int(key)] = n
                elif kind == "topic":
                    tally.topics[key] = n
                elif kind == "language":
                    tally.languages[key] = n
                elif kind == "total":
                    tally.total = n
                else:
                    tally.base = n
        return tally

    def total(self, stop: int, since: int = 0) -> int:
        """Matches of every filter in sample buckets since..stop-1."""
        sql = (
            f"SELECT count(*) FROM {PARAGRAPH_TABLE} p"
            f" WHERE {self._where(stop, since)} AND {self.filters.all_sql()}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.fetchone()[0]


def most_matches(parsed, df: dict[str, int]) -> int:
    """An upper bound of the paragraphs a query matches, from the paragraphs holding each of
    its lexemes (`df`): per reading, the smallest of its required groups, a group being at
    most the sum of its words or phrases, a phrase at most its rarest word, a word at most
    the sum of its lexemes. Readings are of different languages, whose paragraphs are
    disjoint."""
    return sum(
        min(sum(_term_bound(term, df) for term in group) for group in reading.groups)
        for reading in parsed.readings
    )


def expected_matches(parsed, df: dict[str, int], paragraphs: dict[str, int]) -> int:
    """The paragraphs a query would match if its words stood in paragraphs independently of
    one another: per reading, its language's paragraphs times each required group's share
    (a group holds any of its words), times the share lacking each excluded word. A word's
    or phrase's share is its bound in `most_matches`; `paragraphs`: {language: paragraphs}."""
    expected = 0.0
    for reading in parsed.readings:
        total = paragraphs.get(reading.language, 0)
        if not total:
            continue
        share = 1.0
        for group in reading.groups:
            lacking = 1.0
            for term in group:
                lacking *= 1 - min(1.0, _term_bound(term, df) / total)
            share *= 1 - lacking
        for term in reading.excluded:
            share *= 1 - min(1.0, _term_bound(term, df) / total)
        expected += share * total
    return round(expected)


def _term_bound(term, df: dict[str, int]) -> int:
    """At most the paragraphs holding a phrase's rarest word, a word's lexemes together."""
    return min(sum(df.get(x, 0) for x in alts) for alts in term.keys)


def statistics_counts(
    parsed, filters: SearchFilters, df: dict[str, int], current: bool | None = None
) -> Counts | None:
    """The exact counts of a one-word search from the term statistics by year and topic
    (search.models.TermYear), which hold what a tally would count, without reading a match;
    None when they cannot tell: several words, a phrase, an exact form, a country or section
    filter, a word whose lexemes in one language overlap (two of them in paragraphs), or a
    report's paragraphs changed since it was counted (StaleReport; `current`: whether none
    is, when the caller has read it)."""
    if not parsed.single_word or parsed.exact_forms or filters.country or filters.section:
        return None
    if not (statistics_current() if current is None else current):
        return None
    lexemes = []
    for reading in parsed.readings:
        held = [x for x in reading.groups[0][0].lexemes if df.get(x)]
        if len(held) > 1:
            return None
        lexemes.extend(held)
    years, topics, languages = Counter(), Counter(), Counter()
    total = 0
    low, high = filters.year_from, filters.year_to
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT y.lexeme, y.year, t.slug, y.paragraphs FROM {TermYear._meta.db_table} y"
            f" LEFT JOIN {TOPIC_TABLE} t ON t.id = y.topic WHERE y.lexeme = ANY(%s)",
            [lexemes],
        )
        rows = cursor.fetchall()
    language_of = {lexeme: lexeme_parts(lexeme)[0] for lexeme in lexemes}
    for lexeme, year, topic, n in rows:
        language = language_of[lexeme]
        in_years = (low is None or year >= low) and (high is None or year <= high)
        in_language = not filters.language or language == filters.language
        if topic is not None and in_years and in_language:
            topics[topic] += n
        # Topic 0 rows hold every paragraph; under a topic filter, that topic's rows.
        if topic == (filters.topic or None):
            # Each facet applies every filter but its own, as tally() does.
            if in_language:
                years[year] += n
            if in_years:
                languages[language] += n
            if in_years and in_language:
                total += n
    return Counts(
        total=total,
        year_counts=dict(sorted(years.items(), reverse=True)),
        topic_counts=dict(topics.most_common()),
        language_counts=dict(languages.most_common()),
        from_statistics=True,
    )


def count_matches(
    parsed, filters: SearchFilters, df: dict[str, int], state: ArchiveState
) -> Counts:
    """The counts of a search, from the cache when a large answer was counted recently;
    `df`: the paragraphs holding each lexeme of the query (search.ranking.lexeme_frequencies);
    `state`: the archive's (search.vocabulary.archive_state)."""
    counts = statistics_counts(parsed, filters, df, state.statistics_current())
    if counts is not None:
        return counts
    tsquery, exact_forms = parsed.tsquery, parsed.exact_forms
    keep = settings.SEARCH_COUNTS_CACHE_SECONDS
    key = _cache_key(f"{tsquery} {exact_forms}", filters, state.fingerprint) if keep else None
    cached = cache.get(key) if keep else None
    if cached is not None:
        return cached
    # The statistics know nothing of countries and sections: no guess under those filters,
    # but a country's reports bound what its searches match (a few thousand paragraphs).
    expected = None
    at_most = most_matches(parsed, df)
    if not (filters.country or filters.section):
        expected = expected_matches(parsed, df, state.paragraphs)
    if filters.country:
        at_most = min(at_most, country_paragraphs(filters.country))
    counter = MatchCounter(tsquery, exact_forms, filters)
    counts = counter.counts(at_most, expected, parsed.single_word)
    if keep and counts.total > CACHE_COUNTS_ABOVE:
        cache.set(key, counts, keep)
    return counts


def _cache_key(query: str, filters: SearchFilters, fingerprint: tuple) -> str:
    """The query, the filters and the archive's fingerprint (ArchiveState), which changes
    with every import, re-import, publish or deletion. An edit of one paragraph in the admin
    shows in these counts after the cache time.
    """
    text = repr((query, filters, fingerprint))
    return "search-counts:" + hashlib.sha256(text.encode()).hexdigest()
