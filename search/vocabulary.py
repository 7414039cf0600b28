"""The archive's own vocabulary: term statistics for ranking and "did you mean" for typos.

**Statistics.** For every lexeme of the published paragraphs (exactly as the search vectors
hold it: ``азапт``, ``~кама``, ``en:tortur``), `search.models.Term` keeps the number of
paragraphs holding it (`df`: text or section title, what a search for it matches and BM25's
n; `text_df`: the paragraph's own text) and the word as it is most often printed (`surface`:
азаптау for азапт). The counts come from the stored vectors by PostgreSQL's ``ts_stat``; the
printed forms from the report's text, analysed by the same analyzer as the index.

Updates cost work in proportion to one report: each report's contribution is kept in
`search.models.ReportVocabulary`, and `refresh_report_terms` subtracts the old contribution
and adds the new one (only the lexemes whose counts changed are written). Call it after a
report is imported, re-imported, deleted or (un)published, in the same transaction:

    refresh_report_terms(report)        # or its id, for a report already deleted

Each report's paragraphs are also counted by year and topic into `search.models.TermYear`,
from which a one-word search's counts are read (search.counting). Triggers on the paragraph
table list a report as `StaleReport` whenever its paragraphs change, by whatever means; a
refresh takes off the mark it saw before counting, and while any is listed, counts are read
from the paragraphs instead and `statistics_current` queues a recount.

`sync_terms()` refreshes every report whose state (published flag, last update, analyzer
version) differs from what was counted, that is listed stale, or that was deleted since:
cheap when nothing changed, so it can run after a reindex or migration. `rebuild_terms()`
counts everything again (``manage.py rebuild_terms``). Refreshes take one advisory lock, so
two imports never interleave their increments.

**Did you mean.** `suggest(word)` analyses the typed word as the index does (search.kazakh
for Kazakh, search.snowball for English and Russian) and looks for lexemes of the archive
whose keys are one edit away (keys of 3+ letters) or two (keys of 6+ letters), edits
counted as optimal string alignment (rapidfuzz: a swap of neighbouring letters is one edit).
Nothing scans the vocabulary: keys one edit away come from one B-tree lookup of the typed
key's one-letter deletions in `TermVariant` (the symmetric-delete method), keys two edits
away from the pg_trgm index on the keys, bounded by fuzzystrmatch's
``levenshtein_less_equal``. Kazakh words typed without Kazakh letters are compared
keyboard-folded. Since a typo can change where the analyzer cuts a word (азаптуа is not cut
at all: its key is two edits from азапт), the best candidates' printed forms are compared
with the typed word too (азаптуа is one swap from азаптау), and the distance is the smaller
one; the replacement is that closest printed form. A candidate's score is its paragraph
count divided by `DISTANCE_PENALTY` per edit. A word that matches nothing gets the best
candidate of the first language (by its script) that has one. A word that matches a few
paragraphs (at most `RARE`) gets one only when its key is long (`FAR_LESS_KEY`) and a
neighbour one edit away in the same language matches `FAR_MORE` times as many (a misprint
of a common word); any other word that matches is left alone. `suggest_query(text)` does
this for each plain word of a query and keeps operators, quoted phrases, ``-words`` and the
words that match.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum
from django_tasks import task
from rapidfuzz.distance import OSA

from search import kazakh
from search.indexing import (
    FOLDED_MARK,
    LANGUAGE_MARKS,
    MAX_KEY_CHARS,
    PAIR_MARK,
    TIER_MARK,
    analyze,
    analyzer_version,
    lexemes,
    query_lexemes,
)
from search.models import ReportVocabulary, StaleReport, Term, TermForm, TermVariant, TermYear

# pg_advisory_xact_lock key taken by every refresh (an arbitrary constant: "term").
_LOCK = 0x7465726D
# While a report is listed stale, a recount is queued at most this often (per process).
RECOUNT_SECONDS = 60
MAX_FORM_CHARS = 200

# -- did you mean ---------------------------------------------------------------------------

# Trigram similarity a key two edits away needs to be fetched (pg_trgm's default, 0.3):
# two edits side by side in a key of 6+ letters leave it above that; two far apart in a
# short key may not (the price of an index lookup instead of a scan).
SIMILARITY = 0.3
# Candidates fetched by the trigram index before their edit distance is checked, and the
# best ones whose printed forms are compared with the typed word.
CANDIDATES = 200
TOP = 20
# A candidate's paragraph count is divided by this for each edit.
DISTANCE_PENALTY = 10
# A word that matches something is corrected only when its key has 6+ letters, it matches at
# most RARE paragraphs and a neighbour one edit away in the same language matches FAR_MORE
# times as many: a misprint of a common word. Short keys are left alone whatever their
# counts: Kazakh is dense with short words one letter apart (отыз/отыр, баспа/басқа).
FAR_MORE = 100
RARE = 3
FAR_LESS_KEY = 6
# Only this many words of a query are checked.
MAX_QUERY_WORDS = 12


def max_distance(key: str) -> int:
    """How many edits a typo of this key may have: none for 1-2 letters, 1 up to 5, else 2."""
    return 0 if len(key) <= 2 else 1 if len(key) <= 5 else 2


@dataclass(frozen=True)
class Suggestion:
    """A correction for one query word.

    `replacement` is a printed form of the suggested word (the one closest to what was
    typed, so the correction keeps the reader's inflection where the archive has it); `key`
    the analyzer key it is indexed under (`lexeme` with its marks); `frequency` the
    published paragraphs it matches; `distance` the edit distance between the keys (or the
    printed forms, when those are closer); `word_frequency` what the typed word matches.
    """

    word: str
    replacement: str
    key: str
    lexeme: str
    language: str
    frequency: int
    distance: int
    word_frequency: int = 0


# -- statistics -----------------------------------------------------------------------------


def lexeme_parts(lexeme: str) -> tuple[str, str, bool]:
    """(language, key without marks, whether it is a folded "~" twin) of an indexed lexeme."""
    for language, mark in LANGUAGE_MARKS.items():
        if lexeme.startswith(mark):
            return language, lexeme[len(mark) :], False
    if lexeme.startswith(FOLDED_MARK):
        return "kk", lexeme[len(FOLDED_MARK) :], True
    return "kk", lexeme, False


def fuzzy_form(text: str, language: str) -> str:
    """What "did you mean" compares: lower case, keyboard-folded for Kazakh."""
    text = text.lower()
    return kazakh.fold(text) if language == "kk" else text


_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u02bc\u2018", "'"))
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def printed_form(text: str) -> str:
    """A word as printed, without what the reader cannot see (soft hyphens, stress marks)."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = "".join(ch for ch in text if ch not in _INVISIBLE and not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text)[:MAX_FORM_CHARS]


def document_frequencies(lexemes: object, text_only: bool = False) -> dict[str, int]:
    """{lexeme: published paragraphs holding it} for the given lexemes (0 when none).

    Lexemes are as indexed (``азапт``, ``~кама``, ``en:tortur``). With `text_only`, only
    paragraphs whose own text holds it (not just their section title) are counted.
    """
    wanted = list(dict.fromkeys(lexemes))
    found = dict.fromkeys(wanted, 0)
    if wanted:
        column = "text_df" if text_only else "df"
        found.update(Term.objects.filter(lexeme__in=wanted).values_list("lexeme", column))
    return found


def total_paragraphs() -> int:
    """The number of paragraphs in published reports (as counted by the last refresh)."""
    total = ReportVocabulary.objects.filter(published=True).aggregate(n=Sum("paragraphs"))["n"]
    return total or 0


class ArchiveState:
    """What a search reads of the archive before it counts: the paragraphs of published
    reports by language (as `total_paragraphs` counts them) and whether a report is listed
    stale, read together (`archive_state`); and, only for a count that may be cached, a
    fingerprint that every import, re-import, publication or deletion changes."""

    def __init__(self, paragraphs: dict[str, int], stale: bool):
        self.paragraphs = paragraphs
        self.stale = stale

    @property
    def total(self) -> int:
        return sum(self.paragraphs.values())

    def statistics_current(self) -> bool:
        """`statistics_current()` as of this state: a recount is queued when a report is
        listed stale."""
        if self.stale:
            _queue_recount()
        return not self.stale

    @cached_property
    def fingerprint(self) -> tuple:
        """(newest report change, number of reports, highest paragraph id), the counts
        cache's key: two aggregates, read only by a count that may be kept."""
        report, paragraph = _report_model()._meta.db_table, _paragraph_model()._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT max(updated) FROM {report}), (SELECT count(*) FROM {report}),"
                f" (SELECT max(id) FROM {paragraph})"
            )
            return tuple(cursor.fetchone())


