"""A reader asks for an email alert on the search page in a real browser, confirms it from the
mailbox, an admin publishes a report, and the alert mail arrives.

The site is gunicorn (`live_site`); mails are sent by the real background worker, started
with its SMTP settings pointing at an SMTP server in this process (`mail_sink`)."""

import copy
import re

import pytest
from django.contrib.auth.models import User
from django_tasks_db.models import DBTaskResult

from search.models import Alert
from sections.ingest.service import ReportUpload
from sections.models import Report
from tests.archive import seed_parsed
from tests.conftest import SCREENSHOTS, running_worker
from tests.test_browse_browser import serious_violations

pytestmark = pytest.mark.browser

EMAIL = "reader@example.org"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def mail_worker(live_site, mail_sink, tmp_path_factory):
    """The background worker, sending its mails to `mail_sink`."""
    bulk = tmp_path_factory.mktemp("bulk")
    with running_worker(**mail_sink.email_env, BULK_DATA_DIR=str(bulk)) as worker:
        yield worker


@pytest.fixture(scope="module")
def unpublished_report(live_site, django_db_blocker):
    """A committed, unpublished KZ 2019 report (the seed's sections 1, 1b and 1c) and an
    admin who may publish it; removed afterwards with the alerts and what they queued (the
    report's announcement goes with it)."""
    parsed = copy.deepcopy(seed_parsed())
    parsed.sections = [s for s in parsed.sections if s.code in ("1", "1b", "1c")]
    with django_db_blocker.unblock():
        User.objects.create_superuser("alerts-admin", "admin@example.org", PASSWORD)
        report = ReportUpload(b"", "kz-2019-kk.txt", "KZ", 2019, "kk").save(parsed, published=False)
    yield report.report
    with django_db_blocker.unblock():
        Report.objects.filter(country="KZ", year=2019).delete()
        Alert.objects.all().delete()
        User.objects.filter(username="alerts-admin").delete()
        DBTaskResult.objects.all().delete()


def plain_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_reader_subscribes_confirms_and_gets_the_mail_of_a_published_report(
    page, live_site, mail_sink, mail_worker, unpublished_report
):
    page.goto(f"{live_site}/search/?q=азаптау")
    page.fill("#alert-email", EMAIL)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#alert-signup").screenshot(path=str(SCREENSHOTS / "alert-signup.png"))
    assert serious_violations(page) == []
    page.click("#alert-signup button[type=submit]")
    page.locator("#alert-requested").wait_for()

    confirmation = mail_sink.wait_for(1)[0]
    assert confirmation["To"] == EMAIL
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm_url = re.search(r"http://\S+/alerts/confirm/\S+/", plain_text(confirmation))[0]
    assert confirm_url.startswith(live_site)
    page.goto(confirm_url)
    assert serious_violations(page) == []
    page.click("#alert-confirm")
    page.locator("#alert-confirmed").wait_for()
    assert Alert.objects.get(email=EMAIL).confirmed is not None

    page.goto(f"{live_site}/admin/login/")
    page.fill("#id_username", "alerts-admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_site}/admin/sections/report/{unpublished_report.pk}/change/")
    page.check("#id_published")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()

    alert_mail = mail_sink.wait_for(2)[1]
    assert alert_mail["To"] == EMAIL
    # Long header values are folded onto the next line (RFC 5322); readers unfold them.
    assert alert_mail["Subject"].strip().startswith("New in KZ 2019 (kk): ")
    assert alert_mail["List-Unsubscribe"].strip().startswith(f"<{live_site}/alerts/unsubscribe/")
    body = plain_text(alert_mail)
    permalinks = re.findall(rf"{re.escape(live_site)}/kz/2019/kk/p/\d+/", body)
    assert permalinks
    page.goto(permalinks[0])
    assert "/kz/2019/kk/1c/" in page.url
    page.screenshot(path=str(SCREENSHOTS / "alert-permalink.png"), full_page=False)
