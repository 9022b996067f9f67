"""/offline/<lang>: the page the service worker shows for a page it has not stored, per language."""
import pytest


@pytest.mark.parametrize(("lang", "tag", "direction", "heading"), [
    ("de", "de", "ltr", "Keine Verbindung"),
    ("de_simple", "de-x-simple", "ltr", "Kein Internet"),
    ("en", "en", "ltr", "No connection"),
    ("tr", "tr", "ltr", "Bağlantı yok"),
    ("ar", "ar", "rtl", "لا يوجد اتصال"),
])
def test_offline_page_speaks_the_language_of_its_path(client, lang, tag, direction, heading):
    client.set_cookie("mapapp_lang", "en")  # the path decides, not the cookie
    response = client.get(f"/offline/{lang}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{tag}" dir="{direction}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert "lang-switch" not in html, "its language links cannot open offline"
    assert "Set-Cookie" not in response.headers or "mapapp_lang" not in response.headers["Set-Cookie"]


def test_offline_page_of_an_unknown_language_is_404(client):
    assert client.get("/offline/xx").status_code == 404
