"""The open API, /api/v1/: django-ninja assembles the endpoints of search/api.py and
sections/api.py, serves their OpenAPI 3 document at /api/v1/openapi.json and a Swagger UI page
at /api/v1/docs (ninja's bundled files, started by static/js/api-docs.js: no inline script or
style, so the site's Content-Security-Policy holds for scripts and styles; the page alone may
also show `data:` images, the icons inside Swagger UI's stylesheet).

/api/search stays as it was; /api/v1/ is the documented API.
"""

import threading

from csp.decorators import csp_update
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from ninja import NinjaAPI, Router
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer
from ninja.throttling import BaseThrottle

from reportsite.api_errors import install_error_answers, rate_limit
from reportsite.api_pages import DEFAULT_LIMIT, MAX_LIMIT
from search import limits
from search.api import router as search_router
from search.forms import DEFAULT_LIMIT as SEARCH_DEFAULT_LIMIT
from search.forms import MAX_LIMIT as SEARCH_MAX_LIMIT
from sections.api import router as sections_router

DESCRIPTION = """\
The reports of the Rights Archive, their sections and paragraphs, its topics, and its
full-text search, read-only and open: no key, no sign-up.

**Addresses.** A report is `/reports/{{country}}/{{year}}/{{language}}` (`kz/2022/kk`), a
section `…/sections/{{code}}`, a paragraph `…/paragraphs/{{number}}`: the parts of its
permalink on the site (`/kz/2022/kk/p/12/`). A paragraph number that a re-upload retired
answers the paragraph that took its place, with `redirected_from` set. Only published reports
are here. Each resource links its page on the site (`url`) and itself here (`api_url`).

**Pages.** Lists and the search take `page` (from 1) and `limit` (lists: {list_limit} by
default, at most {list_max}; the search: {search_limit}, at most {search_max}) and answer
`next` and `previous`, the absolute URLs of the neighbouring pages (null at either end);
follow `next` until it is null. A page past the end has no results.

**Downloads.** `/search?format=csv` (or `jsonl`) gives every match of a search, with all its
filters, as one file of a row per paragraph, at most {export_max:,} rows (its last line says
so when it was cut).

**Errors.** Always `{{"error": "…"}}` in English: 400 for a bad parameter (the message begins
with its name), 404 for what does not exist, 429 over the rate limit, 503 for a search too
broad to answer in time (with `Retry-After`).

**Rate limit.** {rate} requests per client address, for all of `/api/v1/` together,
counted for every server process alike; over it the answer is 429 with `Retry-After`, the
seconds until the count starts again. (The schema and this page are not counted.) Downloads
(`format=csv|jsonl`) have a limit of their own, {export_rate} per client address, one count
with the site's other downloads (its exports and search feeds).

**From other sites.** Every answer may be read by scripts of any origin (CORS, for GET
only, without cookies); the API offers no method that writes.

`/api/search`, the first search API, still answers as before; this one is the documented one.
"""


def _description() -> str:
    rate, export_rate = settings.SEARCH_API_RATE_LIMIT, settings.EXPORT_RATE_LIMIT
    return DESCRIPTION.format(
        list_limit=DEFAULT_LIMIT,
        list_max=MAX_LIMIT,
        search_limit=SEARCH_DEFAULT_LIMIT,
        search_max=SEARCH_MAX_LIMIT,
        export_max=settings.EXPORT_MAX_ROWS,
        rate=f"`{rate}`" if rate else "No limit of",
        export_rate=f"`{export_rate}`" if export_rate else "no limit",
    )


class ClientRate(BaseThrottle):
    """search.limits.API_V1 per client address over the whole API (one count for all its
    endpoints; downloads count with every other download, search.limits.EXPORT), counted in
    PostgreSQL so that every gunicorn worker shares it."""

    def __init__(self):
        # ninja asks allow_request, then wait, in the request's thread; threads share self.
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        self._local.seconds = limits.usage(request, rate_limit(request))
        return self._local.seconds is None

    def wait(self) -> int | None:
        return self._local.seconds


class SwaggerPage(DocsBase):
    """Swagger UI from ninja's static files, set up by a script file of the site."""

    def render_page(self, request, api, **kwargs):
        openapi_url = self.get_openapi_url(api, kwargs)
        return render(request, "api/docs.html", {"api": api, "openapi_url": openapi_url})


class UnicodeJSON(JSONRenderer):
    """JSON with the reports' letters as they are (as /api/search), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Rights Archive API",
    version="1",
    description=_description(),
    urls_namespace="api-v1",
    docs=SwaggerPage(),
    docs_decorator=csp_update({"img-src": ["data:"]}),
    throttle=ClientRate(),
    renderer=UnicodeJSON(),
)
install_error_answers(api)
api.add_router("", search_router)
api.add_router("", sections_router)
# Added last, so that its catch-all path only gets what no endpoint took.
elsewhere = Router()
api.add_router("", elsewhere)


@api.get("/", include_in_schema=False)
def index(request):
    """/api/v1/ itself: the documentation."""
    return redirect("api-v1:openapi-view")


@elsewhere.get("/{path:rest}", include_in_schema=False)
def unknown(request, rest: str):
    """Any other address under /api/v1/: a JSON 404 rather than the site's 404 page."""
    raise Http404(f"{request.path} is no address of this API; see /api/v1/docs")


# reportsite/urls.py mounts this module at /api/v1/ (include("reportsite.api")).
urlpatterns, _, app_name = api.urls
