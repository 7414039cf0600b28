"""What the results page shows of each hit and of the query: highlighted titles and snippets,
links that carry the query to the section, repeats from other years folded under the best
hit, and how each word of the query was read. Plain functions over already-fetched objects:
no database queries.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from search import kazakh
from search.highlight import ELLIPSIS, find_matches, highlight, snippet

# Forms of a word listed under the search box, at most.
MAX_FORMS_SHOWN = 6
_DIGITS = re.compile(r"\d+")


def reader_url(paragraph, query_text: str) -> str:
    """The section page with the query's words marked in this paragraph, scrolled to it."""
    query = urlencode({"q": query_text, "hit": paragraph.number})
    return f"{paragraph.section.get_absolute_url()}?{query}#{paragraph.anchor}"


def decorate(hits, keys, query_text: str) -> list:
    """Attach to each hit its snippet, whole highlighted text when the snippet is cut,
    highlighted section title and reader link."""
    for paragraph in hits:
        language = paragraph.section.report.language
        paragraph.snippet = snippet(paragraph.text, keys, language)
        if paragraph.snippet.startswith(ELLIPSIS) or paragraph.snippet.endswith(ELLIPSIS):
            paragraph.highlighted = highlight(paragraph.text, keys, language)
        paragraph.title_html = highlight(paragraph.section.title, keys, language)
        paragraph.reader_url = reader_url(paragraph, query_text)
        paragraph.repeats = []
    return list(hits)


def repeat_key(text: str) -> str:
    """Text compared for repeats: case, spacing and numbers (dates, counts) ignored."""
    return " ".join(_DIGITS.sub("", text.lower()).split())


def fold_repeats(hits: list) -> tuple[list, int]:
    """Hits with each paragraph that repeats a better-ranked hit of another report moved
    into that hit's `repeats`; and how many were folded."""
    kept, first = [], {}
    for hit in hits:
        key = repeat_key(hit.text)
        best = first.get(key)
        if best is not None and best.section.report_id != hit.section.report_id:
            best.repeats.append(hit)
            continue
        first.setdefault(key, hit)
        kept.append(hit)
    return kept, len(hits) - len(kept)


@dataclass
class WordReading:
    """How one word of the query was read, for the line under the search box."""

    typed: str
    forms: list[str] = field(default_factory=list)  # other forms found in the results
    without_kazakh_letters: bool = False
    latin: list[str] = field(default_factory=list)  # Cyrillic readings of a Latin word


def _spelt_with_kazakh_letters(form: str, typed: str) -> bool:
    """Is `form` the typed word's stem written with Kazakh letters (қамауда for камауда)?"""
    stem = kazakh.key(form)
    return (
        bool(stem)
        and kazakh.fold(stem) != stem
        and kazakh.fold(stem) == kazakh.fold(kazakh.key(typed))
    )


def explain(parsed, hits) -> list[WordReading]:
    """For each word of the query, the forms the results hold and how its script was read."""
    readings = []
    for term in parsed.terms:
        if " " in term.text.strip():
            continue  # a phrase is searched as written
        keys = {lexeme for alternatives in term.keys for lexeme in alternatives}
        forms: dict[str, None] = {}
        for hit in hits:
            text = hit.text
            for match in find_matches(text, keys, hit.section.report.language):
                forms.setdefault(text[match.start : match.end].lower())
        typed = term.text.lower()
        others = [f for f in forms if f != typed]
        word = WordReading(
            typed=term.text,
            forms=others[:MAX_FORMS_SHOWN],
            # Worth saying only when the results spell it with Kazakh letters (қамауда).
            without_kazakh_letters=kazakh.typed_without_kazakh_letters(term.text)
            and any(_spelt_with_kazakh_letters(f, typed) for f in others),
        )
        if any("a" <= ch <= "z" for ch in typed):
            word.latin = [r for r in kazakh.latin_readings(typed) if r != typed][:3]
        readings.append(word)
    return readings
