"""Builds each paragraph's tsvector in Python from its report language's analyzer keys.

Kazakh paragraphs are analysed by ``search.kazakh``, English and Russian ones by the Snowball
stemmers of ``search.snowball``. PostgreSQL never analyses text: the vector is written as a
tsvector literal ('key':pos[weight] ...) and queries are tsquery literals of the same keys.
Section-title keys get weight A, body keys weight D, so heading matches rank first. Title
positions come first; body positions start after a gap so a phrase never spans the title
and the body.

Each Kazakh word is indexed under its stem key (қама) and, when folding changes it, also
under the folded key with a "~" mark (~кама) at the same position. A query word typed with
Kazakh letters searches the exact stem; one typed without them (камауда, kamauda) also
searches the marked folded key, so it finds every spelling without blurring қол and көл
for readers who type properly. English and Russian stems carry their language's mark
(``en:tortur``, ``ru:журналист``).
"""

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Q

from search import kazakh, snowball
from search.kazakh import Token, fold

# PostgreSQL keeps positions 1..16383; later occurrences still match, at the last position.
MAX_POSITION = 16383
BODY_OFFSET = 100


FOLDED_MARK = "~"
# Snowball stems are marked with their language ("en:tortur") so they never meet a Kazakh key
# or the other language's stem: Russian and Kazakh share the alphabet and many short stems.
LANGUAGE_MARKS = {language: f"{language}:" for language in snowball.ALGORITHMS}
# PostgreSQL rejects lexemes over 2047 bytes; no real word is anywhere near this long.
MAX_KEY_CHARS = 100


def analyze(text: str, language: str) -> list[Token]:
    """The tokens of `text` by the analyzer of its language (Kazakh unless en or ru)."""
    if language in LANGUAGE_MARKS:
        return snowball.analyze(text, language)
    return kazakh.analyze(text)


def analyzer_version(language: str) -> str:
    """The version stored with a paragraph in `language`; any other value means stale.

    Kazakh keeps the Kazakh analyzer's version; English and Russian name their language
    too, so a report whose language changed is stale as well.
    """
    if language in LANGUAGE_MARKS:
        return f"{language}-{snowball.ANALYZER_VERSION}"
    return kazakh.ANALYZER_VERSION


def lexemes(key: str, language: str) -> tuple[str, ...]:
    """The lexemes a word of `language` with stem `key` is indexed under."""
    if language in LANGUAGE_MARKS:
        return (LANGUAGE_MARKS[language] + key,)
    folded = fold(key)
    return (key,) if folded == key else (key, FOLDED_MARK + folded)


def query_lexemes(key: str, typed_without_kazakh_letters: bool) -> tuple[str, ...]:
    """The lexemes a query word with stem `key` matches (any of them)."""
    if not typed_without_kazakh_letters:
        return (key,)
    folded = fold(key)
    return tuple(dict.fromkeys((key, folded, FOLDED_MARK + folded)))


def quote_lexeme(key: str) -> str:
    """Quote a lexeme for a tsvector/tsquery literal."""
    return "'" + key.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: str, text: str, language: str) -> str:
    """The tsvector literal for a paragraph in `language`: title keys weighted A, body keys D."""
    return vector_literal(_title_keys(title, language), _keyed(text, language), language)


@lru_cache(maxsize=512)
def _title_keys(title: str, language: str) -> tuple[tuple[str, int], ...]:
    # Every paragraph of a section carries its title: analyse each title once.
    return tuple(_keyed(title, language))


def _keyed(text: str, language: str) -> list[tuple[str, int]]:
    # A run of letters too long to be a word (a broken PDF line) is not indexed.
    return [
        (token.key, token.position)
        for token in analyze(text, language)
        if token.key and len(token.key) <= MAX_KEY_CHARS
    ]


def vector_literal(
    title_keys: Iterable[tuple[str, int]],
    body_keys: Iterable[tuple[str, int]],
    language: str,
) -> str:
    """The tsvector literal from (key, word position) pairs of the title and of the body."""
    positions: dict[str, list[str]] = defaultdict(list)
    for key, position in title_keys:
        for lexeme in lexemes(key, language):
            positions[lexeme].append(f"{min(position + 1, BODY_OFFSET - 1)}A")
    for key, position in body_keys:
        for lexeme in lexemes(key, language):
            positions[lexeme].append(f"{min(position + 1 + BODY_OFFSET, MAX_POSITION)}D")
    # 256 positions per lexeme is PostgreSQL's limit; the first ones matter most for ranking.
    return " ".join(
        f"{quote_lexeme(key)}:{','.join(places[:256])}" for key, places in positions.items()
    )


def index_paragraphs(paragraphs: Iterable) -> list:
    """Set search_vector and analyzer_version on paragraph objects (with .section and .report),
    each analysed in its report's language."""
    indexed = []
    for paragraph in paragraphs:
        language = paragraph.report.language
        paragraph.search_vector = tsvector_literal(
            paragraph.section.title, paragraph.text, language
        )
        paragraph.analyzer_version = analyzer_version(language)
        indexed.append(paragraph)
    return indexed


def reindex(paragraph_queryset, batch_size: int = 2000) -> int:
    """Rebuild the vectors of every paragraph in the queryset; return how many were written."""
    from sections.models import Paragraph

    count = 0
    batch = []
    for paragraph in paragraph_queryset.select_related("section", "report").iterator(
        chunk_size=batch_size
    ):
        batch.append(paragraph)
        if len(batch) >= batch_size:
            count += _write(Paragraph, batch)
            batch = []
    if batch:
        count += _write(Paragraph, batch)
    return count


def _write(model, batch) -> int:
    model.objects.bulk_update(index_paragraphs(batch), ["search_vector", "analyzer_version"])
    return len(batch)


def stale_paragraphs():
    """Paragraphs indexed by another version of their language's analyzer (or never)."""
    from sections.models import Paragraph

    current = Q(analyzer_version=kazakh.ANALYZER_VERSION) & ~Q(report__language__in=LANGUAGE_MARKS)
    for language in LANGUAGE_MARKS:
        current |= Q(report__language=language, analyzer_version=analyzer_version(language))
    return Paragraph.objects.exclude(current)
