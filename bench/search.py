"""Search latency at archive scale: ours and the naive search, class by class, on synthetic
archives of 100,000, 500,000 and 1,500,000 paragraphs.

    .venv/bin/python bench/search.py                       # 100k, 500k and 1.5M
    .venv/bin/python bench/search.py --sizes 100000 --repeat 3
    .venv/bin/python bench/search.py --reuse --json bench-search.json --queries-out q.json

Builds one database per size, "ra_bench_search_<size>", on the project's server (the
embedded PostgreSQL unless DATABASE_URL is set), fresh each run unless --reuse finds it
built. The seed report is imported for its sections, topics and paragraphs; then country-
years are written with COPY (countries AA, AB, ..., 30 years each, so every size spans all
years). Each synthetic paragraph keeps the shape of a seed paragraph with about half of its
sentences swapped for sentences of other paragraphs, so word statistics stay natural.
Vectors are assembled from per-sentence analyzer keys by search.indexing.vector_literal
(impact tiers and word pairs included). The GIN indexes (the archive's and the samples')
are dropped for the load and built again after it; the rows are written by one forked worker
per core and streamed to the server by one COPY; the term statistics (idf) are updated
from the generator's counts. Before measuring a size, its table and GIN indexes are loaded
into shared buffers (pg_prewarm), as on a server that has been answering searches for a
while.

Each query class (chosen by document frequency at each size: rare ~0.3 %, mid ~1 %, common
5-15 %, very common 50-90 %, and combinations) is measured for

- ours: GET /api/search through django.test.Client (form, parsing, counts, facets, ranking,
  snippets, JSON), the counts cache cleared before every call;
- naive: the plain Django search: ``WHERE search_vector @@ q`` with the filters through the
  report, ``ORDER BY ts_rank(search_vector, q) DESC LIMIT 10`` and a ``count(*)``, the ten
  rows serialised to JSON (a function call, no HTTP);

interleaved, --repeat times per query after a warm-up, each measured call right after an
unmeasured one of the same search with another query of the class (see `measure`). It also
prints:

- the estimated totals against exact counts (estimates must be within 3 %);
- at sizes up to --agreement-max, how often our top ten equal the exhaustive ranking of all
  matches, position by position;
- the most expensive queries anyone can type, at the largest size;
- EXPLAIN ANALYZE of the slowest statement of the slowest class, at the largest size;
- the sizes of the paragraph table and its indexes.

--queries-out writes the queries of the largest size for bench/load.py --archive.
"""

import argparse
import io
import json
import multiprocessing
import os
import random
import re
import statistics
import string
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from queue import Empty

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/search.py: keep its folder off the path so `search` is the project's app.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
DATABASE = "ra_bench_search"
COUNTRIES = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
YEARS = list(range(2022, 1992, -1))
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
COLUMNS = (
    "report_id, section_id, ordinal, number, text, search_vector, analyzer_version,"
    " year, country, language, published, topics"
)


def sentences_of(text: str, surface: dict[str, str]):
    """[(sentence text, [(key, relative position)], token count)] for one paragraph; records
    a printed form of each key in `surface`."""
    from search.kazakh import analyze

    tokens = analyze(text)
    for token in tokens:
        if token.key:
            surface.setdefault(token.key, token.text)
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, len(text)))
    result = []
    for begin, end in pieces:
        inside = [t for t in tokens if begin <= t.start < end]
        if not inside:
            continue
        first = inside[0].position
        keys = [(t.key, t.position - first) for t in inside if t.key]
        result.append((text[begin:end], keys, inside[-1].position - first + 1))
    return result


