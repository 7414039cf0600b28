"""Search latency on a synthetic archive of 10,000 and 100,000 paragraphs.

    .venv/bin/python bench/search.py [--sizes 10000 100000] [--repeat 10]

Builds the database "ra_bench_search" on the same server as the project's default database
(the embedded PostgreSQL unless DATABASE_URL is set), from the seed report: the seed is
imported once for its sections, topics and paragraphs, then many country-years are written
with COPY. Each synthetic paragraph keeps the shape of a seed paragraph but about half of
its sentences are swapped for sentences of other paragraphs, so paragraphs are not copies
and word statistics stay natural. Vectors are assembled from per-sentence analyzer keys
in exactly the format of search.indexing (title keys A at 1..99, body keys D from 101).

Latency is measured through the API: django.test.Client GET /api/search (form, query
parser, counts and facets, ranking, snippets, JSON), in this process, warm cache, each
query repeated --repeat times after one warm-up call. Query terms are chosen by document
frequency in the generated archive (rare ~0.1%, common ~5-15%, very common: the most
frequent key, in most paragraphs).
"""

import argparse
import io
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/search.py: keep its folder off the path so `search` is the project's app.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
DATABASE = "ra_bench_search"
COUNTRIES = [f"{a}{b}" for a in "ABCDEFGHJKLMNPQRSTUVWXY" for b in "AEIOU"]
YEARS = list(range(2022, 1992, -1))
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


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
        from search.kazakh import analyze

        self.sections = list(seed_report.sections.order_by("order").prefetch_related("topics"))
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
        self.document_frequency = Counter()

    def write_report(self, cursor, country, year, rng, paragraph_table):
        """Insert one synthetic report with its sections, topics and paragraphs."""
        from search.indexing import vector_literal
        from sections.models import Report, Section

        report = Report.objects.create(
            country=country, year=year, language="kk", title=f"{country} {year}", published=True
        )
        new_sections = {}
        for section in self.sections:
            new_sections[section.pk] = Section(
                report=report, code=section.code, title=section.title, order=section.order
            )
        Section.objects.bulk_create(new_sections.values())
        through = Section.topics.through
        through.objects.bulk_create(
            through(section_id=new_sections[s.pk].pk, topic_id=t.pk)
            for s in self.sections
            for t in s.topics.all()
        )
        buffer = io.StringIO()
        for ordinal, (section_id, sentences) in enumerate(self.slots, start=1):
            chosen = [s if rng.random() < 0.5 else rng.choice(self.pool) for s in sentences]
            if rng.random() < 0.85 and not any(self.common_key in dict(s[1]) for s in chosen):
                chosen[rng.randrange(len(chosen))] = rng.choice(self.common_pool)
            texts, body, offset = [], [], 0
            for text, keys, length in chosen:
                texts.append(text)
                body.extend((k, p + offset) for k, p in keys)
                offset += length
            self.document_frequency.update({k for k, _ in body})
            vector = vector_literal(self.title_keys[section_id], body, "kk")
            row = (
                report.pk,
                new_sections[section_id].pk,
                ordinal,
                ordinal,
                copy_escape(" ".join(texts)),
                copy_escape(vector),
                self.analyzer_version,
            )
            buffer.write("\t".join(str(v) for v in row) + "\n")
        columns = "report_id, section_id, ordinal, number, text, search_vector, analyzer_version"
        with cursor.copy(f"COPY {paragraph_table} ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        return len(self.slots)

    @property
    def analyzer_version(self):
        from search.kazakh import ANALYZER_VERSION

        return ANALYZER_VERSION


def build(archive, target: int, rng) -> int:
    """Add synthetic reports until the archive has at least `target` paragraphs."""
    from django.db import connection, transaction

    from sections.models import Paragraph, Report

    table = Paragraph._meta.db_table
    count = Paragraph.objects.count()
    existing = set(Report.objects.values_list("country", "year"))
    # Country by country, every year each: both sizes span all years.
    plan = [(c, y) for c in COUNTRIES for y in YEARS if (c, y) not in existing]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS paragraph_search_gin")
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        for country, year in plan:
            if count >= target:
                break
            count += archive.write_report(raw, country, year, rng, table)
        # The deferred unique check on (report, ordinal) must run before the index is built.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(f"CREATE INDEX paragraph_search_gin ON {table} USING gin (search_vector)")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")
        # Write the loaded pages out now, not while the queries are being timed.
        cursor.execute("CHECKPOINT")
    return count


def pick_queries(archive, paragraphs: int, rng) -> dict[str, list[dict]]:
    """Queries per kind, chosen by document frequency in the generated archive."""
    df = archive.document_frequency
    total = paragraphs

    def words_between(low, high, n):  # n words in between low and high of the paragraphs
        keys = [
            k for k, c in df.items() if low * total <= c <= high * total and k in archive.surface
        ]
        keys = [k for k in keys if len(k) >= 4 and not k.isdigit()]
        return [archive.surface[k] for k in rng.sample(sorted(keys), min(n, len(keys)))]

    very_common = [archive.surface[k] for k, _ in df.most_common(40) if k in archive.surface][:3]
    common = words_between(0.05, 0.15, 4)
    # The rarest words the archive has: at 10,000 paragraphs every seed word is in ~40.
    by_rarity = sorted((c, k) for k, c in df.items() if len(k) >= 5 and k in archive.surface)
    rare = [archive.surface[k] for _, k in rng.sample(by_rarity[:200], 4)]
    return {
        "rare": [{"q": w} for w in rare],
        "common": [{"q": w} for w in common],
        "very common": [{"q": w} for w in very_common],
        "two words": [{"q": f"{very_common[0]} {common[0]}"}, {"q": f"{common[1]} {common[2]}"}],
        "phrase": [
            {"q": '"адам құқықтары"'},
            {"q": '"сөз бостандығы"'},
            {"q": '"құқық қорғау органдары"'},
        ],
        "filtered": [
            {"q": very_common[0], "year": 2020},
            {"q": common[0], "topic": "torture"},
            {"q": very_common[1], "year_from": 2010, "year_to": 2015, "country": "AA"},
        ],
    }, {w: df[_key(w)] / total for w in very_common + common + rare}


def _key(word: str) -> str:
    from search.kazakh import key

    return key(word)


def measure(client, queries, repeat: int):
    """{kind: (first p50, first p95, repeated p50, repeated p95, totals)} in ms.

    "first": the counts cache is cleared before every request, so each one counts and
    ranks from scratch; "repeated": the same request again, counts from the cache.
    """
    from django.core.cache import cache

    results = {}
    for kind, params_list in queries.items():
        first, repeated, totals = [], [], []
        for params in params_list:
            client.get("/api/search", params)  # warm-up
            for _ in range(repeat):
                cache.clear()
                start = time.perf_counter()
                response = client.get("/api/search", params)
                first.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                client.get("/api/search", params)
                repeated.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.content
            totals.append(response.json()["total"])
        results[kind] = (*_percentiles(first), *_percentiles(repeated), totals)
    return results


def _percentiles(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.relevance import use_database
    from sections.ingest.service import ReportUpload

    # A fresh database each run, so every run measures the same archive.
    use_database(DATABASE, fresh=True)
    call_command("migrate", verbosity=0)
    seed = ROOT / "fixtures" / "kz-2022-kk.txt"
    seed_report = ReportUpload(seed.read_bytes(), seed.name, "KZ", 2022, "kk").save().report
    rng = random.Random(2022)
    archive = Archive(seed_report)
    client = Client(HTTP_HOST="localhost")

    rows = []
    for size in args.sizes:
        started = time.perf_counter()
        paragraphs = build(archive, size, rng)
        built = time.perf_counter() - started
        queries, frequencies = pick_queries(archive, paragraphs, random.Random(size))
        print(f"\n{paragraphs} paragraphs (built in {built:.0f} s)")
        for word, share in frequencies.items():
            print(f"  {word}: in {share:.1%} of paragraphs")
        for kind, (*timings, totals) in measure(client, queries, args.repeat).items():
            shown = ", ".join(f"{p['q']}{_filters(p)}" for p in queries[kind])
            rows.append((paragraphs, kind, timings, totals))
            print(f"  {kind:<12} {totals} [{shown}]")

    print("\n| paragraphs | queries | p50 ms | p95 ms | p50 repeated | p95 repeated | matches |")
    print("|---:|---|---:|---:|---:|---:|---|")
    for paragraphs, kind, timings, totals in rows:
        cells = " | ".join(f"{t:.0f}" for t in timings)
        print(f"| {paragraphs} | {kind} | {cells} | {', '.join(map(str, totals))} |")


def _filters(params: dict) -> str:
    extra = {k: v for k, v in params.items() if k != "q"}
    return f" {extra}" if extra else ""


if __name__ == "__main__":
    main()
