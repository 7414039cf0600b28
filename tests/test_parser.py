"""The report parser and the outline: the seed's full structure and each clean-up rule.

Pure Python: run with `pytest tests/test_parser.py -p no:django`.
"""

import re
from collections import Counter
from pathlib import Path

import pytest

from sections import taxonomy
from sections.ingest.cleaning import Vocabulary, clean_lines, join_lines, keeps_hyphen
from sections.ingest.errors import IngestError
from sections.ingest.parser import parse_report

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "kz-2022-kk.txt"

# The seed as read by a person: (code, printed label, printed title, paragraphs).
SEED_OUTLINE = [
    ("summary", "", "ҚЫСҚАША ШОЛУ", 6),
    ("1", "1 Бөлім.", "Жеке адам дербестігін құрметтеу", 0),
    ("1a", "a.", "Негізсіз немесе басқа да заңсыз, саяси себептермен адам өлтіру", 6),
    ("1b", "b.", "Із-түзсіз жоғалу", 1),
    (
        "1c",
        "c.",
        "Азаптау және адамгершілікке жатпайтын немесе адамның ар-намысын қорлайтын "
        "қатыгез әрекеттер немесе жазалар",
        7,
    ),
    ("1c-prisons", "", "Түрме мен қамау изоляторларының жағдайы", 10),
    ("1d", "d.", "Негізсіз қамауға алу немесе тұтқындау", 2),
    ("1d-procedures", "", "Қамауға алу тәртібі және қамаудағыларға деген көзқарас", 9),
    ("1e", "e.", "Әділ, ашық сот ісіне жол бермеу", 4),
    ("1e-trial", "", "Сот ісін жүргізу тәртібі", 6),
    ("1e-political-prisoners", "", "Саяси тұтқындар мен қамауға алынғандар", 2),
    ("1e-transnational", "", "Трансұлттық қуғын-сүргін", 5),
    ("1e-civil", "", "Азаматтық сот ісін жүргізу процессі мен құқық қорғау қызметі", 1),
    (
        "1f",
        "f.",
        "Жеке өміріне, отбасына, үйіне заңсыз араласу немесе корреспонденциясын заңсыз тексеру",
        5,
    ),
    ("2", "2 Бөлім.", "Азаматтық еркіндікті құрметтеу", 0),
    ("2a", "a.", "Сөз және баспасөз бостандығы", 27),
    ("2a-internet", "", "Интернет еркіндігі", 9),
    ("2a-academic", "", "Академиялық еркіндік пен мәдени іс-шаралар бойынша шектеулер", 1),
    ("2b", "b.", "Бейбіт жиын өткізу және бас қосу бостандығы", 1),
    ("2b-assembly", "", "Бейбіт жиын өткізу бостандығы", 2),
    ("2b-association", "", "Бас қосу бостандығы", 7),
    ("2c", "c.", "Дін бостандығы", 1),
    ("2d", "d.", "Жүріп-тұру еркіндігі және елден біржолата кету құқығы", 1),
    ("2e", "f.", "Босқындарды қорғау", 12),
    ("2f", "f.", "Ішінен ауысқан адамдардың мәртебесі мен қарым-қатынасы", 1),
    ("2g", "g.", "Азаматтығы жоқ адамдар", 8),
    ("3", "3 Бөлім.", "Саяси процеске қатысу бостандығы", 3),
    ("3-elections", "", "Сайлау және саяси белсенділік", 7),
    ("4", "4 Бөлім.", "Сыбайлас жемқорлық және үкіметте ашықтықтың болмауы", 6),
    (
        "5",
        "5 бөлім.",
        "Адам құқығының бұзылу ықтималдығына қатысты халықаралық және үкіметтік емес ұйымдар "
        "тергеуіне биліктің көзқарасы",
        8,
    ),
    ("6", "6 бөлім.", "Кемсіту және әлеуметтік қатыгездік", 0),
    ("6-women", "", "Әйелдер", 13),
    (
        "6-ethnic",
        "",
        "Нәсілдік және этникалық зорлық-зомбылықтың жүйелі түрде орын алуы және кемсіту",
        3,
    ),
    ("6-children", "", "Балалар", 9),
    ("6-antisemitism", "", "Антисемитизм", 1),
    ("6-trafficking", "", "Адам саудасы", 1),
    (
        "6-lgbti",
        "",
        "Жыныстық ориентациясы мен гендерлік ерекшелік негізінде орын алатын зорлық-зомбылық, "
        "криминализация және басқа да құқық бұзу жағдайы",
        8,
    ),
    ("6-disabilities", "", "Мүмкіндігі шектеулі жандар", 8),
    ("6-other", "", "Басқа әлеуметтік зорлық-зомбылық немесе кемсітушілік", 1),
    ("7", "7 Бөлім.", "Жұмысшылар құқығы", 0),
    ("7a", "a.", "Бірлестік еркіндігі және ұжымдық келісім шарт құқығы", 10),
    ("7b", "b.", "Міндетті немесе мәжбүрлі еңбекке тыйым салу", 5),
    ("7c", "b.", "Бала еңбегіне тыйым салу және жұмысқа алудың ең төменгі жасы", 1),
    ("7d", "d.", "Жұмыспен қамту және кәсіпке қатысты кемсіту", 3),
    ("7e", "e.", "Тиімді еңбек шарты", 10),
]
SEED_WARNINGS = [
    "printed 'f.' mapped to 2e (refugees)",
    "printed 'b.' mapped to 7c (child labour)",
]

