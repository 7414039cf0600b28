"""Tests for the Kazakh search analyzer (pure Python, no database)."""

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from search.kazakh import ANALYZER_VERSION, Token, analyze, fold, key, normalize, stem

REPO = Path(__file__).resolve().parent.parent
SEED_REPORT = REPO.parent / "shared" / "reports" / "kz-2022-kk.txt"
FIXTURE_REPORT = REPO / "fixtures" / "kz-2022-kk.txt"


def same_key(*words: str) -> bool:
    keys = {key(w) for w in words}
    return len(keys) == 1 and "" not in keys


def test_analyzer_version_is_a_string():
    assert isinstance(ANALYZER_VERSION, str) and ANALYZER_VERSION


# --- suffix stripping -------------------------------------------------------


def test_plural_and_case_endings_share_the_stem():
    assert same_key("адам", "адамдар", "адамдардың", "адамға", "адамның", "адамнан")
    assert same_key("сот", "соттың", "сотқа", "сотта", "соттан")
    assert same_key("мемлекет", "мемлекеттер", "мемлекеттердің", "мемлекетке", "мемлекетін")


def test_journalist_inflections_and_derived_adjective_share_the_stem():
    # -лық/-лік is stripped from long bases on purpose (see stem()).
    assert same_key("журналист", "журналистер", "журналистерге", "журналистердің", "журналистік")


def test_spelling_with_double_t_matches_simplified_spelling():
    assert key("журналисттерге") == key("журналистерге")


def test_verbal_noun_and_participle_share_the_verb_stem():
    assert same_key("азаптау", "азаптаған", "азаптауға", "азаптады", "азаптайды")


def test_possessive_endings_are_stripped():
    assert same_key("бостандық", "бостандығы", "бостандығын")
    assert same_key("жолдас", "жолдасы")
    assert same_key("бала", "баласы", "баласының", "балалары")
    assert same_key("тарих", "тарихы", "тарихында")


def test_voiced_stem_final_consonant_is_restored():
    assert stem("кітабы") == "кітап"
    assert same_key("кітап", "кітабы", "кітаптар")
    assert same_key("құқық", "құқығы", "құқықтары")


def test_verb_tense_negation_and_passive_share_the_root():
    assert same_key("алады", "алды", "алған", "алу", "алып", "алмады", "алынды")
    assert same_key("береді", "берді", "бермейді", "берілді", "беру")
    assert same_key("ұсталды", "ұстады", "ұстау")


def test_vowel_harmony_variants_are_recognised():
    assert same_key("ел", "елдер", "елдің", "елге", "елден")
    assert same_key("жыл", "жылдар", "жылдың", "жылға", "жылдан")


def test_short_and_unrelated_words_are_not_merged():
    assert key("бала") != key("бал")
    assert key("жас") != key("жасалды")
    assert key("сот") != key("сөз")


def test_place_names_in_stan_are_not_cut_as_ablative():
    assert same_key("Қазақстан", "Қазақстанда", "Қазақстанның", "Қазақстанға")
    assert key("Қазақстан") == "казакстан"


# --- scripts and folding ----------------------------------------------------


def test_fold_maps_kazakh_letters_to_keyboard_letters():
    assert fold("әөұүіқғңһ") == "аоууикгнх"
    assert fold("қазақ") == "казак"


def test_query_without_kazakh_letters_gets_the_same_key():
    assert key("казакстан") == key("Қазақстан")
    assert key("камауда") == key("қамауда")
    assert key("журналисттерге") == key("журналистерге")
    assert key("бостандыгы") == key("бостандығы")


def test_latin_2021_alphabet_maps_to_cyrillic_key():
    assert key("Qazaqstan") == key("Қазақстан")
    assert key("azaptau") == key("азаптау")
    assert key("jurnalisterge") == key("журналистерге")
    assert key("bostandyğy") == key("бостандығы")
    assert key("adamdardyñ") == key("адамдардың")
    assert key("üy") == key("үй")


def test_latin_2018_alphabet_maps_to_cyrillic_key():
    assert key("Qazaqstan") == key("Qazaqstan")
    assert key("adamdardyń") == key("адамдардың")
    assert key("shyndyq") == key("шындық")
    assert key("bostandyǵy") == key("бостандығы")
    assert key("úı") == key("үй") or key("úı") == fold("үы")


def test_ambiguous_latin_u_and_i_match_both_readings():
    # 2018 "u" is ұ, 2021 "u" is у; both fold to у.
    assert key("ulttyq") == key("ұлттық")
    assert normalize("iz") == "із"
    assert fold(normalize("iz")) == fold("из")


def test_latin_lookalikes_inside_cyrillic_words_are_repaired():
    latin_c = "Cондай"  # Latin C, from the seed report
    assert normalize(latin_c) == "сондай"
    assert key("aдaм") == key("адам")  # Latin a twice
    assert key("ҚАЗАҚСТAН") == key("Қазақстан")  # Latin A


