"""Results a journalist can trust: ranking by the text, partial matches, "did you mean", the
glossary for English and Russian words, repeats folded, the query read back, hits that carry
the query, and bounded work. Against the shared archive (KZ 2021 and 2022 in Kazakh, KZ 2023
in English)."""

import re
from itertools import pairwise

import pytest

from search import kazakh
from search.engine import search_results
from search.filters import SearchFilters
from search.query import MAX_TERMS, parse_query

pytestmark = pytest.mark.django_db


def page(client, **params):
    response = client.get("/search/", params, headers={"accept-language": "en"})
    return response, response.content.decode()


def api(client, **params):
    return client.get("/api/search", params).json()


def word_readings(html: str) -> str:
    """The list under the search box saying how each word was read ("" if none)."""
    found = re.search(r'<ul class="word-readings" id="word-readings"[^>]*>(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def search(text, **filters):
    return search_results(parse_query(text), SearchFilters(**filters))


# --- ranking by the text ------------------------------------------------------------------


def test_paragraphs_holding_the_phrase_come_first_for_unquoted_words():
    first, second = kazakh.key("сөз"), kazakh.key("бостандығы")
    found = search("сөз бостандығы", year_from=2022, year_to=2022)
    ranked = list(found.hits[: found.total])

    def adjacent(paragraph):
        keys = [t.key for t in kazakh.analyze(paragraph.text)]
        return any(a == first and b == second for a, b in pairwise(keys))

    with_phrase = [i for i, p in enumerate(ranked) if adjacent(p)]
    assert with_phrase, "the report has paragraphs with the phrase"
    assert max(with_phrase) < 10, f"phrase paragraphs ranked at {with_phrase}"


def test_hits_with_the_words_in_their_text_come_before_title_only_hits(client):
    # Section 2a is titled "Сөз және баспасөз бостандығы": all its paragraphs match by title.
    _, html = page(client, q="сөз бостандығы", year=2022, per_page=50)
    snippets = re.findall(r'<p class="hit__snippet"[^>]*>(.*?)</p>', html, re.S)
    marked = ["<mark>" in s for s in snippets]
    assert True in marked and False in marked
    assert marked == sorted(marked, reverse=True), marked


def test_matched_title_words_are_marked_in_the_hit_heading(client):
    _, html = page(client, q="азаптау", year=2022)
    titles = re.findall(r'<h2 class="hit__title"[^>]*><a [^>]*>(.*?)</a>', html, re.S)
    assert any(t.startswith("<mark>Азаптау</mark>") for t in titles)


# --- partial matches ------------------------------------------------------------------------


def test_when_few_paragraphs_hold_every_word_those_with_most_follow_labelled(client):
    query = "саяси тұтқындар саны"
    found = search(query)
    assert found.total < 20
    assert found.partial, "paragraphs with two of the three words exist"
    for hit in found.partial:
        assert hit.word_count == 3 and len(hit.matched_words) == 2
    _, html = page(client, q=query)
    assert 'id="partial-hits"' in html
    assert "Contains 2 of your 3 words:" in html


def test_partial_matches_keep_excluded_words_out():
    found = search("саяси тұтқындар саны -сот")
    key = kazakh.key("сот")
    assert found.partial
    for hit in found.partial:
        keys = {t.key for t in kazakh.analyze(hit.text + " " + hit.section.title)}
        assert key not in keys


def test_a_quoted_phrase_stays_whole_in_partial_matches():
    found = search('"саяси тұтқындар" саны')
    assert found.partial
    for hit in found.partial:
        assert hit.word_count == 2
        assert hit.matched_words in (["саяси тұтқындар"], ["саны"])


def test_the_api_lists_the_words_each_hit_matched_and_marks_partial_ones(client):
    body = api(client, q="саяси тұтқындар саны")
    partial = [r for r in body["results"] if not r["complete"]]
    complete = [r for r in body["results"] if r["complete"]]
    assert partial and len(complete) == body["total"]
    assert all(r["matched"] == ["саяси", "тұтқындар", "саны"] for r in complete)
    assert all(len(r["matched"]) == 2 for r in partial)


# --- did you mean, and the glossary ---------------------------------------------------------


def test_a_typo_that_finds_nothing_shows_the_corrected_querys_results(client):
    response, html = page(client, q="азаптуа")
    assert response.status_code == 200
    assert 'id="correction"' in html and "Showing results for" in html
    assert "<mark>" in html
    assert "spell=0" in html
    body = api(client, q="азаптуа")
    assert body["corrected_query"] and body["total"] > 0
    assert kazakh.key(body["corrected_query"]) == kazakh.key("азаптау")


def test_asking_for_the_query_as_typed_turns_the_correction_off(client):
    body = api(client, q="азаптуа", spell="0")
    assert body["corrected_query"] is None and body["total"] == 0


def test_a_word_that_matches_gets_no_correction(client):
    body = api(client, q="азаптау")
    assert body["corrected_query"] is None and body["did_you_mean"] is None


def test_an_english_word_without_english_matches_searches_its_kazakh_term(client):
    body = api(client, q="torture", language="kk")
    assert body["corrected_query"] == "азаптау"
    assert body["total"] > 0
    assert {r["report"]["language"] for r in body["results"]} == {"kk"}
    _, html = page(client, q="torture", language="kk")
    assert "the reports are searched in Kazakh for" in html


def test_an_english_word_finds_the_english_report_directly(client):
    body = api(client, q="torture")
    assert body["corrected_query"] is None
    assert {r["report"]["language"] for r in body["results"]} == {"en"}


# --- repeats, reading the query back, links ------------------------------------------------


def test_a_paragraph_repeated_from_another_year_is_folded_under_the_better_hit(client):
    _, html = page(client, q="омбудсмен", per_page=50)
    assert 'id="folded-repeats"' in html
    repeats = re.findall(r'<p class="hit__repeats">(.*?)</p>', html, re.S)
    assert repeats and all("2021" in r for r in repeats)


def test_the_page_says_how_each_word_was_read(client):
    _, html = page(client, q="azaptau")
    readings = word_readings(html)
    assert "Latin letters, read as" in readings
    _, html = page(client, q="азаптау")
    readings = word_readings(html)
    assert "also found as" in readings


def test_a_hit_links_to_its_section_with_the_query_and_its_paragraph(client):
    _, html = page(client, q="азаптау", year=2022)
    link = re.search(r'<h2 class="hit__title"[^>]*><a href="([^"]+)"', html).group(1)
    assert re.fullmatch(r"/kz/2022/kk/[0-9a-z-]+/\?q=%D0%B0[^&]*&amp;hit=(\d+)#p\1", link)


# --- bounded work -----------------------------------------------------------------------------


def test_a_query_past_the_word_limit_says_which_words_were_left_out(client):
    words = [f"сөз{i}" for i in range(MAX_TERMS + 6)]
    body = api(client, q=" ".join(words))
    assert body["unused_words"] == words[MAX_TERMS:]
    _, html = page(client, q=" ".join(words))
    assert 'id="unused-words"' in html


def test_a_search_past_the_time_limit_is_a_clear_503_never_a_500(client, settings):
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 1
    broad = " OR ".join(["saiasi", "bostandyq", "quqyq", "adam", "sot", "zan"] * 4)
    response = client.get("/api/search", {"q": broad, "limit": 100})
    assert response.status_code == 503
    assert "too broad" in response.json()["error"]
    assert response["Retry-After"]
    response, html = page(client, q=broad)
    assert response.status_code == 503
    assert "This search is too broad" in html


def test_a_word_typed_without_kazakh_letters_is_said_to_match_spellings_with_them(client):
    _, html = page(client, q="камауда")
    readings = word_readings(html)
    assert "typed without Kazakh letters" in readings
    _, html = page(client, q="азаптау")
    readings = word_readings(html)
    assert readings and "typed without Kazakh letters" not in readings


def test_an_equals_sign_searches_one_exact_form_of_a_word():
    every = search("азаптау")
    exact = search("=азаптауға")
    assert 0 < exact.total < every.total
    form = re.compile(r"(?<!\w)азаптауға(?!\w)", re.IGNORECASE)
    assert all(form.search(p.text) for p in exact.hits[: exact.total])
    assert parse_query("=азаптауға").exact_forms == ("азаптауға",)
    # An equals sign inside a word or alone is text, not the operator.
    assert parse_query("a=b =").exact_forms == ()


def test_a_name_ending_in_y_finds_its_bare_and_inflected_forms():
    # The analyzer keys Алматы as алмат (the -ы of мақсаты) and Алматыда as алматы.
    assert kazakh.key("Алматы") != kazakh.key("Алматыда")
    found = search("Алматы")
    texts = [p.text for p in found.hits[: found.total]]
    assert any(re.search(r"\bАлматыда\b", t) for t in texts)
    assert any(re.search(r"\bАлматы\b(?!\w)", t) for t in texts)
    back = search("Алматыда")
    assert any(re.search(r"\bАлматы\b(?!\w)", p.text) for p in back.hits[: back.total])
