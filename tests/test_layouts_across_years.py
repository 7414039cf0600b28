"""Reports of different layouts side by side: topics, "other years" links and compare align a
section across layouts (2023's 1c is 2024's 3a), and say when the layouts differ.

The shared archive holds KZ 2021 and 2022 in Kazakh (seven sections) and KZ 2023 in English
(the 2023 numbering); the tests add a 2024 report in the three-section layout.
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from sections.ingest.service import ReportUpload
from sections.models import Report, Section
from tests.archive import ENGLISH_PATH

pytestmark = pytest.mark.django_db

REPORT_2024 = """Kazakhstan 2024 Human Rights Report

Executive Summary

There were no significant changes in the human rights situation during the year.

Section 1. Life

a. Extrajudicial Killings

There were no reports that the government committed extrajudicial killings.

Section 2. Liberty

a. Freedom of the Press

The constitution provided for freedom of the press, with restrictions.

b. Worker Rights

The law provided for the right of workers to form and join independent unions.

Section 3. Security of the Person

a. Torture and Cruel, Inhuman, or Degrading Treatment or Punishment

The law prohibited such practices, but there were reports that officials tortured detainees.

c. Protection to Refugees

The government cooperated with the UN High Commissioner for Refugees.

e. Transnational Repression

The government engaged in acts of transnational repression against critics abroad.
"""


@pytest.fixture
def report_2024():
    upload = ReportUpload(REPORT_2024.encode(), "kz-2024-en.txt", "KZ", 2024, "en")
    return upload.save().report


def section(report: Report, code: str) -> Section:
    return report.sections.get(code=code)


def test_the_english_fixture_is_stored_in_the_2023_layout_with_topics():
    report = Report.objects.get(country="KZ", year=2023, language="en")
    assert report.layout == "seven-sections-2023"
    assert report.title == "Kazakhstan 2023 Human Rights Report"
    topics = {s.code: sorted(t.slug for t in s.topics.all()) for s in report.sections.all()}
    assert topics["1c"] == ["torture"]
    assert topics["1f"] == ["transnational-repression"]
    assert topics["1g"] == ["property"]
    assert topics["1h"] == ["privacy"]
    assert topics["6-women"] == ["women"]


def test_dry_run_json_names_the_layout_and_each_sections_topics():
    out = StringIO()
    call_command(
        "import_report",
        str(ENGLISH_PATH),
        "--country=KZ",
        "--year=2023",
        "--language=en",
        "--dry-run",
        "--json",
        stdout=out,
        stderr=StringIO(),
    )
    outline = json.loads(out.getvalue())
    assert outline["layout"] == "seven-sections-2023"
    torture = next(s for s in outline["sections"] if s["code"] == "1c")
    assert torture["topics"] == ["torture"]
    assert torture["parent"] == "1"
    assert torture["paragraphs"] == 4
    assert all(s["topics"] for s in outline["sections"] if s["parent"])


def test_a_2024_report_is_stored_in_the_three_section_layout(report_2024):
    assert report_2024.layout == "three-sections"
    assert [t.slug for t in section(report_2024, "3a").topics.all()] == ["torture"]
    assert [t.slug for t in section(report_2024, "2b").topics.all()] == ["labour"]


def test_topic_page_lists_the_subject_in_every_year_and_layout(client, report_2024):
    html = client.get("/topics/torture/").content.decode()
    for url in ("/kz/2024/en/3a/", "/kz/2023/en/1c/", "/kz/2022/kk/1c/", "/kz/2021/kk/1c/"):
        assert f'href="{url}"' in html
    years = [int(y) for y in re.findall(r'id="y(\d{4})"', html)]
    assert years == sorted(years, reverse=True)


def test_topic_page_compares_each_year_with_the_one_before_across_layouts(client, report_2024):
    html = client.get("/topics/torture/").content.decode()
    assert 'href="/kz/compare/3a/?from=2023&amp;to=2024&amp;language=en"' in html


def test_section_page_links_the_same_subject_in_a_year_with_another_layout(client, report_2024):
    html = client.get("/kz/2023/en/1c/").content.decode()
    assert '<a rel="next" href="/kz/2024/en/3a/">' in html
    newer = client.get("/kz/2024/en/3a/").content.decode()
    assert '<a rel="prev" href="/kz/2023/en/1c/">' in newer


def test_a_code_that_means_another_subject_in_another_layout_is_not_linked(client, report_2024):
    # 2b is assembly in 2023 and worker rights in 2024.
    html = client.get("/kz/2023/en/2b/").content.decode()
    assert "/kz/2024/en/2b/" not in html
    labour = client.get("/kz/2024/en/2b/").content.decode()
    assert '<a rel="prev" href="/kz/2023/en/7/">' in labour


def test_compare_aligns_sections_across_layouts_and_says_so(client, report_2024):
    response = client.get("/kz/compare/3a/?from=2023&to=2024&language=en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="layout-note"' in html
    assert response.context["old"].code == "1c"
    assert response.context["new"].code == "3a"


def test_compare_within_one_layout_has_no_layout_note(client):
    response = client.get("/kz/compare/1c/?from=2021&to=2022&language=kk")
    assert response.status_code == 200
    assert 'id="layout-note"' not in response.content.decode()


def test_compare_from_the_older_code_finds_the_newer_years_section(client, report_2024):
    response = client.get("/kz/compare/1c/?from=2023&to=2024&language=en")
    assert response.status_code == 200
    assert (response.context["old"].code, response.context["new"].code) == ("1c", "3a")


def test_section_counterparts_come_one_per_report():
    seed_torture = Section.objects.get(report__year=2022, report__language="kk", code="1c")
    found = [(s.report.year, s.report.language, s.code) for s in seed_torture.counterparts()]
    assert found == [(2021, "kk", "1c"), (2023, "en", "1c")]
