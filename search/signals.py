"""Keep paragraph vectors current: on save of a paragraph or a section title, and after migrate
when the version of a language's analyzer has changed (with the term statistics, which also
follow a section's new title). Announce
each published report to the email alerts (search.alerts)."""

from django.db.models.signals import post_migrate, post_save, pre_save
from django.dispatch import receiver

from search import alerts
from search.indexing import index_paragraphs, reindex, stale_paragraphs
from search.vocabulary import refresh_report_terms, sync_terms
from sections.models import Paragraph, Section
from sections.signals import report_published


@receiver(pre_save, sender=Paragraph)
def index_paragraph_on_save(sender, instance: Paragraph, raw=False, **kwargs):
    if not raw:
        index_paragraphs([instance])


@receiver(pre_save, sender=Section)
def note_section_title_change(sender, instance: Section, raw=False, **kwargs):
    old_title = None
    if instance.pk and not raw:
        old_title = Section.objects.filter(pk=instance.pk).values_list("title", flat=True).first()
    instance._title_changed = old_title is not None and old_title != instance.title


@receiver(post_save, sender=Section)
def reindex_section_on_title_change(sender, instance: Section, created=False, raw=False, **kwargs):
    # Section titles are indexed into each of their paragraphs (weight A).
    if getattr(instance, "_title_changed", False):
        reindex(instance.paragraphs.all())
        refresh_report_terms(instance.report_id)


@receiver(post_migrate)
def reindex_after_analyzer_change(sender, app_config=None, plan=None, **kwargs):
    # Migrating back leaves the tables behind the code: nothing is written then.
    if any(backwards for _, backwards in plan or ()):
        return
    if app_config is not None and app_config.name == "sections":
        count = reindex(stale_paragraphs())
        if count:
            print(f"Reindexed {count} paragraphs for the current analyzers.")
        # Term statistics follow the vectors: recount the reports whose vectors changed.
        sync_terms()


@receiver(report_published)
def announce_to_alerts(sender, report, **kwargs):
    # A re-upload (`republished`) needs nothing apart: announced paragraphs are recorded.
    alerts.announce(report)
