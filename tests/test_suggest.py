"""Term statistics, "did you mean" and the kk/en/ru glossary, against the shared test archive
(KZ 2022 kk seed, KZ 2021 kk, KZ 2023 en) in real PostgreSQL.

The shared archive is loaded without term statistics, so each test that needs them counts
them first inside its own transaction (the `terms` fixture), and the rollback leaves the
committed archive as other test files expect it.
"""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import glossary, kazakh, vocabulary
from search.models import ReportVocabulary, Term, TermForm, TermVariant
from sections.models import Paragraph, Report


@pytest.fixture
def terms(db):
    vocabulary.rebuild_terms()


def matching(lexeme: str, title_too: bool = True) -> int:
    """Published paragraphs whose vector holds `lexeme`, counted by PostgreSQL itself."""
    vector = "search_vector" if title_too else "ts_filter(search_vector, '{d}')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM sections_paragraph p JOIN sections_report r "
            f"ON r.id = p.report_id WHERE r.published AND {vector} @@ %s::tsquery",
            [vocabulary_quote(lexeme)],
        )
        return cursor.fetchone()[0]


def vocabulary_quote(lexeme: str) -> str:
    from search.indexing import quote_lexeme

    return quote_lexeme(lexeme)


def snapshot() -> dict:
    return {
        "terms": set(Term.objects.values_list("lexeme", "df", "text_df", "surface")),
        "forms": set(TermForm.objects.values_list("lexeme", "form", "count")),
        "variants": set(TermVariant.objects.values_list("language", "variant", "lexeme")),
        "total": vocabulary.total_paragraphs(),
    }


# -- statistics -----------------------------------------------------------------------------


def test_counts_are_the_index_own(terms):
    key = kazakh.key("азаптау")
    for lexeme in (key, "en:tortur", "~" + kazakh.fold(kazakh.key("қамауда"))):
        term = Term.objects.get(lexeme=lexeme)
        assert term.df == matching(lexeme) > 0
        assert term.text_df == matching(lexeme, title_too=False)
    published = Paragraph.objects.filter(report__published=True).count()
    assert vocabulary.total_paragraphs() == published
    frequencies = vocabulary.document_frequencies([key, "en:tortur", "no-such-lexeme"])
    assert frequencies == {
        key: matching(key),
        "en:tortur": matching("en:tortur"),
        "no-such-lexeme": 0,
    }
    assert vocabulary.document_frequencies([key], text_only=True)[key] == matching(key, False)


def test_surface_is_a_printed_word_of_the_lexeme(terms):
    torture = Term.objects.get(lexeme=kazakh.key("азаптау"))
    assert torture.surface.lower() != torture.key
    assert kazakh.key(torture.surface) == torture.key
    assert Paragraph.objects.filter(text__icontains=torture.surface).exists()
    assert Term.objects.get(lexeme="en:tortur").surface.lower() == "torture"
    assert Term.objects.get(lexeme="en:tortur").language == "en"
    # Names keep their capital letter: the most frequent case of the most frequent word.
    assert Term.objects.get(lexeme="en:kazakhstan").surface == "Kazakhstan"


def test_refresh_follows_unpublish_republish_reimport_and_delete(terms):
    from tests.archive import previous_year_parsed

    built = snapshot()
    report = Report.objects.get(country="KZ", year=2021, language="kk")
    key = kazakh.key("азаптау")
    before = Term.objects.get(lexeme=key).df

    Report.objects.filter(pk=report.pk).update(published=False)
    vocabulary.refresh_report_terms(report)
    assert Term.objects.get(lexeme=key).df == matching(key) < before
    assert vocabulary.total_paragraphs() == Paragraph.objects.filter(report__published=True).count()

    Report.objects.filter(pk=report.pk).update(published=True)
    vocabulary.refresh_report_terms(report.pk)
    assert snapshot() == built

    # A re-import with one new paragraph: the new word is counted, nothing else moves.
    from sections.ingest.service import ReportUpload

    parsed = previous_year_parsed()
    parsed.sections[-1].paragraphs.append("Зерттеушілер кварцтың құрамын талдады.")
    ReportUpload(b"", "kz-2021-kk.txt", "KZ", 2021, "kk").save(parsed)
    vocabulary.refresh_report_terms(report.pk)
    quartz = kazakh.key("кварцтың")
    assert vocabulary.document_frequencies([quartz])[quartz] == matching(quartz) == 1
    refreshed = snapshot()
    vocabulary.rebuild_terms()
    assert snapshot() == refreshed

    report_id = report.pk
    Report.objects.filter(pk=report_id).delete()
    vocabulary.refresh_report_terms(report_id)
    assert not ReportVocabulary.objects.filter(report_id=report_id).exists()
    assert vocabulary.document_frequencies([quartz])[quartz] == 0
    after_delete = snapshot()
    vocabulary.rebuild_terms()
    assert snapshot() == after_delete


