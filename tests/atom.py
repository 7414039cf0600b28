"""Atom feeds checked against RFC 4287: its RELAX NG schema (tests/data/atom.rnc, Appendix B)
and the two Schematron rules written in that schema, which RELAX NG validation ignores.

    from tests.atom import validate_atom
    validate_atom(response.content)  # raises InvalidAtom naming every problem
"""

from functools import cache
from pathlib import Path

import rnc2rng
from lxml import etree

SCHEMA = Path(__file__).resolve().parent / "data" / "atom.rnc"
NAMESPACES = {"atom": "http://www.w3.org/2005/Atom"}

# The schema's s:rule annotations, as XPath: (context, test, message).
SCHEMATRON_RULES = [
    (
        "/atom:feed",
        "atom:author or not(atom:entry[not(atom:author)])",
        "An atom:feed must have an atom:author unless all of its atom:entry children have one.",
    ),
    (
        "//atom:entry",
        "atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content",
        "An atom:entry must have an atom:link with rel 'alternate' or an atom:content.",
    ),
    (
        "//atom:entry",
        "atom:author or ../atom:author or atom:source/atom:author",
        "An atom:entry must have an atom:author if its feed does not.",
    ),
]


class InvalidAtom(AssertionError):
    """The document is not a valid Atom feed or entry; the message lists why."""


@cache
def atom_schema() -> etree.RelaxNG:
    """The RFC's compact schema converted to RELAX NG XML by rnc2rng, compiled once."""
    rng = rnc2rng.dumps(rnc2rng.load(str(SCHEMA)))
    # rnc2rng declares `namespace local = ""` as xmlns:local="", which XML namespaces forbid;
    # the prefix is unused in its output (local:* becomes ns=""), so the line goes.
    rng = "\n".join(line for line in rng.splitlines() if line.strip() != 'xmlns:local=""')
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def validate_atom(xml: bytes) -> etree._Element:
    """Raise InvalidAtom unless `xml` is a well-formed Atom document valid against RFC 4287's
    schema and its Schematron rules; return the parsed root."""
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        raise InvalidAtom(f"not well-formed XML: {error}") from None
    schema = atom_schema()
    problems = []
    if not schema.validate(root):
        problems = [f"line {e.line}: {e.message}" for e in schema.error_log]
    for context, test, message in SCHEMATRON_RULES:
        for node in root.xpath(context, namespaces=NAMESPACES) or []:
            if not node.xpath(test, namespaces=NAMESPACES):
                problems.append(f"line {node.sourceline}: {message}")
    if problems:
        raise InvalidAtom("invalid Atom:\n" + "\n".join(problems))
    return root
