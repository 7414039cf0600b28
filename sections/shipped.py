"""What a citation needs to know about the shipped reports (publisher, original title and URL,
publication date, translation), kept as data in fixtures/reports.json keyed by file name."""

import functools
import json
from pathlib import Path

from django.conf import settings

from sections.models import Report

METADATA_PATH = settings.BASE_DIR / "fixtures" / "reports.json"
METADATA_FIELDS = list(Report.METADATA_FIELDS)


def shipped_metadata(filename: str) -> dict | None:
    """The metadata fixtures/reports.json holds for this file name, or None."""
    return _metadata_table(METADATA_PATH).get(filename)


@functools.cache
def _metadata_table(path: Path) -> dict:
    # Read once per process: a shipped file, changed only with the code.
    return json.loads(path.read_text(encoding="utf-8"))


def has_metadata(report: Report) -> bool:
    """Whether any metadata field is set, by this module or by an admin."""
    blank = Report()
    return any(getattr(report, name) != getattr(blank, name) for name in METADATA_FIELDS)


def fill_metadata(report: Report, metadata: dict) -> bool:
    """Give a report with no metadata yet the values in `metadata` (validated as the admin
    would); a report an admin has described is left alone. True if the report changed."""
    if has_metadata(report):
        return False
    for name in METADATA_FIELDS:
        value = metadata.get(name)
        if value is not None:
            setattr(report, name, Report._meta.get_field(name).to_python(value))
    others = [f.name for f in Report._meta.get_fields() if f.name not in METADATA_FIELDS]
    report.clean_fields(exclude=others)
    report.clean()
    report.save(update_fields=METADATA_FIELDS)
    return True
