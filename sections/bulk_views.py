"""The bulk download's pages: the two gzip files, their manifest, and /data/ that describes
them (columns, the reports' status, the code's licence)."""

import os

from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sections import bulk, export
from sections.views import not_found

# A downloader may keep a copy this long before asking again (with its ETag).
MAX_AGE = 300


@require_safe
def about(request):
    columns = [(name, export.COLUMN_NOTES[name]) for name in export.columns(with_matched=True)]
    return render(request, "sections/data.html", {"columns": columns})


@require_safe
def download(request, file_format):
    """archive.jsonl.gz or archive.csv.gz, as the gzip file it is (Content-Type
    application/gzip, no Content-Encoding, so a browser saves it rather than unpacking it)."""
    return _file_response(request, bulk.FILES[file_format], "application/gzip", attachment=True)


@require_safe
def manifest(request):
    return _file_response(request, bulk.MANIFEST, "application/json", attachment=False)


def _file_response(request, name, content_type, *, attachment):
    try:
        # Opened first: a rewrite moving a new file in meanwhile leaves this one whole.
        file = (bulk.bulk_dir() / name).open("rb")
    except FileNotFoundError:
        return not_found(
            request,
            _(
                "The archive's bulk download has not been made yet; it is written when a "
                "report is published. Try again later."
            ),
            links=[(reverse("bulk:about"), _("About the bulk download"))],
        )
    stat = os.fstat(file.fileno())
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if not_modified is not None:
        file.close()
        return not_modified
    response = FileResponse(
        file, content_type=content_type, as_attachment=attachment, filename=name
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
