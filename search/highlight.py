"""Highlighting of search results, computed in Python from the analyzer's character offsets.

PostgreSQL's ts_headline cannot be used: it would re-analyse the text with a configuration
that knows nothing of Kazakh. Here a word is marked when the analyzer of the paragraph's
language gives it one of the query's lexemes, so every inflected form (азаптауға, tortured,
журналистов), and a Kazakh word typed in Latin or without Kazakh letters, is marked in the
text as printed. Everything that is not a ``<mark>`` tag is HTML-escaped.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.indexing import keyed_spans, lexemes

SNIPPET_CHARS = 260
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    key: str


def find_matches(text: str, keys: Iterable[str], language: str) -> list[Match]:
    """Where in `text` (in `language`) the words indexed under one of the lexemes `keys` are."""
    keys = frozenset(keys)
    if not keys or not text:
        return []
    # A paragraph repeats its words: each key is looked up once.
    found: dict[str, bool] = {"": False}
    matches = []
    for start, end, key in keyed_spans(text, language):
        hit = found.get(key)
        if hit is None:
            hit = found[key] = not keys.isdisjoint(lexemes(key, language))
        if hit:
            matches.append(Match(start, end, key))
    return matches


def _render(text: str, matches: list[Match], start: int, end: int) -> str:
    parts = []
    position = start
    for match in matches:
        if match.start < start or match.end > end:
            continue
        parts.append(escape(text[position : match.start]))
        parts.append(f"<mark>{escape(text[match.start : match.end])}</mark>")
        position = match.end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def highlight(text: str, keys: Iterable[str], language: str) -> SafeString:
    """The whole text (in `language`), HTML-escaped, every word matching `keys` in ``<mark>``."""
    return mark_safe(_render(text, find_matches(text, keys, language), 0, len(text)))


def _best_window(matches: list[Match], width: int) -> tuple[int, int]:
    """Indexes (first, last) of the run of matches that fits in `width` characters and has the
    most distinct keys, then the most matches; the earliest such run wins ties."""
    best = (0, 0)
    best_score = (0, 0)
    last = 0
    for first in range(len(matches)):
        last = max(last, first)
        while last + 1 < len(matches) and matches[last + 1].end - matches[first].start <= width:
            last += 1
        window = matches[first : last + 1]
        score = (len({m.key for m in window}), len(window))
        if score > best_score:
            best, best_score = (first, last), score
    return best


def _snap_start(text: str, start: int, limit: int) -> int:
    """Move `start` forward to the beginning of a word, never past `limit`."""
    if start <= 0:
        return 0
    space = text.find(" ", start - 1, limit)
    return space + 1 if space != -1 else start


def _snap_end(text: str, end: int, limit: int) -> int:
    """Move `end` back to the end of a word, never before `limit`."""
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", limit, end + 1)
    return space if space != -1 else end


def snippet(
    text: str, keys: Iterable[str], language: str, width: int = SNIPPET_CHARS
) -> SafeString:
    """The best passage of `text` (in `language`) of about `width` characters around the
    matches, marked and escaped.

    "Best" is the passage with the most different query words, then the most matches. Cut
    text is shown by an ellipsis at either end. With no match in the text (the paragraph
    matched by its section title) the snippet is the paragraph's beginning.
    """
    text = " ".join(text.split())
    matches = find_matches(text, keys, language)
    if len(text) <= width:
        return mark_safe(_render(text, matches, 0, len(text)))
    if matches:
        first, last = _best_window(matches, width)
        core_start, core_end = matches[first].start, matches[last].end
        # Context split evenly before and after the matched words.
        slack = max(0, width - (core_end - core_start))
        start = max(0, core_start - slack // 2)
        end = min(len(text), start + max(width, core_end - core_start))
        start = max(0, min(start, end - width))
        start = _snap_start(text, start, core_start)
        end = _snap_end(text, end, core_end)
    else:
        start, end = 0, _snap_end(text, width, 0) or width
    body = _render(text, matches, start, end)
    prefix = f"{ELLIPSIS} " if start > 0 else ""
    suffix = f" {ELLIPSIS}" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")
