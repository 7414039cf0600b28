"""Search views: thin. The form validates, search.query parses, the queryset searches."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from search import limits
from search.corrections import find_correction, search_instead
from search.engine import SearchTimeout, search_results, search_time_limit
from search.export import NO_WORDS, export_response
from search.feeds import FollowedSearch, SearchFeed, newest_matches
from search.followed import normalised_search
from search.forms import SearchForm
from search.highlight import snippet
from search.hits import decorate, explain, fold_repeats
from search.limits import rate_limited
from search.query import group_text, parse_query
from sections.export import FORMATS
from sections.links import site_url
from sections.models import Language, Report, Topic

# A last page of up to this many extra hits is merged into the previous one.
ORPHANS = 3
# /api/search's `format=` values: its JSON answer, or an export of every match.
API_FORMATS = ("json", *FORMATS)


def too_many_searches(request, limit, retry_after: int):
    """The search page over its rate: a page that says to wait (search.limits makes it a 429)."""
    context = {
        "title": gettext("Too many searches"),
        "message": gettext(
            "You have searched very often in a short time. Please wait %(seconds)s s,"
            " then search again."
        )
        % {"seconds": retry_after},
    }
    return render(request, "limit.html", context)


@require_GET
@rate_limited(limits.SEARCH_PAGE, too_many_searches)
def search_page(request):
    """The results page: search box, filters, facets with counts, highlighted hits.

    An empty query shows the page with the search box; invalid filters are reported on the
    page (never a server error); a query with nothing searchable says so.
    """
    form = SearchForm(request.GET)
    topics = list(Topic.objects.all())
    context = {"form": form, "query": None, "results": None}
    status = 200
    if form.is_valid() and form.cleaned_data["q"]:
        parsed = parse_query(form.cleaned_data["q"])
        context["query_dropped"] = parsed.dropped_words
        if parsed:
            # The search without page or limit: for the alert form, the feed and the exports.
            context["alert_search"] = normalised_search(form)
            context["export_cap"] = settings.EXPORT_MAX_ROWS
            try:
                with search_time_limit():
                    context.update(_page_context(parsed, form, topics, _may_correct(request)))
            except SearchTimeout:
                context.update({"query": parsed, "too_broad": True})
                status = 503
    context.update(_filter_choices(topics))
    return render(request, "search/search.html", context, status=status)


def _may_correct(request) -> bool:
    """False when the reader asked for the query exactly as typed (`spell=0`)."""
    return request.GET.get("spell") != "0"


def _corrected(parsed, text: str, results, filters, allowed: bool):
    """(parsed, text, results, correction): the typed query's, or, when it found nothing at
    all and a correction exists, the corrected query's (see search.corrections)."""
    correction = find_correction(text, results.total) if allowed else None
    if correction and not results.total and not results.partial:
        search_instead(correction, filters)
        return correction.parsed, correction.text, correction.results, correction
    return parsed, text, results, correction


def _page_context(parsed, form, all_topics, may_correct: bool = True) -> dict:
    filters = form.filters
    typed = form.cleaned_data["q"]
    results = search_results(parsed, filters)
    parsed, text, results, correction = _corrected(parsed, typed, results, filters, may_correct)
    keys = parsed.highlight_keys
    paginator = Paginator(results.hits, form.per_page, orphans=ORPHANS)
    page = paginator.get_page(form.page_number)
    hits, folded = fold_repeats(decorate(page, keys, text))
    partial = decorate(results.partial, keys, text) if page.number == 1 else []
    partial, folded_partial = fold_repeats(partial)
    topics = {t.slug: t for t in all_topics}
    names = dict(Language.choices)
    return {
        "query": parsed,
        "typed": typed,
        "correction": correction,
        "filters": filters,
        "results": results,
        "page": page,
        "hits": hits,
        "folded": folded + folded_partial,
        "partial": partial,
        "word_readings": explain(parsed, [*hits, *partial]),
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
    """JSON search: the same parameters and results as the page (shape in design.md);
    `format=csv` or `format=jsonl` exports every match instead (search.export), counted
    with every other download."""
    if limits.is_download(request):
        return _api_export(request)
    return _api_answer(request)


def _api_form(request) -> tuple:
    """(the valid SearchForm, None), or (None, a 400 naming the bad parameter in English)."""
    form = SearchForm(request.GET)
    error = form.english_error()
    return (None, JsonResponse({"error": error}, status=400)) if error else (form, None)


@rate_limited(limits.SEARCH_API, limits.api_refusal)
def _api_answer(request):
    form, error = _api_form(request)
    if error:
        return error
    if (request.GET.get("format") or "json") not in API_FORMATS:
        return JsonResponse({"error": "format: choose json, csv or jsonl"}, status=400)
    try:
        answer = search_answer(form, _may_correct(request))
    except SearchTimeout:
        return limits.too_broad_api()
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})


@rate_limited(limits.EXPORT, limits.api_refusal)
def _api_export(request):
    form, error = _api_form(request)
    if error:
        return error
    parsed = parse_query(form.cleaned_data["q"])
    if not parsed:
        return JsonResponse({"error": NO_WORDS}, status=400)
    try:
        return export_response(parsed, form.filters, request.GET["format"], site_url("/", request))
    except SearchTimeout:
        return limits.too_broad_api()