WORD = re.compile(r"\w+")
PAGE_MARKER_LINE = re.compile(r"^\s*бет\s*\d+\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    return parse_report(seed_text)


def section(report, code):
    return next(s for s in report.sections if s.code == code)


def words_in_order(report) -> list[str]:
    """Every word the parse kept, in document order: title, then each label, title, body."""
    parts = [report.title]
    for s in report.sections:
        parts += [s.printed_label, s.title, *s.paragraphs]
    return WORD.findall(" ".join(parts).lower())


# --- the seed ---------------------------------------------------------------------------


def test_seed_has_the_outline_a_reader_sees(seed):
    found = [(s.code, s.printed_label, s.title, len(s.paragraphs)) for s in seed.sections]
    assert found == SEED_OUTLINE


def test_seed_title_and_paragraph_total(seed):
    assert seed.title == "ҚАЗАҚСТАН 2022: АДАМ ҚҰҚЫҒЫ ЖӨНІНДЕГІ ЕСЕП"
    assert seed.paragraph_count == sum(count for *_, count in SEED_OUTLINE) == 231


def test_seed_warns_only_about_the_mislabeled_letters(seed):
    assert seed.warnings == SEED_WARNINGS


def test_seed_sections_know_parents_topics_and_order(seed):
    assert [s.order for s in seed.sections] == list(range(1, len(seed.sections) + 1))
    for s in seed.sections:
        assert s.parent == taxonomy.entry(s.code).parent
        assert s.topics == list(taxonomy.entry(s.code).topics)
    assert section(seed, "2e").topics == ["refugees"]
    assert section(seed, "1c-prisons").parent == "1c"


def test_seed_loses_no_text_and_keeps_its_order(seed_text, seed):
    """The words of the input, page markers aside, are the words of titles and paragraphs."""
    expected = WORD.findall(PAGE_MARKER_LINE.sub("", seed_text).lower())
    assert words_in_order(seed) == expected
    assert Counter(words_in_order(seed)) == Counter(expected)


def test_seed_paragraphs_are_clean_single_lines(seed):
    for s in seed.sections:
        for paragraph in s.paragraphs:
            assert paragraph == paragraph.strip()
            assert "\n" not in paragraph and "  " not in paragraph
            assert not re.search(r"\bбет \d+\b", paragraph)


def test_seed_paragraph_split_by_page_marker_is_joined(seed):
    hrw = section(seed, "1a").paragraphs[2]
    assert "Алматы облысында құқық қорғау органдарының қызметкерлері" in hrw
    assert hrw.endswith("не ұсталған жоқ не айыпталған жоқ.")


def test_seed_compound_hyphens_at_line_ends_are_kept(seed):
    text = " ".join(p for s in seed.sections for p in s.paragraphs)
    for word in ("зорлық-зомбылықтың", "Премьер-министрдің", "ҰАТ-тың", "іс-әрекеттеріне"):
        assert word in text
    assert "https://www.state.gov/trafficking-in-persons-report/" in text
    assert "ар-намысын" in section(seed, "1c").title


def test_seed_run_in_headings_start_their_paragraph(seed):
    assert section(seed, "4").paragraphs[1].startswith("Сыбайлас жемқорлық: ")
    assert section(seed, "1c-prisons").paragraphs[1].startswith("Физикалық жағдай: ")
    assert section(seed, "3-elections").paragraphs[0].startswith("Соңғы сайлау: 20 қарашада")


def test_seed_to_dict_has_the_dry_run_shape(seed):
    shape = seed.to_dict("KZ", 2022, "kk")
    assert set(shape) == {"title", "country", "year", "language", "layout", "sections"} | {
        "paragraphs",
        "warnings",
        "mismatches",
    }
    assert shape["layout"] == "seven-sections"
    assert shape["mismatches"] == []
    assert shape["paragraphs"] == 231
    assert shape["warnings"] == SEED_WARNINGS
    refugees = next(s for s in shape["sections"] if s["code"] == "2e")
    assert refugees == {
        "code": "2e",
        "title": "Босқындарды қорғау",
        "parent": "2",
        "topics": ["refugees"],
        "paragraphs": 12,
        "first_words": refugees["first_words"],
    }
    assert refugees["first_words"].startswith(section(seed, "2e").paragraphs[0].split()[0])


# --- page markers and paragraph boundaries ----------------------------------------------

FILLER = "Үкімет немесе оның агенттері заңсыз кісі өлтірулері туралы бірнеше"


def report_of(body: str) -> str:
    """A minimal report around `body`, which becomes the paragraphs of 1a."""
    return f"ЕСЕП\n\n1 Бөлім. Жеке адам дербестігін құрметтеу\n\na. Адам өлтіру\n\n{body}\n"


def paragraphs_of(body: str) -> list[str]:
    return section(parse_report(report_of(body)), "1a").paragraphs


@pytest.mark.parametrize("marker", ["бет 4", "  бет  45  ", "45 бет", "б е т 7", "\f"])
def test_page_marker_is_removed_and_the_paragraph_joined(marker):
    body = f"{FILLER} хабар\n\n\n{marker}\n\n \n\nболды. Белсенділер айтты."
    assert paragraphs_of(body) == [f"{FILLER} хабар болды. Белсенділер айтты."]


def test_blank_line_separates_paragraphs():
    assert paragraphs_of("Бірінші абзац.\n\nЕкінші абзац.") == ["Бірінші абзац.", "Екінші абзац."]


def test_short_sentence_end_followed_by_a_capital_starts_a_new_paragraph():
    body = f"{FILLER} ақпарат\nболды.\nЕкінші абзац басталады."
    assert paragraphs_of(body) == [f"{FILLER} ақпарат болды.", "Екінші абзац басталады."]


def test_full_line_ending_a_sentence_does_not_end_the_paragraph():
    full = f"{FILLER} ақпараттар болды."
    body = f"{full}\n{full}\n{full}\nБелсенділер бұл туралы айтты."
    assert len(paragraphs_of(body)) == 1


def test_leading_space_alone_does_not_start_a_paragraph():
    # In the seed a leading space marks the first line of a PDF page, often mid-sentence.
    body = f"{FILLER} ақпарат\n прокурорға хабарлауы тиіс."
    assert paragraphs_of(body) == [f"{FILLER} ақпарат прокурорға хабарлауы тиіс."]


def test_lead_in_printed_alone_joins_the_paragraph_after_it():
    assert paragraphs_of("Соңғы сайлау:\n\n20 қарашада сайлау өтті.") == [
        "Соңғы сайлау: 20 қарашада сайлау өтті."
    ]


# --- hyphens and spaces -----------------------------------------------------------------


def test_compound_hyphen_at_line_end_is_kept():
    assert paragraphs_of("Бұл зорлық-\nзомбылық.") == ["Бұл зорлық-зомбылық."]
    assert paragraphs_of("Президент Премьер-\nминистрді тағайындайды.") == [
        "Президент Премьер-министрді тағайындайды."
    ]


def test_broken_word_loses_its_hyphen_when_the_whole_word_occurs_elsewhere():
    body = "Билік қауіпсіздікті қамтамасыз етеді.\n\nОлар құқықты қамта-\nмасыз етпеді."
    assert paragraphs_of(body)[1] == "Олар құқықты қамтамасыз етпеді."


def test_hyphen_kept_without_evidence_of_a_broken_word():
    assert paragraphs_of("Жедел-\nжәрдем келді.") == ["Жедел-жәрдем келді."]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("ҰАТ-", "тың"),  # acronym and suffix
        ("2-", "ден"),  # number and suffix
        ("https://www.state.gov/trafficking-in-persons-", "report/"),  # URL
        ("Алматы-", "Астана"),  # second part capitalised
    ],
)
def test_hyphen_rules_that_need_no_evidence(left, right):
    assert keeps_hyphen(left, right, Vocabulary())


