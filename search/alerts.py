"""Email alerts without an account: double opt-in sign-up, one mail per alert and published
report listing the new paragraphs that match its search, one-click unsubscribe.

- Sign-up (`sign_up`) stores the address with the search (`normalised_search`: the
  SearchForm's parameters as a canonical query string; a topic page's alert is
  ``topic=slug``), unconfirmed, and queues the confirmation mail. Signing up again for the
  same address and search sends nothing: not while the first link is valid, never once the
  alert is confirmed. Unconfirmed sign-ups are deleted once their link has expired
  (ALERT_CONFIRM_DAYS), at the next sign-up, so that address may then sign up afresh.
- Links carry signed tokens (django.core.signing): the confirmation link expires after
  ALERT_CONFIRM_DAYS; the unsubscribe link never does (it dies with the alert).
- Publication (`announce`, on sections.signals.report_published) records the report's
  paragraph numbers in ReportAnnouncement and queues one task, `send_report_alerts`, with the
  numbers that had never been announced: a re-upload (or a report unpublished and published
  again) announces only its new paragraphs, so no alert gets a paragraph twice (a report
  deleted and uploaded anew is a new publication). A number is announced before its mails
  are sent: a worker that dies midway leaves some alerts without that mail rather than any
  with two.
- Every mail (EmailMultiAlternatives, text and HTML) has an unsubscribe link in its body and
  the RFC 8058 headers, `List-Unsubscribe: <URL>` and `List-Unsubscribe-Post`.

Links in mails are absolute: settings.SITE_URL when set, else the site's address as the
subscriber used it when signing up (Django checked its host against ALLOWED_HOSTS).
"""

import html
import logging
from dataclasses import replace
from datetime import timedelta
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import mail, signing
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext
from django_tasks import task

from search.engine import SearchTimeout, search_time_limit
from search.forms import SearchForm
from search.highlight import snippet
from search.models import Alert, ReportAnnouncement
from search.query import parse_query
from search.ranking import matching
from sections.countries import country_name
from sections.models import Language, Paragraph, Report, Topic

logger = logging.getLogger(__name__)

# The search parameters an alert keeps, in the order of its canonical query string.
SEARCH_PARAMETERS = ("q", "year_from", "year_to", "topic", "section", "language", "country")
CONFIRM_SALT = "search.alerts.confirm"
UNSUBSCRIBE_SALT = "search.alerts.unsubscribe"
# An alert mail lists at most this many paragraphs, then links to the search for the rest.
MAIL_PARAGRAPHS = 50


def normalised_search(form: SearchForm) -> str:
    """The search of a valid SearchForm as a canonical query string: its parameters in a
    fixed order, empty ones left out, `year` as year_from and year_to (page and limit are
    not part of a search)."""
    data = form.cleaned_data
    pairs = [(name, data.get(name)) for name in SEARCH_PARAMETERS]
    return urlencode([(name, value) for name, value in pairs if value not in (None, "")])


def search_form(search: str) -> SearchForm:
    """A bound SearchForm of a stored search (validate it: a topic may have been removed)."""
    return SearchForm(QueryDict(search))


def search_path(search: str) -> str:
    """The page of a stored search: the results, or for a topic alert the topic page."""
    params = QueryDict(search)
    if not params.get("q") and params.get("topic"):
        return reverse("sections:topic", args=[params["topic"]])
    return f"{reverse('search:page')}?{search}"


def followable(form: SearchForm) -> bool:
    """Whether a valid search can be followed: it has words to search, or names a topic
    (then every new paragraph of that topic's sections matches)."""
    q = form.cleaned_data["q"]
    return bool(parse_query(q)) if q else bool(form.cleaned_data["topic"])


