"""The search box's query language (search/query.py): no database needed."""

import random
import re

import pytest

from search import kazakh
from search.indexing import lexemes, pair_form, pair_lexeme
from search.query import MAX_QUERY_CHARS, MAX_TERMS, Term, clean_query_text, parse_query

# A tsquery made only of quoted lexemes, operators, distances and parentheses.
_TSQUERY_TOKEN = re.compile(r"\s*(?:'(?:[^'\\]|''|\\.)+'|&|\||!|<->|<\d+>|\(|\))")


def assert_well_formed(tsquery: str) -> None:
    """Every character belongs to a quoted lexeme or an operator, parentheses balance."""
    position, depth = 0, 0
    while position < len(tsquery):
        match = _TSQUERY_TOKEN.match(tsquery, position)
        assert match, f"unexpected text at {position} in {tsquery!r}"
        depth += match.group().strip() == "("
        depth -= match.group().strip() == ")"
        assert depth >= 0, tsquery
        position = match.end()
    assert depth == 0, tsquery


def kazakh_reading(text: str):
    """The query as the Kazakh analyzer reads it (see test_search_languages for the others)."""
    return next(r for r in parse_query(text).readings if r.language == "kk")


def k(word: str) -> str:
    """The tsquery of one word spelled with Kazakh letters: its stem key alone."""
    return f"'{kazakh.key(word)}'"


def test_words_are_all_required():
    query = parse_query("бостандық түрме")
    assert query.tsquery == f"{k('бостандық')} & {k('түрме')}"


def test_inflected_words_give_the_same_query_as_their_base_form():
    assert parse_query("азаптауға").tsquery == parse_query("азаптаған").tsquery
    assert parse_query("соттың").tsquery == parse_query("сотқа").tsquery


def test_latin_query_gives_the_same_query_as_cyrillic_typed_without_kazakh_letters():
    assert kazakh_reading("azaptau").tsquery == kazakh_reading("азаптау").tsquery


def test_a_word_typed_without_kazakh_letters_also_matches_the_folded_key():
    typed = parse_query("турмелер")
    proper_stem = kazakh.key("түрмелер")
    # The proper spelling is indexed under its stem and its marked folded key.
    assert lexemes(proper_stem, "kk")[1] in typed.highlight_keys
    assert parse_query("түрмелер").highlight_keys == {proper_stem}


def test_a_word_with_kazakh_letters_matches_only_its_own_stem():
    assert parse_query("қамауда").tsquery == k("қамауда")


def pair(first: str, second: str) -> str:
    """The quoted hash lexeme of two adjacent words (search.indexing's word pairs)."""
    return f"'{pair_lexeme(pair_form(kazakh.key(first)), pair_form(kazakh.key(second)))}'"


def test_phrase_keeps_word_order_and_adjacency():
    query = parse_query('"сөз бостандығы"')
    words = f"('{kazakh.key('сөз')}' <-> '{kazakh.key('бостандығы')}')"
    # Matching also asks for the pair's hash lexeme; the scores read the words alone.
    assert query.tsquery == f"({words} & {pair('сөз', 'бостандығы')})"
    assert query.readings[0].rank_tsquery == words


def test_stopword_inside_a_phrase_counts_in_the_distance():
    assert kazakh.key("туралы") == ""
    query = parse_query('"туу туралы куәлік"')
    assert query.tsquery.endswith(f"<2> {k('куәлік')})")


def test_or_makes_either_word_enough():
    query = parse_query("босқындар OR бостандық соттың")
    assert query.tsquery == f"({k('босқындар')} | {k('бостандық')}) & {k('соттың')}"


def test_lowercase_or_is_an_ordinary_word():
    query = kazakh_reading("соттың or түрме")
    assert len(query.groups) == 3
    assert all(len(group) == 1 for group in query.groups)


def test_leading_and_trailing_or_are_ignored():
    assert parse_query("OR сот OR").tsquery == parse_query("сот").tsquery


def test_minus_excludes_a_word_and_a_phrase():
    query = parse_query('сайлауға -референдумға -"бейбіт жиынға"')
    assert query.tsquery == (
        f"{k('сайлауға')} & !{k('референдумға')} & !({k('бейбіт')} <-> {k('жиынға')})"
    )


