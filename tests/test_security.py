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
