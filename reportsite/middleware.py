"""Request bodies bounded before they are read.

`RequestSizeLimitMiddleware` answers 413 to a request whose Content-Length is over the limit
for its URL, before Django reads a byte of the body: the report upload accepts
REPORT_UPLOAD_MAX_BYTES plus `UPLOAD_MARGIN` for the form's other fields and the multipart
framing, every other URL REQUEST_BODY_MAX_BYTES (2 MiB). A body without Content-Length
(chunked) is never read by Django at all. Within the limit, the upload handler
(sections/upload_handlers.py) stops a file at REPORT_UPLOAD_MAX_BYTES while it is read, and
DATA_UPLOAD_MAX_MEMORY_SIZE bounds everything that is not a file.
"""

from functools import cache

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from sections.upload_handlers import DRAIN_AT_MOST

UPLOAD_MARGIN = DRAIN_AT_MOST
UPLOAD_URL_NAMES = ("admin:report_upload",)


@cache
def upload_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in UPLOAD_URL_NAMES)


def body_limit(path: str) -> int:
    if path in upload_paths():
        return settings.REPORT_UPLOAD_MAX_BYTES + UPLOAD_MARGIN
    return settings.REQUEST_BODY_MAX_BYTES


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        if length > body_limit(request.path_info):
            return self.too_large(request)
        return self.get_response(request)

    def too_large(self, request):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"error": "the request body is too large"}, status=413)
        upload = request.path_info in upload_paths()
        context = {
            "title": _("Too large"),
            "message": (
                _("The file is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(settings.REPORT_UPLOAD_MAX_BYTES)}
                if upload
                else _("The request is larger than this address accepts.")
            ),
            "back": request.path_info if upload else None,
        }
        return render(request, "limit.html", context, status=413)
