"""`report_published`: sent once a report's publication has committed, whoever published it
(an import, the admin's "published" box). Researcher tools listen to it (alert mails, the bulk
download) without the sections app knowing them.

Arguments: `report` (the Report) and `republished` (True when a report that was already
published was replaced by a new upload, so only its changed paragraphs are new to readers).
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

report_published = Signal()


def announce_published(report, *, republished: bool = False) -> None:
    """Send `report_published` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(report, republished))


def _send(report, republished: bool) -> None:
    # Every receiver runs even when one fails: the report is published either way.
    answers = report_published.send_robust(
        sender=type(report), report=report, republished=republished
    )
    for receiver, answer in answers:
        if isinstance(answer, Exception):
            logger.error("report_published: %r failed for %s", receiver, report, exc_info=answer)
