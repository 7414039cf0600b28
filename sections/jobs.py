"""Report imports as background jobs, through Django's tasks API (the `django-tasks` backport
with its database backend, so the queue is a table in the same PostgreSQL database).

The admin creates an `ImportJob` and enqueues `import_upload` in one transaction; the worker
(`python manage.py db_worker`) runs it: parse, save and index (the importer, in one
transaction), then the pending upload is deleted in that same transaction. The job row says
how far it got. A failed import changes nothing in the archive and keeps the pending upload,
so the admin can retry or discard it.

While a job runs, its worker holds a PostgreSQL advisory lock named after the job; a job that
says it is running but whose lock is free lost its worker (killed, or the server restarted),
and `check_worker` marks it failed so that it can be retried.
"""

import json
import logging
from contextlib import contextmanager, suppress

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import task

from sections.ingest.errors import IngestError, gettext_noop
from sections.ingest.service import ReportUpload
from sections.models import ImportJob, PendingUpload

logger = logging.getLogger(__name__)
Status = ImportJob.Status

# First key of the advisory locks (pg_advisory_lock(int, int)); the second is the job's id.
LOCK_NAMESPACE = 0x52410001

DISCARDED = gettext_noop("the upload was discarded before it was imported; upload the file again")
WORKER_STOPPED = gettext_noop(
    "the background worker stopped during the import; nothing was changed, retry the import"
)


def start_job(pending_id: int, *, publish: bool, user=None) -> ImportJob | None:
    """Queue an import of the pending upload; return its job (an already active one if a job
    for it is queued or running), or None if the upload is gone."""
    with transaction.atomic():
        # Concurrent clicks on Publish queue up here, then find the first one's job.
        pending = PendingUpload.objects.select_for_update().only("pk").filter(pk=pending_id).first()
        if pending is None:
            return None
        active = ImportJob.objects.filter(pending=pending, status__in=ImportJob.ACTIVE).first()
        if active is not None:
            return active
        details = PendingUpload.objects.values("filename", "country", "year", "language")
        job = ImportJob.objects.create(
            pending=pending,
            upload_id=pending.pk,
            publish=publish,
            started_by=user,
            **details.get(pk=pending.pk),
        )
        # Same database, same transaction: the job and its queue entry commit together.
        result = import_upload.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


@task()
def import_upload(job_id: int) -> str:
    """The background task: run the job; return its final status."""
    return run_job(job_id)


def run_job(job_id: int) -> str:
    with _job_lock(job_id) as locked:
        if not locked:
            return "locked"  # another worker has it
        claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.PARSING, started=timezone.now()
        )
        if not claimed:
            return "gone"  # run before, or removed
        job = ImportJob.objects.get(pk=job_id)
        try:
            _import(job)
        except IngestError as error:
            _fail(job_id, error)
        except Exception as error:
            logger.exception("import job %s failed", job_id)
            _fail(job_id, error)
            raise  # the task's result keeps the traceback
        except BaseException:
            # The worker is being stopped: the import's transaction was rolled back.
            with suppress(DatabaseError):
                _fail(job_id, IngestError(WORKER_STOPPED))
            raise
        return ImportJob.objects.values_list("status", flat=True).get(pk=job_id)


def _import(job: ImportJob) -> None:
    pending = PendingUpload.objects.filter(pk=job.pending_id).first()
    if pending is None:
        raise IngestError(DISCARDED)
    upload = ReportUpload(
        bytes(pending.data), pending.filename, pending.country, pending.year, pending.language
    )
    parsed = upload.parse()
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.INDEXING,
        sections=len(parsed.sections),
        paragraphs=sum(len(section.paragraphs) for section in parsed.sections),
    )
    with transaction.atomic():
        result = upload.save(parsed, published=job.publish)
        # Deleted with the import, so a crash cannot leave the upload gone and nothing saved.
        PendingUpload.objects.filter(pk=pending.pk).delete()
        ImportJob.objects.filter(pk=job.pk).update(
            status=Status.PUBLISHED if job.publish else Status.SAVED,
            report=result.report,
            paragraphs=result.paragraphs,
            kept_anchors=result.kept_anchors,
            finished=timezone.now(),
        )


def _fail(job_id: int, error: BaseException) -> None:
    fields = {"error": str(error) or type(error).__name__}
    if isinstance(error, IngestError):
        fields["error_template"] = error.template
        fields["error_params"] = json.loads(json.dumps(error.params, default=str))
    else:
        fields["error"] = f"{type(error).__name__}: {error}"
        fields["error_template"] = ""
        fields["error_params"] = {}
    ImportJob.objects.filter(pk=job_id).update(
        status=Status.FAILED, finished=timezone.now(), **fields
    )


def retry_job(job: ImportJob, user=None) -> ImportJob | None:
    """Queue a new job for a failed job's upload (None if the upload was discarded)."""
    if job.pending_id is None:
        return None
    return start_job(job.pending_id, publish=job.publish, user=user)


def check_worker(job: ImportJob) -> ImportJob:
    """Mark a running job failed if no worker holds its lock any more; return it fresh."""
    if job.status not in ImportJob.RUNNING:
        return job
    with _job_lock(job.pk) as locked:
        # Holding the lock, the worker is done or dead: only a dead one left it running.
        if locked and ImportJob.objects.filter(pk=job.pk, status__in=ImportJob.RUNNING).exists():
            logger.warning("import job %s lost its worker", job.pk)
            _fail(job.pk, IngestError(WORKER_STOPPED))
    job.refresh_from_db()
    return job


@contextmanager
def _job_lock(job_id: int):
    """A session-level advisory lock for the job, tried without waiting; yields whether it
    was taken. It outlives transactions and goes with the connection if the process dies."""
    key = (LOCK_NAMESPACE, job_id % 2**31)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        locked = cursor.fetchone()[0]
    try:
        yield locked
    finally:
        if locked:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            except DatabaseError:
                pass  # a lost connection took the lock with it


def discard_upload(pending_id: int) -> bool:
    """Delete the pending upload unless an import of it is queued or running."""
    with transaction.atomic():
        pending = PendingUpload.objects.select_for_update().only("pk").filter(pk=pending_id).first()
        if pending is None:
            return True
        if ImportJob.objects.filter(pending=pending, status__in=ImportJob.ACTIVE).exists():
            return False
        pending.delete()
    return True
