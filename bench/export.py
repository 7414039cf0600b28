"""Exports at archive scale: time and memory of a CSV / JSON Lines export and of the bulk download.

Measures the databases that `bench/search.py` builds (ra_bench_search_<size>; build them first,
e.g. `bench/search.py --sizes 1500000`), through the site's own URLs with Django's test client,
reading the streamed answer chunk by chunk as a client would:

    .venv/bin/python bench/export.py                    # the 1.5M archive
    .venv/bin/python bench/export.py --size 100000 --bulk

For each query: the matches, the rows written (the cap cuts at EXPORT_MAX_ROWS), the time to
the first chunk and to the end, the bytes, and the peak of Python memory allocated while the
answer streams (tracemalloc). With --bulk, the time, peak memory and file sizes of writing the
whole archive's bulk download into a temporary folder.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("very common word", {"q": "адам"}),
    ("common word", {"q": "ресми"}),
    ("rare word", {"q": "әлсіреуі"}),
    ("common word, one year", {"q": "ресми", "year": 2020}),
    ("phrase", {"q": '"адам құқықтары"'}),
]


def measure_export(client, path: str, params: dict) -> dict:
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(path, params)
    first = None
    size = lines = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "status": response.status_code,
        "first_ms": (first or total) * 1000,
        "total_ms": total * 1000,
        "bytes": size,
        "lines": lines,
        "peak_mib": peak / 2**20,
    }


def measure_bulk() -> dict:
    from django.conf import settings

    from sections.bulk import write_bulk_data

    with tempfile.TemporaryDirectory() as folder:
        settings.BULK_DATA_DIR = Path(folder)
        tracemalloc.start()
        started = time.perf_counter()
        write_bulk_data()
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sizes = {p.name: p.stat().st_size for p in Path(folder).iterdir()}
    return {"seconds": seconds, "peak_mib": peak / 2**20, "sizes": sizes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_500_000)
    parser.add_argument("--bulk", action="store_true", help="also write the bulk download")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
    # The benchmark measures exports, not the per-client rate limits.
    os.environ["SEARCH_API_RATE_LIMIT"] = "off"
    os.environ["EXPORT_RATE_LIMIT"] = "off"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from bench.search import open_built

    paragraphs = open_built(args.size)
    client = Client(HTTP_HOST="localhost")
    print(f"\n## Exports from {paragraphs} paragraphs (cap {settings.EXPORT_MAX_ROWS} rows)\n")
    print("| query | format | status | lines | MiB | first chunk ms | total ms | peak MiB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, params in QUERIES:
        for fmt in ("csv", "jsonl"):
            m = measure_export(client, f"/search/export.{fmt}", params)
            print(
                f"| {name} | {fmt} | {m['status']} | {m['lines']} | {m['bytes'] / 2**20:.1f} |"
                f" {m['first_ms']:.0f} | {m['total_ms']:.0f} | {m['peak_mib']:.1f} |",
                flush=True,
            )
    if args.bulk:
        b = measure_bulk()
        files = ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in b["sizes"].items())
        print(
            f"\nBulk download of {paragraphs} paragraphs: {b['seconds']:.0f} s,"
            f" peak Python memory {b['peak_mib']:.1f} MiB; {files}"
        )


if __name__ == "__main__":
    main()
