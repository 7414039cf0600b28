"""Text clean-up for PDF-to-text output: page markers, line-end hyphens, stray spaces.

Pure functions on strings and lists of lines; the parser decides what a heading or a paragraph
is, this module only repairs the text inside them.
"""

import bisect
import html
import itertools
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
_AS_SPACE = "\u00a0\u2007\u202f\u2009\u200a\t\v"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_HTML_ENTITY = re.compile(
    r"&(#\d{2,6}|#x[0-9a-fA-F]{2,5}|amp|nbsp|quot|lt|gt|rsquo|lsquo|rdquo|ldquo|ndash|mdash);"
)
_REPLACEMENT = {**dict.fromkeys(_AS_SPACE, " "), **dict.fromkeys(_INVISIBLE, "")}
_ODD_CHARACTER = re.compile(f"[{_AS_SPACE}{_INVISIBLE}]")

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
STARTS_LOWER = re.compile(r"^[a-zа-яёәғқңөұүһі]")
_IN_LINE_WORD = re.compile(rf"{_LETTERS}+(?:-{_LETTERS}+)*")


def normalize(text: str) -> str:
    """Unicode NFC, "\\n" line ends, odd spaces as plain spaces, invisible characters removed,
    HTML entities of a web page saved raw ("&amp;", "&#8217;") read as their characters."""
    if _HTML_ENTITY.search(text):
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # str.translate walks the whole text in Python-level steps; most texts have none of these.
    return _ODD_CHARACTER.sub(lambda match: _REPLACEMENT[match.group()], text)


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


# A line repeated at least this often, and at least once per this many lines, is a running
# page header or footer ("KAZAKHSTAN 2023 HUMAN RIGHTS REPORT"), not text.
MIN_FURNITURE_REPEATS = 5
FURNITURE_EVERY_LINES = 300
SENTENCE_END = re.compile(r"[.!?][\"»”’)]*$")


_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_URL_LINE = re.compile(r"^https?://\S+(\s+\S+)?$")


def furniture_key(line: str) -> str | None:
    """The shape a running header or footer keeps from page to page (its numbers as "#"),
    or None for a line that cannot be one.

    Candidates: a bare page number; a URL with a date, as browsers print at the foot of each
    page; a capitalised line that is not a sentence, in capitals ("KAZAKHSTAN 2023 HUMAN
    RIGHTS REPORT", "RUSSIA 2") or of four words or more ("Kazakhstan Page 3 of 9").
    """
    if len(line) >= 400:
        return None
    # PDF layout text pads a footer with spaces up to its page number: compare it collapsed.
    line = " ".join(line.split())
    if len(line) >= 120:
        return None
    if _PAGE_NUMBER.match(line) or _URL_LINE.match(line):
        return _DIGITS.sub("#", line)
    if not line[0].isupper() or SENTENCE_END.search(line):
        return None
    words = line.split()
    if len(words) >= 4 or (len(words) >= 2 and line.isupper()):
        return _DIGITS.sub("#", line)
    return None


def drop_running_lines(lines: list[str]) -> list[str]:
    """Remove page headers and footers: short lines of one shape repeated all through the
    document. A repeated sentence ("Not applicable.") is text and stays."""
    keys = [furniture_key(line.strip()) if line.strip() else None for line in lines]
    counts: dict[str, int] = {}
    for key in keys:
        if key:
            counts[key] = counts.get(key, 0) + 1
    running = {
        key
        for key, count in counts.items()
        if count >= MIN_FURNITURE_REPEATS and count * FURNITURE_EVERY_LINES >= len(lines)
    }
    if not running:
        return lines
    return drop_page_markers(
        ["\f" if key in running else line for line, key in zip(lines, keys, strict=True)]
    )


def clean_lines(text: str) -> list[str]:
    """Normalized text as stripped lines ("" for blank ones), page furniture removed."""
    lines = drop_running_lines(drop_page_markers(normalize(text).split("\n")))
    return mend_split_letters([line.strip() for line in lines])


