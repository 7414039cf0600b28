"""sitemap.xml: the published reports, their sections and the topic pages in one urlset (Django
pages it with ?p= past 50,000 addresses), with addresses by sections.links.site_url."""

from functools import partial
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from sections.links import site_url
from sections.models import Report, Section, Topic


class ArchiveSitemap(Sitemap):
    """A sitemap whose addresses start with `base`, an absolute address of the site's root."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.protocol = parts.scheme
        self.domain = parts.netloc + parts.path.rstrip("/")

    def get_domain(self, site=None):
        return self.domain


class ReportSitemap(ArchiveSitemap):
    def items(self):
        return Report.objects.published().order_by("country", "-year", "language")

    def lastmod(self, report):
        return report.updated


class SectionSitemap(ArchiveSitemap):
    def items(self):
        return (
            Section.objects.published()
            .select_related("report")
            .only("code", "report__country", "report__year", "report__language", "report__updated")
            .order_by("report__country", "-report__year", "report__language", "order")
        )

    def lastmod(self, section):
        return section.report.updated


class TopicSitemap(ArchiveSitemap):
    def items(self):
        return ["topics", *Topic.objects.filter(sections__report__published=True).distinct()]

    def location(self, item):
        return reverse("sections:topics") if item == "topics" else item.get_absolute_url()


SITEMAPS = {"reports": ReportSitemap, "sections": SectionSitemap, "topics": TopicSitemap}


def sitemaps_for(request) -> dict:
    """The sitemaps for Django's sitemap view, on this request's site_url()."""
    base = site_url("/", request)
    return {name: partial(sitemap, base) for name, sitemap in SITEMAPS.items()}
