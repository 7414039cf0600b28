"""Full-text search over paragraphs: matching, filters, facet counts and ranking.

Views call ``Paragraph.objects.search_results(query, filters)`` and never build SQL.

A search takes a handful of queries whatever its size (the planner's estimate, the archive's
fingerprint for the counts cache, the counts, the ranked page). The two that do the work:

1. one grouped count over the matching paragraphs gives the year, topic and language facets
   and the number of matches per report (their sum is the total). The GIN index answers
   ``search_vector @@ query`` for word queries without reading any vector, so counting
   costs one visit per matching heap page;
2. one ranking query reads the vectors of the candidates and orders them by
   ``ts_rank_cd`` of the query as their report's language reads it (title matches weighted
   above body matches, close words above distant ones), a boost when the words appear as
   typed, then newest year and reading order.

A query the planner expects to match more than ``SAMPLE_ABOVE`` paragraphs (before the
year and topic filters, which the facets ignore) is counted on a sample of the table's
pages (TABLESAMPLE SYSTEM, always the same pages) holding about ``SAMPLE_MATCHES`` matches,
and the counts are scaled up: the page says "about N". Counting exactly would read every
matching row (for a phrase, every candidate's vector: 300 ms for 37,000 matches in 100,000
paragraphs), which no reader needs when the answer is tens of thousands. A filtered total
under ``EXACT_TOTAL_BELOW`` is then counted exactly all the same.

The counts of queries with more than ``CACHE_COUNTS_ABOVE`` matches are cached for a few
minutes, keyed by the query, the filters and a fingerprint of the archive (so an upload or
a re-import invalidates them). Broad queries are the popular ones.

Ranking needs every candidate's vector, so a query matching most of the archive would be
slow to rank. When there are more than ``RANK_LIMIT`` matches, only the matches in the
newest reports (at least ``RANK_LIMIT`` of them) are ranked, and the page says which years
were ranked.
"""

import hashlib
import json
import math
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQueryField
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import BooleanField, Count, F, FloatField, Func, Max, Value

from search.query import group_text

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
# When fewer paragraphs than a page hold every word, paragraphs holding most of them follow.
PARTIAL_BELOW = 20
PARTIAL_LIMIT = 20
# Partial matches are looked for only when the planner expects at most this many candidates.
PARTIAL_MAX_CANDIDATES = 20000
# Above this many matches only the newest reports' matches are ranked (see module docstring).
RANK_LIMIT = 4000
# Counts of queries with more matches than this are cached for COUNTS_CACHE_SECONDS.
CACHE_COUNTS_ABOVE = 5000
COUNTS_CACHE_SECONDS = 300
# When the planner expects more matches than this, the total and the facets are estimated
# from a sample of the archive's pages that should hold about SAMPLE_MATCHES matches.
SAMPLE_ABOVE = 20000
SAMPLE_MATCHES = 5000
# A sampled query whose estimated total (all filters applied) is below this is counted exactly.
EXACT_TOTAL_BELOW = 10000


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


class SearchTimeout(Exception):
    """A search ran past SEARCH_STATEMENT_TIMEOUT_MS: the query is too broad to answer."""


@contextmanager
def search_time_limit():
    """Run the database work of one search under a statement timeout.

    Every statement inside gets settings.SEARCH_STATEMENT_TIMEOUT_MS; one that runs longer is
    cancelled by PostgreSQL and SearchTimeout is raised, so a pathological query costs a
    bounded amount of database time and the reader gets a message, never a server error.
    """
    from django.conf import settings
    from django.db import OperationalError
    from psycopg.errors import QueryCanceled

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)",
                [str(settings.SEARCH_STATEMENT_TIMEOUT_MS)],
            )
            # set_config(..., true) lasts until the transaction ends, with the search.
            yield
    except OperationalError as error:
        if isinstance(error.__cause__, QueryCanceled):
            raise SearchTimeout from error
        raise


