"""The admin's upload → preview → publish flow, and its errors for bad files."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sections.models import PendingUpload, Report
from tests.archive import ENGLISH_PATH, seed_bytes, seed_parsed
from tests.worker import run_worker

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/admin/sections/report/upload/"


@pytest.fixture(autouse=True)
def english_admin(client, admin_client):
    # The interface defaults to Kazakh; these tests read Django's English messages.
    for each in (client, admin_client):
        each.cookies["django_language"] = "en"


def post_upload(client, name, data, **fields):
    form = {"country": "KZ", "year": 2020, "language": "kk", **fields}
    return client.post(UPLOAD_URL, {**form, "file": SimpleUploadedFile(name, data)})


def test_upload_page_is_for_staff_only(client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_report_list_links_to_the_upload_page(admin_client):
    response = admin_client.get("/admin/sections/report/")
    assert UPLOAD_URL in response.content.decode()


def test_upload_shows_a_preview_and_saves_nothing_until_published(admin_client):
    response = post_upload(admin_client, "kz-2020-kk.txt", seed_bytes())
    assert response.status_code == 302
    preview_url = response["Location"]
    assert not Report.objects.filter(year=2020).exists()

    preview = admin_client.get(preview_url)
    html = preview.content.decode()
    parsed = seed_parsed()
    assert parsed.title in html
    for section in parsed.sections:
        assert re.search(
            rf"<td>{re.escape(section.code)}</td>.*?<td>{len(section.paragraphs)}</td>", html, re.S
        ), section.code
    assert not Report.objects.filter(year=2020).exists()

    published = admin_client.post(preview_url, {"publish": "Publish"})
    assert published.status_code == 302
    assert "/upload/jobs/" in published["Location"]  # the import runs in the background
    assert not Report.objects.filter(year=2020).exists()
    run_worker()
    report = Report.objects.get(country="KZ", year=2020, language="kk")
    assert report.published
    assert report.paragraphs.count() == sum(len(s.paragraphs) for s in parsed.sections)
    assert report.source_name == "kz-2020-kk.txt"
    assert not PendingUpload.objects.exists()


def test_preview_of_an_existing_year_warns_that_publishing_replaces_it(admin_client):
    response = post_upload(admin_client, "kz-2022-kk.txt", seed_bytes(), year=2022)
    preview = admin_client.get(response["Location"])
    assert "replaces the current KZ 2022 (kk)" in preview.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "fields", "message"),
    [
        ("kz.txt", b"", {}, "empty"),
        ("kz.exe", b"MZ\x90\x00", {}, "Unsupported file type .exe"),
        ("kz.pdf", b"plain text, not a PDF", {}, "PDF"),
        ("kz.txt", "Тақырыпсыз мәтін.\n".encode(), {}, "heading"),
        ("kz.txt", b"x", {"year": 2999}, "2999"),
        ("kz.txt", b"x", {"year": 1985}, "1985"),
        ("kz.txt", b"x", {"language": "de"}, "de"),
        ("kz.txt", b"x", {"country": "K1"}, "two-letter"),
    ],
)
def test_bad_uploads_get_a_form_error_and_save_nothing(admin_client, name, data, fields, message):
    reports = Report.objects.count()
    response = post_upload(admin_client, name, data, **fields)
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert 'class="errorlist' in response.content.decode()
    assert Report.objects.count() == reports
    assert not PendingUpload.objects.exists()


def test_an_oversized_upload_is_refused_before_parsing(admin_client, settings):
    settings.REPORT_UPLOAD_MAX_BYTES = 1024
    response = post_upload(admin_client, "kz-2020-kk.txt", seed_bytes())
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_a_second_click_on_publish_changes_nothing_and_is_no_error(admin_client):
    preview_url = post_upload(admin_client, "kz-2020-kk.txt", seed_bytes())["Location"]
    first = admin_client.post(preview_url, {"publish": "Publish"})
    assert first.status_code == 302
    # While the import is queued, a second click shows the same job.
    assert admin_client.post(preview_url, {"publish": "Publish"})["Location"] == first["Location"]
    run_worker()
    again = admin_client.post(preview_url, {"publish": "Publish"})
    assert again.status_code == 404
    assert Report.objects.filter(year=2020).count() == 1


def test_uploading_needs_the_add_change_and_delete_report_permissions(client, django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(
        "editor", password="pw-for-tests-only", is_staff=True
    )
    editor.user_permissions.add(Permission.objects.get(codename="change_report"))
    client.force_login(editor)
    assert client.get(UPLOAD_URL).status_code == 403


def test_the_report_page_in_the_admin_counts_paragraphs_in_one_query(
    admin_client, django_assert_max_num_queries
):
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    with django_assert_max_num_queries(20):
        response = admin_client.get(f"/admin/sections/report/{report.pk}/change/")
    assert response.status_code == 200


ENGLISH_2023 = ENGLISH_PATH


def test_preview_warns_when_the_year_and_language_chosen_contradict_the_file(admin_client):
    response = post_upload(admin_client, "kz.txt", ENGLISH_2023.read_bytes(), year=2022)
    html = admin_client.get(response["Location"]).content.decode()
    mismatches = re.search(
        r'<ul class="messagelist" id="preview-mismatches">(.*?)</ul>', html, re.S
    )
    assert mismatches, "no mismatch warnings shown"
    assert "The title says 2023 but the year chosen is 2022." in mismatches.group(1)
    assert "The text looks English but the language chosen is Kazakh." in mismatches.group(1)


def test_preview_of_a_matching_upload_shows_no_mismatch(admin_client):
    response = post_upload(
        admin_client, "kz.txt", ENGLISH_2023.read_bytes(), year=2023, language="en"
    )
    html = admin_client.get(response["Location"]).content.decode()
    assert 'id="preview-mismatches"' not in html
    assert "Layout: Seven sections, 2023 numbering (2023)" in html


def test_preview_shows_each_sections_topics_and_first_words(admin_client):
    response = post_upload(
        admin_client, "kz.txt", ENGLISH_2023.read_bytes(), year=2023, language="en"
    )
    html = admin_client.get(response["Location"]).content.decode()
    row = re.search(r"<tr><td>1f</td>(.*?)</tr>", html, re.S).group(1)
    assert "<td>transnational-repression</td>" in row
    assert '<td lang="en">The government engaged in acts of transnational repression to' in row


def test_headings_only_file_is_refused_at_preview(admin_client):
    text = "Report\n\nSection 1. Respect for the Integrity of the Person\n\na. Disappearance\n"
    response = post_upload(admin_client, "kz.txt", text.encode())
    assert response.status_code == 200
    assert "headings but no paragraphs of text" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_sentence_before_the_summary_heading_publishes_one_summary(admin_client):
    text = (
        "This report was prepared by the embassy.\nExecutive Summary\n\nThe summary text.\n\n"
        "Section 1. Respect for the Integrity of the Person\n\na. Disappearance\n\nText.\n"
    )
    response = post_upload(admin_client, "kz.txt", text.encode(), language="en")
    assert response.status_code == 302
    published = admin_client.post(response["Location"], {"publish": "Publish"})
    assert published.status_code == 302
    run_worker()
    report = Report.objects.get(country="KZ", year=2020, language="en")
    summary = report.sections.get(code="summary")
    assert list(summary.paragraphs.values_list("text", flat=True)) == [
        "This report was prepared by the embassy.",
        "The summary text.",
    ]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_upload_errors_are_in_the_interface_language(admin_client, language):
    from django.utils import translation

    admin_client.cookies["django_language"] = language
    text = "Report\n\nSection 1. Respect for the Integrity of the Person\n\na. Disappearance\n"
    response = post_upload(admin_client, "kz.txt", text.encode())
    template = "the report has %(count)d headings but no paragraphs of text under them"
    with translation.override(language):
        expected = translation.gettext(template) % {"count": 2}
    assert expected != template % {"count": 2}, "the message is not translated"
    assert expected in response.content.decode()


def test_unpublishing_and_deleting_in_the_admin_keep_the_term_statistics_current(rf, admin_user):
    from django.contrib.admin.sites import site

    from search.vocabulary import document_frequencies, rebuild_terms, total_paragraphs

    rebuild_terms()
    report = Report.objects.get(country="KZ", year=2023, language="en")
    count = report.paragraphs.count()
    before = total_paragraphs()
    report_admin = site._registry[Report]
    request = rf.post("/admin/")
    request.user = admin_user

    class Form:
        changed_data = ["published"]

    report.published = False
    report_admin.save_model(request, report, Form(), change=True)
    assert total_paragraphs() == before - count
    assert document_frequencies(["en:tortur"])["en:tortur"] == 0
    report.published = True
    report_admin.save_model(request, report, Form(), change=True)
    assert total_paragraphs() == before
    report_admin.delete_model(request, report)
    assert total_paragraphs() == before - count
