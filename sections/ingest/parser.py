"""Parse the text of a Country Report into sections and paragraphs of the canonical outline.

The input is plain text as the readers produce it (PDF-to-text output for the seed). The
parser finds headings, maps them onto `sections.taxonomy` by order and title rather than by the
printed letters (which are sometimes wrong), and splits the body text into paragraphs.
Everything it corrects or cannot place is reported in `ParsedReport.warnings`.
"""

import re
from dataclasses import dataclass, field

from sections import taxonomy
from sections.ingest.cleaning import Vocabulary, clean_lines, join_lines
from sections.ingest.errors import IngestError

# A wrapped line's text plus the next word fills at least this share of the block's width;
# in the seed, sentence-final lines followed by a new paragraph fill at most 0.90 and
# sentence-final lines inside a paragraph at least 0.96.
PARAGRAPH_END_FILL = 0.93

# Blocks shorter than this many lines say little about the page width; use the document's.
MIN_LINES_FOR_WIDTH = 3

# A heading is at most this many printed lines (the seed's longest, in section 6, has three).
MAX_HEADING_LINES = 4
MAX_HEADING_CHARS = 250

SECTION_HEADING = re.compile(r"^(\d{1,2})\s*-?\s*бөлім\b\.?\s*(.*)$", re.IGNORECASE)
LETTERED_HEADING = re.compile(r"^([a-zа-я])[.)]\s+(\S.*)$")
SENTENCE_END = re.compile(r"[.!?][\"»”’)]*$")
STARTS_LOWER = re.compile(r"^[a-zа-яёәғқңөұүһі]")
STARTS_PARAGRAPH = re.compile(r"^([\dA-ZА-ЯЁӘҒҚҢӨҰҮҺІ\"«“(–—-]|https?://|www\.)")
# Sentence punctuation inside a heading means it is running text, not a heading.
NOT_IN_HEADING = re.compile(r"[.:;!?]")
# Cyrillic letters that look like the Latin subsection letters.
LETTER_LOOKALIKES = str.maketrans("авсдеfg", "abcdefg")


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


@dataclass
class ParsedReport:
    """The whole parsed report: its title, sections in document order, and warnings."""

    title: str
    sections: list[ParsedSection]
    warnings: list[str] = field(default_factory=list)

    @property
    def paragraph_count(self) -> int:
        """Number of paragraphs in all sections."""
        return sum(len(section.paragraphs) for section in self.sections)

    def to_dict(self, country: str, year: int, language: str) -> dict:
        """The structure printed by `import_report --dry-run --json`."""
        return {
            "title": self.title,
            "country": country,
            "year": year,
            "language": language,
            "sections": [
                {
                    "code": section.code,
                    "title": section.title,
                    "parent": section.parent,
                    "paragraphs": len(section.paragraphs),
                }
                for section in self.sections
            ],
            "paragraphs": self.paragraph_count,
            "warnings": list(self.warnings),
        }


@dataclass
class Heading:
    """A printed heading: its label ("2 Бөлім.", "f.", "" for none) and one-line title."""

    label: str
    title: str
    first_line: int
    end_line: int  # index of the first line after the heading


def parse_report(text: str) -> ParsedReport:
    """Parse report text into the canonical outline; raise IngestError if it has none."""
    lines = clean_lines(text)
    if not any(lines):
        raise IngestError("the report is empty: it contains no text")
    return _Parser(lines).parse()


def heading_key(title: str) -> str:
    """A printed title as compared with the outline's patterns: lower case, single spaces."""
    return " ".join(title.lower().split())


def title_score(title: str, outline_entry: taxonomy.OutlineEntry) -> int:
    """How well a printed title matches an entry: characters matched by its patterns."""
    key = heading_key(title)
    score = 0
    for pattern in outline_entry.kk_patterns:
        match = re.search(pattern, key)
        if match:
            score += max(len(match.group()), 1)
    return score


def ends_sentence(line: str) -> bool:
    """Does the line end with sentence-final punctuation (maybe followed by a quote)?"""
    return bool(SENTENCE_END.search(line))


