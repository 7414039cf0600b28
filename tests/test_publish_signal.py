"""report_published: sent after commit to every receiver, even when one of them fails."""

import logging

import pytest

from sections.models import Report
from sections.signals import announce_published, report_published


@pytest.mark.django_db
def test_a_failing_receiver_does_not_keep_the_others_from_the_publication(
    django_capture_on_commit_callbacks, caplog
):
    heard = []

    def broken(sender, report, **kwargs):
        raise RuntimeError("the queue is down")

    def listening(sender, report, republished, **kwargs):
        heard.append((report.pk, republished))

    report = Report.objects.first()
    report_published.connect(broken)
    report_published.connect(listening)
    try:
        with (
            caplog.at_level(logging.ERROR, logger="sections.signals"),
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            announce_published(report, republished=True)
            assert heard == []  # not before the commit
    finally:
        report_published.disconnect(broken)
        report_published.disconnect(listening)
    assert len(callbacks) == 1
    assert heard == [(report.pk, True)]
    assert "the queue is down" in caplog.text
