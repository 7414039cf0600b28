"""Indexing speed: Snowball through PyStemmer in Python against PostgreSQL's to_tsvector.

    .venv/bin/python bench/stemming.py [--repeat 7]

The issue asked to choose between the two by speed, and to measure. Input: the English 2023
Kazakhstan report (../shared/reports/kz-2023-en.txt) cut crudely into paragraphs (a
hard-wrapped line that ends a sentence and stops short of the margin ends a paragraph), and,
as Cyrillic text for the Russian stemmer (there is no Russian report yet), the Kazakh seed
report's paragraphs. Rows, for each text:

    python analyze      search.snowball.analyze on every paragraph (tokens, keys)
    python vector       search.indexing.tsvector_literal: what the importer computes
    python vector, warm the same with every word already in the analyzer's cache
    python + ::tsvector those literals parsed by PostgreSQL (what storing them costs there)
    to_tsvector         PostgreSQL's own english/russian configuration on the same texts

Python timings start from cold caches (the analyzer's word cache and the stemmer's), as when
a new report is imported, except the warm row; PostgreSQL timings are one statement over an
array of every paragraph on the server's "postgres" database (no table is touched). A second
table times reading one query: search.query.parse_query in Python against a round trip for
PostgreSQL's websearch_to_tsquery; a third the snippets of a results page (the 20 longest
paragraphs): search.highlight.snippet against ts_headline. Each is run once to warm up,
then the median of --repeat runs is printed.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENGLISH_REPORT = ROOT.parent / "shared" / "reports" / "kz-2023-en.txt"
CYRILLIC_REPORT = ROOT / "fixtures" / "kz-2022-kk.txt"
# A wrapped line this much shorter than the ~80-column margin that ends a sentence ends a
# paragraph.
SHORT_LINE = 72
_SENTENCE_END = re.compile(r"[.:;?!”\")]$")


def paragraphs(path: Path) -> list[str]:
    """The file's paragraphs: blank lines, and short lines that end a sentence, close one."""
    result, lines = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            lines.append(line)
        if lines and (not line or (len(line) < SHORT_LINE and _SENTENCE_END.search(line))):
            result.append(" ".join(lines))
            lines = []
    if lines:
        result.append(" ".join(lines))
    return result


def cold_caches() -> None:
    """Forget every analysed word, as a fresh process importing a report would."""
    from search import indexing, snowball

    snowball._word_key.cache_clear()
    snowball._stemmers.__dict__.clear()
    indexing._title_keys.cache_clear()


def timed(function, repeat: int, cold: bool = True) -> float:
    """Median seconds of `repeat` runs of function(), each from cold caches when `cold`."""
    function()
    runs = []
    for _ in range(repeat):
        if cold:
            cold_caches()
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def connect():
    """A connection to the "postgres" database of the project's server."""
    from bench.relevance import server_connection

    return server_connection()


def rows(texts: list[str], language: str, config: str, cursor, repeat: int):
    """(method, seconds) for one text and language."""
    from search.indexing import tsvector_literal
    from search.snowball import analyze

    literals = [tsvector_literal("", text, language) for text in texts]

    def in_postgres(sql: str, values: list[str]):
        def run():
            cursor.execute(sql, [values])
            cursor.fetchone()

        return run

    cast = "SELECT sum(length(x::tsvector)) FROM unnest(%s::text[]) x"
    own = f"SELECT sum(length(to_tsvector('{config}', x))) FROM unnest(%s::text[]) x"

    def each(function):
        # One paragraph's result at a time, as the importer keeps them (no GC of a huge list).
        def run():
            for text in texts:
                function(text, language)

        return run

    vector = timed(each(lambda text, language: tsvector_literal("", text, language)), repeat)
    warm = timed(each(lambda text, language: tsvector_literal("", text, language)), repeat, False)
    return [
        ("python analyze", timed(each(analyze), repeat)),
        ("python vector", vector),
        ("python vector, warm", warm),
        ("python + ::tsvector", vector + timed(in_postgres(cast, literals), repeat)),
        (f"to_tsvector('{config}')", timed(in_postgres(own, texts), repeat)),
    ]


QUERIES = [
    ("tortured journalists", "english"),
    ('"freedom of expression" -media', "english"),
    ("журналистов задержали", "russian"),
]


def query_rows(query: str, config: str, cursor, repeat: int):
    """(method, seconds) for reading one query: every language in Python, or one in SQL."""
    from search.query import parse_query

    def in_postgres():
        cursor.execute(f"SELECT websearch_to_tsquery('{config}', %s)", [query])
        cursor.fetchone()

    # Queries arrive one by one with new words: cold caches.
    return [
        ("parse_query (kk, en, ru)", timed(lambda: parse_query(query), repeat)),
        (f"websearch_to_tsquery('{config}')", timed(in_postgres, repeat)),
    ]


def snippet_rows(texts: list[str], cursor, repeat: int):
    """(method, seconds) for the snippets of 20 English hits of "tortured journalists"."""
    from search.highlight import snippet
    from search.query import parse_query

    page = sorted(texts, key=len)[-20:]
    keys = parse_query("tortured journalists").highlight_keys
    sql = (
        "SELECT ts_headline('english', x, websearch_to_tsquery('english', %s),"
        " 'MaxWords=40, MinWords=20') FROM unnest(%s::text[]) x"
    )

    def in_postgres():
        cursor.execute(sql, ["tortured journalists", page])
        cursor.fetchall()

    return [
        ("search.highlight.snippet", timed(lambda: [snippet(t, keys, "en") for t in page], repeat)),
        ("ts_headline('english')", timed(in_postgres, repeat)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
    import django

    django.setup()
    inputs = [
        ("kz-2023-en", "en", "english", paragraphs(ENGLISH_REPORT)),
        ("kz-2022-kk (Cyrillic)", "ru", "russian", paragraphs(CYRILLIC_REPORT)),
    ]
    print("Indexing")
    print(
        f"| {'text':<21} | {'paragraphs':>10} | {'method':<25} | {'ms':>7} | {'µs/paragraph':>12} |"
    )
    print(f"|{'-' * 23}|{'-' * 12}|{'-' * 27}|{'-' * 9}|{'-' * 14}|")
    with connect() as connection, connection.cursor() as cursor:
        for name, language, config, texts in inputs:
            for method, seconds in rows(texts, language, config, cursor, args.repeat):
                per_paragraph = seconds / len(texts) * 1e6
                print(
                    f"| {name:<21} | {len(texts):>10} | {method:<25} | {seconds * 1000:>7.1f} "
                    f"| {per_paragraph:>12.1f} |"
                )
        print("\nReading a query")
        print(f"| {'query':<32} | {'method':<33} | {'µs':>7} |")
        print(f"|{'-' * 34}|{'-' * 35}|{'-' * 9}|")
        for query, config in QUERIES:
            for method, seconds in query_rows(query, config, cursor, args.repeat):
                print(f"| {query:<32} | {method:<33} | {seconds * 1e6:>7.1f} |")
        print("\nSnippets of a results page (20 English paragraphs)")
        print(f"| {'method':<25} | {'ms':>7} |")
        print(f"|{'-' * 27}|{'-' * 9}|")
        for method, seconds in snippet_rows(inputs[0][3], cursor, args.repeat):
            print(f"| {method:<25} | {seconds * 1000:>7.2f} |")


if __name__ == "__main__":
    main()
