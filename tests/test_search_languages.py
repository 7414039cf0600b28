"""Search in each report's language: English and Russian paragraphs through Snowball
(search/snowball.py), queries read in every language, highlights in all three.

The English sentences are copied from the State Department's 2023 Kazakhstan report
(../shared/reports/kz-2023-en.txt); the Russian ones are written like a report's translation.
The reports are made with the ORM inside each test's rolled-back transaction, next to the
shared archive, for a year of their own; searches are limited to that year unless they test
the archive's reports.
"""

import io
import re
import unicodedata

import pytest
import Stemmer
from django.core.management import call_command

from search import kazakh, snowball
from search.engine import search_results
from search.highlight import highlight, snippet
from search.indexing import analyzer_version, index_paragraphs, stale_paragraphs, tsvector_literal
from search.query import ParsedQuery, parse_query
from sections.models import Paragraph, Report, Section, Topic

EN_TORTURE_TITLE = (
    "c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, "
    "and Other Related Abuses"
)
EN_PRESS_TITLE = "a. Freedom of Expression, Including for Members of the Press and Other Media"
EN_TORTURED = (
    "Dyusenova reported she was tortured, forced to strip, filmed naked, and received threats "
    "against her family during interrogation before being released on bail."
)
EN_TORTURE_CASE = (
    "In December, an Almaty court sentenced 11 officers in a January 2022 torture case; seven "
    "of the former officers were sentenced to three to five years’ imprisonment on charges of "
    "torturing more than 40 people."
)
EN_LONG = (
    "According to media and official data, at least nine security service officers received "
    "prison sentences in connection with torture and abuse not leading to the death of "
    "civilians.  This included five former officers accused of torturing 23 victims with a hot "
    "clothing iron in Taldykorgan, and three officers accused of torturing Almaty resident "
    "Timur Radchenko.  Human rights activists and media articles stated that many victims of "
    "torture and abuse connected with the January 2022 events did not report their cases due "
    "to fear of persecution by the government."
)
EN_SELF_CENSORSHIP = (
    "Censorship or Content Restrictions for Members of the Press and Other Media, Including "
    "Online Media:  Journalists and media outlets exercised self-censorship to avoid pressure "
    "by the government."
)
EN_DEFAMATION = (
    "The law included penalties for conviction of defamatory remarks made in mass media or "
    "“information-communication networks,” including heavy fines and prison terms.  "
    "Journalists and human rights activists reported government officials used these "
    "provisions to restrict investigative journalism."
)
RU_TORTURE_TITLE = (
    "c. Пытки и другие жестокие, бесчеловечные или унижающие достоинство виды обращения и наказания"
)
RU_PRESS_TITLE = (
    "a. Свобода выражения мнений, в том числе для представителей прессы и других средств "
    "массовой информации"
)
RU_TORTURE = (
    "Правозащитники сообщили, что задержанных подвергали пыткам и жестокому обращению во время "
    "допросов, а жалобы на пытки не расследовались."
)
RU_PRESSURE = (
    "Журналисты сообщали о давлении со стороны властей и о преследовании за публикации о коррупции."
)
RU_DETAINED = (
    "По данным правозащитников, полиция задержала нескольких журналистов, освещавших мирные "
    "акции протеста."
)
RU_SMALL_BUSINESS = (
    "Представители малого и среднего бизнеса сообщали о давлении со стороны налоговых органов."
)
YEAR = 2020


def make_report(language: str, sections: dict[str, tuple[str, list[str]]]) -> Report:
    """A published KZ report in `language` with sections {code: (title, paragraphs)}, indexed
    the way the importer indexes."""
    report = Report.objects.create(
        country="KZ", year=YEAR, language=language, title=f"Kazakhstan {YEAR}", published=True
    )
    paragraphs = []
    for order, (code, (title, texts)) in enumerate(sections.items(), start=1):
        section = Section.objects.create(report=report, code=code, title=title, order=order)
        if code == "1c":
            section.topics.add(Topic.objects.get(slug="torture"))
        for text in texts:
            ordinal = len(paragraphs) + 1
            paragraphs.append(
                Paragraph(
                    report=report, section=section, ordinal=ordinal, number=ordinal, text=text
                )
            )
    Paragraph.objects.bulk_create(index_paragraphs(paragraphs))
    return report


