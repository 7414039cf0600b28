"""Query counts and render times of the browse pages, through Django's test Client.

    python bench/pages.py                # against the configured database (make setup first)
    python bench/pages.py --archive      # against a kept database holding the test archive
    python bench/pages.py --runs 50
    DEBUG=0 PLAIN_STATIC=1 SECRET_KEY=bench python bench/pages.py --archive   # production-like

Prints one row per page: the queries it runs, the median and slowest render time over --runs
requests (after one warm-up request), and the size of the HTML. The section pages measured are
1c and the largest top-level section (subsections included). `--archive` creates (once) and
reuses a separate database, TEST_DATABASE_NAME or "bench_pages", with the seed report and the
made-up previous year of tests/archive.py, so compare has two years; the configured database
is not touched.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_pages")


def use_archive_database() -> None:
    """Switch to the kept benchmark database, creating and loading it the first time."""
    from django.db import connection

    from sections.models import Report

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
    if Report.objects.filter(country="KZ", year__in=[2021, 2022]).count() != 2:
        from tests.archive import load_archive

        load_archive()


def pages() -> list[tuple[str, str]]:
    from sections.models import Report, Topic

    report = Report.objects.published().order_by("-year").first()
    if report is None:
        sys.exit("No published report: run 'make setup' or pass --archive.")
    tree = report.section_tree()
    largest = max((s for s in tree if s.parent_id is None), key=lambda s: s.total_paragraphs)
    base = report.get_absolute_url()
    first = report.paragraphs.order_by("ordinal").first().number
    topic = max(Topic.objects.with_paragraph_counts(), key=lambda t: t.paragraph_count)
    rows = [
        ("home", "/"),
        ("report (table of contents)", base),
        ("section 1c", f"{base}1c/"),
        (
            f"largest section {largest.code} ({largest.total_paragraphs} ¶)",
            f"{base}{largest.code}/",
        ),
        ("paragraph permalink (redirect)", f"{base}p/{first}/"),
        ("cite page", f"{base}p/{first}/cite/"),
        (f"topic {topic.slug}", topic.get_absolute_url()),
    ]
    earlier = report.neighbours()[0]
    if earlier:
        country = report.country.lower()
        query = f"?from={earlier.year}&to={report.year}"
        rows.append(("compare 1c", f"/{country}/compare/1c/{query}"))
        rows.append((f"compare {largest.code}", f"/{country}/compare/{largest.code}/{query}"))
    return rows


def measure(client, url: str, runs: int) -> tuple[int, float, float, int, int]:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper counts with DEBUG on or off (the debug query log is reset per request).
    with connection.execute_wrapper(count):
        response = client.get(url, secure=True)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, secure=True)
        timings.append((time.perf_counter() - start) * 1000)
    return (
        len(queries),
        statistics.median(timings),
        max(timings),
        response.status_code,
        len(response.content),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--archive", action="store_true", help="use the test-archive database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    if args.archive:
        use_archive_database()
    client = Client(HTTP_HOST="localhost")
    rows = [(name, url, *measure(client, url, args.runs)) for name, url in pages()]

    name_width = max(len(r[0]) for r in rows)
    url_width = max(len(r[1]) for r in rows)
    header = (
        f"{'page':<{name_width}}  {'url':<{url_width}}  status  queries  median ms  max ms  html KB"
    )
    print(header)
    print("-" * len(header))
    for name, url, queries, median, slowest, status, size in rows:
        print(
            f"{name:<{name_width}}  {url:<{url_width}}  {status:>6}  {queries:>7}  "
            f"{median:>9.1f}  {slowest:>6.1f}  {size / 1024:>7.0f}"
        )
    print(f"\n{args.runs} timed requests per page after one warm-up; DEBUG={_debug()}.")


def _debug() -> bool:
    from django.conf import settings

    return settings.DEBUG


if __name__ == "__main__":
    main()
