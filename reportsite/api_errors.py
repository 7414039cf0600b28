"""What /api/v1/ answers when a request cannot be: `{"error": "…"}` in English, as /api/search.

A bad parameter is a 400 whose message starts with the parameter's name (ninja's own answer
would be a 422 in another shape); an unknown report, section, paragraph or topic a 404; a
client over the rate limit a 429 with Retry-After; a search too broad to answer in time a 503.
"""

import math

from django.http import Http404
from ninja import Field, Schema
from ninja.errors import HttpError, Throttled, ValidationError

from search import limits
from search.engine import SearchTimeout


class Error(Schema):
    error: str = Field(
        description="What went wrong, in English; for a bad parameter, its name comes first."
    )


# The answers every endpoint may give besides its own.
READ_ERRORS = {
    400: Error,
    429: Error,
}
NOT_FOUND = {404: Error}
TOO_BROAD_ERRORS = {503: Error}


def rate_limit(request) -> limits.Limit:
    """What a request to /api/v1/ counts against: a download (`format=csv|jsonl`) the limit of
    every download of the site, anything else the API's own."""
    return limits.EXPORT if limits.is_download(request) else limits.API_V1


def parameter_problem(error: dict) -> str:
    """One of pydantic's errors as `name: message` (the name is the last part of its place)."""
    names = [part for part in error.get("loc", ()) if isinstance(part, str)]
    name = names[-1] if names else "request"
    return f"{name}: {error.get('msg', 'invalid value')}."


def install_error_answers(api) -> None:
    """Register the answers above on a NinjaAPI."""

    def answer(request, status: int, message: str):
        return api.create_response(request, {"error": message}, status=status)

    @api.exception_handler(ValidationError)
    def bad_parameters(request, exc):
        return answer(request, 400, " ".join(parameter_problem(e) for e in exc.errors))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, 404, str(exc) or "not found")

    @api.exception_handler(Throttled)
    def too_many_requests(request, exc):
        wait = max(1, math.ceil(exc.wait or 1))
        return limits.refused(limits.api_refusal(request, rate_limit(request), wait), wait)

    @api.exception_handler(SearchTimeout)
    def too_broad(request, exc):
        return limits.too_broad_api()

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return answer(request, exc.status_code, str(exc))