@dataclass(frozen=True)
class SearchFilters:
    """Filters of a search; None or "" means "any"."""

    year_from: int | None = None
    year_to: int | None = None
    topic: str = ""
    section: str = ""
    language: str = ""
    country: str = ""

    def report_q(self, with_years: bool = True, with_language: bool = True) -> models.Q:
        q = models.Q(report__published=True)
        if with_language and self.language:
            q &= models.Q(report__language=self.language)
        if self.country:
            q &= models.Q(report__country=self.country.upper())
        if with_years:
            q &= self.year_q("report__year")
        return q

    def year_q(self, lookup: str) -> models.Q:
        q = models.Q()
        if self.year_from is not None:
            q &= models.Q(**{f"{lookup}__gte": self.year_from})
        if self.year_to is not None:
            q &= models.Q(**{f"{lookup}__lte": self.year_to})
        return q

    def section_q(self, with_topic: bool = True) -> models.Q:
        q = models.Q()
        if self.section:
            q &= models.Q(section__code=self.section)
        if with_topic and self.topic:
            q &= models.Q(section__topics__slug=self.topic)
        return q

    @property
    def active(self) -> bool:
        return any(
            (self.year_from, self.year_to, self.topic, self.section, self.language, self.country)
        )


class RankedHits:
    """The ranked hits of a search for Paginator: its length is known from the counts, so
    paging never runs a COUNT over the matches; slicing runs the ranking query."""

    def __init__(self, queryset=None, count: int = 0):
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [] if self.queryset is None else list(self.queryset[index])
        if self.queryset is None or not 0 <= index < self._count:
            raise IndexError(index)
        return self.queryset[index]


@dataclass
class SearchResults:
    """What a search found: counts (exact, or estimated when `approximate`), facets, and the
    ranked hits (a queryset, page it)."""

    total: int = 0
    year_counts: dict[int, int] = field(default_factory=dict)
    topic_counts: dict[str, int] = field(default_factory=dict)
    language_counts: dict[str, int] = field(default_factory=dict)
    hits: RankedHits = field(default_factory=RankedHits)
    # How many matches are ranked (= total unless the query matched more than RANK_LIMIT).
    ranked: int = 0
    # With a bounded ranking: the oldest year whose matches were ranked.
    ranked_from_year: int | None = None
    # (year, report id, matches) for every report with matches, all filters applied.
    reports: list[tuple[int, int, int]] = field(default_factory=list, repr=False)
    # True when the facets were estimated from a sample (very broad queries), and when the
    # total was too (it is exact whenever every match is ranked, because those are counted).
    sampled: bool = False
    approximate: bool = False
    # Paragraphs holding most but not all of the words (see partial_matches), when few hold
    # them all; each with `matched_words` and `word_count`.
    partial: list = field(default_factory=list)

    @property
    def bounded(self) -> bool:
        return self.ranked < self.total


