"""Which of the archive's languages a text is written in, from its letters alone.

Used to warn an admin who picked the wrong language for an upload, and to read the letters of
subsection headings (Russian "в." is the third letter, a Kazakh "в." a look-alike of "b.").
"""

# Letters only Kazakh uses among the Cyrillic alphabets of the archive's languages.
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
# In Kazakh prose these letters are about a tenth of the Cyrillic letters; in Russian, none.
MIN_KAZAKH_SHARE = 0.02
# Enough text to decide; reading a whole 20 MB report would only take longer.
SAMPLE_CHARS = 200_000
MIN_LETTERS = 40


def detect_language(text: str) -> str | None:
    """ "kk", "ru" or "en" by the letters of the text; None when there are too few letters."""
    sample = text[:SAMPLE_CHARS].lower()
    latin = cyrillic = kazakh = 0
    for ch in sample:
        if "a" <= ch <= "z":
            latin += 1
        elif "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
            if ch in KAZAKH_LETTERS:
                kazakh += 1
    if latin + cyrillic < MIN_LETTERS:
        return None
    if latin > cyrillic:
        return "en"
    return "kk" if kazakh >= MIN_KAZAKH_SHARE * cyrillic else "ru"
