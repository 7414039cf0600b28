"""Uploaded files are measured while they are read, not after.

`ReportSizeLimitHandler` comes first in settings.FILE_UPLOAD_HANDLERS. It counts each file's
bytes as the multipart parser reads them and, once a file passes
settings.REPORT_UPLOAD_MAX_BYTES, stops: the rest of that file is skipped (never stored) and
`request.upload_too_large` is set to the bytes read, so the upload form says "over 20.1 MB;
the limit is 20.0 MB" instead of "required". When more than `DRAIN_AT_MOST` bytes of the
request would remain, the upload is halted without reading them at all (the connection is
dropped). The request-size middleware (reportsite/middleware.py) normally refuses such a
request before anything is read; this is the second line.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload

# Past the limit, at most this much more is read (and thrown away) so that the browser gets
# the form page back; the request-size middleware allows the upload URL only this margin.
DRAIN_AT_MOST = 1024 * 1024


class ReportSizeLimitHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.REPORT_UPLOAD_MAX_BYTES
        self.request_length = 0  # the whole body; new_file() sets content_length per file

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length
        return None  # measure only; the parser parses

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if received <= self.limit:
            return raw_data
        if self.request is not None:
            self.request.upload_too_large = received
        remaining = self.request_length - received
        if remaining > DRAIN_AT_MOST:
            raise StopUpload(connection_reset=True)
        raise SkipFile

    def file_complete(self, file_size):
        return None  # the next handler keeps the file
