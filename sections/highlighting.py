"""Highlights that follow the reader from a search hit to the section page.

A hit on the search page links to ``<section url>?q=<the query as typed>&hit=<N>#pN``. The
section view hands ``q`` and ``hit`` to `mark_section`, which parses the query with the
search's own parser (`search.query.parse_query`, no database query) and marks, with the same
`search.highlight.highlight` the results use, every word of the page's paragraphs and
headings that the analyzer of the report's language reads as one of the query's words. The
paragraph ``hit`` is flagged as the one the search found; ``#pN`` scrolls to it without any
script.

Only the text shown changes: permalinks, cite links and the canonical URL never carry the
query. Anything unusable (no query, junk, stopwords only, a ``hit`` that is not a paragraph
of this page) marks nothing and is never an error.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from search.highlight import highlight
from search.query import parse_query

logger = logging.getLogger(__name__)

# A paragraph number as the search page writes it (ASCII digits; int() would take others).
_NUMBER = re.compile(r"[0-9]{1,9}")
MARK = "<mark>"


@dataclass(frozen=True)
class ReaderQuery:
    """What the reader searched for, as the section page shows it in its bar."""

    text: str
    # The paragraph the search found, when it is on this page.
    hit: int | None
    # How many words are marked on the page (0: the query's words are not in this section).
    marks: int
    search_url: str
    clear_url: str


def _marked(text: str, keys, language: str):
    """`text` escaped with its matching words in <mark>, or None when nothing matches."""
    marked = highlight(text, keys, language)
    # highlight() escapes the text, so "<mark>" can only be one of its own tags.
    return marked if MARK in marked else None


def _hit_number(value) -> int | None:
    return int(value) if isinstance(value, str) and _NUMBER.fullmatch(value) else None


def mark_section(params, section, parts, language: str) -> ReaderQuery | None:
    """Mark the words of the query ``params["q"]`` in `parts` (the sections shown, each with
    its `paragraph_list`), flag the paragraph ``params["hit"]``, and say what was done.

    Sets ``marked`` (the highlighted text) on each paragraph with a match, ``marked_title``
    on each part whose title matches, ``is_hit`` on the paragraph found. Returns None, and
    changes nothing, when the query has nothing to search for.
    """
    text = params.get("q")
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        parsed = parse_query(text)
        keys = parsed.highlight_keys if parsed else frozenset()
    except Exception:
        # A reading aid: a parser bug must not take the section page down with it.
        logger.exception("could not parse the reader's query %r", text[:200])
        return None
    if not keys:
        return None
    hit = _hit_number(params.get("hit"))
    hit_found = False
    marks = 0
    for part in parts:
        part.marked_title = _marked(part.title, keys, language)
        marks += part.marked_title.count(MARK) if part.marked_title else 0
        for paragraph in part.paragraph_list:
            paragraph.marked = _marked(paragraph.text, keys, language)
            marks += paragraph.marked.count(MARK) if paragraph.marked else 0
            paragraph.is_hit = paragraph.number == hit
            hit_found = hit_found or paragraph.is_hit
    hit = hit if hit_found else None
    section_url = section.get_absolute_url()
    return ReaderQuery(
        text=parsed.text,
        hit=hit,
        marks=marks,
        search_url=f"{reverse('search:page')}?{urlencode({'q': parsed.text})}",
        clear_url=f"{section_url}#p{hit}" if hit is not None else section_url,
    )
