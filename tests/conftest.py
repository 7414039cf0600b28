"""Shared fixtures. Every test session gets a real PostgreSQL test database (the embedded
server unless DATABASE_URL is set) with the archive of tests/archive.py committed once.

Use the `db` fixture (each test runs in a rolled-back transaction). Data that the gunicorn
process of a browser test must see is committed by session-scoped fixtures, which pytest
sets up before the test's transaction begins. Do not use
`transactional_db` or pytest-django's `live_server`: they flush the database and would
remove the shared archive. Browser tests use `live_site`, a real gunicorn process serving
the committed test database.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    from tests.archive import load_archive

    with django_db_blocker.unblock():
        load_archive()
        # Publishing the archive queued background tasks (bulk download, alerts); tests that
        # count or run queued tasks start from an empty queue.
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
    yield
    # Playwright runs tests in greenlets, whose context copies can open a second Django
    # connection that teardown never sees; end such leftovers so the test database can go.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def bulk_data_dir(settings, tmp_path):
    """Bulk downloads written by a test go to its own folder, never the real bulk/."""
    settings.BULK_DATA_DIR = tmp_path / "bulk"
    return settings.BULK_DATA_DIR


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(settings_dict: dict) -> str:
    host = quote(settings_dict["HOST"] or "localhost", safe="")
    user = quote(settings_dict["USER"] or "postgres", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}" if password else user
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{auth}@{host}{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="session")
def live_site(django_db_setup, tmp_path_factory):
    """Base URL of the site served by gunicorn with production settings on the test database.

    Static files are collected with hashed names, as in production.
    """
    from django.db import connection

    static_root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "DEBUG": "0",
        "SECRET_KEY": "test-only-secret-key-for-the-live-site-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "CONN_MAX_AGE": "0",
        "BULK_DATA_DIR": str(tmp_path_factory.mktemp("bulk")),
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "reportsite.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("gunicorn did not start for the browser tests") from None
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(10)


class MailSink:
    """An SMTP server's inbox in the test process: the mails that processes started by the
    tests send (a background worker started with `running_worker(**sink.email_env)`) arrive
    in `messages` as email.message.EmailMessage objects."""

    def __init__(self):
        self.messages = []
        self.email_env = {}

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=email_policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 20) -> list:
        """The messages once there are at least `count` of them (fails after `timeout` s)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"{count} mails expected, {len(self.messages)} arrived")
            time.sleep(0.1)
        return self.messages


@pytest.fixture(scope="module")
def mail_sink():
    """A real SMTP server (aiosmtpd) on loopback for the module's tests; pass its
    `email_env` to `running_worker` so that the worker's mails arrive in it."""
    from aiosmtpd.controller import Controller

    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    sink.email_env = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
    }
    yield sink
    controller.stop()


@contextmanager
def running_worker(**extra_env):
    """The background worker (`manage.py db_worker`) on the test database, as production runs
    it next to gunicorn; `extra_env` adds to its environment (mail settings, BULK_DATA_DIR)."""
    from django.db import connection

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "DEBUG": "0",
        "SECRET_KEY": "test-only-secret-key-for-the-live-site-0123456789abcdef",
        "CONN_MAX_AGE": "0",
        **extra_env,
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "-v", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(10)


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (its own browser download cannot run here)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: 'make test' installs it as root")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls
    # (setting up users, checking rows) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    for item in items:
        # pytest-django creates the test database only for sessions with a django_db test;
        # browser tests read the committed archive through gunicorn, so they need it too.
        if item.get_closest_marker("browser") and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)
    # Browser tests last: a failure in the fast tests shows up before chromium starts.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
