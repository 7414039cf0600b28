"""Email alerts without an account: sign-up with double opt-in, signed links that expire or are
refused when forged, no mail sent twice, the sign-up rate limit, the alert mail on
publication (content, permalinks, headers), re-uploads, and one-click unsubscribing.

Mails are sent by background tasks; `run_worker` runs them here, into the in-memory
mailbox (`mailoutbox`)."""

import copy
import re
import smtplib
import time
from datetime import timedelta
from functools import lru_cache
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from search import alert_mail, alerts, followed
from search.engine import search_results
from search.filters import SearchFilters
from search.models import CONFIRM_SALT, UNSUBSCRIBE_SALT, Alert, ReportAnnouncement
from search.query import parse_query
from sections.ingest.parser import ParsedReport
from sections.ingest.service import ReportUpload
from sections.models import Report
from tests.archive import seed_parsed
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

EMAIL = "reader@example.org"
SUBSCRIBE = "/alerts/subscribe/"
# Each test signs up from its own address, so the rate limit never carries over.
ADDRESSES = iter(f"203.0.113.{n}" for n in range(1, 255))


@pytest.fixture
def client():
    """A browser asking for the English interface, from an address of its own."""
    return Client(headers={"accept-language": "en"}, REMOTE_ADDR=next(ADDRESSES))


@lru_cache(maxsize=1)
def _small_seed() -> ParsedReport:
    """The seed's sections 1, 1b and 1c only: enough to match and quick to import."""
    parsed = seed_parsed()
    parsed.sections = [s for s in parsed.sections if s.code in ("1", "1b", "1c")]
    return parsed


def small_report() -> ParsedReport:
    return copy.deepcopy(_small_seed())


def publish(django_capture_on_commit_callbacks, parsed=None, year=2019) -> Report:
    """Import and publish a KZ report of `year` as the admin would, then run the queued
    tasks (the alert mails)."""
    with django_capture_on_commit_callbacks(execute=True):
        result = ReportUpload(b"", f"kz-{year}-kk.txt", "KZ", year, "kk").save(
            parsed or small_report()
        )
    run_worker()
    return result.report


def sign_up(client, email=EMAIL, **search):
    query = "&".join(f"{k}={v}" for k, v in search.items())
    return client.post(f"{SUBSCRIBE}?{query}", {"email": email})


def confirmed_alert(email=EMAIL, search="q=азаптау", language="en") -> Alert:
    return Alert.objects.create(
        email=email,
        search=followed.normalised_search(_valid_form(search)),
        language=language,
        site_url="http://testserver/",
        confirmed=timezone.now(),
    )


def _valid_form(search: str):
    form = followed.search_form(search)
    assert form.is_valid(), form.errors
    return form


def links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def path_of(url: str) -> str:
    return urlsplit(url).path


def the_link(message, part: str) -> str:
    return next(url for url in links(message.body) if f"/alerts/{part}/" in url)


def matching_numbers(query: str, year: int) -> list[int]:
    """What the search engine finds for `query` in the KZ report of `year`."""
    results = search_results(parse_query(query), SearchFilters(year_from=year, year_to=year))
    return sorted(p.number for p in results.hits[: results.total])


# --- Signing up ---------------------------------------------------------------------------


def test_signing_up_stores_an_unconfirmed_alert_and_mails_a_confirmation_link(client, mailoutbox):
    response = sign_up(client, q="азаптау", year="2022", page="3")
    assert response.status_code == 200
    assert b"a confirmation is on its way" in response.content
    alert = Alert.objects.get(email=EMAIL)
    assert alert.confirmed is None
    # The search is normalised: `year` as a range, the page left out.
    assert (
        alert.search == "q=%D0%B0%D0%B7%D0%B0%D0%BF%D1%82%D0%B0%D1%83&year_from=2022&year_to=2022"
    )
    assert mailoutbox == []  # sent by the worker, off the request path
    run_worker()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "Confirm your Rights Archive alert"
    assert "“азаптау”, 2022" in message.body
    confirm_url = the_link(message, "confirm")
    assert confirm_url.startswith("http://testserver/alerts/confirm/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{confirm_url}"' in html


def test_a_malformed_email_gets_a_message_on_the_form_and_nothing_is_stored(client, mailoutbox):
    response = sign_up(client, email="not an address", q="азаптау")
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert not Alert.objects.exists()
    run_worker()
    assert mailoutbox == []


def test_a_search_with_nothing_to_follow_is_refused(client):
    for search in ({"q": "және"}, {}, {"q": "азаптау", "year": "abc"}, {"topic": "nonesuch"}):
        response = sign_up(client, **search)
        assert response.status_code == 400, search
        assert b"This search cannot be followed" in response.content
    assert not Alert.objects.exists()


def test_signing_up_needs_a_post_with_a_csrf_token():
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR=next(ADDRESSES))
    assert browser.get(f"{SUBSCRIBE}?q=азаптау").status_code == 405
    assert browser.post(f"{SUBSCRIBE}?q=азаптау", {"email": EMAIL}).status_code == 403
    assert not Alert.objects.exists()


