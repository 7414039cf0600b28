"""Search over the test archive (KZ 2022 kk seed + the modified KZ 2021 copy): matching,
ranking, filters, facets, the results page, and the reindex command."""

import re
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from search import kazakh
from search.engine import search_results
from search.filters import SearchFilters
from search.indexing import analyzer_version
from search.query import parse_query
from sections.models import Paragraph, Report
from tests.awkward import AWKWARD_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """A browser asking for the English interface, so assertions can name the English text."""
    return Client(headers={"accept-language": "en"})


def search(query: str, **filters):
    return search_results(parse_query(query), SearchFilters(**filters))


def hit_ids(query: str, **filters) -> list[int]:
    results = search(query, **filters)
    return [p.pk for p in results.hits[: results.total]]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


# Matching


def test_inflected_query_finds_paragraphs_with_other_endings():
    # "блогерлерді" (accusative plural) is not in the seed; "блогерлер" is.
    found = search("блогерлерді")
    assert found.total > 0
    texts = [p.text.lower() for p in found.hits[: found.total]]
    assert all("блогер" in text for text in texts)
    assert not any("блогерлерді" in text for text in texts)


def test_latin_query_finds_the_same_paragraphs_as_cyrillic():
    cyrillic = hit_ids("азаптау")
    assert cyrillic
    assert hit_ids("azaptau") == cyrillic


def test_query_without_kazakh_letters_finds_the_same_paragraphs():
    assert hit_ids("турмелер") == hit_ids("түрмелер") != []
    assert hit_ids("камауда") == hit_ids("қамауда") != []


def test_2021_latin_with_ia_for_ya_finds_the_cyrillic_paragraphs():
    cyrillic = set(hit_ids("саяси тұтқындар"))
    assert cyrillic
    assert cyrillic <= set(hit_ids("saiasi tūtqyndar"))


def test_a_query_with_kazakh_letters_does_not_match_other_words_that_fold_alike():
    # сөз (word) and соз (stretch out) fold alike; a reader who typed ө means сөз.
    hits = search("сөз").hits[:50]
    assert hits
    assert all("сөз" in f"{p.section.title} {p.text}".lower() for p in hits)


def test_all_words_must_appear():
    both = set(hit_ids("азаптау шағым"))
    assert both
    assert both <= set(hit_ids("азаптау")) & set(hit_ids("шағым"))
    assert both < set(hit_ids("азаптау"))


def test_phrase_finds_only_the_words_side_by_side():
    phrase = search('"сөз бостандығы"')
    apart = search("сөз бостандығы")
    assert 0 < phrase.total < apart.total
    for paragraph in phrase.hits[: phrase.total]:
        assert re.search(r"сөз\s+бостандығ", paragraph.text.lower()), paragraph.text


def test_phrase_with_a_stopword_inside_matches_the_printed_phrase():
    found = search('"туу туралы куәлік"')
    assert found.total > 0
    for paragraph in found.hits[: found.total]:
        assert re.search(r"туу\s+туралы\s+куәлі", paragraph.text.lower())


def test_or_finds_paragraphs_with_either_word():
    either = set(hit_ids("референдум OR омбудсмен"))
    assert either == set(hit_ids("референдум")) | set(hit_ids("омбудсмен"))


def test_minus_leaves_out_paragraphs_with_the_word():
    without = set(hit_ids("азаптау -омбудсмен"))
    assert without == set(hit_ids("азаптау")) - set(hit_ids("омбудсмен"))
    assert without < set(hit_ids("азаптау"))


@pytest.mark.parametrize("text", AWKWARD_QUERIES)
def test_every_awkward_query_is_a_valid_tsquery_for_postgres(text):
    tsquery = parse_query(text).tsquery
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsquery::text", [tsquery])
        assert cursor.fetchone() is not None


def test_empty_parsed_query_finds_nothing_without_querying():
    results = search("және")
    assert results.total == 0
    assert list(results.hits[:10]) == []


# Ranking


def test_a_word_in_the_text_outranks_the_same_word_only_in_the_section_title():
    # Section 1c is titled "Азаптау ..."; every 1c paragraph carries the word at weight A.
    key = kazakh.key("азаптау")
    found = search("азаптау", year_from=2022, year_to=2022)
    ranked = list(found.hits[: found.total])

    def in_text(paragraph):
        return key in {t.key for t in kazakh.analyze(paragraph.text)}

    title_only = [p.score for p in ranked if p.section.code == "1c" and not in_text(p)]
    in_body = [p.score for p in ranked if in_text(p)]
    assert title_only and in_body
    assert min(in_body) > max(title_only)


