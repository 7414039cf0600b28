"""The admin's report upload form: checks size, type and identity before anything is parsed."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sections.ingest.errors import IngestError
from sections.ingest.importer import check_identity
from sections.ingest.readers import READERS
from sections.models import Language, latest_allowed_year

ALLOWED_EXTENSIONS = {f".{extension}" for extension in READERS}


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Report file"),
        help_text=_("TXT (UTF-8), PDF with a text layer, or DOCX; at most %(mb)s MB.")
        % {"mb": settings.REPORT_UPLOAD_MAX_BYTES // (1024 * 1024)},
    )
    country = forms.CharField(label=_("Country"), max_length=2, initial="KZ")
    year = forms.IntegerField(label=_("Year"), initial=latest_allowed_year() - 1)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial="kk")

    def __init__(self, *args, file_too_large: int = 0, **kwargs):
        """`file_too_large`: the bytes read of a file the upload handler stopped at the limit
        (sections/upload_handlers.py); no file arrived, and the form says why."""
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.REPORT_UPLOAD_MAX_BYTES)
        if file_too_large:
            self.fields["file"].error_messages["required"] = _(
                "The file is over %(size)s; the limit is %(limit)s."
            ) % {"size": filesizeformat(file_too_large), "limit": limit}
        # static/js/upload.js refuses a file over the limit before anything is sent.
        self.fields["file"].widget.attrs.update(
            {
                "data-max-bytes": settings.REPORT_UPLOAD_MAX_BYTES,
                "data-too-large": _("The file is larger than the limit of %(limit)s.")
                % {"limit": limit},
            }
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = Path(upload.name).suffix.lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _("Unsupported file type %(ext)s: upload a .txt, .pdf or .docx file."),
                params={"ext": extension or _("(none)")},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > settings.REPORT_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.REPORT_UPLOAD_MAX_BYTES),
                },
            )
        return upload

    def clean(self):
        data = super().clean()
        if {"country", "year", "language"} <= data.keys():
            try:
                data["country"], data["year"], data["language"] = check_identity(
                    data["country"], data["year"], data["language"]
                )
            except IngestError as error:
                raise forms.ValidationError(error.translated(gettext)) from None
        return data