def copy_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Archive:
    """The seed's outline and sentence pool, and the writer of synthetic reports."""

    def __init__(self, seed_report):
        from search.indexing import analyzer_version
        from search.kazakh import analyze

        self.sections = list(seed_report.sections.order_by("order").prefetch_related("topics"))
        self.section_topics = {s.pk: sorted(t.pk for t in s.topics.all()) for s in self.sections}
        self.topic_ids = {
            pk: "{" + ",".join(str(t) for t in topics) + "}"
            for pk, topics in self.section_topics.items()
        }
        self.title_keys = {
            s.pk: [(t.key, t.position) for t in analyze(s.title) if t.key] for s in self.sections
        }
        self.slots = []  # (seed section, [sentences]) per seed paragraph
        self.pool = []
        self.surface = {}
        for paragraph in seed_report.paragraphs.order_by("ordinal"):
            sentences = sentences_of(paragraph.text, self.surface)
            self.slots.append((paragraph.section_id, sentences))
            self.pool.extend(sentences)
        # No natural word is in more than about half of the paragraphs; to measure "a word in
        # most paragraphs", most synthetic paragraphs get one seed sentence with "адам".
        self.common_key = _key("адам")
        self.common_pool = [s for s in self.pool if any(k == self.common_key for k, _ in s[1])]
        self.common = {id(s) for s in self.common_pool}
        self.counts = Tally()
        self.version = analyzer_version("kk")

    def create_reports(self, plan: list[tuple[str, int]]) -> list:
        """Insert the reports of `plan`, each with a copy of the seed's sections and their
        topics; return one ReportTask per report."""
        from django.db import connection

        from sections.models import Report, Section

        reports = Report.objects.bulk_create(
            Report(country=c, year=y, language="kk", title=f"{c} {y}", published=True)
            for c, y in plan
        )
        ids = [report.pk for report in reports]
        seed_by_code = {s.code: s.pk for s in self.sections}
        section = Section._meta.db_table
        through = Section.topics.through._meta.db_table
        # In SQL: the ORM's bulk_create took 8 ms a report (minutes at 1.5M paragraphs).
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {section} (report_id, code, title, "order")
                    SELECT r, s.code, s.title, s."order" FROM unnest(%s::bigint[]) AS r
                      CROSS JOIN {section} s WHERE s.id = ANY(%s)
                    RETURNING id, report_id, code""",
                [ids, list(seed_by_code.values())],
            )
            created = {}
            for pk, report_id, code in cursor.fetchall():
                created.setdefault(report_id, {})[seed_by_code[code]] = pk
            cursor.execute(
                f"""INSERT INTO {through} (section_id, topic_id)
                    SELECT n.id, t.topic_id FROM {section} n
                      JOIN {section} s ON s.code = n.code AND s.id = ANY(%s)
                      JOIN {through} t ON t.section_id = s.id
                     WHERE n.report_id = ANY(%s)""",
                [list(seed_by_code.values()), ids],
            )
        return [
            ReportTask(i, r.pk, created[r.pk], r.country, r.year) for i, r in enumerate(reports)
        ]

    def copy_paragraphs(self, cursor, table: str, tasks: list) -> int:
        """COPY every task's paragraphs into `table`, in task order; return their number.

        One forked worker per core writes the rows (analyzer keys to vector literals is most
        of the build's CPU) while this process streams them to PostgreSQL, whose backend parses
        them meanwhile: the workers, this process and the backend share the cores, and none
        waits on another. The workers never touch the database connection they inherit."""
        workers = os.cpu_count() or 2
        context = multiprocessing.get_context("fork")
        queue = context.Queue(maxsize=8)
        processes = [
            context.Process(target=self._work, args=(tasks[w::workers], queue), daemon=True)
            for w in range(workers)
        ]
        for process in processes:
            process.start()
        waiting, following, finished = {}, 0, 0
        try:
            with cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
                while finished < workers:
                    try:
                        kind, index, payload = queue.get(timeout=10)
                    except Empty:
                        if any(p.exitcode not in (None, 0) for p in processes):
                            raise RuntimeError("a generator died without a word") from None
                        continue
                    if kind == "error":
                        raise RuntimeError(f"a generator failed:\n{payload}")
                    if kind == "counts":
                        self.counts.add(payload)
                        finished += 1
                        continue
                    waiting[index] = payload
                    while following in waiting:
                        copy.write(waiting.pop(following))
                        following += 1
        finally:
            for process in processes:
                process.join(timeout=0 if finished < workers else None)
                if process.is_alive():
                    process.kill()
        return len(tasks) * len(self.slots)

    def _work(self, tasks: list, queue) -> None:
        """A worker's loop: the rows of its tasks, then its counts (see copy_paragraphs)."""
        status = 0
        try:
            counts = Tally()
            for task in tasks:
                queue.put(("rows", task.index, self.report_rows(task, counts)))
            queue.put(("counts", None, counts))
        except BaseException:
            queue.put(("error", None, traceback.format_exc()))
            status = 1
        finally:
            queue.close()
            queue.join_thread()
            # Skip interpreter exit: it would close the parent's database connection.
            os._exit(status)

    def report_rows(self, task: "ReportTask", counts: "Tally") -> bytes:
        """The COPY data of one synthetic report's paragraphs (encoded here, in the worker);
        adds them to `counts`."""
        from search.indexing import vector_literal

        rng = random.Random(f"{task.country}:{task.year}")
        lines = []
        for ordinal, (section_id, sentences) in enumerate(self.slots, start=1):
            chosen = [s if rng.random() < 0.5 else rng.choice(self.pool) for s in sentences]
            if rng.random() < 0.85 and not any(id(s) in self.common for s in chosen):
                chosen[rng.randrange(len(chosen))] = rng.choice(self.common_pool)
            texts, body, offset = [], [], 0
            for text, keys, length in chosen:
                texts.append(text)
                body.extend([(k, p + offset) for k, p in keys])
                offset += length
            title = self.title_keys[section_id]
            vector = vector_literal(title, body, "kk")
            counts.paragraph(section_id, task.year, title, body, vector)
            row = (
                task.report_id,
                task.sections[section_id],
                ordinal,
                ordinal,
                copy_escape(" ".join(texts)),
                copy_escape(vector),
                self.version,
                task.year,
                task.country,
                "kk",
                "t",
                self.topic_ids[section_id],
            )
            lines.append("\t".join(str(v) for v in row))
        lines.append("")
        return "\n".join(lines).encode()


@dataclass
class ReportTask:
    """One synthetic report to write: its place in the COPY, its row and its sections' rows
    by the seed section each copies."""

    index: int
    report_id: int
    sections: dict[int, int]
    country: str
    year: int


# An impact tier entry of a vector literal: a lexeme with "#band" and no positions.
@cache
def _tier_entry() -> re.Pattern:
    from search.indexing import TIER_MARK

    return re.compile(rf"(?:^| )'([^ ]*{re.escape(TIER_MARK)}\d+)'(?= |$)")


@dataclass
class Tally:
    """What the term statistics need of the synthetic paragraphs: per seed section and year,
    the paragraphs holding each key; per key, those holding it in the title only; per year,
    the paragraphs of each impact tier lexeme."""

    held: dict = field(default_factory=dict)
    title_only: Counter = field(default_factory=Counter)
    tiers: dict = field(default_factory=dict)
    paragraphs: int = 0

    def paragraph(self, section_id: int, year: int, title, body, vector: str) -> None:
        in_body = {k for k, _ in body}
        in_title = {k for k, _ in title}
        self.held.setdefault((section_id, year), Counter()).update(in_body | in_title)
        self.title_only.update(in_title - in_body)
        # Quoted as in the literal: unquoted once, by write_term_statistics.
        self.tiers.setdefault(year, Counter()).update(_tier_entry().findall(vector))
        self.paragraphs += 1

    def add(self, other: "Tally") -> None:
        for place, counter in other.held.items():
            self.held.setdefault(place, Counter()).update(counter)
        self.title_only.update(other.title_only)
        for year, counter in other.tiers.items():
            self.tiers.setdefault(year, Counter()).update(counter)
        self.paragraphs += other.paragraphs

    def document_frequency(self) -> Counter:
        total = Counter()
        for counter in self.held.values():
            total.update(counter)
        return total

    def by_year_and_topic(self, section_topics: dict) -> Counter:
        """{(key, year, topic): paragraphs}, topic 0 for all of them (search.models.TermYear)."""
        result = Counter()
        for (section_id, year), counter in self.held.items():
            for topic in (0, *section_topics[section_id]):
                for key, n in counter.items():
                    result[(key, year, topic)] += n
        return result


# Seconds each phase of the last build() took, for the size's heading.
BUILD_PHASES: dict[str, float] = {}


def build(archive, target: int) -> int:
    """Add synthetic reports until the archive has at least `target` paragraphs."""
    from django.db import connection, transaction

    BUILD_PHASES.clear()
    started = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        BUILD_PHASES[name] = now - started
        started = now

    from sections.models import Paragraph, Report

    table = Paragraph._meta.db_table
    count = Paragraph.objects.count()
    existing = set(Report.objects.values_list("country", "year"))
    # Country by country, every year each: every size spans all years.
    plan = [(c, y) for c in COUNTRIES for y in YEARS if (c, y) not in existing]
    plan = plan[: max(0, -(-(target - count) // len(archive.slots)))]
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_INDEXES_SQL, [table])
        indexes = cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        # The GIN indexes (the archive's and the samples') are built once after the load,
        # not entry by entry.
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # The generator writes the report's year, country, language and published flag and
        # the section's topics into each row itself; the trigger would look them up per row.
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER paragraph_copy_report")
        tasks = archive.create_reports(plan)
        phase("reports and sections")
        # psycopg's own cursor, for COPY
        count += archive.copy_paragraphs(cursor.cursor, table, tasks)
        # The deferred unique check on (report, ordinal) must run before the table changes.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER paragraph_copy_report")
        phase("paragraphs")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)
        phase("GIN indexes")
    write_term_statistics(archive)
    phase("term statistics")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")
        # Write the loaded pages out now, not while the queries are being timed.
        cursor.execute("CHECKPOINT")
    phase("vacuum, analyze, checkpoint")
    return count


SEARCH_INDEXES_SQL = (
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE '%% gin %%'"
)


def write_term_statistics(archive) -> None:
    """Add the synthetic paragraphs to the archive's term statistics (idf, and by year and
    topic), as the importer's refresh_report_terms would, from the generator's own counts."""
    from django.db import connection, transaction

    from search.indexing import lexemes
    from search.kazakh import fold
    from search.models import ReportVocabulary, StaleReport, Term, TermYear

    counts = archive.counts
    df, text_df = Counter(), Counter()
    for key, n in counts.document_frequency().items():
        for lexeme in lexemes(key, "kk"):
            df[lexeme] += n
            text_df[lexeme] += n - counts.title_only[key]
    rows = []
    for lexeme, n in df.items():
        folded = lexeme.startswith("~")
        key = lexeme[1:] if folded else lexeme
        surface = archive.surface.get(key, key)
        rows.append((lexeme, "kk", key, folded, fold(key), n, text_df[lexeme], surface))
    terms = Term._meta.db_table
    with connection.cursor() as cursor:
        # Added to the seed report's own counts.
        cursor.executemany(
            f"""INSERT INTO {terms}
                (lexeme, language, key, folded, fuzzy, df, text_df, surface)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (lexeme) DO UPDATE SET df = {terms}.df + EXCLUDED.df,
                text_df = {terms}.text_df + EXCLUDED.text_df""",
            rows,
        )
    # By year and topic, added to the seed report's own rows.
    by_lexeme = Counter()
    for (key, year, topic), n in counts.by_year_and_topic(archive.section_topics).items():
        for lexeme in lexemes(key, "kk"):
            by_lexeme[(lexeme, year, topic)] += n
    for year, tiers in counts.tiers.items():
        for quoted, n in tiers.items():
            lexeme = quoted.replace("''", "'").replace("\\\\", "\\")
            by_lexeme[(lexeme, year, 0)] += n
    table = TermYear._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Added to the seed's rows and written afresh by COPY, the primary key built after
        # the load: an upsert took 10 µs a row, most of the phase.
        cursor.execute(f"SELECT lexeme, year, topic, paragraphs FROM {table}")
        for lexeme, year, topic, n in cursor.fetchall():
            by_lexeme[(lexeme, year, topic)] += n
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'p'",
            [table],
        )
        key_name, key_definition = cursor.fetchone()
        cursor.execute(f"TRUNCATE {table}")
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{key_name}"')
        buffer = io.StringIO()
        for (lexeme, year, topic), n in by_lexeme.items():
            buffer.write(f"{copy_escape(lexeme)}\t{year}\t{topic}\t{n}\n")
        columns = "lexeme, year, topic, paragraphs"
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{key_name}" {key_definition}')
        # The triggers listed every synthetic report as stale; their counts are written.
        cursor.execute(f"DELETE FROM {StaleReport._meta.db_table}")
    # The seed's own paragraphs are counted by its ReportVocabulary row; the synthetic ones
    # are this one row's.
    ReportVocabulary.objects.update_or_create(
        report_id=-1,
        defaults={"language": "kk", "published": True, "paragraphs": counts.paragraphs},
    )


def _key(word: str) -> str:
    from search.kazakh import key

    return key(word)


def pick_queries(paragraphs: int, rng) -> tuple[dict, dict, dict]:
    """Queries per class, chosen by document frequency at this size (from the term
    statistics, which the builder wrote), the most expensive queries, and each word's share."""
    from search.models import Term

    rows = Term.objects.filter(language="kk", folded=False).values_list("key", "df", "surface")
    df = {key: n for key, n, _ in rows}
    surface = {key: form for key, _, form in rows if form}
    shares = {}

    def words_near(share: float, low: float, high: float, n: int) -> list[str]:
        keys = [
            k
            for k, c in df.items()
            if low * paragraphs <= c <= high * paragraphs
            and k in surface
            and len(k) >= 4
            and not k.isdigit()
        ]
        keys.sort(key=lambda k: (abs(df[k] / paragraphs - share), k))
        chosen = keys[: n * 3]
        picked = rng.sample(chosen, min(n, len(chosen)))
        for k in picked:
            shares[surface[k]] = df[k] / paragraphs
        return [surface[k] for k in picked]

    rare = words_near(0.003, 0.0015, 0.006, 4)
    mid = words_near(0.01, 0.006, 0.02, 4)
    common = words_near(0.10, 0.05, 0.15, 4)
    by_frequency = sorted(df.items(), key=lambda item: (-item[1], item[0]))
    very_common = [
        surface[k]
        for k, c in by_frequency[:20]
        if k in surface and c >= 0.4 * paragraphs and len(k) >= 3
    ][:3]
    for word in very_common:
        shares[word] = df[_key(word)] / paragraphs
    queries = {
        "rare": [{"q": w} for w in rare],
        "mid": [{"q": w} for w in mid],
        "mid + year": [{"q": w, "year_from": 2020, "year_to": 2020} for w in mid],
        "common": [{"q": w} for w in common],
        "very common": [{"q": w} for w in very_common],
        "two words": [
            {"q": f"{very_common[0]} {common[0]}"},
            {"q": f"{common[1]} {common[2]}"},
            {"q": f"{mid[0]} {common[3]}"},
        ],
        "phrase": [
            {"q": '"адам құқықтары"'},
            {"q": '"сөз бостандығы"'},
            {"q": '"құқық қорғау органдары"'},
        ],
        "OR": [
            {"q": f"{common[0]} OR {common[1]} OR {mid[1]}"},
            {"q": f"{mid[2]} OR {mid[3]}"},
        ],
        "negation": [
            {"q": f"{common[0]} -{common[1]}"},
            {"q": f"{very_common[1]} -{mid[0]}"},
        ],
        "country + years": [
            {"q": common[0], "country": "AA", "year_from": 2010, "year_to": 2015},
            {"q": very_common[0], "country": "AB", "year_from": 2000, "year_to": 2009},
        ],
    }
    expensive = {
        "15 words OR'ed": {"q": " OR ".join(very_common + common + mid + rare)},
        "phrase of common words": {"q": f'"{very_common[0]} {common[0]} {common[1]}"'},
        "a word minus a very common word": {"q": f"{common[0]} -{very_common[0]}"},
        "24 words": {"q": " ".join((very_common + common + mid + rare) * 2)},
    }
    return queries, expensive, shares


def naive_search(params: dict) -> str:
    """The plain Django search: @@, ts_rank, LIMIT 10 and count(*), filters through the report."""
    from django.db.models import F, FloatField, Func

    from search.query import parse_query
    from search.ranking import Matches, TsQuery
    from sections.models import ARCHIVE_INDEX_CONDITION, Paragraph

    tsquery = parse_query(params["q"]).tsquery
    # ARCHIVE_INDEX_CONDITION holds for every paragraph: without it no GIN index applies.
    matches = Paragraph.objects.filter(
        Matches(F("search_vector"), TsQuery(tsquery)),
        ARCHIVE_INDEX_CONDITION,
        report__published=True,
    )
    if "country" in params:
        matches = matches.filter(report__country=params["country"])
    if "year_from" in params:
        matches = matches.filter(report__year__gte=params["year_from"])
    if "year_to" in params:
        matches = matches.filter(report__year__lte=params["year_to"])
    total = matches.count()
    rank = Func(F("search_vector"), TsQuery(tsquery), function="ts_rank", output_field=FloatField())
    top = list(matches.annotate(rank=rank).order_by("-rank").values("pk", "text", "rank")[:10])
    return json.dumps({"total": total, "results": top})


def measure(client, queries: dict, repeat: int) -> dict:
    """{class: {ours_p50, ours_p95, naive_p50, naive_p95, matches}} in ms.

    Ours and the naive search take turns, and each measured call follows an unmeasured call
    of the same search with the class's next query. A naive search of a very common word
    reads gigabytes of heap and leaves the processor's caches cold: at 1.5M paragraphs, our
    next request for «адам» took 80 ms instead of 26 (its SQL 61 ms instead of 12), one for
    «құқық -Мамай» 165 instead of 57. That measures the naive search, not ours. The naive
    search gets the same turn, after one of its own."""
    from django.core.cache import cache

    results = {}
    for kind, params_list in queries.items():
        ours, naive, totals = [], [], []
        for index, params in enumerate(params_list):
            before = params_list[(index + 1) % len(params_list)]
            client.get("/api/search", params)  # warm-up
            naive_search(params)
            for _ in range(repeat):
                cache.clear()
                client.get("/api/search", before)
                cache.clear()
                start = time.perf_counter()
                response = client.get("/api/search", params)
                ours.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (params, response.content[:300])
                naive_search(before)
                start = time.perf_counter()
                naive_search(params)
                naive.append((time.perf_counter() - start) * 1000)
            totals.append(response.json()["total"])
        ours_p50, ours_p95 = percentiles(ours)
        naive_p50, naive_p95 = percentiles(naive)
        results[kind] = {
            "ours_p50": round(ours_p50, 1),
            "ours_p95": round(ours_p95, 1),
            "naive_p50": round(naive_p50, 1),
            "naive_p95": round(naive_p95, 1),
            "matches": totals,
        }
    return results


def percentiles(samples) -> tuple[float, float]:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def read(params: dict):
    """(parsed query, filters) of API parameters, as the API reads them."""
    from search.forms import SearchForm
    from search.query import parse_query

    form = SearchForm(params)
    assert form.is_valid(), form.errors
    return parse_query(form.cleaned_data["q"]), form.filters


def exact_total(params: dict) -> int:
    """Every match counted, through the GIN index, for checking the estimates."""
    from search.ranking import matching

    parsed, filters = read(params)
    return matching(parsed.tsquery, filters, parsed.exact_forms).count()


def estimates(client, queries: dict) -> list[tuple[str, str, int, int, bool]]:
    """(class, query, our total, exact total, marked as estimate) of every query."""
    from django.core.cache import cache

    rows = []
    for kind, params_list in queries.items():
        for params in params_list:
            cache.clear()
            answer = client.get("/api/search", params).json()
            rows.append(
                (
                    kind,
                    _shown(params),
                    answer["total"],
                    exact_total(params),
                    answer["total_is_estimate"],
                )
            )
    return rows


def agreement(queries: dict) -> tuple[float, dict]:
    """Share of top-ten positions where our ranking equals the exhaustive one, overall and
    per class."""
    from search.engine import search_results
    from search.ranking import RankedHits

    per_class = {}
    same = positions = 0
    for kind, params_list in queries.items():
        class_same = class_positions = 0
        for params in params_list:
            parsed, filters = read(params)
            results = search_results(parsed, filters)
            ours = [p.pk for p in results.hits[:10]]
            full = RankedHits(
                parsed,
                filters,
                results.total,
                exhaustive=True,
                year_counts=results.year_counts,
            )
            exhaustive = [p.pk for p in full[:10]]
            class_positions += len(exhaustive)
            class_same += sum(a == b for a, b in zip(ours, exhaustive, strict=False))
        per_class[kind] = class_same / class_positions if class_positions else 1.0
        same += class_same
        positions += class_positions
    return (same / positions if positions else 1.0), per_class


def expensive_queries(client, expensive: dict) -> list[tuple[str, int, float, str]]:
    from django.core.cache import cache

    rows = []
    for name, params in expensive.items():
        cache.clear()
        start = time.perf_counter()
        response = client.get("/api/search", params)
        elapsed = (time.perf_counter() - start) * 1000
        body = response.json()
        outcome = body.get("error") or f"{body['total']} matches"
        rows.append((name, response.status_code, elapsed, outcome))
    return rows


def explain_slowest(client, params: dict) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest SQL statement of one API search."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/search", params)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"-- {slowest['time']} s\n{slowest['sql']}\n{plan}"


