"""An admin uploads a report in a real browser, checks the preview and publishes it; the
import runs in a real background worker (`manage.py db_worker`) beside gunicorn."""

import pytest
from django.contrib.auth.models import User

from sections.models import ImportJob, Report
from tests.archive import SEED_PATH
from tests.conftest import SCREENSHOTS, running_worker

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_worker(live_site, tmp_path_factory):
    """The background worker on the test database, as production runs it next to gunicorn;
    the bulk download that publishing queues goes to a temporary folder."""
    with running_worker(BULK_DATA_DIR=str(tmp_path_factory.mktemp("bulk"))) as worker:
        yield worker


@pytest.fixture(scope="module")
def admin_login(live_site, django_db_blocker):
    """A committed superuser the gunicorn process can see; removed with what it uploaded.

    Module-scoped so that it is committed before the test's own transaction starts, and
    removed before other browser tests look at the archive.
    """
    with django_db_blocker.unblock():
        User.objects.create_superuser("archivist", "a@example.org", "correct horse battery")
    yield "archivist", "correct horse battery"
    with django_db_blocker.unblock():
        ImportJob.objects.filter(country="KZ", year=2019).delete()
        Report.objects.filter(country="KZ", year=2019).delete()
        User.objects.filter(username="archivist").delete()


def test_admin_uploads_previews_and_publishes_a_report(page, live_site, live_worker, admin_login):
    username, password = admin_login
    page.goto(f"{live_site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")

    page.goto(f"{live_site}/admin/sections/report/")
    page.click("a[href$='/admin/sections/report/upload/']")
    page.set_input_files("#id_file", str(SEED_PATH))
    page.fill("#id_year", "2019")
    page.click("input[type=submit]")

    outline = page.locator("#preview-outline")
    outline.wait_for()
    assert outline.locator("td", has_text="1c").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-preview-desktop.png"), full_page=False)
    assert not Report.objects.filter(country="KZ", year=2019).exists()

    page.click("input[name=publish]")
    # Publish answers at once with the job's page, which reloads itself until the worker is done.
    page.locator("#job-status").wait_for()
    assert "/upload/jobs/" in page.url
    page.locator(".messagelist .success").wait_for(timeout=60_000)
    assert "KZ 2019 (kk)" in page.locator(".messagelist").inner_text()
    assert page.locator("#job-status").get_attribute("data-status") == "published"
    page.screenshot(path=str(SCREENSHOTS / "admin-import-job-done.png"), full_page=False)
    assert Report.objects.get(country="KZ", year=2019).paragraphs.count() > 200
    page.click("#job-report")
    assert "/admin/sections/report/" in page.url
