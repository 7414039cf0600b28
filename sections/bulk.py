"""The bulk download: every paragraph of the published archive as one gzip JSON Lines file and
one gzip CSV file (the rows of sections/export.py) in settings.BULK_DATA_DIR, with
`manifest.json` beside them saying when they were made, what they hold and how large they are.

The files are written to temporary names in the same folder and moved over the old ones
(`os.replace`), so a download never gets a half-written file. Both come from one query, so
they always hold the same paragraphs. A PostgreSQL advisory lock lets one writer run at a
time; the background task (`regenerate`, queued when a report is published or an archived one
withdrawn, see sections/receivers.py) skips its work when the files were made after it was
asked for, so a burst of publications costs one rewrite.
"""

import datetime
import gzip
import hashlib
import io
import json
import logging
import os
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import task

from sections import export
from sections.links import site_url
from sections.models import Paragraph

logger = logging.getLogger(__name__)

FILES = {"jsonl": "archive.jsonl.gz", "csv": "archive.csv.gz"}
MANIFEST = "manifest.json"
# Keys of the advisory lock (pg_advisory_lock(int, int)); sections.jobs uses 0x52410001.
LOCK_KEY = (0x52410002, 0)


def bulk_dir() -> Path:
    return Path(settings.BULK_DATA_DIR)


def published_paragraphs():
    """Every paragraph of a published report, by country, year, language and reading order."""
    return Paragraph.objects.filter(published=True).order_by(
        "country", "year", "language", "ordinal"
    )


def write_bulk_data(*, base_url: str | None = None, unless_since=None) -> dict | None:
    """Write both files and the manifest; return the manifest. `base_url` starts each
    permalink (default: sections.links.site_url without a request: SITE_URL, or without one
    site paths such as /kz/2022/kk/p/12/). With `unless_since` (a datetime), do nothing and
    return None when the files present were made at or after it."""
    directory = bulk_dir()
    directory.mkdir(parents=True, exist_ok=True)
    base_url = site_url("") if base_url is None else base_url
    with _writer_lock():
        current = read_manifest()
        if unless_since is not None and current and current["generated_at"] >= unless_since:
            return None
        # Taken before the query starts, so the files hold everything committed by then.
        generated = timezone.now()
        reports: dict[tuple, int] = {}
        with (
            _replaced(directory / FILES["jsonl"], generated) as jsonl,
            _replaced(directory / FILES["csv"], generated) as csv,
            transaction.atomic(),  # the cursor streams rather than being held in full
        ):
            csv_line = export.csv_line_writer()
            csv.write(csv_line(export.columns()))
            for row in export.rows(published_paragraphs(), base_url=base_url):
                jsonl.write(export.json_line(row))
                csv.write(csv_line(export.csv_cells(row)))
                key = (row["country"], row["year"], row["language"])
                reports[key] = reports.get(key, 0) + 1
        manifest = {
            "generated": generated.isoformat(),
            "base_url": base_url,
            "paragraphs": sum(reports.values()),
            "reports": [
                {"country": c, "year": y, "language": lang, "paragraphs": n}
                for (c, y, lang), n in reports.items()
            ],
            "columns": list(export.columns()),
            "files": {name: _describe(directory / file) for name, file in FILES.items()},
        }
        with _staged(directory / MANIFEST) as file:
            file.write(json.dumps(manifest, indent=2).encode())
    return _parsed(manifest)


def read_manifest() -> dict | None:
    """The manifest of the files present (with `generated_at` as a datetime), or None when
    they have not been written yet."""
    try:
        return _parsed(json.loads((bulk_dir() / MANIFEST).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("unreadable bulk data manifest: %r", error)
        return None


def lists_report(manifest: dict | None, report) -> bool:
    """Whether the files of `manifest` hold paragraphs of `report`."""
    key = {"country": report.country, "year": report.year, "language": report.language}
    return bool(manifest) and any(
        {k: entry[k] for k in key} == key for entry in manifest["reports"]
    )


@task()
def regenerate(requested: str) -> str:
    """The background task: rewrite the files unless they were made after `requested` (an ISO
    datetime, when the archive changed); return "written" or "current"."""
    since = datetime.datetime.fromisoformat(requested)
    return "current" if write_bulk_data(unless_since=since) is None else "written"


def request_regeneration() -> None:
    """Queue `regenerate` for the archive as it is now (call after the change commits)."""
    regenerate.enqueue(timezone.now().isoformat())


def _parsed(manifest: dict) -> dict:
    return {**manifest, "generated_at": datetime.datetime.fromisoformat(manifest["generated"])}


def _describe(path: Path) -> dict:
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": digest}


@contextmanager
def _replaced(path: Path, mtime: datetime.datetime):
    """A UTF-8 text stream into a gzip file that replaces `path` when the block succeeds."""
    # The name inside the gzip header is the final one, not the temporary file's.
    inner = path.name.removesuffix(".gz")
    with (
        _staged(path) as raw,
        gzip.GzipFile(inner, "wb", fileobj=raw, mtime=int(mtime.timestamp())) as packed,
    ):
        text = io.TextIOWrapper(packed, encoding="utf-8", newline="")
        try:
            yield text
        finally:
            text.detach()  # flushes; the gzip stream is closed by its own block


@contextmanager
def _staged(path: Path):
    """A binary file that replaces `path`, readable by the web server, when the block
    succeeds, and is removed when it fails."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as raw:
        try:
            yield raw
            raw.flush()
            os.fsync(raw.fileno())
            os.chmod(raw.name, 0o644)
            os.replace(raw.name, path)
        except BaseException:
            os.unlink(raw.name)
            raise


@contextmanager
def _writer_lock():
    """One writer at a time across processes; a second waits, then finds the files current."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", LOCK_KEY)
    try:
        yield
    finally:
        # A lost connection took the lock with it.
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", LOCK_KEY)
