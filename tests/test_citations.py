"""Citations: a report's publisher, original and publication date (fields the admin edits, filled
in for the shipped reports), and the citation of a paragraph or a section as plain text and as
BibTeX, RIS and CSL-JSON, each read back by a maintained parser."""

import datetime
import io
import json
import re

import bibtexparser
import lxml.html
import pytest
import rispy
from citeproc import Citation as CiteprocCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.core.management import call_command
from django.urls import set_script_prefix

from sections import shipped
from sections.models import Paragraph, Report, RetiredAnchor, Section
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
    out, err = io.StringIO(), io.StringIO()
    call_command("load_shipped_reports", stdout=out, stderr=err)
    kazakh = report(2022)
    assert kazakh.publisher == PUBLISHER
    assert kazakh.publication_date == datetime.date(2023, 3, 20)
    assert kazakh.is_translation and kazakh.original_language == "en"
    assert out.getvalue().splitlines() == [
        "kz-2022-kk.txt: already loaded",
        "kz-2022-kk.txt: publisher, original and publication date filled in",
        "kz-2023-en.txt: already loaded",
    ]
    assert err.getvalue() == ""


def test_loading_the_shipped_reports_says_nothing_at_verbosity_0():
    blank_metadata(report(2022))
    out, err = io.StringIO(), io.StringIO()
    call_command("load_shipped_reports", verbosity=0, stdout=out, stderr=err)
    assert report(2022).publisher == PUBLISHER
    assert out.getvalue() == err.getvalue() == ""


def test_loading_the_shipped_reports_keeps_what_an_admin_wrote():
    Report.objects.filter(year=2023).update(publisher="Edited by an admin", original_url="")
    call_command("load_shipped_reports")
    english = report(2023)
    assert english.publisher == "Edited by an admin"
    assert english.original_url == ""


def test_the_shipped_metadata_file_is_read_once_for_every_file(tmp_path, monkeypatch):
    table = tmp_path / "reports.json"
    table.write_text(json.dumps({"a.txt": {"publisher": "A"}, "b.txt": {"publisher": "B"}}))
    monkeypatch.setattr(shipped, "METADATA_PATH", table)
    assert shipped.shipped_metadata("a.txt") == {"publisher": "A"}
    table.unlink()  # what follows comes from the one reading
    assert shipped.shipped_metadata("b.txt") == {"publisher": "B"}
    assert shipped.shipped_metadata("c.txt") is None


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


# Citations


def first_paragraph(year: int, code: str):
    return Paragraph.objects.filter(report__year=year, section__code=code).order_by("ordinal")[0]


def cite_url(paragraph) -> str:
    return f"/kz/{paragraph.report.year}/{paragraph.report.language}/p/{paragraph.number}/cite/"


def permalink(paragraph) -> str:
    return f"http://testserver/kz/{paragraph.report.year}/{paragraph.report.language}/p/{paragraph.number}/"


def textarea(html: bytes, box_id: str) -> str:
    return lxml.html.fromstring(html).get_element_by_id(box_id).text_content()


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_plain_citation_names_publisher_title_language_translation_section_and_access_date(
    english,
):
    paragraph = first_paragraph(2022, "1c")
    text = textarea(english.get(cite_url(paragraph)).content, "citation")
    assert text.startswith(PUBLISHER + ". " + report(2022).title + " (2022; ")
    assert "Kazakh, translated from English" in text
    assert f"section 1c “{paragraph.section.title}”, paragraph {paragraph.number}." in text
    assert text.endswith(f". Accessed {datetime.date.today().isoformat()}. {permalink(paragraph)}")


def test_an_original_without_a_publisher_is_cited_without_one(english):
    paragraph = first_paragraph(2021, "1c")
    text = textarea(english.get(cite_url(paragraph)).content, "citation")
    assert text.startswith(report(2021).title + " (2021; Kazakh), section 1c")
    assert "translated" not in text


def download_links(html: bytes) -> dict[str, str]:
    page = lxml.html.fromstring(html)
    return {a.text_content(): a.get("href") for a in page.xpath("//p[@class='cite-downloads']/a")}


def test_a_paragraphs_permalink_path_is_the_one_its_report_and_the_url_route_give():
    paragraph = first_paragraph(2022, "1c")
    expected = f"/kz/2022/kk/p/{paragraph.number}/"
    assert paragraph.permalink_path == expected
    assert paragraph.report.permalink_path(paragraph.number) == expected
    assert paragraph.report.permalink_stem == "/kz/2022/kk/p/"


