"""`{% load countries %}`: `{{ report.country|country_name }}` in the active language."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from sections.countries import country_name as cldr_country_name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """The country's name in the interface language (the code itself when CLDR has none)."""
    return cldr_country_name(code, get_language() or settings.LANGUAGE_CODE)
