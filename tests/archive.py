"""The archive every test session starts with: the shipped reports (KZ 2022 in Kazakh, KZ 2023
in English) and a second Kazakh year made from the seed.

The second year (KZ 2021, kk) is the seed with a few deliberate differences, so that browsing
across years, compare and permalink keeping have something real to show:
- the first paragraph of section 1c is removed,
- one word is changed in the second paragraph of section 2a,
- a new paragraph is added at the end of section 7.
"""

from django.conf import settings

from sections.ingest.parser import parse_report
from sections.ingest.readers import read_report
from sections.ingest.service import ReportUpload
from sections.shipped import fill_metadata, shipped_metadata

SEED_PATH = settings.BASE_DIR / "fixtures" / "kz-2022-kk.txt"
ENGLISH_PATH = settings.BASE_DIR / "fixtures" / "kz-2023-en.txt"
ADDED_PARAGRAPH = "Бұл абзац 2021 жылғы есепке сынақ үшін қосылған."


def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


def seed_parsed():
    return parse_report(read_report(seed_bytes(), SEED_PATH.name))


def previous_year_parsed():
    """The seed's parse with the differences listed in the module docstring."""
    parsed = seed_parsed()
    by_code = {section.code: section for section in parsed.sections}
    by_code["1c"].paragraphs.pop(0)
    words = by_code["2a"].paragraphs[1].split(" ")
    words[3] = "өзгертілген"
    by_code["2a"].paragraphs[1] = " ".join(words)
    by_code["7"].paragraphs.append(ADDED_PARAGRAPH)
    parsed.title = parsed.title.replace("2022", "2021")
    return parsed


def load_archive() -> None:
    """Import the seed (2022), the made-up previous year (2021), both in Kazakh, and the
    English original of 2023."""
    seed = ReportUpload(seed_bytes(), SEED_PATH.name, "KZ", 2022, "kk").save()
    english = ReportUpload(ENGLISH_PATH.read_bytes(), ENGLISH_PATH.name, "KZ", 2023, "en").save()
    # The shipped reports' publisher, original and date; the made-up 2021 report has none.
    for result, path in ((seed, SEED_PATH), (english, ENGLISH_PATH)):
        fill_metadata(result.report, shipped_metadata(path.name))
    upload = ReportUpload(b"", "kz-2021-kk.txt", "KZ", 2021, "kk")
    upload.save(previous_year_parsed())