def archive_state() -> ArchiveState:
    """The ArchiveState's paragraphs and staleness, in one statement (a search reads it
    once, before its counts)."""
    sql = f"""
        SELECT v.language, v.n, EXISTS (SELECT 1 FROM {StaleReport._meta.db_table})
          FROM (SELECT) AS one
          LEFT JOIN (SELECT language, sum(paragraphs) AS n
                       FROM {ReportVocabulary._meta.db_table}
                      WHERE published GROUP BY language) AS v ON true
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    paragraphs = {language: int(n) for language, n, _ in rows if language and n}
    return ArchiveState(paragraphs, rows[0][2])


def country_paragraphs(country: str) -> int:
    """Paragraphs in the published reports of one country, any year (as counted by the last
    refresh of each): at most what a search with this country filter can match."""
    reports = _report_model().objects.filter(country=country.upper()).values("id")
    paragraphs = ReportVocabulary.objects.filter(published=True, report_id__in=reports)
    return paragraphs.aggregate(n=Sum("paragraphs"))["n"] or 0


def _report_model():
    from sections.models import Report

    return Report


def _paragraph_model():
    from sections.models import Paragraph

    return Paragraph


def _contribution(report) -> tuple[int, dict[str, list]]:
    """(paragraphs, {lexeme: [df, text_df, {form: count}]}) of one published report."""
    from sections.models import Paragraph

    vectors = (
        f"SELECT search_vector FROM {Paragraph._meta.db_table} "
        f"WHERE report_id = {int(report.pk)} AND search_vector IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # Impact tiers ("азапт#3") and word pairs ("^3fa") are not words: no statistics,
            # no suggestions.
            "SELECT a.word, a.ndoc, coalesce(d.ndoc, 0) FROM ts_stat(%s) a "
            "LEFT JOIN ts_stat(%s, 'd') d USING (word) "
            "WHERE strpos(a.word, %s) = 0 AND strpos(a.word, %s) <> 1",
            [vectors, vectors, TIER_MARK, PAIR_MARK],
        )
        counts = {word: [ndoc, text_ndoc] for word, ndoc, text_ndoc in cursor.fetchall()}
    language = report.language
    forms: dict[str, Counter] = defaultdict(Counter)

    def add_forms(text: str) -> None:
        for token in analyze(text, language):
            if token.key and len(token.key) <= MAX_KEY_CHARS:
                form = printed_form(token.text)
                for lexeme in lexemes(token.key, language):
                    forms[lexeme][form] += 1

    # A section title is indexed into each of its paragraphs but printed once.
    for title in report.sections.values_list("title", flat=True):
        add_forms(title)
    paragraphs = 0
    for text in report.paragraphs.values_list("text", flat=True).iterator(chunk_size=2000):
        paragraphs += 1
        add_forms(text)
    terms = {
        lexeme: [df, text_df, dict(forms.get(lexeme, {}))]
        for lexeme, (df, text_df) in counts.items()
    }
    return paragraphs, terms


def refresh_report_terms(report) -> None:
    """Bring the archive's term statistics up to date with one report (a Report or its id).

    Call it after the report was imported or re-imported, had its published flag changed,
    or was deleted (pass the id then: a deleted instance has lost its pk). Costs work in
    proportion to that report's vocabulary, whatever the size of the archive.
    """
    Report = _report_model()
    report_id = report if isinstance(report, int) else report.pk
    if report_id is None:
        raise ValueError(
            "refresh_report_terms needs the report's id (a deleted report's pk is None)"
        )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        # The stale mark as it is before counting: one a write makes meanwhile stays.
        seen = StaleReport.objects.filter(report_id=report_id).values_list("version", flat=True)
        unmark = StaleReport.objects.filter(report_id=report_id, version__in=list(seen))
        current = Report.objects.filter(pk=report_id).first()
        state = ReportVocabulary.objects.filter(report_id=report_id).first()
        old = state.terms if state else {}
        if current is not None and current.published:
            paragraphs, new = _contribution(current)
        else:
            paragraphs, new = 0, {}
        _apply(old, new)
        if current is None:
            if state is not None:
                _apply_years(_year_rows(state.year, old, state.topic_df), Counter())
            ReportVocabulary.objects.filter(report_id=report_id).delete()
            unmark.delete()
            return
        year = current.year if current.published else None
        topic_df = _topic_contribution(report_id) if year is not None else {}
        before = _year_rows(state.year, old, state.topic_df) if state else Counter()
        _apply_years(before, _year_rows(year, new, topic_df))
        ReportVocabulary.objects.update_or_create(
            report_id=report_id,
            defaults={
                "language": current.language,
                "published": current.published,
                "paragraphs": paragraphs,
                "analyzer_version": analyzer_version(current.language),
                "report_updated": current.updated,
                "terms": new,
                "year": year,
                "topic_df": topic_df,
            },
        )
        unmark.delete()


def _topic_contribution(report_id: int) -> dict[str, dict[str, int]]:
    """{lexeme: {topic id: the report's paragraphs of that topic holding it}}, and for each
    impact tier ("азапт#3") {"0": the report's paragraphs in it}: the ranking's tier sizes."""
    from sections.models import Paragraph

    with connection.cursor() as cursor:
        # One pass over the vectors: a word counts in each of its paragraph's topics, a tier
        # in topic 0.
        cursor.execute(
            f"SELECT w.lexeme, t.topic, count(*) FROM {Paragraph._meta.db_table} p"
            " CROSS JOIN LATERAL unnest(tsvector_to_array(p.search_vector)) AS w(lexeme)"
            " CROSS JOIN LATERAL unnest(CASE WHEN strpos(w.lexeme, %s) > 0"
            " THEN ARRAY[0] ELSE p.topics END) AS t(topic)"
            " WHERE p.report_id = %s AND strpos(w.lexeme, %s) <> 1 GROUP BY w.lexeme, t.topic",
            [TIER_MARK, report_id, PAIR_MARK],
        )
        found: dict[str, dict[str, int]] = defaultdict(dict)
        for lexeme, topic, n in cursor.fetchall():
            found[lexeme][str(topic)] = n
    return dict(found)


def _year_rows(year: int | None, terms: dict, topic_df: dict) -> Counter:
    """{(lexeme, year, topic): paragraphs} of one report's counts (topic 0: all of them)."""
    rows = Counter()
    if year is None:
        return rows
    for lexeme, (df, *_) in terms.items():
        rows[(lexeme, year, 0)] = df
    for lexeme, topics in topic_df.items():
        for topic, n in topics.items():
            rows[(lexeme, year, int(topic))] = n
    return rows


def _apply_years(old: Counter, new: Counter) -> None:
    """Add `new` and take back `old` in TermYear (only the rows that change)."""
    # (lexeme, year, topic, change) for each row that changes.
    changes = [(*row, d) for row in sorted(old.keys() | new.keys()) if (d := new[row] - old[row])]
    if not changes:
        return
    table = TermYear._meta.db_table
    lexeme_list, years, topics, deltas = _columns(changes)
    with connection.cursor() as cursor:
        # As in _upsert: rows that exist take the change, new ones are inserted, and rows at
        # zero are deleted (a CHECK is tested on an INSERT's proposed row, even on conflict).
        cursor.execute(
            f"UPDATE {table} t SET paragraphs = GREATEST(t.paragraphs + u.d, 0) "
            f"FROM unnest(%s::text[], %s::smallint[], %s::int[], %s::int[]) AS u(l, y, k, d) "
            f"WHERE t.lexeme = u.l AND t.year = u.y AND t.topic = u.k "
            f"RETURNING t.lexeme, t.year, t.topic, t.paragraphs",
            [lexeme_list, years, topics, deltas],
        )
        returned = cursor.fetchall()
        updated = {row[:3] for row in returned}
        fresh = [change for change in changes if change[:3] not in updated and change[3] > 0]
        if fresh:
            cursor.execute(
                f"INSERT INTO {table} (lexeme, year, topic, paragraphs) "
                f"SELECT * FROM unnest(%s::text[], %s::smallint[], %s::int[], %s::int[])",
                _columns(fresh),
            )
        # Only the rows the update brought to zero: looking up every changed row again took
        # 74 ms of an import at 500,000 paragraphs (15,000 rows), to delete none.
        emptied = [row[:3] for row in returned if row[3] <= 0]
        if emptied:
            cursor.execute(
                f"DELETE FROM {table} t USING unnest(%s::text[], %s::smallint[], %s::int[]) "
                f"AS u(l, y, k) WHERE t.lexeme = u.l AND t.year = u.y AND t.topic = u.k "
                f"AND t.paragraphs <= 0",
                _columns(emptied),
            )


_EMPTY = (0, 0, {})


def _apply(old: dict[str, list], new: dict[str, list]) -> None:
    """Add `new` and take back `old` in Term and TermForm (only the lexemes that changed)."""
    term_rows, form_rows = [], []
    for lexeme in sorted(old.keys() | new.keys()):
        before, after = old.get(lexeme, _EMPTY), new.get(lexeme, _EMPTY)
        language, key, folded = lexeme_parts(lexeme)
        d_df, d_text = after[0] - before[0], after[1] - before[1]
        if d_df or d_text:
            fuzzy = kazakh.fold(key) if language == "kk" else key
            term_rows.append((lexeme, language, key, folded, fuzzy, d_df, d_text))
        for form in sorted(before[2].keys() | after[2].keys()):
            change = after[2].get(form, 0) - before[2].get(form, 0)
            if change:
                fuzzy = fuzzy_form(form, language)
                form_rows.append((lexeme, form, language, folded, fuzzy, change))
    with connection.cursor() as cursor:
        if term_rows:
            _upsert(cursor, Term._meta.db_table, term_rows)
        if form_rows:
            _upsert_forms(cursor, TermForm._meta.db_table, form_rows)
            changed = sorted({row[0] for row in form_rows})
            _refresh_surfaces(cursor, changed)


def _columns(rows: list[tuple]) -> list[list]:
    return [list(column) for column in zip(*rows, strict=True)]


def _upsert(cursor, table: str, rows: list[tuple]) -> None:
    lexeme_list, language, key, folded, fuzzy, d_df, d_text = _columns(rows)
    # Existing rows take the change (never below zero); new ones are inserted. A CHECK
    # constraint is tested on an INSERT's proposed row, so negative changes never go there.
    cursor.execute(
        f"UPDATE {table} t SET df = GREATEST(t.df + u.d, 0), "
        f"text_df = GREATEST(t.text_df + u.t, 0) "
        f"FROM unnest(%s::text[], %s::int[], %s::int[]) AS u(l, d, t) "
        f"WHERE t.lexeme = u.l RETURNING t.lexeme",
        [lexeme_list, d_df, d_text],
    )
    updated = {row[0] for row in cursor.fetchall()}
    fresh = [row for row in rows if row[0] not in updated and row[5] > 0]
    if fresh:
        lexeme_list, language, key, folded, fuzzy, d_df, d_text = _columns(fresh)
        cursor.execute(
            f"INSERT INTO {table} (lexeme, language, key, folded, fuzzy, df, text_df, surface) "
            f"SELECT l, lang, k, f, z, d, GREATEST(t, 0), '' FROM unnest(%s::text[], "
            f"%s::text[], %s::text[], %s::bool[], %s::text[], %s::int[], %s::int[]) "
            f"AS u(l, lang, k, f, z, d, t)",
            [lexeme_list, language, key, folded, fuzzy, d_df, d_text],
        )
    cursor.execute(
        f"DELETE FROM {table} WHERE lexeme = ANY(%s) AND df <= 0 "
        f"RETURNING lexeme, language, fuzzy, folded",
        [[r[0] for r in rows]],
    )
    gone = [row for row in cursor.fetchall() if not row[3]]
    born = [(r[0], r[1], r[4]) for r in fresh if not r[3]]
    _variants(cursor, "DELETE", [(lx, language, fuzzy) for lx, language, fuzzy, _ in gone])
    _variants(cursor, "INSERT", born)


def deletions(key: str) -> set[str]:
    """The key and every string made by deleting one of its letters."""
    return {key, *(key[:i] + key[i + 1 :] for i in range(len(key)))}


def _variants(cursor, action: str, terms: list[tuple[str, str, str]]) -> None:
    """Add or remove the TermVariant rows of (lexeme, language, fuzzy) terms."""
    rows = sorted(
        {
            (language, variant, lexeme)
            for lexeme, language, fuzzy in terms
            if max_distance(fuzzy)
            for variant in deletions(fuzzy)
        }
    )
    if not rows:
        return
    table = TermVariant._meta.db_table
    if action == "INSERT":
        cursor.execute(
            f"INSERT INTO {table} (language, variant, lexeme) "
            f"SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) ON CONFLICT DO NOTHING",
            _columns(rows),
        )
    else:
        cursor.execute(
            f"DELETE FROM {table} v USING unnest(%s::text[], %s::text[], %s::text[]) "
            f"AS u(language, variant, lexeme) WHERE v.language = u.language "
            f"AND v.variant = u.variant AND v.lexeme = u.lexeme",
            _columns(rows),
        )


def _upsert_forms(cursor, table: str, rows: list[tuple]) -> None:
    lexeme_list, form, language, folded, fuzzy, change = _columns(rows)
    cursor.execute(
        f"UPDATE {table} t SET count = GREATEST(t.count + u.c, 0) "
        f"FROM unnest(%s::text[], %s::text[], %s::int[]) AS u(l, f, c) "
        f"WHERE t.lexeme = u.l AND t.form = u.f RETURNING t.lexeme, t.form",
        [lexeme_list, form, change],
    )
    updated = set(cursor.fetchall())
    fresh = [row for row in rows if (row[0], row[1]) not in updated and row[5] > 0]
    if fresh:
        lexeme_list, form, language, folded, fuzzy, change = _columns(fresh)
        cursor.execute(
            f"INSERT INTO {table} (lexeme, form, language, folded, fuzzy, count) "
            f"SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::bool[], "
            f"%s::text[], %s::int[])",
            [lexeme_list, form, language, folded, fuzzy, change],
        )
    cursor.execute(
        f"DELETE FROM {table} WHERE lexeme = ANY(%s) AND count <= 0",
        [sorted({r[0] for r in rows})],
    )


def _refresh_surfaces(cursor, changed: list[str]) -> None:
    # The most frequent word regardless of case (азаптау, Азаптау count together), shown
    # in its most frequent case.
    cursor.execute(
        f"UPDATE {Term._meta.db_table} t SET surface = s.form FROM ("
        f"  SELECT DISTINCT ON (lexeme) lexeme, form FROM ("
        f"    SELECT lexeme, form, count,"
        f"      sum(count) OVER (PARTITION BY lexeme, lower(form)) AS total"
        f"    FROM {TermForm._meta.db_table} WHERE lexeme = ANY(%s)) f"
        f"  ORDER BY lexeme, total DESC, count DESC, form) s "
        f"WHERE t.lexeme = s.lexeme AND t.surface IS DISTINCT FROM s.form",
        [changed],
    )


def _stale_report_ids() -> list[int]:
    Report = _report_model()
    reports = {
        pk: (published, updated, analyzer_version(language))
        for pk, published, updated, language in Report.objects.values_list(
            "pk", "published", "updated", "language"
        )
    }
    counted = {
        pk: (published, updated, version)
        for pk, published, updated, version in ReportVocabulary.objects.values_list(
            "report_id", "published", "report_updated", "analyzer_version"
        )
    }
    stale = []
    for pk, state in reports.items():
        seen = counted.get(pk)
        # An unpublished report contributes nothing, whatever else changed.
        if seen is None or seen[0] != state[0] or (state[0] and seen != state):
            stale.append(pk)
    stale.extend(pk for pk in counted if pk not in reports)
    stale.extend(StaleReport.objects.values_list("report_id", flat=True))
    return sorted(set(stale))


def statistics_current() -> bool:
    """Whether the term statistics by year and topic hold what the paragraphs hold: no report
    is listed stale. When one is, a recount is queued (at most once every RECOUNT_SECONDS per
    process, once the caller's transaction commits), so a change made behind the statistics'
    back is counted again without waiting for the next migrate."""
    if not StaleReport.objects.exists():
        return True
    _queue_recount()
    return False


def _queue_recount() -> None:
    if cache.add("search:stale-recount-queued", True, RECOUNT_SECONDS):
        transaction.on_commit(recount_stale_reports.enqueue)


@task()
def recount_stale_reports() -> int:
    """The background task: refresh every stale report (sync_terms)."""
    return sync_terms()


def sync_terms() -> int:
    """Refresh the reports whose published flag, last update or analyzer changed since
    they were counted, and take back deleted ones; return how many were refreshed."""
    stale = _stale_report_ids()
    for report_id in stale:
        refresh_report_terms(report_id)
    return len(stale)


def rebuild_terms() -> int:
    """Count the whole archive again from scratch; return the number of reports counted."""
    Report = _report_model()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            # DELETE, not TRUNCATE: searches keep reading the old counts until this commits.
            for model in (Term, TermForm, TermVariant, TermYear, ReportVocabulary, StaleReport):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
        ids = list(Report.objects.order_by("pk").values_list("pk", flat=True))
        for report_id in ids:
            refresh_report_terms(report_id)
    return len(ids)


# -- did you mean ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """A query word as one language's analyzer reads it."""

    language: str
    # The lexemes a search for the word matches.
    own: tuple[str, ...]
    # The key and the printed word to compare, and whether to compare them folded.
    key: str
    form: str
    folded: bool


_LATIN = re.compile(r"[a-zäöüūğşñqıáóúýǵń]", re.IGNORECASE)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_KAZAKH_LETTERS = re.compile("[әөұүіқғңһӘӨҰҮІҚҒҢҺ]")


def _languages(word: str) -> tuple[str, ...]:
    if _KAZAKH_LETTERS.search(word):
        return ("kk",)
    if _CYRILLIC.search(word):
        return ("kk", "ru")
    return ("en", "kk")


def _readings(word: str, languages: tuple[str, ...]) -> list[_Reading]:
    """The word as each language reads it; none when any of them reads a stopword ("the",
    "және") or more than one word."""
    readings = []
    for language in languages:
        tokens = analyze(word, language)
        if len(tokens) != 1 or not tokens[0].key:
            return []
        token = tokens[0]
        if len(token.key) > MAX_KEY_CHARS or any(ch.isdigit() for ch in token.key):
            return []
        lowered = printed_form(token.text).lower()
        if language == "kk":
            folded = kazakh.typed_without_kazakh_letters(token.text)
            keys = kazakh.reading_keys(token.text) if folded else [token.key]
            own = tuple(
                dict.fromkeys(x for k in [token.key, *keys] for x in query_lexemes(k, folded))
            )
            if _LATIN.search(lowered):
                lowered = kazakh.latin_readings(lowered)[0]
            compared = kazakh.fold(token.key) if folded else token.key
            form = kazakh.fold(lowered) if folded else lowered
            readings.append(_Reading("kk", own, compared, form, folded))
        elif not (
            (language == "en" and _CYRILLIC.search(token.text))
            or (language == "ru" and _KAZAKH_LETTERS.search(token.text))
        ):
            readings.append(
                _Reading(language, lexemes(token.key, language), token.key, lowered, False)
            )
    return readings


@dataclass(frozen=True)
class _Candidate:
    lexeme: str
    distance: int
    frequency: int


def _near(compared: str, typed: str, limit: int) -> int | None:
    """The optimal-string-alignment distance (a swap of two neighbouring letters is one
    edit) when it is 1..limit, else None."""
    distance = OSA.distance(compared, typed, score_cutoff=limit)
    return distance if 1 <= distance <= limit else None


def _compared(reading: _Reading) -> tuple[str, str]:
    """(the Term column compared with the typed key, the typed key in the index's spelling)."""
    # Kazakh typed with Kazakh letters is compared exactly (the key), typed without them
    # folded (fuzzy); variants and trigrams are on the folded key, a superset either way.
    column = "fuzzy" if reading.language == "kk" and reading.folded else "key"
    fuzzy = kazakh.fold(reading.key) if reading.language == "kk" else reading.key
    return column, fuzzy


def _one_edit(cursor, reading: _Reading) -> list[_Candidate]:
    """Keys one edit away: a B-tree lookup of the typed key's deletions in TermVariant."""
    if not max_distance(reading.key):
        return []
    column, fuzzy = _compared(reading)
    cursor.execute(
        f"SELECT DISTINCT t.lexeme, t.{column}, t.df FROM {TermVariant._meta.db_table} v "
        f"JOIN {Term._meta.db_table} t ON t.lexeme = v.lexeme "
        f"WHERE v.language = %s AND v.variant = ANY(%s)",
        [reading.language, sorted(deletions(fuzzy))],
    )
    return [
        _Candidate(lexeme, d, df)
        for lexeme, compared, df in cursor.fetchall()
        if (d := _near(compared, reading.key, 1)) is not None
    ]


def _two_edits(cursor, reading: _Reading) -> list[_Candidate]:
    """Keys two edits away, for keys of 6+ letters: found by the trigram index, bounded by
    levenshtein_less_equal, then measured by OSA."""
    limit = max_distance(reading.key)
    if limit < 2:
        return []
    column, fuzzy = _compared(reading)
    # Levenshtein counts a swap as two edits: one more is allowed here, and OSA decides.
    cursor.execute(
        f"SELECT lexeme, {column}, df FROM {Term._meta.db_table} "
        f"WHERE language = '{reading.language}' AND folded = false AND fuzzy %% %s "
        f"AND levenshtein_less_equal({column}, %s, {limit + 1}) <= {limit + 1} "
        f"ORDER BY df DESC LIMIT {CANDIDATES}",
        [fuzzy, reading.key],
    )
    return [
        _Candidate(lexeme, d, df)
        for lexeme, compared, df in cursor.fetchall()
        if (d := _near(compared, reading.key, limit)) == 2
    ]


def _closest_forms(cursor, reading: _Reading, lexemes: list[str]) -> dict[str, tuple[int, str]]:
    """{lexeme: (OSA distance, printed form)} of each lexeme's form closest to the typed
    word (the more frequent on a tie)."""
    column = "lower(form)" if reading.language == "kk" and not reading.folded else "fuzzy"
    cursor.execute(
        f"SELECT lexeme, form, {column} FROM {TermForm._meta.db_table} "
        f"WHERE lexeme = ANY(%s) ORDER BY count DESC, form",
        [lexemes],
    )
    closest: dict[str, tuple[int, str]] = {}
    for lexeme, form, compared in cursor.fetchall():
        distance = OSA.distance(compared, reading.form)
        if lexeme not in closest or distance < closest[lexeme][0]:
            closest[lexeme] = (distance, form)
    return closest


def _score(frequency: int, distance: int) -> float:
    return frequency / DISTANCE_PENALTY**distance


def suggest(word: str, language: str | None = None) -> Suggestion | None:
    """A correction from the archive's vocabulary for a query word that matches nothing, or
    far less than a close neighbour; None when the word is fine or nothing is close.

    `language` (kk, en, ru) limits the readings; by default the word's script decides
    (Kazakh letters: Kazakh; other Cyrillic: Kazakh, then Russian; Latin: English, then
    Kazakh in Latin script). The first language with a candidate gives the suggestion.
    """
    word = printed_form((word or "").strip())
    if not word or len(word) > MAX_KEY_CHARS or " " in word:
        return None
    languages = (language,) if language in ("kk", *LANGUAGE_MARKS) else _languages(word)
    readings = _readings(word, languages)
    if not readings:
        return None
    own = document_frequencies({x for reading in readings for x in reading.own})
    word_frequency = max(own.values(), default=0)
    if word_frequency > RARE:
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(SIMILARITY)]
        )
        for reading in readings:
            matched = max(own[x] for x in reading.own)
            if word_frequency and (not matched or len(reading.key) < FAR_LESS_KEY):
                # A word found in one language is not "corrected" into another (better is
                # no misprint of the Kazakh бере).
                continue
            found = _best(cursor, reading, matched)
            if found is not None:
                break
        else:
            return None
    candidate, replacement = found
    language, key, _ = lexeme_parts(candidate.lexeme)
    # Typed in lower case: shown in lower case, except abbreviations (ҚР, БҰҰ).
    if word == word.lower() and not (len(replacement) > 1 and replacement.isupper()):
        replacement = replacement.lower()
    return Suggestion(
        word=word,
        replacement=replacement,
        key=key,
        lexeme=candidate.lexeme,
        language=language,
        frequency=candidate.frequency,
        distance=candidate.distance,
        word_frequency=word_frequency,
    )


def _best(cursor, reading: _Reading, word_frequency: int) -> tuple[_Candidate, str] | None:
    """The best candidate for one reading of the word and the printed form to show."""
    found: dict[str, _Candidate] = {}
    for candidate in _one_edit(cursor, reading) + _two_edits(cursor, reading):
        if candidate.lexeme not in reading.own and candidate.frequency:
            known = found.get(candidate.lexeme)
            if known is None or candidate.distance < known.distance:
                found[candidate.lexeme] = candidate
    if not found:
        return None
    top = sorted(found.values(), key=lambda c: -_score(c.frequency, c.distance))[:TOP]
    # A typo may change where the analyzer cuts the word (азаптуа is not cut at all, its
    # key is two edits from азапт), so the distance is also measured on the printed forms
    # (азаптуа is one swap from азаптау).
    forms = _closest_forms(cursor, reading, [c.lexeme for c in top])
    best = None
    for candidate in top:
        form_distance, form = forms.get(candidate.lexeme, (candidate.distance, ""))
        distance = max(1, min(candidate.distance, form_distance))
        if word_frequency and not (
            distance == 1
            and word_frequency <= RARE
            and candidate.frequency >= FAR_MORE * word_frequency
        ):
            continue
        score = _score(candidate.frequency, distance)
        if best is None or score > best[0]:
            surface = form or lexeme_parts(candidate.lexeme)[1]
            best = (score, _Candidate(candidate.lexeme, distance, candidate.frequency), surface)
    return (best[1], best[2]) if best else None


# What the query language calls a word or phrase (see search.query): quoted phrases, OR,
# -word and -"phrase" are kept as typed.
_CHUNK = re.compile(r'(-?)"([^"]*)(?:"|$)|(\S+)')
_QUOTES = str.maketrans({c: '"' for c in "“”„«»‟″"})


def suggest_query(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The query with each plain word that matches nothing (or far less than a close
    neighbour) replaced by its suggestion, and the (word, replacement) pairs, in order.

    Quoted phrases, OR, ``-words`` and words that match are kept as typed, and so is
    everything between the words. The text is returned unchanged when nothing is replaced.
    """
    text = text or ""
    parts: list[str] = []
    replaced: list[tuple[str, str]] = []
    cache: dict[str, Suggestion | None] = {}
    done = 0
    checked = 0
    for chunk in _CHUNK.finditer(text.translate(_QUOTES)):
        word = chunk.group(3)
        if word is None or word == "OR" or word.startswith("-"):
            continue
        for token in kazakh.analyze(text[chunk.start(3) : chunk.end(3)]):
            if checked >= MAX_QUERY_WORDS:
                break
            start, end = chunk.start(3) + token.start, chunk.start(3) + token.end
            typed = text[start:end]
            if not token.key or any(ch.isdigit() for ch in typed):
                continue
            checked += 1
            if typed not in cache:
                cache[typed] = suggest(typed)
            suggestion = cache[typed]
            if suggestion is None:
                continue
            parts.append(text[done:start])
            parts.append(suggestion.replacement)
            done = end
            replaced.append((typed, suggestion.replacement))
    if not replaced:
        return text, []
    parts.append(text[done:])
    return "".join(parts), replaced
