"""Admin: reports with their outline, read-only paragraphs, and the upload-preview-publish flow."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from search.vocabulary import refresh_report_terms
from sections import jobs, taxonomy
from sections.forms import ReportUploadForm
from sections.ingest.service import IngestError, ReportUpload
from sections.models import (
    ImportJob,
    Language,
    Paragraph,
    PendingUpload,
    Report,
    Section,
    Topic,
)
from sections.signals import announce_published


def mismatch_messages(outline: dict) -> list[str]:
    """The preview's warnings that the chosen year or language contradicts the file, in the
    interface language."""
    shown = []
    for mismatch in outline.get("mismatches", []):
        values = dict(mismatch["values"])
        for key in ("found", "chosen"):
            if values.get(key) in Language.values:
                values[key] = Language(values[key]).label
        shown.append(_(mismatch["template"]) % values)
    return shown


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["order", "code", "title", "parent", "paragraph_count"]
    readonly_fields = ["order", "code", "parent", "paragraph_count"]
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("parent")
        return queryset.annotate(paragraph_total=Count("paragraphs"))

    @admin.display(description=_("paragraphs"))
    def paragraph_count(self, section):
        return section.paragraph_total

    def has_add_permission(self, request, obj=None):
        return False


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ["number", "ordinal", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["ordinal"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["country", "year", "language", "title", "published", "updated"]
    list_filter = ["country", "year", "language", "published"]
    search_fields = ["title", "source_name"]
    readonly_fields = ["source_name", "checksum", "parse_warnings", "created", "updated"]
    # An original URL typed without a scheme is the publisher's https site (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "country",
        "year",
        "language",
        "title",
        "published",
        *Report.METADATA_FIELDS,
        *readonly_fields,
    ]
    inlines = [SectionInline]
    change_list_template = "admin/sections/report/change_list.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "published" in form.changed_data:
            refresh_report_terms(obj)  # idf and "did you mean" count published reports only
            if obj.published:
                announce_published(obj)

    def delete_model(self, request, obj):
        report_id = obj.pk
        super().delete_model(request, obj)
        refresh_report_terms(report_id)

    def delete_queryset(self, request, queryset):
        report_ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for report_id in report_ids:
            refresh_report_terms(report_id)

    def get_readonly_fields(self, request, obj=None):
        # Country, year and language identify permalinks; change them by re-uploading.
        if obj is not None:
            return ["country", "year", "language", *self.readonly_fields]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # reports come in through the upload page

    def get_urls(self):
        own = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="report_upload"),
            path(
                "upload/<int:pk>/",
                self.admin_site.admin_view(self.preview_view),
                name="report_upload_preview",
            ),
            path(
                "upload/jobs/<int:pk>/",
                self.admin_site.admin_view(self.job_view),
                name="report_import_job",
            ),
            path(
                "upload/jobs/<int:pk>/retry/",
                self.admin_site.admin_view(self.job_retry_view),
                name="report_import_job_retry",
            ),
            path(
                "upload/jobs/<int:pk>/discard/",
                self.admin_site.admin_view(self.job_discard_view),
                name="report_import_job_discard",
            ),
        ]
        return own + super().get_urls()

    # Uploading creates reports and replacing one deletes its sections: it takes all three.
    UPLOAD_PERMISSIONS = ("sections.add_report", "sections.change_report", "sections.delete_report")

    def upload_view(self, request):
        if not request.user.has_perms(self.UPLOAD_PERMISSIONS):
            raise PermissionDenied
        form = ReportUploadForm(
            request.POST or None,
            request.FILES or None,
            # Set by sections.upload_handlers when the file passed the limit while being read.
            file_too_large=getattr(request, "upload_too_large", 0),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = ReportUpload(
                data["file"].read(),
                data["file"].name,
                data["country"],
                data["year"],
                data["language"],
            )
            try:
                parsed = upload.parse()
            except IngestError as error:
                form.add_error("file", error.translated(_))
            else:
                # Uploads left for a day go, unless an import of theirs is queued or running.
                PendingUpload.objects.filter(
                    created__lt=timezone.now() - timedelta(days=1)
                ).exclude(jobs__status__in=ImportJob.ACTIVE).delete()
                pending = PendingUpload.objects.create(
                    data=upload.data,
                    filename=upload.filename,
                    country=upload.country,
                    year=upload.year,
                    language=upload.language,
                    outline=parsed.to_dict(upload.country, upload.year, upload.language),
                    uploaded_by=request.user,
                )
                return redirect("admin:report_upload_preview", pending.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Upload a report"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/sections/report/upload.html", context)

    def preview_view(self, request, pk):
        if not request.user.has_perms(self.UPLOAD_PERMISSIONS):
            raise PermissionDenied
        pending = get_object_or_404(PendingUpload, pk=pk)
        if request.method == "POST":
            return self._publish(request, pending)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview: %(name)s") % {"name": pending.filename},
            "opts": self.model._meta,
            "pending": pending,
            "outline": pending.outline,
            "mismatches": mismatch_messages(pending.outline),
            "layout_name": taxonomy.layout_name(pending.outline.get("layout", "")),
            "existing": Report.objects.find(pending.country, pending.year, pending.language),
            "active_job": pending.jobs.filter(status__in=ImportJob.ACTIVE).first(),
        }
        return TemplateResponse(request, "admin/sections/report/preview.html", context)

    def _publish(self, request, pending: PendingUpload):
        """Queue the import of the previewed upload (published or not) and show its job.

        The background worker does the parsing, saving and indexing; a second click finds
        the job the first one queued."""
        job = jobs.start_job(pending.pk, publish="publish" in request.POST, user=request.user)
        if job is None:  # discarded meanwhile
            return redirect("admin:sections_report_changelist")
        return redirect("admin:report_import_job", job.pk)

    def job_view(self, request, pk):
        """The job's progress; refreshes itself until the job is done, then links the report."""
        if not request.user.has_perms(self.UPLOAD_PERMISSIONS):
            raise PermissionDenied
        job = jobs.check_worker(get_object_or_404(ImportJob, pk=pk))
        latest = ImportJob.objects.filter(upload_id=job.upload_id).first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import: %(name)s") % {"name": job.filename},
            "opts": self.model._meta,
            "job": job,
            "job_opts": ImportJob._meta,
            "steps": job_steps(job),
            "refresh_seconds": JOB_REFRESH_SECONDS if job.is_active else None,
            "waiting": job.status == ImportJob.Status.QUEUED
            and timezone.now() - job.created > timedelta(seconds=JOB_WAIT_NOTICE_SECONDS),
            "error": job.error_message(_) if job.status == ImportJob.Status.FAILED else "",
            # A later job of the same upload (a retry) supersedes this one.
            "later_job": latest if latest and latest.pk != job.pk else None,
        }
        if job.report_id and not job.is_active:
            context["saved_message"] = _(
                "Saved %(report)s: %(n)s paragraphs, %(kept)s permalinks kept."
            ) % {"report": job.report, "n": job.paragraphs, "kept": job.kept_anchors}
        return TemplateResponse(request, "admin/sections/report/import_job.html", context)

    def job_retry_view(self, request, pk):
        """Queue the failed job's upload again (POST); a retry already queued is reused."""
        if not request.user.has_perms(self.UPLOAD_PERMISSIONS):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=pk)
        if request.method != "POST" or job.status != ImportJob.Status.FAILED:
            return redirect("admin:report_import_job", job.pk)
        retried = jobs.retry_job(job, user=request.user)
        if retried is None:
            messages.error(request, _("The upload was discarded: upload the file again."))
            return redirect("admin:report_upload")
        return redirect("admin:report_import_job", retried.pk)

    def job_discard_view(self, request, pk):
        """Delete a failed job's pending upload (POST), unless an import of it is running."""
        if not request.user.has_perms(self.UPLOAD_PERMISSIONS):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=pk)
        if request.method == "POST" and job.pending_id and jobs.discard_upload(job.pending_id):
            messages.success(request, _("The upload was discarded."))
            return redirect("admin:report_upload")
        return redirect("admin:report_import_job", job.pk)