def test_normalize_applies_nfc_and_lower_case():
    decomposed = "и\u0306"  # й as и + combining breve
    assert normalize(decomposed) == "й"
    assert normalize("ҚАЗАҚ") == "қазақ"
    assert unicodedata.is_normalized("NFC", normalize("e\u0301"))


def test_fold_invariance_on_seed_report_words():
    text = (SEED_REPORT if SEED_REPORT.exists() else FIXTURE_REPORT).read_text(encoding="utf-8")
    words = sorted({w.lower() for w in re.findall(r"[^\W\d_]+", text)})
    assert len(words) > 1000
    same = sum(key(fold(w)) == key(w) for w in words)
    assert same / len(words) >= 0.95


# --- stopwords, abbreviations, numbers --------------------------------------


def test_stopwords_keep_positions():
    tokens = analyze("Бұл адам және оның баласы")
    assert [t.position for t in tokens] == [0, 1, 2, 3, 4]
    assert [t.key for t in tokens] == ["", key("адам"), "", "", key("баласы")]
    assert key("және") == "" and key("жане") == ""


def test_abbreviations_are_not_stripped():
    for abbr, expected in [("ҚР", "кр"), ("БҰҰ", "буу"), ("ЕҚЫҰ", "екыу"), ("АҚШ", "акш")]:
        assert key(abbr) == expected
    assert key("ЛГБТКИ") == "лгбтки"


def test_abbreviation_with_hyphenated_case_ending_is_one_token():
    (token,) = analyze("БҰҰ-ның")
    assert token.text == "БҰҰ-ның" and token.key == "буу"


def test_numbers_keep_their_digits():
    assert key("2022") == "2022"
    assert key("1600-ден") == "1600"
    tokens = analyze("10 000-ға жуық адам")
    assert tokens[0].text == "10 000-ға" and tokens[0].key == "10000"
    assert [t.position for t in tokens] == [0, 1, 2]


def test_hyphenated_compounds_give_one_token_per_part():
    text = "зорлық-зомбылық және Қасым-Жомарт"
    tokens = analyze(text)
    assert [t.text for t in tokens] == ["зорлық", "зомбылық", "және", "Қасым", "Жомарт"]
    assert [t.position for t in tokens] == [0, 1, 2, 3, 4]
    assert tokens[0].key == key("зорлық")


# --- offsets ------------------------------------------------------------------


def test_offsets_point_into_the_original_text():
    text = "  Адамдардың құқықтары, «журналистерге» қарсы!"
    tokens = analyze(text)
    assert [t.text for t in tokens] == ["Адамдардың", "құқықтары", "журналистерге", "қарсы"]
    for t in tokens:
        assert text[t.start : t.end] == t.text
    assert isinstance(tokens[0], Token)


def test_offsets_survive_latin_lookalikes_and_combining_marks():
    text = "Cондай-ақ и\u0306ә Qazaqstanda İstanbul және адaм"
    tokens = analyze(text)
    for t in tokens:
        assert text[t.start : t.end] == t.text
    by_text = {t.text: t for t in tokens}
    assert by_text["и\u0306ә"].end - by_text["и\u0306ә"].start == 3
    assert by_text["Qazaqstanda"].key == key("Қазақстанда")
    assert by_text["адaм"].key == key("адам")


def test_offsets_survive_characters_whose_lower_case_changes_length():
    text = "İİİ адам"  # "İ".lower() is two code points
    tokens = analyze(text)
    assert tokens[-1].text == "адам"
    assert text[tokens[-1].start : tokens[-1].end] == "адам"


# --- robustness ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   ", "...,;:!?«»—–-", "\x00\x01\x07\t\n\r", "12345", "a", "ә", "-", "--адам--"],
)
def test_odd_input_does_not_crash(text):
    tokens = analyze(text)
    for t in tokens:
        assert text[t.start : t.end] == t.text
    key(text)
    normalize(text)


def test_punctuation_only_gives_no_tokens():
    assert analyze("...,;:!?«»—–") == []
    assert key("!!!") == ""


def test_mixed_scripts_and_control_characters():
    text = "адам\x00Adam\u200bадам\tHRW 2022ж."
    tokens = analyze(text)
    for t in tokens:
        assert text[t.start : t.end] == t.text
    assert tokens[0].key == key("адам")
    assert any(t.key == "2022" for t in tokens)


def test_long_input():
    text = ("Адам құқықтары жөніндегі есеп, 2022 жыл. " * 60)[:2000]
    tokens = analyze(text)
    assert len(tokens) > 200
    assert [t.position for t in tokens] == list(range(len(tokens)))
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_command_line_writes_one_key_per_line():
    words = "адамдар\nжәне\n\n1600-ден\nкітабы\n"
    out = subprocess.run(
        [sys.executable, "-m", "search.kazakh"],
        input=words,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    ).stdout
    assert out.split("\n")[:5] == [key("адам"), "", "", "1600", key("кітап")]
