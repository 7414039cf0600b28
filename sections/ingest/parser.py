"""Parse the text of a Country Report into sections and paragraphs of its layout's outline.

The input is plain text as the readers produce it: PDF-to-text output (hard-wrapped, with or
without blank lines), Markdown saved from the web page, or DOCX paragraphs with "#" headings.
The parser first detects the layout (`sections.taxonomy.LAYOUTS`) from the numbered and
lettered headings it finds, then walks the lines once: it finds headings, maps them onto the
layout by title and order rather than by the printed letters (which are sometimes wrong), and
splits the body text into paragraphs. Everything it corrects or cannot place is reported in
`ParsedReport.warnings`. The work is linear in the size of the text.
"""

import functools
import re
from dataclasses import dataclass, field

from sections import taxonomy
from sections.ingest.cleaning import (
    SENTENCE_END,
    STARTS_LOWER,
    Vocabulary,
    clean_lines,
    join_lines,
    read_markdown,
)
from sections.ingest.errors import IngestError, gettext_noop
from sections.ingest.language import detect_language

# A wrapped line's text plus the next word fills at least this share of the block's width;
# in the seed, sentence-final lines followed by a new paragraph fill at most 0.90 and
# sentence-final lines inside a paragraph at least 0.96.
PARAGRAPH_END_FILL = 0.93

# Blocks shorter than this many lines say little about the page width; use the document's.
MIN_LINES_FOR_WIDTH = 3

# A line this long was never wrapped (Markdown, DOCX: one paragraph a line), so its end is a
# paragraph end; PDF text wraps at 80 to 130 characters.
UNWRAPPED_LINE_CHARS = 250

# A heading is at most this many printed lines (the seed's longest, in section 6, has three).
MAX_HEADING_LINES = 4
MAX_HEADING_CHARS = 250

# The admin preview lists warnings; past this many, the rest are counted in one line.
MAX_WARNINGS = 100

# "1 Бөлім.", "5-бөлім", "Section 1.", "Section 1 Respect…", "SECTION 2:", "Раздел 3."
SECTION_HEADING = re.compile(
    r"^(?:(?:section|раздел|бөлім)\s*(\d{1,2})|(\d{1,2})\s*-?\s*(?:бөлім|раздел))\b"
    r"\s*[.:–—-]?\s*(.*)$",
    re.IGNORECASE,
)
# "1. Respect for…": read as a section only when the title names one of the layout's.
BARE_NUMBER_HEADING = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
LETTERED_HEADING = re.compile(r"^([a-zа-я])[.)]\s+(\S.*)$")
CAPITAL_LETTERED_HEADING = re.compile(r"^([A-ZА-Я])[.)]\s+(\S.*)$")
LABEL_ONLY = re.compile(
    r"^((section|раздел|бөлім)\s*\d{1,2}\s*[.:]?|\d{1,2}\s*-?\s*(бөлім|раздел)\.?|[a-zа-я][.)])$",
    re.IGNORECASE,
)
STARTS_PARAGRAPH = re.compile(r"^([\dA-ZА-ЯЁӘҒҚҢӨҰҮҺІ\"«“(–—-]|https?://|www\.)")
# "Abusive Physical Conditions:  The…": a capitalised label, a colon, then the text.
RUN_IN_LABEL = re.compile(r"^([A-Z][^.:;!?]{0,100}?) ?:(\s*)")
# A list item printed on its own line: "1. The law…", "2) …", "• …".
LIST_ITEM = re.compile(r"^(\d{1,2}[.)]|[•▪●◦·–-])\s+\S")
MAX_RUN_IN_WORDS = 7
# After the two spaces of PDF text, longer labels occur ("Detainee's Ability to Challenge
# Lawfulness of Detention before a Court:").
MAX_SPACED_RUN_IN_WORDS = 12
# Sentence punctuation inside a heading means it is running text, not a heading.
NOT_IN_HEADING = re.compile(r"[.:;!?]")
# Kazakh reports print Latin letters or their Cyrillic look-alikes; Russian ones count а, б, в…
KAZAKH_LETTERS = str.maketrans("авсдеfg", "abcdefg")
RUSSIAN_ALPHABET = "абвгдежзик"
LATIN_ALPHABET = "abcdefghij"
# English titles are in title case: a line continues a heading when every word of it but
# these small ones starts with a capital ("International and Nongovernmental Monitoring and").
SMALL_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with within without toward towards "
    "against including regarding between under over upon before after during per".split()
)
# A heading line ending in one of these (or a comma) goes on to the next line.
OPEN_ENDINGS = SMALL_WORDS | frozenset("и или в во на с со к по для от о об және мен".split())
# The series name printed above the country's title in State Department PDFs.
SERIES_LINE = re.compile(
    r"^(country reports on human rights practices|доклады? о (соблюдении|положении) прав "
    r"человека|адам құқықтарының сақталуы туралы)",
    re.IGNORECASE,
)
# The release note under the title of older reports ("Released by the Bureau of Democracy,
# Human Rights, and Labor", "March 4, 2002"): its date is not the report's year.
RELEASE_LINE = re.compile(
    r"^(released by\b|(january|february|march|april|may|june|july|august|september|october"
    r"|november|december) \d{1,2}, \d{4}$)",
    re.IGNORECASE,
)
# Scores of layout detection: a numbered section the layout lacks, or one whose title does
# not fit its entry, counts against it; a letter that agrees with the title, for it.
# A real report has under a hundred labelled headings; the first ones decide the layout.
MAX_DETECTION_HEADINGS = 300
# A table of contents: at least this many sections, each at most this many lines from the last.
MIN_CONTENTS_SECTIONS = 3
MAX_CONTENTS_GAP = 4
CONTENTS_TITLE = re.compile(
    r"^(table of contents|contents|мазмұны|содержание|оглавление)$", re.IGNORECASE
)
# A line names a sub-heading on its own when that sub-heading's patterns match this share of it.
WHOLE_LINE_SHARE = 0.8
MISSING_SECTION = -10
WRONG_TITLE = -5
LETTER_AGREES = 5


