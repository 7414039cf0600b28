"""A one-word search is counted from the term statistics by year and topic (TermYear), and
those counts equal what reading the matches gives, through every change to the archive."""

import pytest
from django.core.cache import cache
from django.db import connection
from django_tasks_db.models import DBTaskResult

from search import vocabulary
from search.counting import MatchCounter, statistics_counts
from search.filters import SearchFilters
from search.models import StaleReport, TermYear
from search.query import parse_query
from search.ranking import lexeme_frequencies
from search.vocabulary import refresh_report_terms, sync_terms
from sections.models import Paragraph, Report, Section, Topic

pytestmark = pytest.mark.django_db

# The paragraph inline's management form: no paragraph rows sent, none changed.
NO_INLINE_CHANGES = {
    "paragraphs-TOTAL_FORMS": "0",
    "paragraphs-INITIAL_FORMS": "0",
    "paragraphs-MIN_NUM_FORMS": "0",
    "paragraphs-MAX_NUM_FORMS": "1000",
}
# The key of "кварцтар", a word of no report.
QUARTZ_LEXEME = "'кварц':1"
WORDS = ("азаптау", "адам", "журналист", "сот", "torture", "journalists", "2022")
FILTERS = (
    SearchFilters(),
    SearchFilters(year_from=2022, year_to=2022),
    SearchFilters(year_from=2021),
    SearchFilters(year_to=2022, language="kk"),
    SearchFilters(topic="torture"),
    SearchFilters(topic="press-freedom", year_from=2022, language="kk"),
    SearchFilters(language="en"),
)


def from_statistics(word: str, filters: SearchFilters):
    parsed = parse_query(word)
    return statistics_counts(parsed, filters, lexeme_frequencies(parsed))


def from_matches(word: str, filters: SearchFilters):
    parsed = parse_query(word)
    return MatchCounter(parsed.tsquery, parsed.exact_forms, filters)._exact()


def facets(counts) -> tuple:
    return (counts.total, counts.year_counts, counts.topic_counts, counts.language_counts)


def assert_statistics_agree_with_the_matches():
    for word in WORDS:
        for filters in FILTERS:
            counted = from_statistics(word, filters)
            assert counted is not None, (word, filters)
            assert facets(counted) == facets(from_matches(word, filters)), (word, filters)
            assert not counted.sampled and not counted.approximate


def test_the_statistics_give_the_counts_and_facets_that_reading_the_matches_gives():
    assert TermYear.objects.exists() and not StaleReport.objects.exists()
    assert_statistics_agree_with_the_matches()
    # The words do match something in every language and year, so the check means something.
    assert from_statistics("азаптау", SearchFilters()).year_counts.keys() == {2021, 2022}
    assert from_statistics("torture", SearchFilters()).total > 0


def test_queries_the_statistics_cannot_answer_are_left_to_the_matches():
    for query in ("азаптау сот", '"адам құқықтары"', "азаптау -сот", "азаптау OR сот", "=азаптау"):
        parsed = parse_query(query)
        assert statistics_counts(parsed, SearchFilters(), lexeme_frequencies(parsed)) is None
    for filters in (SearchFilters(country="KZ"), SearchFilters(section="1c")):
        assert from_statistics("азаптау", filters) is None


def test_unpublishing_and_deleting_through_a_refresh_keep_the_statistics_exact():
    report = Report.objects.get(year=2021)
    report.published = False
    report.save()
    refresh_report_terms(report)
    assert_statistics_agree_with_the_matches()
    assert 2021 not in from_statistics("азаптау", SearchFilters()).year_counts
    report.published = True
    report.save()
    refresh_report_terms(report)
    assert_statistics_agree_with_the_matches()
    english = Report.objects.get(language="en")
    english_id = english.pk
    english.delete()
    refresh_report_terms(english_id)
    assert_statistics_agree_with_the_matches()
    assert from_statistics("torture", SearchFilters()).total == 0