def import_time() -> dict:
    """Import the seed report as a new country-year (ZZ 2022) into the archive: the wall time
    and the database time of the whole import (parse, write, index, term statistics), then
    delete it again."""
    from django.db import connection

    from search.vocabulary import refresh_report_terms
    from sections.ingest.service import ReportUpload

    spent = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    seed = ROOT / "fixtures" / "kz-2022-kk.txt"
    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        report = ReportUpload(seed.read_bytes(), seed.name, "ZZ", 2022, "kk").save().report
    wall = time.perf_counter() - started
    report_id = report.pk
    report.delete()
    refresh_report_terms(report_id)
    return {
        "wall_ms": round(wall * 1000),
        "database_ms": round(sum(spent) * 1000),
        "statements": len(spent),
    }


def relation_sizes() -> dict[str, float]:
    """MiB of the paragraph table (heap, TOAST), of each of its indexes and of the term
    statistics by year and topic."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT 'table (heap)', pg_relation_size('sections_paragraph')
               UNION ALL SELECT 'TOAST', pg_total_relation_size(reltoastrelid)
                 FROM pg_class WHERE relname = 'sections_paragraph'
               UNION ALL SELECT indexrelid::regclass::text, pg_relation_size(indexrelid)
                 FROM pg_index WHERE indrelid = 'sections_paragraph'::regclass
               UNION ALL SELECT 'search_termyear (with its index)',
                 pg_total_relation_size('search_termyear')"""
        )
        return {name: round(size / 2**20, 1) for name, size in cursor.fetchall()}