def mend_split_letters(lines: list[str]) -> list[str]:
    """Put a lone letter or two back on the word it was split from ("P" / "olitically ...").

    PDF text sometimes breaks a heading mid-word with its first letters alone on a line: a
    capital and at most one more letter alone, followed by a line starting in lower case, is
    such a piece (a short word alone on a line would have fitted on the line before).
    """
    mended: list[str] = []
    position = 0
    while position < len(lines):
        line = lines[position]
        following = lines[position + 1] if position + 1 < len(lines) else ""
        if (
            0 < len(line) <= 2
            and line.isalpha()
            and line[0].isupper()
            and STARTS_LOWER.match(following)
        ):
            mended.append(line + following)
            position += 2
            continue
        mended.append(line)
        position += 1
    return mended


# "## Title" (a closing run of "#" is stripped in code: a lazy regex would be quadratic).
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(\S.*)$")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_MARKDOWN_RULE = re.compile(r"^(\*{3,}|-{3,}|_{3,})$")
_MARKDOWN_BOLD_LINE = re.compile(r"^(\*\*|__)([^*_].*?)\1$")
_SETEXT_UNDERLINE = re.compile(r"^(={3,}|-{3,})$")
# A text with at least this many "#" heading lines is Markdown (a web page saved as text).
MIN_MARKDOWN_HEADINGS = 3


def markdown_headings(lines: list[str]) -> dict[int, str]:
    """{line index: heading text} of the Markdown headings: "#" lines, lines wholly in bold
    ("**Section 1. …**"), and setext headings (text underlined with === or ---, the underline
    included with an empty text)."""
    found: dict[int, str] = {}
    for position, line in enumerate(lines):
        hashed = MARKDOWN_HEADING.match(line)
        bold = _MARKDOWN_BOLD_LINE.match(line)
        if hashed:
            found[position] = hashed.group(1).rstrip("# \t")
        elif bold:
            found[position] = bold.group(2).strip()
        elif _SETEXT_UNDERLINE.match(line) and position and lines[position - 1]:
            found[position - 1] = lines[position - 1]
            found[position] = ""
    return found


def read_markdown(lines: list[str]) -> tuple[list[str], set[int]]:
    """Markdown mark-up removed, and the indexes of the lines that were headings.

    Text with fewer than MIN_MARKDOWN_HEADINGS headings is not Markdown and is returned as it
    is, so a report quoting a "# hashtag" keeps it.
    """
    headings = markdown_headings(lines)
    if len(headings) < MIN_MARKDOWN_HEADINGS:
        return lines, set()
    plain = []
    for position, line in enumerate(lines):
        if position in headings:
            line = headings[position]
        elif _MARKDOWN_RULE.match(line):
            line = ""
        line = _MARKDOWN_LINK.sub(r"\1 (\2)", line)
        plain.append(_MARKDOWN_EMPHASIS.sub(r"\2", line).strip())
    return plain, {position for position, text in headings.items() if text}


VOCABULARY_SLICE_LINES = 2000


