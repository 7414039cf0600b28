from django.urls import path, register_converter
from django.views.generic import RedirectView

from sections import views
from sections.feeds import ReportsFeed, TopicFeed


class YearConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class LanguageConverter:
    # Only interface-independent report languages, so /kz/2022/1c/ is a short section link.
    regex = r"kk|en|ru"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(YearConverter, "year")
register_converter(LanguageConverter, "lang")

app_name = "sections"
urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots, name="robots"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("feed/", ReportsFeed(), name="feed"),
    # Where readers look for a feed first: the Atom feed answers for both.
    path("atom/", RedirectView.as_view(pattern_name="sections:feed", permanent=True)),
    path("rss/", RedirectView.as_view(pattern_name="sections:feed", permanent=True)),
    path("topics/", views.topics, name="topics"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("topics/<slug:slug>/feed/", TopicFeed(), name="topic_feed"),
    path("<slug:country>/compare/<slug:code>/", views.compare, name="compare"),
    path("<slug:country>/<year:year>/<lang:language>/", views.report, name="report"),
    path(
        "<slug:country>/<year:year>/<lang:language>/p/<int:number>/",
        views.paragraph,
        name="paragraph",
    ),
    path(
        "<slug:country>/<year:year>/<lang:language>/p/<int:number>/cite/",
        views.cite,
        name="cite",
    ),
    path("<slug:country>/<year:year>/<lang:language>/<slug:code>/", views.section, name="section"),
    path(
        "<slug:country>/<year:year>/<lang:language>/<slug:code>/cite/",
        views.cite_section,
        name="cite_section",
    ),
    path("<slug:country>/<year:year>/<slug:code>/", views.section_short, name="section_short"),
]