def test_hyphenated_form_elsewhere_keeps_the_hyphen():
    vocabulary = Vocabulary.from_lines(["дәрі-дәрмектердің жетіспеушілігі", "дәрмек"])
    assert keeps_hyphen("дәрі-", "дәрмектің", vocabulary)


def test_joined_form_elsewhere_removes_the_hyphen():
    vocabulary = Vocabulary.from_lines(["жұмысшылар ереуілге шықты"])
    assert not keeps_hyphen("жұмыс-", "шылар", vocabulary)


def test_stray_space_after_a_hyphen_is_removed_but_dashes_keep_theirs():
    assert paragraphs_of("Бұл іс- әрекет – заңсыз.") == ["Бұл іс-әрекет – заңсыз."]
    assert paragraphs_of("Бұл іс- \nәрекет.") == ["Бұл іс-әрекет."]


def test_join_lines_collapses_spaces_and_space_before_punctuation():
    assert join_lines(["қоса , ең  шетін  істер ."], Vocabulary()) == "қоса, ең шетін істер."


def test_clean_lines_strips_and_drops_markers():
    assert clean_lines(" а \n\nбет 3\n\nә\u00a0б") == ["а", "ә б"]


# --- headings ---------------------------------------------------------------------------


def test_heading_without_blank_lines_over_two_lines():
    text = (
        "ЕСЕП\n\n1 Бөлім. Жеке адам дербестігін құрметтеу\n\n"
        "b. Із-түзсіз жоғалу\n\nАқпарат жоқ.\n"
        " c. Азаптау және адамгершілікке жатпайтын немесе адамның ар-\n"
        "намысын қорлайтын қатыгез әрекеттер немесе жазалар\n"
        "Заң азаптауға тыйым салады.\n"
    )
    report = parse_report(text)
    torture = section(report, "1c")
    assert torture.title.startswith("Азаптау") and torture.title.endswith("немесе жазалар")
    assert "ар-намысын" in torture.title
    assert torture.paragraphs == ["Заң азаптауға тыйым салады."]
    assert section(report, "1b").paragraphs == ["Ақпарат жоқ."]


