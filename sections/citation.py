"""Citations of paragraphs and sections: what is cited (`Citation`) and its plain text, the same
on the "cite" page and in the copy script. The download formats are in citation_formats.

The page script gets `citation_format()` of a section with `{number}` and `{url}` left in
and fills them in per paragraph, so the plain-text format lives here only.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from sections.links import site_url
from sections.models import language_label

NUMBER = "{number}"
URL = "{url}"


def permalink_base(request, report) -> str:
    """The absolute URL that a paragraph number and "/" complete to its permalink."""
    return site_url(report.permalink_stem, request)


def permalink(request, paragraph) -> str:
    """The paragraph's absolute permalink: /kz/2022/kk/p/12/ on this site."""
    return site_url(paragraph.permalink_path, request)


@dataclass(frozen=True)
class Citation:
    """One cited paragraph (`paragraph` set) or section of a report, with what every citation
    format needs. `url` is the paragraph's permalink or the section's address."""

    report: object  # sections.models.Report
    section_code: str
    section_title: str
    paragraph: int | str | None  # str: the {number} placeholder of citation_format()
    url: str
    accessed: datetime.date

    @property
    def publisher(self) -> str:
        return self.report.publisher

    @property
    def year(self) -> int:
        """The year the report is about (its title's year), not the year it came out."""
        return self.report.year

    @property
    def issued(self) -> tuple[int, ...]:
        """When the publisher released it: (year, month, day), or (report year + 1,) when the
        date is not recorded (the State Department reports a year in the next year)."""
        date = self.report.publication_date
        return (date.year, date.month, date.day) if date else (self.report.year + 1,)

    @property
    def key(self) -> str:
        """A citation key: kz-2022-kk-1c, or kz-2022-kk-p12 for a paragraph."""
        report = self.report
        base = f"{report.country.lower()}-{report.year}-{report.language}"
        return (
            f"{base}-p{self.paragraph}"
            if self.paragraph is not None
            else f"{base}-{self.section_code}"
        )

    @property
    def language_description(self) -> str:
        """ "Kazakh", or "Kazakh, translated from English" for a translation."""
        language = language_label(self.report.language)
        if not self.report.is_translation:
            return language
        if self.report.original_language:
            return _("%(language)s, translated from %(original)s") % {
                "language": language,
                "original": language_label(self.report.original_language),
            }
        return _("%(language)s, a translation") % {"language": language}

    @property
    def locator(self) -> str:
        """Section code and title, and the paragraph number when a paragraph is cited."""
        values = {"code": self.section_code, "section": self.section_title}
        if self.paragraph is None:
            return _("section %(code)s “%(section)s”") % values
        return _("section %(code)s “%(section)s”, paragraph %(number)s") % {
            **values,
            "number": self.paragraph,
        }

    def text(self) -> str:
        """The plain-text citation: publisher, title (year; language), section, paragraph,
        access date and permalink (last, as Chicago style has it, so it copies cleanly)."""
        body = _("%(title)s (%(year)s; %(language)s), %(locator)s. Accessed %(date)s. %(url)s") % {
            "title": self.report.title,
            "year": self.year,
            "language": self.language_description,
            "locator": self.locator,
            "url": self.url,
            "date": self.accessed.isoformat(),
        }
        return f"{self.publisher}. {body}" if self.publisher else body


def today() -> datetime.date:
    """The access date of a citation made now."""
    return timezone.localdate()


def paragraph_citation(request, paragraph) -> Citation:
    """The citation of one paragraph, by its permalink."""
    section = paragraph.section
    return Citation(
        report=paragraph.report,
        section_code=section.code,
        section_title=section.title,
        paragraph=paragraph.number,
        url=permalink(request, paragraph),
        accessed=today(),
    )


def section_citation(request, section) -> Citation:
    """The citation of a section (with its subsections), by its address."""
    return Citation(
        report=section.report,
        section_code=section.code,
        section_title=section.title,
        paragraph=None,
        url=site_url(section.get_absolute_url(), request),
        accessed=today(),
    )


def citation_format(section) -> str:
    """The plain-text citation of any paragraph of `section`, with {number} and {url} to fill
    in (by the copy script)."""
    template = Citation(
        report=section.report,
        section_code=section.code,
        section_title=section.title,
        paragraph=NUMBER,
        url=URL,
        accessed=today(),
    )
    return template.text()
