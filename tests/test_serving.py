"""Production serving as deployed (deploy/): Debian's nginx in front of gunicorn on loopback.

gunicorn runs with deploy/gunicorn.conf.py and production settings on the committed test
database (as conftest's `live_site` does), bound to a Unix socket for nginx and to a loopback
port for the tests of gunicorn alone; nginx runs with deploy/nginx-site.conf.template
rendered for loopback, from a temporary prefix. Shown here: slow clients do not hold up
/healthz, oversized bodies are refused before they are read, bursts of search, API and
login requests get 429 with Retry-After, hashed static files are cached for good, and a
section page keeps Django's security headers through the proxy.

Skipped when nginx is not installed (apt-get install nginx); in CI (CI=true) that fails,
since `make test` installs it as root. Select with `-m serving`.
"""

import concurrent.futures
import contextlib
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from deploy import serve
from tests.conftest import ROOT, _database_url

pytestmark = [pytest.mark.serving, pytest.mark.django_db]

MIB = 1024 * 1024
UPLOAD_URL = "/admin/sections/report/upload/"
SECTION_URL = "/kz/2022/kk/1c/"


def _require_nginx() -> None:
    if serve.nginx_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI: 'make test' installs it as root")
        pytest.skip("nginx is not installed (apt-get install nginx)")


class Stack:
    """Where nginx and gunicorn listen, and what gunicorn logged."""

    def __init__(self, nginx_port: int, gunicorn_port: int, access_log: Path):
        self.nginx = ("127.0.0.1", nginx_port)
        self.gunicorn = ("127.0.0.1", gunicorn_port)
        self.base = f"http://127.0.0.1:{nginx_port}"
        self.gunicorn_base = f"http://127.0.0.1:{gunicorn_port}"
        self.access_log = access_log

    def gunicorn_saw(self, method: str, path: str) -> bool:
        """Whether a request `method path` reached gunicorn (its access log)."""
        time.sleep(0.2)  # the log line follows the response
        return f'"{method} {path} ' in self.access_log.read_text()


@pytest.fixture(scope="module")
def stack(django_db_setup, tmp_path_factory):
    _require_nginx()
    from django.db import connection

    tmp = tmp_path_factory.mktemp("serving")
    static_root = tmp / "static"
    access_log = tmp / "gunicorn-access.log"
    access_log.touch()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "DEBUG": "0",
        "SECRET_KEY": "test-only-secret-key-for-the-serving-tests-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "GUNICORN_ACCESS_LOG": str(access_log),
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "ERROR",  # not a line per refused CSRF check
        "CLIENT_IP_HEADER": "X-Real-IP",  # as behind nginx in production
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    sock = tmp / "gunicorn.sock"
    gunicorn_port = serve.free_port()
    gunicorn = serve.start_gunicorn(env, [f"unix:{sock}", f"127.0.0.1:{gunicorn_port}"])
    nginx = None
    try:
        serve.wait_for_http(f"http://127.0.0.1:{gunicorn_port}/healthz", [gunicorn])
        nginx_port = serve.free_port()
        nginx = serve.start_nginx(
            tmp / "nginx",
            listen=f"127.0.0.1:{nginx_port}",
            upstream=f"unix:{sock}",
            static_root=static_root,
        )
        serve.wait_for_http(f"http://127.0.0.1:{nginx_port}/healthz", [gunicorn, nginx])
        yield Stack(nginx_port, gunicorn_port, access_log)
    finally:
        serve.stop(*[p for p in (nginx, gunicorn) if p is not None])