def search_answer(form, may_correct: bool = True) -> dict:
    """The JSON answer to a valid SearchForm, for /api/search and /api/v1/search alike;
    raises SearchTimeout when the query is too broad to answer in time."""
    query_text = form.cleaned_data["q"]
    parsed = parse_query(query_text)
    with search_time_limit():
        results = search_results(parsed, form.filters)
        parsed, _, results, correction = _corrected(
            parsed, query_text, results, form.filters, may_correct
        )
        paginator = Paginator(results.hits, form.per_page)
        page_number = form.page_number
        # A page past the end is empty rather than an error, so clients can stop on [].
        hits = list(paginator.page(page_number)) if page_number <= paginator.num_pages else []
    keys = parsed.highlight_keys
    words = [group_text(group) for group in parsed.readings[0].groups] if parsed else []
    partial = results.partial if page_number == 1 else []
    return {
        "query": query_text,
        "total": results.total,
        "total_is_estimate": results.approximate,
        # The results are for this query when the typed one found nothing at all.
        "corrected_query": correction.text if correction and correction.results else None,
        # Offered only: the typed query found something.
        "did_you_mean": correction.text if correction and not correction.results else None,
        "unused_words": list(parsed.unused_words),
        "facets": {
            "year": {str(year): n for year, n in results.year_counts.items()},
            "topic": results.topic_counts,
            "language": results.language_counts,
        },
        "results": [
            *(_api_hit(paragraph, keys, words) for paragraph in hits),
            *(_api_hit(p, keys, p.matched_words, complete=False) for p in partial),
        ],
    }


def _api_hit(paragraph, keys, matched_words, complete: bool = True) -> dict:
    """One result: `matched` lists the query's words it holds; `complete` is False for a
    partial match (it holds only some of them)."""
    section = paragraph.section
    report = section.report
    return {
        "url": paragraph.get_absolute_url(),
        "report": {"country": report.country, "year": report.year, "language": report.language},
        "section": {"code": section.code, "title": section.title},
        "paragraph": paragraph.number,
        "text": paragraph.text,
        "snippet": str(snippet(paragraph.text, keys, report.language)),
        # The rank mapped into 0..1 (rank / (rank + 1)), comparable within one search.
        "score": round(paragraph.score / (1 + paragraph.score), 4),
        "matched": list(matched_words),
        "complete": complete,
    }


def _plain(message: str, status: int, **headers) -> HttpResponse:
    """An error for a feed reader or a download: one line of text."""
    return HttpResponse(
        message + "\n", content_type="text/plain; charset=utf-8", status=status, headers=headers
    )


def too_many_downloads(request, limit, retry_after: int):
    """A feed or an export over its rate: one line saying when to retry (made a 429)."""
    message = gettext("Too many requests from your address; retry after %(seconds)s s.")
    return _plain(message % {"seconds": retry_after}, 429)


def _searchable(form, example: str) -> tuple:
    """(parsed query, None) for a valid search with words to search, else (None, a 400)."""
    if not form.is_valid():
        message = gettext("The search parameters are not valid: %(errors)s")
        return None, _plain(message % {"errors": form.error_message()}, 400)
    parsed = parse_query(form.cleaned_data["q"])
    if not parsed:
        message = gettext(
            "Give words to search for, such as %(example)s (very common words alone search"
            " nothing)."
        )
        return None, _plain(message % {"example": example}, 400)
    return parsed, None


def _too_broad() -> HttpResponse:
    message = gettext("The search is too broad to answer in time; add words or filters.")
    return _plain(message, 503, **{"Retry-After": str(limits.TOO_BROAD_RETRY_AFTER)})


@require_GET
@rate_limited(limits.EXPORT, too_many_downloads)
def search_feed(request):
    """The Atom feed of a search (the search page's parameters): its newest matching
    paragraphs. Invalid parameters and a query with nothing to search are a 400."""
    form = SearchForm(request.GET)
    parsed, error = _searchable(form, "/search/feed/?q=азаптау")
    if error:
        return error
    try:
        with search_time_limit():
            paragraphs = newest_matches(parsed, form.filters, settings.FEED_ITEMS)
    except SearchTimeout:
        return _too_broad()
    search = FollowedSearch(normalised_search(form), parsed, paragraphs)
    return SearchFeed()(request, search=search)


@require_GET
@rate_limited(limits.EXPORT, too_many_downloads)
def search_export(request, fmt: str):
    """/search/export.csv and .jsonl: every match of the search (the search page's
    parameters) as a streamed download, capped at EXPORT_MAX_ROWS (search.export)."""
    if fmt not in FORMATS:
        raise Http404("no such export format")
    form = SearchForm(request.GET)
    parsed, error = _searchable(form, f"/search/export.{fmt}?q=азаптау")
    if error:
        return error
    try:
        return export_response(parsed, form.filters, fmt, site_url("/", request))
    except SearchTimeout:
        return _too_broad()
