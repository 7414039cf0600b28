"""Country names from CLDR (Babel) in the interface language, on every page that names one."""

import re

import pytest
from django.conf import settings

from sections.countries import country_name

KAZAKHSTAN = {"kk": "Қазақстан", "en": "Kazakhstan", "ru": "Казахстан"}


@pytest.mark.parametrize(("language", "name"), KAZAKHSTAN.items())
def test_country_name_is_the_cldr_name_in_each_interface_language(language, name):
    assert country_name("KZ", language) == name


def test_country_name_reads_lower_case_codes_and_regional_language_tags():
    assert country_name("kz", "en-us") == "Kazakhstan"
    assert country_name("UZ", "ru_RU") == "Узбекистан"


@pytest.mark.parametrize(("code", "language"), [("XQ", "en"), ("KZ", "zz"), ("KZ", "")])
def test_unknown_code_or_language_falls_back_to_the_code(code, language):
    assert country_name(code, language) == code


def get_in(client, language, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Each page and the markup around the country's name there.
PAGES = [
    ("/kz/2022/kk/", "<dd>{name}</dd>"),
    ("/kz/2022/kk/", 'aria-current="page" href="/kz/2022/kk/">{name} 2022</a>'),
    ("/kz/2022/kk/1c/", '<a href="/kz/2022/kk/">{name} 2022</a>'),
    ("/kz/2022/kk/p/12/cite/", '<a href="/kz/2022/kk/">{name} 2022</a>'),
    ("/kz/compare/1c/?from=2021&to=2022", '<a href="/kz/2022/kk/1c/">{name} 2022 · 1c</a>'),
    ("/search/?q=азаптау", '<option value="KZ">{name}</option>'),
    ("/search/?q=азаптау", "· {name} ·"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", KAZAKHSTAN)
@pytest.mark.parametrize(("url", "markup"), PAGES)
def test_pages_name_the_country_in_the_interface_language(client, language, url, markup):
    html = get_in(client, language, url)
    assert markup.format(name=KAZAKHSTAN[language]) in html


@pytest.mark.django_db
def test_section_page_title_names_the_country_and_links_keep_the_code(client):
    html = get_in(client, "en", "/kz/2022/kk/1c/")
    assert re.search(r"<title>[^<]*· Kazakhstan 2022", html)
    assert ">KZ 2022<" not in html
    assert 'href="/kz/2022/kk/"' in html