def test_unchanged_report_writes_no_term_rows(terms):
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    with CaptureQueriesContext(connection) as queries:
        vocabulary.refresh_report_terms(report)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
        # The report's own bookkeeping: what was counted, and taking it off the stale list.
        and "search_reportvocabulary" not in q["sql"]
        and "search_stalereport" not in q["sql"]
    ]
    assert writes == []


def test_sync_finds_changed_and_deleted_reports(terms):
    assert vocabulary.sync_terms() == 0
    report = Report.objects.get(country="KZ", year=2023, language="en")
    Report.objects.filter(pk=report.pk).update(published=False)
    assert vocabulary.sync_terms() == 1
    assert vocabulary.document_frequencies(["en:tortur"])["en:tortur"] == 0
    assert vocabulary.sync_terms() == 0


# -- did you mean ---------------------------------------------------------------------------


def test_kazakh_typo_transposed_letters(terms):
    suggestion = vocabulary.suggest("азаптуа")
    assert suggestion is not None
    assert suggestion.key == kazakh.key("азаптау")
    # A printed form of the word (азаптау, or whichever inflection is closest and common).
    assert kazakh.key(suggestion.replacement) == kazakh.key("азаптау")
    assert suggestion.replacement.startswith("азапта")
    assert suggestion.frequency == matching(suggestion.lexeme) > 0
    assert suggestion.word_frequency == 0
    assert 1 <= suggestion.distance <= 2
    assert suggestion.language == "kk"


def test_kazakh_typo_missing_letter(terms):
    suggestion = vocabulary.suggest("журналистрге")
    assert suggestion is not None
    assert suggestion.key == kazakh.key("журналистерге")
    assert suggestion.replacement.startswith("журналист")
    assert suggestion.frequency > 0


def test_english_typo(terms):
    suggestion = vocabulary.suggest("tortre")
    assert suggestion is not None
    assert (suggestion.replacement, suggestion.lexeme, suggestion.distance) == (
        "torture",
        "en:tortur",
        1,
    )
    assert vocabulary.suggest("tortre", language="en") == suggestion


def test_typed_without_kazakh_letters(terms):
    # босқындар typed on a Russian keyboard and misspelt: the folded key is compared.
    suggestion = vocabulary.suggest("боскындр")
    assert suggestion is not None
    assert suggestion.replacement == "босқындар"
    # Folded but correct: it matches through the ~ lexemes, nothing to correct.
    assert vocabulary.suggest("боскындар") is None


def test_words_that_match_get_no_suggestion(terms):
    for word in ("азаптау", "журналистерге", "torture", "Қазақстан", "саяси"):
        assert vocabulary.suggest(word) is None, word
    # Stopwords, numbers and empty input are not corrected.
    for word in ("және", "the", "2022", "", "   ", "!!"):
        assert vocabulary.suggest(word) is None, word


def test_correct_rare_words_get_no_suggestion(terms):
    # Rare words of the archive, some one letter from common ones (отыз/отыр, баспа/басқа,
    # better/бере): none is "corrected".
    rare = list(
        Term.objects.filter(folded=False, df__lte=2)
        .exclude(surface="")
        .order_by("lexeme")
        .values_list("surface", flat=True)
    )
    assert len(rare) > 500
    assert [word for word in rare if vocabulary.suggest(word.lower())] == []
    for word in ("отыз", "баспа", "better"):
        assert Term.objects.filter(surface__iexact=word).exists()
        assert vocabulary.suggest(word) is None


def test_nothing_close_gives_nothing(terms):
    assert vocabulary.suggest("қжщзхъ") is None
    assert vocabulary.suggest("xylophonist") is None


