"""What a client may ask how often, and the answers when it may not: the rate limits of the
search page, the APIs, the downloads and alert sign-ups, and the "too broad" answer of a
search that runs out of time.

A `Limit` is a group of requests counted together, per client, and the setting of its rate
(`60/m`; None: no limit). The group is named, never derived from a view, so that one kind of
request reached at several addresses is one count:

- SEARCH_PAGE: the search page (SEARCH_PAGE_RATE_LIMIT).
- SEARCH_API: /api/search's JSON answers (SEARCH_API_RATE_LIMIT).
- API_V1: every JSON answer of /api/v1/ together (SEARCH_API_RATE_LIMIT, a count of its own).
- EXPORT: every download of a search wherever it is asked for, /search/export.csv and .jsonl,
  /search/feed/, /api/search and /api/v1/search with `format=csv|jsonl` (EXPORT_RATE_LIMIT,
  tighter: each streams up to EXPORT_MAX_ROWS paragraphs or probes the newest reports).
- ALERT_SIGNUP: sign-ups for email alerts (ALERT_SIGNUP_RATE_LIMIT).

`usage()` counts a request and says how long its client must wait; `rate_limited` puts it
before a view, `reportsite.api.ClientRate` before /api/v1/. Counts are kept by
search.ratelimit.CounterCache in PostgreSQL, shared by every worker.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django_ratelimit.core import get_usage

from sections.export import FORMATS

logger = logging.getLogger(__name__)

# The APIs' answer (English) when a search runs past SEARCH_STATEMENT_TIMEOUT_MS, and the
# seconds it asks a client to wait: a broad query is not likely to be cheaper at once.
TOO_BROAD = "the query is too broad to answer in time; add words or filters"
TOO_BROAD_RETRY_AFTER = 10


@dataclass(frozen=True)
class Limit:
    """Requests counted together per client (`group`), at the rate in settings.<setting>."""

    group: str
    setting: str

    @property
    def rate(self) -> str | None:
        return getattr(settings, self.setting, None)


SEARCH_PAGE = Limit("search-page", "SEARCH_PAGE_RATE_LIMIT")
SEARCH_API = Limit("search-api", "SEARCH_API_RATE_LIMIT")
API_V1 = Limit("api-v1", "SEARCH_API_RATE_LIMIT")
EXPORT = Limit("export", "EXPORT_RATE_LIMIT")
ALERT_SIGNUP = Limit("alert-signup", "ALERT_SIGNUP_RATE_LIMIT")

# answer(request, limit, retry_after) -> the response's body; rate_limited makes it a 429.
Answer = Callable[[object, Limit, int], HttpResponse]


def is_download(request) -> bool:
    """Whether an API request asks for a file of every match (`format=csv|jsonl`)."""
    return request.GET.get("format") in FORMATS


def usage(request, limit: Limit) -> int | None:
    """Count the request against `limit` for its client; the seconds the client must wait
    when it is over the rate, else None (also when the count could not be written)."""
    rate = limit.rate
    if not rate:
        return None
    try:
        counted = get_usage(request, group=limit.group, key="ip", rate=rate, increment=True)
    except DatabaseError:
        if connection.in_atomic_block:
            raise  # the transaction is broken: nothing else could run either
        # Never refuse a reader because the counter could not be written.
        logger.exception("rate limit not counted")
        return None
    if counted and counted["should_limit"]:
        return max(1, counted["time_left"])
    return None


def refused(response: HttpResponse, retry_after: int) -> HttpResponse:
    """`response` as the refusal of a client over its rate: 429 with Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(limit: Limit, answer: Answer):
    """Count each request of a view against `limit`; over it, answer 429 with Retry-After and
    the body of `answer(request, limit, retry_after)` instead of calling the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            retry_after = usage(request, limit)
            if retry_after is not None:
                return refused(answer(request, limit, retry_after), retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def api_refusal(request, limit: Limit, retry_after: int) -> JsonResponse:
    """The APIs' JSON body over a rate limit (`refused` makes it the 429 with Retry-After)."""
    message = (
        f"too many requests from this address (at most {limit.rate}); retry after {retry_after} s"
    )
    return JsonResponse({"error": message})


def too_broad_api() -> JsonResponse:
    """The APIs' JSON answer to a search too broad to answer in time: 503 with Retry-After."""
    return JsonResponse(
        {"error": TOO_BROAD},
        status=503,
        headers={"Retry-After": str(TOO_BROAD_RETRY_AFTER)},
    )