def _answer(response) -> str:
    # The page's CSRF token (the language switcher's) is masked afresh on every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_second_sign_up_sends_nothing_and_answers_the_same(client, mailoutbox):
    first = sign_up(client, q="азаптау")
    run_worker()
    second = sign_up(client, email=EMAIL.upper(), q="азаптау")
    run_worker()
    assert len(mailoutbox) == 1
    assert Alert.objects.count() == 1
    alerts.confirm(Alert.objects.get())
    third = sign_up(client, q="азаптау")
    run_worker()
    assert len(mailoutbox) == 1
    assert first.status_code == second.status_code == third.status_code == 200
    assert _answer(first) == _answer(second) == _answer(third)


def test_the_same_address_may_follow_another_search(client, mailoutbox):
    sign_up(client, q="азаптау")
    sign_up(client, q="азаптау", language="kk")
    run_worker()
    assert len(mailoutbox) == 2
    assert Alert.objects.filter(email=EMAIL).count() == 2


def test_after_the_link_expires_signing_up_again_sends_a_new_confirmation(client, mailoutbox):
    sign_up(client, q="азаптау")
    run_worker()
    Alert.objects.update(created=timezone.now() - timedelta(days=8))
    sign_up(client, q="азаптау")
    run_worker()
    assert len(mailoutbox) == 2
    assert Alert.objects.count() == 1  # the expired sign-up was deleted


def test_an_address_gets_at_most_a_few_confirmations_whoever_signs_it_up(mailoutbox):
    def stranger():  # each sign-up from another client address, under no rate limit
        return Client(headers={"accept-language": "en"}, REMOTE_ADDR=next(ADDRESSES))

    for year in range(2016, 2022):
        assert sign_up(stranger(), q="азаптау", year=str(year)).status_code == 200
    run_worker()
    assert len(mailoutbox) == alerts.MAX_UNCONFIRMED == 3
    assert Alert.objects.filter(email=EMAIL).count() == 3
    # Beyond the cap the answer is the one any sign-up gets.
    over = sign_up(stranger(), q="азаптау", year="2015")
    fresh = sign_up(stranger(), email="someone@example.org", q="азаптау", year="2015")
    assert _answer(over) == _answer(fresh).replace("someone@example.org", EMAIL)
    # A confirmed alert awaits nothing: the address may ask for one more.
    alerts.confirm(Alert.objects.filter(email=EMAIL).first())
    sign_up(stranger(), q="азаптау", year="2015")
    run_worker()
    assert [m.to for m in mailoutbox[3:]] == [["someone@example.org"], [EMAIL]]