def test_a_title_match_is_a_boost_within_paragraphs_that_hold_the_word():
    key = kazakh.key("азаптау")
    found = search("азаптау", year_from=2022, year_to=2022)
    once = [
        p
        for p in found.hits[: found.total]
        if [t.key for t in kazakh.analyze(p.text)].count(key) == 1
    ]
    titled = [p.score for p in once if p.section.code == "1c"]
    untitled = [p.score for p in once if p.section.code not in ("1c", "1c-prisons")]
    assert titled and untitled
    assert max(titled) > max(untitled)


def test_a_rare_word_weighs_more_than_a_common_one():
    # Paragraphs holding only the rare word rank above those holding only the common one.
    rare, common = kazakh.key("журналист"), kazakh.key("заң")
    found = search("журналист OR заң", year_from=2022, year_to=2022)
    keys = [(p, {t.key for t in kazakh.analyze(p.text)}) for p in found.hits[: found.total]]
    only_rare = [p.score for p, k in keys if rare in k and common not in k]
    only_common = [p.score for p, k in keys if common in k and rare not in k]
    assert only_rare and only_common
    assert sorted(only_rare)[len(only_rare) // 2] > sorted(only_common)[len(only_common) // 2]


def test_words_next_to_each_other_rank_above_words_far_apart():
    first, second = kazakh.key("жергілікті"), kazakh.key("билік")

    def side_by_side(text):
        tokens = kazakh.analyze(text)
        return any(a.key == first and b.key == second for a, b in pairwise(tokens))

    found = search("жергілікті билік")
    # Title matches rank by weight; compare paragraphs that match in the body only.
    body_only = [
        p
        for p in found.hits[: found.total]
        if not {first, second} & {t.key for t in kazakh.analyze(p.section.title)}
    ]
    adjacent = [p.score for p in body_only if side_by_side(p.text)]
    apart = [p.score for p in body_only if not side_by_side(p.text)]
    assert adjacent and apart
    assert min(adjacent) > max(apart)


def test_equal_scores_put_the_newer_year_first():
    # The 2021 report copies most 2022 paragraphs word for word: same score, 2022 first.
    found = search("омбудсмен")
    ranked = found.hits[: found.total]
    pairs = [(a, b) for a, b in pairwise(ranked) if a.text == b.text]
    assert pairs
    for first, second in pairs:
        assert first.section.report.year > second.section.report.year


def test_scores_are_positive_best_first():
    found = search("азаптау")
    scores = [p.score for p in found.hits[: found.total]]
    assert all(s > 0 for s in scores)
    assert scores == sorted(scores, reverse=True)


# Filters and facets


def test_year_filter_keeps_only_that_years_paragraphs():
    found = search("абзац", year_from=2021, year_to=2021)
    assert found.total == 1
    assert search("абзац", year_from=2022, year_to=2022).total == 0


def test_topic_filter_keeps_paragraphs_of_sections_with_that_topic():
    found = search("азаптау", topic="torture")
    assert 0 < found.total < search("азаптау").total
    for paragraph in found.hits[: found.total]:
        assert "torture" in {t.slug for t in paragraph.section.topics.all()}


def test_section_language_and_country_filters():
    assert {p.section.code for p in search("азаптау", section="1c").hits[:50]} == {"1c"}
    assert search("азаптау", language="ru").total == 0
    assert search("азаптау", country="UZ").total == 0
    assert search("азаптау", country="kz").total == search("азаптау").total


def test_unpublished_reports_are_not_searched():
    before = search("абзац").total
    Report.objects.filter(year=2021).update(published=False)
    assert before == 1
    assert search("абзац").total == 0


def test_each_facet_ignores_its_own_filter_but_applies_the_others():
    everything = search("азаптау")
    in_2022 = search("азаптау", year_from=2022, year_to=2022)
    # The year facet still shows 2021 so the reader can switch years...
    assert in_2022.year_counts == everything.year_counts
    # ...while the topic facet counts only 2022's matches.
    assert in_2022.topic_counts["torture"] < everything.topic_counts["torture"]
    torture = search("азаптау", topic="torture")
    assert torture.topic_counts == everything.topic_counts
    assert sum(torture.year_counts.values()) == torture.total


def test_total_is_the_year_facet_summed_over_the_chosen_years():
    found = search("адам", year_from=2022, year_to=2022)
    assert found.total == found.year_counts[2022]
    assert search("адам").total == sum(search("адам").year_counts.values())


# The results page


def test_empty_query_shows_the_search_page(client):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html
    assert "<mark>" not in html


def test_results_page_shows_highlighted_snippets_titles_years_and_permalinks(client):
    response = client.get("/search/", {"q": "азаптауға", "year": 2022})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="азаптауға"' in html
    # Another form of the word is marked in the snippet.
    assert re.search(r"<mark>[Аа]заптау\w*</mark>", html)
    top = search("азаптауға", year_from=2022, year_to=2022).hits[0]
    assert f'href="{top.get_absolute_url()}"' in html
    assert re.search(r'href="/kz/2022/kk/1c/#p\d+"', html)
    title = re.search(r'<h2 class="hit__title"[^>]*><a [^>]*>(.*?)</a>', html).group(1)
    assert re.sub(r"</?mark>", "", title) == top.section.title
    assert '<span class="hit__year">2022</span>' in html


def test_results_page_shows_facets_and_the_count_per_year(client):
    found = search("азаптау")
    html = client.get("/search/", {"q": "азаптау"}).content.decode()
    for year, count in found.year_counts.items():
        assert re.search(rf'>{year}</a>\s*<span class="facet__count">{count}</span>', html), year
    assert 'href="?q=%D0%B0%D0%B7%D0%B0%D0%BF%D1%82%D0%B0%D1%83&amp;topic=torture"' in html


def test_results_page_is_paginated_with_page_links(client):
    response = client.get("/search/", {"q": "адам", "limit": 10, "page": 2})
    html = response.content.decode()
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 10
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert '<ol class="hits" start="11">' in html


def test_no_results_page_suggests_dropping_the_filters(client):
    response = client.get("/search/", {"q": "абзац", "year": 2022})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No paragraphs found" in html
    assert 'href="/search/?q=%D0%B0%D0%B1%D0%B7%D0%B0%D1%86"' in html


def test_only_stopwords_page_says_there_is_nothing_to_search(client):
    html = client.get("/search/", {"q": "және мен"}).content.decode()
    assert "Nothing to search for" in html
    assert "және, мен" in html


def test_invalid_filters_are_explained_on_the_page_not_an_error(client):
    response = client.get("/search/", {"q": "сот", "year": "abc", "topic": "no-such"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Unknown topic." in html


@pytest.mark.parametrize("text", AWKWARD_QUERIES)
def test_awkward_queries_give_a_normal_page_with_nothing_unescaped(client, text):
    response = client.get("/search/", {"q": text, "year_from": "2021"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "\x00" not in html.split("<main", 1)[1]


def test_page_help_explains_the_query_syntax(client):
    html = client.get("/search/").content.decode()
    assert "How to search" in html
    assert '<code>"сөз бостандығы"</code>' in html


# The reindex command


def test_reindex_stale_rebuilds_only_paragraphs_of_another_analyzer_version(capsys):
    stale = Paragraph.objects.filter(report__year=2021).order_by("pk")[:3]
    ids = [p.pk for p in stale]
    Paragraph.objects.filter(pk__in=ids).update(search_vector=None, analyzer_version="old")
    call_command("reindex", "--stale")
    assert "Reindexed 3 paragraphs" in capsys.readouterr().out
    refreshed = Paragraph.objects.filter(pk__in=ids)
    assert all(p.analyzer_version == analyzer_version("kk") for p in refreshed)
    assert all(p.search_vector for p in refreshed)


def test_reindex_without_options_rebuilds_every_paragraph(capsys):
    call_command("reindex")
    assert f"Reindexed {Paragraph.objects.count()} paragraphs" in capsys.readouterr().out


def test_the_results_page_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    # Counting, ranking, filters, facets, term statistics for idf, the statement timeout and
    # its savepoints, the client's rate-limit counter: not one query per hit or facet entry.
    with django_assert_max_num_queries(17):
        response = client.get("/search/", {"q": "азаптау", "per_page": 50})
    assert response.status_code == 200
