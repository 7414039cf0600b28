"""The search parameters, shared by the results page and the JSON API."""

from django import forms
from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from search.filters import SearchFilters
from search.query import clean_query_text
from sections.models import FIRST_YEAR, Language, Topic

LAST_YEAR = 2100
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _year_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": _("Enter a year such as 2022."),
            "min_value": _("Enter a year from %(limit_value)s on."),
            "max_value": _("Enter a year up to %(limit_value)s."),
        },
    )


class QueryField(forms.CharField):
    """The query text, cleaned before validation: a NUL or other control character typed or
    pasted into the box is dropped rather than making the whole search invalid."""

    def to_python(self, value) -> str:
        return clean_query_text(super().to_python(value))


class SearchForm(forms.Form):
    """Validates q and the filters; a missing value means "any", a malformed one is an error.

    `year` is a shortcut for year_from = year_to = year. The query text itself is never
    invalid: whatever was typed is cleaned (control characters removed, length bounded)
    and the query parser reads it leniently.
    """

    q = QueryField(label=_("Search"), required=False)
    year = _year_field(_("Year"))
    year_from = _year_field(_("From year"))
    year_to = _year_field(_("To year"))
    topic = forms.SlugField(
        label=_("Topic"), required=False, error_messages={"invalid": _("Unknown topic.")}
    )
    section = forms.CharField(
        label=_("Section"),
        required=False,
        max_length=40,
        validators=[RegexValidator(r"^[0-9a-z][0-9a-z-]*$", _("Enter a section code such as 1c."))],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *Language.choices],
        error_messages={"invalid_choice": _("Choose one of the languages kk, en, ru.")},
    )
    country = forms.CharField(
        label=_("Country"),
        required=False,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code."))],
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("The page must be a whole number."),
            "min_value": _("Pages start at 1."),
        },
    )
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        error_messages={
            "invalid": _("The limit must be a whole number."),
            "min_value": _("The limit must be at least %(limit_value)s."),
            "max_value": _("The limit must be at most %(limit_value)s."),
        },
    )

    def clean_topic(self) -> str:
        topic = self.cleaned_data.get("topic") or ""
        if topic and not Topic.objects.filter(slug=topic).exists():
            raise forms.ValidationError(_("Unknown topic."), code="unknown_topic")
        return topic

    def clean_section(self) -> str:
        return (self.cleaned_data.get("section") or "").lower()

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").upper()

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year is not None:
            data["year_from"] = data["year_to"] = year
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise forms.ValidationError(
                _("The first year must not be after the last year."), code="year_order"
            )
        return data

    @property
    def filters(self) -> SearchFilters:
        """The validated filters (call after is_valid())."""
        data = self.cleaned_data
        return SearchFilters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            topic=data.get("topic") or "",
            section=data.get("section") or "",
            language=data.get("language") or "",
            country=data.get("country") or "",
        )

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1

    @property
    def per_page(self) -> int:
        return self.cleaned_data.get("limit") or DEFAULT_LIMIT

    def english_error(self) -> str | None:
        """None for valid parameters, else `error_message()` in English: what the APIs answer,
        whatever the client's Accept-Language."""
        with translation.override("en"):
            return None if self.is_valid() else self.error_message()

    def error_message(self) -> str:
        """All errors in one line, each prefixed with its parameter name (for the API)."""
        parts = []
        for name, errors in self.errors.items():
            prefix = "" if name == "__all__" else f"{name}: "
            parts.extend(f"{prefix}{error}" for error in errors)
        return " ".join(parts)
