"""A small kk/en/ru glossary from the archive's own outline: the Kazakh term to search for an
English or Russian word (torture, пытки → азаптау).

The glossary is `sections.taxonomy`: each topic's name (TOPICS) and each subject's title
(SUBJECTS) in Kazakh, English and Russian. No word list is kept by hand. An English or
Russian word or phrase is stemmed by `search.snowball` (so tortured, torture and torturing
are one word, and so are пытки and пытками where Snowball agrees) with its stopwords left
out, and mapped in this order, the first step that finds something deciding:

1. a topic name that is exactly those words: its Kazakh name (torture → азаптау, refugees →
   босқындар, corruption → сыбайлас жемқорлық, "forced labour" → мәжбүрлі еңбек). Topic
   names are short, so these are the best terms;
2. a subject title that is exactly those words: its Kazakh title;
3. a word inside several names and titles: the Kazakh word that the Kazakh sides of most
   of them share (conditions → жағдай: Prison conditions / Түрмелердегі жағдай, Working
   conditions / Еңбек жағдайлары, Prison and Detention Center Conditions / ... жағдайы;
   labour → еңбек), in its shortest printed form. It must be shared by at least two entries
   and by more than half of them. When two or three Kazakh words are shared equally, they
   are the term together, as printed (trafficking → адам саудасы, disabilities → мүмкіндігі
   шектеулі): searching them finds the sections with that title; more gives nothing
   (prisoners: саяси, тұтқындар, түрме, жағдай and қамау tie).

A word the titles do not name (journalists: the outline says "Members of the Press") gives
no term: nothing is guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from search import kazakh, snowball

# The glossary reads English and Russian; Kazakh is what it returns.
LANGUAGES = tuple(snowball.ALGORITHMS)

_KAZAKH_LETTERS = re.compile("[әөұүіқғңһӘӨҰҮІҚҒҢҺ]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")


@dataclass(frozen=True)
class Entry:
    """One name of the outline in the three languages, with its content stems."""

    kk: str
    stems: dict  # language -> frozenset of stems
    topic: bool

    @property
    def term(self) -> str:
        return kazakh_term(self.kk)


def stems(text: str, language: str) -> frozenset[str]:
    """The Snowball stems of the words of `text` that are not stopwords."""
    return frozenset(token.key for token in snowball.analyze(text, language) if token.key)


def kazakh_term(text: str) -> str:
    """A Kazakh name as a query: lower case, except words in capitals (ЛГБТКИ+)."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in text.split())


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """Topic names first (the short ones), then subject titles."""
    from sections import taxonomy

    found = []
    for names in taxonomy.TOPICS.values():
        found.append(
            Entry(names["kk"], {lang: stems(names[lang], lang) for lang in LANGUAGES}, True)
        )
    for subject in taxonomy.SUBJECTS.values():
        found.append(
            Entry(
                subject.kk.title,
                {lang: stems(subject.wording(lang).title, lang) for lang in LANGUAGES},
                False,
            )
        )
    return tuple(found)


def kazakh_terms(word: str, language: str) -> list[str]:
    """The Kazakh term(s) to search instead of an English or Russian word or phrase, from
    the archive's topic names and section titles (see the module docstring); [] when the
    titles do not support one."""
    if language not in LANGUAGES or not word:
        return []
    wanted = stems(word, language)
    if not wanted:
        return []
    for topic in (True, False):
        exact = [e.term for e in entries() if e.topic is topic and e.stems[language] == wanted]
        if exact:
            return list(dict.fromkeys(exact))
    return _shared_word(wanted, language)


# A word inside names whose Kazakh sides share several words equally (Trafficking in persons
# / Адам саудасы) maps to those words together, up to this many.
MAX_TIED_WORDS = 3


def _shared_word(wanted: frozenset[str], language: str) -> list[str]:
    containing = [e for e in entries() if wanted <= e.stems[language]]
    if len(containing) < 2:
        return []
    support: Counter[str] = Counter()
    printed: dict[str, set[str]] = {}
    for entry in containing:
        for token in kazakh.analyze(entry.kk):
            if token.key:
                printed.setdefault(token.key, set()).add(token.text)
        for key in _kazakh_keys(entry.kk):
            support[key] += 1
    count = max(support.values())
    if count < 2 or count * 2 <= len(containing):
        return []
    tied = {key for key, n in support.items() if n == count}
    if len(tied) == 1:
        # The shortest printed form: еңбек, not еңбекке.
        (key,) = tied
        return [kazakh_term(min(printed[key], key=lambda w: (len(w), w)))]
    if len(tied) > MAX_TIED_WORDS:
        return []
    # Words that always come together: as printed in the first (shortest-named) entry.
    for entry in containing:
        words = [t.text for t in kazakh.analyze(entry.kk) if t.key in tied]
        if {kazakh.key(w) for w in words} == tied:
            return [kazakh_term(" ".join(dict.fromkeys(words)))]
    return []


def language_of(word: str) -> str | None:
    """ "kk", "en" or "ru" for a word whose letters or glossary entry say so, else None.

    Kazakh letters (әөұүіқғңһ): Kazakh; Latin letters only: English; other Cyrillic: Russian
    or Kazakh when the glossary's Russian or Kazakh side has it (пытки, азаптау), else None:
    Russian and Kazakh share that alphabet.
    """
    if not word or not word.strip():
        return None
    if _KAZAKH_LETTERS.search(word):
        return "kk"
    if not _CYRILLIC.search(word):
        return "en" if _LATIN.search(word) else None
    russian = stems(word, "ru")
    key = kazakh.key(word)
    in_russian = bool(russian) and any(russian <= e.stems["ru"] for e in entries())
    in_kazakh = bool(key) and any(key in _kazakh_keys(e.kk) for e in entries())
    if in_russian and not in_kazakh:
        return "ru"
    if in_kazakh and not in_russian:
        return "kk"
    return None


@lru_cache(maxsize=512)
def _kazakh_keys(text: str) -> frozenset[str]:
    return frozenset(token.key for token in kazakh.analyze(text) if token.key)
