"""Year-to-year compare: the diff module on its own, then the compare page on the archive.

In the archive, KZ 2021 is KZ 2022 without the first paragraph of 1c, with the fourth word
of the second paragraph of 2a changed and a paragraph added at the end of 7.
"""

import re

import pytest

from sections.compare import ADDED, CHANGED, REMOVED, SAME, compare_paragraphs, diff_words
from sections.models import Report
from tests.archive import ADDED_PARAGRAPH


@pytest.fixture(autouse=True)
def english_interface(client, settings):
    """The messages below are asserted in English; test_i18n covers the other languages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# The diff module


def joined(segments):
    return "".join(segment.text for segment in segments)


def test_identical_sections_compare_as_all_unchanged():
    paragraphs = [(1, "Бірінші абзац."), (2, "Екінші абзац.")]
    comparison = compare_paragraphs(paragraphs, paragraphs)
    assert [row.kind for row in comparison.rows] == [SAME, SAME]


def test_whitespace_differences_do_not_count_as_changes():
    comparison = compare_paragraphs([(1, "бір  екі\nүш")], [(7, "бір екі үш")])
    assert [row.kind for row in comparison.rows] == [SAME]


def test_a_changed_word_is_marked_removed_on_the_left_and_added_on_the_right():
    old, new = diff_words(
        "Полиция адамды ұрып соқты деп хабарлады", "Полиция адамды азаптады деп хабарлады"
    )
    assert [(s.op, s.text) for s in old] == [
        ("equal", "Полиция адамды "),
        ("delete", "ұрып соқты"),
        ("equal", " деп хабарлады"),
    ]
    assert [(s.op, s.text) for s in new] == [
        ("equal", "Полиция адамды "),
        ("insert", "азаптады"),
        ("equal", " деп хабарлады"),
    ]


def test_word_diff_segments_join_back_to_the_original_texts():
    before = "Бір  екі үш,\nтөрт бес."
    after = "Бір екі алты, төрт  бес жеті."
    old, new = diff_words(before, after)
    assert joined(old) == before
    assert joined(new) == after


def test_paragraphs_are_aligned_with_added_removed_and_changed_ones_in_reading_order():
    old = [
        (1, "Алғашқы абзац өзгермеген."),
        (2, "Бұл абзац алынып тасталды, себебі ескірген."),
        (3, "Үкімет заңға бірнеше өзгеріс енгізді және оны жариялады."),
        (4, "Соңғы абзац та өзгермеген."),
    ]
    new = [
        (1, "Алғашқы абзац өзгермеген."),
        (3, "Үкімет заңға көптеген өзгеріс енгізді және оны жариялады."),
        (9, "Мүлдем жаңа мәтін қосылды."),
        (4, "Соңғы абзац та өзгермеген."),
    ]
    rows = compare_paragraphs(old, new).rows
    assert [row.kind for row in rows] == [SAME, REMOVED, CHANGED, ADDED, SAME]
    changed = rows[2]
    assert (changed.old.number, changed.new.number) == (3, 3)
    assert [s.text for s in changed.old.segments if s.op == "delete"] == ["бірнеше"]
    assert [s.text for s in changed.new.segments if s.op == "insert"] == ["көптеген"]
    assert rows[1].new is None and rows[3].old is None


def test_unrelated_rewrites_are_shown_as_removed_and_added_not_as_one_change():
    rows = compare_paragraphs(
        [(1, "Сайлау ашық өтті деп мәлімделді.")], [(2, "Түрмелердегі жағдай ауыр болып қалды.")]
    ).rows
    assert [row.kind for row in rows] == [REMOVED, ADDED]


def test_summary_counts_each_kind_of_row():
    comparison = compare_paragraphs([(1, "a b c"), (2, "d e f")], [(1, "a b c"), (3, "x y z")])
    assert comparison.summary == {SAME: 1, CHANGED: 0, ADDED: 1, REMOVED: 1}


# The compare page


def diff_rows(html):
    return re.findall(r'<tr class="diff-row diff-(\w+)">', html)


@pytest.mark.django_db
def test_compare_page_marks_the_changed_word_in_both_years(client):
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    paragraph = report.paragraphs.filter(section__code="2a").order_by("ordinal")[1]
    original_word = paragraph.text.split(" ")[3]
    response = client.get("/kz/compare/2a/?from=2021&to=2022")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>өзгертілген</del>" in html
    assert f"<ins>{original_word}</ins>" in html
    assert diff_rows(html).count("changed") == 1
    assert set(diff_rows(html)) == {"same", "changed"}


@pytest.mark.django_db
def test_compare_page_shows_a_paragraph_added_and_one_removed(client):
    html = client.get("/kz/compare/1c/?from=2021&to=2022").content.decode()
    assert diff_rows(html)[0] == "added"
    assert "removed" not in diff_rows(html)
    html = client.get("/kz/compare/7/?from=2021&to=2022").content.decode()
    assert diff_rows(html).count("removed") == 1
    assert f"<del>{ADDED_PARAGRAPH}</del>" in html


@pytest.mark.django_db
def test_compare_page_puts_the_years_side_by_side_linking_each_paragraph(client):
    html = client.get("/kz/compare/2a/?from=2021&to=2022").content.decode()
    assert re.search(
        r'<th scope="col"><a href="/kz/2021/kk/2a/">2021</a></th>\s*'
        r'<th scope="col"><a href="/kz/2022/kk/2a/">2022</a></th>',
        html,
    )
    assert re.search(r'<a class="anchor" href="/kz/2022/kk/2a/#p\d+"', html)


@pytest.mark.django_db
def test_compare_page_offers_a_form_to_pick_the_years(client):
    html = client.get("/kz/compare/2a/?from=2021&to=2022").content.decode()
    form = re.search(
        r'<form class="compare-form" method="get" action="/kz/compare/2a/".*?</form>', html, re.S
    )
    assert form
    assert re.search(r'<label for="id_from">[^<]+</label>', form.group(0))
    assert re.search(r'<select name="from"[^>]*id="id_from"', form.group(0))
    assert '<option value="2021" selected>2021</option>' in form.group(0)
    assert '<option value="2022" selected>2022</option>' in form.group(0)


@pytest.mark.django_db
def test_compare_page_can_leave_out_unchanged_paragraphs(client):
    html = client.get("/kz/compare/2a/?from=2021&to=2022&changes=on").content.decode()
    assert diff_rows(html) == ["changed"]
    assert re.search(r"\b3\d unchanged", html)
    assert '<input type="checkbox" name="changes" id="id_changes" checked>' in html


@pytest.mark.django_db
def test_compare_page_without_years_compares_the_two_latest(client):
    html = client.get("/kz/compare/2a/").content.decode()
    assert "<del>өзгертілген</del>" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("?from=2022&to=2022", 400, "Pick two different years to compare."),
        ("?from=last&to=2022", 400, "There is no report for “last”"),
        ("?from=2019&to=2022", 404, "There is no report for “2019”"),
        ("?from=2021&to=1700", 404, "There is no report for “1700”"),
        ("?from=2021&to=", 400, "Pick a year."),
    ],
)
def test_bad_years_get_a_clear_message_on_the_compare_page(client, query, status, says):
    response = client.get(f"/kz/compare/1c/{query}")
    assert response.status_code == status
    html = response.content.decode()
    assert says in html
    assert '<form class="compare-form"' in html
    assert 'class="diff"' not in html


@pytest.mark.django_db
def test_compare_for_an_unknown_section_or_country_is_a_helpful_404(client):
    for url in ("/kz/compare/9z/?from=2021&to=2022", "/zz/compare/1c/"):
        response = client.get(url)
        assert response.status_code == 404
        assert 'name="q"' in response.content.decode()


@pytest.mark.django_db
def test_compare_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/kz/compare/1/?from=2021&to=2022")
    assert response.status_code == 200
    assert len(diff_rows(response.content.decode())) > 50
