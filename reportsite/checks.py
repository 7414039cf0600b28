"""Deployment checks (`manage.py check --deploy`) for what the researcher tools need in
production: a real mail server for the alerts and a public https origin for their links."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Backends that never deliver: fine while developing, silent loss of every alert in production.
UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_mail_and_site_url(app_configs, **kwargs):
    found = []
    if settings.EMAIL_BACKEND in UNDELIVERED:
        found.append(
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: alert mails are not delivered.",
                hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to an SMTP server.",
                id="reportsite.W001",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        found.append(
            Warning(
                "SITE_URL is not an https:// origin: links in alert mails, feeds, the sitemap and"
                " bulk files fall back to the request's host or to bare paths, and RFC 8058's"
                " one-click unsubscribe asks for https.",
                hint="Set SITE_URL to the public origin, such as https://rights.example.org.",
                id="reportsite.W002",
            )
        )
    return found
