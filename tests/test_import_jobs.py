"""Publishing in the admin queues a background import job (django-tasks' database backend, a
table in the test's PostgreSQL database); the real `db_worker` runs it in the test process."""

import re
from datetime import timedelta

import psycopg
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from sections import jobs
from sections.ingest.errors import IngestError
from sections.models import ImportJob, PendingUpload, Report
from tests.archive import seed_bytes, seed_parsed
from tests.worker import run_worker

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/admin/sections/report/upload/"
REFRESH = '<meta http-equiv="refresh" content="2">'
FINISHED_FIRST = (
    "another import of %(country)s %(year)s (%(language)s) finished first; "
    "upload again to replace it"
)


@pytest.fixture(autouse=True)
def english_admin(admin_client):
    admin_client.cookies["django_language"] = "en"


def preview(client, year=2020, data=None):
    form = {"country": "KZ", "year": year, "language": "kk"}
    file = SimpleUploadedFile("kz-upload-kk.txt", data or seed_bytes())
    response = client.post(UPLOAD_URL, {**form, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def job_url(job) -> str:
    return f"/admin/sections/report/upload/jobs/{job.pk}/"


def report_state(report: Report):
    """Everything a reader sees of a report: its row, sections, paragraphs and anchors."""
    report.refresh_from_db()
    return (
        (report.title, report.published, report.checksum, report.updated),
        list(report.sections.order_by("order").values_list("code", "title")),
        list(report.paragraphs.order_by("ordinal").values_list("number", "text", "search_vector")),
        list(report.retired_anchors.values_list("number", "successor_number")),
    )


def test_publish_returns_at_once_with_a_queued_job_that_the_worker_publishes(admin_client):
    preview_url = preview(admin_client)
    response = admin_client.post(preview_url, {"publish": "Publish"})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(job)
    assert job.status == "queued" and job.publish and job.started_by.username == "admin"
    assert (job.filename, job.country, job.year, job.language) == (
        "kz-upload-kk.txt",
        "KZ",
        2020,
        "kk",
    )
    # The queue entry is a row in PostgreSQL, committed with the job.
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "READY"
    assert task.task_path == "sections.jobs.import_upload"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert not Report.objects.filter(year=2020).exists()
    assert PendingUpload.objects.filter(pk=job.pending_id).exists()

    queued = admin_client.get(job_url(job)).content.decode()
    assert REFRESH in queued
    assert 'data-status="queued"' in queued

    run_worker()

    job.refresh_from_db()
    report = Report.objects.get(country="KZ", year=2020, language="kk")
    parsed = seed_parsed()
    assert job.status == "published"
    assert job.report == report and report.published
    assert report.paragraphs.count() == sum(len(s.paragraphs) for s in parsed.sections)
    assert job.paragraphs == report.paragraphs.count()
    assert job.started <= job.finished
    assert not PendingUpload.objects.exists()
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    # Indexed by the importer: the paragraphs are searchable.
    assert not report.paragraphs.filter(search_vector=None).exists()

    done = admin_client.get(job_url(job)).content.decode()
    assert REFRESH not in done
    assert 'data-status="published"' in done
    assert f"Saved KZ 2020 (kk): {job.paragraphs} paragraphs" in done
    assert f'href="/admin/sections/report/{report.pk}/change/"' in done


def test_save_unpublished_saves_the_report_unpublished(admin_client):
    admin_client.post(preview(admin_client), {"save-unpublished": "Save unpublished"})
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "saved" and not job.publish
    assert not Report.objects.get(country="KZ", year=2020, language="kk").published
    assert "Saved unpublished" in admin_client.get(job_url(job)).content.decode()


def test_a_second_publish_of_the_same_upload_makes_no_second_job(admin_client):
    preview_url = preview(admin_client)
    first = admin_client.post(preview_url, {"publish": "Publish"})
    second = admin_client.post(preview_url, {"publish": "Publish"})
    unpublished = admin_client.post(preview_url, {"save-unpublished": "Save unpublished"})
    assert first["Location"] == second["Location"] == unpublished["Location"]
    assert ImportJob.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    assert "An import of this upload is under way" in admin_client.get(preview_url).content.decode()

    run_worker()
    # Once published the upload is gone: a late click changes nothing.
    assert admin_client.post(preview_url, {"publish": "Publish"}).status_code == 404
    assert ImportJob.objects.count() == 1
    assert Report.objects.filter(year=2020).count() == 1


def test_concurrent_publishers_are_serialised_on_the_upload(admin_client, admin_user):
    pending_id = int(re.search(r"/(\d+)/$", preview(admin_client)).group(1))
    one = jobs.start_job(pending_id, publish=True, user=admin_user)
    two = jobs.start_job(pending_id, publish=False, user=admin_user)
    assert one.pk == two.pk and two.publish
    # The database enforces it too.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.create(
            pending_id=pending_id,
            upload_id=pending_id,
            filename="x",
            country="KZ",
            year=2020,
            language="kk",
        )


def failing_import(monkeypatch, error):
    """Make the import fail at its very end, after it has replaced every section and paragraph
    inside its transaction."""
    import sections.ingest.importer as importer

    def fail(report):
        assert report.sections.exists()
        raise error

    monkeypatch.setattr(importer, "refresh_report_terms", fail)


def test_a_failed_import_leaves_the_old_report_whole_and_the_upload_retryable(
    admin_client, monkeypatch
):
    old = Report.objects.get(country="KZ", year=2022, language="kk")
    before = report_state(old)
    changed = seed_bytes().replace("Қазақстан".encode(), "Казахстан".encode(), 50)
    preview_url = preview(admin_client, year=2022, data=changed)
    failing_import(monkeypatch, IngestError(FINISHED_FIRST, country="KZ", year=2022, language="kk"))
    admin_client.post(preview_url, {"publish": "Publish"})
    run_worker()

    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.error == FINISHED_FIRST % {"country": "KZ", "year": 2022, "language": "kk"}
    assert report_state(old) == before
    assert PendingUpload.objects.filter(pk=job.pending_id).exists()

    page = admin_client.get(job_url(job)).content.decode()
    assert REFRESH not in page
    assert 'data-status="failed"' in page
    assert "another import of KZ 2022 (kk) finished first" in page
    assert 'name="retry"' in page and 'name="discard"' in page
    # The message is translated when shown, in the reader's interface language.
    admin_client.cookies["django_language"] = "kk"
    with translation.override("kk"):
        kazakh = translation.gettext(FINISHED_FIRST) % {
            "country": "KZ",
            "year": 2022,
            "language": "kk",
        }
    assert kazakh != job.error
    assert kazakh in admin_client.get(job_url(job)).content.decode()
    admin_client.cookies["django_language"] = "en"

    # Retry, with the import working again: a new job, and the report replaced.
    monkeypatch.undo()
    retried = admin_client.post(f"{job_url(job)}retry/")
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert retried["Location"] == job_url(again)
    assert again.status == "queued" and again.pending_id == job.pending_id
    run_worker()
    again.refresh_from_db()
    assert again.status == "published"
    assert report_state(old) != before
    assert old.paragraphs.filter(text__contains="Казахстан").exists()
    assert not PendingUpload.objects.exists()
    # The failed job's page now points to the import that followed it.
    page = admin_client.get(job_url(job)).content.decode()
    assert f'href="{job_url(again)}"' in page
    assert "The upload was discarded." not in page


def test_an_unexpected_error_fails_the_job_with_its_traceback_kept(admin_client, monkeypatch):
    old = Report.objects.get(country="KZ", year=2022, language="kk")
    before = report_state(old)
    failing_import(monkeypatch, RuntimeError("disk on fire"))
    admin_client.post(preview(admin_client, year=2022), {"publish": "Publish"})
    run_worker()

    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.error == "RuntimeError: disk on fire"
    assert report_state(old) == before
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "FAILED"
    assert "disk on fire" in task.traceback
    assert "RuntimeError: disk on fire" in admin_client.get(job_url(job)).content.decode()


def test_a_file_that_fails_only_at_import_fails_its_job(admin_client, monkeypatch):
    # The upload passed the preview; by the time it runs the outline is no longer acceptable.
    from sections.ingest import service

    parse = service.ReportUpload.parse

    def no_paragraphs(self):
        parsed = parse(self)
        for section in parsed.sections:
            section.paragraphs.clear()
        return parsed

    admin_client.post(preview(admin_client), {"publish": "Publish"})
    monkeypatch.setattr(service.ReportUpload, "parse", no_paragraphs)
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.error == "the report has no paragraphs of text"
    assert job.sections is not None  # it failed while saving, after parsing
    assert not Report.objects.filter(year=2020).exists()
    page = admin_client.get(job_url(job)).content.decode()
    assert re.search(r'<li data-state="done">✓ Parsing the file</li>', page)
    assert re.search(r'<li data-state="failed"><strong>✗ Saving and indexing</strong></li>', page)


def test_a_failed_jobs_upload_can_be_discarded(admin_client, monkeypatch):
    failing_import(monkeypatch, RuntimeError("boom"))
    admin_client.post(preview(admin_client), {"publish": "Publish"})
    run_worker()
    job = ImportJob.objects.get()

    response = admin_client.post(f"{job_url(job)}discard/")
    assert response.status_code == 302 and response["Location"] == UPLOAD_URL
    assert not PendingUpload.objects.exists()
    job.refresh_from_db()
    assert job.pending is None and job.status == "failed"
    page = admin_client.get(job_url(job)).content.decode()
    assert "The upload was discarded." in page
    assert 'name="retry"' not in page
    retried = admin_client.post(f"{job_url(job)}retry/")
    assert retried["Location"] == UPLOAD_URL
    assert ImportJob.objects.count() == 1


def test_a_running_jobs_upload_cannot_be_discarded_or_retried(admin_client):
    admin_client.post(preview(admin_client), {"publish": "Publish"})
    job = ImportJob.objects.get()
    assert admin_client.post(f"{job_url(job)}discard/")["Location"] == job_url(job)
    assert admin_client.post(f"{job_url(job)}retry/")["Location"] == job_url(job)
    assert PendingUpload.objects.exists() and ImportJob.objects.count() == 1


def test_a_job_whose_upload_went_before_it_ran_fails_with_a_clear_message(admin_client):
    admin_client.post(preview(admin_client), {"publish": "Publish"})
    job = ImportJob.objects.get()
    PendingUpload.objects.all().delete()
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "the upload was discarded before it was imported" in job.error


def other_connection():
    """A second PostgreSQL session on the test database, standing in for a worker process."""
    params = connection.settings_dict
    return psycopg.connect(
        dbname=params["NAME"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        autocommit=True,
    )


def test_the_job_page_refreshes_while_the_worker_runs_and_notices_a_dead_worker(admin_client):
    admin_client.post(preview(admin_client), {"publish": "Publish"})
    job = ImportJob.objects.get()
    assert REFRESH in admin_client.get(job_url(job)).content.decode()

    # A worker (another session) has taken the job and is saving it.
    worker = other_connection()
    worker.execute("SELECT pg_advisory_lock(%s, %s)", (jobs.LOCK_NAMESPACE, job.pk))
    ImportJob.objects.filter(pk=job.pk).update(
        status="indexing", started=timezone.now(), sections=40, paragraphs=300
    )
    running = admin_client.get(job_url(job)).content.decode()
    assert REFRESH in running
    assert 'data-status="indexing"' in running
    assert '<li data-state="current"><strong>… Saving and indexing</strong></li>' in running
    assert "Parsed 40 sections, 300 paragraphs." in running

    # The worker dies (kill -9): its session, and with it the lock, goes.
    worker.close()
    dead = admin_client.get(job_url(job)).content.decode()
    assert REFRESH not in dead
    assert 'data-status="failed"' in dead
    assert "the background worker stopped during the import" in dead
    assert 'name="retry"' in dead
    job.refresh_from_db()
    assert job.status == "failed" and job.finished


def test_a_job_left_queued_says_it_waits_for_the_worker(admin_client):
    admin_client.post(preview(admin_client), {"publish": "Publish"})
    job = ImportJob.objects.get()
    assert (
        "Still waiting for the background worker"
        not in admin_client.get(job_url(job)).content.decode()
    )
    ImportJob.objects.filter(pk=job.pk).update(created=timezone.now() - timedelta(minutes=1))
    page = admin_client.get(job_url(job)).content.decode()
    assert "Still waiting for the background worker" in page
    assert REFRESH in page


def test_only_uploaders_start_and_see_jobs(client, admin_client, django_user_model):
    preview_url = preview(admin_client)
    admin_client.post(preview_url, {"publish": "Publish"})
    job = ImportJob.objects.get()
    editor = django_user_model.objects.create_user("editor", password="pw-tests", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_report"))
    client.force_login(editor)
    assert client.post(preview_url, {"publish": "Publish"}).status_code == 403
    assert client.get(job_url(job)).status_code == 403
    assert client.post(f"{job_url(job)}retry/").status_code == 403
    assert client.post(f"{job_url(job)}discard/").status_code == 403
    assert client.get("/admin/sections/importjob/").status_code == 403
    assert ImportJob.objects.count() == 1

    for codename in ("add_report", "delete_report"):
        editor.user_permissions.add(Permission.objects.get(codename=codename))
    assert client.get(job_url(job)).status_code == 200
    assert client.get("/admin/sections/importjob/").status_code == 200


def test_the_job_list_is_read_only_and_links_each_jobs_page(admin_client):
    admin_client.post(preview(admin_client), {"publish": "Publish"})
    run_worker()
    job = ImportJob.objects.get()
    listing = admin_client.get("/admin/sections/importjob/").content.decode()
    assert f'<a href="{job_url(job)}">kz-upload-kk.txt</a>' in listing
    assert "Published" in listing
    assert admin_client.get("/admin/sections/importjob/add/").status_code == 403
    change = admin_client.get(f"/admin/sections/importjob/{job.pk}/change/")
    assert change["Location"] == job_url(job)
    assert admin_client.post(
        "/admin/sections/importjob/",
        {"action": "delete_selected", "_selected_action": [job.pk]},
    ).status_code in (200, 302)
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_old_uploads_are_cleaned_up_unless_an_import_of_theirs_is_active(admin_client):
    admin_client.post(preview(admin_client), {"publish": "Publish"})
    active = PendingUpload.objects.get()
    idle = PendingUpload.objects.create(
        data=b"x", filename="old.txt", country="KZ", year=2019, language="kk"
    )
    PendingUpload.objects.update(created=timezone.now() - timedelta(days=2))
    preview(admin_client, year=2018)  # every upload sweeps the day-old ones
    assert PendingUpload.objects.filter(pk=active.pk).exists()
    assert not PendingUpload.objects.filter(pk=idle.pk).exists()
