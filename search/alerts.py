"""Email alerts without an account: double opt-in sign-up, confirmation, unsubscribing, and
the background tasks that mail (search.alert_mail builds the mails; search.followed gives
the canonical search an alert stores and its description).

- Sign-up (`sign_up`) stores the address with the search (search.followed.normalised_search),
  unconfirmed, and queues the confirmation mail. Signing up again for the same address and
  search sends nothing: not while the first link is valid, never once the alert is
  confirmed. Nor does a sign-up for an address that already has MAX_UNCONFIRMED sign-ups
  waiting for confirmation, so that nobody can fill a stranger's mailbox with confirmations
  (whatever client addresses they sign up from). Unconfirmed sign-ups are deleted once their
  link has expired (ALERT_CONFIRM_DAYS), at the next sign-up, so that address may then sign
  up afresh.
- Links carry signed tokens (Alert.confirm_token, Alert.unsubscribe_token): the confirmation
  link expires after ALERT_CONFIRM_DAYS; the unsubscribe link never does (it dies with the
  alert).
- Publication (`announce`, on sections.signals.report_published) records the report's
  paragraph numbers in ReportAnnouncement and queues one task, `send_report_alerts`, with the
  numbers that had never been announced: a re-upload (or a report unpublished and published
  again) announces only its new paragraphs, so no alert gets a paragraph twice (a report
  deleted and uploaded anew is a new publication). That task queues one `send_alert_mail`
  per confirmed alert with those numbers, so that each mail succeeds or fails on its own: a
  failed one is a failed task (visible in the admin's task results, with its traceback) and
  is queued again later (RETRY_MINUTES), so a mail server outage of up to 14 hours delays
  the mails rather than losing them. A mail that raised was not sent; a worker killed
  during a send leaves that task running, never retried, so no alert gets a mail twice.
"""

import logging
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from search import alert_mail
from search.engine import search_time_limit
from search.followed import followable, search_form
from search.models import Alert, ReportAnnouncement
from search.query import parse_query
from search.ranking import matching
from sections.models import Paragraph, Report

logger = logging.getLogger(__name__)

# Sign-ups one address may have awaiting confirmation; more are answered alike, unsent.
MAX_UNCONFIRMED = 3
# Minutes until a failed alert mail is tried again, after each failure; after the last one
# its task stays failed (in the admin's task results).
RETRY_MINUTES = (5, 30, 120, 720)
# First key of the advisory lock of an address's sign-ups (sections.jobs, .bulk: 0x...01, 02).
SIGNUP_LOCK = 0x52410003

# --- Sign-up, confirmation, unsubscribing ---------------------------------------------------


def sign_up(email: str, search: str, *, language: str, site_url: str) -> None:
    """Record an unconfirmed alert and queue its confirmation mail, unless this address
    already has this search (confirmed, or with a valid link) or MAX_UNCONFIRMED sign-ups
    awaiting confirmation: then nothing happens. The caller answers the same either way."""
    email = BaseUserManager.normalize_email(email.strip())
    with transaction.atomic():
        _lock_address(email)
        expired = timezone.now() - timedelta(days=settings.ALERT_CONFIRM_DAYS)
        Alert.objects.unconfirmed_since(expired).delete()
        mine = Alert.objects.filter(email__iexact=email)
        if mine.filter(search=search).exists():
            return
        if mine.filter(confirmed__isnull=True).count() >= MAX_UNCONFIRMED:
            return
        alert = Alert.objects.create(
            email=email, search=search, language=language, site_url=site_url
        )
        # In the sign-up's transaction: the alert and its queued mail commit together.
        send_confirmation.enqueue(alert.pk)