@pytest.fixture
def reports(db):
    """An English and a Russian report beside the Kazakh archive."""
    english = make_report(
        "en",
        {
            "1c": (EN_TORTURE_TITLE, [EN_TORTURED, EN_TORTURE_CASE, EN_LONG]),
            "2a": (EN_PRESS_TITLE, [EN_SELF_CENSORSHIP, EN_DEFAMATION]),
        },
    )
    russian = make_report(
        "ru",
        {
            "1c": (RU_TORTURE_TITLE, [RU_TORTURE]),
            "2a": (RU_PRESS_TITLE, [RU_PRESSURE, RU_DETAINED, RU_SMALL_BUSINESS]),
        },
    )
    return {"en": english, "ru": russian}


def api(client, **params) -> dict:
    """The API's answer, for the test reports' year unless `year` is given ("" for any)."""
    response = client.get("/api/search", {"limit": 100, "year": YEAR, **params})
    assert response.status_code == 200
    return response.json()


def texts(body: dict, language: str | None = None) -> set[str]:
    return {
        hit["text"]
        for hit in body["results"]
        if language is None or hit["report"]["language"] == language
    }


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def keys(query: str) -> frozenset[str]:
    return parse_query(query).highlight_keys


def reading(query: str, language: str):
    """The query as `language` reads it, or None when that language has nothing to search."""
    return next((r for r in parse_query(query).readings if r.language == language), None)


# The analyzer (search/snowball.py), no database


def english_keys(text: str) -> list[str]:
    return [token.key for token in snowball.analyze(text, "en")]


def russian_keys(text: str) -> list[str]:
    return [token.key for token in snowball.analyze(text, "ru")]


def test_english_inflected_forms_share_one_stem():
    assert len(set(english_keys("tortured torture tortures torturing"))) == 1
    assert len(set(english_keys("journalists journalist Journalists"))) == 1


def test_russian_case_forms_share_one_stem():
    assert len(set(russian_keys("журналистов журналисты журналистам Журналист"))) == 1
    assert len(set(russian_keys("пытки пыткам пытками"))) == 1


def test_tokens_give_offsets_into_the_original_text():
    text = EN_TORTURE_CASE + " " + RU_PRESSURE
    tokens = snowball.analyze(text, "en")
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert [t.text for t in tokens][:3] == ["In", "December", "an"]


def test_offsets_stay_right_when_normalisation_changes_the_length():
    # "Café" with a combining accent (NFD) is one character longer than its NFC key.
    text = "The " + unicodedata.normalize("NFD", "Café") + " was closed."
    cafe = snowball.analyze(text, "en")[1]
    assert text[cafe.start : cafe.end] == unicodedata.normalize("NFD", "Café")
    assert cafe.key == "café"


def test_curly_and_straight_apostrophes_give_the_same_key():
    assert english_keys("General’s") == english_keys("General's") == ["general"]
    assert english_keys("years’") == english_keys("years")


def test_stopwords_have_no_key_but_keep_their_position():
    tokens = snowball.analyze("fear of persecution by the government", "en")
    assert [t.key for t in tokens] == ["fear", "", "persecut", "", "", "govern"]
    assert [t.position for t in tokens] == [0, 1, 2, 3, 4, 5]
    assert russian_keys("о давлении со стороны")[0::2] == ["", ""]


def test_words_that_are_also_names_stay_searchable():
    # "May" is a month, "US" a country, "WHO" an organisation.
    assert all(english_keys("May US WHO"))