def test_suggest_query_keeps_the_syntax(terms):
    text = 'азаптуа "журналистрге қысым" -tortre журналистрге OR tortre, саяси'
    corrected, replaced = vocabulary.suggest_query(text)
    torture_kk = vocabulary.suggest("азаптуа").replacement
    journalists = vocabulary.suggest("журналистрге").replacement
    assert corrected == (
        f'{torture_kk} "журналистрге қысым" -tortre {journalists} OR torture, саяси'
    )
    assert replaced == [
        ("азаптуа", torture_kk),
        ("журналистрге", journalists),
        ("tortre", "torture"),
    ]
    assert vocabulary.suggest_query("азаптау саяси") == ("азаптау саяси", [])
    assert vocabulary.suggest_query("") == ("", [])


def test_suggestions_are_index_lookups(terms):
    """One suggestion is a few index lookups: no plan scans the vocabulary (the planner
    would pick a scan on a table this small, so scans are switched off to show an index
    serves each query), and each suggestion takes milliseconds here."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', '0.3', true)")
        cursor.execute(
            "EXPLAIN SELECT t.lexeme FROM search_termvariant v JOIN search_term t "
            "ON t.lexeme = v.lexeme WHERE v.language = 'kk' AND v.variant = ANY(%s)",
            [sorted(vocabulary.deletions("азаптуа"))],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "term_variant_unique" in plan and "Seq Scan" not in plan
        cursor.execute(
            "EXPLAIN SELECT lexeme FROM search_term WHERE language = 'kk' AND folded = false "
            "AND fuzzy % 'журналистр' AND levenshtein_less_equal(key, 'журналистр', 3) <= 3"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "term_fuzzy_trgm_kk" in plan and "Seq Scan" not in plan
        cursor.execute("SET LOCAL enable_seqscan = on")
    for word in ("азаптуа", "журналистрге", "tortre", "боскындр"):
        vocabulary.suggest(word)
        started = time.perf_counter()
        assert vocabulary.suggest(word) is not None
        assert time.perf_counter() - started < 0.1, word


# -- glossary -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("torture", "en", ["азаптау"]),
        ("tortured", "en", ["азаптау"]),
        ("Torture", "en", ["азаптау"]),
        ("пытки", "ru", ["азаптау"]),
        ("refugees", "en", ["босқындар"]),
        ("refugee", "en", ["босқындар"]),
        ("беженцев", "ru", ["босқындар"]),
        ("corruption", "en", ["сыбайлас жемқорлық"]),
        ("коррупция", "ru", ["сыбайлас жемқорлық"]),
        ("коррупции", "ru", ["сыбайлас жемқорлық"]),
        ("women", "en", ["әйелдер"]),
        ("женщины", "ru", ["әйелдер"]),
        ("женщин", "ru", ["әйелдер"]),
        ("children", "en", ["балалар"]),
        ("детей", "ru", ["балалар"]),
        ("elections", "en", ["сайлау"]),
        ("выборы", "ru", ["сайлау"]),
        ("discrimination", "en", ["кемсіту"]),
        ("forced labour", "en", ["мәжбүрлі еңбек"]),
        ("political prisoners", "en", ["саяси тұтқындар"]),
        ("conditions", "en", ["жағдай"]),
        ("trafficking", "en", ["адам саудасы"]),
    ],
)
def test_glossary_maps_to_kazakh_titles(word, language, expected):
    assert glossary.kazakh_terms(word, language) == expected


def test_glossary_guesses_nothing():
    # The titles never name journalists ("Members of the Press"); prisoners is ambiguous
    # between political prisoners and prison conditions; Kazakh needs no glossary.
    assert glossary.kazakh_terms("journalists", "en") == []
    assert glossary.kazakh_terms("журналисты", "ru") == []
    assert glossary.kazakh_terms("prisoners", "en") == []
    assert glossary.kazakh_terms("the", "en") == []
    assert glossary.kazakh_terms("азаптау", "kk") == []
    assert glossary.kazakh_terms("", "en") == []


def test_glossary_terms_find_kazakh_paragraphs(terms):
    # Every term the glossary gives for a topic is a word of the Kazakh archive.
    for word in ("torture", "refugees", "corruption", "women", "children", "elections"):
        (term,) = glossary.kazakh_terms(word, "en")
        keys = [t.key for t in kazakh.analyze(term) if t.key]
        assert all(vocabulary.document_frequencies([k])[k] > 0 for k in keys), term


def test_language_of():
    assert glossary.language_of("torture") == "en"
    assert glossary.language_of("пытки") == "ru"
    assert glossary.language_of("азаптау") == "kk"
    assert glossary.language_of("қамау") == "kk"
    assert glossary.language_of("журналист") is None
    assert glossary.language_of("") is None
    assert glossary.language_of("2022") is None
