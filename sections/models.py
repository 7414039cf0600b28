"""Reports, their sections and paragraphs, and the topics that join sections across years."""

import datetime
import functools
from itertools import pairwise

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1990
SAMPLE_BUCKETS = 1024
# A sampled count takes buckets 0..stop-1 for one of these stops: a range of buckets as a
# condition of the whole archive's index cost more than the count itself (btree_gin collects
# every bucket's entries into a bitmap first).
SAMPLE_STOPS = (2, 4, 8, 16, 32, 64, 128, 256, 512)
# Each range of buckets between two stops, [0, 2), [2, 4) … [256, 512), has a GIN index of
# its own: a sample is read from the indexes of its ranges together (a BitmapOr), and a count
# that needs a larger sample than its first reads only the ranges the first one lacked.
SAMPLE_RANGES = tuple(pairwise((0, *SAMPLE_STOPS)))
# The whole archive's GIN index holds the paragraphs with `sample >= 0`: every one, but a
# search of the whole archive says so to use it, and a sample's ranges do not imply it (their
# lower bound is written `sample + 0 >= low`, see sample_range), so the planner reads the
# sample's own indexes whatever it guesses a search matches (a phrase's word pairs make it
# guess far too few, and it would filter the whole archive's matches).
ARCHIVE_INDEX_CONDITION = models.Q(sample__gte=0)


def sample_range(low: int, stop: int) -> models.Q:
    """Sample buckets low..stop-1: the condition of that range's index, and of a count's."""
    below = LessThan(F("sample"), stop)
    return (
        models.Q(below) if low == 0 else models.Q(below, GreaterThanOrEqual(F("sample") + 0, low))
    )


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")


def language_label(code: str) -> str:
    """A report language's name in the interface language (the code itself if unknown)."""
    return str(Language(code).label) if code in Language.values else code


def latest_allowed_year() -> int:
    """Reports are published early in the following year, never in the future."""
    return datetime.date.today().year


def validate_report_year(year: int) -> None:
    if not FIRST_YEAR <= year <= latest_allowed_year():
        raise ValidationError(
            _("The year must be between %(first)s and %(last)s."),
            params={"first": FIRST_YEAR, "last": latest_allowed_year()},
            code="year",
        )


def permalink_stem(country: str, year: int, language: str) -> str:
    """The path that a paragraph number and "/" complete to the paragraph's permalink,
    /kz/2022/kk/p/ for /kz/2022/kk/p/12/, which survives re-uploads. The one place permalinks
    are built: citations, exports, feeds, mails and the section page's script complete it."""
    return _permalink_stem(get_script_prefix(), country.lower(), year, language)


@functools.lru_cache(maxsize=4096)
def _permalink_stem(script_prefix: str, country: str, year: int, language: str) -> str:
    # reverse() once per report and script prefix (the key), as exports hand out one a row.
    return reverse("sections:paragraph", args=[country, year, language, 0]).removesuffix("0/")


class TopicQuerySet(models.QuerySet):
    def with_years(self, *, newest_first: bool = False):
        """Annotate `years`: each year, once, whose published reports have a section on the
        topic, oldest first (newest first with `newest_first`); [] for none."""
        year = "sections__report__year"
        return self.annotate(
            years=ArrayAgg(
                year,
                filter=Q(sections__report__published=True),
                distinct=True,
                order_by=f"-{year}" if newest_first else year,
                default=Value([]),
            )
        )

    def with_paragraph_counts(self):
        """Annotate `paragraph_count`: paragraphs in this topic's sections of published reports."""
        counted = self.annotate(
            paragraph_count=Count(
                "sections__paragraphs", filter=Q(sections__report__published=True)
            )
        )
        # Meta.ordering does not apply to GROUP BY queries.
        return counted.order_by("order", "slug")


class Topic(models.Model):
    """A theme that stays the same across years (torture, press freedom...), named in kk/en/ru."""

    slug = models.SlugField(unique=True)
    name_kk = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    objects = TopicQuerySet.as_manager()

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

    def sections_by_year(self) -> list["Section"]:
        """This topic's sections in published reports, newest year first, in one query, with
        `paragraph_count`, `lead` (SectionQuerySet.with_leads) and `compare_from` (the latest
        earlier year with the same section, or None)."""
        sections = list(
            self.sections.filter(report__published=True)
            .select_related("report")
            .annotate(paragraph_count=Count("paragraphs"))
            .with_leads()
            .order_by("-report__year", "report__country", "report__language", "order")
        )
        years_of: dict[tuple, list[int]] = {}
        for section in sections:
            years_of.setdefault(section.alignment_key, []).append(section.report.year)
        for section in sections:
            earlier = [y for y in years_of[section.alignment_key] if y < section.report.year]
            section.compare_from = max(earlier, default=None)
        return sections


class ReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def find(self, country: str, year: int, language: str):
        """The report for a URL's country/year/language, or None."""
        return self.filter(country=country.upper(), year=year, language=language).first()

    def for_country(self, country: str):
        """Published reports of one country (URL spelling, any case), newest first."""
        return self.published().filter(country=country.upper()).order_by("-year", "language")


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
    layout = models.CharField(
        max_length=40,
        default="seven-sections",
        help_text=_("The outline version the parser detected (sections.taxonomy.LAYOUTS)"),
    )
    # What a citation names: who published the report, and as what (the original for a
    # translation). Kept across re-uploads; sections.shipped fills them for fixtures/.
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    original_title = models.CharField(
        _("original title"),
        max_length=500,
        blank=True,
        help_text=_("The title as the publisher gave it (the original's, for a translation)"),
    )
    original_url = models.URLField(
        _("original URL"), max_length=500, blank=True, help_text=_("Where the publisher has it")
    )
    publication_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("When the publisher released it (the original's date for a translation)"),
    )
    is_translation = models.BooleanField(
        _("translation"), default=False, help_text=_("This text is a translation")
    )
    original_language = models.CharField(
        _("translated from"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("The language of the original, for a translation"),
    )
    source_name = models.CharField(max_length=255, blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text=_("SHA-256 of the source"))
    published = models.BooleanField(default=True)
    parse_warnings = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # The publisher's facts about the report, edited in the admin, cited in every citation.
    METADATA_FIELDS = (
        "publisher",
        "original_title",
        "original_url",
        "publication_date",
        "is_translation",
        "original_language",
    )

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

    def clean(self):
        if self.original_language and not self.is_translation:
            raise ValidationError(
                {"original_language": _("Only a translation is translated from a language.")}
            )
        if self.original_language and self.original_language == self.language:
            raise ValidationError(
                {"original_language": _("A translation is from another language than its own.")}
            )

    @property
    def url_args(self) -> list:
        return [self.country.lower(), self.year, self.language]

    @property
    def permalink_stem(self) -> str:
        """/kz/2022/kk/p/: what a paragraph number and "/" complete to its permalink."""
        return permalink_stem(self.country, self.year, self.language)

    def permalink_path(self, number: int) -> str:
        """The permalink path of this report's paragraph `number`: /kz/2022/kk/p/12/."""
        return f"{self.permalink_stem}{number}/"

    @property
    def language_name(self) -> str:
        return self.get_language_display()

    @property
    def layout_name(self) -> str:
        from sections import taxonomy

        return taxonomy.layout_name(self.layout)

    def section_tree(self) -> list["Section"]:
        """All sections in reading order, in one query, each with `paragraph_count` (its own),
        `total_paragraphs` (with its subsections), `depth` (0 for top level) and `subsections`.
        """
        sections = list(
            self.sections.annotate(paragraph_count=Count("paragraphs")).order_by("order")
        )
        return link_sections(sections)

    def neighbours(self) -> tuple["Report | None", "Report | None"]:
        """The published reports of the previous and next year for this country and language."""
        siblings = Report.objects.published().filter(country=self.country, language=self.language)
        previous = siblings.filter(year__lt=self.year).order_by("-year").first()
        following = siblings.filter(year__gt=self.year).order_by("year").first()
        return previous, following

    def resolve_anchor(self, number: int):
        """The paragraph that permalink number `number` points to now, following retirements,
        with its section, both knowing this report."""
        seen = set()
        while number is not None and number not in seen:
            seen.add(number)
            paragraph = self.paragraphs.select_related("section").filter(number=number).first()
            if paragraph:
                paragraph.section.report = self
                return paragraph
            retired = self.retired_anchors.filter(number=number).first()
            number = retired.successor_number if retired else None
        return None


def link_sections(sections: list["Section"]) -> list["Section"]:
    """Set `depth`, `subsections`, `parent_section` and `total_paragraphs` on sections of one
    report (given in reading order, annotated with `paragraph_count`), without queries."""
    by_id = {section.id: section for section in sections}
    for section in sections:
        section.subsections = []
        section.parent_section = by_id.get(section.parent_id)
        section.total_paragraphs = section.paragraph_count
    for section in sections:
        if section.parent_section:
            section.parent_section.subsections.append(section)
    for section in sections:
        depth, ancestor = 0, section.parent_section
        while ancestor is not None:
            depth += 1
            ancestor.total_paragraphs += section.paragraph_count
            ancestor = ancestor.parent_section
        section.depth = depth
    return sections


class SectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(report__published=True)

    def with_leads(self):
        """Annotate `lead`: the section's opening text, what pages and feeds show of it. It is
        the first paragraph, in reading order, of the section or else of its subsections
        ("" when none has text; a later section's text never stands in)."""
        # In reading order a section's subsections follow it, up to the first later section
        # that is top level or whose parent comes before it.
        end = (
            Section.objects.filter(report=OuterRef("report"), order__gt=OuterRef("order"))
            .filter(Q(parent=None) | Q(parent__order__lt=OuterRef("order")))
            .order_by("order")
            .values("order")[:1]
        )
        opening = (
            Paragraph.objects.filter(
                report=OuterRef("report"),
                section__order__gte=OuterRef("order"),
                section__order__lt=OuterRef("subtree_end"),
            )
            .order_by("ordinal")
            .values("text")[:1]
        )
        after_every_order = Value(2**31 - 1)
        return self.annotate(
            subtree_end=Coalesce(Subquery(end), after_every_order),
            lead=Coalesce(Subquery(opening), Value(""), output_field=models.TextField()),
        )

    def with_code_across_years(self, country: str, code: str):
        """The section with this outline code in every published report of a country."""
        return (
            self.published()
            .filter(report__country=country.upper(), code=code)
            .select_related("report")
            .order_by("report__year", "report__language")
        )

    def aligned_across_years(
        self, country: str, code: str, prefer_years=(), language: str = ""
    ) -> list["Section"]:
        """A section and what stands for it in each other published report of the country,
        by year: the section with `code` in the first of `prefer_years` that has it (else
        the newest), in `language` when that year has it, is the reference; see
        Section.counterparts()."""
        with_code = list(self.with_code_across_years(country, code))
        if not with_code:
            return []
        by_year = {}
        for section in with_code:  # in year and language order; the wanted language wins
            year = str(section.report.year)
            if year not in by_year or section.report.language == language:
                by_year[year] = section
        reference = next(
            (by_year[str(y)] for y in prefer_years if str(y) in by_year), with_code[-1]
        )
        return sorted(
            [reference, *reference.counterparts()],
            key=lambda s: (s.report.year, s.report.language),
        )


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

    objects = SectionQuerySet.as_manager()

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

    @property
    def outline_entry(self):
        """This code's entry in its report's layout, or None for a heading the layout lacks."""
        from sections import taxonomy

        try:
            return taxonomy.entry(self.code, self.report.layout)
        except KeyError:
            return None

    @property
    def outline_title(self) -> str:
        """The canonical title of this outline code in the interface language ("" if unknown)."""
        entry = self.outline_entry
        return entry.title((get_language() or "kk")[:2]) if entry else ""

    @property
    def alignment_key(self) -> tuple:
        """Country, language and subject: equal for the same part of the outline in every
        year, whatever the layout numbers it (the code for headings no layout has)."""
        entry = self.outline_entry
        subject = entry.subject.key if entry else self.code
        return (self.report.country, self.report.language, subject)

    def counterparts(self) -> list["Section"]:
        """This section in every other published report of the same country (one per report).

        Within a layout the code is the section's identity. Across layouts, the section of the
        same subject (1c torture in 2022 is 3a in 2024), else the one sharing most topics.
        """
        topic_ids = {t.id for t in self.topics.all()}
        candidates = (
            Section.objects.published()
            .filter(report__country=self.report.country)
            .exclude(report_id=self.report_id)
            # Only sections that can stand for this one: the same code, or a shared topic.
            .filter(Q(code=self.code) | Q(topics__in=topic_ids))
            .distinct()
            .select_related("report")
            .prefetch_related("topics")
        )
        best: dict[int, tuple[tuple, Section]] = {}
        for candidate in candidates:
            score = self._alignment(candidate, topic_ids)
            if score is not None and (
                candidate.report_id not in best or score > best[candidate.report_id][0]
            ):
                best[candidate.report_id] = (score, candidate)
        return sorted(
            (section for _, section in best.values()),
            key=lambda s: (s.report.year, s.report.language),
        )

    def _alignment(self, other: "Section", topic_ids: set[int]) -> tuple | None:
        """How well `other` (in another report) stands for this section; None: not at all."""
        mine, theirs = self.outline_entry, other.outline_entry
        same_subject = bool(mine and theirs and mine.subject.key == theirs.subject.key)
        if other.report.layout == self.report.layout:
            # The code is the identity; the same subject under another code (refugees as a
            # sub-heading of 2.d in some years, 2.e in others) comes next.
            if other.code == self.code:
                return (3,)
            return (2,) if same_subject else None
        if same_subject:
            return (2,)
        their_topics = {t.id for t in other.topics.all()}
        shared = len(topic_ids & their_topics)
        if not shared:
            return None
        return (1, shared / len(topic_ids | their_topics), other.code == self.code)

    def neighbours(self) -> tuple["Section | None", "Section | None"]:
        """This section in the previous and next year's published report of the same country,
        in the same language when that year has it."""
        across = self.counterparts()
        earlier = [s for s in across if s.report.year < self.report.year]
        later = [s for s in across if s.report.year > self.report.year]
        return self._closest(earlier, max), self._closest(later, min)

    def _closest(self, sections: list["Section"], pick) -> "Section | None":
        if not sections:
            return None
        year = pick(s.report.year for s in sections)
        that_year = [s for s in sections if s.report.year == year]
        same_language = [s for s in that_year if s.report.language == self.report.language]
        return (same_language or that_year)[0]

    def subtree(self, tree: list["Section"]) -> list["Section"]:
        """This section and its descendants in reading order, from `Report.section_tree()`."""
        node = next(s for s in tree if s.id == self.id)
        found = [node]
        for child in node.subsections:
            found.extend(child.subtree(tree))
        return found

    def subtree_with_paragraphs(self, tree: list["Section"]) -> list["Section"]:
        """`subtree()` with each section's paragraphs in `paragraph_list`, in one query."""
        parts = self.subtree(tree)
        by_section = {part.id: part for part in parts}
        for part in parts:
            part.paragraph_list = []
        for paragraph in Paragraph.objects.filter(section__in=by_section).order_by("ordinal"):
            paragraph.section = by_section[paragraph.section_id]
            paragraph.section.paragraph_list.append(paragraph)
        return parts

    def ancestors(self, tree: list["Section"]) -> list["Section"]:
        """The enclosing sections, outermost first, from `Report.section_tree()`."""
        node = next(s for s in tree if s.id == self.id)
        chain = []
        while node.parent_section is not None:
            node = node.parent_section
            chain.insert(0, node)
        return chain


def subtree_paragraphs(sections: list[Section]) -> dict[int, list[tuple[int, str]]]:
    """{section id: [(anchor number, text)]} for each section with its subsections, in reading
    order, in two queries whatever the number of sections and paragraphs."""
    rows = Section.objects.filter(report__in={s.report_id for s in sections})
    children: dict[int, list[int]] = {}
    for section_id, parent_id in rows.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(section_id)
    top_of = {}
    for top in sections:
        stack = [top.id]
        while stack:
            member = stack.pop()
            top_of[member] = top.id
            stack.extend(children.get(member, []))
    result: dict[int, list[tuple[int, str]]] = {s.id: [] for s in sections}
    paragraphs = Paragraph.objects.filter(section__in=top_of).order_by("report", "ordinal")
    for section_id, number, text in paragraphs.values_list("section_id", "number", "text"):
        result[top_of[section_id]].append((number, text))
    return result


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
    # Copies of the report's fields that searches filter and order by, so that one GIN probe
    # answers "this word in 2020" without a join. The database keeps them equal to the
    # report's, whatever writes the rows (triggers of migration 0007).
    year = models.PositiveSmallIntegerField(db_default=0, editable=False)
    country = models.CharField(max_length=2, db_default="", editable=False)
    language = models.CharField(max_length=2, db_default="", editable=False)
    published = models.BooleanField(db_default=False, editable=False)
    # The ids of its section's topics, for the topic facet without a join per match (kept by
    # the triggers of migration 0008).
    topics = ArrayField(models.IntegerField(), db_default=Value([]), editable=False)
    # A fixed share of the archive, 0..SAMPLE_BUCKETS-1, for estimated counts of broad
    # searches (search.counting): `sample < k` is k/SAMPLE_BUCKETS of the paragraphs. The id
    # is scattered by Fibonacci hashing (the top 10 bits of id × 2^32/φ mod 2^32), so that a
    # range of buckets holds a few paragraphs of every report, never runs of neighbours.
    sample = models.GeneratedField(
        expression=Cast(
            (F("id") * Value(2654435769) % Value(2**32)) / Value(2**32 // SAMPLE_BUCKETS),
            models.SmallIntegerField(),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

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
        # btree_gin: the year and country share the vector's index, so a filtered search is
        # one index scan; so is a sampled one, in its sample's partial index.
        indexes = [
            GinIndex(
                fields=["search_vector", "year", "country"],
                name="paragraph_search_gin",
                condition=ARCHIVE_INDEX_CONDITION,
            ),
            *(
                GinIndex(
                    fields=["search_vector", "year", "country"],
                    name=f"paragraph_sample_{low}_{stop}_gin",
                    condition=sample_range(low, stop),
                )
                for low, stop in SAMPLE_RANGES
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} ¶{self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.section.get_absolute_url()}#{self.anchor}"

    @property
    def permalink_path(self) -> str:
        """Its permalink, /kz/2022/kk/p/12/, from its own copies of the report's country, year
        and language (no join: exports load only those)."""
        return f"{permalink_stem(self.country, self.year, self.language)}{self.number}/"

    @property
    def anchor(self) -> str:
        return f"p{self.number}"


class RetiredAnchor(models.Model):
    """A paragraph number that a re-import removed, and the paragraph that now stands in its place.

    Keeps cited permalinks working: /kz/2022/kk/p/12/ finds the successor. The successor is
    kept as a number, not a foreign key, because a re-import recreates the paragraph rows. It
    is the paragraph that followed this one when it was removed, and may be retired in turn:
    `Report.resolve_anchor` follows the chain, so when a removed paragraph comes back (and
    gets its number back, see `text_hash`) the anchors that pointed to it find it again.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="retired_anchors")
    number = models.PositiveIntegerField()
    successor_number = models.PositiveIntegerField(null=True)
    # SHA-256 of the removed paragraph's whitespace-normalised text: a later import with the
    # same text revives the number. Empty for numbers retired before it was kept.
    text_hash = models.CharField(max_length=64, blank=True, default="")

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
    # The parsed outline (ParsedReport.to_dict) shown by the preview, so it is parsed once.
    outline = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.country} {self.year} {self.language})"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PARSING = "parsing", _("Parsing the file")
    INDEXING = "indexing", _("Saving and indexing")
    PUBLISHED = "published", _("Published")
    SAVED = "saved", _("Saved unpublished")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One import of a pending upload, run by the background worker (`sections.jobs`).

    The admin's Publish (or Save unpublished) creates it and returns at once; the worker
    parses, saves and indexes the upload and records here how far it got. On success the
    pending upload is deleted in the import's transaction; on failure nothing in the archive
    changed and the pending upload is kept, so the admin can retry or discard it.
    """

    Status = ImportJobStatus
    ACTIVE = (Status.QUEUED, Status.PARSING, Status.INDEXING)
    RUNNING = (Status.PARSING, Status.INDEXING)

    pending = models.ForeignKey(
        PendingUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # The pending upload's id, kept once the upload is gone: it ties a retry to the failed job.
    upload_id = models.PositiveBigIntegerField(db_index=True, editable=False)
    # Copied from the upload, which is gone once the job succeeds.
    filename = models.CharField(max_length=255)
    country = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=2, choices=Language.choices)
    publish = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sections = models.PositiveIntegerField(null=True, blank=True)
    paragraphs = models.PositiveIntegerField(null=True, blank=True)
    kept_anchors = models.PositiveIntegerField(null=True, blank=True)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    # The error in English (logs); an IngestError also keeps its template and values, so the
    # admin shows it in the reader's language.
    error = models.TextField(blank=True)
    error_template = models.TextField(blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    started_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        constraints = [
            # A second click on Publish finds the running job instead of starting another.
            models.UniqueConstraint(
                fields=["pending"],
                condition=Q(status__in=["queued", "parsing", "indexing"]),
                name="one_active_import_job_per_upload",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.country} {self.year} {self.language}): {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def seconds(self) -> float | None:
        """How long the worker took, once it is done."""
        if self.started and self.finished:
            return (self.finished - self.started).total_seconds()
        return None

    def error_message(self, gettext) -> str:
        """The error in the active language (an IngestError's template translated)."""
        if self.error_template:
            from sections.ingest.errors import IngestError

            try:
                return IngestError(self.error_template, **self.error_params).translated(gettext)
            except (KeyError, TypeError, ValueError):
                pass
        return self.error