def test_hyphenated_words_are_split_into_their_parts():
    assert english_keys("anti-corruption self-censorship") == [
        "anti",
        "corrupt",
        "self",
        "censorship",
    ]


def test_russian_yo_stress_marks_and_latin_look_alikes_are_normalised():
    assert russian_keys("ёлка") == russian_keys("елка")
    assert russian_keys("пы\u0301тки") == russian_keys("пытки")
    # A Latin "P" and "o" inside a Cyrillic word, as PDF text has them.
    assert russian_keys("Pоссия") == russian_keys("Россия")


def test_soft_hyphens_do_not_split_a_word():
    assert english_keys("journal\u00adists") == english_keys("journalists")


def test_numbers_are_kept_whole():
    assert english_keys("2022 11") == ["2022", "11"]


def test_a_language_without_a_stemmer_is_an_error():
    with pytest.raises(ValueError):
        snowball.analyze("text", "kk")


def test_the_analyzer_version_names_the_language_and_pystemmer_release():
    assert Stemmer.version() in snowball.ANALYZER_VERSION
    assert analyzer_version("en") != analyzer_version("ru") != analyzer_version("kk")


# Reading a query in every language, no database


def test_an_english_word_is_read_as_its_marked_stem():
    assert reading("tortured", "en").tsquery == "'en:tortur'"
    assert reading("журналистов", "ru").tsquery == "'ru:журналист'"


def test_a_kazakh_word_with_kazakh_letters_is_read_in_kazakh_alone():
    query = parse_query("бостандығы түрмеде")
    assert [r.language for r in query.readings] == ["kk"]
    assert query.tsquery == reading("бостандығы түрмеде", "kk").tsquery


def test_a_cyrillic_word_cannot_match_english_paragraphs():
    assert reading("журналистов", "en") is None
    assert reading("tortured журналистов", "en") is None
    assert reading("tortured OR журналистов", "en").tsquery == "'en:tortur'"


def test_an_english_stopword_is_not_required_in_english_paragraphs():
    assert reading("the torture", "en").tsquery == "'en:tortur'"


def test_an_english_phrase_keeps_the_distance_of_its_stopwords():
    assert reading('"fear of persecution"', "en").tsquery == "('en:fear' <2> 'en:persecut')"


def test_kazakh_stopwords_are_not_searched_in_russian_either():
    query = parse_query("және туралы")
    assert not query
    assert query.dropped_words == ("және", "туралы")


def test_an_excluded_word_is_excluded_in_every_language_that_reads_it():
    query = parse_query("journalists -activists")
    assert reading("journalists -activists", "en").tsquery == "'en:journalist' & !'en:activist'"
    assert "en:activist" not in query.highlight_keys


# Highlighting, no database


def test_every_english_form_of_a_query_word_is_marked():
    text = f"{EN_TORTURED} {EN_TORTURE_CASE}"
    assert marked(highlight(text, keys("tortured"), "en")) == ["tortured", "torture", "torturing"]


def test_every_russian_form_of_a_query_word_is_marked():
    text = f"{RU_TORTURE} {RU_DETAINED}"
    assert marked(highlight(text, keys("пытки журналисты"), "ru")) == [
        "пыткам",
        "пытки",
        "журналистов",
    ]


def test_kazakh_lexemes_mark_nothing_in_an_english_text():
    # "тортуред" is how the Kazakh analyzer reads Latin "tortured"; only en: lexemes mark.
    kazakh_only = {lexeme for lexeme in keys("tortured") if not lexeme.startswith("en:")}
    assert kazakh_only
    assert marked(highlight(EN_TORTURED, kazakh_only, "en")) == []


def test_a_long_english_snippet_is_cut_around_the_marked_words():
    html = snippet(EN_LONG, keys("persecution"), "en", width=120)
    assert html.startswith("… ")
    assert marked(html) == ["persecution"]


