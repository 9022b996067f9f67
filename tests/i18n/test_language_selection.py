"""Which language a page gets: ?lang=, the cookie, Accept-Language, German; and the switcher."""
import re

import pytest

from mapapp.i18n import COOKIE, LANGUAGES, match_language

PIN_BUTTON = {
    "de": "Fund melden",
    "de_simple": "Etwas melden",
    "en": "Report a finding",
    "tr": "Tespit bildir",
    "ar": "أبلغ عن ملاحظة",
}
TAGS = {"de": "de", "de_simple": "de-x-simple", "en": "en", "tr": "tr", "ar": "ar"}


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def pin_label(response) -> str:
    button = re.search(r'id="pin-button".*?</button>', response.get_data(as_text=True), re.S).group(0)
    return re.sub(r"<[^>]+>|📍", "", button.split(">", 1)[1]).strip()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_each_language_is_chosen_with_lang_and_remembered(client, lang):
    first = client.get(f"/?lang={lang}")
    assert first.status_code == 200
    assert f'lang="{TAGS[lang]}"' in html_tag(first)
    assert pin_label(first) == PIN_BUTTON[lang]
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.value == lang
    assert cookie.http_only and cookie.same_site == "Lax" and cookie.max_age >= 180 * 24 * 3600

    again = client.get("/")
    assert pin_label(again) == PIN_BUTTON[lang]
    assert f'lang="{TAGS[lang]}"' in html_tag(again)


def test_default_is_german_without_cookie(client):
    response = client.get("/")
    assert html_tag(response) == '<html lang="de" dir="ltr">'
    assert pin_label(response) == "Fund melden"
    assert client.get_cookie(COOKIE) is None


def test_accept_language_picks_turkish(client):
    response = client.get("/", headers={"Accept-Language": "tr-TR,tr;q=0.9,de;q=0.5"})
    assert 'lang="tr"' in html_tag(response)
    assert pin_label(response) == "Tespit bildir"
    assert client.get_cookie(COOKIE) is None, "only an explicit choice is remembered"


def test_unsupported_accept_language_falls_back_to_german(client):
    response = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert 'lang="de"' in html_tag(response)


def test_query_beats_cookie_and_cookie_beats_accept_language(client):
    client.set_cookie(COOKIE, "en")
    assert pin_label(client.get("/", headers={"Accept-Language": "tr"})) == "Report a finding"
    assert pin_label(client.get("/?lang=ar", headers={"Accept-Language": "tr"})) == PIN_BUTTON["ar"]
    assert client.get_cookie(COOKIE).value == "ar"


def test_unknown_lang_is_ignored(client):
    response = client.get("/?lang=xx")
    assert 'lang="de"' in html_tag(response)
    assert client.get_cookie(COOKIE) is None


def test_arabic_page_is_right_to_left(client):
    assert html_tag(client.get("/?lang=ar")) == '<html lang="ar" dir="rtl">'


@pytest.mark.parametrize("raw, expected", [
    ("tr", "tr"), ("TR", "tr"), ("tr-TR", "tr"), ("en_GB", "en"), ("de-x-simple", "de_simple"),
    ("de_simple", "de_simple"), ("de-AT", "de"), ("fr", None), ("", None), (None, None),
])
def test_match_language(raw, expected):
    assert match_language(raw, LANGUAGES) == expected


def test_switcher_names_each_language_in_its_own_language(client):
    page = client.get("/?lang=tr&walk=abc").get_data(as_text=True)
    switcher = re.search(r'<nav class="lang-switch".*?</nav>', page, re.S).group(0)
    links = re.findall(r'<a class="lang-switch__link" href="([^"]+)" hreflang="([^"]+)" lang="[^"]+"'
                       r'( aria-current="true")?>([^<]+)</a>', switcher)
    assert [(hreflang, name) for _, hreflang, _, name in links] == [
        ("de", "Deutsch"), ("de-x-simple", "Einfache Sprache"), ("en", "English"), ("tr", "Türkçe"), ("ar", "العربية"),
    ]
    assert [name for _, _, current, name in links if current] == ["Türkçe"]
    assert all("walk=abc" in href and href.startswith("/?") for href, *_ in links), links
    assert "/?walk=abc&amp;lang=ar" in switcher


def test_scripts_get_their_strings_translated(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="mapapp-strings">(.*?)</script>', page, re.S).group(1)
    import json

    strings = json.loads(block)
    assert strings["lang"] == "en" and strings["dir"] == "ltr" and strings["locale"] == "en-GB"
    assert strings["map"]["zoomIn"] == "Zoom in"
    assert strings["capture"]["accuracy"] == "Accuracy ± {m} m"
