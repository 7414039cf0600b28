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

Impact tiers: a lexeme that a paragraph holds at least twice (a title occurrence counts once)
is also indexed, without positions, as ``lexeme#N`` for the largest N of TIER_BANDS it
reaches (``азапт#3``: three or four times). For one word, ts_rank grows with the number of
occurrences, so every paragraph outside the tiers ``#N`` and above ranks below every paragraph
inside them: search.ranking finds the best matches of a common word among the few paragraphs
of its top tiers through the GIN index, without scoring every match.

Word pairs: each pair of adjacent words (in the title, or in the body) is also indexed, without
positions, as one of PAIR_BUCKETS hash lexemes (``^3fa``) of the two words' pair forms. A
phrase needs its words' positions, which the GIN index does not keep: every paragraph holding
all of its words is read to check them, five for each match of "сөз бостандығы". A phrase's
query also asks for the hash lexeme of each adjacent pair (`pair_lexeme`), which every
paragraph holding the phrase holds, and few others (a paragraph holds about 50 of the 4,096),
so the index leaves hardly more paragraphs to read than the phrase matches. Each lexeme of a
word has the word's pair form (`pair_form`: its folded key, or its language-marked stem), so
whichever of a word's lexemes the query matches, the pair's hash is the one indexed.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from zlib import crc32

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
# Impact tiers (see the module docstring): occurrence counts that get a "#N" lexeme. No
# analyzer key holds "#", so a tier lexeme never meets a word.
TIER_MARK = "#"
TIER_BANDS = (2, 3, 5, 8, 13, 21)
# Word pairs (see the module docstring): "^" and three hex digits, a hash of the two words.
# No analyzer key holds "^". Enough buckets that a paragraph's pairs fill about one in eighty.
PAIR_MARK = "^"
PAIR_BUCKETS = 4096
# Part of every stored analyzer version: a change of what a vector holds besides the keys
# (the tiers, the word pairs) makes every vector stale, as a change of the keys does.
VECTOR_FORMAT = "+t1p1"


def analyze(text: str, language: str) -> list[Token]:
    """The tokens of `text` by the analyzer of its language (Kazakh unless en or ru)."""
    if language in LANGUAGE_MARKS:
        return snowball.analyze(text, language)
    return kazakh.analyze(text)


def keyed_spans(text: str, language: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, key) of each word of `text`, as `analyze` gives them, without tokens."""
    if language in LANGUAGE_MARKS:
        return snowball.keyed_spans(text, language)
    return kazakh.keyed_spans(text)


def analyzer_version(language: str) -> str:
    """The version stored with a paragraph in `language`; any other value means stale.

    Kazakh keeps the Kazakh analyzer's version; English and Russian name their language
    too, so a report whose language changed is stale as well.
    """
    if language in LANGUAGE_MARKS:
        return f"{language}-{snowball.ANALYZER_VERSION}{VECTOR_FORMAT}"
    return f"{kazakh.ANALYZER_VERSION}{VECTOR_FORMAT}"


@lru_cache(maxsize=65536)
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
    # Built for 1.5 million paragraphs at a time (bench/search.py): each word's quoted
    # lexemes and pair form, and each position's text, are made once.
    places: dict[str, list[str]] = defaultdict(list)
    pairs: set[str] = set()
    for keyed, spots in ((title_keys, _TITLE_PLACES), (body_keys, _BODY_PLACES)):
        top = len(spots) - 1
        before, last = "", -2
        for key, position in keyed:
            quoted, form = _indexed(key, language)
            spot = spots[position if position < top else top]
            for lexeme in quoted:
                places[lexeme].append(spot)
            if position == last + 1:
                pairs.add(pair_lexeme(before, form))
            before, last = form, position
    # 256 positions per lexeme is PostgreSQL's limit; the first ones matter most for ranking.
    entries = [f"{lexeme}:{','.join(spots[:256])}" for lexeme, spots in places.items()]
    for lexeme, spots in places.items():
        # Most words occur once: no tier (the first band is 2).
        if len(spots) > 1 and (band := tier_band(spots)):
            entries.append(f"{lexeme[:-1]}{TIER_MARK}{band}'")
    entries.extend(f"'{pair}'" for pair in sorted(pairs))
    return " ".join(entries)


# The literal's position of each title and body word position: "1A" … "99A", "101D" …
# "16383D" (later words share the last one).
_TITLE_PLACES = tuple(f"{p + 1}A" for p in range(BODY_OFFSET - 1))
_BODY_PLACES = tuple(f"{p + 1 + BODY_OFFSET}D" for p in range(MAX_POSITION - BODY_OFFSET))


@lru_cache(maxsize=65536)
def _indexed(key: str, language: str) -> tuple[tuple[str, ...], str]:
    """The quoted lexemes a word with stem `key` is indexed under, and its pair form."""
    word = lexemes(key, language)
    return tuple(quote_lexeme(lexeme) for lexeme in word), pair_form(word[0])


@lru_cache(maxsize=65536)
def pair_form(lexeme: str) -> str:
    """What a word pair's hash is taken of, for a word indexed or searched as `lexeme`: the
    same for every lexeme of one word (a Kazakh stem and its "~" folded key give the folded
    key; a Snowball stem keeps its language mark)."""
    if any(lexeme.startswith(mark) for mark in LANGUAGE_MARKS.values()):
        return lexeme
    return fold(lexeme.removeprefix(FOLDED_MARK))


@lru_cache(maxsize=65536)
def pair_lexeme(first: str, second: str) -> str:
    """The hash lexeme ("^3fa") of two adjacent words given by their pair forms."""
    bucket = crc32(f"{first} {second}".encode()) % PAIR_BUCKETS
    return f"{PAIR_MARK}{bucket:03x}"


def tier_band(places: list[str]) -> int:
    """The impact tier of a lexeme with these positions ("12A", "140D"): the largest of
    TIER_BANDS not above its body occurrences plus one for the title; 0 below the first."""
    titled = [place for place in places if place[-1] == "A"]
    level = len(places) - len(titled) + bool(titled)
    reached = bisect_right(TIER_BANDS, level)
    return TIER_BANDS[reached - 1] if reached else 0


def tier_lexeme(lexeme: str, band: int) -> str:
    return f"{lexeme}{TIER_MARK}{band}"


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

    current = Q(analyzer_version=analyzer_version("kk")) & ~Q(report__language__in=LANGUAGE_MARKS)
    for language in LANGUAGE_MARKS:
        current |= Q(report__language=language, analyzer_version=analyzer_version(language))
    return Paragraph.objects.exclude(current)
