"""Plain-text citations of paragraphs, the same on the "cite" page and in the copy script.

The page script gets `citation_format()` of a section with `{number}` and `{url}` left in
and fills them in per paragraph, so the citation format lives here only.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

NUMBER = "{number}"
URL = "{url}"


def absolute_url(request, path: str) -> str:
    """`path` on this site: SITE_URL when configured (behind proxies), else the request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def permalink_base(request, report) -> str:
    """The absolute URL that a paragraph number and "/" complete to its permalink."""
    return absolute_url(request, reverse("sections:paragraph", args=[*report.url_args, 0]))[:-2]


def permalink(request, report, number: int) -> str:
    """The paragraph's permalink: /kz/2022/kk/p/12/, which survives re-uploads."""
    return permalink_base(request, report) + f"{number}/"


def citation_format(section) -> str:
    """The citation of any paragraph of `section`, with {number} and {url} to fill in."""
    report = section.report
    return _(
        "%(title)s (%(year)s), section %(code)s “%(section)s”, paragraph %(number)s. %(url)s"
    ) % {
        "title": report.title,
        "year": report.year,
        "code": section.code,
        "section": section.title,
        "number": NUMBER,
        "url": URL,
    }


def citation(request, paragraph) -> str:
    """The plain-text citation of one paragraph: report, year, section, number, permalink."""
    text = citation_format(paragraph.section)
    url = permalink(request, paragraph.report, paragraph.number)
    return text.replace(NUMBER, str(paragraph.number)).replace(URL, url)
