"""The bulk download (sections/bulk.py): the published archive as gzip JSON Lines and CSV in
BULK_DATA_DIR, written atomically, rewritten in the background when a report is published or
leaves the archive, served at /data/ and linked from the home page with its size and date."""

import csv
import gzip
import hashlib
import io
import itertools
import json
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sections import bulk
from sections.export import COLUMNS
from sections.ingest.service import ReportUpload
from sections.models import Paragraph, Report
from sections.signals import announce_published
from tests.archive import previous_year_parsed
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

BASE = "https://archive.example.org"
REGENERATE = "sections.bulk.regenerate"


def report_2021():
    return Report.objects.get(country="KZ", year=2021, language="kk")


def jsonl_rows(directory) -> list[dict]:
    with gzip.open(directory / "archive.jsonl.gz", "rt", encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def csv_rows(directory) -> list[list[str]]:
    with gzip.open(directory / "archive.csv.gz", "rt", encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def queued_rewrites():
    return DBTaskResult.objects.filter(task_path=REGENERATE, status="READY")


# Writing the files


def test_both_files_open_with_gzip_and_hold_every_published_paragraph(bulk_data_dir):
    bulk.write_bulk_data(base_url=BASE)
    published = Paragraph.objects.filter(report__published=True).count()
    rows = jsonl_rows(bulk_data_dir)
    assert len(rows) == published
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["permalink"].startswith(f"{BASE}/kz/")
    table = csv_rows(bulk_data_dir)
    assert table[0] == list(COLUMNS)
    assert len(table) == published + 1
    # The same rows in both files, in the same order.
    assert [r[0] for r in table[1:]] == [r["permalink"] for r in rows]


def test_the_manifest_gives_the_date_counts_sizes_and_checksums(bulk_data_dir):
    before = timezone.now()
    bulk.write_bulk_data()
    manifest = json.loads((bulk_data_dir / "manifest.json").read_text())
    assert before <= bulk.read_manifest()["generated_at"] <= timezone.now()
    assert manifest["paragraphs"] == Paragraph.objects.filter(report__published=True).count()
    assert {(r["country"], r["year"], r["language"]) for r in manifest["reports"]} == set(
        Report.objects.published().values_list("country", "year", "language")
    )
    for name in ("archive.jsonl.gz", "archive.csv.gz"):
        described = next(f for f in manifest["files"].values() if f["name"] == name)
        data = (bulk_data_dir / name).read_bytes()
        assert described["bytes"] == len(data)
        assert described["sha256"] == hashlib.sha256(data).hexdigest()


def test_unpublished_reports_are_never_in_the_files(bulk_data_dir):
    withdrawn = report_2021()
    withdrawn.published = False
    withdrawn.save()
    manifest = bulk.write_bulk_data()
    assert all(row["year"] != 2021 for row in jsonl_rows(bulk_data_dir))
    assert all(row[COLUMNS.index("year")] != "2021" for row in csv_rows(bulk_data_dir)[1:])
    assert not bulk.lists_report(manifest, withdrawn)


def test_without_a_site_url_permalinks_are_site_paths(bulk_data_dir, settings):
    settings.SITE_URL = ""
    bulk.write_bulk_data()
    assert re.fullmatch(r"/kz/\d{4}/(kk|en)/p/\d+/", jsonl_rows(bulk_data_dir)[0]["permalink"])


def test_a_failed_rewrite_keeps_the_old_files_and_leaves_no_temporary_file(bulk_data_dir):
    bulk.write_bulk_data()
    before = {path.name: path.read_bytes() for path in bulk_data_dir.iterdir()}

    rows_written = itertools.count(1)

    def broken(row):
        if next(rows_written) == 5:
            raise OSError("disk full")
        return json.dumps(row) + "\n"

    with mock.patch("sections.export.json_line", broken), pytest.raises(OSError):
        bulk.write_bulk_data()
    assert {path.name: path.read_bytes() for path in bulk_data_dir.iterdir()} == before


def test_the_gzip_header_names_the_file_not_its_temporary_name(bulk_data_dir):
    bulk.write_bulk_data()
    header = (bulk_data_dir / "archive.csv.gz").read_bytes()[:64]
    assert b"archive.csv\x00" in header


def test_the_command_writes_the_files_with_the_given_base_url(bulk_data_dir):
    out, err = io.StringIO(), io.StringIO()
    call_command("write_bulk_data", "--base-url", BASE, stdout=out, stderr=err)
    assert jsonl_rows(bulk_data_dir)[0]["permalink"].startswith(BASE + "/")
    assert "archive.jsonl.gz" in out.getvalue()
    assert "paragraphs of 3 reports" in out.getvalue()
    assert err.getvalue() == ""


def test_the_command_says_nothing_at_verbosity_0(bulk_data_dir):
    out, err = io.StringIO(), io.StringIO()
    call_command("write_bulk_data", verbosity=0, stdout=out, stderr=err)
    assert (bulk_data_dir / "archive.jsonl.gz").exists()
    assert out.getvalue() == err.getvalue() == ""


# Rewritten in the background


def test_publishing_queues_a_rewrite_that_the_worker_carries_out(
    bulk_data_dir, django_capture_on_commit_callbacks
):
    queued = queued_rewrites().count()
    with django_capture_on_commit_callbacks(execute=True):
        announce_published(report_2021())
    assert queued_rewrites().count() == queued + 1
    assert not (bulk_data_dir / "archive.jsonl.gz").exists()  # nothing written on the request path
    run_worker()
    published = Paragraph.objects.filter(report__published=True).count()
    assert len(jsonl_rows(bulk_data_dir)) == published
    assert not queued_rewrites().exists()


def test_a_report_published_by_an_import_reaches_the_files(
    bulk_data_dir, django_capture_on_commit_callbacks
):
    report = report_2021()
    report.published = False
    report.save()
    bulk.write_bulk_data()
    assert all(row["year"] != 2021 for row in jsonl_rows(bulk_data_dir))
    with django_capture_on_commit_callbacks(execute=True):
        ReportUpload(b"", "kz-2021-kk.txt", "KZ", 2021, "kk").save(previous_year_parsed())
    run_worker()
    assert any(row["year"] == 2021 for row in jsonl_rows(bulk_data_dir))


def test_unpublishing_a_report_the_files_hold_queues_a_rewrite(
    bulk_data_dir, django_capture_on_commit_callbacks
):
    bulk.write_bulk_data()
    report = report_2021()
    report.published = False
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    assert queued_rewrites().exists()
    run_worker()
    assert all(row["year"] != 2021 for row in jsonl_rows(bulk_data_dir))


def test_saving_a_report_the_files_do_not_hold_queues_nothing(
    bulk_data_dir, django_capture_on_commit_callbacks
):
    report = report_2021()
    report.published = False
    report.save()
    bulk.write_bulk_data()
    with django_capture_on_commit_callbacks() as callbacks:
        report.title = "changed"
        report.save()
    assert callbacks == []


def test_deleting_a_report_the_files_hold_queues_a_rewrite(
    bulk_data_dir, django_capture_on_commit_callbacks
):
    bulk.write_bulk_data()
    with django_capture_on_commit_callbacks(execute=True):
        report_2021().delete()
    assert queued_rewrites().exists()


def test_a_queued_rewrite_does_nothing_when_the_files_are_newer(bulk_data_dir):
    asked = timezone.now()
    bulk.write_bulk_data()
    assert bulk.regenerate.call(asked.isoformat()) == "current"
    assert bulk.regenerate.call(timezone.now().isoformat()) == "written"


# Serving


@pytest.mark.parametrize(
    ("url", "name"),
    [("/data/archive.jsonl.gz", "archive.jsonl.gz"), ("/data/archive.csv.gz", "archive.csv.gz")],
)
def test_a_file_downloads_as_gzip_not_unpacked_by_the_browser(client, bulk_data_dir, url, name):
    bulk.write_bulk_data()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in response
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    body = b"".join(response.streaming_content)
    assert body == (bulk_data_dir / name).read_bytes()
    assert gzip.decompress(body).startswith(b'{"permalink"' if "jsonl" in name else b"permalink,")


def test_a_download_answers_a_conditional_request_with_304(client, bulk_data_dir):
    bulk.write_bulk_data()
    etag = client.get("/data/archive.csv.gz")["ETag"]
    response = client.get("/data/archive.csv.gz", headers={"if-none-match": etag})
    assert response.status_code == 304


def test_the_manifest_is_served_as_json(client, bulk_data_dir):
    bulk.write_bulk_data()
    response = client.get("/data/manifest.json")
    assert response["Content-Type"] == "application/json"
    assert json.loads(b"".join(response.streaming_content))["files"]["csv"]["name"] == (
        "archive.csv.gz"
    )


def test_a_download_before_the_files_are_written_is_a_404_that_says_why(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/data/archive.jsonl.gz")
    assert response.status_code == 404
    assert "bulk download has not been made yet" in response.content.decode()


def test_a_post_to_a_download_is_refused(client, bulk_data_dir):
    bulk.write_bulk_data()
    assert client.post("/data/archive.csv.gz").status_code == 405


# Linked from the home page


def test_the_home_page_links_both_files_with_their_size_and_date(client, bulk_data_dir, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    manifest = bulk.write_bulk_data()
    html = client.get("/").content.decode()
    block = re.search(r'<section aria-labelledby="bulk".*?</section>', html, re.S).group(0)
    for described in manifest["files"].values():
        size = filesizeformat(described["bytes"])
        assert re.search(
            rf'<a href="/data/{described["name"]}" download>.*?</a>\s*'
            rf'<span class="meta">{described["name"]}, {re.escape(size)}</span>',
            block,
            re.S,
        )
    generated = manifest["generated_at"].astimezone(timezone.get_current_timezone())
    assert f'<time datetime="{generated.isoformat()}">' in block
    assert f"{manifest['paragraphs']} paragraphs" in block


def test_the_home_page_states_the_reports_status_with_a_link_to_more(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert "works of the US government, in the public domain in the United States" in html
    assert '<a href="/data/">About the data and its licence</a>' in html
    assert "it is not ready yet" in html  # nothing written in this test


def test_the_data_page_describes_every_column_the_status_and_the_licence(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/data/")
    assert response.status_code == 200
    for name in (*COLUMNS, "matched"):
        assert f"<dt><code>{name}</code></dt>" in response.content.decode()
    assert "17 U.S.C. § 105" in response.content.decode()
    assert "GNU Affero General Public License" in response.content.decode()


@pytest.mark.parametrize("broken", ["{not json", "[]", '{"generated": "yesterday"}'])
def test_an_unreadable_manifest_leaves_the_home_page_working(
    client, bulk_data_dir, settings, broken
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    bulk.write_bulk_data()
    (bulk_data_dir / "manifest.json").write_text(broken)
    response = client.get("/")
    assert response.status_code == 200
    assert "it is not ready yet" in response.content.decode()