def _shown(params: dict) -> str:
    extra = {k: v for k, v in params.items() if k != "q"}
    return params["q"] + (f" {extra}" if extra else "")


def prewarm() -> None:
    """Load the paragraph table and its GIN indexes into shared buffers (pg_prewarm, a contrib
    module), as on a server that has served searches for a while."""
    from django.db import connection

    from sections.models import Paragraph

    table = Paragraph._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(SEARCH_INDEXES_SQL, [table])
        for relation in [table, *(name for name, _ in cursor.fetchall())]:
            cursor.execute("SELECT pg_prewarm(%s)", [relation])


def is_built(database: str, size: int) -> bool:
    """Whether an earlier run built `database` to `size` paragraphs (the builder writes the
    synthetic paragraphs' term statistics last)."""
    from bench.relevance import server_connection

    with server_connection() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if not exists.fetchone():
            return False
    from bench.relevance import use_database
    from search.indexing import analyzer_version
    from search.models import ReportVocabulary
    from sections.models import Paragraph

    use_database(database)
    if _unapplied_migrations():
        # Migrating it would recount every synthetic report's term statistics (search's
        # post_migrate sync) over the builder's own: build it afresh instead.
        return False
    row = ReportVocabulary.objects.filter(report_id=-1).first()
    if row is None or row.paragraphs < size - 300:
        return False
    # Vectors of another analyzer or vector format would measure another search.
    newest = Paragraph.objects.order_by("-pk").values_list("analyzer_version", flat=True)
    return newest.first() == analyzer_version("kk")


