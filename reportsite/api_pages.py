"""Page-number pagination for /api/v1/: `page` and `limit` in, `next` and `previous` links out.

Pages rather than cursors because the search pages its ranked hits by number (as /api/search
does) and every list of the archive is short and stable between imports; one rule for all.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import BaseModel, model_validator

from sections.links import site_url

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# The largest page number answered (a 400 above it): far past any list of the archive, and
# its offset (at most MAX_PAGE × MAX_LIMIT) stays inside PostgreSQL's bigint.
MAX_PAGE = 10**6


class QueryParameters(BaseModel):
    """Query parameters where a blank value (`year=`, as an HTML form sends) means "not
    given", as the search form reads them. (A pydantic model: a ninja Schema would hand
    this validator its values wrapped.)"""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {name: value for name, value in data.items() if value not in ("", None)}
        return data


def page_link(request, page: int) -> str:
    """This request's absolute URL with `page` set and its other parameters kept."""
    parameters = request.GET.copy()
    parameters["page"] = str(page)
    return site_url(f"{request.path}?{parameters.urlencode()}", request)


def page_links(request, page: int, has_next: bool) -> dict:
    """`next` and `previous`: the absolute URLs of the pages around `page`, or None."""
    return {
        "next": page_link(request, page + 1) if has_next else None,
        "previous": page_link(request, page - 1) if page > 1 else None,
    }


class LinkedPages(PaginationBase):
    """A list endpoint's answer: `count`, `next`, `previous` and this page's `results`.

    A page past the end has no results (and a `previous` link), never an error, and reads
    nothing but the count.
    """

    items_attribute = "results"

    class Input(QueryParameters):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="The page to answer, from 1.")
        limit: int = Field(
            DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="The most results on a page."
        )

    class Output(Schema):
        count: int = Field(description="How many results all the pages hold.")
        next: str | None = Field(description="The next page's URL; null on the last page.")
        previous: str | None = Field(description="The previous page's URL; null on the first.")
        results: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict:
        count = self._items_count(queryset)
        start = (pagination.page - 1) * pagination.limit
        end = start + pagination.limit
        return {
            "count": count,
            **page_links(request, pagination.page, end < count),
            "results": queryset[start:end] if start < count else [],
        }
