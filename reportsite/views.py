from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 otherwise; for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request, exception=None):
    """The 404 handler for every unmatched URL: the same helpful page the browse views use."""
    from sections.views import not_found as helpful_not_found

    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return helpful_not_found(request, message)


def login_locked(request, original_response=None, credentials=None):
    """django-axes' lock-out answer (AXES_LOCKOUT_CALLABLE): 429 with Retry-After, a page in
    the interface language, and no password checked."""
    from django.conf import settings
    from django.shortcuts import render
    from django.utils.translation import gettext

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    context = {
        "title": gettext("Too many failed logins"),
        "message": gettext(
            "Logins from your address are locked after %(limit)s wrong passwords. Try again"
            " in %(minutes)s min, or ask an administrator to lift the lock."
        )
        % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
    }
    response = render(request, "limit.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