@contextmanager
def _prefer_index_scans():
    """Make the planner read matches through the GIN index rather than a sequential scan.

    The planner does not know that ``@@`` on a sequential scan fetches each row's vector
    from TOAST, while a bitmap scan of the GIN index needs no vector at all for word
    queries; for a word in most paragraphs it picks the sequential scan, several times
    slower. SET LOCAL ends with the transaction.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        # On an error the savepoint's rollback undoes the SET LOCAL; a statement here would
        # fail in the aborted transaction.
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


class ParagraphQuerySet(models.QuerySet):
    """Paragraph queries for search; attached as ``Paragraph.objects``."""

    def matching(self, tsquery: str):
        """Paragraphs whose vector matches the tsquery literal (see search.query)."""
        return self.filter(Matches(F("search_vector"), TsQuery(tsquery)))

    def filtered(self, filters: SearchFilters):
        """Published paragraphs that pass all the filters."""
        return self.filter(filters.report_q(), filters.section_q())

    def printing(self, forms) -> "ParagraphQuerySet":
        """Paragraphs whose text prints each of these word forms exactly (any case).

        PostgreSQL's \\y is a word boundary; the stem match of the same query narrows the
        candidates through the GIN index first, so only they are scanned.
        """
        queryset = self
        for form in forms:
            queryset = queryset.filter(text__iregex=rf"\y{re.escape(form)}\y")
        return queryset

    def ranked(self, parsed, tsquery: str | None = None):
        """Matches of a ParsedQuery (or of `tsquery`, scored as the query), best first, with a
        `score`, ready for display.

        Each paragraph is scored by its own language's reading of the query: the others
        cannot match it, and ranking the whole query would only cost time. See _score.
        """
        weights = term_weights(parsed)
        scores = [
            models.When(report__language=reading.language, then=_score(reading, weights))
            for reading in parsed.readings
        ]
        return (
            self.matching(tsquery or parsed.tsquery)
            .annotate(score=models.Case(*scores, default=Value(0.0), output_field=FloatField()))
            .select_related("section__report")
            .defer("search_vector")
            .order_by("-score", "-report__year", "report__country", "ordinal", "pk")
        )

    def estimated_matches(self, parsed, filters: SearchFilters) -> int:
        """The planner's estimate of the matches that counts() reads: all filters but years,
        topic and language, which the facets ignore."""
        plan = (
            self.matching(parsed.tsquery)
            .filter(*_facet_base_filters(filters))
            .explain(format="json")
        )
        return int(json.loads(plan)[0]["Plan"]["Plan Rows"])

    def counts(
        self, parsed, filters: SearchFilters, sample_percent: float | None = None
    ) -> SearchResults:
        """Total and facets of a query, in one grouped SQL query.

        Exact, or with `sample_percent` estimated from that share of the table's pages
        (TABLESAMPLE SYSTEM, the same pages every time) and scaled up.

        Facets follow the usual multi-select convention: each facet's counts apply every
        filter except its own (the year facet ignores the year range, the topic facet the
        topic, the language facet the language), so one can see what choosing another year,
        topic or language would give. The report counts apply every filter; their sum is the
        total.
        """
        from sections.models import Report, Section

        base = (
            self.matching(parsed.tsquery)
            .filter(*_facet_base_filters(filters))
            .order_by()
            .values("section_id")
            .annotate(n=models.Count("*"))
        )
        base_sql, base_params = base.query.sql_with_params()
        if sample_percent is not None:
            table = f'FROM "{self.model._meta.db_table}"'
            # A number we computed, not user input; a placeholder would shift the params.
            sample = f"{table} TABLESAMPLE SYSTEM ({sample_percent:.6f}) REPEATABLE (0)"
            base_sql = base_sql.replace(table, sample, 1)
        scale = 100 / sample_percent if sample_percent is not None else 1
        section = Section._meta.db_table
        report = Report._meta.db_table
        section_topics = Section.topics.through._meta.db_table
        topic = Section.topics.field.related_model._meta.db_table
        years_sql, years_params = _year_condition(filters)
        topic_sql = (
            f"""AND EXISTS (SELECT 1 FROM {section_topics} st2 JOIN {topic} t2
                ON t2.id = st2.topic_id WHERE st2.section_id = m.section_id AND t2.slug = %s)"""
            if filters.topic
            else ""
        )
        topic_params = [filters.topic] if filters.topic else []
        language_sql = "AND r.language = %s" if filters.language else ""
        language_params = [filters.language] if filters.language else []
        sql = f"""
            WITH m AS MATERIALIZED ({base_sql})
            SELECT 'year', r.year, NULL, SUM(m.n)
              FROM m JOIN {section} s ON s.id = m.section_id JOIN {report} r ON r.id = s.report_id
             WHERE TRUE {topic_sql} {language_sql}
             GROUP BY r.year
            UNION ALL
            SELECT 'topic', NULL, t.slug, SUM(m.n)
              FROM m JOIN {section} s ON s.id = m.section_id JOIN {report} r ON r.id = s.report_id
              JOIN {section_topics} st ON st.section_id = m.section_id
              JOIN {topic} t ON t.id = st.topic_id
             WHERE TRUE {years_sql} {language_sql}
             GROUP BY t.slug
            UNION ALL
            SELECT 'language', NULL, r.language, SUM(m.n)
              FROM m JOIN {section} s ON s.id = m.section_id JOIN {report} r ON r.id = s.report_id
             WHERE TRUE {years_sql} {topic_sql}
             GROUP BY r.language
            UNION ALL
            SELECT 'report', r.year, r.id::text, SUM(m.n)
              FROM m JOIN {section} s ON s.id = m.section_id JOIN {report} r ON r.id = s.report_id
             WHERE TRUE {years_sql} {topic_sql} {language_sql}
             GROUP BY r.id, r.year
        """
        params = [
            *base_params,
            *topic_params,
            *language_params,
            *years_params,
            *language_params,
            *years_params,
            *topic_params,
            *years_params,
            *topic_params,
            *language_params,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        sampled = sample_percent is not None
        results = SearchResults(sampled=sampled, approximate=sampled)
        reports = []
        for kind, year, key, n in rows:
            n = round(int(n) * scale)
            if kind == "year":
                results.year_counts[year] = n
            elif kind == "topic":
                results.topic_counts[key] = n
            elif kind == "language":
                results.language_counts[key] = n
            else:
                reports.append((year, int(key), n))
        results.year_counts = dict(sorted(results.year_counts.items(), reverse=True))
        results.topic_counts = dict(Counter(results.topic_counts).most_common())
        results.language_counts = dict(Counter(results.language_counts).most_common())
        results.total = sum(n for _, _, n in reports)
        results.reports = reports
        return results

    def cached_counts(self, parsed, filters: SearchFilters) -> SearchResults:
        """`counts()`, from the cache when this query was counted recently and was large."""
        key = _counts_cache_key(f"{parsed.tsquery} {parsed.exact_forms}", filters)
        cached = cache.get(key)
        if cached is not None:
            return cached
        expected = self.estimated_matches(parsed, filters)
        if expected > SAMPLE_ABOVE:
            percent = min(100.0, max(0.5, 100 * SAMPLE_MATCHES / expected))
            results = self.counts(parsed, filters, percent)
        else:
            with _prefer_index_scans():
                results = self.counts(parsed, filters)
        if results.total > CACHE_COUNTS_ABOVE:
            cache.set(key, results, COUNTS_CACHE_SECONDS)
        return results

    def search_results(self, parsed, filters: SearchFilters | None = None) -> SearchResults:
        """Counts, facets and ranked hits of a ParsedQuery with filters (see module docstring)."""
        filters = filters or SearchFilters()
        if not parsed:
            return SearchResults()
        # Every count and ranking below reads this queryset: "=form" words narrow them all.
        base = self.printing(parsed.exact_forms)
        results = base.cached_counts(parsed, filters)
        matches = base.filtered(filters)
        if results.sampled and results.total <= EXACT_TOTAL_BELOW:
            # Facets came from a sample, but a filtered total this small is cheap to count,
            # and the choice of what to rank below should rest on the real number.
            with _prefer_index_scans():
                results.total = matches.matching(parsed.tsquery).count()
            results.approximate = False
        hits = matches.ranked(parsed)
        results.ranked = results.total
        if results.total > RANK_LIMIT:
            # Newest reports first (country order breaks ties), until RANK_LIMIT matches.
            chosen, ranked = [], 0
            for year, report_id, n in sorted(results.reports, key=lambda r: (-r[0], r[1])):
                if ranked >= RANK_LIMIT:
                    break
                chosen.append(report_id)
                ranked += n
                results.ranked_from_year = year
            hits = hits.filter(report_id__in=chosen)
            # Sampled report counts are estimates: count what is ranked, for exact paging.
            results.ranked = hits.count() if results.sampled else ranked
        results.hits = RankedHits(hits, results.ranked)
        if results.total < PARTIAL_BELOW:
            results.partial = base.partial_matches(parsed, filters)
        return results

    def partial_matches(self, parsed, filters: SearchFilters) -> list:
        """Up to PARTIAL_LIMIT paragraphs holding most of the query's words but not all of
        them, those with more of the words first, then by score.

        "Most" is all but one for two or three words (one of two, two of three), else half.
        Quoted phrases count as one word and stay whole; excluded words stay excluded.
        """
        readings = [r for r in parsed.readings if len(r.groups) > 1]
        if not readings:
            return []
        needed = {r.language: _needed(len(r.groups)) for r in readings}
        literal = " | ".join(f"({r.partial_tsquery(needed[r.language])})" for r in readings)
        tsquery = f"({literal}) & !({parsed.tsquery})"
        candidates = self.filtered(filters).matching(tsquery).order_by()
        if _planned_rows(candidates) > PARTIAL_MAX_CANDIDATES:
            return []
        vector = F("search_vector")
        width = max(len(r.groups) for r in readings)
        holds = {
            f"holds_{i}": models.Case(
                *(
                    models.When(report__language=r.language, then=Matches(vector, TsQuery(g)))
                    for r in readings
                    for position, g in enumerate(r.group_tsqueries())
                    if position == i
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
            for i in range(width)
        }
        count = sum(
            (models.Case(models.When(h, then=1), default=0) for h in holds.values()), Value(0)
        )
        hits = list(
            self.filtered(filters)
            .ranked(parsed, tsquery)
            .annotate(**holds, matched=count)
            .filter(matched__gte=Value(min(needed.values())))
            .order_by("-matched", "-score", "-report__year", "report__country", "ordinal", "pk")[
                :PARTIAL_LIMIT
            ]
        )
        by_language = {r.language: r for r in readings}
        for hit in hits:
            reading = by_language[hit.section.report.language]
            words = [group_text(g) for g in reading.groups]
            hit.word_count = len(words)
            hit.matched_words = [w for i, w in enumerate(words) if getattr(hit, f"holds_{i}")]
        return [hit for hit in hits if hit.matched >= needed[hit.section.report.language]]


def _needed(groups: int) -> int:
    """How many of a query's words or phrases a partial match must hold."""
    return groups - 1 if groups <= 3 else math.ceil(groups / 2)


