"""Kazakh text analyzer for full-text search.

Plain Python (no Django), used for documents and queries alike, so both sides
produce the same keys. Pipeline for one word:

1. Unicode NFC.
2. Latin look-alike letters inside an otherwise Cyrillic word are replaced by
   the Cyrillic letters they imitate ("Cондай" with a Latin C).
3. Kazakh Latin script (the 2021 alphabet: ä ö ü ū ğ ş ñ q ı i; the 2018 one:
   á ó ú ý ǵ ń and the digraphs sh, ch) is transliterated to Cyrillic.
4. Lower-casing.
5. Stopwords get the empty key but keep their word position.
6. Suffix stripping to a stem (:func:`stem`): the indexed and queried key is
   the *unfolded* lower-case stem, ``stem(word)`` ("қамауда" → "қамау").

The stemmer takes its decisions on the *folded* spelling of the word
(:func:`fold`: ә→а, қ→к, ң→н, ...) and then cuts the original spelling at the
same place, so a word typed without Kazakh letters ("kamauda", "камауда") is
cut where the properly spelled word ("қамауда") is: ``fold(key(w)) ==
fold(key(fold(w)))``. The key itself keeps the Kazakh letters, which keeps
words apart that only differ in them (сот/сөт, қал/кал). A query for which
:func:`typed_without_kazakh_letters` is true may have lost those letters; the
search layer then also compares ``fold(key)`` with the folded document keys.
Bump :data:`ANALYZER_VERSION` whenever a change alters any key: the search
index has to be rebuilt then.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from search.kazakh_stopwords import STOPWORDS

ANALYZER_VERSION = "3"

__all__ = [
    "ANALYZER_VERSION",
    "Token",
    "analyze",
    "fold",
    "key",
    "latin_readings",
    "normalize",
    "reading_keys",
    "stem",
    "typed_without_kazakh_letters",
]


class Token(NamedTuple):
    """One word of the input.

    ``text`` is the surface slice ``original[start:end]``; ``position`` counts
    every word, stopwords included, so phrase queries can check adjacency;
    ``key`` is the unfolded lower-case stem (abbreviations: the whole
    lower-case word; numbers: their digits), ``""`` for a stopword.
    """

    text: str
    start: int
    end: int
    position: int
    key: str


# --------------------------------------------------------------------------
# Character level: folding, look-alikes, Latin transliteration
# --------------------------------------------------------------------------

_FOLD = str.maketrans("әөұүіқғңһ", "аоууикгнх")


def fold(text: str) -> str:
    """Keyboard-fold Kazakh letters to their nearest Russian-keyboard letter.

    ә→а, ө→о, ұ/ү→у, і→и, қ→к, ғ→г, ң→н, һ→х. Expects lower-case input; the
    length never changes, which the stemmer relies on.
    """
    return text.translate(_FOLD)


_KAZAKH_LETTERS = frozenset("әөұүіқғңһӘӨҰҮІҚҒҢҺ")


def typed_without_kazakh_letters(text: str) -> bool:
    """True when ``text`` may have been typed on a keyboard without Kazakh letters.

    That is the case when it contains Latin letters (transliterated input) or
    no Cyrillic Kazakh-specific letter (әөұүіқғңһ, either case) at all:
    "kamauda", "камауда". The search layer then matches ``fold(key)`` too.
    "қамауда" has a Kazakh letter, so its unfolded key is trusted.
    """
    if any(_is_latin(ch) for ch in text):
        return True
    return not any(ch in _KAZAKH_LETTERS for ch in text)


# Latin letters that look like Cyrillic ones; only applied inside words that
# already contain Cyrillic, where they are typing or OCR slips. Upper and
# lower case differ on purpose: Latin "H" imitates "Н", Latin "h" imitates "һ".
_LOOKALIKE = str.maketrans(
    {
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К",
        "M": "М", "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У",
        "a": "а", "b": "ь", "c": "с", "e": "е", "h": "һ", "i": "і", "k": "к",
        "m": "м", "o": "о", "p": "р", "t": "т", "x": "х", "y": "у",
        "Ə": "Ә", "ə": "ә", "Ɵ": "Ө", "ɵ": "ө",
        # Letters of other Cyrillic alphabets used for the Kazakh ones.
        "Ӊ": "Ң", "ӊ": "ң", "Ӈ": "Ң", "ӈ": "ң", "Ӄ": "Қ", "ӄ": "қ",
        "Ҟ": "Қ", "ҟ": "қ", "Ѳ": "Ө", "ѳ": "ө",
    }
)  # fmt: skip

# Kazakh Latin → Cyrillic, lower case. Where the 2018 and 2021 alphabets
# disagree the choice keeps both readings matching after folding:
# "u" is ұ (2018) or у (2021) and both fold to у; "i" is і in both and folds
# to и, so it also matches a Russian-style и. The one real conflict is "y"
# (ы in 2018, й in 2021); it is resolved by position in _latin_to_cyrillic.
_LATIN_DIGRAPHS = {"sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ya": "я", "yu": "ю"}
_LATIN = {
    "a": "а", "ä": "ә", "á": "ә", "b": "б", "c": "ц", "ç": "ч", "d": "д",
    "e": "е", "é": "е", "f": "ф", "g": "г", "ğ": "ғ", "ǵ": "ғ", "h": "х",
    "ı": "ы", "i": "і", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н",
    "ñ": "ң", "ń": "ң", "o": "о", "ö": "ө", "ó": "ө", "p": "п", "q": "қ",
    "r": "р", "s": "с", "ş": "ш", "ș": "ш", "t": "т", "u": "у", "ū": "ұ",
    "ü": "ү", "ú": "ү", "v": "в", "w": "у", "x": "х", "ý": "у", "z": "з",
}  # fmt: skip
_LATIN_VOWELS = set("aäáeéıioöóuūüúýy")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_latin(ch: str) -> bool:
    return (ch.isascii() and ch.isalpha()) or "\u00c0" <= ch <= "\u024f"


def _latin_to_cyrillic(word: str) -> str:
    """Transliterate the Latin letters of a lower-case word, keep the rest."""
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        pair = word[i : i + 2]
        if pair in _LATIN_DIGRAPHS:
            out.append(_LATIN_DIGRAPHS[pair])
            i += 2
            continue
        ch = word[i]
        if ch == "y":
            # 2021 "y" is й, which follows a vowel (ay, üy, oy); 2018 "y" is ы,
            # which follows a consonant or starts a word (ықпал).
            out.append("й" if i and word[i - 1] in _LATIN_VOWELS else "ы")
        else:
            out.append(_LATIN.get(ch, ch))
        i += 1
    return "".join(out)


# Latin spellings that the 2018 and 2021 alphabets (and informal typing) read differently.
# A query in Latin script is searched under every reading, so none of them is lost.
_LATIN_READINGS = {
    "ia": ("я", "иа"),
    "iu": ("ю", "иу"),
    "y": ("ы", "й"),
    "ı": ("ы", "і"),
    "i": ("і", "й"),
}
MAX_LATIN_READINGS = 16


def latin_readings(word: str) -> list[str]:
    """Cyrillic readings of a lower-case Latin-script word, the usual one first.

    "saiasi" is саяси in the 2021 alphabet (ia = я) but reads саиасі letter by letter;
    "y" is ы or й, "ı" is ы or і. At most MAX_LATIN_READINGS readings; past that, the
    remaining ambiguous letters take their usual reading.
    """
    readings = [""]
    i, n = 0, len(word)
    while i < n:
        pair = word[i : i + 2]
        if pair in _LATIN_READINGS:
            options, step = _LATIN_READINGS[pair], 2
        elif pair in _LATIN_DIGRAPHS:
            options, step = (_LATIN_DIGRAPHS[pair],), 2
        elif word[i] in _LATIN_READINGS:
            options, step = _LATIN_READINGS[word[i]], 1
        else:
            options, step = (_LATIN.get(word[i], word[i]),), 1
        if len(readings) * len(options) > MAX_LATIN_READINGS:
            options = options[:1]
        readings = [reading + option for reading in readings for option in options]
        i += step
    usual = _latin_to_cyrillic(word)
    # й only follows a vowel in Kazakh; other readings with it are noise.
    plausible = (
        r for r in readings if all(r[j - 1] in _VOWELS for j in range(1, len(r)) if r[j] == "й")
    )
    return [usual, *(r for r in dict.fromkeys(plausible) if r != usual and not r.startswith("й"))]


def reading_keys(word: str) -> list[str]:
    """The keys of a query word under each of its readings: one key for a Cyrillic word,
    one per Latin reading (see latin_readings) for a word in Latin script."""
    word = unicodedata.normalize("NFC", word).lower()
    first = key(word)
    if any(_is_cyrillic(ch) for ch in word) or not any(_is_latin(ch) for ch in word):
        return [first]
    others = (key(reading) for reading in latin_readings(word))
    return list(dict.fromkeys(k for k in (first, *others) if k))


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _normalize_word(word: str) -> str:
    """NFC, look-alike repair, Latin→Cyrillic and lower-casing of one word."""
    word = unicodedata.normalize("NFC", word)
    if any(_is_cyrillic(ch) for ch in word):
        word = word.translate(_LOOKALIKE)
    # Lower-case before transliterating so the Latin tables stay small; "İ"
    # lower-cases to "i" + combining dot, which the mark stripping removes.
    word = unicodedata.normalize("NFC", word.lower())
    if any(_is_latin(ch) for ch in word):
        word = _latin_to_cyrillic(word)
    # Soft hyphens, zero-width joiners and leftover combining marks are
    # invisible in the text and must not split or change a key.
    word = _strip_marks(word)
    return "".join(ch for ch in word if ch not in _INVISIBLE)


_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def normalize(text: str) -> str:
    """Return ``text`` in NFC, look-alikes repaired, Latin→Cyrillic, lower case.

    Words are normalised one by one (the look-alike repair and the
    transliteration depend on the whole word); everything else is only
    lower-cased. The result may differ in length from the input, which is why
    :func:`analyze` reports offsets against the original string.
    """
    parts: list[str] = []
    for start, end, is_word in _runs(text):
        chunk = text[start:end]
        parts.append(_normalize_word(chunk) if is_word else chunk.lower())
    return unicodedata.normalize("NFC", "".join(parts))


# --------------------------------------------------------------------------
# Morphology
# --------------------------------------------------------------------------
#
# Everything below works on folded spellings, where the vowels are
# а е ы и о у (+ Russian э ю я ё) and ң, қ, ғ have merged with н, к, г.
# Suffix allomorphs depend on the preceding sound; these classes survive
# folding (қ/к are both voiceless, ғ/г both voiced, ң/н both nasal).

_VOWELS = frozenset("аеиоуыэюяё")
_V, _S, _L, _N, _Z, _T = "V", "S", "L", "N", "Z", "T"
_CLASSES = (_V, _S, _L, _N, _Z, _T)


def _sound_class(ch: str) -> str:
    if ch in "рйу":  # у after a vowel is the glide [w]: тау-лар, тау-дың
        return _S
    if ch in _VOWELS:
        return _V
    if ch == "л":
        return _L
    if ch in "мн":
        return _N
    if ch in "зж":
        return _Z
    return _T


def _table(v: str, s: str, l: str, n: str, z: str, t: str) -> dict[str, str]:  # noqa: E741
    return dict(zip(_CLASSES, (v, s, l, n, z, t), strict=True))


# First consonant of a suffix, by the class of the sound before it.
_PL = _table("л", "л", "д", "д", "д", "т")  # -лар/-дар/-тар, also -лық, -лы
_GEN = _table("н", "д", "д", "н", "д", "т")  # -ның/-дың/-тың
_ACC = _table("н", "д", "д", "д", "д", "т")  # -ны/-ды/-ты
_DAT = _table("г", "г", "г", "г", "г", "к")  # -ға/-қа (-ге/-ке)
_LOC = _table("д", "д", "д", "д", "д", "т")  # -да/-та, past -ды/-ты
_ABL = _table("д", "д", "д", "н", "д", "т")  # -дан/-нан/-тан
_INS = _table("м", "м", "м", "м", "б", "т")  # -мен/-бен/-пен (т → п below)
_NEG = _table("м", "м", "м", "б", "б", "п")  # -ма/-ба/-па, copula -мын/-бын/-пын
_INS["T"] = "п"

_BACK, _FRONT = "b", "f"


class _M:
    """One morpheme: back and front template, first-consonant table, context.

    A template starting with "*" gets its first consonant from ``table``;
    ``after`` restricts the preceding sound to a vowel ("V") or a consonant
    ("C"), which selects between e.g. possessive -ы (after a consonant) and
    -сы (after a vowel).
    """

    __slots__ = ("after", "back", "front", "table")

    def __init__(self, back: str, front: str, table=None, after: str | None = None):
        self.back, self.front, self.table, self.after = back, front, table, after

    def forms(self, harmony: str, cls: str) -> str | None:
        if (self.after == "V" and cls != _V) or (self.after == "C" and cls == _V):
            return None
        form = self.back if harmony == _BACK else self.front
        if form.startswith("*"):
            form = self.table[cls] + form[1:]
        return form


def _alts(*morphemes: _M) -> list[_M]:
    return list(morphemes)


# Nominal slots -------------------------------------------------------------
_PLURAL = _alts(_M("*ар", "*ер", _PL))
_CASE = _alts(
    _M("*ын", "*ин", _GEN),
    _M("*ы", "*и", _ACC),
    _M("*а", "*е", _DAT),
    _M("*а", "*е", _LOC),
    _M("*ан", "*ен", _ABL),
    _M("*ен", "*ен", _INS),
    _M("*енен", "*енен", _INS),  # -менен/-бенен/-пенен, the longer -мен
    _M("*агы", "*еги", _LOC),  # locative-attributive -дағы
    _M("*ай", "*ей", _LOC),  # similative -дай
)
# After a 3rd-person possessive the "pronominal" n-forms are used.
_CASE_AFTER_POSS3 = _alts(
    _M("нын", "нин"),
    _M("н", "н"),
    _M("на", "не"),
    _M("нда", "нде"),
    _M("нан", "нен"),
    _M("мен", "мен"),
    _M("менен", "менен"),
    _M("ндагы", "ндеги"),
    _M("ндай", "ндей"),
)
_POSS3 = _alts(_M("ы", "и", after="C"), _M("сы", "си", after="V"))
# 1st/2nd person possessives. After a vowel-final stem their bare forms (-м,
# -ң) are homographs of ordinary stem-final м/н (адам-ды is not ада-м-ды),
# and 1st singular -ым/-ім is a homograph of the very common noun suffix
# -ым (ұйым, шешім, білім); only the longer forms are recognised. The 2nd
# singular -ың/-ің is left out too: folded it is -ын, the end of many nouns
# and verbs (ақын, кейін, ұсын-), and it is rare in written text.
_POSS12 = _alts(
    _M("ыныз", "иниз", after="C"),
    _M("ныз", "низ", after="V"),
    _M("ымыз", "имиз", after="C"),
    _M("мыз", "миз", after="V"),
)
_CASE_AFTER_POSS12 = [*_CASE, _M("а", "е")]  # dative -а after -ым/-ың
_COPULA = _alts(_M("*ын", "*ин", _NEG), _M("*ыз", "*из", _NEG))

# Derivational -лық/-лік: conflated with the base word (see stem()).
_DERIV = _alts(_M("*ык", "*ик", _PL))

# Verbal slots ----------------------------------------------------------------
_PERSON_PAST = _alts(
    _M("м", "м"), _M("н", "н"), _M("ныз", "низ"), _M("к", "к"), _M("ндар", "ндер"),
    _M("ныздар", "низдер"),
)  # fmt: skip
# 2nd singular -сың is left out: folded it reads -сын, and а-сын would then
# take бала-сын (his child, accusative) for a verb.
_PERSON_PRES = _alts(
    _M("ды", "ди"), _M("мын", "мин"), _M("сыз", "сиз"), _M("мыз", "миз"),
    _M("сыздар", "сиздер"),
)  # fmt: skip
_PRES_STEM = _alts(_M("а", "е", after="C"), _M("й", "й", after="V"))
_PART_PAST = _M("*ан", "*ен", _DAT)  # -ған/-қан/-ген/-кен
_PART_PRES = _alts(_M("атын", "етин", after="C"), _M("йтын", "йтин", after="V"))
_VERBAL_NOUN = _alts(_M("у", "у"), _M("ушы", "уши"))


def _chains() -> list[tuple[list[list[_M]], bool]]:
    """Morphotactic templates: a list of slots (``[]`` = optional) + is-verbal."""
    opt = [None]
    noun_tail = [
        [opt + _PLURAL, opt + _CASE],
        [opt + _PLURAL, _POSS3, opt + _CASE_AFTER_POSS3],
        [opt + _PLURAL, _POSS12, opt + _CASE_AFTER_POSS12],
    ]
    # 1st singular possessive -ым/-ім only with the dative -а/-е after it
    # (басыма, аузыма): бас-ым alone or ұйым-ның are read as nouns in -ым.
    poss1_dative = [opt + _PLURAL, [_M("ым", "им", after="C")], [_M("а", "е")]]
    noun_tail_all = [*noun_tail, poss1_dative]
    chains: list[tuple[list[list[_M]], bool]] = [(c, False) for c in noun_tail_all]
    chains += [([_DERIV, *c], False) for c in noun_tail]
    # Comparative -(ы)рақ/-(і)рек: жақын-ырақ, жақсы-рақ, үлкен-ірек.
    comparative = [_M("ырак", "ирек", after="C"), _M("рак", "рек", after="V")]
    chains.append(([comparative, opt + _CASE], False))
    # Negation -ма/-ме is stripped separately (see _strip_negation): inside
    # the templates it would cut stems in -ма (қама-у-да → қа-ма-у-да).
    neg = opt
    verb_heads: list[list[list[_M]]] = [
        [neg, [_M("*ы", "*и", _LOC)], opt + _PERSON_PAST],  # past -ды
        [neg, _PRES_STEM, _PERSON_PRES],  # present -а/-й + person
        # 2nd singular -сың only after -й (дей-сің, сөйлей-сің): after -а it
        # would read бала-сын (his child, accusative) as a verb.
        [neg, [_M("й", "й", after="V")], [_M("сын", "син")]],
        [[_M("*ас", "*ес", _NEG)]],  # negative future -мас
        [[_M("ып", "ип", after="C"), _M("п", "п", after="V")], [*opt, _M("ты", "ти")]],
        [[_M("*ай", "*ей", _NEG)]],  # negative converb -май
        [[_M("ар", "ер", after="C"), _M("р", "р", after="V")], _COPULA],  # future + person
        [[_M("ар", "ер", after="C"), _M("р", "р", after="V")], [_M("сыз", "сиз")]],
        # Bare future participle and 2nd singular (көрер, барарсың): only
        # after the auxiliary verbs, see _verbal_base_ok.
        [[_M("ар", "ер", after="C")], [*opt, _M("сын", "син")]],
        [[_M("*ым", "*им", _DAT), _M("*ысы", "*иси", _DAT)]],  # desiderative -ғым
        [neg, [_M("са", "се")], opt + _PERSON_PAST],  # conditional
        [neg, [_M("сын", "син")]],  # 3rd-person imperative
        [neg, [_M("айын", "ейин", after="C"), _M("йын", "йин", after="V")]],
        [neg, [_M("айык", "ейик", after="C"), _M("йык", "йик", after="V")]],
        [neg, [_M("ыныз", "иниз", after="C"), _M("ныз", "низ", after="V")], opt + _PLURAL],
        [neg, [_M("*алы", "*ели", _DAT)]],  # -ғалы
        [neg, [_M("*анша", "*енше", _DAT)]],  # -ғанша
        [neg, [_M("*ак", "*ек", _NEG)], [*opt, _M("шы", "ши")]],  # -мақ(шы)
        # Bare present converb -а/-е/-й (бола, келе, сөйлей): only after the
        # auxiliary verbs and verb-forming stems, see _verbal_base_ok.
        [_PRES_STEM],
    ]
    chains += [(c, True) for c in verb_heads]
    # Participles and verbal nouns inflect like nouns.
    for head in ([neg, [_PART_PAST]], [neg, _VERBAL_NOUN]):
        for tail in noun_tail:
            chains.append(([*head, *tail], True))
    # The present participle takes case endings; with possessives it would
    # cut nouns in -ат/-ет (әулет-інің is not әул-етін-ің).
    chains.append(([neg, _PART_PRES, *noun_tail[0]], True))
    # The predicative copula (-мын, -мыз) after participles: көрген емеспін.
    chains.append(([neg, [_PART_PAST], _COPULA], True))
    chains.append(([neg, [_PART_PAST], [_M("дык", "дик")], _CASE], True))  # -ғандықтан
    chains.append(([[_M("ар", "ер", after="C")], [_M("лык", "лик")], opt + _CASE], True))
    return chains


def _build_endings() -> dict[str, list[tuple[frozenset[str], str, bool, bool]]]:
    """Expand the templates into concrete folded endings.

    Returns ending → list of (classes allowed before it, harmony, verbal,
    derivational).
    """
    table: dict[str, dict[tuple[str, bool, bool], set[str]]] = {}

    def walk(slots, i, text, harmony, first_cls, verbal, deriv, started):
        if i == len(slots):
            if text:
                entry = table.setdefault(text, {})
                entry.setdefault((harmony, verbal, deriv), set()).add(first_cls)
            return
        for m in slots[i]:
            if m is None:
                walk(slots, i + 1, text, harmony, first_cls, verbal, deriv, started)
                continue
            if started:
                form = m.forms(harmony, _sound_class(text[-1]))
                if form is not None:
                    walk(slots, i + 1, text + form, harmony, first_cls, verbal, deriv, True)
            else:
                for cls in _CLASSES:
                    form = m.forms(harmony, cls)
                    if form is not None:
                        walk(slots, i + 1, form, harmony, cls, verbal, deriv, True)

    for slots, verbal in _chains():
        deriv = slots[0] is _DERIV
        for harmony in (_BACK, _FRONT):
            walk(slots, 0, "", harmony, None, verbal, deriv, False)
    # Final к of -лық/-дық voices before a vowel (бостандық → бостандығы).
    for ending in list(table):
        for i in range(len(ending) - 1):
            if ending[i] == "к" and ending[i + 1] in _VOWELS:
                voiced = ending[:i] + "г" + ending[i + 1 :]
                for info, classes in table[ending].items():
                    table.setdefault(voiced, {}).setdefault(info, set()).update(classes)
    return {
        ending: [(frozenset(c), h, v, d) for (h, v, d), c in info.items()]
        for ending, info in table.items()
    }


_ENDINGS = _build_endings()
_COMPARATIVE = ("ырак", "ыраг", "ирек", "ирег", "рак", "раг", "рек", "рег")
_MAX_ENDING = max(map(len, _ENDINGS))

# Stems shorter than this (letters) are never produced by stripping.
_MIN_STEM = 2
# -лық/-лік is only removed from longer bases: барлық, орталық, билік are
# words of their own, журналистік and бостандық are not far from their base.
_MIN_DERIV_STEM = 5

# Whole words (folded) that look inflected but are not: nouns in -п/-ып that
# the converb -(ы)п would cut.
_PROTECTED = frozenset({"китап", "мектеп", "кауип", "айып", "тартип", "касип"})
_PROTECTED_IN_COMPOUNDS = tuple(w for w in _PROTECTED if len(w) >= 5)
# Very frequent words (folded) that read as another word plus an ending and
# keep their own stem in every form: басқа "other" (not бас-қа "to the
# head"), оқиға "event" (not оқы-ған-ы "that he read").
_LEXICAL_STEMS = ("баска", "окига")

# Stems whose last vowel drops before a vowel-initial suffix (халық → халқы):
# a short closed list, keyed and valued in folded spelling.
_ELIDED_WORDS = (
    "халық", "орын", "ауыз", "ерін", "мұрын", "қорық", "көңіл", "ерік", "ырық", "құлық",
    "ғұмыр", "әріп", "бұрын", "ойын",
)  # fmt: skip
_ELIDED = {fold(w[:-2] + w[-1]): fold(w) for w in _ELIDED_WORDS}
_ELIDED_SPELLING = {fold(w): w for w in _ELIDED_WORDS}
_ELIDED_FULL = tuple(_ELIDED_SPELLING)
# Contracted verb forms of everyday speech.
_IRREGULAR = {"деп": "де", "боп": "бол", "кып": "кыл", "кеп": "кел"}
# Verbs whose final п becomes у before a vowel (тап → тауып).
_VERB_P_TO_U = {"тау": "тап", "жау": "жап", "сеу": "сеп", "теу": "теп", "кеу": "кеп"}


# Consonant clusters that end native verb roots (айт-, тарт-, қайт-).
_ROOT_FINAL_CLUSTERS = frozenset({"рт", "йт", "лт", "нт"})


def _last_vowel(s: str) -> str:
    for ch in reversed(s):
        if ch in _VOWELS:
            return ch
    return ""


def _harmony_ok(stem: str, harmony: str) -> bool:
    # Folded а/о/у may stand for front ә/ө/ү, and и for a Russian и, so only
    # ы (back) and е/э (front) are certain; anything else accepts both.
    v = _last_vowel(stem)
    if stem.endswith(("ев", "ов")):  # Russian surnames: Назарбаев-тың
        return True
    if v == "ы":
        return harmony == _BACK
    if v in "еэ":
        return harmony == _FRONT
    # ә and ө are written in the first syllable of a word (әке, көмек,
    # мәселе) or of a compound's second part after a front first part
    # (дереккөз, өнеркәсіп). So in a stem of two or more syllables with no
    # е/и at all, a folded а/о is really а/о, and the stem is back: Аббас-и,
    # Фараб-и are no front possessives. у is written in both harmonies.
    if v in "ао" and harmony == _FRONT:
        vowels = [ch for ch in stem if ch in _VOWELS and ch != "у"]
        return len(vowels) < 2 or any(ch in "еэи" for ch in vowels)
    return True


def _stem_ok(stem: str) -> bool:
    return len(stem) >= _MIN_STEM and any(ch in _VOWELS for ch in stem)


# Consonants that may stand first in a word-final cluster (айт, тарт, халқ,
# ерн): sonorants, and the signs of Russian loans.
_SONORANTS = frozenset("рлйумнъь")


def _coda_ok(stem: str) -> bool:
    """False when ``stem`` ends in a cluster no Kazakh word ends in.

    Two obstruents at the end of a word are only found in loans, and then
    with т, с, д, ж last (факт, пост, индекс, имидж); a cluster closed by
    к/қ, г/ғ, п, б or ш is the start of a suffix (тұтқ-ын is тұтқын, сырт-қы,
    іш-кі, бас-шы), never the end of a stem.
    """
    return not (
        len(stem) >= 2
        and stem[-1] in "кгпбш"
        and stem[-2] not in _VOWELS
        and stem[-2] not in _SONORANTS
    )


def _loan_vowels(stem: str) -> bool:
    """True when a folded о (о or ө) follows another vowel of ``stem``."""
    first = next((i for i, ch in enumerate(stem) if ch in _VOWELS), len(stem))
    return "о" in stem[first + 1 :]


def _nominal_ending(ending: str, deriv: bool = True) -> bool:
    """Whether ``ending`` can be read as nominal inflection (with -лық if ``deriv``)."""
    return any(not v and (deriv or not d) for _, _, v, d in _ENDINGS.get(ending, ()))


def _split(folded: str) -> tuple[int, bool, bool]:
    """Stem length of a folded word; whether the ending was surely/maybe verbal."""
    # Also compounds ending in one of the longer words (өнер-кәсіп); short
    # ones would catch converbs (азай-ып is not аз-айып).
    if folded in _PROTECTED or folded.endswith(_PROTECTED_IN_COMPOUNDS):
        return len(folded), False, False
    for lexical in _LEXICAL_STEMS:
        if folded.startswith(lexical):
            rest = folded[len(lexical) :]
            if not rest or rest in _ENDINGS:
                return len(lexical), False, False
    # The full form of a noun whose last vowel drops (орын/орны, халық/халқы)
    # is its stem before a consonant-initial ending or none (орын, орын-ға,
    # орын-дар), however the rest could be read (not ор-ың, ор-ың-ның).
    for full in _ELIDED_FULL:
        if folded.startswith(full):
            rest = folded[len(full) :]
            if not rest or (rest[0] not in _VOWELS and _nominal_ending(rest, deriv=False)):
                return len(full), False, False
    # Қазақстан, Өзбекстан, Ауғанстан: -стан after a consonant is a place
    # name, not the ablative -тан (but орыс-тан, соғыс-тан are), and it stays
    # whole before any nominal ending (Қазақстан-ды, Қазақстан-дағы).
    at = folded.find("стан", 3)
    while at > 0:
        end = at + 4
        rest = folded[end:]
        if folded[at - 1] not in _VOWELS and (not rest or _nominal_ending(rest)):
            return end, False, False
        at = folded.find("стан", at + 1)
    # A few loans keep п/к before a vowel (тарап-ынан): when nothing else
    # can be read, a stem of five letters or more may, before an ending of
    # three or more (жалақы, темекі stay whole).
    found = _longest_ending(folded, False) or _longest_ending(folded, True)
    return found or (len(folded), False, False)


def _longest_ending(folded: str, unvoiced_ok: bool) -> tuple[int, bool, bool] | None:
    """The longest acceptable split of ``folded`` (see _split), or None."""
    n = len(folded)
    for size in range(min(_MAX_ENDING, n - _MIN_STEM), 0, -1):
        infos = _ENDINGS.get(folded[n - size :])
        if not infos:
            continue
        base = folded[: n - size]
        ending = folded[n - size :]
        if not _stem_ok(base) or not _coda_ok(base):
            continue
        # Native п/к/қ become б/г/ғ before a vowel (кітап → кітабы), so a
        # vowel-initial ending right after vowel + п/к is an accident of
        # spelling (мемлекет-ін, not мемлек-етін). After a consonant the
        # vowel may have dropped from the stem instead (халқ-ы).
        unvoiced = (
            ending[0] in "аеыи" and base[-1] in "кп" and len(base) > 1 and base[-2] in _VOWELS
        )
        if unvoiced and not (unvoiced_ok and len(base) >= 5 and len(ending) >= 3):
            continue
        # Two-letter bases ending in a vowel are almost never noun stems
        # (жа-ны is жан-ы, та-уы is тау-ы); де- and же- are the common verbs,
        # and only as verbs (жең-ін is no же-нің).
        short_verb_only = len(base) == 2 and base[-1] in _VOWELS
        if short_verb_only and base not in ("де", "же"):
            continue
        # Possessive -сы after a two-letter base (ба-сы) is far less likely
        # than -ы after a с-final word (бас-ы).
        if ending[:2] in ("сы", "си") and len(base) < 3:
            continue
        # -ысы/-ісі is the deverbal noun in -ыс/-іс with possessive -ы/-і
        # (байланыс-ы, облыс-ы, жұмыс-ы, соғыс-ы), not a stem in -ы/-і with
        # -сы/-сі, except after the suffixes that make such stems: agent -шы
        # (басшы-сы), -қы/-кі (ішкі-сі, жалақы-сы), -ды (қорытынды-сы) and,
        # after a consonant, -ғы/-гі (үлгі-сі-нде).
        if (
            ending[:2] in ("сы", "си")
            and base[-1] in "ыи"
            and base[-2] not in _VOWELS
            and base[-2] not in "шкд"
            and not (base[-2] == "г" and len(base) > 2 and base[-3] not in _VOWELS)
        ):
            continue
        # The comparative only after longer bases (four letters before -ырақ,
        # five before -рақ): сұрақ, керек, жүрек, топырақ, жапырақ are words,
        # not сұ-рақ, топ-ырақ, топы-рақ.
        if ending.startswith(_COMPARATIVE) and len(base) < (5 if base[-1] in _VOWELS else 4):
            continue
        cls = _sound_class(base[-1])
        # Voiced б/г/ғ only end a noun stem after a vowel, where they stand for
        # п/к/қ (кітаб-ы); after a consonant they begin a suffix (үл-гі,
        # тең-ге), so a vowel-initial nominal ending cannot follow them.
        voiced_cluster = (
            ending[0] in _VOWELS and base[-1] in "гб" and len(base) > 1 and base[-2] not in _VOWELS
        )
        # The same for д after a consonant in longer stems: that is the
        # adjectival -ды/-ді (туынды-ның, қорытынды-ның, белсенді-нің), and
        # only one-syllable loans end in it (фонд-ы).
        voiced_cluster = voiced_cluster or (
            ending[0] in _VOWELS
            and base[-1] == "д"
            and base[-2] not in _VOWELS
            and sum(ch in _VOWELS for ch in base) >= 2
        )
        verbal_ok = noun_ok = False
        for classes, harmony, verbal, deriv in infos:
            if cls not in classes or not _harmony_ok(base, harmony):
                continue
            if deriv and len(base) < _MIN_DERIV_STEM:
                continue
            if (voiced_cluster or short_verb_only) and not verbal:
                continue
            if (
                verbal
                and ending.startswith(("атын", "етин", "айын", "ейин", "айык", "ейик"))
                and not _participle_base_ok(base)
            ):
                continue
            # -й- (present, participle, voluntative) after a vowel stem whose
            # -да/-та/-ла does not follow the alternation: жағдай-ды, жағдай-ын.
            if verbal and ending[0] == "й" and not _verbalizer_ok(base):
                continue
            if verbal:
                verbal_ok = True
            else:
                noun_ok = True
        # о and ө stand in the first syllable of a Kazakh word only; a stem
        # with one later is a loan (чемпион, стадион, регион), and loans are
        # nouns: чемпионат-ы-н, not чемпион-атын.
        if verbal_ok and _loan_vowels(base):
            verbal_ok = False
        if not (verbal_ok or noun_ok):
            continue
        if not noun_ok and not _verbal_base_ok(base, ending):
            continue
        # An ending that can be nominal is read as nominal: the verbal
        # post-processing (voice, stem vowel) is only for unambiguous verbs.
        # -ды/-ты is both accusative and past tense: keep the verb reading
        # open so that a passive stem (сотта-л-ды) can still be recognised.
        maybe_verbal = verbal_ok and noun_ok and ending in ("ды", "ди", "ты", "ти")
        # Present -ады after a consonant cluster that cannot end a verb root
        # (ұст-ады, ойл-ады) is really past -ды after a vowel stem (ұста-ды).
        if (
            not noun_ok
            and ending[0] in "ае"
            and len(base) >= 3
            and base[-1] not in _VOWELS
            and base[-2] not in _VOWELS
            and base[-2:] not in _ROOT_FINAL_CLUSTERS
        ):
            return len(base) + 1, True, False
        return len(base), not noun_ok, maybe_verbal
    return None


# Auxiliary and light verbs (folded) whose bare converb in -а/-е is common
# (бола, бере, келе, айта). Elsewhere a word-final -а/-е is read as part of
# the stem: бала, қала, сала, әке are nouns, not бал-а, қал-а, сал-а, әк-е.
# Verbs whose -а form is also a word of its own stay out: ала (motley),
# қала (city), сала (field), тұра (straight).
_CONVERB_A_VERBS = frozenset(
    {"бол", "бер", "ет", "жет", "кел", "кет", "кир", "бар", "айт", "кор", "бил", "жур",
     "тус", "шык", "жат", "отыр", "корсет", "жибер"}
)  # fmt: skip


def _verbalizer_after(consonant: str) -> str:
    """First letter of the verb-forming -ла/-да/-та after ``consonant``.

    -ла after р, й, у; -да after л, м, н (ң), з, ж; -та after the voiceless
    consonants (сақ-та, бас-та, сот-та); "" after the others: voiced б, г/ғ,
    д end no noun that takes it (жағдай is no жағда-й).
    """
    if consonant in "руй":
        return "л"
    if consonant in "лмнзж":
        return "д"
    if consonant in "кпстшфхцчщ":
        return "т"
    return ""


def _verbalizer_ok(base: str) -> bool:
    """False for a vowel-final ``base`` whose -ла/-да/-та breaks that alternation."""
    if len(base) >= 3 and base[-1] in "ае" and base[-2] in "лдт" and base[-3] not in _VOWELS:
        return base[-2] == _verbalizer_after(base[-3])
    return True


def _verbal_base_ok(base: str, ending: str) -> bool:
    if ending in ("а", "е"):
        return _converb_a_ok(base)
    # -ар/-ер is also the causative (шығар-, қайтар-) and ends many nouns
    # (хабар, сапар, әскер): as a bare future only after the auxiliaries.
    if ending in ("ар", "ер", "арсын", "ерсин"):
        return base in _CONVERB_A_VERBS
    # Bare converb -й after a vowel stem (сөйле-й, ойла-й, ойна-й) only after
    # the verb-forming -ла/-на that follows a consonant (and -ла there only
    # after р, й, у, see _verbalizer_ok): жағдай, құдай, талай and the
    # similative -дай/-тай (тастай) keep their й.
    if ending == "й":
        return (
            len(base) >= 4
            and base[-2:] in ("ла", "ле", "на", "не")
            and base[-3] not in _VOWELS
            and _verbalizer_ok(base)
        )
    # The converb -п after a vowel stem: see _converb_p_ok.
    if ending.startswith("п") and base[-1] in _VOWELS:
        return _converb_p_ok(base)
    return True


def _participle_base_ok(base: str) -> bool:
    """Whether a consonant-final ``base`` can take -атын (present participle)
    or -айын/-айық (voluntative).

    A verb root of one syllable ends in one consonant or in the clusters
    verb roots have (айт-, тарт-, қорқ-); a longer verb stem ends in the
    consonant of a voice or causative suffix (-т, -ыр/-тыр, -ар, -ғыз/-кіз,
    -ыс, -ыл, -ын). Other shapes are nouns in -ат/-ет with a possessive and
    the accusative: үкімет-і-н, азамат-ы-н, қаражат-ы-н, формат-ы-н,
    мұражай-ы-н.
    """
    vowels = sum(ch in _VOWELS for ch in base)
    if base[-2] not in _VOWELS:
        return base[-2:] in _ROOT_FINAL_CLUSTERS or base[-2:] in ("ст", "рк", "лк")
    return vowels < 2 or base[-1] in "трзсйлн"


def _converb_a_ok(base: str) -> bool:
    """Whether a word-final -а/-е after ``base`` is the bare converb.

    Only after the auxiliary and light verbs (бола, келе, шыға: the list is
    looked up with the stem-final б/г restored to п/к), after a root CаC in
    voiced б, which a noun stem does not end in (таба, жаба: тап-, жап-; not
    жоба, төбе), after a passive stem (құрыл-а, тартыл-а), and after longer
    stems in -ыр/-ір and -ғыз/-кіз (шақыр-а, арттыр-а, жеткіз-е).
    """
    root = base[:-1] + {"б": "п", "г": "к"}.get(base[-1], base[-1])
    if root in _CONVERB_A_VERBS:
        return True
    if len(base) == 3 and base[-1] == "б" and base[1] == "а" and base[0] not in _VOWELS:
        return True
    if len(base) >= 4 and base[-1] == "л" and base[-2] in "ыи" and _passive_ok(base):
        return True
    # Verb stems of two syllables or more in -ыр/-ір (шақыр-а, арттыр-а) and
    # causatives in -ғыз/-кіз (жеткіз-е): a noun there takes the dative -ға.
    return (
        len(base) >= 5
        and base[-2] in "ыи"
        and (base[-1] == "р" or (base[-1] == "з" and base[-3] in "гк"))
        and sum(ch in _VOWELS for ch in base) >= 2
    )


def _converb_p_ok(base: str) -> bool:
    """Whether a final -п after the vowel-final ``base`` is the converb.

    The converb of a vowel stem (қара-п, сақта-п) is a homograph of the nouns
    in vowel + п (кітап, азап, жауап, талап, себеп, топ); it is accepted
    after the shapes verb stems have and those nouns lack: the verb-forming
    -ла/-да/-та/-на/-са/-ға after a consonant (сақта-п, ойна-п, қорға-п),
    -ла/-ра after a vowel in stems of three syllables or more (бақыла-п,
    ажыра-п, ұшыра-п), two-syllable verbs in -са/-на/-ра (жаса-п, сана-п,
    қара-п, сұра-п; тала-п, жауа-п are nouns, and so is тарап, which this
    reads as the verb тара-), the short verbs in -ы/-і (оқы-п, тоқы-п) and
    же-п.
    """
    if base[-1] in "ыи":
        return 3 <= len(base) <= 4
    if base in ("де", "же"):  # the two-letter verbs (же-п)
        return True
    if base[-1] not in "ае" or len(base) < 4:
        return False
    if base[-2] in "лдтнсг" and base[-3] not in _VOWELS:
        return _verbalizer_ok(base)
    if base[-2] in "лр" and base[-3] in _VOWELS and len(base) >= 5:
        return True
    return len(base) == 4 and base[0] not in _VOWELS and base[1] in _VOWELS and base[2] in "снр"


def _strip_voice(stem: str, strict: bool = False) -> str:
    """Remove passive/reflexive -ыл/-ын/-л/-н from a verb stem (салын-ады → сал).

    ``strict`` is for endings that may also be nominal (-ды is past tense and
    accusative): then only the shapes the passive has and nouns rarely have
    are taken (see _passive_ok), so ашыл-ды is аш- as ашыл-ады is.

    -ын/-ін is the passive after л (ал-ын, бөл-ін) and elsewhere the
    reflexive, which is only taken from roots of three letters or more
    (көр-ін-еді): ұсын-, өкін- are verbs of their own, not ұс-, өк-.
    """
    for _ in range(2):  # passive of a reflexive/causative: өткіз-іл-у
        if (
            len(stem) >= 4
            and stem[-1] in "лн"
            and stem[-2] in "ыи"
            and _stem_ok(stem[:-2])
            and _coda_ok(stem[:-2])
            and (stem[-1] == "л" or stem[-3] == "л" or (not strict and len(stem) >= 5))
            and (not strict or _passive_ok(stem))
        ):
            stem = stem[:-2]
            continue
        # After a vowel: the vowel must close a consonant-vowel stem end
        # (жаса-л, сайла-н); in жария-л the л is what is left of -ла.
        if (
            len(stem) >= 4
            and stem[-1] in "лн"
            and stem[-2] in _VOWELS
            and stem[-2] not in "ыи"
            and stem[-3] not in _VOWELS
            and (not strict or _passive_ok(stem))
        ):
            stem = stem[:-1]
            continue
        break
    return stem


def _passive_ok(stem: str) -> bool:
    """Whether a stem before an ambiguous -ды has the shape of a passive.

    -ыл/-іл follows a consonant: not a vowel or the glide у (ауыл, шабуыл are
    nouns), not л (its passive is -ын), and not к/п after a vowel, which
    would have voiced (ақыл is a noun; the passive of ақ- is ағыл-). -ын/-ін
    is the passive only after л (ал-ын, бөл-ін); ақын, тұтқын, жиын are
    nouns. After a vowel, -л/-н only after a verb-forming -ла/-да/-та that
    follows a consonant (сотта-л), and -л after a two-syllable verb in -а
    such as жаса-л, қара-л, қама-л, ата-л (but not журнал, көгал, дәлел,
    бедел).
    """
    base = stem[:-2]
    if stem[-2] in "ыи":
        if stem[-1] == "н":
            return base[-1] == "л"
        return (
            base[-1] not in _VOWELS
            and base[-1] not in "ул"
            and not (base[-1] in "кп" and len(base) > 1 and base[-2] in _VOWELS)
        )
    if stem[-3] in "лдт" and stem[-4] not in _VOWELS:
        return _verbalizer_ok(stem[:-1])
    # -л after the verb-forming -қа/-ке/-ға/-ге/-са that follows a consonant
    # (тірке-л, байқа-л, қорға-л, жұмса-л), -л/-н after -ла/-ле that follows
    # a vowel in longer stems (жария-ла-н, бақыла-н).
    if stem[-1] == "л" and stem[-3] in "кгс" and stem[-4] not in _VOWELS:
        return True
    if stem[-3] == "л" and stem[-4] in _VOWELS and len(stem) >= 6:
        return True
    if stem[-1] != "л" or stem[-2] != "а":
        return False
    # (C)VCа-л: жаса-л, қара-л, қама-л, ата-л, ора-л.
    if len(stem) == 4:
        return stem[0] in _VOWELS and stem[1] not in _VOWELS
    return (
        len(stem) == 5
        and stem[0] not in _VOWELS
        and stem[1] in _VOWELS
        and stem[1] != "о"
        and stem[2] not in _VOWELS
    )


def _neg_base_ok(base: str) -> bool:
    # At least three letters (қа-ма is the verb қама-), or a vowel-initial
    # two-letter root (ал-ма-са, ет-пе-ді).
    return _stem_ok(base) and (len(base) >= 3 or base[0] in _VOWELS)


def _strip_negation(stem: str, past_3sg: bool = False) -> str:
    """Remove negation -ма/-ба/-па from a verb stem, keeping at least 3 letters.

    The vowel of -ма may already be gone when the present -ады was stripped
    (бол-ма-й-ды and бол-м-ады read alike), so a bare -м/-б/-п counts too.
    """
    if len(stem) >= 3 and stem[-1] in "мбп" and stem[-2] not in _VOWELS:
        base = stem[:-1]
        if _NEG[_sound_class(base[-1])] == stem[-1] and _neg_base_ok(base):
            return base
    # The same after a vowel stem of four letters or more when the ending
    # was -ады/-еді: the past істе-ме-ді read as present істем-еді.
    if past_3sg and len(stem) >= 5 and stem[-1] == "м" and stem[-2] in _VOWELS:
        return stem[:-1]
    if len(stem) >= 4 and stem[-1] in "ае" and stem[-2] in "мбп":
        base = stem[:-2]
        if _NEG[_sound_class(base[-1])] == stem[-2] and _neg_base_ok(base):
            harmony = _BACK if stem[-1] == "а" else _FRONT
            if _harmony_ok(base, harmony):
                return base
    return stem


def _normalize_stem(stem: str, verbal: bool, maybe_verbal: bool = False, ending: str = "") -> str:
    """Final adjustments of a folded stem, applied whatever was stripped."""
    if maybe_verbal and not verbal:
        voiceless = _strip_voice(stem, strict=True)
        verbal = voiceless != stem
    if verbal:
        stem = _strip_negation(stem, past_3sg=ending in ("ады", "еди"))
        stem = _strip_voice(stem)
        stem = _VERB_P_TO_U.get(stem, stem)
        # A verb stem's final vowel is dropped: present -ады after a consonant
        # stem (сақт-ады) and past -ды after a vowel stem (сақта-ды) cannot be
        # told apart, so сақта-/сақт- must give the same key. Short stems keep
        # а/е: жаса- would otherwise become жас (young) and қара- қар (snow).
        short_vowel = stem[-1] in "ыи" and _stem_ok(stem[:-1])
        if short_vowel or (stem[-1] in "ае" and len(stem) >= 5):
            stem = stem[:-1]
    stem = _ELIDED.get(stem, stem)
    # Loan words in -ист lose the т before т-initial suffixes in spelling
    # (журналист-тер → журналистер), so -ист is keyed as -ис.
    if stem.endswith("ист") and len(stem) >= 5:
        stem = stem[:-1]
    # Possessive -сы after a vowel stem (бала-сы) and -ы after an с-final stem
    # (жолдас-ы) are homographs; dropping a stem-final с after a vowel makes
    # both readings give one key (жолдас, жолдасы → жолда). After ы/і the с
    # stays, -ысы/-ісі is read as -ыс/-іс + -ы (see _split), and so it does in
    # verb stems, which take no possessive (кездес-, орналас-).
    if (
        not verbal
        and len(stem) >= 4
        and stem[-1] == "с"
        and stem[-2] in _VOWELS
        and stem[-2] not in "ыи"
    ):
        stem = stem[:-1]
    # Voiced б/г/ғ at the end of a stem come from п/к/қ before a vowel
    # (кітап → кітабы, бостандық → бостандығы); restore the dictionary form.
    # After a consonant (қозғ-ады) the г is not an alternant.
    if stem[-1] in "бг" and len(stem) > 1 and stem[-2] in _VOWELS:
        stem = stem[:-1] + ("п" if stem[-1] == "б" else "к")
    return stem


def _restore_case(folded_stem: str, original: str) -> str:
    """Give a folded stem back the Kazakh letters the word was written with.

    Position by position, the original letter is kept where it folds to the
    stem's letter; elsewhere (restored п/к, re-inserted vowels) the stem's
    letter is used, as қ when the word had ғ or қ there.
    """
    out = []
    for i, f in enumerate(folded_stem):
        o = original[i] if i < len(original) else ""
        if o and fold(o) == f:
            out.append(o)
        elif f == "к" and o in ("ғ", "қ"):
            out.append("қ")
        else:
            out.append(f)
    return "".join(out)


def stem(word: str) -> str:
    """Return the (unfolded) stem of one normalised, lower-case word.

    Inflection is stripped by one longest match against endings generated
    from morphotactic templates (plural ← possessive ← case ← copula for
    nouns; voice ← negation ← tense/participle/converb ← person for verbs),
    with vowel harmony and consonant assimilation checked against the stem.
    The derivational suffix -лық/-лік is also removed from bases of five or
    more letters, so журналистік and бостандық find журналист and бостан-;
    short bases (барлық, билік, орталық) keep it because they are words of
    their own. Consonant alternations are undone at the end (кітабы → кітап).
    The bare converb -а/-е is only stripped after the auxiliary verbs
    (бола, келе), roots in voiced б (таба), passives and stems in -ыр/-ғыз
    (құрыла, шақыра, жеткізе); -п after a vowel only from stems shaped like
    verbs (жасап, сақтап, бақылап; not талап, жауап); -й only after verbs in
    -ла/-на (сөйлей, ойнай); the comparative -(ы)рақ only from long bases
    (жақынырақ). Privative -сыз (заңсыз) and 1st-person -ым (шешім, ұйым are
    nouns) are kept, except before the dative (басыма). Stems are checked
    against Kazakh phonotactics: no stem ends in two obstruents closed by
    к/қ, г/ғ, п, б, ш (тұтқын, сыртқы, басшы stay whole), ә/ө stand in a
    word's first syllable (Аббаси takes no front possessive), and о/ө after
    the first syllable marks a loan, read as a noun (чемпионатын).
    """
    folded = fold(word)
    if len(folded) <= _MIN_STEM or not folded.isalpha():
        return word
    if folded in _IRREGULAR:
        return _restore_case(_IRREGULAR[folded], word)
    # ю after a vowel spells й + у (жо-ю is жой-у, сү-ю-ге is сүй-у-ге): the
    # verbal noun of a verb in -й. Read it so; the stem ends before the у.
    yu = folded.find("ю", 1)
    if yu > 0 and folded[yu - 1] in _VOWELS:
        spelled = folded[:yu] + "йу" + folded[yu + 1 :]
        size, verbal, maybe_verbal = _split(spelled)
        if size <= yu + 1:
            result = _normalize_stem(spelled[:size], verbal, maybe_verbal, spelled[size:])
            return _restore_case(result, word[:yu] + "й")
    size, verbal, maybe_verbal = _split(folded)
    result = _normalize_stem(folded[:size], verbal, maybe_verbal, folded[size:])
    if result in _ELIDED_SPELLING:
        return _ELIDED_SPELLING[result]
    return _restore_case(result, word)


# --------------------------------------------------------------------------
# Words and tokens
# --------------------------------------------------------------------------

_FOLDED_STOPWORDS = frozenset(fold(w) for w in STOPWORDS)
_HYPHENS = frozenset("-\u2010\u2011")
_DIGIT_GROUP_SPACES = frozenset(" \u00a0\u202f\u2009")
_NO_DIGIT_GROUP_SPACES = str.maketrans(dict.fromkeys(_DIGIT_GROUP_SPACES))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or bool(unicodedata.combining(ch)) or ch in _INVISIBLE


# Runs of str.isalnum() characters and of the others ([^\W_] is exactly isalnum), so
# that most of a text is split by the regex engine rather than character by character.
_ALNUM_RUN = re.compile(r"[^\W_]+")
_OTHER_RUN = re.compile(r"(?:[\W_])+")


def _runs(text: str):
    """Yield (start, end, is_word) spans covering ``text``."""
    i, n = 0, len(text)
    while i < n:
        # A word starts with a letter or digit; marks and invisibles continue it.
        if text[i].isalnum():
            j = _ALNUM_RUN.match(text, i).end()
            while j < n and _is_word_char(text[j]):
                j = _ALNUM_RUN.match(text, j).end() if text[j].isalnum() else j + 1
            yield i, j, True
        else:
            j = _OTHER_RUN.match(text, i).end()
            yield i, j, False
        i = j


def _character_class(chars) -> str:
    """A regex character class body of `chars`, as ranges of consecutive code points."""
    points = sorted({ord(ch) for ch in chars})
    parts, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        first, last = re.escape(chr(points[i])), re.escape(chr(points[j]))
        parts.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "".join(parts)


@lru_cache(maxsize=1)
def _word_run() -> re.Pattern:
    """A word run of `_runs` as one regex: a letter or digit, then letters, digits, combining
    marks and invisibles (no combining mark is alphanumeric). Highlighting tokenizes every
    word of every result, and this takes half the time of extending each run in Python.
    Built on first use: finding the combining marks takes about 100 ms."""
    marks = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))]
    return re.compile(r"[^\W_](?:[^\W_]|[" + _character_class(marks + sorted(_INVISIBLE)) + "])*")


def _word_runs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the word runs of ``_runs``."""
    return [found.span() for found in _word_run().finditer(text)]


