"""The mails of email alerts: the double opt-in confirmation, and the mail listing a published
report's new paragraphs for one alert. Each is in the language of the sign-up, as text and
HTML (templates search/mail/<name>.txt and .html), and carries an unsubscribe link in its
body and the RFC 8058 headers, `List-Unsubscribe: <URL>` and `List-Unsubscribe-Post`.

Links in mails are absolute: settings.SITE_URL when set, else the site's address as the
subscriber used it when signing up (Django checked its host against ALLOWED_HOSTS).
"""

import html
from itertools import groupby
from urllib.parse import urljoin

from django.conf import settings
from django.core import mail
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext

from search.followed import describe, search_form
from search.highlight import snippet
from search.models import Alert
from sections.links import site_url
from sections.models import Report

# An alert mail lists at most this many paragraphs, then links to the search for the rest.
MAIL_PARAGRAPHS = 50
# A mail quotes at most this much of the query: anyone may sign an address up, so a mail
# must not carry a stranger's text (the confirmation's subject holds none of it).
MAIL_QUERY_CHARS = 60


def site_link(alert: Alert, path: str) -> str:
    """An absolute link for a mail: on SITE_URL (sections.links.site_url), else on the site
    the subscriber used (no request to take a host from in the worker)."""
    return urljoin(alert.site_url, site_url(path))


def _message(alert: Alert, subject: str, template: str, context: dict):
    """A mail to the alert's address from templates search/mail/<template>.txt and .html,
    with the unsubscribe link in the body and the one-click headers (RFC 8058)."""
    unsubscribe_url = site_link(
        alert, reverse("search:alert_unsubscribe", args=[alert.unsubscribe_token()])
    )
    context = {**context, "alert": alert, "unsubscribe_url": unsubscribe_url}
    if "search_text" not in context:  # the alert mail has it already, for its subject
        context["search_text"] = describe(alert.search, MAIL_QUERY_CHARS)
    message = mail.EmailMultiAlternatives(
        subject,
        render_to_string(f"search/mail/{template}.txt", context),
        to=[alert.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    html_body = render_to_string(f"search/mail/{template}.html", context)
    message.attach_alternative(html_body, "text/html")
    return message


def confirmation_message(alert: Alert):
    """The double opt-in mail: what will be followed, and the signed confirmation link."""
    with translation.override(alert.language):
        path = reverse("search:alert_confirm", args=[alert.confirm_token()])
        subject = gettext("Confirm your Rights Archive alert")
        context = {"confirm_url": site_link(alert, path), "days": settings.ALERT_CONFIRM_DAYS}
        return _message(alert, subject, "alert_confirm", context)


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


def alert_message(alert: Alert, report: Report, paragraphs: list, keys):
    """One mail listing a report's new matching paragraphs (up to MAIL_PARAGRAPHS), each
    with its section, number, snippet and absolute permalink."""
    with translation.override(alert.language):
        listed = paragraphs[:MAIL_PARAGRAPHS]
        sections = []  # [(section, [entry…])] in reading order
        for section, group in groupby(listed, key=lambda paragraph: paragraph.section):
            entries = []
            for paragraph in group:
                marked = snippet(paragraph.text, keys, paragraph.language)
                entries.append(
                    {
                        "number": paragraph.number,
                        "snippet_html": marked,
                        "snippet_text": html.unescape(strip_tags(marked)),
                        "permalink": site_link(alert, paragraph.permalink_path),
                    }
                )
            sections.append((section, entries))
        search_text = describe(alert.search, MAIL_QUERY_CHARS)
        subject = ngettext(
            "New in %(report)s: %(count)s paragraph for %(search)s",
            "New in %(report)s: %(count)s paragraphs for %(search)s",
            len(paragraphs),
        ) % {"report": report, "count": len(paragraphs), "search": search_text}
        context = {
            "search_text": search_text,
            "report": report,
            "report_url": site_link(alert, report.get_absolute_url()),
            "sections": sections,
            "total": len(paragraphs),
            "more": len(paragraphs) - len(listed),
            "more_url": more_link(alert, report),
        }
        return _message(alert, subject, "alert", context)