def _planned_rows(queryset) -> int:
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def term_weights(parsed) -> dict:
    """Each term's idf (BM25's ln(1 + (N - n + 0.5) / (n + 0.5))) from the archive's term
    statistics: a word in few paragraphs weighs more than one in most of them. A term's n is
    that of its commonest lexeme (its alternatives match together); a phrase's, that of its
    rarest word."""
    from search.vocabulary import document_frequencies, total_paragraphs

    terms = [t for reading in parsed.readings for group in reading.groups for t in group]
    frequencies = document_frequencies({lexeme for t in terms for lexeme in t.lexemes})
    total = max(total_paragraphs(), 1)
    weights = {}
    for term in terms:
        per_word = [max((frequencies.get(x, 0) for x in word), default=0) for word in term.keys]
        n = min(per_word, default=0)
        weights[term] = math.log(1 + (total - n + 0.5) / (n + 0.5))
    return weights


def _score(reading, weights: dict):
    """The rank of a paragraph for one reading (see search.query.Reading).

    The sum over the query's words of the word's idf times how much of it the paragraph
    holds (ts_rank: body occurrences count, a title occurrence adds less), raised by up to
    CLOSENESS_WEIGHT when the words stand close together (ts_rank_cd, cover density), and by
    PROXIMITY_BOOST when they form the typed phrase. So a rare word outweighs a common one,
    the text outweighs the title, and the phrase beats close words beat scattered words.
    """
    vector = F("search_vector")
    terms = [term for group in reading.groups for term in group]
    scored, rest = terms[:MAX_SCORED_TERMS], terms[MAX_SCORED_TERMS:]
    parts = [Value(weights.get(t, 1.0)) * Rank(vector, TsQuery(t.tsquery())) for t in scored]
    if rest:
        shared = min(weights.get(t, 1.0) for t in rest)
        literal = " | ".join(t.tsquery() for t in rest)
        parts.append(Value(shared) * Rank(vector, TsQuery(literal)))
    closeness = RankCD(vector, TsQuery(reading.tsquery))
    score = sum(parts[1:], parts[0]) * (Value(1.0) + Value(CLOSENESS_WEIGHT) * closeness)
    if not reading.proximity_tsquery:
        return score
    near = Matches(F("search_vector"), TsQuery(reading.proximity_tsquery))
    return score * models.Case(
        models.When(near, then=Value(PROXIMITY_BOOST)),
        default=Value(1.0),
        output_field=FloatField(),
    )


