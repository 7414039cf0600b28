"""Word pairs: each pair of adjacent words is indexed as a hash lexeme, and a phrase's query
asks for its pairs' hashes, so that the GIN index leaves few paragraphs to read that hold
the phrase's words apart (search.indexing, search.query.Term.match_tsquery)."""

import random

import pytest
from django.db import connection

from search.engine import search_results
from search.filters import SearchFilters
from search.indexing import (
    PAIR_MARK,
    analyze,
    fold,
    lexemes,
    pair_form,
    pair_lexeme,
    quote_lexeme,
    vector_literal,
)
from search.models import Term, TermYear
from search.query import Term as QueryTerm
from search.query import parse_query
from search.ranking import matching
from sections.models import Paragraph

pytestmark = pytest.mark.django_db


def pairs_of(vector: str) -> set[str]:
    return {e.strip("'") for e in vector.split(" ") if e.startswith(f"'{PAIR_MARK}")}


def test_a_vector_holds_a_hash_for_each_pair_of_adjacent_words_and_no_other():
    title = [("азап", 0), ("сот", 1)]
    # Position 2 is a stopword: "шеш" and "алу" are not adjacent.
    body = [("қама", 0), ("шеш", 1), ("алу", 3)]
    expected = {
        pair_lexeme(pair_form("азап"), pair_form("сот")),
        pair_lexeme(pair_form("қама"), pair_form("шеш")),
    }
    assert pairs_of(vector_literal(title, body, "kk")) == expected
    # The title's last word and the body's first are not a pair.
    assert pair_lexeme(pair_form("сот"), pair_form("қама")) not in expected


def test_every_lexeme_of_a_word_gives_the_words_pair_form():
    for key in ("қамау", "өкімет", "ұстау", "азап"):
        forms = {pair_form(lexeme) for lexeme in lexemes(key, "kk")}
        # A query word typed without Kazakh letters searches the bare folded key too.
        forms.add(pair_form(fold(key)))
        assert forms == {fold(key)}
    assert pair_form("en:tortur") == "en:tortur"
    assert pair_form("ru:журналист") == "ru:журналист"


def test_folding_twice_changes_nothing_so_folded_keys_have_one_pair_form():
    letters = "абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяәө"
    assert fold(fold(letters)) == fold(letters)


def phrases_from_the_archive(count: int, seed: int) -> list[str]:
    """Phrases of two and three adjacent words cut from the archive's own paragraphs, as
    typed, and (for Kazakh) typed without Kazakh letters."""
    rng = random.Random(seed)
    phrases = []
    paragraphs = list(Paragraph.objects.values_list("text", "language"))
    for text, language in rng.sample(paragraphs, min(len(paragraphs), count)):
        tokens = analyze(text, language)
        runs = [
            tokens[i : i + n]
            for n in (2, 3)
            for i in range(len(tokens) - n + 1)
            if all(t.key for t in tokens[i : i + n])
            and tokens[i + n - 1].position - tokens[i].position == n - 1
        ]
        if not runs:
            continue
        words = " ".join(t.text for t in rng.choice(runs))
        phrases.append(f'"{words}"')
        if language == "kk":
            phrases.append(f'"{fold(words.lower())}"')
    return phrases


def test_phrases_match_the_same_paragraphs_with_their_pairs_hashes_as_without():
    phrases = phrases_from_the_archive(80, seed=7)
    assert len(phrases) > 80
    checked = 0
    for phrase in phrases:
        parsed = parse_query(phrase)
        if PAIR_MARK not in parsed.tsquery:
            continue
        with_pairs = set(matching(parsed.tsquery, SearchFilters()).values_list("pk", flat=True))
        without = set(matching(parsed.rank_tsquery, SearchFilters()).values_list("pk", flat=True))
        assert with_pairs == without, phrase
        assert with_pairs, phrase  # cut from a paragraph: it matches at least that one
        checked += 1
    assert checked > 60


def test_the_pairs_hashes_leave_few_paragraphs_that_hold_the_words_apart():
    apart = passed = 0
    for phrase in phrases_from_the_archive(80, seed=11):
        reading = parse_query(phrase).readings[0]
        term = reading.groups[0][0]
        if not term.pair_tsquery():
            continue
        words = " & ".join(_word(alternatives) for alternatives in term.keys)
        holding = ids(term.tsquery())
        apart += len(ids(words) - holding)
        passed += len(ids(f"{words} & {term.pair_tsquery()}") - holding)
    assert apart > 200
    # A paragraph holds about 50 of the 4,096 hashes: few of the others hold the phrase's.
    assert passed <= 0.1 * apart


def ids(tsquery: str) -> set[int]:
    return set(matching(tsquery, SearchFilters()).values_list("pk", flat=True))


def _word(alternatives) -> str:
    return "(" + " | ".join(quote_lexeme(x) for x in alternatives) + ")"


def test_word_pairs_are_in_the_vectors_but_have_no_term_statistics_or_suggestions():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {Paragraph._meta.db_table} p, unnest(p.search_vector) u"
            " WHERE strpos(u.lexeme, %s) = 1",
            [PAIR_MARK],
        )
        assert cursor.fetchone()[0] > 1000
    assert not Term.objects.filter(lexeme__startswith=PAIR_MARK).exists()
    assert not TermYear.objects.filter(lexeme__startswith=PAIR_MARK).exists()


def test_a_pair_of_words_with_many_readings_asks_for_no_hash():
    few = QueryTerm(keys=(("сот", "~сот"), ("шеш", "~шеш")), gaps=(0, 1))
    assert few.pair_tsquery().count(PAIR_MARK) == 1  # both lexemes of a word: one form
    latin = tuple(f"қа{c}" for c in "абвгд")
    many = QueryTerm(keys=(latin, tuple(f"ө{c}" for c in "абвгд")), gaps=(0, 1))
    assert many.pair_tsquery() == ""
    assert many.match_tsquery() == many.tsquery()
    apart = QueryTerm(keys=(("сот",), ("шеш",)), gaps=(0, 2))
    assert apart.pair_tsquery() == ""


def test_words_that_share_the_last_title_position_are_neither_a_phrase_nor_a_partial_match():
    # Title positions stop at 99: "азап" at 98 and "сот" four words on, at 99 too, look
    # adjacent to PostgreSQL, but they are no pair, so the phrase does not match.
    paragraph = Paragraph.objects.filter(language="kk").select_related("section").first()
    section = paragraph.section
    section.title = " ".join(["ел"] * 97 + ["азап", "ел", "ел", "сот"])
    section.save()
    other = next(t.text for t in analyze(paragraph.text, "kk") if t.key)
    parsed = parse_query(f'"азап сот" {other}')
    assert paragraph.pk in ids(parsed.rank_tsquery)  # the capped positions "match"
    results = search_results(parsed)
    assert paragraph.pk not in {hit.pk for hit in results.hits[:100]}
    # Not offered as holding the phrase either: it holds one of the two groups at most.
    partial = {hit.pk: hit.matched for hit in results.partial}
    assert partial.get(paragraph.pk, 1) < 2
