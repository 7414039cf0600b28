"""A followed search (an email alert's, a search feed's, an export's): the search as one
canonical query string, the page it comes from, and the search in words.

The canonical string (`normalised_search`) holds the SearchForm's parameters in a fixed order,
empty ones left out, `year` as year_from and year_to; page and limit are no part of a search.
A topic page's alert is ``topic=slug``. An alert stores it (one alert per address and
search), and the search page hands it to its alert form, its feed and its export links.
"""

from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext

from search.forms import SearchForm
from search.query import parse_query
from sections.countries import country_name
from sections.models import Language, Topic

# The search parameters a followed search keeps, in the order of its canonical string.
SEARCH_PARAMETERS = ("q", "year_from", "year_to", "topic", "section", "language", "country")
# Quotation marks around the query, as each interface language prints them.
QUOTES = {"kk": ("«", "»"), "ru": ("«", "»"), "en": ("“", "”")}


def normalised_search(form: SearchForm) -> str:
    """The search of a valid SearchForm as its canonical query string (see the module)."""
    data = form.cleaned_data
    pairs = [(name, data.get(name)) for name in SEARCH_PARAMETERS]
    return urlencode([(name, value) for name, value in pairs if value not in (None, "")])


def search_form(search: str) -> SearchForm:
    """A bound SearchForm of a stored search (validate it: a topic may have been removed)."""
    return SearchForm(QueryDict(search))


def search_path(search: str) -> str:
    """The page of a stored search: the results, or for a topic alert the topic page."""
    params = QueryDict(search)
    if not params.get("q") and params.get("topic"):
        return reverse("sections:topic", args=[params["topic"]])
    return f"{reverse('search:page')}?{search}"


def followable(form: SearchForm) -> bool:
    """Whether a valid search can be followed: it has words to search, or names a topic
    (then every new paragraph of that topic's sections matches)."""
    q = form.cleaned_data["q"]
    return bool(parse_query(q)) if q else bool(form.cleaned_data["topic"])


def quoted(text: str) -> str:
    """`text` in the active language's quotation marks: «азаптау» (kk, ru), “torture” (en)."""
    language = (translation.get_language() or "kk").split("-")[0]
    opening, closing = QUOTES.get(language, QUOTES["kk"])
    return f"{opening}{text}{closing}"


def describe(search: str, query_chars: int | None = None) -> str:
    """The search in words for pages and mails (active language): «азаптау», 2020–2022, …;
    with `query_chars`, a longer query is cut to that many characters (the last one …)."""
    form = search_form(search)
    if not form.is_valid():
        return search
    data = form.cleaned_data
    query = data["q"]
    if query and query_chars is not None:
        query = Truncator(query).chars(query_chars)
    parts = [quoted(query)] if query else []
    year_from, year_to = data.get("year_from"), data.get("year_to")
    if year_from and year_from == year_to:
        parts.append(str(year_from))
    elif year_from or year_to:
        parts.append(f"{year_from or '…'}–{year_to or '…'}")
    if data["topic"]:
        topic = Topic.objects.filter(slug=data["topic"]).first()
        parts.append(gettext("topic: %(name)s") % {"name": topic.name if topic else data["topic"]})
    if data["section"]:
        parts.append(gettext("section %(code)s") % {"code": data["section"]})
    if data["language"]:
        parts.append(str(dict(Language.choices)[data["language"]]))
    if data["country"]:
        parts.append(country_name(data["country"], translation.get_language() or "kk"))
    return ", ".join(parts)