def _counts_cache_key(tsquery: str, filters: SearchFilters) -> str:
    """Cache key for counts: the query, the filters and the state of the archive.

    The archive's fingerprint (newest report change, number of reports, highest paragraph
    id: all cheap to read) changes with every import, re-import, publish or deletion. An
    edit of one paragraph in the admin shows in these counts after COUNTS_CACHE_SECONDS.
    """
    from sections.models import Paragraph, Report

    state = Report.objects.aggregate(changed=Max("updated"), reports=Count("id"))
    last_paragraph = Paragraph.objects.aggregate(last=Max("id"))
    text = repr((tsquery, filters, state, last_paragraph))
    return "search-counts:" + hashlib.sha256(text.encode()).hexdigest()


def _facet_base_filters(filters: SearchFilters) -> tuple[models.Q, models.Q]:
    """The filters every facet applies: all but years, topic and language."""
    return (
        filters.report_q(with_years=False, with_language=False),
        filters.section_q(with_topic=False),
    )


def _year_condition(filters: SearchFilters) -> tuple[str, list]:
    sql, params = "", []
    if filters.year_from is not None:
        sql += " AND r.year >= %s"
        params.append(filters.year_from)
    if filters.year_to is not None:
        sql += " AND r.year <= %s"
        params.append(filters.year_to)
    return sql, params
