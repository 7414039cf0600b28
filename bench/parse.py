"""Parse time and peak memory of the report parser on real and oversized inputs.

    .venv/bin/python bench/parse.py

Each input is parsed three times in this process (the best time is shown); peak memory is
measured by tracemalloc on a separate run, as a multiple of the text's size in memory. Inputs:
the shipped reports, a 20 MiB text made of the English and Kazakh reports repeated, 200,000
short lines in one paragraph (quadratic before the rewrite), and 100,000 headings.
"""

import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sections.ingest.parser import parse_report  # noqa: E402

MIB = 2**20


def inputs() -> list[tuple[str, str, str]]:
    seed = (ROOT / "fixtures" / "kz-2022-kk.txt").read_text(encoding="utf-8")
    english = (ROOT / "fixtures" / "kz-2023-en.txt").read_text(encoding="utf-8")
    andorra = (ROOT.parent / "shared" / "reports" / "ad-2023-en.txt").read_text(encoding="utf-8")
    body = english.split("Section 1.", 1)[1]
    large = english
    while len(large.encode()) < 20 * MIB:
        large += "\n\nSection 1." + body
    short_lines = "Report\n\nSection 1. Respect for the Integrity of the Person\n\n" + (
        "word\n" * 200_000
    )
    headings = "Report\n\nSection 1. Respect for the Integrity of the Person\n\n" + "".join(
        f"a. Heading number {n}\n\nText {n}.\n\n" for n in range(100_000)
    )
    return [
        ("seed kz-2022-kk.txt", seed, "kk"),
        ("kz-2023-en.txt", english, "en"),
        ("ad-2023-en.txt", andorra, "en"),
        ("20 MiB (kz-2023-en repeated)", large, "en"),
        ("200,000 short lines", short_lines, "en"),
        ("100,000 headings", headings, "en"),
    ]


def measure(text: str, language: str) -> tuple[float, float, int, int]:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        parsed = parse_report(text, language)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    parse_report(text, language)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak, len(parsed.sections), parsed.paragraph_count


def main() -> None:
    print("| input | size MiB | parse s | peak MiB | peak / text | sections | paragraphs |")
    print("|---|---|---|---|---|---|---|")
    for name, text, language in inputs():
        size = len(text.encode()) / MIB
        # The text as Python holds it: 1, 2 or 4 bytes a character.
        in_memory = sys.getsizeof(text) / MIB
        seconds, peak, sections, paragraphs = measure(text, language)
        print(
            f"| {name} | {size:.2f} | {seconds:.3f} | {peak / MIB:.1f} | "
            f"{peak / MIB / in_memory:.1f}× | {sections} | {paragraphs} |"
        )


if __name__ == "__main__":
    main()
