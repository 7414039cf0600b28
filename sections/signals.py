"""`report_published`: sent once a report's publication has committed, whoever published it
(an import, the admin's "published" box). Researcher tools listen to it (alert mails, the bulk
download) without the sections app knowing them.

Arguments: `report` (the Report) and `republished` (True when a report that was already
published was replaced by a new upload, so only its changed paragraphs are new to readers).
"""

from django.db import transaction
from django.dispatch import Signal

report_published = Signal()


def announce_published(report, *, republished: bool = False) -> None:
    """Send `report_published` after the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: report_published.send(sender=type(report), report=report, republished=republished),
        robust=True,
    )
