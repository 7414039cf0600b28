"""Running the background worker inside a test: the real `db_worker` command of django-tasks'
database backend, in batch mode (every queued task, then it returns).

The test's own transaction holds the queued rows, so the worker runs on the test's connection:
its between-task `close_old_connections()` (which would close a connection that is inside a
transaction) is switched off, and the signal handlers it installs are put back afterwards.
"""

import io
import signal
from unittest import mock

from django.core.management import call_command

SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_worker() -> None:
    """Run every task queued so far, as `manage.py db_worker --batch` does."""
    handlers = {each: signal.getsignal(each) for each in SIGNALS}
    try:
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        ):
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                interval=0,
                verbosity=0,
                stdout=io.StringIO(),
            )
    finally:
        for each, handler in handlers.items():
            signal.signal(each, handler)
