"""/api/v1/ for browsing: reports, their sections, paragraphs by permalink, topics.

Only published reports exist here; what is not found is a 404 with an English message.
"""

from typing import Annotated

from django.db.models import prefetch_related_objects
from django.http import Http404
from ninja import Field, Path, Query, Router
from ninja.pagination import paginate

from reportsite.api_errors import NOT_FOUND, READ_ERRORS
from reportsite.api_pages import LinkedPages, QueryParameters
from sections.api_schemas import (
    ParagraphDetail,
    ReportDetail,
    ReportOut,
    SectionDetail,
    SectionOut,
    TopicDetail,
    TopicOut,
)
from sections.models import Language, Report, Topic

router = Router()

REPORT_PATH = "/reports/{country}/{year}/{language}"
COUNTRY = r"^[A-Za-z]{2}$"

# The parts of an address, checked before any lookup (a malformed one is a 400).
Country = Annotated[str, Path(pattern=COUNTRY, description="A two-letter code.", example="kz")]
Year = Annotated[int, Path(example=2022)]
ReportLanguage = Annotated[Language, Path(example="kk")]
SectionCode = Annotated[str, Path(pattern=r"^[0-9A-Za-z][0-9A-Za-z-]*$", example="1c")]
TopicSlug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", example="torture")]


class ReportFilters(QueryParameters):
    country: str | None = Field(None, pattern=COUNTRY, description="e.g. KZ")
    language: Language | None = None
    year: int | None = None


def _report(country: str, year: int, language: str) -> Report:
    report = Report.objects.published().find(country, year, language)
    if report is None:
        raise Http404(f"there is no published {year} report for {country.upper()} in {language}")
    return report


def _sections(report: Report) -> list:
    """The report's sections in reading order with depth, parent, topics and counts (2 queries)."""
    tree = report.section_tree()
    prefetch_related_objects(tree, "topics")
    return tree


@router.get(
    "/reports",
    response={200: list[ReportOut], **READ_ERRORS},
    url_name="reports",
    tags=["reports"],
)
@paginate(LinkedPages)
def reports(request, filters: Query[ReportFilters]):
    """Every published report, by country, newest year first."""
    found = Report.objects.published()
    if filters.country:
        found = found.filter(country=filters.country.upper())
    if filters.language:
        found = found.filter(language=filters.language)
    if filters.year:
        found = found.filter(year=filters.year)
    return found.order_by("country", "-year", "language")


@router.get(
    REPORT_PATH,
    response={200: ReportDetail, **READ_ERRORS, **NOT_FOUND},
    url_name="report",
    tags=["reports"],
)
def report(request, country: Country, year: Year, language: ReportLanguage):
    """One report, with how many sections and paragraphs it has."""
    found = _report(country, year, language)
    found.section_count = found.sections.count()
    found.paragraph_count = found.paragraphs.count()
    others = Report.objects.published().filter(country=found.country, year=found.year)
    found.other_languages = list(
        others.exclude(pk=found.pk).order_by("language").values_list("language", flat=True)
    )
    return found


@router.get(
    f"{REPORT_PATH}/sections",
    response={200: list[SectionOut], **READ_ERRORS, **NOT_FOUND},
    url_name="sections",
    tags=["sections"],
)
@paginate(LinkedPages)
def sections(request, country: Country, year: Year, language: ReportLanguage):
    """A report's sections in reading order (the table of contents)."""
    return _sections(_report(country, year, language))


@router.get(
    f"{REPORT_PATH}/sections/{{code}}",
    response={200: SectionDetail, **READ_ERRORS, **NOT_FOUND},
    url_name="section",
    tags=["sections"],
)
def section(request, country: Country, year: Year, language: ReportLanguage, code: SectionCode):
    """One section with its own paragraphs; its subsections are linked."""
    found = _report(country, year, language)
    tree = _sections(found)
    wanted = next((s for s in tree if s.code == code.lower()), None)
    if wanted is None:
        raise Http404(f"the {found.year} report has no section {code!r}")
    wanted.paragraph_list = list(wanted.paragraphs.order_by("ordinal"))
    for paragraph in wanted.paragraph_list:
        paragraph.section = wanted
    return wanted


@router.get(
    f"{REPORT_PATH}/paragraphs/{{number}}",
    response={200: ParagraphDetail, **READ_ERRORS, **NOT_FOUND},
    url_name="paragraph",
    tags=["paragraphs"],
)
def paragraph(
    request,
    country: Country,
    year: Year,
    language: ReportLanguage,
    number: Annotated[int, Path(example=12)],
):
    """A paragraph by its permalink's parts. A number that a re-upload retired answers the
    paragraph that took its place (as the permalink does), with `redirected_from` set."""
    found = _report(country, year, language)
    current = found.resolve_anchor(number)
    if current is None:
        raise Http404(f"the {found.year} report has no paragraph {number}")
    current.redirected_from = number if current.number != number else None
    return current


@router.get(
    "/topics",
    response={200: list[TopicOut], **READ_ERRORS},
    url_name="topics",
    tags=["topics"],
)
@paginate(LinkedPages)
def topics(request):
    """Every topic with the years that have a section on it; a topic carries a subject
    across years and layouts (torture is 1c in 2022 and 3a in 2024)."""
    return Topic.objects.with_years().order_by("order", "slug")


@router.get(
    "/topics/{slug}",
    response={200: TopicDetail, **READ_ERRORS, **NOT_FOUND},
    url_name="topic",
    tags=["topics"],
)
def topic(request, slug: TopicSlug):
    """One topic with its sections in every published report, newest year first."""
    found = Topic.objects.with_years().filter(slug=slug).first()
    if found is None:
        raise Http404(f"there is no topic {slug!r}")
    return found