def test_lower_case_section_heading_over_three_lines():
    text = (
        "ЕСЕП\n\n5 бөлім. Адам құқығының бұзылу ықтималдығына қатысты\n"
        "халықаралық және үкіметтік емес ұйымдар тергеуіне биліктің\nкөзқарасы\n\n"
        "Мәтін.\n"
    )
    five = section(parse_report(text), "5")
    assert five.printed_label == "5 бөлім."
    assert five.title.endswith("тергеуіне биліктің көзқарасы")
    assert five.paragraphs == ["Мәтін."]


def test_subheadings_of_section_six_with_and_without_blank_lines():
    text = (
        "ЕСЕП\n\n6 бөлім. Кемсіту және әлеуметтік қатыгездік\n\nӘйелдер\n"
        " Зорлау және тұрмыстық зорлық-зомбылық: Заң зорлауды қылмыс деп санайды.\n\n"
        "Жыныстық ориентациясы мен гендерлік ерекшелік негізінде орын\n"
        "алатын зорлық-зомбылық, криминализация және басқа да құқық бұзу\nжағдайы\n\n"
        "Қылмыстандыру: Заңдар жоқ.\n \nАнтисемитизм\nОқиғалар тіркелмеген.\n"
    )
    report = parse_report(text)
    assert [s.code for s in report.sections] == ["6", "6-women", "6-lgbti", "6-antisemitism"]
    assert section(report, "6-women").paragraphs == [
        "Зорлау және тұрмыстық зорлық-зомбылық: Заң зорлауды қылмыс деп санайды."
    ]
    assert section(report, "6-lgbti").title.endswith("құқық бұзу жағдайы")
    assert section(report, "6-antisemitism").paragraphs == ["Оқиғалар тіркелмеген."]


