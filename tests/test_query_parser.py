"""The search box's query language (search/query.py): no database needed."""

import random
import re

import pytest

from search import kazakh
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


def test_words_are_all_required():
    query = parse_query("азаптау түрме")
    assert query.tsquery == f"'{kazakh.key('азаптау')}' & '{kazakh.key('түрме')}'"


def test_inflected_words_give_the_same_query_as_their_base_form():
    assert parse_query("азаптауға").tsquery == parse_query("азаптау").tsquery
    assert parse_query("блогерлерді").tsquery == parse_query("блогерлер").tsquery


def test_latin_query_gives_the_same_query_as_cyrillic():
    assert parse_query("azaptau").tsquery == parse_query("азаптау").tsquery


def test_query_without_kazakh_letters_gives_the_same_query():
    assert parse_query("турмелер").tsquery == parse_query("түрмелер").tsquery


def test_phrase_keeps_word_order_and_adjacency():
    query = parse_query('"сөз бостандығы"')
    assert query.tsquery == f"('{kazakh.key('сөз')}' <-> '{kazakh.key('бостандығы')}')"


def test_stopword_inside_a_phrase_counts_in_the_distance():
    assert kazakh.key("туралы") == ""
    query = parse_query('"туу туралы куәлік"')
    assert query.tsquery == f"('{kazakh.key('туу')}' <2> '{kazakh.key('куәлік')}')"


def test_or_makes_either_word_enough():
    query = parse_query("босқындар OR баспана сот")
    bosq, basp, sot = (kazakh.key(w) for w in ("босқындар", "баспана", "сот"))
    assert query.tsquery == f"('{bosq}' | '{basp}') & '{sot}'"


def test_lowercase_or_is_an_ordinary_word():
    assert "|" not in parse_query("сот or түрме").tsquery


def test_leading_and_trailing_or_are_ignored():
    assert parse_query("OR сот OR").tsquery == parse_query("сот").tsquery


def test_minus_excludes_a_word_and_a_phrase():
    query = parse_query('сайлау -референдум -"бейбіт жиын"')
    assert query.tsquery == (
        f"'{kazakh.key('сайлау')}' & !'{kazakh.key('референдум')}'"
        f" & !('{kazakh.key('бейбіт')}' <-> '{kazakh.key('жиын')}')"
    )


def test_excluded_words_are_not_highlighted():
    query = parse_query("сайлау -референдум")
    assert query.highlight_keys == {kazakh.key("сайлау")}


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
    query = parse_query('сот "бейбіт жиын')
    assert query.tsquery == (
        f"'{kazakh.key('сот')}' & ('{kazakh.key('бейбіт')}' <-> '{kazakh.key('жиын')}')"
    )


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
    assert sum(len(group) for group in query.groups) <= MAX_TERMS
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
    term = Term(keys=("a'b\\c", "d"), gaps=(1, 3))
    assert term.tsquery() == "('a''b\\\\c' <3> 'd')"
    assert_well_formed(term.tsquery())


def test_proximity_query_puts_required_words_next_to_each_other_in_typed_order():
    query = parse_query("азаптау шағым")
    assert query.proximity_tsquery == f"'{kazakh.key('азаптау')}' <-> '{kazakh.key('шағым')}'"
    assert parse_query("азаптау").proximity_tsquery == ""
    assert parse_query("азаптау OR түрме шағым").proximity_tsquery == ""


def test_repeated_words_are_searched_once():
    assert parse_query("сот соттар сот").tsquery == parse_query("сот").tsquery


def test_random_input_never_raises_and_is_always_well_formed():
    alphabet = [*"аәбқөүһ azqAZ019\"'-\\:|&!()<>*«» \x00\x07\n\t", "OR", " OR "]
    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert_well_formed(parse_query(text).tsquery)