def _lock_address(email: str) -> None:
    """Hold one address's sign-ups to one at a time until the transaction ends, so that
    simultaneous sign-ups cannot pass MAX_UNCONFIRMED together."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(lower(%s)))", [SIGNUP_LOCK, email]
        )


def confirm(alert: Alert) -> None:
    """Start mailing the alert (a second confirmation changes nothing)."""
    Alert.objects.filter(pk=alert.pk, confirmed__isnull=True).update(confirmed=timezone.now())


def unsubscribe(pk: int) -> None:
    """Delete the alert, address and all (again: nothing to do)."""
    Alert.objects.filter(pk=pk).delete()


# --- Mails and publication ----------------------------------------------------------------


@task()
def send_confirmation(alert_id: int) -> bool:
    """The background task: mail the confirmation link (nothing once confirmed or gone)."""
    alert = Alert.objects.filter(pk=alert_id, confirmed__isnull=True).first()
    if alert is None:
        return False
    alert_mail.confirmation_message(alert).send()
    return True


def announce(report: Report) -> list[int]:
    """Record a published report's paragraphs as announced and queue the alert mails for the
    ones never announced before; return those paragraph numbers."""
    with transaction.atomic():
        if not Report.objects.filter(pk=report.pk, published=True).exists():
            return []  # unpublished again before this ran
        announcement, _ = ReportAnnouncement.objects.select_for_update().get_or_create(
            report_id=report.pk
        )
        numbers = set(Paragraph.objects.filter(report=report).values_list("number", flat=True))
        new = sorted(numbers - set(announcement.numbers))
        if not new:
            return []
        announcement.numbers = sorted(numbers | set(announcement.numbers))
        announcement.save(update_fields=["numbers", "updated"])
        if Alert.objects.confirmed().exists():
            send_report_alerts.enqueue(report.pk, new)
    return new


def new_matches(alert: Alert, report: Report, numbers: list[int]) -> tuple[list, frozenset]:
    """The paragraphs of `report` numbered in `numbers` that match the alert's search, in
    reading order, and the lexemes to highlight in them."""
    form = search_form(alert.search)
    if not form.is_valid() or not followable(form):
        return [], frozenset()
    filters = form.filters
    if not filters.reports().filter(pk=report.pk).exists():
        return [], frozenset()
    # Narrowed to the report, so that the index answers its year and country.
    filters = replace(
        filters,
        year_from=report.year,
        year_to=report.year,
        country=report.country,
        language=report.language,
    )
    parsed = parse_query(form.cleaned_data["q"])
    if parsed:
        paragraphs = matching(parsed.tsquery, filters, parsed.exact_forms)
    else:
        paragraphs = Paragraph.objects.filter(filters.q())  # a topic: all its new paragraphs
    paragraphs = (
        paragraphs.filter(report=report, number__in=numbers)
        .select_related("section")
        .defer("search_vector")
        .order_by("ordinal")
    )
    with search_time_limit():
        found = list(paragraphs)
    return found, parsed.highlight_keys


def send_alert(alert: Alert, report: Report, numbers: list[int]) -> bool:
    """Mail the alert the report's new matching paragraphs; False when none match."""
    paragraphs, keys = new_matches(alert, report, numbers)
    if not paragraphs:
        return False
    alert_mail.alert_message(alert, report, paragraphs, keys).send()
    return True


@task()
def send_report_alerts(report_id: int, numbers: list[int]) -> int:
    """The background task after a publication: queue one `send_alert_mail` for each
    confirmed alert with the report's newly announced paragraph numbers (all of them or,
    should this fail, none); return how many were queued."""
    if not Report.objects.filter(pk=report_id, published=True).exists():
        return 0
    with transaction.atomic():
        alert_ids = list(Alert.objects.confirmed().order_by("pk").values_list("pk", flat=True))
        for alert_id in alert_ids:
            send_alert_mail.enqueue(alert_id, report_id, numbers)
    return len(alert_ids)


@task()
def send_alert_mail(alert_id: int, report_id: int, numbers: list[int], attempt: int = 1) -> bool:
    """The background task of one alert and one publication: mail the alert the paragraphs
    `numbers` that match it; False when none do, or the alert or the report is gone.

    A failure (the mail server refusing or down, the search out of time) fails this task, so
    the tasks admin shows it with its traceback, and first queues the same mail again,
    RETRY_MINUTES later. The numbers are this publication's alone, and a mail that raised
    was not sent, so a retry mails no paragraph twice.
    """
    alert = Alert.objects.confirmed().filter(pk=alert_id).first()
    report = Report.objects.filter(pk=report_id, published=True).first()
    if alert is None or report is None:
        return False
    try:
        return send_alert(alert, report, numbers)
    except Exception:
        if attempt <= len(RETRY_MINUTES):
            later = timezone.now() + timedelta(minutes=RETRY_MINUTES[attempt - 1])
            retry = send_alert_mail.using(run_after=later)
            retry.enqueue(alert_id, report_id, numbers, attempt + 1)
            logger.warning(
                "alert %s: mail for %s failed; tried again after %s", alert_id, report, later
            )
        raise