def get(url: str, headers: dict | None = None, timeout: float = 10):
    """(status, headers, body) of a GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def timed_healthz(base: str) -> tuple[int, float]:
    start = time.monotonic()
    status, _, _ = get(f"{base}/healthz", timeout=60)
    return status, time.monotonic() - start


class SlowClients:
    """Connections that each send one byte of a request header a second, as in issue 11."""

    REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + b"s" * 200 + b"\r\n\r\n"

    def __init__(self, address, count: int = 3, request: bytes = REQUEST):
        self.address = address
        self.count = count
        self.request = request
        self.sent = 0
        self.stopped = threading.Event()

    def __enter__(self):
        self.sockets = [socket.create_connection(self.address) for _ in range(self.count)]
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()
        while self.sent < 3:  # three bytes each: the server is reading their headers
            time.sleep(0.05)
        return self

    def _trickle(self):
        while self.sent < len(self.request) and not self.stopped.is_set():
            byte = self.request[self.sent : self.sent + 1]
            for sock in self.sockets:
                with contextlib.suppress(OSError):  # the server gave up on it
                    sock.sendall(byte)
            self.sent += 1
            self.stopped.wait(1)

    def still_waiting(self) -> bool:
        """Every connection is open and unanswered: the server is still waiting for it."""
        readable, _, _ = select.select(self.sockets, [], [], 0)
        return not readable and self.thread.is_alive()

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def test_slow_clients_do_not_hold_up_healthz_behind_nginx(stack):
    with SlowClients(stack.nginx) as slow:
        status, seconds = timed_healthz(stack.base)
        print(f"\n/healthz through nginx with 3 slow clients: {seconds * 1000:.0f} ms")
        assert slow.still_waiting(), "the slow clients were dropped before /healthz was timed"
    assert status == 200
    assert seconds < 2


def test_slow_clients_do_not_hold_up_healthz_on_gunicorn_alone(stack):
    """Without the proxy each slow client holds one gthread thread, not a whole worker.

    Fewer of them than a worker's threads (3, deploy/gunicorn.conf.py): three, all accepted
    by one worker, would hold every thread of it, and a request that worker accepted next
    would wait behind them (with three, a fresh-clone CI run failed so once)."""
    with SlowClients(stack.gunicorn, count=2) as slow:
        status, seconds = timed_healthz(stack.gunicorn_base)
        print(f"\n/healthz on gunicorn alone with 2 slow clients: {seconds * 1000:.0f} ms")
        assert slow.still_waiting()
    assert status == 200
    assert seconds < 2


def send_body(address, path: str, total: int, *, chunked: bool = False, headers: str = ""):
    """POST `total` bytes, streamed in 64 KiB blocks, stopping as soon as the server answers.

    Returns (status, bytes of the body sent when the answer came, seconds).
    """
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{framing}\r\n"
        f"Content-Type: application/octet-stream\r\n{headers}\r\n"
    )
    block = b"\0" * 65536
    framed = b"%x\r\n%s\r\n" % (len(block), block) if chunked else block
    sent = 0
    pending = b""
    start = time.monotonic()
    with socket.socket() as sock:
        # A fixed send buffer (no autotuning to megabytes): what was sent is what left.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 256 * 1024)
        sock.connect(address)
        sock.sendall(head.encode())
        sock.setblocking(False)
        while True:
            readable, writable, _ = select.select([sock], [sock], [], 10)
            if readable or not writable:
                break
            if not pending:
                if sent >= total:
                    if chunked:
                        sock.setblocking(True)
                        sock.sendall(b"0\r\n\r\n")
                        sock.setblocking(False)
                    select.select([sock], [], [], 30)
                    break
                pending = framed
                sent += len(block)
            try:
                pending = pending[sock.send(pending) :]
            except BlockingIOError:
                pass
            except (BrokenPipeError, ConnectionResetError):
                break
        seconds = time.monotonic() - start
        sock.setblocking(True)
        sock.settimeout(10)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None
    return status, sent, seconds


@pytest.mark.parametrize(
    "path, extra",
    [
        (UPLOAD_URL, ""),
        # Issue 11: any URL, a made-up CSRF cookie; read to the end before the 403.
        ("/", "Cookie: csrftoken=madeupmadeupmadeupmadeupmadeupma\r\n"),
    ],
)
def test_a_200_mib_body_is_refused_before_it_is_read(stack, path, extra):
    status, sent, seconds = send_body(stack.nginx, path, 200 * MIB, headers=extra)
    print(f"\nPOST {path} of 200 MiB: {status} after {sent / MIB:.2f} MiB sent, {seconds:.3f} s")
    assert status == 413
    assert sent < 10 * MIB  # the answer came while the client had barely started
    assert not stack.gunicorn_saw("POST", path)


def test_a_chunked_body_is_refused_once_it_passes_the_upload_limit(stack):
    """No Content-Length to refuse at once: nginx counts and stops at 21 MiB."""
    status, sent, seconds = send_body(stack.nginx, UPLOAD_URL, 200 * MIB, chunked=True)
    print(f"\nchunked POST of 200 MiB: {status} after {sent / MIB:.1f} MiB sent, {seconds:.3f} s")
    assert status == 413
    assert sent < 40 * MIB
    assert not stack.gunicorn_saw("POST", UPLOAD_URL)


def test_a_report_of_the_upload_limit_gets_through_to_django(stack):
    from django.conf import settings

    size = settings.REPORT_UPLOAD_MAX_BYTES + 64 * 1024  # the file and its form
    status, sent, _ = send_body(stack.nginx, UPLOAD_URL, size)
    # Django answers: no CSRF cookie, so 403 (a signed-in admin's upload goes on to the form).
    assert status == 403
    assert sent >= size
    assert stack.gunicorn_saw("POST", UPLOAD_URL)


def burst(url: str, count: int, *, method: str = "GET", workers: int = 8):
    """Send `count` requests at once; (status, Retry-After, body) of each."""
    data = b"username=admin&password=wrong" if method == "POST" else None

    def one(_):
        request = urllib.request.Request(url, data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers.get("Retry-After"), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Retry-After"), error.read()

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(count)))


@pytest.mark.parametrize(
    "path, method, count, per_second, burst_size, retry_after, body",
    [
        (
            "/search/?q=%D0%B0%D0%B7%D0%B0%D0%BF%D1%82%D0%B0%D1%83",
            "GET",
            50,
            2,
            20,
            "1",
            b"Too many",
        ),
        ("/api/search?q=torture", "GET", 50, 2, 20, "1", b'{"error": "Too many'),
        ("/admin/login/", "POST", 15, 0.1, 5, "10", b"Too many"),
    ],
)
def test_a_burst_gets_429_with_retry_after(
    stack, path, method, count, per_second, burst_size, retry_after, body
):
    start = time.monotonic()
    answers = burst(stack.base + path, count, method=method)
    seconds = time.monotonic() - start
    statuses = [status for status, _, _ in answers]
    limited = [(header, text) for status, header, text in answers if status == 429]
    passed = len(statuses) - len(limited)
    print(f"\n{count} × {method} {path.split('?')[0]} in {seconds:.2f} s: {sorted(statuses)}")
    # The burst passes (the login form answers 403 without a CSRF token), and then only
    # what the rate allows while the burst lasted …
    assert {status for status in statuses if status != 429} <= {200, 403}
    assert burst_size + 1 <= passed <= burst_size + 2 + per_second * seconds
    # … the rest is refused by nginx, saying when to come back.
    assert limited
    assert all(header == retry_after for header, _ in limited)
    assert all(text.startswith(body) for _, text in limited)


def test_hashed_static_files_are_cached_for_good(stack):
    _, _, html = get(stack.base + "/")
    hashed = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert hashed, "the home page links no hashed site.css"
    url = stack.base + hashed[1].decode()
    status, headers, _ = get(url, {"Accept-Encoding": "gzip"})
    print(f"\n{hashed[1].decode()}: {dict(headers)}")
    assert status == 200
    cache_control = ", ".join(headers.get_all("Cache-Control"))
    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control)[1]) >= 365 * 24 * 3600
    assert headers["Expires"].endswith("2037 23:55:55 GMT")
    assert headers["Content-Encoding"] == "gzip"  # the .gz collectstatic wrote
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert not stack.gunicorn_saw("GET", hashed[1].decode())  # nginx served it

    # The unhashed copy may change with the next deploy: five minutes only.
    status, headers, _ = get(stack.base + "/static/css/site.css")
    assert status == 200
    assert "immutable" not in (headers.get("Cache-Control") or "")
    assert headers["Cache-Control"] == "max-age=300"


def test_a_section_page_through_nginx_keeps_the_security_headers(stack):
    status, headers, _ = get(stack.base + SECTION_URL, {"Accept-Encoding": "gzip"})
    print(f"\nGET {SECTION_URL} through nginx: {status}")
    for name, value in headers.items():
        print(f"  {name}: {value}")
    assert status == 200
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Server"] == "nginx"  # no version
    # Django built the page, not nginx
    assert stack.gunicorn_saw("GET", SECTION_URL)


def test_nginx_body_limits_are_the_apps(tmp_path):
    """nginx refuses exactly what Django's RequestSizeLimitMiddleware would, only earlier."""
    from reportsite.middleware import body_limit

    site = serve.render_site(listen="80", upstream="127.0.0.1:8000", static_root=tmp_path)
    upload = re.search(rf"location = {UPLOAD_URL} \{{\n\s+client_max_body_size (\d+)m;", site)
    default = re.search(r"\n    client_max_body_size (\d+)m;", site)
    assert int(upload[1]) * MIB == body_limit(UPLOAD_URL) == 21 * MIB
    assert int(default[1]) * MIB == body_limit("/") == 2 * MIB
    assert not re.search(r"@[A-Z_]+@", site)


def test_the_site_file_fits_debians_nginx_conf(tmp_path):
    """The same file, included where Debian's /etc/nginx/nginx.conf includes sites-enabled/*,
    passes `nginx -t` (no directive clashes with the packaged http block)."""
    _require_nginx()
    debian = Path("/etc/nginx/nginx.conf")
    if not debian.exists():
        pytest.skip("no /etc/nginx/nginx.conf")
    site = tmp_path / "rights-archive"
    site.write_text(
        serve.render_site(listen="127.0.0.1:8080", upstream="127.0.0.1:8000", static_root=tmp_path)
    )
    conf = debian.read_text().replace("/etc/nginx/sites-enabled/*", str(site))
    # Only the files nginx writes move to tmp_path (so that a normal user can run this too).
    conf = re.sub(r"^\s*(user|pid)\s.*$", "", conf, flags=re.MULTILINE)
    conf = re.sub(r"(access|error)_log /var/log/nginx/", rf"\1_log {tmp_path}/", conf)
    temp_paths = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = conf.replace("http {", "http {\n" + temp_paths, 1)
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path}/nginx.pid;\n{conf}")
    check = subprocess.run(
        [*serve.nginx_command(tmp_path, tmp_path / "nginx.conf", "-t")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