def test_mails_quote_sixty_characters_of_the_query_and_a_confirmations_subject_none(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    words = ["claimyourprize", "atevilexample", "callnow", "freemoney", "clickhere"]
    query = " OR ".join(["азаптау", *words])
    shown = f"“{query[:59]}…”"
    sign_up(client, q=query)
    run_worker()
    confirmation = mailoutbox.pop()
    assert confirmation.subject == "Confirm your Rights Archive alert"
    assert shown in confirmation.body and query not in confirmation.body
    alerts.confirm(Alert.objects.get())
    publish(django_capture_on_commit_callbacks)
    (alert_mail_sent,) = mailoutbox
    assert alert_mail_sent.subject.endswith(f" paragraphs for {shown}")
    assert query not in alert_mail_sent.body and query not in alert_mail_sent.alternatives[0][0]


def test_sign_ups_are_rate_limited_per_client_address(client, settings, mailoutbox):
    settings.ALERT_SIGNUP_RATE_LIMIT = "2/h"
    for n in range(2):
        assert sign_up(client, email=f"r{n}@example.org", q="азаптау").status_code == 200
    response = sign_up(client, email="r3@example.org", q="азаптау")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert b"Too many sign-ups" in response.content
    assert Alert.objects.count() == 2


# --- Confirming ---------------------------------------------------------------------------


def test_the_confirmation_link_shows_a_button_and_the_button_confirms(client, mailoutbox):
    sign_up(client, q="азаптау")
    run_worker()
    path = path_of(the_link(mailoutbox[0], "confirm"))
    page = client.get(path)
    assert page.status_code == 200
    assert b'id="alert-confirm"' in page.content
    assert Alert.objects.get().confirmed is None  # opening the link alone confirms nothing
    done = client.post(path)
    assert done.status_code == 200
    assert b'id="alert-confirmed"' in done.content
    assert Alert.objects.get().confirmed is not None


def test_a_forged_confirmation_link_changes_nothing(client):
    sign_up(client, q="азаптау")
    alert = Alert.objects.get()
    forged = signing.dumps(alert.pk, salt="another.salt")
    for token in (forged, alert.confirm_token() + "x", "garbage"):
        response = client.post(f"/alerts/confirm/{token}/")
        assert response.status_code == 400
        assert b"This link is not valid" in response.content
    # An unsubscribe token is no confirmation token.
    assert client.post(f"/alerts/confirm/{alert.unsubscribe_token()}/").status_code == 400
    assert Alert.objects.get().confirmed is None


def test_an_expired_confirmation_link_is_gone(client, settings):
    sign_up(client, q="азаптау")
    alert = Alert.objects.get()
    past = time.time() - (settings.ALERT_CONFIRM_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=past):
        token = alert.confirm_token()
    response = client.post(f"/alerts/confirm/{token}/")
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    assert Alert.objects.get().confirmed is None


def test_confirming_an_unsubscribed_alert_says_it_is_gone(client):
    alert = confirmed_alert()
    token = alert.confirm_token()
    alert.delete()
    assert client.get(f"/alerts/confirm/{token}/").status_code == 410


# --- The alert mail -----------------------------------------------------------------------


def test_a_published_report_mails_each_alert_its_new_matching_paragraphs(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    alert = confirmed_alert()
    report = publish(django_capture_on_commit_callbacks)
    expected = matching_numbers("азаптау", 2019)
    assert expected
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert message.subject == f"New in KZ 2019 (kk): {len(expected)} paragraphs for “азаптау”"
    permalinks = [url for url in links(message.body) if "/p/" in url]
    assert permalinks == [f"http://testserver/kz/2019/kk/p/{n}/" for n in expected]
    for url in permalinks:  # each one opens its paragraph
        assert client.get(path_of(url), follow=True).status_code == 200
    assert report.title in message.body
    assert "азаптау" in message.body.lower()
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<mark>" in html
    assert all(f'href="{url}"' in html for url in permalinks)
    unsubscribe_url = the_link(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert signing.loads(path_of(unsubscribe_url).split("/")[3], salt=UNSUBSCRIBE_SALT) == (
        alert.pk
    )


def test_every_mail_carries_the_one_click_unsubscribe_headers(client, mailoutbox):
    sign_up(client, q="азаптау")
    run_worker()
    message = mailoutbox[0]
    unsubscribe_url = the_link(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # And the headers survive into the message as sent.
    sent = message.message()
    assert sent["List-Unsubscribe"] == f"<{unsubscribe_url}>"


def test_links_in_mails_use_site_url_when_it_is_set(settings, mailoutbox, client):
    settings.SITE_URL = "https://archive.example.org"
    sign_up(client, q="азаптау")
    run_worker()
    assert the_link(mailoutbox[0], "confirm").startswith("https://archive.example.org/alerts/")


def test_no_mail_when_nothing_new_matches(mailoutbox, django_capture_on_commit_callbacks):
    confirmed_alert(search="q=blockchain")
    confirmed_alert(email="other@example.org", search="q=азаптау&year=2022")
    confirmed_alert(email="english@example.org", search="q=азаптау&language=en")
    publish(django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_unconfirmed_alerts_get_no_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, q="азаптау")
    run_worker()
    mailoutbox.clear()
    confirmed_alert(email="someone-else@example.org", search="q=blockchain")
    publish(django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_a_topic_alert_gets_the_topics_new_paragraphs(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get("/topics/torture/")
    assert 'action="/alerts/subscribe/?topic=torture"' in page.content.decode()
    sign_up(client, topic="torture")
    run_worker()
    client.post(path_of(the_link(mailoutbox[0], "confirm")))
    mailoutbox.clear()
    publish(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    report = Report.objects.get(country="KZ", year=2019)
    torture = report.sections.get(code="1c").paragraphs.order_by("ordinal")
    permalinks = [url for url in links(mailoutbox[0].body) if "/p/" in url]
    assert permalinks == [f"http://testserver/kz/2019/kk/p/{p.number}/" for p in torture]


def test_a_re_upload_mails_only_paragraphs_the_alert_has_not_had(
    mailoutbox, django_capture_on_commit_callbacks
):
    confirmed_alert()
    publish(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    # The same report again: nothing new.
    publish(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    # A re-upload with one more matching paragraph: that one alone.
    parsed = small_report()
    torture = next(s for s in parsed.sections if s.code == "1c")
    torture.paragraphs.append("Бұл жаңа абзацта азаптау туралы жаңа мәлімет бар.")
    publish(django_capture_on_commit_callbacks, parsed)
    assert len(mailoutbox) == 2
    report = Report.objects.get(country="KZ", year=2019)
    added = report.paragraphs.get(text__startswith="Бұл жаңа абзацта")
    permalinks = [url for url in links(mailoutbox[1].body) if "/p/" in url]
    assert permalinks == [f"http://testserver/kz/2019/kk/p/{added.number}/"]


class MailServerDown(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusesOneAddress(locmem.EmailBackend):
    """A mail server that refuses one recipient and delivers the others' mail."""

    def send_messages(self, messages):
        for message in messages:
            if "refused@example.org" in message.to:
                raise smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"no")})
        return super().send_messages(messages)


def alert_mail_tasks(status):
    return DBTaskResult.objects.filter(task_path="search.alerts.send_alert_mail", status=status)


def test_a_mail_server_outage_fails_each_alerts_task_and_the_retries_mail_it_once(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed_alert()
    confirmed_alert(email="other@example.org")
    settings.EMAIL_BACKEND = "tests.test_alerts.MailServerDown"
    publish(django_capture_on_commit_callbacks)
    assert mailoutbox == []
    failed = alert_mail_tasks(TaskResultStatus.FAILED)
    assert failed.count() == 2  # one task per alert, each failed: nothing logged and lost
    assert all("SMTPServerDisconnected" in task.traceback for task in failed)
    retries = alert_mail_tasks(TaskResultStatus.READY)
    assert retries.count() == 2
    assert all(task.run_after > timezone.now() for task in retries)  # later, not in a loop
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retries.update(run_after=timezone.now())  # their time has come, the server is back
    run_worker()
    assert sorted(message.to[0] for message in mailoutbox) == ["other@example.org", EMAIL]
    assert alert_mail_tasks(TaskResultStatus.SUCCESSFUL).count() == 2
    run_worker()
    publish(django_capture_on_commit_callbacks)  # the same report again: nothing new
    assert len(mailoutbox) == 2


def test_a_refused_address_fails_its_own_task_and_the_others_are_mailed(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed_alert(email="refused@example.org")
    confirmed_alert()
    settings.EMAIL_BACKEND = "tests.test_alerts.RefusesOneAddress"
    publish(django_capture_on_commit_callbacks)
    assert [message.to for message in mailoutbox] == [[EMAIL]]
    (failed,) = alert_mail_tasks(TaskResultStatus.FAILED)
    refused = Alert.objects.get(email="refused@example.org")
    assert failed.args_kwargs["args"][0] == refused.pk
    (retry,) = alert_mail_tasks(TaskResultStatus.READY)
    assert retry.args_kwargs["args"] == [*failed.args_kwargs["args"], 2]  # attempt 2


def test_retries_stop_after_the_last_and_leave_the_task_failed(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed_alert()
    settings.EMAIL_BACKEND = "tests.test_alerts.MailServerDown"
    publish(django_capture_on_commit_callbacks)
    for _ in alerts.RETRY_MINUTES:
        alert_mail_tasks(TaskResultStatus.READY).update(run_after=timezone.now())
        run_worker()
    assert alert_mail_tasks(TaskResultStatus.FAILED).count() == 1 + len(alerts.RETRY_MINUTES)
    assert not alert_mail_tasks(TaskResultStatus.READY).exists()
    assert mailoutbox == []


def test_an_alert_confirmed_after_a_publication_is_not_sent_its_old_paragraphs(
    mailoutbox, django_capture_on_commit_callbacks
):
    report = publish(django_capture_on_commit_callbacks)  # no alert yet: nothing to mail
    announced = ReportAnnouncement.objects.get(report=report)
    assert len(announced.numbers) == report.paragraphs.count()
    confirmed_alert()
    publish(django_capture_on_commit_callbacks)  # re-uploaded unchanged
    assert mailoutbox == []


def test_an_alert_mail_lists_at_most_a_screenful_and_links_to_the_rest(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(alert_mail, "MAIL_PARAGRAPHS", 2)
    confirmed_alert()
    publish(django_capture_on_commit_callbacks)
    body = mailoutbox[0].body
    assert len([url for url in links(body) if "/p/" in url]) == 2
    more = len(matching_numbers("азаптау", 2019)) - 2
    assert f"{more} more paragraphs: http://testserver/search/?q=" in body
    assert "year=2019&country=KZ&language=kk" in body


def test_an_alert_mail_is_in_the_language_of_the_sign_up(
    mailoutbox, django_capture_on_commit_callbacks
):
    confirmed_alert(search="q=азаптау&language=kk", language="ru")
    publish(django_capture_on_commit_callbacks)
    assert "«азаптау», Казахский" in mailoutbox[0].subject


@pytest.mark.parametrize(
    "language, expected",
    [("kk", "«азаптау», 2022"), ("ru", "«азаптау», 2022"), ("en", "“азаптау”, 2022")],
)
def test_the_query_is_quoted_as_the_interface_language_quotes(language, expected):
    with translation.override(language):
        assert followed.describe("q=азаптау&year_from=2022&year_to=2022") == expected


# --- Unsubscribing ------------------------------------------------------------------------


def test_one_click_unsubscribe_is_a_post_without_a_csrf_token(mailoutbox):
    alert = confirmed_alert()
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/alerts/unsubscribe/{alert.unsubscribe_token()}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Alert.objects.exists()


def test_the_unsubscribe_link_in_a_browser_asks_first(client):
    alert = confirmed_alert()
    path = f"/alerts/unsubscribe/{alert.unsubscribe_token()}/"
    page = client.get(path)
    assert page.status_code == 200
    assert b'id="alert-unsubscribe"' in page.content
    assert Alert.objects.exists()
    done = client.post(path)
    assert b'id="alert-unsubscribed"' in done.content
    assert not Alert.objects.exists()
    # Again: nothing to do, the same answer.
    assert b'id="alert-unsubscribed"' in client.post(path).content
    assert b'id="alert-unsubscribed"' in client.get(path).content


def test_a_forged_unsubscribe_link_removes_nothing(client):
    alert = confirmed_alert()
    for token in (signing.dumps(alert.pk, salt=CONFIRM_SALT), "garbage"):
        response = client.post(f"/alerts/unsubscribe/{token}/")
        assert response.status_code == 400
    assert Alert.objects.exists()


def test_a_report_deleted_and_uploaded_again_is_a_new_publication(
    mailoutbox, django_capture_on_commit_callbacks
):
    confirmed_alert()
    publish(django_capture_on_commit_callbacks).delete()
    publish(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2


def test_an_unsubscribed_alert_gets_no_more_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    alert = confirmed_alert()
    client.post(f"/alerts/unsubscribe/{alert.unsubscribe_token()}/")
    publish(django_capture_on_commit_callbacks)
    assert mailoutbox == []


# --- The form on the pages ----------------------------------------------------------------


def test_the_search_page_offers_an_alert_for_its_search(client):
    page = client.get("/search/", {"q": "азаптау", "year": "2022", "page": "1"})
    html = page.content.decode()
    assert (
        'action="/alerts/subscribe/?q=%D0%B0%D0%B7%D0%B0%D0%BF%D1%82%D0%B0%D1%83'
        '&amp;year_from=2022&amp;year_to=2022"'
    ) in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'type="email" name="email"' in html


def test_the_search_page_without_a_query_offers_no_alert(client):
    assert b"alert-signup" not in client.get("/search/").content


def test_admins_see_who_follows_what(admin_client):
    confirmed_alert(search="q=азаптау&topic=torture")
    page = admin_client.get("/admin/search/alert/", headers={"accept-language": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert EMAIL in html
    assert "“азаптау”, topic: Torture" in html
