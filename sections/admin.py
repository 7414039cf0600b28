"""Admin: reports with their outline, read-only paragraphs, and the upload-preview-publish flow."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from search.vocabulary import refresh_report_terms
from sections import taxonomy
from sections.forms import ReportUploadForm
from sections.ingest.service import IngestError, ReportUpload
from sections.models import Language, Paragraph, PendingUpload, Report, Section, Topic


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
    fields = ["country", "year", "language", "title", "published", *readonly_fields]
    inlines = [SectionInline]
    change_list_template = "admin/sections/report/change_list.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "published" in form.changed_data:
            refresh_report_terms(obj)  # idf and "did you mean" count published reports only

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
                PendingUpload.objects.filter(
                    created__lt=timezone.now() - timedelta(days=1)
                ).delete()
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
        }
        return TemplateResponse(request, "admin/sections/report/preview.html", context)

    def _publish(self, request, pending: PendingUpload):
        """Save the previewed upload (published or not) and drop it from the pending ones."""
        upload = ReportUpload(
            bytes(pending.data), pending.filename, pending.country, pending.year, pending.language
        )
        try:
            with transaction.atomic():
                # A second click on Publish waits here, then finds the upload gone.
                if not PendingUpload.objects.select_for_update().filter(pk=pending.pk).exists():
                    return redirect("admin:sections_report_changelist")
                result = upload.save(published="publish" in request.POST)
                pending.delete()
        except IngestError as error:
            messages.error(request, error.translated(_))
            return redirect("admin:report_upload")
        messages.success(
            request,
            _("Saved %(report)s: %(n)s paragraphs, %(kept)s permalinks kept.")
            % {"report": result.report, "n": result.paragraphs, "kept": result.kept_anchors},
        )
        return redirect(reverse("admin:sections_report_change", args=[result.report.pk]))


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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_kk", "name_en", "name_ru", "order"]
    search_fields = ["slug", "name_kk", "name_en", "name_ru"]