def add_a_word_behind_the_statistics_back(report_id: int) -> None:
    """Write a new word into a section's paragraph vectors in SQL: only the trigger sees it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Paragraph._meta.db_table} SET search_vector = search_vector || %s::tsvector"
            " WHERE report_id = %s AND section_id IN"
            " (SELECT id FROM sections_section WHERE code = '1c')",
            [QUARTZ_LEXEME, report_id],
        )


def test_a_change_behind_the_statistics_back_is_read_from_the_matches_until_counted_again():
    report = Report.objects.get(year=2021)
    add_a_word_behind_the_statistics_back(report.pk)
    assert set(StaleReport.objects.values_list("report_id", flat=True)) == {report.pk}
    assert from_statistics("кварцтар", SearchFilters()) is None
    sync_terms()
    assert not StaleReport.objects.exists()
    assert_statistics_agree_with_the_matches()
    quartz = from_statistics("кварцтар", SearchFilters())
    assert quartz.total == from_matches("кварцтар", SearchFilters()).total > 0


def test_a_paragraph_moved_to_another_report_marks_both_reports():
    moved = Paragraph.objects.filter(report__year=2022).order_by("ordinal").first()
    left, joined = moved.report_id, Report.objects.get(year=2021).pk
    Paragraph.objects.filter(pk=moved.pk).update(report_id=joined, ordinal=10**6, number=10**6)
    assert set(StaleReport.objects.values_list("report_id", flat=True)) == {left, joined}
    sync_terms()
    assert_statistics_agree_with_the_matches()


def test_truncating_the_paragraphs_marks_every_counted_report():
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Paragraph._meta.db_table} CASCADE")
    assert set(StaleReport.objects.values_list("report_id", flat=True)) == set(
        Report.objects.values_list("pk", flat=True)
    )
    assert from_statistics("азаптау", SearchFilters()) is None


def test_a_mark_made_while_a_refresh_counts_stays(monkeypatch):
    report = Report.objects.get(year=2022, language="kk")
    count_topics = vocabulary._topic_contribution

    def written_meanwhile(report_id):
        # A write to the report's paragraphs after the refresh read its stale mark.
        add_a_word_behind_the_statistics_back(report_id)
        return count_topics(report_id)

    monkeypatch.setattr(vocabulary, "_topic_contribution", written_meanwhile)
    refresh_report_terms(report)
    assert StaleReport.objects.filter(report_id=report.pk).exists()
    monkeypatch.undo()
    refresh_report_terms(report)
    assert not StaleReport.objects.exists()
    assert_statistics_agree_with_the_matches()


def test_a_stale_report_queues_one_recount_that_counts_it_again(
    django_capture_on_commit_callbacks,
):
    cache.delete("search:stale-recount-queued")
    add_a_word_behind_the_statistics_back(Report.objects.get(year=2021).pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert from_statistics("азаптау", SearchFilters()) is None
        assert from_statistics("сот", SearchFilters()) is None
    queued = DBTaskResult.objects.filter(task_path__endswith="recount_stale_reports")
    assert queued.count() == 1
    assert vocabulary.recount_stale_reports.func() == 1
    assert not StaleReport.objects.exists()
    assert_statistics_agree_with_the_matches()


def test_a_sections_new_title_is_counted_again_at_once():
    section = Section.objects.get(report__year=2022, code="1c")
    section.title = "Азаптау және кварцтар"
    section.save()
    assert not StaleReport.objects.exists()
    assert_statistics_agree_with_the_matches()
    quartz = from_statistics("кварцтар", SearchFilters())
    held = section.paragraphs.count()
    assert quartz.total == from_matches("кварцтар", SearchFilters()).total == held


def test_a_sections_new_topic_given_in_the_admin_is_counted_again_at_once(admin_client):
    section = Section.objects.get(report__year=2022, code="1c")
    labour = Topic.objects.get(slug="labour")
    topics = [*section.topics.values_list("pk", flat=True), labour.pk]
    assert labour.pk not in topics[:-1]
    response = admin_client.post(
        f"/admin/sections/section/{section.pk}/change/",
        {"title": section.title, "topics": topics, **NO_INLINE_CHANGES},
    )
    assert response.status_code == 302, response.content[:2000]
    assert labour in section.topics.all()
    assert not StaleReport.objects.exists()
    assert_statistics_agree_with_the_matches()
    with_labour = from_statistics("азаптау", SearchFilters(topic="labour"))
    assert with_labour.total == from_matches("азаптау", SearchFilters(topic="labour")).total > 0