def test_run_in_heading_is_not_a_section():
    text = (
        "ЕСЕП\n\n4 Бөлім. Сыбайлас жемқорлық және үкіметте ашықтықтың болмауы\n\n"
        "Сыбайлас жемқорлық: Жемқорлық кең таралған.\n"
    )
    report = parse_report(text)
    assert [s.code for s in report.sections] == ["4"]
    assert report.sections[0].paragraphs == ["Сыбайлас жемқорлық: Жемқорлық кең таралған."]


def test_subheading_words_inside_a_paragraph_are_text():
    text = report_of("Балалар\nүйіндегі жетімдердің саны азайды.")
    report = parse_report(text)
    assert [s.code for s in report.sections] == ["1", "1a"]


def test_mislabeled_refugees_letter_is_mapped_by_title_and_order():
    text = (
        "ЕСЕП\n\n2 Бөлім. Азаматтық еркіндікті құрметтеу\n\n"
        "d. Жүріп-тұру еркіндігі\n\nА.\n\nf. Босқындарды қорғау\n\nБ.\n\n"
        "f. Ішінен ауысқан адамдардың мәртебесі\n\nВ.\n\ng. Азаматтығы жоқ адамдар\n\nГ.\n"
    )
    report = parse_report(text)
    assert [s.code for s in report.sections] == ["2", "2d", "2e", "2f", "2g"]
    assert "printed 'f.' mapped to 2e (refugees)" in report.warnings


def test_second_b_for_child_labour_is_mapped_to_7c():
    text = (
        "ЕСЕП\n\n7 Бөлім. Жұмысшылар құқығы\n\n"
        "a. Бірлестік еркіндігі\n\nА.\n\nb. Міндетті немесе мәжбүрлі еңбекке тыйым салу\n\nБ.\n\n"
        "b. Бала еңбегіне тыйым салу\n\nВ.\n\n"
        "d. Жұмыспен қамту және кәсіпке қатысты кемсіту\n\nГ.\n"
    )
    report = parse_report(text)
    assert [s.code for s in report.sections][:5] == ["7", "7a", "7b", "7c", "7d"]
    assert section(report, "7c").printed_label == "b."
    assert "printed 'b.' mapped to 7c (child labour)" in report.warnings


def test_repeated_letter_with_unknown_title_takes_the_next_place_in_order():
    text = "ЕСЕП\n\n7 Бөлім. Жұмысшылар құқығы\n\na. Бірлестік\n\nА.\n\na. Белгісіз\n\nБ.\n"
    report = parse_report(text)
    assert [s.code for s in report.sections] == ["7", "7a", "7b"]
    assert any("mapped by order to 7b" in warning for warning in report.warnings)


def test_subheading_outside_its_section_is_text():
    report = parse_report(report_of("Антисемитизм\n\nМәтін."))
    assert [s.code for s in report.sections] == ["1", "1a"]
    assert "heading-like line not in the outline, kept as text: 'Антисемитизм'" in report.warnings