def open_built(size: int) -> int:
    """Point Django at the archive an earlier run built to `size` paragraphs and return its
    paragraph count; stop with a message when there is none."""
    from sections.models import Paragraph

    database = f"{DATABASE}_{size}"
    if not is_built(database, size):
        sys.exit(f"error: no {database}: run bench/search.py --sizes {size} first")
    return Paragraph.objects.count()


def _unapplied_migrations() -> list:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def restart_for_settings() -> None:
    """Restart the embedded server when settings of reportsite.embedded_db wait for it (its
    shared_buffers): stop it, then run this script again in this process, which starts it."""
    from django.db import connections

    from reportsite import embedded_db

    if os.environ.get("DATABASE_URL"):
        return
    info = connections["default"].settings_dict
    uri = f"postgresql://postgres@/postgres?host={info['HOST']}&port={info['PORT']}"
    pending = embedded_db.needs_restart(uri)
    if pending:
        print(f"restarting the embedded server for {', '.join(pending)}", flush=True)
        connections["default"].close()
        print(embedded_db.stop(), flush=True)
        os.execv(sys.executable, [sys.executable, *sys.argv])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 500_000, 1_500_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--agreement-max", type=int, default=100_000)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--queries-out", type=Path, help="write the largest size's queries")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the databases built by an earlier run"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
    # The benchmark measures the search, not the per-client rate limits.
    os.environ["SEARCH_API_RATE_LIMIT"] = "1000000/s"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.relevance import use_database
    from sections.ingest.service import ReportUpload
    from sections.models import Paragraph

    restart_for_settings()
    client = Client(HTTP_HOST="localhost")
    figures = {"sizes": {}}
    tables = []
    for size in sorted(args.sizes):
        database = f"{DATABASE}_{size}"
        built = None
        if not (args.reuse and is_built(database, size)):
            # A fresh database each build, so every run measures the same archive.
            use_database(database, fresh=True)
            call_command("migrate", verbosity=0)
            seed = ROOT / "fixtures" / "kz-2022-kk.txt"
            upload = ReportUpload(seed.read_bytes(), seed.name, "KZ", 2022, "kk")
            archive = Archive(upload.save().report)
            started = time.perf_counter()
            build(archive, size)
            built = time.perf_counter() - started
        use_database(database)
        paragraphs = Paragraph.objects.count()
        prewarm()
        queries, expensive, shares = pick_queries(paragraphs, random.Random(size))
        how = "built earlier"
        if built is not None:
            phases = ", ".join(f"{name} {sec:.0f} s" for name, sec in BUILD_PHASES.items())
            how = f"built in {built:.0f} s: {phases}"
        print(f"\n## {paragraphs} paragraphs ({how}) in {database}\n", flush=True)
        for word, share in shares.items():
            print(f"  {word}: in {share:.2%} of paragraphs")
        classes = measure(client, queries, args.repeat)
        entry = {"build_seconds": built and round(built), "classes": classes}
        if built is not None:
            entry["build_phases"] = {name: round(sec) for name, sec in BUILD_PHASES.items()}
        rows = estimates(client, queries)
        entry["estimates"] = [
            {"class": k, "query": q, "total": t, "exact": e, "marked_estimate": m}
            for k, q, t, e, m in rows
        ]
        if size <= args.agreement_max:
            overall, per_class = agreement(queries)
            entry["agreement_top10"] = round(overall, 4)
            entry["agreement_by_class"] = {k: round(v, 4) for k, v in per_class.items()}
        entry["relation_mib"] = relation_sizes()
        entry["import"] = import_time()
        figures["sizes"][str(paragraphs)] = entry
        tables.append((paragraphs, queries, classes))
        print_size(paragraphs, queries, entry)
        if size == max(args.sizes):
            print("\nThe most expensive queries:\n")
            print("| query | status | ms | answer |\n|---|---:|---:|---|")
            for name, status, ms, outcome in expensive_queries(client, expensive):
                print(f"| {name} | {status} | {ms:.0f} | {outcome} |")
            slowest = max(classes, key=lambda k: classes[k]["ours_p95"])
            print(f"\nEXPLAIN of the slowest class ({slowest}):\n")
            print(explain_slowest(client, queries[slowest][0]))
            if args.queries_out:
                args.queries_out.write_text(json.dumps(queries, ensure_ascii=False, indent=1))
        if args.json:
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1))

    print("\n| paragraphs | class | ours p50 | ours p95 | naive p50 | naive p95 | matches |")
    print("|---:|---|---:|---:|---:|---:|---|")
    for paragraphs, _, classes in tables:
        for kind, c in classes.items():
            print(
                f"| {paragraphs} | {kind} | {c['ours_p50']:.0f} | {c['ours_p95']:.0f} |"
                f" {c['naive_p50']:.0f} | {c['naive_p95']:.0f} |"
                f" {', '.join(map(str, c['matches']))} |"
            )