def test_permalink_paths_follow_the_script_prefix_of_the_moment():
    paragraph = first_paragraph(2022, "1c")
    set_script_prefix("/archive/")
    try:
        assert paragraph.permalink_path == f"/archive/kz/2022/kk/p/{paragraph.number}/"
    finally:
        set_script_prefix("/")
    assert paragraph.permalink_path == f"/kz/2022/kk/p/{paragraph.number}/"


def test_the_cite_page_links_the_three_downloads(client):
    paragraph = first_paragraph(2022, "1c")
    url = cite_url(paragraph)
    assert download_links(client.get(url).content) == {
        "BibTeX": f"{url}?format=bibtex",
        "RIS": f"{url}?format=ris",
        "CSL-JSON": f"{url}?format=csl-json",
    }


def test_the_section_page_offers_the_section_citation_and_its_downloads(english):
    html = english.get("/kz/2022/kk/1c/").content
    text = textarea(html, "section-citation")
    section = Section.objects.get(report__year=2022, code="1c")
    assert f"section 1c “{section.title}”. Accessed " in text
    assert text.endswith(". http://testserver/kz/2022/kk/1c/")
    assert "paragraph" not in text
    assert download_links(html) == {
        "BibTeX": "/kz/2022/kk/1c/cite/?format=bibtex",
        "RIS": "/kz/2022/kk/1c/cite/?format=ris",
        "CSL-JSON": "/kz/2022/kk/1c/cite/?format=csl-json",
    }
    page = english.get("/kz/2022/kk/1c/cite/")
    assert page.status_code == 200
    assert textarea(page.content, "citation") == text


