"""The embedded PostgreSQL server: PIDs of dead processes are dropped from the library's
handle file, the server stops when the last live process using it exits, and `make stop`
stops it. Everything runs against a server of its own in a temporary data folder, never the
shared one the other tests use."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from reportsite import embedded_db

ROOT = Path(__file__).resolve().parent.parent

# Attaches to the server of EMBEDDED_PG_DIR as every project process does, says so, and
# holds on until its stdin closes; then exits normally.
HOLDER = """
import sys
from reportsite import embedded_db
embedded_db.start()
print("attached", flush=True)
sys.stdin.read()
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("embedded") / "pgdata"
    yield path
    # Whatever a failed test left behind: no server keeps running on a deleted folder.
    embedded_db.stop_server(path.resolve(), embedded_db._system_user())


@pytest.fixture
def holders(data_dir):
    """Start processes attached to the temporary server; any left are killed at the end."""
    env = {**os.environ, "EMBEDDED_PG_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    started = []

    def start():
        process = subprocess.Popen(
            [sys.executable, "-c", HOLDER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        line = process.stdout.readline()
        assert line == "attached\n", process.stderr.read()
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def handle_pids(data_dir: Path) -> list[int]:
    return json.loads((data_dir / embedded_db.HANDLE_FILE).read_text())


def server_running(data_dir: Path) -> bool:
    return embedded_db.running_postmaster(data_dir.resolve()) is not None


def kill_hard(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def leave(process: subprocess.Popen) -> None:
    """Let a holder exit normally and check that it did so without an error."""
    _, err = process.communicate("", timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_pruning_drops_dead_zombie_and_reused_pids_and_keeps_live_ones(tmp_path):
    finished = subprocess.Popen(["true"])
    finished.wait()
    zombie = subprocess.Popen(["sleep", "30"])
    zombie.send_signal(signal.SIGKILL)
    # Not reaped: a zombie until wait().
    for _ in range(100):
        if psutil.Process(zombie.pid).status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.01)
    me = os.getpid()
    path = tmp_path / embedded_db.HANDLE_FILE
    path.write_text(json.dumps([finished.pid, me, zombie.pid]))
    # Written when this process had just started: a process started seconds later that
    # got a PID from the file can only have got it by reuse.
    written_at = psutil.Process().create_time() + 0.5
    os.utime(path, (written_at, written_at))
    time.sleep(max(0.0, written_at + embedded_db.CLOCK_SLACK_SECONDS + 0.5 - time.time()))
    reused = subprocess.Popen(["sleep", "30"])
    try:
        path.write_text(json.dumps([finished.pid, me, zombie.pid, reused.pid]))
        os.utime(path, (written_at, written_at))
        assert embedded_db.prune_handles(tmp_path) == [me]
        assert json.loads(path.read_text()) == [me]
    finally:
        reused.kill()
        reused.wait()
        zombie.wait()


def test_a_killed_process_is_dropped_and_the_last_live_user_stops_the_server(data_dir, holders):
    first = holders()
    assert server_running(data_dir)
    kill_hard(first)
    # The library left the dead PID behind; the next process to attach drops it.
    assert handle_pids(data_dir) == [first.pid]
    second = holders()
    assert handle_pids(data_dir) == [second.pid]
    third = holders()
    kill_hard(third)
    assert handle_pids(data_dir) == [second.pid, third.pid]
    # The last live user leaving stops the server although a dead PID is still listed.
    leave(second)
    assert handle_pids(data_dir) == []
    assert not server_running(data_dir)
    assert not (data_dir / "postmaster.pid").exists()


def test_make_stop_stops_the_server_cleanly_and_its_users_exit_without_error(data_dir, holders):
    env = {**os.environ, "EMBEDDED_PG_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    holder = holders()
    assert server_running(data_dir)
    result = subprocess.run(
        ["make", "-s", "stop"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "stopped the embedded PostgreSQL server" in result.stdout
    assert str(holder.pid) in result.stdout  # named as losing its connection
    assert not server_running(data_dir)
    # A clean (fast) shutdown: the log ends with the shutdown, no crash recovery next time.
    assert "database system is shut down" in (data_dir / "log").read_text()
    leave(holder)
    assert handle_pids(data_dir) == []

    again = subprocess.run(
        ["make", "-s", "stop"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert "is not running" in again.stdout
    # It starts again as usual afterwards.
    leave(holders())
    assert not server_running(data_dir)
