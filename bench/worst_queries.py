"""Time of the most expensive queries a user can type, through the JSON API.

    .venv/bin/python bench/worst_queries.py

Uses its own database `ra_bench_worst` (migrated, with the shipped reports), and prints the
median wall time of five requests per query, the HTTP status, and the statement time
PostgreSQL spent (pg_stat_statements is not needed: the time is taken around the request).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
DATABASE = "ra_bench_worst"
RUNS = 5

LATIN = ["saiasi", "bostandyq", "quqyq", "adam", "sot", "zan", "tutqyn", "azaptau"]
QUERIES = {
    "24 ambiguous Latin words, OR, limit=100": (" OR ".join((LATIN * 3)[:24]), 100),
    "50 words": (" ".join(f"сөз{i}" for i in range(50)), 20),
    "one word repeated 100 times": (" ".join(["азаптау"] * 100), 20),
    "a common word, limit=100": ("адам", 100),
    "three words, one missing (partial matches)": ("саяси тұтқындар саны", 20),
    "a typo (did you mean)": ("азаптуа", 20),
}


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.relevance import use_database

    use_database(DATABASE)
    call_command("migrate", verbosity=0)
    call_command("load_shipped_reports", verbosity=0, stderr=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")
    print("| query | status | median ms | max ms |")
    print("|---|---|---|---|")
    for name, (text, limit) in QUERIES.items():
        times, status = [], None
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get("/api/search", {"q": text, "limit": limit})
            times.append((time.perf_counter() - start) * 1000)
            status = response.status_code
        print(f"| {name} | {status} | {statistics.median(times):.0f} | {max(times):.0f} |")


if __name__ == "__main__":
    main()