# Through the real search: API and page


def test_tortured_finds_torture_and_torturing_in_english_paragraphs(client, reports):
    body = api(client, q="tortured")
    assert texts(body, "en") == {EN_TORTURED, EN_TORTURE_CASE, EN_LONG}
    case = next(hit for hit in body["results"] if hit["text"] == EN_TORTURE_CASE)
    assert marked(case["snippet"]) == ["torture", "torturing"]


def test_journalists_genitive_finds_russian_journalists(client, reports):
    body = api(client, q="журналистов")
    assert texts(body, "ru") == {RU_PRESSURE, RU_DETAINED}
    pressure = next(hit for hit in body["results"] if hit["text"] == RU_PRESSURE)
    assert marked(pressure["snippet"]) == ["Журналисты"]
    assert body["facets"]["language"] == {"ru": 2}


def test_a_russian_word_finds_every_case_form(client, reports):
    body = api(client, q="пытки")
    assert texts(body, "ru") == {RU_TORTURE}
    assert marked(body["results"][0]["snippet"]) == ["пыткам", "пытки"]


def test_an_english_section_title_matches_with_title_weight(client, reports):
    body = api(client, q="cruel", language="en")
    # Only the title says "cruel": every paragraph of its section matches, none other.
    assert texts(body) == {EN_TORTURED, EN_TORTURE_CASE, EN_LONG}


def test_english_phrase_needs_the_words_at_their_printed_distance(client, reports):
    assert texts(api(client, q='"fear of persecution"')) == {EN_LONG}
    assert texts(api(client, q='"fear persecution"')) == set()


def test_russian_phrase_matches_other_case_forms_in_order(client, reports):
    # The title has "Свобода выражения", no body paragraph has the phrase.
    body = api(client, q='"свободу выражения"', language="ru")
    assert texts(body) == {RU_PRESSURE, RU_DETAINED, RU_SMALL_BUSINESS}
    assert texts(api(client, q='"выражения свободу"', language="ru")) == set()


def test_minus_leaves_out_english_and_russian_paragraphs(client, reports):
    assert texts(api(client, q="journalists -activists")) == {EN_SELF_CENSORSHIP}
    assert texts(api(client, q="журналистов -полиция")) == {RU_PRESSURE}


def test_the_language_filter_keeps_one_language_and_the_facet_shows_the_others(client, reports):
    query = "journalists OR журналистов"
    everything = api(client, q=query)
    assert everything["facets"]["language"] == {"en": 2, "ru": 2}
    english = api(client, q=query, language="en")
    assert texts(english) == {EN_SELF_CENSORSHIP, EN_DEFAMATION}
    assert english["total"] == 2
    # Multi-select facets: the language facet ignores the language filter.
    assert english["facets"]["language"] == {"en": 2, "ru": 2}
    assert texts(api(client, q=query, language="ru")) == {RU_PRESSURE, RU_DETAINED}
    assert api(client, q=query, language="kk")["total"] == 0


def test_topic_filter_finds_english_and_russian_sections_of_the_topic(client, reports):
    body = api(client, q="torture OR пытки", topic="torture", year=YEAR)
    assert texts(body) == {EN_TORTURED, EN_TORTURE_CASE, EN_LONG, RU_TORTURE}
    assert body["facets"]["topic"]["torture"] == 4


def test_a_kazakh_query_does_not_match_english_or_russian_paragraphs(client, reports):
    body = api(client, q="азаптау", year="")
    assert body["total"] > 0
    assert {hit["report"]["language"] for hit in body["results"]} == {"kk"}
    assert set(body["facets"]["language"]) == {"kk"}


def test_a_kazakh_key_equal_to_a_russian_stem_does_not_match_the_russian_paragraph(client, reports):
    # Kazakh «малға» (to the livestock) has the key "мал", the Russian stem of «малого»
    # (small): without the language marks it would find the paragraph on small businesses.
    assert snowball.analyze("малого", "ru")[0].key == "мал"
    assert RU_SMALL_BUSINESS not in texts(api(client, q="малға"))
    assert texts(api(client, q="малого")) == {RU_SMALL_BUSINESS}


