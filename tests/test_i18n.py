"""Interface language: Kazakh by default, English and Russian by the switcher; report text keeps
its own language; the message catalogues are complete and compiled."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
SECTION = "/kz/2022/kk/1c/"


def get_in(client, language, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_interface_is_kazakh_by_default_and_html_lang_says_so(client):
    html = client.get("/").content.decode()
    assert '<html lang="kk">' in html
    assert "<h1>Адам құқықтары жөніндегі есептер</h1>" in html
    assert '<button type="submit">Іздеу</button>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "search"),
    [
        ("en", "Human-rights reports", "Search"),
        ("ru", "Доклады о правах человека", "Поиск"),
        ("kk", "Адам құқықтары жөніндегі есептер", "Іздеу"),
    ],
)
def test_interface_strings_are_in_the_chosen_language(client, language, heading, search):
    html = get_in(client, language, "/")
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert f'<button type="submit">{search}</button>' in html


@pytest.mark.django_db
def test_language_switcher_is_a_post_form_that_works_without_javascript(client):
    html = client.get(SECTION).content.decode()
    form = re.search(
        r'<form class="language-switcher" action="/i18n/setlang/" method="post">(.*?)</form>',
        html,
        re.S,
    )
    assert form, "language switcher form missing"
    body = form.group(1)
    assert 'name="csrfmiddlewaretoken"' in body
    assert f'<input type="hidden" name="next" value="{SECTION}">' in body
    assert '<label for="site-language">' in body
    options = re.findall(r'<option value="(\w+)" lang="\w+"', body)
    assert options == ["kk", "en", "ru"]
    assert re.search(r'<option value="kk" lang="kk" selected>', body)
    assert '<button type="submit">' in body


@pytest.mark.django_db
def test_switching_language_returns_to_the_same_page_in_that_language(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": SECTION})
    assert response.status_code == 302
    assert response["Location"] == SECTION
    html = client.get(SECTION).content.decode()
    assert '<html lang="ru">' in html
    assert "Подразделы" in html
    assert re.search(r'<option value="ru" lang="ru" selected>', html)


@pytest.mark.django_db
def test_report_text_keeps_its_own_language_under_any_interface(client):
    kazakh = get_in(client, "kk", SECTION)
    russian = get_in(client, "ru", SECTION)
    assert '<html lang="ru">' in russian
    paragraphs = re.findall(r'<div class="para" id="p\d+">\s*<p lang="(\w+)">([^<]+)</p>', russian)
    assert paragraphs
    assert {lang for lang, _ in paragraphs} == {"kk"}
    assert paragraphs == re.findall(
        r'<div class="para" id="p\d+">\s*<p lang="(\w+)">([^<]+)</p>', kazakh
    )
    assert '<h1 lang="kk">Азаптау' in russian


@pytest.mark.django_db
def test_section_page_shows_the_outline_title_in_the_interface_language(client):
    html = get_in(client, "en", SECTION)
    assert '<p class="outline-title">Torture and Other Cruel' in html
    assert 'class="outline-title"' not in get_in(client, "kk", SECTION)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name"), [("kk", "Азаптау"), ("en", "Torture"), ("ru", "Пытки")]
)
def test_topic_names_follow_the_interface_language(client, language, name):
    html = get_in(client, language, "/topics/torture/")
    assert f"<h1>{name}</h1>" in html


@pytest.mark.django_db
def test_citation_wording_follows_the_interface_language(client):
    html = get_in(client, "ru", SECTION)
    assert re.search(r'data-citation-format="[^"]*, раздел 1c «[^"]*», абзац \{number\}', html)


def po_entries(path: Path) -> dict[tuple[str | None, str], tuple[str | None, str]]:
    """(msgctxt or None, msgid) -> (msgid_plural or None, msgstr or its first plural form),
    read by Babel; the header and obsolete entries left out. The context is part of the key:
    the same msgid in another context is another string."""
    with path.open("rb") as file:
        catalogue = read_po(file)
    entries = {}
    for message in catalogue:
        if not message.id:
            continue
        msgid, plural = message.id if message.pluralizable else (message.id, None)
        msgstr = message.string[0] if message.pluralizable else message.string
        entries[(message.context, msgid)] = (plural, msgstr or "")
    return entries


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_interface_string_is_translated_and_not_fuzzy(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = po_entries(po)
    assert len(entries) > 100
    untranslated = [msgid for msgid, (_, msgstr) in entries.items() if not msgstr]
    assert untranslated == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_kazakh_and_russian_catalogues_are_real_translations(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    not_cyrillic = [m for m, (_, s) in entries.items() if not re.search("[а-яәғқңөұүһі]", s, re.I)]
    assert not_cyrillic == []


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    entries = po_entries(folder / "django.po")
    assert any(context for context, _ in entries)  # the OpenSearch short name has one
    for (context, msgid), (plural, msgstr) in entries.items():
        if context is None and plural is None:
            found = compiled.gettext(msgid)
        elif context is None:
            found = compiled.ngettext(msgid, plural, 1)
        elif plural is None:
            found = compiled.pgettext(context, msgid)
        else:
            found = compiled.npgettext(context, msgid, plural, 1)
        assert found == msgstr, (context, msgid)


def test_a_string_in_a_context_is_read_apart_from_the_same_string_without_one():
    entries = po_entries(LOCALE / "kk" / "LC_MESSAGES" / "django.po")
    site_name = entries[(None, "Rights Archive")][1]
    short_name = entries[("OpenSearch short name: 16 characters at most", "Rights Archive")][1]
    assert site_name != short_name and len(short_name) <= 16


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_catalogue_placeholders_match_their_source_strings(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