@dataclass
class Vocabulary:
    """Word forms printed inside lines of one document: the evidence for hyphen repair.

    Look-ups are a set probe or a binary search, so repairing every line end of a large
    report stays linear in its size.
    """

    words: set[str] = field(default_factory=set)
    # (part, first 1-3 letters of the next part) for each hyphen inside a printed word.
    hyphen_pairs: set[tuple[str, str]] = field(default_factory=set)
    first_parts: set[str] = field(default_factory=set)
    # Words seen after the start of a line: surely whole words, not the end of a broken one.
    inside_lines: set[str] = field(default_factory=set)
    _sorted: list[str] | None = field(default=None, repr=False)

    @classmethod
    def from_lines(cls, lines: list[str]) -> "Vocabulary":
        """Collect word forms from the lines, leaving out the broken word at each line end."""
        vocabulary = cls()
        found: set[str] = set()
        # In slices, so memory holds one slice's words at a time, not every word of the text.
        for start in range(0, len(lines), VOCABULARY_SLICE_LINES):
            piece = [
                line[:-1] if line.endswith("-") else line
                for line in lines[start : start + VOCABULARY_SLICE_LINES]
            ]
            found.update(_IN_LINE_WORD.findall("\n".join(piece).lower()))
            # A line's first word may be the end of a word broken at the line before.
            inside = "\n".join(line.split(" ", 1)[1] if " " in line else "" for line in piece)
            vocabulary.inside_lines.update(_IN_LINE_WORD.findall(inside.lower()))
        for word in found:
            vocabulary.add(word)
        return vocabulary

    def add(self, word: str) -> None:
        """Record one word form (lower case)."""
        if "-" in word:
            parts = word.split("-")
            self.first_parts.update(parts[:-1])
            for left, right in itertools.pairwise(parts):
                for size in range(1, 4):
                    self.hyphen_pairs.add((left, right[:size]))
        else:
            self.words.add(word)
            self._sorted = None

    def has_hyphenated(self, first: str, second: str) -> bool:
        """Does "first-second…" occur inside a line (compared on 3 letters of the second part)?"""
        return (first, second[:3]) in self.hyphen_pairs

    def has_word_starting(self, start: str) -> bool:
        """Does some unhyphenated word begin with `start`?"""
        if self._sorted is None:
            self._sorted = sorted(self.words)
        position = bisect.bisect_left(self._sorted, start)
        return position < len(self._sorted) and self._sorted[position].startswith(start)


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
    if not STARTS_LOWER.match(second):
        return True  # "Алматы-Астана", "COVID-19"
    first, second = first.lower(), second.lower()
    if vocabulary.has_hyphenated(first, second):
        return True
    if first + second in vocabulary.words:
        return False
    if first in COMPOUND_FIRST_PARTS or first in vocabulary.first_parts:
        return True
    return not (len(first) >= 3 and vocabulary.has_word_starting(first + second[:3]))


def join_lines(lines: list[str], vocabulary: Vocabulary, mend_words: bool = False) -> str:
    """Join the lines of one paragraph or heading into one line, repairing line-end hyphens.

    With `mend_words` (for headings), a word broken across lines without a hyphen
    ("Ref" / "ugees") is joined when only the joined form occurs in the document.
    """
    parts: list[str] = []
    for line in lines:
        if not parts:
            parts.append(line)
            continue
        previous = parts[-1]
        if previous.endswith("-") and line:
            left = previous.rsplit(None, 1)[-1]
            right = line.split(None, 1)[0]
            if not keeps_hyphen(left, right, vocabulary):
                parts[-1] = previous[:-1]
            parts.append(line)
        elif mend_words and line and is_broken_word(previous, line, vocabulary):
            parts.append(line)
        else:
            parts.append(" " + line)
    return tidy_spaces("".join(parts))


def is_broken_word(previous: str, line: str, vocabulary: Vocabulary) -> bool:
    """Was a word split between the end of `previous` and the start of `line`?"""
    left = _trailing_letters(previous)
    right = _leading_letters(line)
    if not left or not right or not STARTS_LOWER.match(right) or previous[-1:].isspace():
        return False
    joined = (left + right).lower()
    return joined in vocabulary.words and right.lower() not in vocabulary.inside_lines


# "іс- әрекет" -> "іс-әрекет": the export split a hyphenated word; a dash has spaces both sides.
_SPLIT_HYPHEN = re.compile(rf"(?<={_LETTERS})- +(?=[a-zа-яёәғқңөұүһі])")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +(?=[,;:!?)»]|\.(?!\.))")
_SPACE_AFTER_OPENING = re.compile(r"(?<=[(«]) +")


def tidy_spaces(text: str) -> str:
    """Collapse runs of spaces; drop spaces after a hyphen inside a word and before punctuation."""
    text = " ".join(text.split())
    if "- " in text:
        text = _SPLIT_HYPHEN.sub("-", text)
    text = _SPACE_BEFORE_PUNCTUATION.sub("", text)
    if "( " in text or "« " in text:
        text = _SPACE_AFTER_OPENING.sub("", text)
    return text
