"""Text clean-up for PDF-to-text output: page markers, line-end hyphens, stray spaces.

Pure functions on strings and lists of lines; the parser decides what a heading or a paragraph
is, this module only repairs the text inside them.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# "бет 45", "45 бет", "45-бет" (also spaced out as "б е т 45"), "Page 3 of 50", "стр. 4";
# "\f" is the page break the PDF reader puts between pages.
PAGE_MARKER = re.compile(
    r"^\s*(?:б\s*е\s*т\s*\d+|\d+\s*-?\s*б\s*е\s*т|page\s*\d+(?:\s*(?:of|/)\s*\d+)?"
    r"|стр\.?\s*\d+|\f)\s*$",
    re.IGNORECASE,
)

# Characters PDF and Word exports put in text that are spaces or nothing in print.
_AS_SPACE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\t\v"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)

# Kazakh pair words and loan prefixes that are written with a hyphen; a line break after one
# of these is a real compound hyphen even when the document never prints the pair on one line.
# fmt: off
COMPOUND_FIRST_PARTS = frozenset({
    "зорлық", "ар", "іс", "дәрі", "жүріп", "ұрып", "ерлі", "ата", "әке", "аға", "бала", "ақша",
    "жер", "су", "өз", "бір", "әр", "кей", "бас", "ой", "әдет", "салт", "мал", "жан", "жедел",
    "қыз", "ұл", "ел", "жұрт", "ауыл", "үй", "қол", "тіл", "күн", "орта", "ішкі", "сырт",
    "премьер", "вице", "экс", "веб", "интернет", "бизнес", "онлайн", "медиа", "контр", "анти",
    "медициналық", "әлеуметтік",
})
# fmt: on

_LETTERS = r"[^\W\d_]"
_LOWER_START = re.compile(r"^[a-zа-яёәғқңөұүһі]")
_IN_LINE_WORD = re.compile(rf"{_LETTERS}+(?:-{_LETTERS}+)*")


def normalize(text: str) -> str:
    """Unicode NFC, "\\n" line ends, odd spaces as plain spaces, invisible characters removed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_AS_SPACE).translate(_INVISIBLE)


def is_page_marker(line: str) -> bool:
    """True for a line that is only a page number such as "бет 45"."""
    return bool(PAGE_MARKER.match(line))


def drop_page_markers(lines: list[str]) -> list[str]:
    """Remove page-marker lines and the blank lines around them.

    The blank lines are part of the page furniture, not paragraph breaks: a paragraph split
    by a page break must read as one (the parser decides from the text whether it ends there).
    """
    kept: list[str] = []
    skipping_blanks = False
    for line in lines:
        if is_page_marker(line):
            while kept and not kept[-1].strip():
                kept.pop()
            skipping_blanks = True
        elif skipping_blanks and not line.strip():
            continue
        else:
            skipping_blanks = False
            kept.append(line)
    return kept


def clean_lines(text: str) -> list[str]:
    """Normalized text as stripped lines ("" for blank ones), page markers removed."""
    lines = normalize(text).split("\n")
    return [line.strip() for line in drop_page_markers(lines)]


@dataclass
class Vocabulary:
    """Word forms printed inside lines of one document: the evidence for hyphen repair."""

    words: set[str] = field(default_factory=set)
    hyphenated: set[str] = field(default_factory=set)
    first_parts: set[str] = field(default_factory=set)

    @classmethod
    def from_lines(cls, lines: list[str]) -> "Vocabulary":
        """Collect word forms from the lines, leaving out the broken word at each line end."""
        vocabulary = cls()
        for line in lines:
            text = line[:-1] if line.endswith("-") else line
            for word in _IN_LINE_WORD.findall(text.lower()):
                vocabulary.add(word)
        return vocabulary

    def add(self, word: str) -> None:
        """Record one word form (lower case)."""
        if "-" in word:
            self.hyphenated.add(word)
            self.first_parts.update(word.split("-")[:-1])
        else:
            self.words.add(word)

    def has_hyphenated(self, first: str, second: str) -> bool:
        """Does "first-second…" occur inside a line (compared on 3 letters of the second part)?"""
        start = f"{first}-{second[:3]}"
        return any(word.startswith(start) or f"-{start}" in word for word in self.hyphenated)

    def has_word_starting(self, start: str) -> bool:
        """Does some unhyphenated word begin with `start`?"""
        return any(word.startswith(start) for word in self.words)


def _trailing_letters(token: str) -> str:
    match = re.search(rf"{_LETTERS}+$", token)
    return match.group() if match else ""


def _leading_letters(token: str) -> str:
    match = re.match(rf"{_LETTERS}+", token)
    return match.group() if match else ""


def keeps_hyphen(left: str, right: str, vocabulary: Vocabulary) -> bool:
    """Decide whether the hyphen ending `left` (a token ending in "-") belongs to the word.

    `right` is the first token of the next line. The hyphen is removed only on evidence that a
    word was broken: the joined form occurs in the document and the hyphenated form does not.
    """
    stem = left[:-1]
    first = _trailing_letters(stem)
    second = _leading_letters(right)
    if not first or not second or "/" in stem or "." in stem:
        return True  # numbers ("2-ден"), symbols, URLs and paths keep the hyphen
    if len(first) > 1 and first.isupper():
        return True  # acronym + suffix: "ҰАТ-тың", "ҮЕҰ-ның"
    if not _LOWER_START.match(second):
        return True  # "Алматы-Астана", "COVID-19"
    first, second = first.lower(), second.lower()
    if vocabulary.has_hyphenated(first, second):
        return True
    if first + second in vocabulary.words:
        return False
    if first in COMPOUND_FIRST_PARTS or first in vocabulary.first_parts:
        return True
    return not (len(first) >= 3 and vocabulary.has_word_starting(first + second[:3]))


def join_lines(lines: list[str], vocabulary: Vocabulary) -> str:
    """Join the lines of one paragraph or heading into one line, repairing line-end hyphens."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith("-") and line:
            left = text.rsplit(None, 1)[-1]
            right = line.split(None, 1)[0]
            text = (text if keeps_hyphen(left, right, vocabulary) else text[:-1]) + line
        else:
            text = f"{text} {line}"
    return tidy_spaces(text)


def tidy_spaces(text: str) -> str:
    """Collapse runs of spaces; drop spaces after a hyphen inside a word and before punctuation."""
    text = re.sub(r"\s+", " ", text)
    # "іс- әрекет" -> "іс-әрекет": the export split a hyphenated word; a dash has spaces both sides.
    text = re.sub(rf"(?<={_LETTERS})- +(?=[a-zа-яёәғқңөұүһі])", "-", text)
    text = re.sub(r" +(?=[,;:!?)»]|\.(?!\.))", "", text)
    text = re.sub(r"(?<=[(«]) +", "", text)
    return text.strip()