def test_missing_lettered_subsections_are_reported():
    text = "ЕСЕП\n\n1 Бөлім. Жеке адам дербестігін құрметтеу\n\nc. Азаптау\n\nМәтін.\n"
    report = parse_report(text)
    assert [s.code for s in report.sections] == ["1", "1c"]
    assert "no heading found for 1a (killings)" in report.warnings


def test_text_before_the_first_heading_goes_to_the_summary():
    report = parse_report("ЕСЕП\n\nҚысқа шолу мәтіні.\n\n3 Бөлім. Саяси процеске қатысу\n\nМ.\n")
    assert section(report, "summary").paragraphs == ["Қысқа шолу мәтіні."]
    assert "text before the first heading was filed under the summary" in report.warnings


def test_text_without_headings_is_rejected():
    with pytest.raises(IngestError, match="no recognizable section headings"):
        parse_report("Бұл жай мәтін.\n\nЕшқандай тақырып жоқ.\n")


def test_empty_text_is_rejected():
    with pytest.raises(IngestError, match="empty"):
        parse_report(" \n\n бет 3 \n")


# --- the outlines ---------------------------------------------------------------------

LAYOUTS = list(taxonomy.LAYOUTS.values())


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.slug)
def test_outline_codes_are_unique_and_parents_come_first(layout):
    seen = set()
    for outline_entry in layout.entries:
        assert outline_entry.code not in seen
        assert outline_entry.parent is None or outline_entry.parent in seen
        seen.add(outline_entry.code)
    orders = [e.order for e in layout.entries]
    assert orders == sorted(orders) == list(range(1, len(orders) + 1))


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.slug)
def test_outline_entries_have_three_titles_known_topics_and_valid_patterns(layout):
    for outline_entry in layout.entries:
        for language in ("kk", "en", "ru"):
            assert outline_entry.title(language)
            assert outline_entry.patterns(language), (outline_entry.code, language)
            for pattern in outline_entry.patterns(language):
                re.compile(pattern)
        assert set(outline_entry.topics) <= set(taxonomy.topics())


@pytest.mark.parametrize("language", ["kk", "en", "ru"])
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.slug)
def test_outline_matches_its_own_titles_in_every_language(layout, language):
    from sections.ingest.parser import title_score

    for outline_entry in layout.entries:
        assert title_score(outline_entry.title(language), outline_entry), outline_entry.code


def test_every_subsection_and_subheading_has_a_topic():
    for layout in LAYOUTS:
        for outline_entry in layout.entries:
            if outline_entry.kind in (taxonomy.SUBSECTION, taxonomy.SUBHEADING):
                assert outline_entry.topics, (layout.slug, outline_entry.code)


def test_seven_section_outline_has_the_state_department_letters():
    def letters(code):
        return "".join(e.letter for e in taxonomy.children(code) if e.letter)

    assert letters("1") == "abcdefg"
    assert letters("2") == "abcdefg"
    assert letters("7") == "abcde"
    assert [e.code for e in taxonomy.children(None)] == ["summary", *"1234567"]
    assert taxonomy.entry("2e").short == "refugees"
    assert taxonomy.entry("2f").title_en.startswith("Status and Treatment of Internally Displaced")


def test_each_layout_has_its_own_numbering():
    def top(slug):
        return [e.code for e in taxonomy.children(None, slug)]

    assert top("six-sections") == ["intro", *"123456"]
    assert top("three-sections") == ["summary", "1", "2", "3"]
    assert taxonomy.entry("1f", "seven-sections-2023").topics == ("transnational-repression",)
    assert taxonomy.entry("1h", "seven-sections-2023").topics == ("privacy",)
    assert taxonomy.entry("3a", "three-sections").topics == ("torture",)
    assert taxonomy.entry("6f", "six-sections").topics == ("trafficking",)


def test_torture_carries_across_every_layout():
    for layout in LAYOUTS:
        assert any("torture" in e.topics for e in layout.entries), layout.slug


def test_topics_have_names_in_three_languages():
    for slug, names in taxonomy.topics().items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", slug)
        assert set(names) == {"kk", "en", "ru"} and all(names.values())
