"""The filters of a search, as ORM conditions on paragraphs and as SQL for search.counting.

Year, country, language, the published flag and the section's topics are columns of the
paragraph row (copies of its report's and section's), so they need no join; the section code
goes through the section.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import ExpressionWrapper, F, SmallIntegerField, Value
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from sections.models import Report, Section, Topic

SECTION_TABLE = Section._meta.db_table
TOPIC_TABLE = Topic._meta.db_table
# Year ranges up to this long are looked up in the GIN index, one entry per year.
INDEXED_YEARS = 3


def exact_pattern(form: str) -> str:
    """The regular expression of an "=form" word: the form as a whole word, any case."""
    return rf"\y{re.escape(form)}\y"


@dataclass(frozen=True)
class SearchFilters:
    """Filters of a search; None or "" means "any"."""

    year_from: int | None = None
    year_to: int | None = None
    topic: str = ""
    section: str = ""
    language: str = ""
    country: str = ""

    @property
    def active(self) -> bool:
        return any(
            (self.year_from, self.year_to, self.topic, self.section, self.language, self.country)
        )

    def reports(self) -> models.QuerySet:
        """The published reports whose paragraphs the filters may match: those of the country,
        language and years asked for (topic and section are conditions on paragraphs)."""
        reports = Report.objects.published()
        if self.country:
            reports = reports.filter(country=self.country.upper())
        if self.language:
            reports = reports.filter(language=self.language)
        if self.year_from is not None:
            reports = reports.filter(year__gte=self.year_from)
        if self.year_to is not None:
            reports = reports.filter(year__lte=self.year_to)
        return reports

    def q(self) -> models.Q:
        """Published paragraphs passing every filter (for Paragraph querysets)."""
        q = models.Q(published=True)
        if self.language:
            q &= models.Q(language=self.language)
        if self.country:
            q &= models.Q(country=self.country.upper())
            # A country's reports in the years asked for hold a few thousand paragraphs at
            # most: through them, the planner can read only those rows (a common word's
            # matches in a country across all years are several times as many).
            q &= models.Q(report__in=self.reports().values("id"))
        years = self.indexed_years
        if years:
            q &= models.Q(year__in=[_smallint(year) for year in years])
        else:
            # Not through the index (see indexed_years): the column plus 0 is not indexed.
            year = ExpressionWrapper(F("year") + 0, output_field=SmallIntegerField())
            if self.year_from is not None:
                q &= models.Q(GreaterThanOrEqual(year, self.year_from))
            if self.year_to is not None:
                q &= models.Q(LessThanOrEqual(year, self.year_to))
        if self.section:
            q &= models.Q(section__code=self.section)
        if self.topic:
            topic = Topic.objects.filter(slug=self.topic).values("id")
            q &= models.Q(topics__contains=ArraySubquery(topic))
        return q

    # SQL conditions on a paragraph row `p`, with %(name)s parameters (see sql_params).

    def base_sql(self) -> str:
        """The conditions every facet applies: all filters but years, topic and language."""
        sql = "p.published"
        if self.country:
            sql += " AND p.country = %(country)s"
        if self.section:
            sql += f" AND p.section_id IN (SELECT id FROM {SECTION_TABLE} WHERE code = %(section)s)"
        return sql

    @property
    def indexed_years(self) -> list[int]:
        """The years of a short range, which the GIN index answers as equalities.

        btree_gin answers ``year >= a`` by collecting every entry from a to the last year,
        costlier than the search itself (12 ms against 0.3 ms at 100,000 paragraphs); a
        longer range is checked on the rows the words and the other filters leave.
        """
        if self.year_from is None or self.year_to is None:
            return []
        span = range(self.year_from, self.year_to + 1)
        return list(span) if len(span) <= INDEXED_YEARS else []

    def year_sql(self, alias: str = "p") -> str:
        years = self.indexed_years
        if alias == "p" and years:
            return f" AND {alias}.year IN ({', '.join(f'{y:d}::smallint' for y in years)})"
        column = f"({alias}.year + 0)" if alias == "p" else f"{alias}.year"
        sql = ""
        if self.year_from is not None:
            sql += f" AND {column} >= %(year_from)s"
        if self.year_to is not None:
            sql += f" AND {column} <= %(year_to)s"
        return sql

    def topic_sql(self, alias: str = "p") -> str:
        if not self.topic:
            return ""
        return f" AND (SELECT id FROM {TOPIC_TABLE} WHERE slug = %(topic)s) = ANY({alias}.topics)"

    def language_sql(self, alias: str = "p") -> str:
        return f" AND {alias}.language = %(language)s" if self.language else ""

    def all_sql(self) -> str:
        """Every filter."""
        return self.base_sql() + self.year_sql() + self.topic_sql() + self.language_sql()

    def sql_params(self) -> dict:
        return {
            "country": self.country.upper(),
            "section": self.section,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "topic": self.topic,
            "language": self.language,
        }


def _smallint(value: int) -> Cast:
    """A year as smallint, the column's type: the GIN index (btree_gin) answers a comparison
    with an integer of another type only after a cast, so without it the planner filters
    the matches row by row instead (20 times slower for a common word in one year)."""
    return Cast(Value(value), SmallIntegerField())
