"""Atom feeds: new reports (/feed/) and each topic's new sections (/topics/<slug>/feed/),
valid against RFC 4287's schema (tests/atom.py) and linked from the pages."""

import pytest

from tests.atom import InvalidAtom, validate_atom

# RFC 4287's first example (section 1.1), a valid feed.
RFC_EXAMPLE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Feed</title>
  <link href="http://example.org/"/>
  <updated>2003-12-13T18:30:02Z</updated>
  <author><name>John Doe</name></author>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <entry>
    <title>Atom-Powered Robots Run Amok</title>
    <link href="http://example.org/2003/12/13/atom03"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2003-12-13T18:30:02Z</updated>
    <summary>Some text.</summary>
  </entry>
</feed>"""


def test_the_rfc_example_feed_is_valid():
    root = validate_atom(RFC_EXAMPLE)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"


@pytest.mark.parametrize(
    "old, new, reason",
    [
        (b"<updated>2003-12-13T18:30:02Z</updated>\n  <author>", b"<author>", "element updated"),
        (
            b"2003-12-13T18:30:02Z</updated>\n    <summary",
            b"13 Dec 2003</updated>\n    <summary",
            "dateTime",
        ),
        (b"<author><name>John Doe</name></author>", b"", "must have an atom:author"),
        (b'<link href="http://example.org/2003/12/13/atom03"/>', b"", "rel 'alternate'"),
        (b"</feed>", b"", "not well-formed"),
    ],
    ids=["no-updated", "date-not-rfc3339", "no-author", "entry-without-link", "not-xml"],
)
def test_a_broken_feed_fails_validation(old, new, reason):
    assert old in RFC_EXAMPLE
    with pytest.raises(InvalidAtom, match=reason):
        validate_atom(RFC_EXAMPLE.replace(old, new, 1))