@pytest.mark.parametrize(
    "query", ["азаптау", "azaptau", "сайлауға -референдумға", '"сөз бостандығы"', "турмелер"]
)
def test_kazakh_results_and_scores_are_those_of_the_kazakh_reading_alone(client, reports, query):
    kazakh_alone = ParsedQuery(query, readings=(reading(query, "kk"),))
    expected = search_results(kazakh_alone)
    body = api(client, q=query, year="")
    hits = expected.hits[:100]
    assert body["total"] == expected.total > 0
    assert [(hit["url"], hit["score"]) for hit in body["results"]] == [
        (p.get_absolute_url(), round(p.score / (1 + p.score), 4)) for p in hits
    ]


def test_search_page_marks_english_and_russian_hits_in_their_language(client, reports):
    html = client.get("/search/", {"q": "tortured OR журналистов", "year": YEAR}).content.decode()
    assert '<p class="hit__snippet" lang="en">' in html
    assert '<p class="hit__snippet" lang="ru">' in html
    for word in ("tortured", "torture", "torturing", "Журналисты", "журналистов"):
        assert f"<mark>{word}</mark>" in html


def test_search_page_shows_the_language_facet_with_links(client, reports):
    query = {"q": "journalists OR журналистов", "year": YEAR}
    html = client.get("/search/", query, headers={"accept-language": "en"}).content.decode()
    assert "language=en" in html
    assert "language=ru" in html
    filtered = client.get(
        "/search/", {**query, "language": "ru"}, headers={"accept-language": "en"}
    )
    page = filtered.content.decode()
    assert '<span aria-current="true" class="facet__label">Russian</span>' in page
    assert "<mark>Journalists</mark>" not in page


def test_the_shipped_english_report_is_searched_with_stemming(client, db):
    body = api(client, q="tortured", year=2023, language="en")
    assert body["total"] > 10
    # Paragraphs that never say "tortured" are found by "torture" or "torturing", marked.
    other_forms = [
        hit
        for hit in body["results"]
        if "tortur" in hit["text"].lower() and "tortured" not in hit["text"].lower()
    ]
    assert other_forms
    for hit in other_forms:
        marks = marked(hit["snippet"])
        assert marks
        assert all(mark.lower().startswith("tortur") for mark in marks)


# Keeping vectors current


def test_saving_an_english_paragraph_indexes_it_in_english(client, reports):
    paragraph = reports["en"].paragraphs.get(text=EN_TORTURED)
    paragraph.text = "Authorities detained the bloggers."
    paragraph.save()
    assert texts(api(client, q="blogger")) == {"Authorities detained the bloggers."}


def test_reindex_stale_rebuilds_english_paragraphs_indexed_by_the_kazakh_analyzer(client, reports):
    assert not stale_paragraphs().exists()
    # As English paragraphs were indexed before: by the Kazakh analyzer, with its version.
    english = list(reports["en"].paragraphs.select_related("section"))
    for paragraph in english:
        paragraph.search_vector = tsvector_literal(paragraph.section.title, paragraph.text, "kk")
        paragraph.analyzer_version = kazakh.ANALYZER_VERSION
    Paragraph.objects.bulk_update(english, ["search_vector", "analyzer_version"])
    assert set(stale_paragraphs()) == set(english)
    # The Kazakh analyzer does not stem English: only the form typed was found.
    assert texts(api(client, q="tortured")) == {EN_TORTURED}
    call_command("reindex", "--stale", stdout=io.StringIO())
    assert not stale_paragraphs().exists()
    assert texts(api(client, q="tortured")) == {EN_TORTURED, EN_TORTURE_CASE, EN_LONG}
