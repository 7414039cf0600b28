"""Relevance of the project's search against PostgreSQL's `simple` configuration.

    .venv/bin/python bench/relevance.py [--queries bench/relevance_queries.json] [--verbose]
                                        [--fresh]

Creates (or reuses; with --fresh, drops and recreates) the database "ra_bench_relevance" on
the same server as the project's default database (the embedded PostgreSQL unless
DATABASE_URL is set), migrates it, imports the seed report fixtures/kz-2022-kk.txt and the
English report fixtures/kz-2023-en.txt through the project's import path, maps each judged
snippet to the one paragraph of its query's report that contains it, and prints recall@10,
MRR and nDCG@10 per query kind and overall, in one table, for

    project  search_results(parse_query(q)): the analyzers, weights and
             proximity, exactly as the site and the API rank, followed by the partial
             matches the first page shows below them when few paragraphs hold every word;
             when the query finds nothing at all, the same for its correction ("did you
             mean", search.corrections), whose results the page and the API then show;
    simple   to_tsvector('simple', text) @@ websearch_to_tsquery('simple', q), ranked by
             ts_rank (no stemming, no folding, no transliteration).

An extra row, "english (en cfg)", scores the English queries against PostgreSQL's `english`
configuration instead of `simple` (Snowball stemming and stop words).

MRR is the mean of 1/rank of the first relevant paragraph (0 when none is returned).
nDCG@10 uses binary gains (1 for a relevant paragraph, discounted by log2(rank + 1)) over
the ideal ordering of min(10, number of relevant paragraphs).
"""

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "ra_bench_relevance"
K = 10
# The reports the judged snippets come from: corpus name -> (file, country, year, language).
REPORTS = {
    "kz-2022-kk": ("kz-2022-kk.txt", "KZ", 2022, "kk"),
    "kz-2023-en": ("kz-2023-en.txt", "KZ", 2023, "en"),
}
# Queries over this corpus are also scored against PostgreSQL's `english` configuration.
ENGLISH_CORPUS = "kz-2023-en"
ENGLISH_ROW = "english (en cfg)"


def server_connection():
    """An autocommit connection to the "postgres" database of the project's server."""
    import psycopg
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


def use_database(name: str, fresh: bool = False) -> None:
    """Point Django's default connection at `name` on the same server, creating it
    (dropped first when `fresh`)."""
    from django.db import connections
    from psycopg import sql

    settings_dict = connections["default"].settings_dict
    admin = server_connection()
    with admin:
        if fresh:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connections["default"].close()
    settings_dict["NAME"] = name


def load_reports() -> dict:
    """Migrate and import the reports of REPORTS (replacing earlier imports); return them
    by corpus name."""
    from django.core.management import call_command

    from sections.ingest.service import ReportUpload

    call_command("migrate", verbosity=0)
    reports = {}
    for corpus, (filename, country, year, language) in REPORTS.items():
        path = ROOT / "fixtures" / filename
        upload = ReportUpload(path.read_bytes(), path.name, country, year, language)
        reports[corpus] = upload.save().report
    return reports


def normalise(text: str) -> str:
    return " ".join(text.split())


def judged_paragraphs(queries, reports, default_corpus: str) -> dict[str, set[int]]:
    """Query id -> ids of its relevant paragraphs in its corpus's report; exits when a
    snippet is not unique there."""
    paragraphs = {
        corpus: [(p.pk, normalise(p.text)) for p in report.paragraphs.all()]
        for corpus, report in reports.items()
    }
    judged, problems = {}, []
    for query in queries:
        corpus = query.get("corpus", default_corpus)
        if corpus not in paragraphs:
            problems.append(f"{query['id']}: unknown corpus {corpus!r}")
            continue
        ids = set()
        for snippet in query["relevant"]:
            found = [pk for pk, text in paragraphs[corpus] if normalise(snippet) in text]
            if len(found) != 1:
                problems.append(
                    f"{query['id']}: {snippet!r} matches {len(found)} paragraphs of {corpus}"
                )
            ids.update(found)
        judged[query["id"]] = ids
    if problems:
        sys.exit("relevance judgments do not map to single paragraphs:\n" + "\n".join(problems))
    return judged


def project_ranking(text: str) -> list[int]:
    """The order a reader sees: every full match, then the partial matches shown below
    them; when the query finds nothing at all, the corrected query's, as the page and the
    API show them then (search.views)."""
    from search.engine import search_results
    from search.query import parse_query

    results = search_results(parse_query(text))
    if not results.total and not getattr(results, "partial", None):
        results = corrected_results(text, results) or results
    ranking = [p.pk for p in results.hits[: min(results.total, 1000)]]
    seen = set(ranking)
    return ranking + [p.pk for p in getattr(results, "partial", []) if p.pk not in seen]


