"""The archive's term statistics: for each lexeme of the published paragraphs, how many
paragraphs hold it and the word as it is most often printed (search.vocabulary keeps them).

The tables are built so that a report's import, re-import, unpublishing or deletion costs
work in proportion to that report and never a pass over the archive:

- `ReportVocabulary`: one row per report, with what that report currently adds to the
  archive's counts (every lexeme's paragraph counts and printed forms, in one JSON value).
  Refreshing a report subtracts this and adds the new contribution. It is keyed by the
  report's id without a foreign key, so it outlives a deleted report until it is taken back.
- `Term`: one row per lexeme of the published archive (the sum of the contributions), with
  trigram indexes on the analyzer key for "did you mean" two edits away.
- `TermVariant`: each Term key with one letter deleted, for neighbours one edit away.
- `TermForm`: one row per (lexeme, printed form) with its number of occurrences; the most
  frequent form becomes `Term.surface`.

Besides: `RateLimitCounter` (search.ratelimit), and `Alert` with `ReportAnnouncement`, the
email alerts of searches (search.alerts).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core import signing
from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5, Lower


class Term(models.Model):
    """One lexeme of the published archive, as it appears in paragraph search vectors.

    `lexeme` is exactly as indexed: a Kazakh key (азапт), its keyboard-folded twin (~кама)
    or a Snowball stem with its language mark (en:tortur). `key` is the lexeme without its
    marks; `fuzzy` is what "did you mean" compares: the folded key for Kazakh (so a word
    typed without Kazakh letters finds its neighbours too), the key itself otherwise.
    """

    lexeme = models.CharField(max_length=128, unique=True)
    language = models.CharField(max_length=2)
    key = models.CharField(max_length=128)
    # A "~" lexeme: the folded twin of a Kazakh key with Kazakh letters (counts only).
    folded = models.BooleanField(default=False)
    fuzzy = models.CharField(max_length=128)
    # Published paragraphs whose search vector holds the lexeme (text or section title):
    # what a search for it matches, and the n of BM25's idf.
    df = models.PositiveIntegerField(default=0)
    # Published paragraphs whose own text (not only their section title) holds it.
    text_df = models.PositiveIntegerField(default=0)
    # The word as it is most often printed (азаптау for азапт), to show in suggestions.
    surface = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            GinIndex(
                OpClass("fuzzy", name="gin_trgm_ops"),
                name="term_fuzzy_trgm_kk",
                condition=Q(language="kk", folded=False),
            ),
            GinIndex(
                OpClass("fuzzy", name="gin_trgm_ops"),
                name="term_fuzzy_trgm_en",
                condition=Q(language="en"),
            ),
            GinIndex(
                OpClass("fuzzy", name="gin_trgm_ops"),
                name="term_fuzzy_trgm_ru",
                condition=Q(language="ru"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lexeme} ({self.df})"


class TermForm(models.Model):
    """How often a lexeme is printed in one form (азапт as азаптау, Азаптау, азаптауға...).

    `fuzzy` is the form in lower case, keyboard-folded for Kazakh (what a typed word is
    compared with to choose the replacement closest to it).
    """

    lexeme = models.CharField(max_length=128)
    form = models.CharField(max_length=200)
    language = models.CharField(max_length=2)
    folded = models.BooleanField(default=False)
    fuzzy = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lexeme", "form"], name="term_form_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lexeme}: {self.form} ×{self.count}"


class TermVariant(models.Model):
    """A Term's `fuzzy` key with one letter deleted (or none), for typos one edit away.

    The symmetric-delete method (as SymSpell's): two keys are at most one edit apart
    (insertion, deletion, substitution or a swap of neighbours) only if a one-letter
    deletion of each gives a common string, so one B-tree lookup of the typed key's
    deletions finds every such neighbour, however short the key (trigrams cannot: сот and
    сат share none). Only Terms that "did you mean" offers have variants (not "~" twins).
    """

    language = models.CharField(max_length=2)
    variant = models.CharField(max_length=128)
    lexeme = models.CharField(max_length=128)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "variant", "lexeme"], name="term_variant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.lexeme}"


class TermYear(models.Model):
    """The published paragraphs of one year that hold a lexeme: all of them (`topic` 0) or
    those of one topic (a Topic's id). A one-word search's total and facets come from these
    rows without reading its matches (search.counting); the lexeme's mark is the language.
    Impact tiers ("азапт#3", topic 0 only) give the ranking the size of each tier.
    """

    pk = models.CompositePrimaryKey("lexeme", "year", "topic")
    lexeme = models.CharField(max_length=128)
    year = models.SmallIntegerField()
    topic = models.IntegerField()
    paragraphs = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.lexeme} {self.year} topic {self.topic}: {self.paragraphs}"


class StaleReport(models.Model):
    """A report whose paragraphs changed since its term statistics were counted: set by
    triggers on the paragraph table (migration 0004), whatever wrote the rows, and cleared by
    `search.vocabulary.refresh_report_terms`. While any is listed, TermYear may be out of
    date, so counts are read from the paragraphs themselves."""

    report_id = models.BigIntegerField(primary_key=True)
    # Set from a sequence by every marking, so a refresh takes off only the mark it saw
    # before counting: one made by a write while it counted stays.
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"report {self.report_id}"


class ReportVocabulary(models.Model):
    """What one report adds to the archive's term statistics right now.

    Empty `terms` (and zero `paragraphs`) while the report is unpublished. `terms` maps each
    lexeme to ``[df, text_df, {form: count}]``, `topic_df` to ``{topic id: df}`` (an impact
    tier's lexeme to ``{"0": df}``) and `year` is the year they were added to in TermYear.
    `report_updated` and `analyzer_version` are the report's at the time of counting, so
    `search.vocabulary.sync_terms` can find the reports that changed since.
    """

    report_id = models.BigIntegerField(primary_key=True)
    language = models.CharField(max_length=2)
    published = models.BooleanField(default=False)
    paragraphs = models.PositiveIntegerField(default=0)
    analyzer_version = models.CharField(max_length=40, blank=True)
    report_updated = models.DateTimeField(null=True)
    terms = models.JSONField(default=dict)
    year = models.SmallIntegerField(null=True)
    topic_df = models.JSONField(default=dict)
    refreshed = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"report {self.report_id}: {self.paragraphs} paragraphs"


class RateLimitCounter(models.Model):
    """One client's request count in one rate-limit window (search.ratelimit): a row per
    client and window, counted atomically in PostgreSQL so that every gunicorn worker sees the
    same count. Expired rows are replaced in place and swept now and then."""

    key = models.CharField(max_length=255, primary_key=True)
    count = models.BigIntegerField()
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


# The salts of the alerts' signed links (a token of one kind is no token of the other).
CONFIRM_SALT = "search.alerts.confirm"
UNSUBSCRIBE_SALT = "search.alerts.unsubscribe"


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed__isnull=False)

    def unconfirmed_since(self, moment):
        """Sign-ups never confirmed and made before `moment` (their link has expired)."""
        return self.filter(confirmed__isnull=True, created__lt=moment)

    def by_confirm_token(self, token: str):
        """The alert a confirmation token names (None: it is gone); raises
        signing.SignatureExpired after ALERT_CONFIRM_DAYS and signing.BadSignature if forged."""
        max_age = timedelta(days=settings.ALERT_CONFIRM_DAYS)
        return self.filter(pk=signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)).first()

    def by_unsubscribe_token(self, token: str) -> tuple:
        """The id an unsubscribe token names and its alert (None: already gone); raises
        signing.BadSignature if the token was not made here."""
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return pk, self.filter(pk=pk).first()


class Alert(models.Model):
    """An email alert without an account: an address and a search, mailed the new matching
    paragraphs of each report published once the address has confirmed (search.alerts).

    `search` is the search as a canonical query string (``q=азаптау&topic=torture``, the
    parameters of search.forms.SearchForm in a fixed order, see search.followed): one alert per
    address and search. `language` is the interface language at sign-up, for its mails;
    `site_url` the site's address as the subscriber used it, for links when SITE_URL is unset.
    """

    email = models.EmailField()
    search = models.TextField()
    language = models.CharField(max_length=7)
    site_url = models.URLField(max_length=500)
    created = models.DateTimeField(auto_now_add=True)
    confirmed = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            # A digest of the search: a long query would not fit in a B-tree entry.
            models.UniqueConstraint(
                Lower("email"), MD5("search"), name="one_alert_per_address_and_search"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.search}"

    def confirm_token(self) -> str:
        """The token of the confirmation link (valid ALERT_CONFIRM_DAYS days)."""
        return signing.dumps(self.pk, salt=CONFIRM_SALT)

    def unsubscribe_token(self) -> str:
        """The token of the unsubscribe link (valid while the alert exists)."""
        return signing.dumps(self.pk, salt=UNSUBSCRIBE_SALT)


class ReportAnnouncement(models.Model):
    """The paragraph numbers of a published report that alerts were already told about, so
    that a re-upload or a second publication mails only paragraphs new to the archive (a
    number is announced once; an unchanged paragraph keeps its number across re-uploads).
    Deleted with its report: an upload after a deletion is a new publication."""

    report = models.OneToOneField(
        "sections.Report", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    numbers = ArrayField(models.PositiveIntegerField(), default=list)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.report_id}: {len(self.numbers)} paragraphs"
