"""Queries a search box must survive: each gives a normal answer, never a 500 or raw HTML."""

AWKWARD_QUERIES = [
    "",
    "және мен",
    "!!! ???",
    '"unbalanced quote',
    "-",
    "ж" * 2000,
    "сот\x00түрме\x01\x07",
    "'; DROP TABLE sections_paragraph; --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "сот:* & !(",
    "a' | 'b \\",
]
