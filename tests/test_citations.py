"""Citations: a report's publisher, original and publication date (fields the admin edits, filled
in for the shipped reports), and the citation of a paragraph or a section as plain text and as
BibTeX, RIS and CSL-JSON, each read back by a maintained parser."""

import datetime

import lxml.html
import pytest
from django.core.management import call_command

from sections.models import Report
from sections.shipped import METADATA_FIELDS

pytestmark = pytest.mark.django_db

PUBLISHER = "U.S. Department of State, Bureau of Democracy, Human Rights, and Labor"
ORIGINAL_2022 = "2022 Country Reports on Human Rights Practices: Kazakhstan"
URL_2022 = (
    "https://www.state.gov/reports/2022-country-reports-on-human-rights-practices/kazakhstan/"
)


def report(year: int) -> Report:
    return Report.objects.get(country="KZ", year=year)


def blank_metadata(target: Report) -> None:
    Report.objects.filter(pk=target.pk).update(
        publisher="",
        original_title="",
        original_url="",
        publication_date=None,
        is_translation=False,
        original_language="",
    )


# Report metadata


def test_the_shipped_kazakh_report_is_described_as_a_translation_of_the_english_original():
    kazakh = report(2022)
    assert kazakh.publisher == PUBLISHER
    assert kazakh.original_title == ORIGINAL_2022
    assert kazakh.original_url == URL_2022
    assert kazakh.publication_date == datetime.date(2023, 3, 20)
    assert kazakh.is_translation and kazakh.original_language == "en"
    english = report(2023)
    assert english.publication_date == datetime.date(2024, 4, 22)
    assert not english.is_translation and english.original_language == ""
    assert english.original_url == URL_2022.replace("2022", "2023")


def test_loading_the_shipped_reports_fills_in_reports_already_loaded_without_metadata():
    blank_metadata(report(2022))
    call_command("load_shipped_reports")
    kazakh = report(2022)
    assert kazakh.publisher == PUBLISHER
    assert kazakh.publication_date == datetime.date(2023, 3, 20)
    assert kazakh.is_translation and kazakh.original_language == "en"


def test_loading_the_shipped_reports_keeps_what_an_admin_wrote():
    Report.objects.filter(year=2023).update(publisher="Edited by an admin", original_url="")
    call_command("load_shipped_reports")
    english = report(2023)
    assert english.publisher == "Edited by an admin"
    assert english.original_url == ""


def test_a_report_without_shipped_metadata_stays_blank():
    call_command("load_shipped_reports")
    made_up = report(2021)
    assert all(getattr(made_up, name) == getattr(Report(), name) for name in METADATA_FIELDS), (
        "the 2021 test report is no shipped file"
    )


def change_form(admin_client, target: Report):
    url = f"/admin/sections/report/{target.pk}/change/"
    page = lxml.html.fromstring(admin_client.get(url).content)
    form = page.xpath("//form[@id='report_form']")[0]
    return url, dict(form.form_values())


def test_the_admin_edits_a_reports_publisher_original_and_date(admin_client):
    target = report(2021)
    url, data = change_form(admin_client, target)
    for name in METADATA_FIELDS:
        assert f'name="{name}"' in admin_client.get(url).content.decode(), name
    data.update(
        publisher="Publisher of 2021",
        original_title="2021 Country Reports on Human Rights Practices: Kazakhstan",
        original_url="https://www.state.gov/reports/2021-country-reports/kazakhstan/",
        publication_date="2022-04-12",
        is_translation="on",
        original_language="en",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    edited = report(2021)
    assert edited.publisher == "Publisher of 2021"
    assert edited.publication_date == datetime.date(2022, 4, 12)
    assert edited.is_translation and edited.original_language == "en"


def test_the_admin_says_a_report_cannot_be_translated_from_its_own_language(admin_client):
    admin_client.cookies["django_language"] = "en"
    target = report(2021)
    url, data = change_form(admin_client, target)
    data.update(is_translation="on", original_language="kk")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A translation is from another language than its own." in response.content.decode()
    assert not report(2021).is_translation
