"""sitemap.xml: the published reports, their sections and the topic pages in one urlset (Django
pages it with ?p= past 50,000 addresses), on SITE_URL when it is set (behind a proxy), else
on the request's host."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from sections.models import Report, Section, Topic


class ArchiveSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL when it is configured."""

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            parts = urlsplit(settings.SITE_URL)
            return parts.netloc + parts.path.rstrip("/")
        return super().get_domain(site)


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