def printed_length(line: str) -> int:
    """Length of a line with runs of spaces counted once (justified PDF text stretches them)."""
    return len(" ".join(line.split()))


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

    True when the line ends a sentence, the next line starts like a paragraph, and the
    next line's first word would have fitted on this line: a wrapped line is full.
    """
    if not (ends_sentence(line) and STARTS_PARAGRAPH.match(next_line)):
        return False
    first_word = next_line.split(None, 1)[0]
    return printed_length(line) + 1 + len(first_word) < PARAGRAPH_END_FILL * width


def _describe(outline_entry: taxonomy.OutlineEntry) -> str:
    return f"{outline_entry.code} ({outline_entry.short})"


class _Parser:
    """One parse of one report; holds the lines and the sections found so far."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.widths = block_widths(lines)
        self.vocabulary = Vocabulary.from_lines(lines)
        self.sections: list[ParsedSection] = []
        self.by_code: dict[str, ParsedSection] = {}
        self.warnings: list[str] = []
        self.top: str | None = None  # current section code ("1".."7", "summary")
        self.lettered: str | None = None  # current lettered subsection code
        self.headings_found = 0

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
            heading = self.read_heading(position) if at_start else None
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
                "no recognizable section headings (such as '1 Бөлім.' or 'a. ...') were found: "
                "is this a Country Report on Human Rights Practices?"
            )
        self.warn_missing()
        return ParsedReport(title=title, sections=self.sections, warnings=self.warnings)

    def report_title(self) -> tuple[str, int]:
        """The title and where the body starts.

        The title is the first lines up to a blank line or the first outline heading (PDF text
        has no blank lines); a long or sentence-like block is body text, not a title.
        """
        start = next(i for i, line in enumerate(self.lines) if line)
        end = start
        while (
            end < len(self.lines)
            and self.lines[end]
            and end - start <= MAX_HEADING_LINES
            and not self.opens_outline(self.read_heading(end))
        ):
            end += 1
        title = join_lines(self.lines[start:end], self.vocabulary)
        if (
            end == start
            or end - start > MAX_HEADING_LINES
            or len(title) > MAX_HEADING_CHARS
            or ends_sentence(title)
        ):
            self.warnings.append("no report title found before the first heading or paragraph")
            return "", start
        return title, end

    @staticmethod
    def opens_outline(heading: Heading | None) -> bool:
        """Is this a numbered, lettered or summary heading (so not the report's title)?"""
        summary = taxonomy.entry("summary")
        return bool(heading and (heading.label or title_score(heading.title, summary)))

    def starts_new_paragraph(self, previous: str, line: str, position: int, after_gap: bool):
        """Does `line` start a new paragraph after `previous` (the pending paragraph's last)?"""
        if after_gap:
            # A run-in heading or a lead-in printed alone ("Соңғы сайлау:") goes with what follows.
            return not previous.endswith(":")
        return is_paragraph_end(previous, line, self.widths[position])

    # --- headings -----------------------------------------------------------------------

    def read_heading(self, position: int) -> Heading | None:
        """The heading starting at `position`, if the lines there look like one.

        A heading continues on lines that start in lower case ("...ар-" / "намысын қорлайтын");
        of the lengths that still read as a heading, the longest followed by a paragraph start
        wins, because PDF text may run a heading straight into its first paragraph.
        """
        shapes: list[tuple[Heading, bool]] = []
        end = position + 1
        while True:
            heading = self.heading_shape(position, end)
            if heading is None:
                break
            shapes.append((heading, self.starts_block(end)))
            if not self.continues_heading(end, len(shapes)):
                break
            end += 1
        if not shapes:
            return None
        bounded = [heading for heading, followed_by_start in shapes if followed_by_start]
        heading = bounded[-1] if bounded else shapes[-1][0]
        if heading.label or heading.end_line - position > 1 or self.stands_alone(position):
            return heading
        return None

    def continues_heading(self, end: int, taken: int) -> bool:
        """May line `end` continue a heading of `taken` lines?"""
        return (
            end < len(self.lines)
            and taken < MAX_HEADING_LINES
            and bool(self.lines[end])
            and bool(STARTS_LOWER.match(self.lines[end]))
            and not LETTERED_HEADING.match(self.lines[end])
        )

    def starts_block(self, position: int) -> bool:
        """Is `position` past the end, a blank line or a line that can start a paragraph?"""
        return (
            position >= len(self.lines)
            or not self.lines[position]
            or bool(STARTS_PARAGRAPH.match(self.lines[position]))
        )

    def heading_shape(self, start: int, end: int) -> Heading | None:
        """Lines start..end as a heading (label and one-line title), if they read as one."""
        text = join_lines(self.lines[start:end], self.vocabulary)
        if len(text) > MAX_HEADING_CHARS:
            return None
        numbered = SECTION_HEADING.match(text) or LETTERED_HEADING.match(text)
        if numbered:
            label = text[: numbered.start(2)].strip()
            title = numbered.group(2).strip().rstrip(".").strip()
            if not title or NOT_IN_HEADING.search(title):
                return None
            return Heading(label, title, start, end)
        if NOT_IN_HEADING.search(text) or STARTS_LOWER.match(text):
            return None
        return Heading("", text, start, end)

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
        if heading.label[:1].isdigit():
            return self.resolve_numbered(heading, taxonomy.SECTION, None)
        if heading.label:
            return self.resolve_numbered(heading, taxonomy.SUBSECTION, self.top)
        return self.resolve_unlabelled(heading)

    def resolve_numbered(self, heading: Heading, kind: str, parent: str | None):
        """Map a numbered or lettered heading to an entry, by printed label, order and title."""
        siblings = [e for e in taxonomy.children(parent) if e.kind == kind]
        if not siblings:
            return None
        last = max((e.order for e in siblings if e.code in self.by_code), default=0)
        available = [e for e in siblings if e.code not in self.by_code and e.order > last]
        printed_code = self.printed_code(heading.label, parent)
        printed = next((e for e in available if e.code == printed_code), None)
        scores = {e.code: title_score(heading.title, e) for e in available}
        best = max(available, key=lambda e: scores[e.code], default=None)
        if printed and (scores[printed.code] or not best or not scores[best.code]):
            return printed
        if best and scores[best.code]:
            self.warnings.append(f"printed '{heading.label}' mapped to {_describe(best)}")
            return best
        if available:
            self.warnings.append(
                f"printed '{heading.label}' with an unknown title '{heading.title}' "
                f"mapped by order to {_describe(available[0])}"
            )
            return available[0]
        self.warnings.append(
            f"heading '{heading.label} {heading.title}' does not fit the outline; kept as text"
        )
        return None

    @staticmethod
    def printed_code(label: str, parent: str | None) -> str:
        """The outline code a printed label names literally: "2 Бөлім." -> "2", "f." -> "2f"."""
        number = re.match(r"\d+", label)
        if number:
            return number.group()
        letter = label[0].lower().translate(LETTER_LOOKALIKES)
        return f"{parent}{letter}"

    def resolve_unlabelled(self, heading: Heading):
        """Map an unlabelled heading to the summary or a sub-heading of the current section."""
        candidates = [e for e in taxonomy.outline() if self.in_scope(e)]
        scored = [(title_score(heading.title, e), e) for e in candidates]
        scored = [(score, e) for score, e in scored if score]
        if not scored:
            return None
        found = max(scored, key=lambda pair: pair[0])[1]
        if found.code in self.by_code:
            self.warnings.append(
                f"heading '{heading.title}' repeats {_describe(found)}; kept as text"
            )
            return None
        return found

    def in_scope(self, outline_entry: taxonomy.OutlineEntry) -> bool:
        """Could this unlabelled entry start here? Summary first; sub-headings in their section."""
        if outline_entry.kind == taxonomy.SUMMARY:
            return not self.sections
        return outline_entry.kind == taxonomy.SUBHEADING and outline_entry.parent in (
            self.top,
            self.lettered,
        )

    # --- building sections --------------------------------------------------------------

    def start_section(self, outline_entry: taxonomy.OutlineEntry, heading: Heading) -> None:
        """Open the section for an entry and make it the current one at its level."""
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

    def add_paragraph(self, lines: list[str]) -> None:
        """File one paragraph in the current section (the summary if no heading came yet)."""
        if not lines:
            return
        if not self.sections:
            summary = taxonomy.entry("summary")
            self.warnings.append("text before the first heading was filed under the summary")
            self.start_section(summary, Heading("", summary.title_kk, -1, -1))
        text = join_lines(lines, self.vocabulary)
        if len(lines) == 1 and self.looks_like_heading(text):
            self.warnings.append(f"heading-like line not in the outline, kept as text: '{text}'")
        self.sections[-1].paragraphs.append(text)

    @staticmethod
    def looks_like_heading(text: str) -> bool:
        """A short line without sentence punctuation: probably a heading the outline lacks."""
        return len(text) < 80 and not NOT_IN_HEADING.search(text[-1]) and text[0].isupper()

    def warn_missing(self) -> None:
        """Warn about sections and lettered subsections of the outline the report lacks."""
        printed_tops = {s.code for s in self.sections if s.parent is None}
        for outline_entry in taxonomy.outline():
            if outline_entry.code in self.by_code:
                continue
            is_top = outline_entry.kind == taxonomy.SECTION
            is_lettered_here = (
                outline_entry.kind == taxonomy.SUBSECTION and outline_entry.parent in printed_tops
            )
            if is_top or is_lettered_here:
                self.warnings.append(f"no heading found for {_describe(outline_entry)}")
