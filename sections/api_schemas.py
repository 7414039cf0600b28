"""The shapes /api/v1/ answers for reports, sections, paragraphs and topics (ninja Schemas,
so the OpenAPI document describes every field).

Links: `url` is the page on the site and `api_url` the resource in this API, both as paths;
`permalink` is the paragraph's absolute, citable address, which survives re-uploads.
"""

from datetime import date, datetime

from django.urls import reverse
from ninja import Field, Schema

from sections.citation import permalink

API = "api-v1"


def report_key(report) -> dict:
    return {"country": report.country.lower(), "year": report.year, "language": report.language}


def report_api_url(report) -> str:
    return reverse(f"{API}:report", kwargs=report_key(report))


def section_api_url(section) -> str:
    return reverse(f"{API}:section", kwargs={**report_key(section.report), "code": section.code})


def paragraph_api_url(report, number: int) -> str:
    return reverse(f"{API}:paragraph", kwargs={**report_key(report), "number": number})


def topic_api_url(topic) -> str:
    return reverse(f"{API}:topic", kwargs={"slug": topic.slug})


class ReportRef(Schema):
    """Which report: the three parts of its address."""

    country: str = Field(description="ISO 3166-1 alpha-2 code, upper case.", examples=["KZ"])
    year: int = Field(examples=[2022])
    language: str = Field(description="kk, en or ru.", examples=["kk"])
    api_url: str

    @staticmethod
    def resolve_api_url(report) -> str:
        return report_api_url(report)


class ReportOut(ReportRef):
    title: str
    publisher: str = Field(description="Who published it; empty when not recorded.")
    original_title: str = Field(description="The publisher's title (the original's).")
    original_url: str = Field(description="Where the publisher has it; may be empty.")
    publication_date: date | None = Field(description="When the publisher released it.")
    is_translation: bool
    original_language: str | None = Field(description="For a translation, the original's.")
    layout: str = Field(description="The outline the report follows (six-sections, …).")
    url: str
    sections_url: str = Field(description="Its sections in this API.")
    updated: datetime = Field(description="When it was last imported or edited.")

    @staticmethod
    def resolve_original_language(report) -> str | None:
        return report.original_language or None

    @staticmethod
    def resolve_url(report) -> str:
        return report.get_absolute_url()

    @staticmethod
    def resolve_sections_url(report) -> str:
        return reverse(f"{API}:sections", kwargs=report_key(report))


class ReportDetail(ReportOut):
    section_count: int
    paragraph_count: int
    other_languages: list[str] = Field(description="The same year's report in these languages.")


class SectionRef(Schema):
    code: str = Field(description="Stable within its layout: summary, 1, 1c, 6-women…")
    title: str = Field(description="As printed in the report.")
    api_url: str

    @staticmethod
    def resolve_api_url(section) -> str:
        return section_api_url(section)


class SectionOut(SectionRef):
    parent: str | None = Field(description="The enclosing section's code.")
    depth: int = Field(description="0 for a top-level section.")
    topics: list[str] = Field(description="Slugs of the topics it belongs to.")
    paragraph_count: int = Field(description="Its own paragraphs, not its subsections'.")
    url: str

    @staticmethod
    def resolve_parent(section) -> str | None:
        return section.parent_section.code if section.parent_section else None

    @staticmethod
    def resolve_topics(section) -> list[str]:
        return [topic.slug for topic in section.topics.all()]

    @staticmethod
    def resolve_url(section) -> str:
        return section.get_absolute_url()


class ParagraphOut(Schema):
    number: int = Field(description="Its permanent number in the report (the #pN anchor).")
    text: str
    url: str = Field(description="Its place in the section's page.")
    permalink: str
    api_url: str

    @staticmethod
    def resolve_url(paragraph) -> str:
        return paragraph.get_absolute_url()

    @staticmethod
    def resolve_permalink(paragraph, context) -> str:
        return permalink(context["request"], paragraph)

    @staticmethod
    def resolve_api_url(paragraph) -> str:
        return paragraph_api_url(paragraph.section.report, paragraph.number)


class SectionDetail(SectionOut):
    report: ReportRef
    subsections: list[SectionRef]
    paragraphs: list[ParagraphOut] = Field(description="Its own paragraphs, in reading order.")

    @staticmethod
    def resolve_subsections(section) -> list:
        return section.subsections

    @staticmethod
    def resolve_paragraphs(section) -> list:
        return section.paragraph_list


class ParagraphDetail(ParagraphOut):
    report: ReportRef
    section: SectionRef
    redirected_from: int | None = Field(
        description="The number asked for, when a re-upload retired it and this paragraph"
        " took its place; null when it is this paragraph's own."
    )


class TopicNames(Schema):
    kk: str
    en: str
    ru: str


class TopicOut(Schema):
    slug: str = Field(description="Stable across years and layouts.", examples=["torture"])
    names: TopicNames
    years: list[int] = Field(description="Years of published reports with a section on it.")
    url: str
    api_url: str

    @staticmethod
    def resolve_names(topic) -> dict:
        return {"kk": topic.name_kk, "en": topic.name_en, "ru": topic.name_ru}

    @staticmethod
    def resolve_url(topic) -> str:
        return topic.get_absolute_url()

    @staticmethod
    def resolve_api_url(topic) -> str:
        return topic_api_url(topic)


class TopicSection(SectionRef):
    report: ReportRef
    paragraph_count: int = Field(description="Its own paragraphs.")
    url: str

    @staticmethod
    def resolve_url(section) -> str:
        return section.get_absolute_url()


class TopicDetail(TopicOut):
    sections: list[TopicSection] = Field(description="Its sections, newest year first.")

    @staticmethod
    def resolve_sections(topic) -> list:
        return topic.sections_by_year()