def print_size(paragraphs: int, queries: dict, entry: dict) -> None:
    print("\n| class | ours p50 / p95 ms | naive p50 / p95 ms | matches | queries |")
    print("|---|---:|---:|---|---|")
    for kind, c in entry["classes"].items():
        shown = "; ".join(_shown(p) for p in queries[kind])
        print(
            f"| {kind} | {c['ours_p50']:.0f} / {c['ours_p95']:.0f} |"
            f" {c['naive_p50']:.0f} / {c['naive_p95']:.0f} |"
            f" {', '.join(map(str, c['matches']))} | {shown} |"
        )
    worst = max(
        (abs(e["total"] - e["exact"]) / e["exact"] for e in entry["estimates"] if e["exact"]),
        default=0,
    )
    marked = sum(e["marked_estimate"] for e in entry["estimates"])
    print(
        f"\nEstimated totals: {marked} of {len(entry['estimates'])} marked as estimates;"
        f" largest error {worst:.2%}"
    )
    for e in entry["estimates"]:
        if e["total"] != e["exact"]:
            error = (e["total"] - e["exact"]) / e["exact"]
            print(f"  {e['class']}: {e['query']}: {e['total']} for {e['exact']} ({error:+.2%})")
    if "agreement_top10" in entry:
        print(
            f"\nTop-ten agreement with exhaustive ranking: {entry['agreement_top10']:.1%}"
            f" {entry['agreement_by_class']}"
        )
    print(f"\nSizes (MiB): {entry['relation_mib']}")
    i = entry["import"]
    print(
        f"\nImporting the seed report (231 paragraphs) into this archive: {i['wall_ms']} ms,"
        f" of which {i['database_ms']} ms in {i['statements']} statements in the database",
        flush=True,
    )


if __name__ == "__main__":
    main()