def describe(search: str) -> str:
    """The search in words for pages and mails (active language): “азаптау”, 2020–2022, …"""
    form = search_form(search)
    if not form.is_valid():
        return search
    data = form.cleaned_data
    parts = [f"“{data['q']}”"] if data["q"] else []
    year_from, year_to = data.get("year_from"), data.get("year_to")
    if year_from and year_from == year_to:
        parts.append(str(year_from))
    elif year_from or year_to:
        parts.append(f"{year_from or '…'}–{year_to or '…'}")
    if data["topic"]:
        topic = Topic.objects.filter(slug=data["topic"]).first()
        parts.append(gettext("topic: %(name)s") % {"name": topic.name if topic else data["topic"]})
    if data["section"]:
        parts.append(gettext("section %(code)s") % {"code": data["section"]})
    if data["language"]:
        parts.append(str(dict(Language.choices)[data["language"]]))
    if data["country"]:
        parts.append(country_name(data["country"], translation.get_language() or "kk"))
    return ", ".join(parts)


# --- Sign-up, confirmation, unsubscribing ---------------------------------------------------


def sign_up(email: str, search: str, *, language: str, site_url: str) -> None:
    """Record an unconfirmed alert and queue its confirmation mail, unless this address
    already has this search (confirmed, or with a valid link): then nothing happens. The
    caller answers the same either way."""
    email = BaseUserManager.normalize_email(email.strip())
    with transaction.atomic():
        expired = timezone.now() - timedelta(days=settings.ALERT_CONFIRM_DAYS)
        Alert.objects.unconfirmed_since(expired).delete()
        alert, created = Alert.objects.get_or_create(
            email__iexact=email,
            search=search,
            defaults={"email": email, "language": language, "site_url": site_url},
        )
        if created:
            # In the sign-up's transaction: the alert and its queued mail commit together.
            send_confirmation.enqueue(alert.pk)


def confirm_token(alert: Alert) -> str:
    return signing.dumps(alert.pk, salt=CONFIRM_SALT)


def unsubscribe_token(alert: Alert) -> str:
    return signing.dumps(alert.pk, salt=UNSUBSCRIBE_SALT)


def alert_for_confirmation(token: str) -> Alert | None:
    """The alert a confirmation token names (None: it is gone); raises
    signing.SignatureExpired after ALERT_CONFIRM_DAYS and signing.BadSignature if forged."""
    max_age = timedelta(days=settings.ALERT_CONFIRM_DAYS)
    pk = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    return Alert.objects.filter(pk=pk).first()


def alert_for_unsubscribing(token: str) -> tuple[int, Alert | None]:
    """The id an unsubscribe token names and its alert (None: already gone); raises
    signing.BadSignature if the token was not made here."""
    pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return pk, Alert.objects.filter(pk=pk).first()


def confirm(alert: Alert) -> None:
    """Start mailing the alert (a second confirmation changes nothing)."""
    Alert.objects.filter(pk=alert.pk, confirmed__isnull=True).update(confirmed=timezone.now())


def unsubscribe(pk: int) -> None:
    """Delete the alert, address and all (again: nothing to do)."""
    Alert.objects.filter(pk=pk).delete()


# --- Mails ----------------------------------------------------------------------------------


def site_link(alert: Alert, path: str) -> str:
    """An absolute link for a mail: on SITE_URL, else on the site the subscriber used."""
    return (settings.SITE_URL or alert.site_url).rstrip("/") + path