@dataclass
class ParsedSection:
    """One section of the outline as found in the report; paragraphs are plain text."""

    code: str
    title: str
    parent: str | None
    order: int
    topics: list[str]
    paragraphs: list[str] = field(default_factory=list)
    printed_label: str = ""

    def first_words(self, count: int = 12) -> str:
        """The start of the first paragraph, for a preview of where the split fell."""
        if not self.paragraphs:
            return ""
        words = self.paragraphs[0].split()
        return " ".join(words[:count]) + (" …" if len(words) > count else "")


@dataclass
class ParsedReport:
    """The whole parsed report: its title, layout, sections in document order, and warnings."""

    title: str
    sections: list[ParsedSection]
    warnings: list[str] = field(default_factory=list)
    layout: str = taxonomy.DEFAULT_LAYOUT
    detected_language: str | None = None

    @property
    def paragraph_count(self) -> int:
        """Number of paragraphs in all sections."""
        return sum(len(section.paragraphs) for section in self.sections)

    def mismatches(self, year: int, language: str) -> list[tuple[str, dict]]:
        """What contradicts the year and language the uploader chose, as message templates
        with their values: the title names other years, or the text is in another language."""
        found = []
        years = sorted({int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", self.title)})
        if years and year not in years:
            found.append(
                (
                    gettext_noop("The title says %(found)s but the year chosen is %(year)s."),
                    {"found": ", ".join(map(str, years)), "year": year},
                )
            )
        if self.detected_language and self.detected_language != language:
            # "found" and "chosen" are language codes; see named().
            found.append(
                (
                    gettext_noop("The text looks %(found)s but the language chosen is %(chosen)s."),
                    {"found": self.detected_language, "chosen": language},
                )
            )
        return found

    def to_dict(self, country: str, year: int, language: str) -> dict:
        """The structure printed by `import_report --dry-run --json`."""
        return {
            "title": self.title,
            "country": country,
            "year": year,
            "language": language,
            "layout": self.layout,
            "sections": [
                {
                    "code": section.code,
                    "title": section.title,
                    "parent": section.parent,
                    "topics": list(section.topics),
                    "paragraphs": len(section.paragraphs),
                    "first_words": section.first_words(),
                }
                for section in self.sections
            ],
            "paragraphs": self.paragraph_count,
            "warnings": list(self.warnings),
            "mismatches": [
                {"message": template % named(values), "template": template, "values": values}
                for template, values in self.mismatches(year, language)
            ],
        }


LANGUAGE_NAMES = {"kk": "Kazakh", "en": "English", "ru": "Russian"}


def named(values: dict, names: dict = LANGUAGE_NAMES) -> dict:
    """Mismatch values with the language codes (found, chosen) written as names."""
    return {k: names.get(v, v) if k in ("found", "chosen") else v for k, v in values.items()}


@dataclass
class Heading:
    """A printed heading: its label ("2 Бөлім.", "f.", "" for none) and one-line title."""

    label: str
    title: str
    first_line: int
    end_line: int  # index of the first line after the heading
    number: str = ""  # the section number of a numbered heading
    bare_number: bool = False  # "1. Title" rather than "Section 1."
    at_start: bool = True  # at a paragraph start (not right after an unfinished sentence)


def parse_report(text: str, language: str | None = None) -> ParsedReport:
    """Parse report text into its layout's outline; raise IngestError if it has none.

    `language` (kk, en, ru) is the report's language as the uploader says; it only decides
    how printed letters are read (headings of every language are recognised). When None,
    it is detected from the text.
    """
    lines = clean_lines(text)
    if not any(lines):
        raise IngestError(gettext_noop("the report is empty: it contains no text"))
    lines, markdown_headings = read_markdown(lines)
    if not any(lines):
        raise IngestError(gettext_noop("the report is empty: it contains no text"))
    contents = contents_list(lines)
    if contents:
        lines = lines[: contents.start] + [""] * len(contents) + lines[contents.stop :]
    detected = detect_language(text)
    language = language or detected or "en"
    vocabulary = Vocabulary.from_lines(lines)
    layout = detect_layout(lines, vocabulary, language)
    report = _Parser(lines, layout, language, vocabulary, markdown_headings).parse()
    report.detected_language = detected
    if contents:
        report.warnings.insert(
            0, f"a table of contents ({len(contents)} lines) before the text was left out"
        )
    return report


def contents_list(lines: list[str]) -> range | None:
    """The lines of a table of contents listing the section headings before the text (state.gov
    pages copied from a browser), or None.

    A contents list is a run of at least MIN_CONTENTS_SECTIONS numbered section headings with
    no text between them (only other headings, a few lines apart), in the first part of the
    document, whose first section is printed again after it. A "Table of Contents" line and
    the opening's title just before it belong to it.
    """
    limit = max(len(lines) // 3, 1)
    labelled = [i for i in range(limit) if lines[i] and split_label(lines[i])]
    run: list[int] = []
    for position in labelled:
        if run and position - run[-1] > MAX_CONTENTS_GAP:
            if _is_contents(lines, run):
                break
            run = []
        run.append(position)
    if not _is_contents(lines, run):
        return None
    start, end = run[0], run[-1] + 1
    while end < len(lines) and lines[end] and continues_title(lines[end]):
        end += 1  # the last entry's wrapped title
    before = start - 1
    while before >= 0 and before >= start - 4:
        line = lines[before]
        if line and (CONTENTS_TITLE.match(line) or _names_opening(line)):
            start = before
        elif line:
            break
        before -= 1
    return range(start, end)


def _is_contents(lines: list[str], run: list[int]) -> bool:
    labels = [split_label(lines[i]) for i in run]
    # Entries are section headings of some layout by title, not a numbered list of points.
    sections = [int(n) for _, title, n, _ in labels if n and _names_a_section(n, title)]
    if len(set(sections)) < MIN_CONTENTS_SECTIONS or sections != sorted(sections):
        return False
    first = sections[0]
    return any(
        (parts := split_label(line)) and parts[2] and int(parts[2]) == first
        for line in lines[run[-1] + 1 :]
        if line
    )


def _names_a_section(number: str, title: str) -> bool:
    code = str(int(number))
    return any(
        code in {e.code for e in layout.entries} and title_score(title, layout.entry(code))
        for layout in taxonomy.LAYOUTS.values()
    )


def _names_opening(line: str) -> bool:
    return any(
        subject_score(line, taxonomy.SUBJECTS[key]) >= WHOLE_LINE_SHARE * len(heading_key(line))
        for key in ("summary", "intro")
    )


def heading_key(title: str) -> str:
    """A printed title as compared with the outline's patterns: lower case, single spaces."""
    return " ".join(title.lower().split())


def title_score(title: str, outline_entry: taxonomy.OutlineEntry) -> int:
    """How well a printed title matches an entry: characters matched by its patterns."""
    return subject_score(title, outline_entry.subject)


def subject_score(title: str, subject: taxonomy.Subject) -> int:
    """Characters of a printed title matched by a subject's patterns, in any language."""
    key = heading_key(title)
    score = 0
    for pattern in _patterns(subject.key):
        match = pattern.search(key)
        if match:
            score += max(len(match.group()), 1)
    return score


@functools.cache
def _patterns(subject_key: str) -> tuple[re.Pattern, ...]:
    subject = taxonomy.SUBJECTS[subject_key]
    return tuple(
        re.compile(pattern)
        for language in taxonomy.LANGUAGES
        for pattern in subject.wording(language).patterns
    )


def best_subject(title: str) -> taxonomy.Subject | None:
    """The subject of any layout that a title names best, or None."""
    scored = [(subject_score(title, s), s) for s in taxonomy.SUBJECTS.values()]
    score, subject = max(scored, key=lambda pair: pair[0])
    return subject if score else None


def ends_sentence(line: str) -> bool:
    """Does the line end with sentence-final punctuation (maybe followed by a quote)?"""
    return bool(SENTENCE_END.search(line))


def printed_length(line: str) -> int:
    """Length of a line with runs of spaces counted once (justified PDF text stretches them)."""
    return len(" ".join(line.split()))


def is_title_case(line: str) -> bool:
    """Is every word of the line but small ones capitalised, as in an English heading line?"""
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(significant) and all(w[0].isupper() for w in significant)


def is_complete(title: str) -> bool:
    """Can a heading end here, or does its last word ("of", "and", a comma) ask for more?"""
    if title.endswith(","):
        return False
    words = title.split()
    return not words or words[-1].lower() not in OPEN_ENDINGS


def block_widths(lines: list[str]) -> list[int]:
    """For each line, the printed width (in characters) of the block of lines it is in."""
    lengths = sorted(printed_length(line) for line in lines if line)
    overall = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    widths = [0] * len(lines)
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and lines[end]:
            end += 1
        block = lines[start:end]
        width = max(map(printed_length, block), default=0)
        if len(block) < MIN_LINES_FOR_WIDTH:
            width = max(width, overall)
        widths[start:end] = [width] * len(block)
        start = end + 1
    return widths


def is_paragraph_end(line: str, next_line: str, width: int) -> bool:
    """Does `line` end a paragraph although `next_line` follows it without a blank line?

    True when the line was never wrapped, or when it ends a sentence, the next line starts
    like a paragraph, and the next line's first word would have fitted on this line: a
    wrapped line is full.
    """
    if printed_length(line) > UNWRAPPED_LINE_CHARS:
        return True
    if LIST_ITEM.match(next_line) and (ends_sentence(line) or line.endswith(":")):
        return True
    if not (ends_sentence(line) and STARTS_PARAGRAPH.match(next_line)):
        return False
    if starts_with_run_in_label(next_line):
        return True
    first_word = next_line.split(None, 1)[0]
    return printed_length(line) + 1 + len(first_word) < PARAGRAPH_END_FILL * width


def starts_with_run_in_label(line: str) -> bool:
    """Does the line open with an English run-in label ("Refoulement:  In December…",
    "Wage, Hour, and OSH Enforcement:  The…")? Such a label starts a paragraph even when the
    line before was full. One-word labels need the two spaces PDF text puts after them."""
    match = RUN_IN_LABEL.match(line)
    if not match:
        return False
    label, spacing = match.group(1), match.group(2)
    words = label.split()
    limit = MAX_SPACED_RUN_IN_WORDS if len(spacing) > 1 else MAX_RUN_IN_WORDS
    return (
        len(words) <= limit
        and is_title_case(label)
        and (len(words) > 1 or len(spacing) > 1 or not line[match.end() :].strip())
    )


def split_label(text: str) -> tuple[str, str, str, bool] | None:
    """(label, title, section number, bare number?) of a numbered or lettered heading line.

    A title starts with a capital ("Section 5 of the Criminal Code…" is a sentence); a bare
    "1. …" line ending in a period is a list item; a capital letter label ("A.") needs a
    title in capitals ("A. ARBITRARY DEPRIVATION OF LIFE…").
    """
    numbered = SECTION_HEADING.match(text)
    if numbered:
        if STARTS_LOWER.match(numbered.group(3)):
            return None
        number = numbered.group(1) or numbered.group(2)
        return text[: numbered.start(3)].strip(), numbered.group(3), number, False
    bare = BARE_NUMBER_HEADING.match(text)
    if bare:
        if bare.group(2).rstrip().endswith(".") or STARTS_LOWER.match(bare.group(2)):
            return None
        return text[: bare.start(2)].strip(), bare.group(2), bare.group(1), True
    lettered = LETTERED_HEADING.match(text)
    if lettered and not STARTS_LOWER.match(lettered.group(2)):
        return text[: lettered.start(2)].strip(), lettered.group(2), "", False
    capital = CAPITAL_LETTERED_HEADING.match(text)
    if capital and capital.group(2).isupper():
        return text[: capital.start(2)].strip(), capital.group(2), "", False
    return None


def is_label_only(line: str) -> bool:
    """Is the line a label whose title is printed on the next line ("Section 1." / "b.")?"""
    return bool(LABEL_ONLY.match(line))


def clean_title(title: str, allow_colon: bool = False) -> str | None:
    """A heading's title without the trailing period or colon; None if it reads as a sentence.

    "Section N" titles may hold a colon ("Respect for Political Rights: The Right of…").
    """
    title = title.strip().rstrip(".:").strip()
    if not title or NOT_IN_HEADING.search(title.replace(":", "") if allow_colon else title):
        return None
    return title


def letter_code(label: str, parent: str | None, language: str) -> str:
    """The outline code a printed letter names literally: "f." under 2 -> "2f"."""
    letter = label[0].lower()
    if language == "ru" and letter in RUSSIAN_ALPHABET:
        letter = LATIN_ALPHABET[RUSSIAN_ALPHABET.index(letter)]
    else:
        letter = letter.translate(KAZAKH_LETTERS)
    return f"{parent}{letter}"


def continues_title(line: str) -> bool:
    """May this line be the next line of a heading (lower case start, or English title case)?"""
    return bool(line) and (bool(STARTS_LOWER.match(line)) or is_title_case(line))


def detect_layout(lines: list[str], vocabulary: Vocabulary, language: str) -> taxonomy.Layout:
    """The layout whose outline explains the report's numbered and lettered headings best.

    Decided from the headings, never from the year (layouts changed in different years for
    different countries). Ties go to the layout listed first in `taxonomy.LAYOUTS` after the
    default one.
    """
    headings = _labelled_headings(lines, vocabulary, MAX_DETECTION_HEADINGS)
    candidates = sorted(
        taxonomy.LAYOUTS.values(), key=lambda layout: layout.slug != taxonomy.DEFAULT_LAYOUT
    )
    return max(candidates, key=lambda layout: _layout_score(layout, headings, language))


def _labelled_headings(lines: list[str], vocabulary: Vocabulary, limit: int) -> list[tuple]:
    """(section number or "", bare?, label, title) of the first `limit` lines that read as a
    labelled heading."""
    found = []
    for position, line in enumerate(lines):
        if len(found) >= limit:
            break
        if not line or len(line) > MAX_HEADING_CHARS or not line[0].isalnum():
            continue
        following = lines[position + 1] if position + 1 < len(lines) else ""
        if is_label_only(line) and following:
            line = f"{line} {following}"
            following = lines[position + 2] if position + 2 < len(lines) else ""
        parts = split_label(line)
        if parts is None:
            continue
        label, title, number, bare = parts
        if continues_title(following) and not split_label(following):
            title = join_lines([title, following], vocabulary, mend_words=True)
        title = clean_title(title, allow_colon=bool(number) and not bare)
        if title:
            found.append((number, bare, label, title))
    return found


def _layout_score(layout: taxonomy.Layout, headings, language: str) -> int:
    score = 0
    top = None
    for number, bare, label, title in headings:
        if number:
            try:
                outline_entry = layout.entry(str(int(number)))
            except KeyError:
                outline_entry = None
            matched = title_score(title, outline_entry) if outline_entry else 0
            if bare and not matched:
                continue  # a numbered list item
            top = str(int(number))
            if outline_entry is None:
                score += MISSING_SECTION
            else:
                score += matched or WRONG_TITLE
            continue
        if top is None:
            continue
        subsections = [e for e in layout.children(top) if e.kind == taxonomy.SUBSECTION]
        if not subsections:
            continue
        matched, best = max(((title_score(title, e), e) for e in subsections), key=_first)
        score += matched
        if matched and best.code == letter_code(label, top, language):
            score += LETTER_AGREES
    return score


# Subjects some layout prints as unlabelled headings (sub-headings, the opening).
UNLABELLED_SUBJECTS = tuple(
    {
        e.subject.key: e.subject
        for layout in taxonomy.LAYOUTS.values()
        for e in layout.entries
        if e.kind in (taxonomy.SUBHEADING, taxonomy.SUMMARY)
    }.values()
)


def _first(pair: tuple):
    return pair[0]


def _describe(outline_entry: taxonomy.OutlineEntry) -> str:
    return f"{outline_entry.code} ({outline_entry.short})"


class _Parser:
    """One parse of one report; holds the lines and the sections found so far."""

    def __init__(self, lines, layout, language, vocabulary, markdown_headings=frozenset()):
        self.lines: list[str] = lines
        self.layout: taxonomy.Layout = layout
        self.language: str = language
        self.vocabulary: Vocabulary = vocabulary
        self.markdown_headings = markdown_headings
        self.widths = block_widths(lines)
        self.sections: list[ParsedSection] = []
        self.by_code: dict[str, ParsedSection] = {}
        self.entries: dict[str, taxonomy.OutlineEntry] = {}  # entries used, ad-hoc ones too
        self.warnings: list[str] = []
        self.top: str | None = None  # current section code ("1".."7", "summary")
        self.lettered: str | None = None  # current lettered subsection code
        self.headings_found = 0
        self.opened_by_text: ParsedSection | None = None

    # --- driver -------------------------------------------------------------------------

    def parse(self) -> ParsedReport:
        """Walk the lines once, filing headings and paragraphs; then check the result."""
        title, position = self.report_title()
        pending: list[str] = []
        after_gap = False
        while position < len(self.lines):
            line = self.lines[position]
            if not line:
                after_gap = bool(pending)
                position += 1
                continue
            at_start = not pending or after_gap or ends_sentence(pending[-1])
            heading = self.read_heading(position, at_start)
            found = self.resolve(heading) if heading else None
            if found:
                self.add_paragraph(pending)
                pending, after_gap = [], False
                self.headings_found += found.kind != taxonomy.SUMMARY
                self.start_section(found, heading)
                position = heading.end_line
                continue
            if pending and self.starts_new_paragraph(pending[-1], line, position, after_gap):
                self.add_paragraph(pending)
                pending = []
            pending.append(line)
            after_gap = False
            position += 1
        self.add_paragraph(pending)
        if not self.headings_found:
            raise IngestError(
                gettext_noop(
                    "no recognizable section headings (such as 'Section 1.', '1 Бөлім.', "
                    "'Раздел 1.' or 'a. ...') were found: is this a Country Report on Human "
                    "Rights Practices?"
                )
            )
        if not any(section.paragraphs for section in self.sections):
            raise IngestError(
                gettext_noop(
                    "the report has %(count)d headings but no paragraphs of text under them"
                ),
                count=len(self.sections),
            )
        self.warn_missing()
        return ParsedReport(
            title=title,
            sections=self.sections,
            warnings=self.capped_warnings(),
            layout=self.layout.slug,
        )

    def capped_warnings(self) -> list[str]:
        if len(self.warnings) <= MAX_WARNINGS:
            return self.warnings
        rest = len(self.warnings) - MAX_WARNINGS
        return [*self.warnings[:MAX_WARNINGS], f"… and {rest} more warnings"]

    def report_title(self) -> tuple[str, int]:
        """The title and where the body starts.

        The title is the first lines up to a blank line or the first outline heading (PDF text
        has no blank lines); a long or sentence-like block is body text, not a title. The
        series name above the country's title ("Country Reports on Human Rights Practices for
        2023") is left out, and digits split by kerning ("202 3") are joined.
        """
        start = next(i for i, line in enumerate(self.lines) if line)
        end = start
        while (
            end < len(self.lines)
            and self.lines[end]
            and end - start <= MAX_HEADING_LINES
            and not self.opens_outline(end)
        ):
            end += 1
        block = self.lines[start:end]
        title = join_lines(block, self.vocabulary)
        if (
            end == start
            or end - start > MAX_HEADING_LINES
            or len(title) > MAX_HEADING_CHARS
            or ends_sentence(title)
        ):
            self.warnings.append("no report title found before the first heading or paragraph")
            return "", start
        kept = [line for line in block if not RELEASE_LINE.match(line)]
        if len(kept) > 1 and SERIES_LINE.match(kept[0]):
            kept = kept[1:]
        if kept != block:
            title = join_lines(kept, self.vocabulary)
        return join_split_years(title), end

    def opens_outline(self, position: int) -> bool:
        """Does a numbered, lettered or opening heading start here (so not the title)?"""
        if split_label(self.lines[position]):
            return True
        heading = self.read_heading(position, at_start=True)
        opening = self.layout.opening
        return bool(heading and title_score(heading.title, opening))

    def starts_new_paragraph(self, previous: str, line: str, position: int, after_gap: bool):
        """Does `line` start a new paragraph after `previous` (the pending paragraph's last)?"""
        if after_gap:
            # A run-in heading or a lead-in printed alone ("Соңғы сайлау:") goes with what follows.
            return not previous.endswith(":")
        return is_paragraph_end(previous, line, self.widths[position])

    # --- headings -----------------------------------------------------------------------

    def read_heading(self, position: int, at_start: bool) -> Heading | None:
        """The heading starting at `position`, if the lines there look like one.

        A heading continues on lines that start in lower case ("...ар-" / "намысын қорлайтын")
        or, in English, on title-case lines that are not a heading of their own; of the lengths
        that still read as a heading, the longest followed by a paragraph start wins, because
        PDF text may run a heading straight into its first paragraph. Away from a paragraph
        start only "Section N" headings count (a paragraph before one may lack its period).
        """
        if position in self.markdown_headings:
            heading = self.heading_shape(position, position + 1, at_start)
            return heading if heading and (at_start or heading.number) else None
        if not at_start and not SECTION_HEADING.match(self.lines[position]):
            return None
        shapes: list[tuple[Heading, bool]] = []
        end = position + 1
        if is_label_only(self.lines[position]) and self.lines[end : end + 1] not in ([], [""]):
            end += 1  # the title is on the next line
        while True:
            heading = self.heading_shape(position, end, at_start)
            if heading is None:
                break
            shapes.append((heading, self.starts_block(end) and is_complete(heading.title)))
            if not self.continues_heading(end, len(shapes), heading):
                break
            end += 1
        if not shapes:
            return None
        bounded = [heading for heading, followed_by_start in shapes if followed_by_start]
        heading = bounded[-1] if bounded else shapes[-1][0]
        if heading.label or heading.end_line - position > 1 or self.stands_alone(position):
            return heading
        return None

    def continues_heading(self, end: int, taken: int, heading: Heading) -> bool:
        """May line `end` continue `heading`, of `taken` lines so far?"""
        if end >= len(self.lines) or taken >= MAX_HEADING_LINES or end in self.markdown_headings:
            return False
        line = self.lines[end]
        if not line or split_label(line) or is_label_only(line):
            return False
        if ends_sentence(line) and is_complete(heading.title):
            return False  # "None." after a heading is its text
        if STARTS_LOWER.match(line) or not is_complete(heading.title):
            return True
        # A title-case line continues the heading unless it is a heading itself ("Women").
        return is_title_case(line) and not self.names_subheading(line)

    def names_subheading(self, line: str) -> bool:
        """Is this line, alone, an unlabelled heading of the layout (a sub-heading, a summary)?
        Its patterns must cover most of the line: "Gender Identity" ending a wrapped heading
        is not the sub-heading on sexual orientation and gender identity."""
        key = heading_key(line)
        return any(
            subject_score(line, subject) >= WHOLE_LINE_SHARE * len(key)
            for subject in UNLABELLED_SUBJECTS
        )

    def starts_block(self, position: int) -> bool:
        """Is `position` past the end, a blank line or a line that can start a paragraph?"""
        return (
            position >= len(self.lines)
            or not self.lines[position]
            or bool(STARTS_PARAGRAPH.match(self.lines[position]))
        )

    def heading_shape(self, start: int, end: int, at_start: bool = True) -> Heading | None:
        """Lines start..end as a heading (label and one-line title), if they read as one."""
        text = join_lines(self.lines[start:end], self.vocabulary, mend_words=True)
        if len(text) > MAX_HEADING_CHARS:
            return None
        parts = split_label(text)
        if parts:
            label, title, number, bare = parts
            title = clean_title(title, allow_colon=bool(number) and not bare)
            if not title:
                return None
            return Heading(label, title, start, end, number, bare, at_start)
        if NOT_IN_HEADING.search(text) or STARTS_LOWER.match(text):
            return None
        return Heading("", text, start, end, at_start=at_start)

    def stands_alone(self, position: int) -> bool:
        """Is the one-line candidate at `position` short, so not a wrapped line of a paragraph?"""
        following = position + 1
        if following >= len(self.lines) or not self.lines[following]:
            return True
        first_word = self.lines[following].split(None, 1)[0]
        fill = printed_length(self.lines[position]) + 1 + len(first_word)
        return fill < PARAGRAPH_END_FILL * self.widths[position]

    def resolve(self, heading: Heading) -> taxonomy.OutlineEntry | None:
        """The outline entry a heading names; None if it is not a heading of the outline."""
        if heading.number:
            return self.resolve_section(heading)
        if heading.label:
            return self.resolve_lettered(heading)
        return self.resolve_unlabelled(heading)

    def resolve_section(self, heading: Heading) -> taxonomy.OutlineEntry | None:
        """Map a numbered heading to a section of the layout, by number and title."""
        code = str(int(heading.number))
        try:
            printed = self.layout.entry(code)
        except KeyError:
            printed = None
        later = not (self.top or "").isdigit() or int(code) > int(self.top)
        if heading.bare_number and not (later and printed and title_score(heading.title, printed)):
            return None  # a numbered list item, not "1. Respect for the Integrity…"
        if code in self.by_code:
            self.warn(f"heading '{heading.label} {heading.title}' repeats section {code}; kept")
            return None
        known_title = printed is not None and title_score(heading.title, printed) > 0
        if not known_title and not (heading.at_start and heading.title[0].isupper()):
            return None  # "Section 5 of the Penal Code…" wrapped to the start of a line
        if printed and printed.kind == taxonomy.SECTION:
            if not known_title:
                self.warn(
                    f"printed '{heading.label}' has the title '{heading.title}', not the "
                    f"layout's '{printed.title('en')}'"
                )
            return printed
        return self.ad_hoc(code, None, taxonomy.SECTION, heading)

    def resolve_lettered(self, heading: Heading) -> taxonomy.OutlineEntry | None:
        """Map a lettered heading to a subsection, by printed letter, order and title.

        A title the layout does not have under this section keeps its printed letter as its
        code and takes its topics from whichever layout names that subject.
        """
        parent = self.top
        if parent is None or parent not in self.layout_codes():
            siblings = []
        else:
            siblings = [e for e in self.layout.children(parent) if e.kind == taxonomy.SUBSECTION]
        last = max((e.order for e in siblings if e.code in self.by_code), default=0)
        available = [e for e in siblings if e.code not in self.by_code and e.order > last]
        printed_code = letter_code(heading.label, parent or "", self.language)
        printed = next((e for e in available if e.code == printed_code), None)
        scores = {e.code: title_score(heading.title, e) for e in available}
        best = max(available, key=lambda e: scores[e.code], default=None)
        if printed and scores[printed.code]:
            return printed
        if best and scores[best.code]:
            self.warn(f"printed '{heading.label}' mapped to {_describe(best)}")
            return best
        subject = best_subject(heading.title)
        if printed and (subject is None or subject.key == printed.subject.key):
            self.warn(
                f"printed '{heading.label}' has an unknown title '{heading.title}'; "
                f"kept as {_describe(printed)}"
            )
            return printed
        if parent is None or taxonomy.kind_of(parent) != taxonomy.SECTION:
            return None
        # Letters printed out of order ("e. Internally Displaced…" then "f. … Refugees").
        skipped = [e for e in siblings if e.code not in self.by_code and e.order <= last]
        matched, earlier = max(
            ((title_score(heading.title, e), e) for e in skipped), key=_first, default=(0, None)
        )
        if matched:
            self.warn(f"printed '{heading.label}' mapped to {_describe(earlier)}")
            return earlier
        if printed_code in self.layout_codes() and subject is not None:
            # The layout's letter means another subject: a code of its own, not the layout's.
            code = f"{parent}-{subject.key}"
        elif printed_code not in self.entries:
            code = printed_code
        else:
            code = self.free_code(parent)
        if code is None and not available:
            self.warn(f"heading '{heading.label} {heading.title}' has no letter left; kept as text")
            return None
        if subject is None and available:
            self.warn(
                f"printed '{heading.label}' with an unknown title '{heading.title}' "
                f"mapped by order to {_describe(available[0])}"
            )
            return available[0]
        return self.ad_hoc(code, parent, taxonomy.SUBSECTION, heading, subject)

    def layout_codes(self) -> set[str]:
        return {e.code for e in self.layout.entries}

    def free_code(self, parent: str) -> str | None:
        """The first lettered code under `parent` not used in this report, if any is left."""
        return next(
            (
                f"{parent}{letter}"
                for letter in "abcdefghijklmnopqrstuvwxyz"
                if f"{parent}{letter}" not in self.entries
            ),
            None,
        )

    def ad_hoc(self, code, parent, kind, heading, subject=None) -> taxonomy.OutlineEntry | None:
        """An entry for a numbered or lettered heading this layout lacks, kept as printed."""
        if code is None or code in self.entries:
            self.warn(f"heading '{heading.label} {heading.title}' repeats {code}; kept as text")
            return None
        subject = subject or best_subject(heading.title)
        topics = subject.topics if subject else ()
        wording = taxonomy.Wording(heading.title)
        outline_entry = taxonomy.OutlineEntry(
            code=code,
            parent=parent,
            kind=kind,
            subject=taxonomy.Subject(
                key=code,
                short=subject.short if subject else heading.title[:40],
                kk=wording,
                en=wording,
                ru=wording,
                topics=topics,
            ),
        )
        about = f" ({', '.join(topics)})" if topics else " (no topic)"
        self.warn(
            f"'{heading.label} {heading.title}' is not in the {self.layout.slug} outline; "
            f"kept as {code}{about}"
        )
        return outline_entry

    def resolve_unlabelled(self, heading: Heading):
        """Map an unlabelled heading to the opening or a sub-heading of the current section."""
        candidates = [e for e in self.layout.entries if self.in_scope(e)]
        scored = [(title_score(heading.title, e), e) for e in candidates]
        scored = [(score, e) for score, e in scored if score]
        if not scored:
            return None
        found = max(scored, key=lambda pair: pair[0])[1]
        if found.code in self.by_code:
            opened = self.opened_by_text
            if opened is not None and opened.code == found.code and len(self.sections) == 1:
                return found  # the opening's heading after text that came before it
            if heading.end_line - heading.first_line == 1 and self.stands_alone(heading.first_line):
                self.warn(f"heading '{heading.title}' repeats {_describe(found)}; kept as text")
            return None
        return found

    def in_scope(self, outline_entry: taxonomy.OutlineEntry) -> bool:
        """Could this unlabelled entry start here? The opening first; sub-headings in their
        section."""
        if outline_entry.kind == taxonomy.SUMMARY:
            return len(self.sections) <= 1 and self.top in (None, outline_entry.code)
        return outline_entry.kind == taxonomy.SUBHEADING and outline_entry.parent in (
            self.top,
            self.lettered,
        )

    # --- building sections --------------------------------------------------------------

    def start_section(self, outline_entry: taxonomy.OutlineEntry, heading: Heading) -> None:
        """Open the section for an entry and make it the current one at its level."""
        existing = self.by_code.get(outline_entry.code)
        if existing is not None:
            # Text came before the opening's own heading: it is that section's first text.
            existing.title = heading.title
            existing.printed_label = heading.label
            self.opened_by_text = None
            self.warnings.remove(self.opening_warning(outline_entry))
            self.warn(
                f"{len(existing.paragraphs)} paragraphs before the heading "
                f"'{heading.title}' were filed under it"
            )
            return
        self.add_section(outline_entry, heading)
        if outline_entry.kind in (taxonomy.SECTION, taxonomy.SUMMARY):
            self.top, self.lettered = outline_entry.code, None
        elif outline_entry.kind == taxonomy.SUBSECTION:
            self.lettered = outline_entry.code

    def add_section(self, outline_entry: taxonomy.OutlineEntry, heading: Heading) -> None:
        """Append a ParsedSection for the entry."""
        section = ParsedSection(
            code=outline_entry.code,
            title=heading.title,
            parent=outline_entry.parent,
            order=len(self.sections) + 1,
            topics=list(outline_entry.topics),
            printed_label=heading.label,
        )
        self.sections.append(section)
        self.by_code[section.code] = section
        self.entries[section.code] = outline_entry

    def opening_warning(self, opening: taxonomy.OutlineEntry) -> str:
        return f"text before the first heading was filed under the {opening.short}"

    def add_paragraph(self, lines: list[str]) -> None:
        """File one paragraph in the current section (the opening if no heading came yet)."""
        if not lines:
            return
        if not self.sections:
            opening = self.layout.opening
            self.warn(self.opening_warning(opening))
            title = opening.title(self.language)
            self.start_section(opening, Heading("", title, -1, -1))
            self.opened_by_text = self.sections[-1]
        text = join_lines(lines, self.vocabulary)
        if len(lines) == 1 and self.looks_like_heading(text):
            self.warn(f"heading-like line not in the outline, kept as text: '{text}'")
        self.sections[-1].paragraphs.append(text)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @staticmethod
    def looks_like_heading(text: str) -> bool:
        """A short line without sentence punctuation: probably a heading the outline lacks."""
        return len(text) < 80 and not NOT_IN_HEADING.search(text[-1]) and text[0].isupper()

    def warn_missing(self) -> None:
        """Warn about sections and lettered subsections of the outline the report lacks."""
        printed_tops = {s.code for s in self.sections if s.parent is None}
        subjects_found = {e.subject.key for e in self.entries.values()}
        for outline_entry in self.layout.entries:
            if (
                outline_entry.code in self.by_code
                or outline_entry.subject.optional
                or outline_entry.subject.key in subjects_found  # printed under another code
            ):
                continue
            is_top = outline_entry.kind == taxonomy.SECTION
            is_lettered_here = (
                outline_entry.kind == taxonomy.SUBSECTION and outline_entry.parent in printed_tops
            )
            if is_top or is_lettered_here:
                self.warn(f"no heading found for {_describe(outline_entry)}")


def join_split_years(text: str) -> str:
    """Join a year that PDF kerning split ("for 202 3" -> "for 2023")."""

    def joined(match: re.Match) -> str:
        digits = match.group(1) + match.group(2)
        return digits if len(digits) == 4 and 1900 <= int(digits) <= 2100 else match.group()

    return re.sub(r"\b(\d{1,3}) (\d{1,3})\b", joined, text)
