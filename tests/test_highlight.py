"""Highlighting from the analyzer's offsets (search/highlight.py): no database needed."""

import re

from search.highlight import ELLIPSIS, highlight, snippet
from search.query import parse_query


def keys(query: str) -> frozenset[str]:
    return parse_query(query).highlight_keys


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_every_inflected_form_is_marked():
    text = "Азаптау туралы шағымдар: азаптауға қарсы заң, азаптаудың құрбандары."
    assert marked(highlight(text, keys("азаптау"), "kk")) == ["Азаптау", "азаптауға", "азаптаудың"]


def test_latin_query_marks_the_cyrillic_words():
    text = "Полиция азаптау әдістерін қолданды."
    assert marked(highlight(text, keys("azaptau"), "kk")) == ["азаптау"]


def test_query_without_kazakh_letters_marks_words_with_them():
    text = "Түрмелердегі жағдай ауыр."
    assert marked(highlight(text, keys("турмелердеги"), "kk")) == ["Түрмелердегі"]


def test_text_around_the_marks_is_html_escaped():
    text = 'Сот <script>alert("x")</script> & азаптау <b>'
    html = highlight(text, keys("азаптау"), "kk")
    assert html == (
        "Сот &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>азаптау</mark> &lt;b&gt;"
    )


def test_text_without_matches_is_still_escaped():
    html = highlight("a<b", keys("сот"), "kk")
    assert html == "a&lt;b"


def test_no_query_words_means_no_marks():
    assert highlight("Азаптау туралы.", frozenset(), "kk") == "Азаптау туралы."


def test_short_text_snippet_is_the_whole_text_without_ellipsis():
    html = snippet("Заң азаптауға тыйым салады.", keys("азаптау"), "kk")
    assert html == "Заң <mark>азаптауға</mark> тыйым салады."


def test_snippet_of_a_long_text_is_a_window_around_the_match_with_ellipses():
    filler = "сөз " * 200
    text = f"{filler}полиция азаптау әдісін қолданды {filler}".strip()
    html = snippet(text, keys("азаптау"), "kk", width=120)
    assert html.startswith(f"{ELLIPSIS} ")
    assert html.endswith(f" {ELLIPSIS}")
    assert "<mark>азаптау</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 120 + 4


def test_snippet_never_cuts_a_word_in_half():
    filler = " ".join(f"сөзтізбек{i}" for i in range(80))
    text = f"{filler} азаптау {filler}"
    html = snippet(text, keys("азаптау"), "kk", width=100)
    inner = html.removeprefix(f"{ELLIPSIS} ").removesuffix(f" {ELLIPSIS}")
    words = inner.replace("<mark>", "").replace("</mark>", "").split()
    assert all(word in text.split() for word in words)


def test_snippet_prefers_the_passage_with_the_most_different_query_words():
    filler = "мәтін " * 60
    text = f"сот {filler} сот {filler} сот түрме азаптау {filler} түрме"
    html = snippet(text, keys("сот түрме азаптау"), "kk", width=80)
    assert set(marked(html)) == {"сот", "түрме", "азаптау"}


def test_snippet_without_a_match_is_the_beginning_of_the_text():
    text = "Бірінші сөйлем. " + "екінші " * 100
    html = snippet(text, keys("азаптау"), "kk", width=60)
    assert html.startswith("Бірінші сөйлем.")
    assert html.endswith(ELLIPSIS)
    assert "<mark>" not in html


def test_snippet_joins_the_lines_of_a_paragraph():
    assert snippet("бір\nекі   үш", frozenset(), "kk") == "бір екі үш"
