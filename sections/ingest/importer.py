"""Saves a parsed report to the database in one transaction, keeping permalinks.

Re-importing a country/year/language replaces the report atomically: readers see the old
report until the transaction commits. Paragraphs whose text did not change keep their
anchor numbers; a changed paragraph keeps the number of the old paragraph it most resembles
in the same section; removed numbers are retired with a pointer to their successor and the
hash of their text, and a paragraph that comes back with that text gets its number back.
"""

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from search.indexing import index_paragraphs
from search.vocabulary import refresh_report_terms
from sections import taxonomy
from sections.compare import normalise
from sections.ingest.errors import IngestError, gettext_noop
from sections.ingest.parser import ParsedReport
from sections.models import (
    FIRST_YEAR,
    Language,
    Paragraph,
    Report,
    RetiredAnchor,
    Section,
    Topic,
    latest_allowed_year,
)
from sections.signals import announce_published

# How alike an edited paragraph must be to its old version to keep the old anchor.
SIMILAR_ENOUGH = 0.6


@dataclass
class ImportResult:
    report: Report
    created: bool
    paragraphs: int
    kept_anchors: int = 0
    new_anchors: int = 0
    retired_anchors: list[int] = field(default_factory=list)
    # Numbers an earlier import retired that this one gave back to their returning text.
    revived_anchors: list[int] = field(default_factory=list)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_hash(text: str) -> str:
    """What a retired anchor keeps of its paragraph: the hash of the whitespace-normalised
    text, the same comparison as for paragraphs that stay."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def check_identity(country: str, year, language: str) -> tuple[str, int, str]:
    """Validate country, year and language; return them normalised or raise IngestError."""
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        raise IngestError(
            gettext_noop("country must be a two-letter ISO code such as KZ, not %(country)r"),
            country=country,
        )
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise IngestError(gettext_noop("year must be a number, not %(year)r"), year=year) from None
    if not FIRST_YEAR <= year <= latest_allowed_year():
        raise IngestError(
            gettext_noop("year %(year)s is out of range: reports run from %(first)s to %(last)s"),
            year=year,
            first=FIRST_YEAR,
            last=latest_allowed_year(),
        )
    if language not in Language.values:
        raise IngestError(
            gettext_noop("unknown language code %(language)r: use one of %(known)s"),
            language=language,
            known=", ".join(Language.values),
        )
    return country, year, language


def sync_topics() -> dict[str, Topic]:
    """Create or update the Topic rows from the taxonomy module; return them by slug."""
    topics = {}
    for order, (slug, names) in enumerate(taxonomy.topics().items()):
        topic, _ = Topic.objects.update_or_create(
            slug=slug,
            defaults={
                "name_kk": names["kk"],
                "name_en": names["en"],
                "name_ru": names["ru"],
                "order": order,
            },
        )
        topics[slug] = topic
    return topics


def assign_numbers(
    old: list[tuple[int, str, str]],
    new: list[tuple[str, str]],
    retired_before: Mapping[int, str] | frozenset[int] | set[int] = frozenset(),
):
    """Choose anchor numbers for new paragraphs given the old ones.

    `old` is [(number, section_code, text)] in old order, `new` is [(section_code, text)] in
    new order, `retired_before` the numbers earlier imports retired, as {number: text_hash}
    (or just the numbers). A retired number is never handed to another paragraph, so an old
    citation cannot come to point at other text; a new paragraph whose text is a retired
    one's gets that number back. Returns (numbers for new, {retired number: successor number
    or None}); the revived numbers are those of `retired_before` among the numbers.
    """
    if not isinstance(retired_before, Mapping):
        retired_before = dict.fromkeys(retired_before, "")
    unused = {number: (code, normalise(text)) for number, code, text in old}
    by_text: dict[str, list[int]] = {}
    for number, (_, text) in unused.items():
        by_text.setdefault(text, []).append(number)

    numbers: list[int | None] = [None] * len(new)
    # Exact text first, wherever it moved.
    for i, (_, text) in enumerate(new):
        candidates = by_text.get(normalise(text))
        if candidates:
            number = candidates.pop(0)
            numbers[i] = number
            del unused[number]
    # Then text that an earlier import removed: it gets its old number back.
    by_hash: dict[str, list[int]] = {}
    for number, digest in sorted(retired_before.items()):
        if digest:
            by_hash.setdefault(digest, []).append(number)
    if by_hash:
        for i, (_, text) in enumerate(new):
            if numbers[i] is None and (candidates := by_hash.get(text_hash(text))):
                numbers[i] = candidates.pop(0)
    # Then edits: the most similar unused old paragraph of the same section.
    for i, (code, text) in enumerate(new):
        if numbers[i] is not None:
            continue
        best, best_ratio = None, SIMILAR_ENOUGH
        for number, (old_code, old_text) in unused.items():
            if old_code != code:
                continue
            matcher = difflib.SequenceMatcher(None, old_text, normalise(text), autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = number, ratio
        if best is not None:
            numbers[i] = best
            del unused[best]
    # New paragraphs get numbers never used before in this report.
    next_number = max([n for n, _, _ in old] + list(retired_before) + [0]) + 1
    for i, number in enumerate(numbers):
        if number is None:
            numbers[i] = next_number
            next_number += 1

    kept = set(numbers)
    old_order = [number for number, _, _ in old]
    retired = {}
    for position, number in enumerate(old_order):
        if number in kept:
            continue
        # The paragraph that followed it, or for the report's last ones the one before.
        successor = next((n for n in old_order[position + 1 :] if n in kept), None)
        if successor is None:
            successor = next((n for n in reversed(old_order[:position]) if n in kept), None)
        retired[number] = successor
    return numbers, retired


def import_report(
    parsed: ParsedReport,
    *,
    country: str,
    year: int,
    language: str,
    source_name: str = "",
    source_checksum: str = "",
    published: bool = True,
) -> ImportResult:
    """Save `parsed` as the report for country/year/language, replacing any earlier import."""
    country, year, language = check_identity(country, year, language)
    if not parsed.sections or not any(s.paragraphs for s in parsed.sections):
        raise IngestError(gettext_noop("the report has no paragraphs of text"))
    codes = [s.code for s in parsed.sections]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        # The parser never emits these; a hand-built or edited outline might.
        raise IngestError(
            gettext_noop("the outline has the section code %(codes)s more than once"),
            codes=", ".join(repeated),
        )

    try:
        with transaction.atomic():
            topics = sync_topics()
            report = (
                Report.objects.select_for_update()
                .filter(country=country, year=year, language=language)
                .first()
            )
            created = report is None
            was_published = not created and report.published
            old = []
            retired_before = {}
            if report is None:
                report = Report(country=country, year=year, language=language)
            else:
                old = list(
                    report.paragraphs.order_by("ordinal").values_list(
                        "number", "section__code", "text"
                    )
                )
                retired_before = dict(report.retired_anchors.values_list("number", "text_hash"))
            # A report whose title line was not recognised still needs a name.
            report.title = (parsed.title or f"{country} {year} ({language})")[:500]
            report.layout = parsed.layout
            report.source_name = source_name[:255]
            report.checksum = source_checksum
            report.published = published
            report.parse_warnings = list(parsed.warnings)
            try:
                report.full_clean(exclude=["checksum"], validate_unique=False)
            except ValidationError as error:
                raise IngestError("; ".join(error.messages)) from None
            report.save()

            new = [(s.code, text) for s in parsed.sections for text in s.paragraphs]
            numbers, retired = assign_numbers(old, new, retired_before)

            report.sections.all().delete()
            sections = _create_sections(report, parsed, topics)
            paragraphs = []
            ordinal = 0
            for parsed_section in parsed.sections:
                for text in parsed_section.paragraphs:
                    paragraphs.append(
                        Paragraph(
                            report=report,
                            section=sections[parsed_section.code],
                            ordinal=ordinal + 1,
                            number=numbers[ordinal],
                            text=text,
                        )
                    )
                    ordinal += 1
            Paragraph.objects.bulk_create(index_paragraphs(paragraphs), batch_size=1000)

            live = set(numbers)
            revived = sorted(live & retired_before.keys())
            # A revived number is a paragraph's again. Anchors retired with it as successor
            # keep pointing to it: successors are chains (resolve_anchor follows them), never
            # rewritten, so those anchors lead to the paragraph that followed them once more.
            report.retired_anchors.filter(number__in=revived).delete()
            old_texts = {number: text for number, _, text in old}
            for number, successor in retired.items():
                RetiredAnchor.objects.update_or_create(
                    report=report,
                    number=number,
                    defaults={
                        "successor_number": successor,
                        "text_hash": text_hash(old_texts[number]),
                    },
                )
            # Term statistics (idf, "did you mean") change with the archive, in this transaction.
            refresh_report_terms(report)
            if published:
                announce_published(report, republished=was_published)

    except IntegrityError as error:
        if "one_report_per_country_year_language" not in str(error):
            raise
        # Two first imports of the same report at once: the other one committed first.
        raise IngestError(
            gettext_noop(
                "another import of %(country)s %(year)s (%(language)s) finished first; "
                "upload again to replace it"
            ),
            country=country,
            year=year,
            language=language,
        ) from None

    kept = len(live & {n for n, _, _ in old})
    return ImportResult(
        report=report,
        created=created,
        paragraphs=len(paragraphs),
        kept_anchors=kept,
        new_anchors=len(paragraphs) - kept - len(revived),
        retired_anchors=sorted(retired),
        revived_anchors=revived,
    )


def _create_sections(report: Report, parsed: ParsedReport, topics: dict[str, Topic]):
    sections: dict[str, Section] = {}
    for order, parsed_section in enumerate(parsed.sections, start=1):
        section = Section.objects.create(
            report=report,
            code=parsed_section.code,
            title=parsed_section.title[:500],
            order=order,
            parent=sections.get(parsed_section.parent) if parsed_section.parent else None,
        )
        section.topics.set([topics[slug] for slug in parsed_section.topics if slug in topics])
        sections[parsed_section.code] = section
    return sections