def corrected_results(text: str, results):
    """The results of the "did you mean" correction of `text` (spelling, or the glossary's
    Kazakh term for an English or Russian word), or None when there is none (or the
    project has no corrections yet)."""
    try:
        from search.corrections import find_correction, search_instead
    except ImportError:
        return None
    from search.filters import SearchFilters

    correction = find_correction(text, results.total)
    if correction is None:
        return None
    return search_instead(correction, SearchFilters()).results


def config_ranking(config: str, text: str) -> list[int]:
    """Paragraphs matching websearch_to_tsquery(config, text), by ts_rank."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.id FROM sections_paragraph p,
                   websearch_to_tsquery(%s::regconfig, %s) q,
                   to_tsvector(%s::regconfig, p.text) v
             WHERE v @@ q
             ORDER BY ts_rank(v, q) DESC, p.ordinal
             LIMIT 1000
            """,
            [config, text, config],
        )
        return [row[0] for row in cursor.fetchall()]


def simple_ranking(text: str) -> list[int]:
    return config_ranking("simple", text)


def english_ranking(text: str) -> list[int]:
    return config_ranking("english", text)


def scores(ranking: list[int], relevant: set[int]) -> tuple[float, float, float]:
    """(recall@K, reciprocal rank of the first relevant paragraph, nDCG@K with binary
    gains)."""
    recall = len(set(ranking[:K]) & relevant) / len(relevant)
    rank = next((i for i, pk in enumerate(ranking, 1) if pk in relevant), None)
    dcg = sum(1 / math.log2(i + 1) for i, pk in enumerate(ranking[:K], 1) if pk in relevant)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(K, len(relevant)) + 1))
    return recall, (1 / rank if rank else 0.0), dcg / ideal


METRICS = ("R@10", "MRR", "nDCG@10")


def described(name: str, result: tuple[float, ...]) -> str:
    """ "project R@10 0.50 MRR 1.00 nDCG@10 0.64" for --verbose."""
    return " ".join([name, *(f"{m} {v:.2f}" for m, v in zip(METRICS, result, strict=True))])


def print_table(rows: list[tuple[str, dict[str, list[tuple[float, ...]]]]]) -> None:
    """A Markdown table, one row per kind: n, then each metric for project and baseline
    (`simple`, or `english` in the ENGLISH_ROW)."""
    header = ["kind".ljust(16), " n"]
    header += [f"{metric} {name}" for metric in METRICS for name in ("project", "simple")]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("-" * (len(c) + 2) for c in header) + "|")
    for kind, results in rows:
        n = len(results["project"])
        values = [
            sum(r[index] for r in results[name]) / n
            for index in range(len(METRICS))
            for name in ("project", "baseline")
        ]
        cells = [kind.ljust(16), f"{n:>2}"]
        cells += [f"{v:.3f}".rjust(len(c)) for v, c in zip(values, header[2:], strict=True)]
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", default=str(ROOT / "bench" / "relevance_queries.json"))
    parser.add_argument("--verbose", action="store_true", help="print every query's scores")
    parser.add_argument(
        "--fresh", action="store_true", help=f"drop and recreate {DATABASE} before migrating"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
    import django

    django.setup()
    use_database(DATABASE, fresh=args.fresh)
    reports = load_reports()
    data = json.loads(Path(args.queries).read_text(encoding="utf-8"))
    queries = data["queries"]
    default_corpus = data.get("corpus", "kz-2022-kk")
    judged = judged_paragraphs(queries, reports, default_corpus)

    # kind -> system -> per-query scores; "baseline" is `simple` except in the English row.
    by_kind: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for query in queries:
        relevant = judged[query["id"]]
        project = scores(project_ranking(query["query"]), relevant)
        simple = scores(simple_ranking(query["query"]), relevant)
        for kind in (query["kind"], "overall"):
            by_kind[kind]["project"].append(project)
            by_kind[kind]["baseline"].append(simple)
        line = [
            f"{query['id']} {query['kind']:<10} {query['query'][:34]:<34} rel {len(relevant):>2}",
            described("project", project),
            described("simple", simple),
        ]
        if query.get("corpus", default_corpus) == ENGLISH_CORPUS:
            english = scores(english_ranking(query["query"]), relevant)
            by_kind[ENGLISH_ROW]["project"].append(project)
            by_kind[ENGLISH_ROW]["baseline"].append(english)
            line.append(described("english", english))
        if args.verbose:
            print("  ".join(line))

    kinds = list(dict.fromkeys(q["kind"] for q in queries))
    rows = [(kind, by_kind[kind]) for kind in kinds]
    if ENGLISH_ROW in by_kind:
        rows.append((ENGLISH_ROW, by_kind[ENGLISH_ROW]))
    rows.append(("overall", by_kind["overall"]))
    if args.verbose:
        print()
    print_table(rows)


if __name__ == "__main__":
    main()
