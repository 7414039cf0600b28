"""Country names in the interface language, from the CLDR data that Babel ships."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError


@lru_cache(maxsize=1024)
def country_name(code: str, language: str) -> str:
    """The CLDR name of an ISO country code in a language ("KZ", "kk" -> "Қазақстан").

    A language tag with a region ("en-us") uses its language; an unknown code or language
    gives the code back, so a page always shows something.
    """
    try:
        locale = Locale.parse(language.replace("-", "_").split("_")[0])
    except (UnknownLocaleError, ValueError):
        return code
    return locale.territories.get(code.upper(), code)
