"""Year-to-year comparison of one section: paragraphs aligned, changes marked word by word.

Why difflib: it is in the standard library (no dependency to vet or keep up to date), and its
SequenceMatcher works on any sequence of hashable items, so one algorithm aligns paragraphs
(items = normalised paragraph texts) and then marks words inside a changed paragraph (items =
words). It looks for the longest matching blocks first (Ratcliff/Obershelp), which gives the
readable "this sentence moved, these two words changed" result a reader expects rather than
the minimal edit script of a Myers diff that can interleave unrelated words. Its worst case is
quadratic, which is fine here: a section has at most a few hundred paragraphs and a paragraph
a few hundred words. `autojunk` is off because its heuristic would treat frequent Kazakh
function words as junk in long paragraphs and produce ragged diffs. The importer also uses
SequenceMatcher (on characters, with its own threshold) to decide which edited paragraph
keeps an old anchor.

This module has no Django imports: the view hands it (number, text) pairs and renders rows.
"""

import difflib
import re
from dataclasses import dataclass, field

SAME = "same"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"

# Two paragraphs at least this alike (word-level ratio) are shown as one changed paragraph;
# less alike, as one removed and one added.
SIMILAR_ENOUGH = 0.5
# Past this many candidate pairs in one block, only paragraphs within NEARBY places of each
# other are compared, so a rewritten section cannot make the page slow.
MAX_PAIRS_TO_SCORE = 2500
NEARBY = 3

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of text on one side: `op` is "equal", "insert" (only in the newer text) or
    "delete" (only in the older text)."""

    op: str
    text: str


@dataclass
class Side:
    """One paragraph as shown in one column."""

    number: int
    text: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Row:
    """One line of the side-by-side view: `old` and/or `new` paragraph and how they differ."""

    kind: str
    old: Side | None = None
    new: Side | None = None


@dataclass
class Comparison:
    rows: list[Row]

    def count(self, kind: str) -> int:
        return sum(1 for row in self.rows if row.kind == kind)

    @property
    def summary(self) -> dict[str, int]:
        """How many rows of each kind: {"same": .., "changed": .., "added": .., "removed": ..}."""
        return {kind: self.count(kind) for kind in (SAME, CHANGED, ADDED, REMOVED)}


def normalise(text: str) -> str:
    """Whitespace-insensitive form used to decide that two paragraphs are the same."""
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Words and the whitespace between them, so joining the tokens gives the text back."""
    return _TOKEN.findall(text)


def similarity(old: str, new: str) -> float:
    """Word-level similarity of two paragraphs, 0..1."""
    matcher = difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False)
    return matcher.ratio()


def diff_words(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Mark the words of `old` that were removed and the words of `new` that were added.

    Returns (segments of old, segments of new); each list joins back to its text.
    """
    old_tokens, new_tokens = words(old), words(new)
    # Compare words without the whitespace between them, then map back to tokens.
    old_words = [i for i, t in enumerate(old_tokens) if not t.isspace()]
    new_words = [i for i, t in enumerate(new_tokens) if not t.isspace()]
    matcher = difflib.SequenceMatcher(
        None,
        [old_tokens[i] for i in old_words],
        [new_tokens[i] for i in new_words],
        autojunk=False,
    )
    old_ops = ["delete"] * len(old_tokens)
    new_ops = ["insert"] * len(new_tokens)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            old_ops[old_words[block.a + k]] = "equal"
            new_ops[new_words[block.b + k]] = "equal"
    return _segments(old_tokens, old_ops, "delete"), _segments(new_tokens, new_ops, "insert")


def _segments(tokens: list[str], ops: list[str], changed: str) -> list[Segment]:
    # Whitespace between two changed words belongs to the change, so "<del>a b</del>" is one run.
    for i, token in enumerate(tokens):
        if token.isspace():
            before = ops[i - 1] if i > 0 else "equal"
            after = ops[i + 1] if i + 1 < len(ops) else "equal"
            ops[i] = changed if before == changed and after == changed else "equal"
    segments: list[Segment] = []
    for token, op in zip(tokens, ops, strict=True):
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + token)
        else:
            segments.append(Segment(op, token))
    return segments


def compare_paragraphs(old: list[tuple[int, str]], new: list[tuple[int, str]]) -> Comparison:
    """Align two lists of (anchor number, text) in reading order and mark the differences."""
    matcher = difflib.SequenceMatcher(
        None, [normalise(t) for _, t in old], [normalise(t) for _, t in new], autojunk=False
    )
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (old_number, old_text), (new_number, new_text) in zip(
                old[i1:i2], new[j1:j2], strict=True
            ):
                rows.append(
                    Row(
                        SAME,
                        Side(old_number, old_text, [Segment("equal", old_text)]),
                        Side(new_number, new_text, [Segment("equal", new_text)]),
                    )
                )
        else:
            rows.extend(_align_block(old[i1:i2], new[j1:j2]))
    return Comparison(rows)


def _align_block(old: list[tuple[int, str]], new: list[tuple[int, str]]) -> list[Row]:
    """Rows for a run of old paragraphs replaced by a run of new ones, keeping reading order."""
    pairs = _pair(old, new)
    rows: list[Row] = []
    i = j = 0
    for pi, pj in [*pairs, (len(old), len(new))]:
        rows.extend(Row(REMOVED, old=_plain(old[k], "delete")) for k in range(i, pi))
        rows.extend(Row(ADDED, new=_plain(new[k], "insert")) for k in range(j, pj))
        if pi < len(old) and pj < len(new):
            (old_number, old_text), (new_number, new_text) = old[pi], new[pj]
            old_segments, new_segments = diff_words(old_text, new_text)
            rows.append(
                Row(
                    CHANGED,
                    Side(old_number, old_text, old_segments),
                    Side(new_number, new_text, new_segments),
                )
            )
        i, j = pi + 1, pj + 1
    return rows


def _plain(paragraph: tuple[int, str], op: str) -> Side:
    number, text = paragraph
    return Side(number, text, [Segment(op, text)])


def _pair(old: list[tuple[int, str]], new: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Index pairs (old, new), increasing in both, of paragraphs alike enough to be one edit.

    Chooses the order-keeping pairing with the greatest total similarity (a small dynamic
    programme); in very large blocks only paragraphs at nearby places are candidates.
    """
    if not old or not new:
        return []
    banded = len(old) * len(new) > MAX_PAIRS_TO_SCORE
    scores = {}
    for a, (_, old_text) in enumerate(old):
        for b, (_, new_text) in enumerate(new):
            if banded and abs(a - b) > NEARBY:
                continue
            score = similarity(old_text, new_text)
            if score >= SIMILAR_ENOUGH:
                scores[a, b] = score
    # best[a][b]: best total using old[a:] and new[b:].
    best = [[0.0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for a in range(len(old) - 1, -1, -1):
        for b in range(len(new) - 1, -1, -1):
            best[a][b] = max(
                best[a + 1][b],
                best[a][b + 1],
                scores.get((a, b), -1.0) + best[a + 1][b + 1],
            )
    pairs = []
    a = b = 0
    while a < len(old) and b < len(new):
        if (a, b) in scores and best[a][b] == scores[a, b] + best[a + 1][b + 1]:
            pairs.append((a, b))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1
    return pairs
