"""Second chances for a search that finds little: spelling suggestions from the archive's own
vocabulary, and the Kazakh term for an English or Russian word (search.glossary).

When the query finds nothing at all, the corrected query is searched at once and its results
shown with a note, as web search engines do; otherwise a correction is only offered as a
link. Looked for only when a search finds fewer than CHECK_BELOW paragraphs, so ordinary
searches pay nothing for it.
"""

from dataclasses import dataclass, field

from search import glossary, vocabulary
from search.engine import search_results
from search.query import parse_query

# Searches that find at least this many paragraphs are not second-guessed.
CHECK_BELOW = 20
# Nor are queries of more words than this: each word costs index look-ups, and a pasted
# sentence is not a typo.
MAX_CORRECTED_WORDS = 8


@dataclass
class Correction:
    """A better query than the one typed: `text`, why (`kind`: "spelling" or "glossary"),
    the (typed word, replacement) pairs, and, when it was searched instead of the typed
    query, its results."""

    text: str
    kind: str
    replacements: list[tuple[str, str]] = field(default_factory=list)
    results: object = None
    parsed: object = None


def find_correction(text: str, total: int) -> Correction | None:
    """A correction of the typed query `text` that found `total` complete matches, or None."""
    if total >= CHECK_BELOW or not text or len(text.split()) > MAX_CORRECTED_WORDS:
        return None
    corrected, replacements = vocabulary.suggest_query(text)
    if replacements:
        return Correction(corrected, "spelling", replacements)
    if total:
        return None
    return _from_glossary(text)


def _from_glossary(text: str) -> Correction | None:
    """The query with its English or Russian words replaced by the Kazakh terms of the
    glossary, when the query found nothing (so no report in that language holds them)."""
    words = text.split()
    replaced = []
    out = []
    for word in words:
        language = glossary.language_of(word)
        terms = glossary.kazakh_terms(word, language) if language in ("en", "ru") else []
        if terms:
            replaced.append((word, terms[0]))
            out.append(f'"{terms[0]}"' if " " in terms[0] else terms[0])
        else:
            out.append(word)
    if not replaced:
        return None
    return Correction(" ".join(out), "glossary", replaced)


def search_instead(correction: Correction, filters) -> Correction:
    """Search the corrected query (the typed one found nothing); the results go on it."""
    correction.parsed = parse_query(correction.text)
    correction.results = search_results(correction.parsed, filters)
    return correction