def test_excluded_words_are_not_highlighted():
    query = parse_query("сайлауға -референдумға")
    assert query.highlight_keys == {kazakh.key("сайлауға")}


def test_hyphen_inside_a_word_is_not_an_exclusion():
    query = parse_query("зорлық-зомбылық")
    assert "!" not in query.tsquery
    assert query.highlight_keys >= {kazakh.key("зорлық")}


def test_lone_minus_is_ignored():
    assert parse_query("сот - түрме").tsquery == parse_query("сот түрме").tsquery
    assert not parse_query("-")


def test_only_excluded_words_is_an_empty_query():
    # A pure exclusion would match (and rank) almost the whole archive.
    assert not parse_query("-референдум")
    assert parse_query("-референдум").tsquery == ""


def test_unbalanced_quote_reads_the_phrase_to_the_end():
    query = parse_query('соттың "бейбіт жиынға')
    phrase = f"({k('бейбіт')} <-> {k('жиынға')})"
    assert query.tsquery == f"{k('соттың')} & ({phrase} & {pair('бейбіт', 'жиынға')})"


def test_curly_and_guillemet_quotes_make_phrases_too():
    expected = parse_query('"бейбіт жиын"').tsquery
    assert parse_query("«бейбіт жиын»").tsquery == expected
    assert parse_query("“бейбіт жиын”").tsquery == expected


def test_only_stopwords_is_an_empty_query_that_names_them():
    query = parse_query("және мен туралы")
    assert not query
    assert query.tsquery == ""
    assert query.dropped_words == ("және", "мен", "туралы")


@pytest.mark.parametrize("text", ["", "   ", "!!! ???", "«»", '""', "— … ;", "OR", "- - -"])
def test_only_punctuation_or_nothing_is_an_empty_query(text):
    assert parse_query(text).tsquery == ""


def test_control_characters_and_nul_are_removed():
    assert clean_query_text("сот\x00түрме\x07\tазаптау\u2028") == "сот түрме азаптау"
    assert parse_query("сот\x00түрме").tsquery == parse_query("сот түрме").tsquery


def test_a_very_long_query_is_bounded():
    words = [f"сөз{i}" for i in range(600)]
    query = parse_query(" ".join(words))
    assert len(query.text) <= MAX_QUERY_CHARS
    for reading in query.readings:
        assert sum(len(group) for group in reading.groups) <= MAX_TERMS
    assert_well_formed(query.tsquery)


def test_a_single_2000_character_word_is_dropped_not_sent_to_postgres():
    # PostgreSQL rejects lexemes over 2047 bytes.
    assert parse_query("ж" * 2000).tsquery == ""


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE sections_paragraph; --",
        "<script>alert('x')</script>",
        "a' | 'b",
        "\\' & !",
        "сот:* & !түрме <-> (",
        '"""',
        '-"\'"',
    ],
)
def test_sql_and_html_fragments_become_quoted_lexemes_only(text):
    assert_well_formed(parse_query(text).tsquery)


def test_quote_and_backslash_in_a_key_are_escaped():
    term = Term(keys=(("a'b\\c",), ("d", "~d")), gaps=(1, 3))
    assert term.tsquery() == "('a''b\\\\c' <3> ('d' | '~d'))"
    assert_well_formed(term.tsquery())


def test_proximity_query_puts_required_words_next_to_each_other_in_typed_order():
    query = kazakh_reading("бостандық шағымға")
    assert query.proximity_tsquery == f"{k('бостандық')} <-> {k('шағымға')}"
    assert kazakh_reading("азаптау").proximity_tsquery == ""
    assert kazakh_reading("азаптау OR түрме шағым").proximity_tsquery == ""


def test_repeated_words_are_searched_once():
    assert kazakh_reading("сот соттар сот").tsquery == kazakh_reading("сот").tsquery


def test_random_input_never_raises_and_is_always_well_formed():
    alphabet = [*"аәбқөүһ azqAZ019\"'-\\:|&!()<>*«» \x00\x07\n\t", "OR", " OR "]
    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert_well_formed(parse_query(text).tsquery)
