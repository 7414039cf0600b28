"""Search views: thin. The form validates, search.query parses, the queryset searches."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from search.forms import SearchForm
from search.highlight import ELLIPSIS, highlight, snippet
from search.query import parse_query
from sections.models import Language, Paragraph, Report, Topic

# A last page of up to this many extra hits is merged into the previous one.
ORPHANS = 3


def _hits(page, keys):
    """Attach the highlighted snippet, and the whole highlighted text when the snippet is cut."""
    for paragraph in page:
        language = paragraph.section.report.language
        paragraph.snippet = snippet(paragraph.text, keys, language)
        if paragraph.snippet.startswith(ELLIPSIS) or paragraph.snippet.endswith(ELLIPSIS):
            paragraph.highlighted = highlight(paragraph.text, keys, language)
    return page


@require_GET
def search_page(request):
    """The results page: search box, filters, facets with counts, highlighted hits.

    An empty query shows the page with the search box; invalid filters are reported on the
    page (never a server error); a query with nothing searchable says so.
    """
    form = SearchForm(request.GET)
    topics = list(Topic.objects.all())
    context = {"form": form, "query": None, "results": None}
    if form.is_valid() and form.cleaned_data["q"]:
        parsed = parse_query(form.cleaned_data["q"])
        context["query_dropped"] = parsed.dropped_words
        if parsed:
            context.update(_page_context(parsed, form, topics))
    context.update(_filter_choices(topics))
    return render(request, "search/search.html", context)


def _page_context(parsed, form, all_topics) -> dict:
    filters = form.filters
    results = Paragraph.objects.search_results(parsed, filters)
    paginator = Paginator(results.hits, form.per_page, orphans=ORPHANS)
    page = _hits(paginator.get_page(form.page_number), parsed.highlight_keys)
    topics = {t.slug: t for t in all_topics}
    names = dict(Language.choices)
    return {
        "query": parsed,
        "filters": filters,
        "results": results,
        "page": page,
        "topic_facets": [
            (topics[slug], n) for slug, n in results.topic_counts.items() if slug in topics
        ],
        "language_facets": [
            (code, names[code], n) for code, n in results.language_counts.items() if code in names
        ],
        "max_year_count": max(results.year_counts.values(), default=0),
    }


def _filter_choices(all_topics) -> dict:
    published = list(Report.objects.published().values_list("year", "country"))
    return {
        "all_years": sorted({year for year, _ in published}, reverse=True),
        "all_countries": sorted({country for _, country in published}),
        "all_languages": Language.choices,
        "all_topics": all_topics,
    }


@require_GET
def search_api(request):
    """JSON search: the same parameters and results as the page (shape in design.md)."""
    form = SearchForm(request.GET)
    # API clients get English errors whatever their Accept-Language.
    with translation.override("en"):
        if not form.is_valid():
            return JsonResponse({"error": form.error_message()}, status=400)
    query_text = form.cleaned_data["q"]
    parsed = parse_query(query_text)
    results = Paragraph.objects.search_results(parsed, form.filters)
    paginator = Paginator(results.hits, form.per_page)
    page_number = form.page_number
    # A page past the end is empty rather than an error, so clients can stop on [].
    hits = paginator.page(page_number) if page_number <= paginator.num_pages else []
    keys = parsed.highlight_keys
    return JsonResponse(
        {
            "query": query_text,
            "total": results.total,
            "total_is_estimate": results.approximate,
            "facets": {
                "year": {str(year): n for year, n in results.year_counts.items()},
                "topic": results.topic_counts,
                "language": results.language_counts,
            },
            "results": [_api_hit(paragraph, keys) for paragraph in hits],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _api_hit(paragraph, keys) -> dict:
    section = paragraph.section
    report = section.report
    return {
        "url": paragraph.get_absolute_url(),
        "report": {"country": report.country, "year": report.year, "language": report.language},
        "section": {"code": section.code, "title": section.title},
        "paragraph": paragraph.number,
        "text": paragraph.text,
        "snippet": str(snippet(paragraph.text, keys, report.language)),
        "score": round(paragraph.score, 4),
    }
