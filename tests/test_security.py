"""Security and staying up: strict settings, CSP and other headers, admin login lock-out,
per-client rate limits, request bodies bounded while they are read."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportsite.env import SettingsError, envbool, envint, envrate

ROOT = Path(__file__).resolve().parent.parent


def run_python(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Strict settings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SECURE_SSL_REDIRECT": "ture", "DEBUG": "0", "SECRET_KEY": "x"},
            "error: SECURE_SSL_REDIRECT must be one of 1/0/true/false/yes/no/on/off, not 'ture'",
        ),
        (
            {"DEBUG": "flase"},
            "error: DEBUG must be one of 1/0/true/false/yes/no/on/off, not 'flase'",
        ),
        (
            {"CONN_MAX_AGE": "1m"},
            "error: CONN_MAX_AGE must be a whole number, not '1m'",
        ),
    ],
)
def test_a_bad_setting_stops_manage_py_with_one_line_naming_the_variable(env, message):
    result = run_python("manage.py", "check", env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert "Traceback" not in result.stderr


def test_a_bad_setting_stops_the_wsgi_application_with_one_line():
    env = {"SECURE_SSL_REDIRECT": "ture", "DEBUG": "0", "SECRET_KEY": "x"}
    result = run_python("-c", "import reportsite.wsgi", env=env)
    # 4 is gunicorn's "App failed to load": its master stops rather than respawning workers.
    assert result.returncode == 4
    assert result.stderr.strip().splitlines() == [
        "error: SECURE_SSL_REDIRECT must be one of 1/0/true/false/yes/no/on/off, not 'ture'"
    ]


def test_env_readers_accept_every_spelling_and_treat_empty_as_unset(monkeypatch):
    for value, expected in [("1", True), ("YES", True), (" on ", True), ("Off", False)]:
        monkeypatch.setenv("X_FLAG", value)
        assert envbool("X_FLAG", not expected) is expected
    monkeypatch.setenv("X_FLAG", "")
    assert envbool("X_FLAG", True) is True
    monkeypatch.setenv("X_NUMBER", " 42 ")
    assert envint("X_NUMBER", 1) == 42
    monkeypatch.setenv("X_NUMBER", "-1")
    with pytest.raises(SettingsError, match="X_NUMBER must be at least 0"):
        envint("X_NUMBER", 1)
    monkeypatch.setenv("X_RATE", "100/5m")
    assert envrate("X_RATE", "1/s") == "100/5m"
    monkeypatch.setenv("X_RATE", "off")
    assert envrate("X_RATE", "1/s") is None
    monkeypatch.setenv("X_RATE", "0/m")
    with pytest.raises(SettingsError, match="X_RATE must be a rate"):
        envrate("X_RATE", "1/s")


# --- Request bodies bounded while they are read -----------------------------------------

UPLOAD_URL = "/admin/sections/report/upload/"
BOUNDARY = "----rights-archive-test-boundary"
MIB = 1024 * 1024


class GeneratedBody:
    """A multipart body of `file_bytes` bytes of file, generated as it is read: counts what
    the server read and never holds the body in memory."""

    def __init__(self, file_bytes: int, after_file: dict | None = None):
        head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        tail = b"".join(
            f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}'.encode()
            for k, v in (after_file or {}).items()
        )
        self.parts = [head, file_bytes, tail + f"\r\n--{BOUNDARY}--\r\n".encode()]
        self.length = len(head) + file_bytes + len(self.parts[2])
        self.read_bytes = 0
        self.position = 0

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.length - self.position
        out = bytearray()
        while len(out) < size and self.position < self.length:
            head, middle, tail = len(self.parts[0]), self.parts[1], self.parts[2]
            pos = self.position
            if pos < head:
                piece = self.parts[0][pos : pos + size - len(out)]
            elif pos < head + middle:
                piece = b"a" * min(size - len(out), head + middle - pos)
            else:
                start = pos - head - middle
                piece = tail[start : start + size - len(out)]
            out += piece
            self.position += len(piece)
        self.read_bytes += len(out)
        return bytes(out)

    def readline(self, size=-1):
        return self.read(size)

    def environ(self) -> dict:
        return {
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(self.length),
            "wsgi.input": self,
        }


class UnreadableBody:
    """A body that fails the test if anything reads it."""

    read_bytes = 0

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readline = read


def post_stream(client, url, body, length=None):
    environ = body.environ() if hasattr(body, "environ") else {"wsgi.input": body}
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
        environ.setdefault("CONTENT_TYPE", f"multipart/form-data; boundary={BOUNDARY}")
    return client.generic("POST", url, b"", **environ)


@pytest.fixture
def english_admin(admin_client):
    admin_client.cookies["django_language"] = "en"
    return admin_client


def test_an_upload_over_the_limit_is_refused_413_before_its_body_is_read(english_admin, db):
    from django.conf import settings

    response = post_stream(english_admin, UPLOAD_URL, UnreadableBody(), length=200 * MIB)
    assert response.status_code == 413
    limit = settings.REPORT_UPLOAD_MAX_BYTES // MIB
    assert f"The file is larger than the limit of {limit}.0\xa0MB" in response.content.decode()


def test_other_urls_refuse_bodies_over_two_mib_before_reading_them(client, db):
    for url in ("/i18n/setlang/", "/", "/admin/login/"):
        response = post_stream(client, url, UnreadableBody(), length=2 * MIB + 1)
        assert response.status_code == 413, url
    api = post_stream(client, "/api/search", UnreadableBody(), length=3 * MIB)
    assert api.status_code == 413
    assert api.json() == {"error": "the request body is too large"}


def test_the_upload_handler_stops_a_file_at_the_limit_and_the_form_says_so(
    english_admin, settings, db
):
    from sections.models import PendingUpload

    settings.REPORT_UPLOAD_MAX_BYTES = 1 * MIB
    body = GeneratedBody(MIB + MIB // 2, {"country": "KZ", "year": "2020", "language": "en"})
    response = post_stream(english_admin, UPLOAD_URL, body)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The file is over 1.1\xa0MB; the limit is 1.0\xa0MB." in html
    assert "This field is required" not in html  # the fields after the file were read
    assert not PendingUpload.objects.exists()
    assert body.read_bytes <= body.length


def test_the_upload_handler_halts_without_reading_a_large_remainder(rf, settings):
    from django.core.files.uploadhandler import MemoryFileUploadHandler
    from django.http.multipartparser import MultiPartParser

    from sections.upload_handlers import ReportSizeLimitHandler

    settings.REPORT_UPLOAD_MAX_BYTES = 1 * MIB
    body = GeneratedBody(200 * MIB)
    request = rf.post("/")
    handlers = [ReportSizeLimitHandler(request), MemoryFileUploadHandler(request)]
    meta = {"CONTENT_TYPE": body.environ()["CONTENT_TYPE"], "CONTENT_LENGTH": str(body.length)}
    _, files = MultiPartParser(meta, body, handlers).parse()
    assert not files
    assert request.upload_too_large > MIB
    # At most the limit and the parser's read-ahead: not the 200 MiB sent.
    assert body.read_bytes < 2 * MIB


def test_non_file_fields_are_capped_at_two_mib(english_admin, db):
    from django.test.client import encode_multipart

    data = encode_multipart(BOUNDARY, {"country": "K" * (3 * MIB), "year": "2020"})
    response = english_admin.generic(
        "POST", UPLOAD_URL, data, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert response.status_code == 400  # DATA_UPLOAD_MAX_MEMORY_SIZE: RequestDataTooBig
