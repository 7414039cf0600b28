"""A search over the archive's paragraphs: counts and facets (search.counting), the ranked hits
(search.ranking) and, when few paragraphs hold every word, the ones holding most of them.

Views call ``search_results(parsed, filters)`` inside ``search_time_limit()`` and never build
SQL. The search app owns all of it; the sections app knows nothing of search.
"""

import json
import math
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import OperationalError, connection, models, transaction
from django.db.models import BooleanField, F, Value
from psycopg.errors import QueryCanceled

from search.counting import count_matches
from search.filters import SearchFilters
from search.query import group_text
from search.ranking import (
    ORDER,
    Matches,
    RankedHits,
    TsQuery,
    lexeme_frequencies,
    matching,
    scored,
)
from search.vocabulary import archive_state

# When fewer paragraphs than a page hold every word, paragraphs holding most of them follow.
PARTIAL_BELOW = 20
PARTIAL_LIMIT = 20
# Partial matches are looked for only when the planner expects at most this many candidates.
PARTIAL_MAX_CANDIDATES = 20000


class SearchTimeout(Exception):
    """A search ran past SEARCH_STATEMENT_TIMEOUT_MS: the query is too broad to answer."""


@contextmanager
def search_time_limit():
    """Run the database work of one search under a statement timeout.

    Every statement inside gets settings.SEARCH_STATEMENT_TIMEOUT_MS; one that runs longer is
    cancelled by PostgreSQL and SearchTimeout is raised, so a pathological query costs a
    bounded amount of database time and the reader gets a message, never a server error.
    """
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


@dataclass
class SearchResults:
    """What a search found: counts (exact, or estimated when `approximate`), facets, and the
    ranked hits (page them)."""

    total: int = 0
    year_counts: dict[int, int] = field(default_factory=dict)
    topic_counts: dict[str, int] = field(default_factory=dict)
    language_counts: dict[str, int] = field(default_factory=dict)
    hits: RankedHits = field(default_factory=RankedHits)
    # True when the facets were estimated from a sample (broad queries), and when the total
    # was too (above search.counting.EXACT_BELOW).
    sampled: bool = False
    approximate: bool = False
    # Paragraphs holding most but not all of the words (see partial_matches), when few hold
    # them all; each with `matched_words` and `word_count`.
    partial: list = field(default_factory=list)


def search_results(parsed, filters: SearchFilters | None = None) -> SearchResults:
    """Counts, facets and ranked hits of a ParsedQuery with filters."""
    filters = filters or SearchFilters()
    if not parsed:
        return SearchResults()
    # The term statistics of the query's lexemes, read once for the counts and the ranking.
    df = lexeme_frequencies(parsed)
    state = archive_state()
    counts = count_matches(parsed, filters, df, state)
    results = SearchResults(
        total=counts.total,
        year_counts=counts.year_counts,
        topic_counts=counts.topic_counts,
        language_counts=counts.language_counts,
        sampled=counts.sampled,
        approximate=counts.approximate,
        hits=RankedHits(
            parsed,
            filters,
            counts.total,
            year_counts=counts.year_counts,
            lexeme_df=df,
            archive_total=state.total,
            statistics_current=state.statistics_current(),
        ),
    )
    if results.total < PARTIAL_BELOW:
        results.partial = partial_matches(parsed, filters, results.hits)
    return results


def partial_matches(parsed, filters: SearchFilters, ranked: RankedHits) -> list:
    """Up to PARTIAL_LIMIT paragraphs holding most of the query's words but not all of
    them, those with more of the words first, then by score (the weights of `ranked`, the
    search's full matches, so the term statistics are read once).

    "Most" is all but one for two or three words (one of two, two of three), else half.
    Quoted phrases count as one word and stay whole; excluded words stay excluded.
    """
    readings = [r for r in parsed.readings if len(r.groups) > 1]
    if not readings:
        return []
    needed = {r.language: _needed(len(r.groups)) for r in readings}
    literal = " | ".join(f"({r.partial_tsquery(needed[r.language])})" for r in readings)
    # Not the full matches, as the groups are checked (without the word pairs' hashes): a
    # phrase at the capped last position matches without them, and is no partial match.
    tsquery = f"({literal}) & !({parsed.rank_tsquery})"
    candidates = matching(tsquery, filters, parsed.exact_forms).order_by()
    if _planned_rows(candidates) > PARTIAL_MAX_CANDIDATES:
        return []
    vector = F("search_vector")
    width = max(len(r.groups) for r in readings)
    holds = {
        f"holds_{i}": models.Case(
            *(
                models.When(language=r.language, then=Matches(vector, TsQuery(g)))
                for r in readings
                for position, g in enumerate(r.group_tsqueries())
                if position == i
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
        for i in range(width)
    }
    count = sum((models.Case(models.When(h, then=1), default=0) for h in holds.values()), Value(0))
    hits = list(
        scored(
            parsed,
            candidates.select_related("section__report").defer("search_vector"),
            ranked.weights,
            ranked.present,
        )
        .annotate(**holds, matched=count)
        .filter(matched__gte=Value(min(needed.values())))
        .order_by("-matched", *ORDER)[:PARTIAL_LIMIT]
    )
    by_language = {r.language: r for r in readings}
    for hit in hits:
        reading = by_language[hit.language]
        words = [group_text(g) for g in reading.groups]
        hit.word_count = len(words)
        hit.matched_words = [w for i, w in enumerate(words) if getattr(hit, f"holds_{i}")]
    return [hit for hit in hits if hit.matched >= needed[hit.language]]


def _needed(groups: int) -> int:
    """How many of a query's words or phrases a partial match must hold."""
    return groups - 1 if groups <= 3 else math.ceil(groups / 2)


def _planned_rows(queryset) -> int:
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
