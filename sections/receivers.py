"""Keeping the bulk download (sections/bulk.py) equal to the published archive: a publication
queues its rewrite, and so does a report leaving the archive (unpublished, deleted, or
re-uploaded unpublished) while the files hold it. The rewrite runs in the background worker."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sections import bulk
from sections.models import Report
from sections.signals import report_published


@receiver(report_published, dispatch_uid="bulk_data_on_publish")
def rewrite_bulk_data_on_publish(sender, report, **kwargs):
    bulk.request_regeneration()


@receiver(post_save, sender=Report, dispatch_uid="bulk_data_on_unpublish")
def rewrite_bulk_data_on_unpublish(sender, instance, **kwargs):
    if not instance.published and bulk.lists_report(bulk.read_manifest(), instance):
        transaction.on_commit(bulk.request_regeneration, robust=True)


@receiver(post_delete, sender=Report, dispatch_uid="bulk_data_on_delete")
def rewrite_bulk_data_on_delete(sender, instance, **kwargs):
    if bulk.lists_report(bulk.read_manifest(), instance):
        transaction.on_commit(bulk.request_regeneration, robust=True)
