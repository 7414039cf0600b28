"""The Atom feed of a search (Django's syndication framework): its newest matching paragraphs,
so that a feed reader shows the new ones when a report is published.

Newest first means the most recently published report first (`Report.created`, as the
archive's other feeds), each report's matches in reading order, FEED_ITEMS entries, read in
one query. Only the FEED_REPORTS most recently published reports are looked at: a feed is
about what is new, the search page has the rest. Every entry links to the paragraph's
permalink, which is also its id.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from search.filters import SearchFilters
from search.followed import describe
from search.highlight import snippet
from search.query import ParsedQuery
from search.ranking import matching
from sections.countries import country_name
from sections.feeds import ArchiveFeed
from sections.links import site_url

# The most recently published reports a feed looks for matches in.
FEED_REPORTS = 50


def newest_matches(parsed: ParsedQuery, filters: SearchFilters, limit: int) -> list:
    """Up to `limit` published paragraphs matching the search in the FEED_REPORTS most recently
    published reports, the newest report's first, each report's in reading order: one query
    (run it inside search_time_limit())."""
    newest = filters.reports().order_by("-created", "-pk").values("pk")[:FEED_REPORTS]
    paragraphs = (
        matching(parsed.tsquery, filters, parsed.exact_forms)
        .filter(report__in=newest)
        .select_related("section", "report")
        .defer("search_vector")
        .order_by("-report__created", "-report_id", "ordinal")
    )
    return list(paragraphs[:limit])


@dataclass(frozen=True)
class FollowedSearch:
    """What a search feed shows: the search (canonical query string), its parsed query and
    its newest matches."""

    search: str
    parsed: ParsedQuery
    paragraphs: list


class SearchFeed(ArchiveFeed):
    """/search/feed/?q=…: the search's newest matching paragraphs (the archive's author, and
    the dates of the paragraph's report, as every feed of the archive). Call it with
    `search=FollowedSearch(…)` (search.views.search_feed validates and searches)."""

    def get_object(self, request, search: FollowedSearch):
        self.search = search  # a SearchFeed serves one request; item methods read it
        return search

    def title(self, search):
        return _("Rights Archive: %(search)s") % {"search": describe(search.search)}

    def subtitle(self, search):
        return _("New paragraphs for this search as reports are published.")

    def link(self, search):
        return site_url(f"{reverse('search:page')}?{search.search}")

    def feed_url(self, search):
        return site_url(f"{reverse('search:feed')}?{search.search}")

    def items(self, search):
        return search.paragraphs

    def item_title(self, paragraph):
        report, section = paragraph.report, paragraph.section
        return (
            f"{country_name(report.country, get_language() or 'kk')} {report.year} · {section.code}"
            f" {section.title}, ¶{paragraph.number}"
        )

    def item_description(self, paragraph):
        # Atom's summary type="html": the snippet, escaped, with the query's words in <mark>.
        return snippet(paragraph.text, self.search.parsed.highlight_keys, paragraph.language)

    def item_link(self, paragraph):
        return site_url(paragraph.permalink_path)
