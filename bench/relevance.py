"""Relevance of the project's search against PostgreSQL's `simple` configuration.

    .venv/bin/python bench/relevance.py [--queries bench/relevance_queries.json] [--verbose]

Creates (or reuses) the database "ra_bench_relevance" on the same server as the project's
default database (the embedded PostgreSQL unless DATABASE_URL is set), migrates it, imports
the seed report fixtures/kz-2022-kk.txt, maps each judged snippet to the one paragraph that
contains it, and prints recall@10 and MRR per query kind and overall for

    project  Paragraph.objects.search_results(parse_query(q)): the Kazakh analyzer, weights,
             ts_rank_cd and the proximity boost, exactly as the site and the API rank;
    simple   to_tsvector('simple', text) @@ websearch_to_tsquery('simple', q), ranked by
             ts_rank (no stemming, no folding, no transliteration).

MRR is the mean of 1/rank of the first relevant paragraph (0 when none is returned).
"""

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "ra_bench_relevance"
K = 10


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


def load_seed():
    """Migrate and import the seed report; return it."""
    from django.core.management import call_command

    from sections.ingest.service import ReportUpload

    call_command("migrate", verbosity=0)
    seed = ROOT / "fixtures" / "kz-2022-kk.txt"
    return ReportUpload(seed.read_bytes(), seed.name, "KZ", 2022, "kk").save().report


def normalise(text: str) -> str:
    return " ".join(text.split())


def judged_paragraphs(queries, report) -> dict[str, set[int]]:
    """Query id -> ids of its relevant paragraphs; exits when a snippet is not unique."""
    paragraphs = [(p.pk, normalise(p.text)) for p in report.paragraphs.all()]
    judged, problems = {}, []
    for query in queries:
        ids = set()
        for snippet in query["relevant"]:
            found = [pk for pk, text in paragraphs if normalise(snippet) in text]
            if len(found) != 1:
                problems.append(f"{query['id']}: {snippet!r} matches {len(found)} paragraphs")
            ids.update(found)
        judged[query["id"]] = ids
    if problems:
        sys.exit("relevance judgments do not map to single paragraphs:\n" + "\n".join(problems))
    return judged


def project_ranking(text: str) -> list[int]:
    from search.query import parse_query
    from sections.models import Paragraph

    results = Paragraph.objects.search_results(parse_query(text))
    return [p.pk for p in results.hits[: min(results.ranked, 1000)]]


def simple_ranking(text: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.id FROM sections_paragraph p,
                   websearch_to_tsquery('simple', %s) q, to_tsvector('simple', p.text) v
             WHERE v @@ q
             ORDER BY ts_rank(v, q) DESC, p.ordinal
             LIMIT 1000
            """,
            [text],
        )
        return [row[0] for row in cursor.fetchall()]


def scores(ranking: list[int], relevant: set[int]) -> tuple[float, float]:
    """(recall@K, reciprocal rank of the first relevant paragraph)."""
    recall = len(set(ranking[:K]) & relevant) / len(relevant)
    rank = next((i for i, pk in enumerate(ranking, 1) if pk in relevant), None)
    return recall, (1 / rank if rank else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", default=str(ROOT / "bench" / "relevance_queries.json"))
    parser.add_argument("--verbose", action="store_true", help="print every query's scores")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
    import django

    django.setup()
    use_database(DATABASE)
    report = load_seed()
    queries = json.loads(Path(args.queries).read_text(encoding="utf-8"))["queries"]
    judged = judged_paragraphs(queries, report)

    systems = {"project": project_ranking, "simple": simple_ranking}
    by_kind: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for query in queries:
        line = [f"{query['id']} {query['kind']:<10} {query['query']:<28}"]
        for name, rank in systems.items():
            result = scores(rank(query["query"]), judged[query["id"]])
            by_kind[query["kind"]][name].append(result)
            by_kind["overall"][name].append(result)
            line.append(f"{name} R@10 {result[0]:.2f} RR {result[1]:.2f}")
        if args.verbose:
            print("  ".join(line))

    header = f"| {'kind':<10} | {'n':>2} | project R@10 | simple R@10 | project MRR | simple MRR |"
    print(header)
    print("|" + "|".join("-" * (len(c) + 0) for c in header.split("|")[1:-1]) + "|")
    kinds = [k for k in dict.fromkeys(q["kind"] for q in queries)] + ["overall"]
    for kind in kinds:
        rows = by_kind[kind]
        n = len(rows["project"])

        def mean(name, index, rows=rows, n=n):
            return sum(r[index] for r in rows[name]) / n

        print(
            f"| {kind:<10} | {n:>2} | {mean('project', 0):>12.3f} | {mean('simple', 0):>11.3f} "
            f"| {mean('project', 1):>11.3f} | {mean('simple', 1):>10.3f} |"
        )


if __name__ == "__main__":
    main()