def download(client, url: str, content_type: str, filename: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response.content.decode()


def test_bibtex_of_a_paragraph_parses_with_every_field(english):
    paragraph = first_paragraph(2022, "1c")
    text = download(
        english,
        cite_url(paragraph) + "?format=bibtex",
        "application/x-bibtex",
        f"kz-2022-kk-p{paragraph.number}.bib",
    )
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    assert entry.key == f"kz-2022-kk-p{paragraph.number}"
    fields = {key: field.value for key, field in entry.fields_dict.items()}
    assert fields["author"] == "{" + PUBLISHER + "}"
    assert fields["institution"] == PUBLISHER
    assert fields["title"] == report(2022).title
    assert fields["year"] == "2023"
    assert fields["date"] == "2023-03-20"
    assert fields["language"] == "Kazakh"
    assert fields["origlanguage"] == "English"
    assert fields["origtitle"] == ORIGINAL_2022
    assert fields["chapter"] == f"1c “{paragraph.section.title}”"
    assert f"paragraph {paragraph.number}" in fields["note"]
    assert URL_2022 in fields["note"]
    assert fields["url"] == permalink(paragraph)
    assert fields["urldate"] == datetime.date.today().isoformat()


def test_bibtex_escapes_what_latex_would_read_as_commands(english):
    Report.objects.filter(year=2021).update(title="Report 2021: 50% & $5 #1 {draft}")
    text = english.get("/kz/2021/kk/1c/cite/?format=bibtex").content.decode()
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert library.entries[0]["title"] == r"Report 2021: 50\% \& \$5 \#1 \{draft\}"


def test_ris_of_a_paragraph_parses_with_every_field(english):
    paragraph = first_paragraph(2022, "1c")
    text = download(
        english,
        cite_url(paragraph) + "?format=ris",
        "application/x-research-info-systems",
        f"kz-2022-kk-p{paragraph.number}.ris",
    )
    (record,) = rispy.loads(text)
    assert record["type_of_reference"] == "RPRT"
    assert record["publisher"] == PUBLISHER
    assert record["title"] == report(2022).title
    assert record["year"] == "2023"
    assert record["date"] == "2023/03/20"
    assert record["language"] == "Kazakh"
    assert record["original_publication"] == ORIGINAL_2022
    assert record["section"] == f"1c “{paragraph.section.title}”"
    assert record["urls"] == [permalink(paragraph)]
    assert record["access_date"] == datetime.date.today().strftime("%Y/%m/%d")
    (notes,) = record["notes"]
    assert f"paragraph {paragraph.number}" in notes and "translated from English" in notes


def test_csl_json_of_a_paragraph_reads_in_citeproc_and_formats_a_reference(english):
    paragraph = first_paragraph(2022, "1c")
    text = download(
        english,
        cite_url(paragraph) + "?format=csl-json",
        "application/vnd.citationstyles.csl+json",
        f"kz-2022-kk-p{paragraph.number}.json",
    )
    source = CiteProcJSON(json.loads(text))
    key = f"kz-2022-kk-p{paragraph.number}"
    item = source[key]
    today = datetime.date.today()
    assert item["type"] == "report"
    assert item["author"] == [{"literal": PUBLISHER}]
    assert str(item["publisher"]) == PUBLISHER
    assert str(item["title"]) == report(2022).title
    assert str(item["original_title"]) == ORIGINAL_2022
    assert (item["issued"]["year"], item["issued"]["month"], item["issued"]["day"]) == (2023, 3, 20)
    assert item["language"] == "kk"
    assert str(item["section"]) == f"1c “{paragraph.section.title}”"
    assert str(item["URL"]) == permalink(paragraph)
    assert item["accessed"]["year"] == today.year and item["accessed"]["day"] == today.day
    assert f"paragraph {paragraph.number}" in str(item["note"])

    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(CiteprocCitation([CitationItem(key)]))
    (reference,) = [str(entry) for entry in bibliography.bibliography()]
    assert reference.startswith(f"{PUBLISHER} (2023) {report(2022).title}")
    assert permalink(paragraph) in reference


def test_a_section_downloads_without_a_paragraph_number(english):
    text = download(
        english,
        "/kz/2021/kk/2a/cite/?format=csl-json",
        "application/vnd.citationstyles.csl+json",
        "kz-2021-kk-2a.json",
    )
    item = CiteProcJSON(json.loads(text))["kz-2021-kk-2a"]
    assert str(item["URL"]) == "http://testserver/kz/2021/kk/2a/"
    assert "paragraph" not in str(item["note"])
    assert "author" not in item  # the made-up 2021 report names no publisher
    assert item["issued"]["year"] == 2022  # no date recorded: the year after the report's
    (record,) = rispy.loads(english.get("/kz/2021/kk/2a/cite/?format=ris").content.decode())
    assert record["id"] == "kz-2021-kk-2a" and "publisher" not in record
    library = bibtexparser.parse_string(
        english.get("/kz/2021/kk/2a/cite/?format=bibtex").content.decode()
    )
    assert library.failed_blocks == [] and "author" not in library.entries[0].fields_dict


def test_an_unknown_citation_format_is_a_400_naming_the_formats(english):
    paragraph = first_paragraph(2022, "1c")
    for url in (cite_url(paragraph), "/kz/2022/kk/1c/cite/"):
        response = english.get(url + "?format=endnote")
        assert response.status_code == 400
        assert "There is no citation format “endnote”" in response.content.decode()
        assert "bibtex, ris, csl-json" in response.content.decode()


def test_citing_an_unknown_section_is_a_helpful_404(client):
    response = client.get("/kz/2022/kk/9z/cite/")
    assert response.status_code == 404
    assert 'href="/kz/2022/kk/"' in response.content.decode()


def test_a_retired_paragraph_number_redirects_to_its_successor_keeping_the_format(client):
    kazakh = report(2022)
    successor = first_paragraph(2022, "2a")
    RetiredAnchor.objects.create(report=kazakh, number=99999, successor_number=successor.number)
    response = client.get("/kz/2022/kk/p/99999/cite/?format=ris")
    assert response.status_code == 302
    assert response["Location"] == f"/kz/2022/kk/p/{successor.number}/cite/?format=ris"


@pytest.mark.browser
def test_copy_citation_on_a_section_page_copies_the_section_citation(page, live_site):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site)
    page.goto(f"{live_site}/kz/2022/kk/1c/")
    page.locator(".cite-section summary").click()
    page.locator(".cite-section button.copy-button").click()
    page.locator(".cite-section .copy-status").filter(has_text=re.compile(".+")).wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#section-citation").input_value()
    assert copied.endswith(f"{live_site}/kz/2022/kk/1c/")
    with page.expect_download() as started:
        page.locator(".cite-section a[href$='format=bibtex']").click()
    assert started.value.suggested_filename == "kz-2022-kk-1c.bib"
