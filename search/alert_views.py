"""Alert views: sign up from a search or topic page, confirm, unsubscribe (search.alerts does
the work, search.followed describes the search). Confirming takes a button press, not the
link alone, so that a mail scanner opening links cannot confirm; unsubscribing is one POST
(RFC 8058), with a button page for the link opened in a browser."""

from django import forms
from django.core import signing
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from search import alerts, limits
from search.followed import describe, followable, normalised_search, search_path
from search.forms import SearchForm
from search.limits import rate_limited
from search.models import Alert
from sections.links import site_url


class AlertForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter a valid email address, such as name@example.org."),
        },
    )


def _message_page(request, title: str, message: str, status: int):
    return render(request, "limit.html", {"title": title, "message": message}, status=status)


def too_many_signups(request, limit, retry_after: int):
    """Sign-ups over ALERT_SIGNUP_RATE_LIMIT from one address (search.limits makes it a 429)."""
    return _message_page(
        request,
        gettext("Too many sign-ups"),
        gettext(
            "Alerts were requested very often from your address. Please wait %(seconds)s s,"
            " then try again."
        )
        % {"seconds": retry_after},
        429,
    )


@require_POST
@rate_limited(limits.ALERT_SIGNUP, too_many_signups)
def alert_signup(request):
    """POST an email address; the search is the query string (as on the search page). The
    answer never tells whether the address was signed up before."""
    search_form = SearchForm(request.GET)
    if not search_form.is_valid() or not followable(search_form):
        return _message_page(
            request,
            gettext("This search cannot be followed"),
            gettext("Search for words, or open a topic, then ask for alerts on that page."),
            400,
        )
    search = normalised_search(search_form)
    form = AlertForm(request.POST)
    context = {
        "alert_form": form,
        "search": search,
        "search_text": describe(search),
        "back": search_path(search),
    }
    if not form.is_valid():
        return render(request, "search/alert_signup.html", context, status=400)
    alerts.sign_up(
        form.cleaned_data["email"],
        search,
        language=get_language() or "kk",
        site_url=site_url("/", request),
    )
    return render(request, "search/alert_signup.html", {**context, "requested": True})


def _bad_link(request, error: signing.BadSignature):
    if isinstance(error, signing.SignatureExpired):
        return _message_page(
            request,
            gettext("This link has expired"),
            gettext("Confirmation links work for a few days. Sign up for the alert again."),
            410,
        )
    return _message_page(
        request,
        gettext("This link is not valid"),
        gettext("The link is incomplete or was changed. Copy the whole link from the mail."),
        400,
    )


@require_http_methods(["GET", "POST"])
def alert_confirm(request, token: str):
    """GET: what the alert follows and a Confirm button; POST: confirmed."""
    try:
        alert = Alert.objects.by_confirm_token(token)
    except signing.BadSignature as error:
        return _bad_link(request, error)
    if alert is None:
        return _message_page(
            request,
            gettext("This alert no longer exists"),
            gettext("It was unsubscribed or never confirmed in time. Sign up for it again."),
            410,
        )
    if request.method == "POST":
        alerts.confirm(alert)
        alert.refresh_from_db()
    context = {
        "alert": alert,
        "search_text": describe(alert.search),
        "unsubscribe_token": alert.unsubscribe_token(),
    }
    return render(request, "search/alert_confirm.html", context)


@csrf_exempt  # one-click unsubscribing (RFC 8058) posts from the mail client, without a form
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token: str):
    """POST: unsubscribed at once; GET: a page with the Unsubscribe button."""
    try:
        pk, alert = Alert.objects.by_unsubscribe_token(token)
    except signing.BadSignature as error:
        return _bad_link(request, error)
    if request.method == "POST":
        alerts.unsubscribe(pk)
        alert = None
        done = True
    else:
        done = alert is None
    context = {
        "alert": alert,
        "done": done,
        "search_text": describe(alert.search) if alert else "",
    }
    return render(request, "search/alert_unsubscribe.html", context)
