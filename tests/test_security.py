"""Security and staying up: strict settings, CSP and other headers, admin login lock-out,
per-client rate limits, request bodies bounded while they are read."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

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
        (
            {"SEARCH_API_RATE_LIMIT": "sixty"},
            "error: SEARCH_API_RATE_LIMIT must be a rate such as 60/m (per s, m, h or d) or off,"
            " not 'sixty'",
        ),
        (
            {"LOGIN_FAILURE_LIMIT": "0"},
            "error: LOGIN_FAILURE_LIMIT must be at least 1, not '0'",
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


# --- Content-Security-Policy, Permissions-Policy, cookies --------------------------------

PUBLIC_PAGES = [
    "/",
    "/kz/2022/kk/",
    "/kz/2022/kk/1c/",
    "/kz/2022/kk/1c/?q=азаптау&hit=1",
    "/kz/2022/kk/p/1/cite/",
    "/topics/torture/",
    "/kz/compare/1c/?from=2021&to=2022&language=kk",
    "/search/?q=азаптау",
    "/search/?q=азаптау&year=2022",
    "/no-such-page/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/sections/report/",
    "/admin/sections/report/upload/",
    "/admin/sections/section/",
    "/admin/axes/accessattempt/",
]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:", re.I
)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_every_page_has_a_csp_allowing_only_the_sites_own_scripts_and_styles(client, db):
    for url in [*PUBLIC_PAGES, "/admin/login/"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = directives(response)
        assert policy["default-src"] == "'self'", url
        assert policy["script-src"] == "'self'", url
        assert policy["style-src"] == "'self'", url
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["form-action"] == "'self'"
        assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_have_no_inline_script_style_or_event_handler(client, admin_client, db):
    for each, urls in ((client, PUBLIC_PAGES), (admin_client, ADMIN_PAGES)):
        for url in urls:
            response = each.get(url)
            assert response.status_code in (200, 404), url
            found = INLINE.findall(response.content.decode())
            assert found == [], (url, found)
    assert 'src="/static/js/section.js"' in client.get("/kz/2022/kk/1c/").content.decode()
    # The year facet's bars are sized by a data attribute and the stylesheet.
    assert 'data-share="20"' in client.get("/search/?q=азаптау").content.decode()


def test_permissions_policy_denies_powerful_features_but_the_clipboard(client, db):
    policy = client.get("/").headers["Permissions-Policy"]
    features = dict(part.split("=", 1) for part in policy.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert features[feature] == "()"
    assert features["clipboard-write"] == "(self)"  # the "cite" link copies to the clipboard


def test_the_language_cookie_is_samesite_lax_and_http_only(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True


# --- Admin login lock-out ----------------------------------------------------------------

LOGIN_URL = "/admin/login/"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@example.org", "right-password-for-tests"
    )


def log_in(client, password, address="203.0.113.7"):
    client.cookies["django_language"] = "en"
    return client.post(
        LOGIN_URL,
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_wrong_admin_logins_lock_the_address_out_until_an_admin_lifts_it(client, editor):
    from django.conf import settings

    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert log_in(client, "wrong").status_code == 200  # the form again, with its error
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME * 3600
    assert "Too many failed logins" in locked.content.decode()
    # Locked: even the right password is not checked.
    assert log_in(client, "right-password-for-tests").status_code == 429
    # Another address is not locked out.
    assert log_in(client, "right-password-for-tests", "198.51.100.9").status_code == 302
    client.logout()

    call_command("axes_reset_ip", "203.0.113.7", stdout=io.StringIO())
    assert log_in(client, "right-password-for-tests").status_code == 302


def test_an_admin_lifts_a_lock_out_in_the_admin(client, admin_client, editor):
    from axes.models import AccessAttempt
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    attempt = AccessAttempt.objects.get(ip_address="203.0.113.7")
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert "203.0.113.7" in listing.content.decode()
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert log_in(client, "right-password-for-tests").status_code == 302


def test_a_successful_login_clears_the_failures(client, editor):
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong")
    assert log_in(client, "right-password-for-tests").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200


# --- Per-client rate limits ----------------------------------------------------------------


def test_the_api_answers_429_json_with_retry_after_over_its_rate(client, settings, db):
    settings.SEARCH_API_RATE_LIMIT = "3/h"  # an hour's window: the test never straddles two
    for _ in range(3):
        assert client.get("/api/search", {"q": "азаптау"}).status_code == 200
    response = client.get("/api/search", {"q": "азаптау"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert response.json()["error"].startswith("too many requests from this address")
    # Another client is counted on its own.
    assert client.get("/api/search", {"q": "x"}, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_the_search_page_answers_a_friendly_429_over_its_rate(client, settings, db):
    settings.SEARCH_PAGE_RATE_LIMIT = "2/h"
    client.cookies["django_language"] = "en"
    for _ in range(2):
        assert client.get("/search/", {"q": "азаптау"}).status_code == 200
    response = client.get("/search/", {"q": "азаптау"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    html = response.content.decode()
    assert "<h1>Too many searches</h1>" in html
    assert f"Please wait {response['Retry-After']} s" in html
    # The API has its own count.
    assert client.get("/api/search", {"q": "азаптау"}).status_code == 200


def test_behind_a_proxy_the_client_is_the_address_the_proxy_names(client, settings, db):
    settings.SEARCH_API_RATE_LIMIT = "1/h"
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    first = {"HTTP_X_FORWARDED_FOR": "spoofed, 192.0.2.1"}
    assert client.get("/api/search", {"q": "x"}, **first).status_code == 200
    assert client.get("/api/search", {"q": "x"}, **first).status_code == 429
    # The same proxy address, another client: its own count.
    other = {"HTTP_X_FORWARDED_FOR": "192.0.2.2"}
    assert client.get("/api/search", {"q": "x"}, **other).status_code == 200


def test_rate_limits_can_be_turned_off(client, settings, db):
    settings.SEARCH_API_RATE_LIMIT = "3/m"
    statuses = [client.get("/api/search", {"q": "x"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    settings.SEARCH_API_RATE_LIMIT = None  # SEARCH_API_RATE_LIMIT=off
    for _ in range(5):
        assert client.get("/api/search", {"q": "x"}).status_code == 200


def test_the_counter_store_adds_increments_and_expires(db):
    from django.core.cache import caches

    counters = caches["ratelimit"]
    assert counters.add("k", 1, 60) is True
    assert counters.add("k", 1, 60) is False  # a live count is never restarted
    assert counters.incr("k") == 2
    assert counters.get("k") == 2
    counters.set("gone", 5, 0)  # already expired
    assert counters.get("gone") is None
    assert counters.add("gone", 1, 60) is True  # an expired count starts again
    with pytest.raises(ValueError):
        counters.incr("missing")


# --- In a real browser ------------------------------------------------------------------

VIOLATIONS_SCRIPT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def browser_admin(live_site, django_db_blocker):
    from django.contrib.auth.models import User

    with django_db_blocker.unblock():
        User.objects.create_superuser("csp-admin", "c@example.org", "csp admin password 1")
    yield "csp-admin", "csp admin password 1"
    with django_db_blocker.unblock():
        User.objects.filter(username="csp-admin").delete()


@pytest.mark.browser
def test_pages_and_the_admin_work_in_a_browser_under_the_csp(page, live_site, browser_admin):
    from sections.models import Report, Section

    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if re.search("Content.Security.Policy|Permissions.Policy", message.text)
            else None
        ),
    )
    page.add_init_script(VIOLATIONS_SCRIPT)

    def visit(url):
        page.goto(live_site + url)
        assert page.evaluate("window.__violations") == [], url

    for url in PUBLIC_PAGES:
        visit(url)
    visit("/kz/2022/kk/1c/")
    assert page.evaluate("document.documentElement.classList.contains('js')")  # section.js ran
    visit("/search/?q=азаптау")
    widest = page.locator('.facet__bar [data-share="20"]').first
    assert widest.evaluate("bar => bar.offsetWidth === bar.parentNode.clientWidth")

    username, password = browser_admin
    visit("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_site}/admin/")
    report = Report.objects.get(country="KZ", year=2022, language="kk")
    section = Section.objects.filter(report=report).first()
    for url in [
        *ADMIN_PAGES,
        f"/admin/sections/report/{report.pk}/change/",
        f"/admin/sections/section/{section.pk}/change/",  # filter_horizontal's widget
    ]:
        visit(url)
    # The filter_horizontal widget was built by the admin's script.
    assert page.locator(".selector-available").count() >= 1
    assert console == [], sorted(set(console))