def _is_abbreviation(original: str) -> bool:
    """All-caps short tokens (ҚР, БҰҰ, ЕҚЫҰ, АҚШ, ЛГБТКИ) are kept whole."""
    letters = [ch for ch in original if ch.isalpha()]
    if len(letters) < 2 or not all(ch.isupper() for ch in letters):
        return False
    if len(letters) <= 4:
        return True
    # Longer all-caps words are headings (ҚЫСҚАША ШОЛУ) unless they cannot be
    # read as a Kazakh word: three consonants or two vowels in a row.
    low = fold(_normalize_word(original))
    run_c = run_v = 0
    for ch in low:
        if ch in _VOWELS:
            run_v, run_c = run_v + 1, 0
        else:
            run_c, run_v = run_c + 1, 0
        if run_c >= 3 or run_v >= 2:
            return True
    return False


@lru_cache(maxsize=65536)
def _word_key(original: str) -> str:
    """Key of one word run (letters/digits only) given in original spelling."""
    word = _normalize_word(original)
    if not word:
        return ""
    folded = fold(word)
    if folded in _FOLDED_STOPWORDS:
        return ""
    if any(ch.isdigit() for ch in folded):
        # 1600, 2022, 10000; digits glued to a suffix (2022ж) key as the number.
        lead = len(folded) - len(folded.lstrip("0123456789"))
        if lead and (lead == len(folded) or folded[lead:].isalpha()):
            return folded[:lead]
        return word
    if _is_abbreviation(original):
        return word
    return stem(word)


