"""Atom feeds (Django's syndication framework): the newest published reports, and each topic's
sections in the newest published reports. FEED_ITEMS entries, newest publication first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sections.links import site_url
from sections.models import Report, Section, Topic, language_label
from sections.templatetags.countries import country_name


class ArchiveFeed(Feed):
    """What every feed of the archive shares: Atom, the archive as author, report dates."""

    feed_type = Atom1Feed

    def author_name(self):
        return _("Rights Archive")

    def item_author_name(self, item):
        return self._report(item).publisher or None

    def item_pubdate(self, item):
        return self._report(item).created

    def item_updateddate(self, item):
        return self._report(item).updated

    def _report(self, item) -> Report:
        return item if isinstance(item, Report) else item.report


class ReportsFeed(ArchiveFeed):
    """/feed/: reports as they are published."""

    def title(self):
        return _("Rights Archive: new reports")

    def subtitle(self):
        return _("Human-rights reports as they are added to the archive.")

    def link(self):
        return site_url(reverse("sections:home"))

    def feed_url(self):
        return site_url(reverse("sections:feed"))

    def items(self):
        return Report.objects.published().order_by("-created", "-pk")[: settings.FEED_ITEMS]

    def item_title(self, report):
        return f"{country_name(report.country)} {report.year}: {report.title}"

    def item_description(self, report):
        about = [language_label(report.language)]
        if report.publisher:
            about.append(report.publisher)
        if report.is_translation and report.original_title:
            about.append(_("Translation of “%(title)s”") % {"title": report.original_title})
        return escape(" · ".join(about))

    def item_link(self, report):
        return site_url(report.get_absolute_url())


class TopicFeed(ArchiveFeed):
    """/topics/<slug>/feed/: the topic's sections, newest published report first."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return _("Rights Archive: %(topic)s") % {"topic": topic.name}

    def subtitle(self, topic):
        return _("Sections on %(topic)s in every newly published report.") % {"topic": topic.name}

    def link(self, topic):
        return site_url(topic.get_absolute_url())

    def feed_url(self, topic):
        return site_url(reverse("sections:topic_feed", args=[topic.slug]))

    def items(self, topic):
        newest = ("-report__created", "-report__year", "order")
        chosen = topic.sections.published().order_by(*newest).values("pk")[: settings.FEED_ITEMS]
        # The leads of the chosen sections only, whatever the size of the topic.
        return list(
            Section.objects.filter(pk__in=chosen)
            .select_related("report")
            .with_leads()
            .order_by(*newest)
        )

    def item_title(self, section):
        report = section.report
        return (
            f"{country_name(report.country)} {report.year} · {section.code} {section.title}"
            f" ({language_label(report.language)})"
        )

    def item_description(self, section):
        return escape(Truncator(section.lead).words(60))

    def item_link(self, section):
        return site_url(section.get_absolute_url())
