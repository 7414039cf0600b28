"""Reports, their sections and paragraphs, and the topics that join sections across years."""

import datetime

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1990


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")


def latest_allowed_year() -> int:
    """Reports are published early in the following year, never in the future."""
    return datetime.date.today().year


def validate_report_year(year: int) -> None:
    from django.core.exceptions import ValidationError

    if not FIRST_YEAR <= year <= latest_allowed_year():
        raise ValidationError(
            _("The year must be between %(first)s and %(last)s."),
            params={"first": FIRST_YEAR, "last": latest_allowed_year()},
            code="year",
        )


class Topic(models.Model):
    """A theme that stays the same across years (torture, press freedom...), named in kk/en/ru."""

    slug = models.SlugField(unique=True)
    name_kk = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name_en

    def get_absolute_url(self) -> str:
        return reverse("sections:topic", args=[self.slug])

    @property
    def name(self) -> str:
        """The name in the active interface language."""
        language = (get_language() or "kk")[:2]
        return getattr(self, f"name_{language}", "") or self.name_kk


class ReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def find(self, country: str, year: int, language: str):
        """The report for a URL's country/year/language, or None."""
        return self.filter(country=country.upper(), year=year, language=language).first()


class Report(models.Model):
    """One yearly report for one country in one language."""

    country = models.CharField(
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO code such as KZ."))],
        help_text=_("ISO 3166-1 alpha-2 code, upper case"),
    )
    year = models.PositiveSmallIntegerField(validators=[validate_report_year])
    language = models.CharField(max_length=2, choices=Language.choices)
    title = models.CharField(max_length=500)
    source_name = models.CharField(max_length=255, blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text=_("SHA-256 of the source"))
    published = models.BooleanField(default=True)
    parse_warnings = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["country", "-year", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "year", "language"], name="one_report_per_country_year_language"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR), name="report_year_not_before_1990"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.year} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("sections:report", args=self.url_args)

    @property
    def url_args(self) -> list:
        return [self.country.lower(), self.year, self.language]

    def resolve_anchor(self, number: int):
        """The paragraph that permalink number `number` points to now, following retirements."""
        seen = set()
        while number is not None and number not in seen:
            seen.add(number)
            paragraph = self.paragraphs.select_related("section").filter(number=number).first()
            if paragraph:
                return paragraph
            retired = self.retired_anchors.filter(number=number).first()
            number = retired.successor_number if retired else None
        return None


class Section(models.Model):
    """A part of the canonical outline (summary, 1, 1c, 6-women...) as printed in one report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=500)
    order = models.PositiveSmallIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="sections")

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "code"], name="section_code_unique_in_report"
            ),
            models.UniqueConstraint(
                fields=["report", "order"], name="section_order_unique_in_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("sections:section", args=[*self.report.url_args, self.code])


class Paragraph(models.Model):
    """One paragraph of body text.

    `ordinal` is its place in the report (1..N, rewritten on re-import); `number` is its
    stable anchor (`#p{number}`), kept for unchanged paragraphs when a report is re-imported.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs")
    ordinal = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    text = models.TextField()
    search_vector = SearchVectorField(null=True, editable=False)
    analyzer_version = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        ordering = ["report", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "ordinal"],
                name="paragraph_ordinal_unique_in_report",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(
                fields=["report", "number"], name="paragraph_number_unique_in_report"
            ),
        ]
        indexes = [GinIndex(fields=["search_vector"], name="paragraph_search_gin")]

    def __str__(self) -> str:
        return f"{self.report} ¶{self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.section.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p{self.number}"


class RetiredAnchor(models.Model):
    """A paragraph number that a re-import removed, and the paragraph that now stands in its place.

    Keeps cited permalinks working: /kz/2022/kk/p/12/ finds the successor. The successor is
    kept as a number, not a foreign key, because a re-import recreates the paragraph rows.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="retired_anchors")
    number = models.PositiveIntegerField()
    successor_number = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="retired_anchor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} ¶{self.number} → ¶{self.successor_number}"


class PendingUpload(models.Model):
    """An uploaded report file held between the admin's preview and "publish".

    Nothing in the archive changes until it is published; old ones are deleted on publish
    or after a day.
    """

    data = models.BinaryField()
    filename = models.CharField(max_length=255)
    country = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=2, choices=Language.choices)
    uploaded_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.country} {self.year} {self.language})"