def _is_suffix_chain(part: str) -> bool:
    """True for "ден", "ның", "ға", "сі"... written after a hyphen."""
    low = fold(_normalize_word(part))
    return bool(low) and low.isalpha() and len(low) <= 6 and low in _ENDINGS


def analyze(text: str) -> list[Token]:
    """Split ``text`` into word tokens with offsets, positions and keys.

    Every word gets a position (stopwords too, with an empty key). Hyphenated
    compounds give one token per part (зорлық-зомбылық → зорлық, зомбылық);
    a number or abbreviation with a hyphenated case ending is one token keyed
    by the number (1600-ден → "1600"); digit groups "10 000" form one token
    keyed "10000". ``start``/``end`` index the original string, whatever
    normalisation the key needed.
    """
    return [
        Token(text[start:end], start, end, position, key)
        for position, (start, end, key) in enumerate(keyed_spans(text))
    ]


def keyed_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of each word of ``text``, as `analyze` gives them, without building
    tokens: highlighting reads only these, for every word of every result.

    The key is the word run's, which is shorter than the token when a hyphenated suffix
    (1600-ден, БҰҰ-ның) belongs to it; a thousands-grouped number (10 000) is keyed by its
    digit groups without the spaces.
    """
    runs = _word_runs(text)
    spans = []
    count, i = len(runs), 0
    while i < count:
        start, end = runs[i]
        first = text[start:end]
        j = i
        if first.isdigit():
            # "10 000", "1 250 000": groups of exactly three digits.
            while (
                j + 1 < count
                and runs[j + 1][0] == runs[j][1] + 1
                and text[runs[j][1]] in _DIGIT_GROUP_SPACES
                and len(first) <= 3
                and text[runs[j + 1][0] : runs[j + 1][1]].isdigit()
                and runs[j + 1][1] - runs[j + 1][0] == 3
            ):
                j += 1
        tok_end = runs[j][1]
        source = first if j == i else text[start:tok_end].translate(_NO_DIGIT_GROUP_SPACES)
        key = _word_key(source)
        # A suffix hyphenated to a number or abbreviation belongs to it.
        if (
            j + 1 < count
            and runs[j + 1][0] == tok_end + 1
            and text[tok_end] in _HYPHENS
            and (text[runs[j][0] : tok_end].isdigit() or _is_abbreviation(first))
            and _is_suffix_chain(text[runs[j + 1][0] : runs[j + 1][1]])
        ):
            spans.append((start, runs[j + 1][1], key))
            i = j + 2
        else:
            spans.append((start, tok_end, key))
            i = j + 1
    return spans


def key(word: str) -> str:
    """Full pipeline for one word: the unfolded stem key, ``""`` for a stopword.

    Only the first whitespace-separated word is used. A word that splits
    into several tokens (a hyphenated compound) gives the keys of its parts
    joined by "-".
    """
    first = word.split(maxsplit=1)[0] if word.strip() else ""
    keys = [t.key for t in analyze(first)]
    if len(keys) == 1:
        return keys[0]
    return "-".join(k for k in keys if k)


def main() -> None:
    """Read one word a line on stdin, write one key a line on stdout."""
    out = sys.stdout
    for line in sys.stdin:
        out.write(key(line.strip()) + "\n")


if __name__ == "__main__":
    main()