def _message(alert: Alert, subject: str, template: str, context: dict, connection=None):
    """A mail to the alert's address from templates search/mail/<template>.txt and .html,
    with the unsubscribe link in the body and the one-click headers (RFC 8058)."""
    unsubscribe_url = site_link(
        alert, reverse("search:alert_unsubscribe", args=[unsubscribe_token(alert)])
    )
    context = {
        **context,
        "alert": alert,
        "search_text": describe(alert.search),
        "unsubscribe_url": unsubscribe_url,
    }
    message = mail.EmailMultiAlternatives(
        subject,
        render_to_string(f"search/mail/{template}.txt", context),
        to=[alert.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    html_body = render_to_string(f"search/mail/{template}.html", context)
    message.attach_alternative(html_body, "text/html")
    return message


def confirmation_message(alert: Alert):
    """The double opt-in mail: what will be followed, and the signed confirmation link."""
    with translation.override(alert.language):
        confirm_url = site_link(alert, reverse("search:alert_confirm", args=[confirm_token(alert)]))
        subject = gettext("Confirm your Rights Archive alert for %(search)s") % {
            "search": describe(alert.search)
        }
        context = {"confirm_url": confirm_url, "days": settings.ALERT_CONFIRM_DAYS}
        return _message(alert, subject, "alert_confirm", context)


@task()
def send_confirmation(alert_id: int) -> bool:
    """The background task: mail the confirmation link (nothing once confirmed or gone)."""
    alert = Alert.objects.filter(pk=alert_id, confirmed__isnull=True).first()
    if alert is None:
        return False
    confirmation_message(alert).send()
    return True


# --- Publication ----------------------------------------------------------------------------


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


def more_link(alert: Alert, report: Report) -> str:
    """Where all the report's matches are: the search within that report, or for a topic
    alert the report itself."""
    form = search_form(alert.search)
    q = form.cleaned_data.get("q") if form.is_valid() else ""
    if not q:
        return site_link(alert, report.get_absolute_url())
    params = QueryDict(alert.search, mutable=True)
    for name in ("year_from", "year_to"):
        params.pop(name, None)
    params["year"] = str(report.year)
    params["country"] = report.country
    params["language"] = report.language
    return site_link(alert, f"{reverse('search:page')}?{params.urlencode()}")


def alert_message(alert: Alert, report: Report, paragraphs: list, keys, connection=None):
    """One mail listing a report's new matching paragraphs (up to MAIL_PARAGRAPHS), each
    with its section, number, snippet and absolute permalink."""
    with translation.override(alert.language):
        listed = paragraphs[:MAIL_PARAGRAPHS]
        sections = []  # [(section, [entry…])] in reading order
        for section, group in groupby(listed, key=lambda paragraph: paragraph.section):
            entries = []
            for paragraph in group:
                marked = snippet(paragraph.text, keys, paragraph.language)
                path = reverse("sections:paragraph", args=[*report.url_args, paragraph.number])
                entries.append(
                    {
                        "number": paragraph.number,
                        "snippet_html": marked,
                        "snippet_text": html.unescape(strip_tags(marked)),
                        "permalink": site_link(alert, path),
                    }
                )
            sections.append((section, entries))
        subject = ngettext(
            "New in %(report)s: %(count)s paragraph for %(search)s",
            "New in %(report)s: %(count)s paragraphs for %(search)s",
            len(paragraphs),
        ) % {"report": report, "count": len(paragraphs), "search": describe(alert.search)}
        context = {
            "report": report,
            "report_url": site_link(alert, report.get_absolute_url()),
            "sections": sections,
            "total": len(paragraphs),
            "more": len(paragraphs) - len(listed),
            "more_url": more_link(alert, report),
        }
        return _message(alert, subject, "alert", context, connection)


def send_alert(alert: Alert, report: Report, numbers: list[int], connection=None) -> bool:
    """Mail the alert the report's new matching paragraphs; False when none match."""
    paragraphs, keys = new_matches(alert, report, numbers)
    if not paragraphs:
        return False
    alert_message(alert, report, paragraphs, keys, connection).send()
    return True


@task()
def send_report_alerts(report_id: int, numbers: list[int]) -> int:
    """The background task after a publication: one mail to each confirmed alert that the
    report's newly announced paragraphs `numbers` match; return how many were sent."""
    report = Report.objects.filter(pk=report_id, published=True).first()
    if report is None:
        return 0
    sent = 0
    # One SMTP session for all the mails of a publication.
    with mail.get_connection() as connection:
        for alert in Alert.objects.confirmed().order_by("pk").iterator():
            try:
                sent += send_alert(alert, report, numbers, connection)
            except SearchTimeout:
                logger.warning("alert %s: its search ran out of time on %s", alert.pk, report)
            except Exception:
                # One refused address or broken search must not stop the others' mails.
                logger.exception("alert %s: not mailed for %s", alert.pk, report)
    return sent