# How often the job page reloads itself while the job is queued or running, and after how
# long a queued job's page says that it is waiting for the worker.
JOB_REFRESH_SECONDS = 2
JOB_WAIT_NOTICE_SECONDS = 15


def job_steps(job: ImportJob) -> list[dict]:
    """The job's stages in order, each with its label and state: done, current, failed or
    todo. A failed job failed while parsing unless it had got as far as saving."""
    Status = ImportJob.Status
    steps = [Status.QUEUED, Status.PARSING, Status.INDEXING]
    steps.append(Status.PUBLISHED if job.publish else Status.SAVED)
    if job.status == Status.FAILED:
        at = steps.index(Status.INDEXING if job.sections is not None else Status.PARSING)
        states = ["done"] * at + ["failed"] + ["todo"] * (len(steps) - at - 1)
    elif job.is_active:
        at = steps.index(job.status)
        states = ["done"] * at + ["current"] + ["todo"] * (len(steps) - at - 1)
    else:
        states = ["done"] * len(steps)
    return [
        {"label": step.label, "state": state} for step, state in zip(steps, states, strict=True)
    ]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Recent imports, read-only; each links to its progress page."""

    list_display = [
        "created",
        "job_link",
        "country",
        "year",
        "language",
        "status",
        "started_by",
        "report",
        "duration",
    ]
    list_display_links = None
    list_filter = ["status", "country", "year", "language"]
    list_select_related = ["report", "started_by"]
    search_fields = ["filename"]

    @admin.display(description=_("file"), ordering="filename")
    def job_link(self, job):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:report_import_job", args=[job.pk]), job.filename
        )

    @admin.display(description=_("duration"))
    def duration(self, job):
        return "" if job.seconds is None else f"{job.seconds:.1f} s"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perms(
            ReportAdmin.UPLOAD_PERMISSIONS
        ) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:report_import_job", object_id)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "report", "order"]
    list_filter = ["report__country", "report__year", "report__language", "topics"]
    search_fields = ["code", "title"]
    fields = ["report", "code", "title", "order", "parent", "topics"]
    readonly_fields = ["report", "code", "order", "parent"]
    filter_horizontal = ["topics"]
    inlines = [ParagraphInline]
    list_select_related = ["report"]

    def has_add_permission(self, request):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A trigger copies the section's topics into its paragraphs; the counts by topic
        # (search.models.TermYear) follow.
        if "topics" in form.changed_data:
            refresh_report_terms(form.instance.report_id)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_kk", "name_en", "name_ru", "order"]
    search_fields = ["slug", "name_kk", "name_en", "name_ru"]
