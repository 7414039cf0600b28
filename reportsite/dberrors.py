"""Turn "cannot reach the database" into one readable line instead of a traceback."""

import os
import sys
from contextlib import contextmanager
from urllib.parse import urlsplit


def describe_database() -> str:
    """Name the database server without revealing credentials: host, port and database name."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "the embedded PostgreSQL in .pgdata/"
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"PostgreSQL at {host}{port}{parts.path or ''} (from DATABASE_URL)"


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


@contextmanager
def exit_on_database_error():
    """Exit with status 2 and one line on stderr when the database cannot be reached."""
    import psycopg
    from django.db.utils import OperationalError

    try:
        yield
    except (OperationalError, psycopg.OperationalError) as error:
        reason = first_line(error)
        # psycopg never puts the password in its message, but a user-supplied URL might.
        password = urlsplit(os.environ.get("DATABASE_URL", "")).password
        if password:
            reason = reason.replace(password, "***")
        print(f"error: cannot connect to {describe_database()}: {reason}", file=sys.stderr)
        sys.exit(2)
